#include "model/nn_util.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/normalization.h>

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

void initConvKaiming(torch::nn::Conv2d& conv) {
    torch::NoGradGuard g;
    torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
    if (conv->bias.defined()) conv->bias.zero_();
}

}  // namespace zsi::model
