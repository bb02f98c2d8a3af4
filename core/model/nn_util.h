#pragma once
// Small building blocks shared by the backbone, neck and heads (model-internal: torch).
#include "model/model_config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/any.h>
#include <torch/nn/modules/conv.h>

#include <string>

namespace zsi::model {

// A normalisation layer over `channels`, or an empty AnyModule for NormKind::None.
// FrozenBatchNorm is a BatchNorm2d that keepFrozenNormsInEval() holds in eval mode.
torch::nn::AnyModule makeNorm(NormKind kind, int channels, int groups);

// Sets every BatchNorm2d under `module` to eval mode (frozen running statistics).
void keepBatchNormsInEval(torch::nn::Module& module);

// Stops gradients into every parameter of `module` (frozen stages, fixed filters).
void freezeParameters(torch::nn::Module& module);

// mmcv's ConvModule: conv (+ norm named "gn"/"bn") (+ ReLU). The conv has a bias only when
// there is no norm, so checkpoint keys read `<name>.conv.weight` / `<name>.conv.bias`.
class ConvModuleImpl : public torch::nn::Module {
public:
    ConvModuleImpl(int in, int out, int kernel, int padding, bool relu,
                   NormKind norm = NormKind::None, int groups = 32);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Conv2d conv{nullptr};

private:
    torch::nn::AnyModule norm_;
    bool relu_;
};
TORCH_MODULE(ConvModule);

// The conv that gives what `conv` followed by the BatchNorm2d `norm` (eval mode: its running
// statistics) gives: weight scaled per output channel, with a bias. For inference copies only
// (the folded conv has a "bias" the reference key layout does not have). Empty (nullptr
// holder) when `norm` is no BatchNorm2d.
torch::nn::Conv2d foldBatchNorm(const torch::nn::Conv2dImpl& conv, torch::nn::Module& norm);

// Kaiming-normal (fan_out) for convs, as torchvision's ResNet; biases to zero.
void initConvKaiming(torch::nn::Conv2d& conv);

}  // namespace zsi::model
