#pragma once
// ResNet 18/34/50/101 in torchvision's layout and parameter names (conv1, bn1,
// layer1..4.{i}.conv1..3 / bn1..3 / downsample.{0,1}); stride on the 3x3 conv (the "pytorch"
// style of MMDetection). Returns C2..C5. Model-internal header (torch).
#include "model/model_config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/any.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>

#include <vector>

namespace zsi::model {

class ResNetImpl : public torch::nn::Module {
public:
    explicit ResNetImpl(const BackboneConfig& config);

    // x: (N, 3, H, W) -> {C2, C3, C4, C5} at strides 4, 8, 16, 32.
    std::vector<torch::Tensor> forward(const torch::Tensor& x);

    // Output channels of C2..C5.
    const std::vector<int>& outChannels() const { return outChannels_; }

    // Keeps frozen BatchNorm statistics frozen whatever mode the detector is put in.
    void train(bool on = true) override;

    // Inference copies: every BatchNorm folded into the conv before it (model::foldBatchNorm
    // in nn_util.h); the norms become identities. Returns how many were folded (0 for
    // GroupNorm backbones). The module no longer has the reference key layout afterwards.
    int foldBatchNorms();

private:
    BackboneConfig config_;
    torch::nn::Conv2d conv1_{nullptr};
    torch::nn::AnyModule bn1_;
    std::vector<torch::nn::Sequential> layers_;
    std::vector<int> outChannels_;
};
TORCH_MODULE(ResNet);

}  // namespace zsi::model
