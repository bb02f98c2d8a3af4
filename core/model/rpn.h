#pragma once
// Background-Aware RPN (BA-RPN, checkpoint prefix rpn_head.): per FPN level
//   rpn_conv 3x3 + ReLU -> rpn_cls_conv_T 1x1 to D (the semantic transform T)
//   -> vec_fb 1x1 D -> 2A, no bias (the background/foreground word vectors W_bf);
//   rpn_reg 1x1 -> 4A.
// Logit channel 2a is background, 2a+1 foreground; softmax over each pair.
// V_b = mean of the background rows (0, 2, 4, ...) of vec_fb, taken without gradient.
#include "model/model_config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>

#include <vector>

namespace zsi::model {

class BackgroundAwareRpnImpl : public torch::nn::Module {
public:
    BackgroundAwareRpnImpl(int inChannels, int featChannels, int semanticDim, int numAnchors);

    struct Output {
        std::vector<torch::Tensor> logits;  // per level (N, 2A, H, W)
        std::vector<torch::Tensor> deltas;  // per level (N, 4A, H, W)
    };
    Output forward(const std::vector<torch::Tensor>& features);

    // V_b (D), detached.
    torch::Tensor backgroundVector() const;
    // Writes `background` (D) into every background row of vec_fb (its initialisation).
    void initBackgroundRows(const torch::Tensor& background);

    int numAnchors() const { return numAnchors_; }

    torch::nn::Conv2d rpn_conv{nullptr}, rpn_cls_conv_T{nullptr}, vec_fb{nullptr}, rpn_reg{nullptr};

private:
    int numAnchors_;
};
TORCH_MODULE(BackgroundAwareRpn);

// Per-level maps of p(background), max over the anchors at each location: (N, H, W) each.
std::vector<torch::Tensor> backgroundProbabilityMaps(const std::vector<torch::Tensor>& logits);

struct Proposals {
    torch::Tensor boxes;       // (K, 4) in the resized image's coordinates
    torch::Tensor objectness;  // (K) p(foreground)
};

// MMDetection v1 RPN proposal generation for image `n` of the batch: per level top-k by
// objectness -> decode -> (min size) -> NMS -> per-level keep; then top-k overall.
Proposals generateProposals(const BackgroundAwareRpnImpl::Output& out,
                            const std::vector<torch::Tensor>& anchorsPerLevel, int64_t n,
                            const ProposalConfig& config, int imageH, int imageW,
                            GeometryVariant geometry);

}  // namespace zsi::model
