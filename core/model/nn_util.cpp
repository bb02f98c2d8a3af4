#include "model/nn_util.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/normalization.h>

#include <ATen/ATen.h>

namespace zsi::model {

torch::nn::AnyModule makeNorm(NormKind kind, int channels, int groups) {
    switch (kind) {
        case NormKind::None:
            return {};
        case NormKind::GroupNorm:
            return torch::nn::AnyModule(
                torch::nn::GroupNorm(torch::nn::GroupNormOptions(groups, channels)));
        case NormKind::FrozenBatchNorm:
        case NormKind::BatchNorm:
            return torch::nn::AnyModule(torch::nn::BatchNorm2d(channels));
    }
    return {};
}

void keepBatchNormsInEval(torch::nn::Module& module) {
    for (const auto& m : module.modules(/*include_self=*/false))
        if (m->as<torch::nn::BatchNorm2d>()) m->eval();
}

void freezeParameters(torch::nn::Module& module) {
    for (auto& p : module.parameters()) p.set_requires_grad(false);
}

ConvModuleImpl::ConvModuleImpl(int in, int out, int kernel, int padding, bool relu, NormKind norm,
                               int groups)
    : relu_(relu) {
    conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel)
                                                         .padding(padding)
                                                         .bias(norm == NormKind::None)));
    if (norm != NormKind::None) {
        norm_ = makeNorm(norm, out, groups);
        register_module(norm == NormKind::GroupNorm ? "gn" : "bn", norm_.ptr());
    }
}

torch::Tensor ConvModuleImpl::forward(const torch::Tensor& x) {
    torch::Tensor y = conv->forward(x);
    if (!norm_.is_empty()) y = norm_.forward(y);
    return relu_ ? y.relu_() : y;
}

torch::nn::Conv2d foldBatchNorm(const torch::nn::Conv2dImpl& conv, torch::nn::Module& norm) {
    auto* bn = norm.as<torch::nn::BatchNorm2d>();
    if (!bn || !bn->running_mean.defined()) return torch::nn::Conv2d(nullptr);
    torch::NoGradGuard g;
    // In double, so that the folded conv equals conv + norm to float rounding.
    const at::Tensor invStd = (bn->running_var.to(at::kDouble) + bn->options.eps()).rsqrt();
    const at::Tensor gamma =
        bn->weight.defined() ? bn->weight.to(at::kDouble) : at::ones_like(invStd);
    const at::Tensor beta = bn->bias.defined() ? bn->bias.to(at::kDouble) : at::zeros_like(invStd);
    const at::Tensor scale = gamma * invStd;  // per output channel
    at::Tensor b = beta - bn->running_mean.to(at::kDouble) * scale;
    if (conv.bias.defined()) b = b + conv.bias.to(at::kDouble) * scale;
    const auto& c = conv.options;  // detail::ConvNdOptions, not the public Conv2dOptions
    torch::nn::Conv2d folded(
        torch::nn::Conv2dOptions(c.in_channels(), c.out_channels(), c.kernel_size())
            .stride(c.stride())
            .padding(c.padding())
            .dilation(c.dilation())
            .groups(c.groups())
            .padding_mode(c.padding_mode())
            .bias(true));
    const auto type = conv.weight.scalar_type();
    folded->to(conv.weight.device());
    folded->weight.set_data((conv.weight.to(at::kDouble) * scale.view({-1, 1, 1, 1})).to(type));
    folded->bias.set_data(b.to(type));
    return folded;
}

void initConvKaiming(torch::nn::Conv2d& conv) {
    torch::NoGradGuard g;
    torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
    if (conv->bias.defined()) conv->bias.zero_();
}

}  // namespace zsi::model
