#include "model/mask_head.h"

#include <torch/nn/init.h>

namespace zsi::model {
namespace {

torch::nn::Conv2d conv3(int in, int out, bool bias = true) {
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).bias(bias));
}

}  // namespace

SemanticMaskHeadImpl::SemanticMaskHeadImpl(int inChannels, const MaskHeadConfig& config,
                                           int semanticDim, int numSeen, int groups)
    : config_(config) {
    const int C = config.convChannels, D = semanticDim;
    torch::nn::ModuleList convs;
    for (int i = 0; i < config.numConvs; ++i) {
        // Quirk mode: every conv reads the RoI feature, so every conv takes inChannels.
        const int in = (config.chainConvs && i > 0) ? C : inChannels;
        convs_.emplace_back(in, C, 3, 1, true, config.norm, groups);
        initConvKaiming(convs_.back()->conv);
        convs->push_back(convs_.back());
    }
    register_module("convs", convs);
    convT = register_module("convT", ConvModule(C, D, 3, 1, true));
    dconvT = register_module("dconvT", ConvModule(D, C, 3, 1, true));
    upsample = register_module(
        "upsample",
        torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(C, C, 2).stride(2)));
    kernel_semantic = register_module("kernel_semantic", conv3(D, D));
    d_kernel_semantic = register_module("d_kernel_semantic", conv3(D, D));
    conv_vec = register_module(
        "conv_vec", torch::nn::Conv2d(torch::nn::Conv2dOptions(D, 1 + numSeen, 1).bias(false)));
    conv_vec->weight.set_requires_grad(false);
    {
        torch::NoGradGuard g;
        torch::nn::init::kaiming_normal_(upsample->weight, 0.0, torch::kFanOut, torch::kReLU);
        upsample->bias.zero_();
    }
}

SemanticMaskHeadImpl::Output SemanticMaskHeadImpl::forward(const torch::Tensor& roiFeatures) {
    torch::Tensor x;
    if (config_.chainConvs) {
        x = roiFeatures;
        for (auto& c : convs_) x = c->forward(x);
    } else {
        // The reference computes every conv on the input and keeps the last result; the dead
        // convs are skipped here since their outputs are discarded anyway.
        x = convs_.back()->forward(roiFeatures);
    }
    Output out;
    out.m = upsample->forward(x).relu_();
    out.semantic = kernel_semantic->forward(convT->forward(out.m));
    return out;
}

torch::Tensor SemanticMaskHeadImpl::encoderFeatures(const torch::Tensor& roiFeatures) {
    torch::Tensor x = roiFeatures;
    if (config_.chainConvs)
        for (auto& c : convs_) x = c->forward(x);
    else
        x = convs_.back()->forward(roiFeatures);
    return convT->forward(upsample->forward(x).relu_());
}

torch::Tensor SemanticMaskHeadImpl::semanticFromEncoder(const torch::Tensor& y) {
    return kernel_semantic->forward(y);
}

torch::Tensor SemanticMaskHeadImpl::filterLogitsFromEncoder(const torch::Tensor& y,
                                                            const torch::Tensor& filters) {
    const int64_t n = y.size(0), d = y.size(1);
    if (n == 0) return at::zeros({0, y.size(2), y.size(3)}, y.options());
    const torch::Tensor K = kernel_semantic->weight;  // (D_out, D_in, 3, 3)
    const torch::Tensor f = filters.to(y.options());
    const torch::Tensor g = f.mm(K.reshape({K.size(0), -1})).view({n, d, K.size(2), K.size(3)});
    const torch::Tensor bias = f.mv(kernel_semantic->bias);
    const torch::Tensor out = at::conv2d(y.reshape({1, n * d, y.size(2), y.size(3)}), g, bias,
                                         /*stride=*/1, /*padding=*/K.size(2) / 2, /*dilation=*/1,
                                         /*groups=*/n);
    return out.squeeze(0);
}

torch::Tensor SemanticMaskHeadImpl::seenLogits(const torch::Tensor& semantic) {
    return conv_vec->forward(semantic);
}

torch::Tensor SemanticMaskHeadImpl::reconstruct(const torch::Tensor& semantic) {
    return dconvT->forward(d_kernel_semantic->forward(semantic));
}

void SemanticMaskHeadImpl::setSeenFilters(const torch::Tensor& Ws) {
    torch::NoGradGuard g;
    conv_vec->weight.copy_(Ws.t().reshape(conv_vec->weight.sizes()).to(conv_vec->weight.options()));
}

}  // namespace zsi::model
