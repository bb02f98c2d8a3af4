#include "model/fpn.h"

#include <ATen/ATen.h>
#include <torch/nn/init.h>

namespace zsi::model {
namespace {

// MMDetection initialises FPN convs with Xavier-uniform, bias 0.
void initXavier(ConvModule& m) {
    torch::NoGradGuard g;
    torch::nn::init::xavier_uniform_(m->conv->weight);
    if (m->conv->bias.defined()) m->conv->bias.zero_();
}

}  // namespace

FpnImpl::FpnImpl(const std::vector<int>& inChannels, const NeckConfig& config, int groups)
    : config_(config) {
    torch::nn::ModuleList laterals, outputs;
    for (int c : inChannels) {
        lateral_.emplace_back(c, config.outChannels, 1, 0, false, config.norm, groups);
        output_.emplace_back(config.outChannels, config.outChannels, 3, 1, false, config.norm,
                             groups);
        initXavier(lateral_.back());
        initXavier(output_.back());
        laterals->push_back(lateral_.back());
        outputs->push_back(output_.back());
    }
    register_module("lateral_convs", laterals);
    register_module("fpn_convs", outputs);
}

std::vector<torch::Tensor> FpnImpl::forward(const std::vector<torch::Tensor>& inputs) {
    const size_t n = lateral_.size();
    std::vector<torch::Tensor> lat(n);
    for (size_t i = 0; i < n; ++i) lat[i] = lateral_[i]->forward(inputs[i]);
    for (size_t i = n - 1; i > 0; --i)
        lat[i - 1] =
            lat[i - 1] + at::upsample_nearest2d(lat[i], {lat[i - 1].size(2), lat[i - 1].size(3)});
    std::vector<torch::Tensor> outs;
    for (size_t i = 0; i < n; ++i) outs.push_back(output_[i]->forward(lat[i]));
    while (static_cast<int>(outs.size()) < config_.numOutputs)
        outs.push_back(at::max_pool2d(outs.back(), {1, 1}, {2, 2}));
    return outs;
}

}  // namespace zsi::model
