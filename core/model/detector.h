#pragma once
// ZsiDetector: ResNet + FPN + BA-RPN + Zero-shot Detector + Semantic Mask Head, with
// submodule names mirroring the reference checkpoint keys (backbone., neck., rpn_head.,
// bbox_head., mask_head.). Model-internal (torch); the app reaches it through the engine.
//
// Staged inference (batch 1), so that a caching engine keeps what depends on the image only:
//   preprocess -> features -> rpn -> boxSemantics -> [scoreDetections -> maskSemantics ->
//   maskProbabilitiesFromEncoder]; detect() composes them. The vocabulary enters at
//   scoreDetections.
// The modules themselves take batches (training).
#include "model/box_coder.h"
#include "model/modules.h"
#include "model/stages.h"

#include <opencv2/core/mat.hpp>

#include <string>
#include <utility>
#include <vector>

namespace zsi::model {

// Raw class matrices, D x (1 + n), column 0 the background vector in both.
struct ClassMatrices {
    at::Tensor Ws;
    at::Tensor Wu;
};

class ZsiDetectorImpl : public torch::nn::Module {
public:
    explicit ZsiDetectorImpl(const ModelConfig& config);

    const ModelConfig& config() const { return config_; }

    // --- fixed semantic inputs (not parameters; not in the reference state dict) ---
    // seen: D x S class vectors in label order; initialBackground: D (e.g. mean of all class
    // vectors). For a fresh model (initRpnBackground) also writes the initial background into
    // the background rows of rpn_head.vec_fb and W_s into the Ws-Conv filters; a loaded model
    // keeps the filters it was saved with.
    void setSeenClassVectors(const at::Tensor& seen, const at::Tensor& initialBackground,
                             bool initRpnBackground = false);
    void setVoc(const at::Tensor& voc);
    const at::Tensor& seenClassVectors() const { return seen_; }
    const at::Tensor& initialBackground() const { return initialBackground_; }
    const at::Tensor& voc() const;

    // V_b (D): mean of the background rows of rpn_head.vec_fb, no gradient.
    at::Tensor backgroundVector() const;
    // Sync-bg for training: the background in force (V_b when config.inference.syncBackground,
    // else the initial vector) and the seen vectors written into the Ws-Conv filters, no grad.
    // Inference never writes them (resolveMaskClassMatrices applies Sync-bg on the fly), so an
    // imported checkpoint's filters survive for export.
    void syncBackground();
    // W_s as the model uses it now: D x (1 + S), column 0 the background in force.
    at::Tensor seenMatrix() const;

    // The box head's class matrices for a vocabulary: background = vocabulary.background if
    // given, else V_b (options.syncBackground) or the initial vector; seen defaults to the
    // model's. Throws Error(DimensionMismatch) when a vector's dimension is not D.
    ClassMatrices resolveClassMatrices(const ScoringVocabulary& vocabulary,
                                       const InferenceSettings& options) const;
    // The mask head's: seen columns from its Ws-Conv filters (conv_vec, as trained or
    // imported: the reference loads them from the checkpoint, not from the vector file),
    // background = vocabulary.background if given, else V_b when options.maskSyncBackground(),
    // else the filter's own background row; unseen as for the box head.
    ClassMatrices resolveMaskClassMatrices(const ScoringVocabulary& vocabulary,
                                           const InferenceSettings& options) const;

    // --- stages ---
    // resolution < 1 shrinks the model's input size (provisional results).
    PreparedInput preprocess(const cv::Mat& rgb, double resolution = 1.0) const;
    // (2) FPN levels P2..P6 for an (N, 3, H, W) input.
    std::vector<at::Tensor> features(const at::Tensor& image);

