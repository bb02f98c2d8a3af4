#pragma once
// Feature pyramid (MMDetection v1 FPN): 1x1 lateral convs, nearest top-down upsampling,
// 3x3 output convs, extra levels by max-pool(kernel 1, stride 2). No activation.
// Checkpoint names: neck.lateral_convs.{i}.conv.*, neck.fpn_convs.{i}.conv.*.
#include "model/model_config.h"
#include "model/nn_util.h"

#include <torch/nn/modules/container/modulelist.h>

#include <vector>

namespace zsi::model {

class FpnImpl : public torch::nn::Module {
public:
    FpnImpl(const std::vector<int>& inChannels, const NeckConfig& config, int groups);

    // {C2..C5} -> {P2..P(1+numOutputs)}.
    std::vector<torch::Tensor> forward(const std::vector<torch::Tensor>& inputs);

private:
    NeckConfig config_;
    std::vector<ConvModule> lateral_;
    std::vector<ConvModule> output_;
};
TORCH_MODULE(Fpn);

}  // namespace zsi::model
