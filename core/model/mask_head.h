#pragma once
// Semantic Mask Head (checkpoint prefix mask_head.):
//   convs.0..n-1: 3x3 conv + ReLU. The reference applies each to the RoI feature, so only
//                 the last one affects the output (MaskHeadConfig::chainConvs = false);
//   upsample: ConvTranspose 2x2 stride 2 + ReLU -> m (C x 2R x 2R);
//   encoder E: convT 3x3 C -> D + ReLU, kernel_semantic 3x3 D -> D: the semantic map;
//   Ws-Conv: conv_vec, a fixed 1x1 conv whose filters are the columns of W_s (row 0 = the
//            background, synchronised with V_b);
//   decoder D (training): d_kernel_semantic 3x3 D -> D, dconvT 3x3 D -> C + ReLU
//            reconstructs m.
#include "model/model_config.h"
#include "model/nn_util.h"

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>

#include <vector>

namespace zsi::model {

class SemanticMaskHeadImpl : public torch::nn::Module {
public:
    SemanticMaskHeadImpl(int inChannels, const MaskHeadConfig& config, int semanticDim, int numSeen,
                         int groups);

    struct Output {
        torch::Tensor m;         // (N, C, 2R, 2R) upsampled features
        torch::Tensor semantic;  // (N, D, 2R, 2R) semantic map
    };
    Output forward(const torch::Tensor& roiFeatures);

    // Fast inference path. The semantic map is kernel_semantic(y) with y = ReLU(convT(m)), and
    // kernel_semantic is linear, so f^T . semantic = (f^T K) * y + f^T b: one D -> 1 conv per
    // RoI instead of a D -> D conv. y ("encoder features") is what a cache keeps.
    torch::Tensor encoderFeatures(const torch::Tensor& roiFeatures);
    torch::Tensor semanticFromEncoder(const torch::Tensor& y);
    // Logits f_n^T . semantic_n per pixel from y (N, D, 2R, 2R) and filters (N, D).
    torch::Tensor filterLogitsFromEncoder(const torch::Tensor& y, const torch::Tensor& filters);

    // Ws-Conv logits (N, 1 + S, 2R, 2R).
    torch::Tensor seenLogits(const torch::Tensor& semantic);
    // Reconstruction of m from the semantic map (decoder D, training only).
    torch::Tensor reconstruct(const torch::Tensor& semantic);
    // Writes W_s (D x (1 + S)) into the fixed Ws-Conv filters.
    void setSeenFilters(const torch::Tensor& Ws);

    ConvModule convT{nullptr}, dconvT{nullptr};
    torch::nn::ConvTranspose2d upsample{nullptr};
    torch::nn::Conv2d kernel_semantic{nullptr}, d_kernel_semantic{nullptr}, conv_vec{nullptr};

private:
    MaskHeadConfig config_;
    std::vector<ConvModule> convs_;
};
TORCH_MODULE(SemanticMaskHead);

}  // namespace zsi::model
