#include "model/box_head.h"

#include "util/error.h"

#include <torch/nn/init.h>

namespace zsi::model {
namespace {

torch::nn::Linear linear(int in, int out, bool bias = true) {
    return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(bias));
}

}  // namespace

SemanticBoxHeadImpl::SemanticBoxHeadImpl(int inChannels, int roiSize, const BoxHeadConfig& config,
                                         int semanticDim, int numSeen, int vocSize)
    : vocSize_(vocSize) {
    torch::nn::ModuleList shared;
    int in = inChannels * roiSize * roiSize;
    for (int i = 0; i < config.numSharedFcs; ++i) {
        sharedFcs_.push_back(linear(in, config.fcDim));
        torch::NoGradGuard g;
        torch::nn::init::xavier_uniform_(sharedFcs_.back()->weight);
        sharedFcs_.back()->bias.zero_();
        shared->push_back(sharedFcs_.back());
        in = config.fcDim;
    }
    register_module("shared_fcs", shared);
    const int D = semanticDim;
    fc_reg = register_module("fc_reg", linear(config.fcDim, 4 * (1 + numSeen)));
    {
        torch::NoGradGuard g;
        torch::nn::init::normal_(fc_reg->weight, 0.0, 0.001);
        fc_reg->bias.zero_();
    }
    fc_semantic = register_module("fc_semantic", linear(config.fcDim, D));
    if (vocSize > 0) {
        kernel_semantic = register_module("kernel_semantic", linear(vocSize, D));
        d_kernel_semantic = register_module("d_kernel_semantic", linear(D, vocSize));
        voc_ = torch::zeros({D, vocSize});
    } else {
        kernel_semantic = register_module("kernel_semantic", linear(D, D));
    }
    d_fc_semantic = register_module("d_fc_semantic", linear(D, config.fcDim));
    fc_res = register_module("fc_res", linear(D, D));
}

SemanticBoxHeadImpl::Output SemanticBoxHeadImpl::forward(const torch::Tensor& roiFeatures) {
    Output out;
    torch::Tensor x = roiFeatures.flatten(1);
    for (auto& fc : sharedFcs_) x = fc->forward(x).relu_();
    out.h = x;
    const torch::Tensor s = fc_semantic->forward(x);
    out.e = vocSize_ > 0 ? kernel_semantic->forward(s.mm(voc_.to(s.options()))) : s;
    out.deltas = fc_reg->forward(x);
    return out;
}

torch::Tensor SemanticBoxHeadImpl::classMatrix(const torch::Tensor& W) {
    if (vocSize_ > 0) return W;
    return kernel_semantic->forward(W.t()).tanh().t();
}

torch::Tensor SemanticBoxHeadImpl::reconstruct(const torch::Tensor& e) {
    if (vocSize_ > 0)
        return d_fc_semantic->forward(d_kernel_semantic->forward(e).mm(voc_.to(e.options()).t()));
    return d_fc_semantic->forward(e);
}

void SemanticBoxHeadImpl::setVoc(const torch::Tensor& voc) {
    if (vocSize_ == 0 || voc.dim() != 2 || voc.size(0) != fc_semantic->weight.size(0) ||
        voc.size(1) != vocSize_)
        throw Error(ErrorCode::DimensionMismatch, "VOC matrix has the wrong shape",
                    {{"what", "VOC matrix"},
                     {"expected", std::to_string(fc_semantic->weight.size(0)) + " x " +
                                      std::to_string(vocSize_)},
                     {"found", voc.dim() == 2 ? std::to_string(voc.size(0)) + " x " +
                                                    std::to_string(voc.size(1))
                                              : "not a matrix"}});
    voc_ = voc.detach().to(torch::kFloat).contiguous();
}

}  // namespace zsi::model