    // Inference copies only (the engine's): the backbone's BatchNorms folded into their convs
    // (ResNetImpl::foldBatchNorms); returns how many. Outputs stay equal to float rounding; the
    // module then no longer has the reference key layout, so bundles and training never see it.
    int foldBatchNormsForInference() { return backbone->foldBatchNorms(); }
    // (3) proposals of image 0 (resized-image coordinates), objectness, bg maps, V_b.
    // maxProposals > 0 caps the configuration's per-level and total counts (fast passes).
    RpnResult rpn(const std::vector<at::Tensor>& features, int imageH, int imageW,
                  int maxProposals = 0);
    // (4) box-head semantics of the proposals (K, 4) of image 0.
    BoxSemantics boxSemantics(const std::vector<at::Tensor>& features, const at::Tensor& proposals,
                              int imageH, int imageW);
    // (5) Mask stage for boxes (N, 4) of image 0. maskEncoderFeatures gives y (N, D, M, M),
    // the mask head's encoder output before kernel_semantic: the tensor to cache per box.
    // maskProbabilitiesFromEncoder scores y for any vocabulary through the folded kernel_semantic
    // (one D -> 1 conv per box), equal to scoring the full semantic map at a fraction of the cost.
    at::Tensor maskEncoderFeatures(const std::vector<at::Tensor>& features,
                                   const at::Tensor& boxes);
    // The full semantic maps kernel_semantic(y), (N, D, M, M): each pixel a word-vector-like
    // vector (for visualisation and training).
    at::Tensor maskSemantics(const std::vector<at::Tensor>& features, const at::Tensor& boxes);
    at::Tensor semanticFromEncoder(const at::Tensor& encoderFeatures);
    // Scoring + decoding + NMS: detections in resized coordinates without masks.
    Detections scoreDetections(const BoxSemantics& box, const at::Tensor& proposals,
                               const ScoringVocabulary& vocabulary,
                               const InferenceSettings& options, int imageH, int imageW,
                               double scale);
    // Mask probabilities (N, M, M) of the detections' labels from full semantic maps
    // (maskSemantics; the plain formula sigmoid(f^T x)) ...
    at::Tensor maskProbabilities(const at::Tensor& semanticMaps, const at::Tensor& labels,
                                 const ScoringVocabulary& vocabulary,
                                 const InferenceSettings& options);
    // ... or, with the same result, from maskEncoderFeatures through the folded
    // kernel_semantic (fast path; detect() uses it).
    at::Tensor maskProbabilitiesFromEncoder(const at::Tensor& encoderFeatures,
                                            const at::Tensor& labels,
                                            const ScoringVocabulary& vocabulary,
                                            const InferenceSettings& options);
    // The same in two steps, so a caller can tell which detections' masks cannot have changed:
    // the class filter (N, D) of each label under this vocabulary (Sync-bg and the scoring
    // rule applied), then the probabilities of encoder features for given filters.
    at::Tensor maskFilters(const at::Tensor& labels, const ScoringVocabulary& vocabulary,
                           const InferenceSettings& options);
    at::Tensor maskProbabilitiesFromFilters(const at::Tensor& encoderFeatures,
                                            const at::Tensor& filters);
    // The whole pipeline in one call; boxes in original-image coordinates.
    Detections detect(const PreparedInput& input, const ScoringVocabulary& vocabulary,
                      const InferenceSettings& options);
    Detections detect(const cv::Mat& rgb, const ScoringVocabulary& vocabulary,
                      const InferenceSettings& options);

    // Anchors per level for the given feature maps (training and proposals).
    std::vector<at::Tensor> anchors(const std::vector<at::Tensor>& features) const;

    // --- shared by inference and training (one place each) ---
    // The box head's delta coding (target means and stds of the config).
    DeltaCoding boxDeltaCoding() const;
    // Multi-level RoIAlign (torchvision's MultiScaleRoIAlign): each RoI (K, 5: batch index,
    // x1, y1, x2, y2 in resized-image pixels) pooled from the FPN level its size maps to, at
    // the box head's size (boxRoiFeatures) or the mask head's (maskRoiFeatures).
    at::Tensor boxRoiFeatures(const std::vector<at::Tensor>& features,
                              const at::Tensor& rois) const;
    at::Tensor maskRoiFeatures(const std::vector<at::Tensor>& features,
                               const at::Tensor& rois) const;

    ResNet backbone{nullptr};
    Fpn neck{nullptr};
    BackgroundAwareRpn rpn_head{nullptr};
    SemanticBoxHead bbox_head{nullptr};
    SemanticMaskHead mask_head{nullptr};

private:
    // The strides of the levels RoIs are pooled from (P2..P5: the backbone's outputs; the
    // extra P6 serves the RPN only).
    std::vector<int> roiStrides() const;

    ModelConfig config_;
    at::Tensor seen_;               // D x S
    at::Tensor initialBackground_;  // D
    std::vector<at::Tensor> baseAnchors_;
};
TORCH_MODULE(ZsiDetector);

// Every parameter and buffer as (name, tensor), module by module in definition order.
std::vector<std::pair<std::string, at::Tensor>> stateEntries(const torch::nn::Module& module);
// "name (d0, d1, ...)" as in the reference key lists; scalars "name ()".
std::string formatStateEntry(const std::string& name, const at::Tensor& t);
// Number of elements over all parameters (buffers excluded).
int64_t parameterCount(const torch::nn::Module& module);

}  // namespace zsi::model
