#include "model/detector.h"

#include "model/box_coder.h"
#include "model/postprocess.h"
#include "model/preprocess.h"
#include "model/scoring.h"
#include "util/error.h"

#include <algorithm>
#include <cstddef>
#include <sstream>

namespace zsi::model {
namespace {

void checkDim(const at::Tensor& t, int64_t D, const char* what, bool matrix) {
    const bool ok = matrix ? (t.dim() == 2 && t.size(0) == D) : (t.dim() == 1 && t.size(0) == D);
    if (!ok) {
        std::ostringstream found;
        found << t.sizes();
        throw Error(ErrorCode::DimensionMismatch,
                    std::string(what) + " must have dimension " + std::to_string(D) + " (found " +
                        found.str() + ")",
                    {{"what", what}, {"expected", std::to_string(D)}, {"found", found.str()}});
    }
}

at::Tensor withBatchIndex(const at::Tensor& boxes) {
    return at::cat({at::zeros({boxes.size(0), 1}, boxes.options()), boxes}, 1).contiguous();
}

}  // namespace

ZsiDetectorImpl::ZsiDetectorImpl(const ModelConfig& config) : config_(config) {
    config_.validate();
    const int D = config.semanticDim, S = config.numSeen;
    const int groups = config.backbone.groupNormGroups;
    backbone = register_module("backbone", ResNet(config.backbone));
    neck = register_module("neck", Fpn(backbone->outChannels(), config.neck, groups));
    rpn_head = register_module(
        "rpn_head", BackgroundAwareRpn(config.neck.outChannels, config.rpn.featChannels, D,
                                       config.anchors.numAnchors()));
    bbox_head =
        register_module("bbox_head", SemanticBoxHead(config.neck.outChannels, config.roi.boxSize,
                                                     config.boxHead, D, S, config.vocSize));
    mask_head = register_module(
        "mask_head", SemanticMaskHead(config.neck.outChannels, config.maskHead, D, S, groups));
    for (int stride : config.anchors.strides)
        baseAnchors_.push_back(
            baseAnchors(stride, config.anchors.scales, config.anchors.ratios, config.geometry));
    // Until real class vectors arrive: zero background, unit basis-like seen vectors.
    seen_ = at::zeros({D, S});
    initialBackground_ = at::zeros({D});
    syncBackground();
}

void ZsiDetectorImpl::setSeenClassVectors(const at::Tensor& seen, const at::Tensor& initial,
                                          bool initRpnBackground) {
    checkDim(seen, config_.semanticDim, "seen class vectors", true);
    checkDim(initial, config_.semanticDim, "initial background vector", false);
    if (seen.size(1) != config_.numSeen)
        throw Error(ErrorCode::DimensionMismatch,
                    "the model has " + std::to_string(config_.numSeen) + " seen classes, got " +
                        std::to_string(seen.size(1)),
                    {{"what", "seen classes"},
                     {"expected", std::to_string(config_.numSeen)},
                     {"found", std::to_string(seen.size(1))}});
    seen_ = seen.detach().to(at::kFloat).contiguous().clone();
    initialBackground_ = initial.detach().to(at::kFloat).contiguous().clone();
    if (initRpnBackground) {
        rpn_head->initBackgroundRows(initialBackground_);
        syncBackground();
    }
}

void ZsiDetectorImpl::setVoc(const at::Tensor& voc) {
    bbox_head->setVoc(voc);
}
const at::Tensor& ZsiDetectorImpl::voc() const {
    return bbox_head->voc();
}

at::Tensor ZsiDetectorImpl::backgroundVector() const {
    return rpn_head->backgroundVector();
}

at::Tensor ZsiDetectorImpl::seenMatrix() const {
    const at::Tensor bg =
        config_.inference.syncBackground ? backgroundVector() : initialBackground_;
    return scoring::withBackground(bg, seen_);
}

void ZsiDetectorImpl::syncBackground() {
    mask_head->setSeenFilters(seenMatrix());
}

ClassMatrices ZsiDetectorImpl::resolveClassMatrices(const ScoringVocabulary& v,
                                                    const InferenceSettings& options) const {
    const int64_t D = config_.semanticDim;
    const at::Tensor seen = v.seen.defined() ? v.seen.to(at::kFloat) : seen_;
    checkDim(seen, D, "seen class vectors", true);
    const at::Tensor unseen = v.unseen.defined() ? v.unseen.to(at::kFloat) : at::zeros({D, 0});
    checkDim(unseen, D, "unseen class vectors", true);
    at::Tensor bg;
    if (v.background.defined())
        bg = v.background.to(at::kFloat);
    else
        bg = options.syncBackground ? backgroundVector() : initialBackground_;
    checkDim(bg, D, "background vector", false);
    return {scoring::withBackground(bg, seen), scoring::withBackground(bg, unseen)};
}

ClassMatrices ZsiDetectorImpl::resolveMaskClassMatrices(const ScoringVocabulary& v,
                                                        const InferenceSettings& options) const {
    const int64_t D = config_.semanticDim;
    const at::Tensor filters = mask_head->conv_vec->weight.detach().flatten(1).t();  // D x (1 + S)
    const at::Tensor seen = v.seen.defined() ? v.seen.to(at::kFloat) : filters.slice(1, 1);
    checkDim(seen, D, "seen class vectors", true);
    const at::Tensor unseen = v.unseen.defined() ? v.unseen.to(at::kFloat) : at::zeros({D, 0});
    checkDim(unseen, D, "unseen class vectors", true);
    at::Tensor bg;
    if (v.background.defined())
        bg = v.background.to(at::kFloat);
    else
        bg = options.maskSyncBackground() ? backgroundVector() : filters.select(1, 0);
    checkDim(bg, D, "background vector", false);
    return {scoring::withBackground(bg, seen), scoring::withBackground(bg, unseen)};
}

PreparedInput ZsiDetectorImpl::preprocess(const cv::Mat& rgb, double resolution) const {
    PreprocessConfig c = config_.preprocess;
    if (resolution != 1.0) {
        // A smaller input box, never below one FPN stride block (the pad divisor).
        c.maxLongSide = std::max(c.padDivisor, static_cast<int>(c.maxLongSide * resolution + 0.5));
        c.maxShortSide =
            std::max(c.padDivisor, static_cast<int>(c.maxShortSide * resolution + 0.5));
    }
    return preprocessImage(rgb, c);
}

std::vector<at::Tensor> ZsiDetectorImpl::features(const at::Tensor& image) {
    return neck->forward(backbone->forward(image));
}

std::vector<at::Tensor> ZsiDetectorImpl::anchors(const std::vector<at::Tensor>& features) const {
    std::vector<at::Tensor> out;
    for (size_t l = 0; l < features.size() && l < baseAnchors_.size(); ++l)
        out.push_back(gridAnchors(baseAnchors_[l].to(features[l].device()), features[l].size(2),
                                  features[l].size(3), config_.anchors.strides[l]));
    return out;
}

RpnResult ZsiDetectorImpl::rpn(const std::vector<at::Tensor>& features, int imageH, int imageW,
                               int maxProposals) {
    const auto out = rpn_head->forward(features);
    ProposalConfig pc = is_training() ? config_.rpn.train : config_.rpn.test;
    if (maxProposals > 0) {
        const auto cap = [&](int& v) { v = v > 0 ? std::min(v, maxProposals) : maxProposals; };
        cap(pc.preNmsPerLevel);
        cap(pc.postNmsPerLevel);
        cap(pc.maxTotal);
    }
    const Proposals p =
        generateProposals(out, anchors(features), 0, pc, imageH, imageW, config_.geometry);
    RpnResult r;
    r.proposals = p.boxes.detach();
    r.objectness = p.objectness.detach();
    for (const auto& m : backgroundProbabilityMaps(out.logits))
        r.backgroundProbMaps.push_back(m[0].detach());
    r.vb = backgroundVector();
    return r;
}

DeltaCoding ZsiDetectorImpl::boxDeltaCoding() const {
    DeltaCoding d;
    for (int i = 0; i < 4; ++i) {
        d.means[i] = config_.boxHead.targetMeans[i];
        d.stds[i] = config_.boxHead.targetStds[i];
    }
    return d;
}

std::vector<int> ZsiDetectorImpl::roiStrides() const {
    const auto& s = config_.anchors.strides;
    const size_t levels = std::min(backbone->outChannels().size(), s.size());
    return std::vector<int>(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(levels));
}

at::Tensor ZsiDetectorImpl::boxRoiFeatures(const std::vector<at::Tensor>& features,
                                           const at::Tensor& rois) const {
    return extractRoiFeatures(features, roiStrides(), rois, config_.roi.boxSize,
                              config_.roi.samplingRatio, config_.roi.finestScale, config_.geometry);
}

at::Tensor ZsiDetectorImpl::maskRoiFeatures(const std::vector<at::Tensor>& features,
                                            const at::Tensor& rois) const {
    return extractRoiFeatures(features, roiStrides(), rois, config_.roi.maskSize,
                              config_.roi.samplingRatio, config_.roi.finestScale, config_.geometry);
}

BoxSemantics ZsiDetectorImpl::boxSemantics(const std::vector<at::Tensor>& features,
                                           const at::Tensor& proposals, int imageH, int imageW) {
    const auto out = bbox_head->forward(boxRoiFeatures(features, withBatchIndex(proposals)));
    BoxSemantics b;
    b.e = out.e;
    b.deltas = out.deltas;
    b.seenProbs = b.e.mm(bbox_head->classMatrix(seenMatrix().to(b.e.options()))).softmax(1);
    b.agnosticBoxes = decodeDeltas(proposals, scoring::pWeightedDeltas(b.seenProbs, b.deltas),
                                   boxDeltaCoding(), imageH, imageW, config_.geometry);
    return b;
}

at::Tensor ZsiDetectorImpl::maskEncoderFeatures(const std::vector<at::Tensor>& features,
                                                const at::Tensor& boxes) {
    return mask_head->encoderFeatures(maskRoiFeatures(features, withBatchIndex(boxes)));
}

at::Tensor ZsiDetectorImpl::semanticFromEncoder(const at::Tensor& encoderFeatures) {
    return mask_head->semanticFromEncoder(encoderFeatures);
}

at::Tensor ZsiDetectorImpl::maskSemantics(const std::vector<at::Tensor>& features,
                                          const at::Tensor& boxes) {
    return semanticFromEncoder(maskEncoderFeatures(features, boxes));
}

Detections ZsiDetectorImpl::scoreDetections(const BoxSemantics& box, const at::Tensor& proposals,
                                            const ScoringVocabulary& vocabulary,
                                            const InferenceSettings& options, int imageH,
                                            int imageW, double scale) {
    const ClassMatrices m = resolveClassMatrices(vocabulary, options);
    return decodeDetections(box, proposals, bbox_head->classMatrix(m.Ws),
                            bbox_head->classMatrix(m.Wu), options, imageH, imageW, scale,
                            config_.geometry, boxDeltaCoding());
}

at::Tensor ZsiDetectorImpl::maskProbabilities(const at::Tensor& semanticMaps,
                                              const at::Tensor& labels,
                                              const ScoringVocabulary& vocabulary,
                                              const InferenceSettings& options) {
    const ClassMatrices m = resolveMaskClassMatrices(vocabulary, options);
    return scoring::maskProbabilities(semanticMaps,
                                      scoring::maskFilters(labels, m.Ws, m.Wu, options.scoring));
}

at::Tensor ZsiDetectorImpl::maskProbabilitiesFromEncoder(const at::Tensor& encoderFeatures,
                                                         const at::Tensor& labels,
                                                         const ScoringVocabulary& vocabulary,
                                                         const InferenceSettings& options) {
    return maskProbabilitiesFromFilters(encoderFeatures, maskFilters(labels, vocabulary, options));
}

at::Tensor ZsiDetectorImpl::maskFilters(const at::Tensor& labels,
                                        const ScoringVocabulary& vocabulary,
                                        const InferenceSettings& options) {
    const ClassMatrices m = resolveMaskClassMatrices(vocabulary, options);
    return scoring::maskFilters(labels, m.Ws, m.Wu, options.scoring);
}

at::Tensor ZsiDetectorImpl::maskProbabilitiesFromFilters(const at::Tensor& encoderFeatures,
                                                         const at::Tensor& filters) {
    return mask_head->filterLogitsFromEncoder(encoderFeatures, filters).sigmoid();
}

Detections ZsiDetectorImpl::detect(const PreparedInput& input, const ScoringVocabulary& vocabulary,
                                   const InferenceSettings& options) {
    torch::NoGradGuard noGrad;
    const auto feats = features(input.image);
    const RpnResult r = rpn(feats, input.resizedH, input.resizedW);
    const BoxSemantics b = boxSemantics(feats, r.proposals, input.resizedH, input.resizedW);
    Detections d = scoreDetections(b, r.proposals, vocabulary, options, input.resizedH,
                                   input.resizedW, input.scale);
    d.masks = maskProbabilitiesFromEncoder(maskEncoderFeatures(feats, d.resizedBoxes), d.labels,
                                           vocabulary, options);
    return d;
}

Detections ZsiDetectorImpl::detect(const cv::Mat& rgb, const ScoringVocabulary& vocabulary,
                                   const InferenceSettings& options) {
    return detect(preprocess(rgb), vocabulary, options);
}

std::vector<std::pair<std::string, at::Tensor>> stateEntries(const torch::nn::Module& module) {
    std::vector<std::pair<std::string, at::Tensor>> out;
    auto add = [&](const std::string& prefix, const torch::nn::Module& m) {
        for (const auto& p : m.named_parameters(false))
            out.emplace_back(prefix.empty() ? p.key() : prefix + "." + p.key(), p.value());
        for (const auto& b : m.named_buffers(false))
            out.emplace_back(prefix.empty() ? b.key() : prefix + "." + b.key(), b.value());
    };
    add("", module);
    for (const auto& item : module.named_modules("", /*include_self=*/false))
        add(item.key(), *item.value());
    return out;
}

std::string formatStateEntry(const std::string& name, const at::Tensor& t) {
    std::string s = name + " (";
    for (int64_t i = 0; i < t.dim(); ++i) s += (i ? ", " : "") + std::to_string(t.size(i));
    return s + ")";
}

int64_t parameterCount(const torch::nn::Module& module) {
    int64_t n = 0;
    for (const auto& p : module.parameters()) n += p.numel();
    return n;
}

}  // namespace zsi::model
