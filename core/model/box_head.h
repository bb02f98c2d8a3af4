#pragma once
// Zero-shot Detector box head (checkpoint prefix bbox_head.):
//   h = ReLU(shared_fcs.*) over the flattened RoI feature;
//   s = fc_semantic(h) (encoder T_e, 1024 -> D);
//   K > 0: e = kernel_semantic(s . VOC)  (VOC a fixed D x K word-vector matrix);
//   K = 0 (VOC-free, the reference's fallback): e = s and the class matrix becomes
//          tanh(kernel_semantic(W^T))^T, i.e. logits = s . tanh(kernel_semantic(W_s)).
//   logits = e . classMatrix(W_s); fc_reg: class-specific deltas 4 (1 + S).
// Decoder T_d (training): d_fc_semantic(d_kernel_semantic(e) . VOC^T) reconstructs h
// (K = 0: d_fc_semantic(e); there is no d_kernel_semantic). fc_res is kept for checkpoint
// compatibility and unused, as in the reference.
#include "model/model_config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>

#include <vector>

namespace zsi::model {

class SemanticBoxHeadImpl : public torch::nn::Module {
public:
    SemanticBoxHeadImpl(int inChannels, int roiSize, const BoxHeadConfig& config, int semanticDim,
                        int numSeen, int vocSize);

    struct Output {
        torch::Tensor h;       // (K, fcDim)
        torch::Tensor e;       // (K, D) semantic feature
        torch::Tensor deltas;  // (K, 4 (1 + S))
    };
    Output forward(const torch::Tensor& roiFeatures);

    // The matrix that semantic features are multiplied with, for class columns W (D x n).
    torch::Tensor classMatrix(const torch::Tensor& W);
    // Reconstruction of h from e (decoder T_d, training only).
    torch::Tensor reconstruct(const torch::Tensor& e);

    // The fixed D x K VOC matrix (not a parameter, not in the reference state dict).
    void setVoc(const torch::Tensor& voc);
    const torch::Tensor& voc() const { return voc_; }
    int vocSize() const { return vocSize_; }

    torch::nn::Linear fc_semantic{nullptr}, kernel_semantic{nullptr}, d_kernel_semantic{nullptr},
        d_fc_semantic{nullptr}, fc_reg{nullptr}, fc_res{nullptr};

private:
    std::vector<torch::nn::Linear> sharedFcs_;
    int vocSize_;
    torch::Tensor voc_;
};
TORCH_MODULE(SemanticBoxHead);

}  // namespace zsi::model
