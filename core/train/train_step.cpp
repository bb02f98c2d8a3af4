#include "train/train_step.h"

#include "model/box_coder.h"
#include "model/rpn.h"
#include "train/losses.h"

#include <torch/torch.h>

#include <chrono>

namespace zsi::train {
namespace {

struct RoiSample {
    at::Tensor rois;                       // (K, 5) batch index + box
    at::Tensor labels;                     // (K) 0..S
    at::Tensor targets;                    // (K, 4) encoded (rows of negatives are unused)
    at::Tensor positive;                   // (K) bool
    std::vector<int64_t> maskRows;         // positive rows (local) the mask branch trains on
    std::vector<const cv::Mat*> posMasks;  // one per mask row
};

}  // namespace

at::Tensor LossTerms::get(const std::string& name) const {
    for (const auto& [n, t] : terms)
        if (n == name) return t;
    return {};
}

at::Tensor insideAnchors(const at::Tensor& a, int h, int w, double border) {
    if (border < 0) return at::ones({a.size(0)}, a.options().dtype(at::kBool));
    return (a.select(1, 0) >= -border) & (a.select(1, 1) >= -border) &
           (a.select(1, 2) < w + border) & (a.select(1, 3) < h + border);
}

namespace {

// The RPN head's outputs of a batch, flattened location-major, anchor-minor like the anchors.
struct RpnOutputs {
    model::BackgroundAwareRpnImpl::Output raw;
    std::vector<at::Tensor> anchorsPerLevel;
    at::Tensor anchors;  // (M, 4)
    at::Tensor logits;   // (N, M, 2)
    at::Tensor deltas;   // (N, M, 4)
};

RpnOutputs runRpnHead(model::ZsiDetectorImpl& m, const std::vector<at::Tensor>& feats, int n) {
    RpnOutputs r;
    r.raw = m.rpn_head->forward(feats);
    r.anchorsPerLevel = m.anchors(feats);
    r.anchors = at::cat(r.anchorsPerLevel);
    // (N, 2A, H, W) -> (N, H W A, 2).
    std::vector<at::Tensor> logitList, deltaList;
    for (size_t l = 0; l < r.anchorsPerLevel.size(); ++l) {
        logitList.push_back(r.raw.logits[l].permute({0, 2, 3, 1}).reshape({n, -1, 2}));
        deltaList.push_back(r.raw.deltas[l].permute({0, 2, 3, 1}).reshape({n, -1, 4}));
    }
    r.logits = at::cat(logitList, 1);
    r.deltas = at::cat(deltaList, 1);
    return r;
}

// RPN loss: the BA-RPN's foreground / background classification (its background logit is the
// background word vector's response) and box regression, over the anchors sampled per image.
struct RpnLoss {
    at::Tensor cls, box;
    int64_t positives = 0;
};

RpnLoss rpnLoss(const model::ZsiDetectorImpl& m, const RpnOutputs& rpn, const TrainingBatch& batch,
                const LossSettings& s, Rng& rng) {
    const GeometryVariant geo = m.config().geometry;
    const ops::Geometry opsGeo = model::toOpsGeometry(geo);
    std::vector<at::Tensor> clsLogits, clsLabels, regPred, regTarget;
    int64_t samples = 0;
    RpnLoss out;
    const model::DeltaCoding rpnCoding;  // means 0, stds 1
    for (int i = 0; i < batch.size(); ++i) {
        const at::Tensor gt = batch.boxes[i];
        const at::Tensor valid = at::nonzero(insideAnchors(rpn.anchors, batch.heights[i],
                                                           batch.widths[i], s.allowedBorder))
                                     .view(-1);
        const at::Tensor va = rpn.anchors.index_select(0, valid);
        const at::Tensor iou =
            gt.size(0) ? ops::boxIou(va, gt, opsGeo) : at::zeros({va.size(0), 0}, va.options());
        const AssignResult as = assignMaxIou(iou, s.rpnAssigner);
        const SampleResult smp = sampleRandom(as, s.rpnSampler, rng);
        const at::Tensor pos = valid.index_select(0, smp.positive);
        const at::Tensor neg = valid.index_select(0, smp.negative);
        const at::Tensor idx = at::cat({pos, neg});
        clsLogits.push_back(rpn.logits[i].index_select(0, idx));
        clsLabels.push_back(at::cat(
            {at::ones({pos.size(0)}, idx.options()), at::zeros({neg.size(0)}, idx.options())}));
        if (pos.size(0)) {
            const at::Tensor gtIdx = as.assigned.index_select(0, smp.positive) - 1;
            regPred.push_back(rpn.deltas[i].index_select(0, pos));
            regTarget.push_back(model::encodeDeltas(rpn.anchors.index_select(0, pos),
                                                    gt.index_select(0, gtIdx), rpnCoding, geo));
        }
        samples += idx.size(0);
        out.positives += pos.size(0);
    }
    const double avg = static_cast<double>(samples);
    out.cls = rpnClassificationLoss(at::cat(clsLogits), at::cat(clsLabels), avg);
    out.box = regPred.empty()
                  ? rpn.deltas.sum() * 0
                  : regressionLoss(at::cat(regPred), at::cat(regTarget), s.rpnRegBeta, avg);
    return out;
}

// The RoIs the heads train on: proposals (no gradient) assigned to the ground truth and
// sampled per image, concatenated over the batch.
struct RoiBatch {
    at::Tensor rois;     // (K, 5) batch index + box
    at::Tensor labels;   // (K) 0..S
    at::Tensor targets;  // (K, 4) encoded (rows of negatives are unused)
    at::Tensor positiveRows;
    std::vector<int64_t> maskRows;      // rows the mask head trains on
    std::vector<const cv::Mat*> masks;  // one per mask row
};

RoiSample sampleImageRois(const model::ZsiDetectorImpl& m, const RpnOutputs& rpn,
                          const model::BackgroundAwareRpnImpl::Output& detached,
                          const TrainingBatch& batch, int i, const LossSettings& s, Rng& rng) {
    const ModelConfig& cfg = m.config();
    const GeometryVariant geo = cfg.geometry;
    const at::Tensor gt = batch.boxes[i];
    at::Tensor props =
        i < static_cast<int>(s.fixedProposals.size())
            ? s.fixedProposals[static_cast<size_t>(i)].to(gt.options())
            : model::generateProposals(detached, rpn.anchorsPerLevel, i, cfg.rpn.train,
                                       batch.heights[i], batch.widths[i], geo)
                  .boxes;
    if (s.addGtAsProposals) props = at::cat({gt.to(props.dtype()), props});
    const at::Tensor iou = gt.size(0) ? ops::boxIou(props, gt, model::toOpsGeometry(geo))
                                      : at::zeros({props.size(0), 0}, props.options());
    const AssignResult as = assignMaxIou(iou, s.rcnnAssigner);
    const SampleResult smp = sampleRandom(as, s.rcnnSampler, rng);
    const at::Tensor idx = at::cat({smp.positive, smp.negative});
    const at::Tensor boxes = props.index_select(0, idx);
    RoiSample r;
    r.rois = at::cat({at::full({idx.size(0), 1}, i, boxes.options()), boxes}, 1);
    const at::Tensor gtIdx = (as.assigned.index_select(0, smp.positive) - 1);
    const at::Tensor posLabels = batch.labels[i].index_select(0, gtIdx) + 1;
    r.labels = at::cat({posLabels, at::zeros({smp.negative.size(0)}, posLabels.options())});
    r.targets = at::zeros({idx.size(0), 4}, boxes.options());
    if (smp.positive.size(0))
        r.targets.slice(0, 0, smp.positive.size(0))
            .copy_(model::encodeDeltas(boxes.slice(0, 0, smp.positive.size(0)),
                                       gt.index_select(0, gtIdx), m.boxDeltaCoding(), geo));
    r.positive = at::arange(idx.size(0), idx.options()) < smp.positive.size(0);
    const at::Tensor gtIdxCpu = gtIdx.cpu();
    const int64_t numPos = gtIdxCpu.size(0);
    if (s.maskRoisPerImage > 0 && numPos > s.maskRoisPerImage) {
        r.maskRows = chooseIndices(numPos, s.maskRoisPerImage, rng);
    } else {
        for (int64_t k = 0; k < numPos; ++k) r.maskRows.push_back(k);
    }
    for (int64_t k : r.maskRows)
        r.posMasks.push_back(&batch.masks[i][static_cast<size_t>(gtIdxCpu[k].item<int64_t>())]);
    return r;
}

RoiBatch sampleRois(const model::ZsiDetectorImpl& m, const RpnOutputs& rpn,
                    const TrainingBatch& batch, const LossSettings& s, Rng& rng) {
    torch::NoGradGuard noGrad;
    model::BackgroundAwareRpnImpl::Output detached;
    for (size_t l = 0; l < rpn.raw.logits.size(); ++l) {
        detached.logits.push_back(rpn.raw.logits[l].detach());
        detached.deltas.push_back(rpn.raw.deltas[l].detach());
    }
    std::vector<at::Tensor> roiList, labelList, targetList, posList;
    RoiBatch out;
    int64_t offset = 0;
    for (int i = 0; i < batch.size(); ++i) {
        RoiSample r = sampleImageRois(m, rpn, detached, batch, i, s, rng);
        for (int64_t k : r.maskRows) out.maskRows.push_back(offset + k);
        offset += r.rois.size(0);
        roiList.push_back(r.rois);
        labelList.push_back(r.labels);
        targetList.push_back(r.targets);
        posList.push_back(r.positive);
        out.masks.insert(out.masks.end(), r.posMasks.begin(), r.posMasks.end());
    }
    out.rois = at::cat(roiList);
    out.labels = at::cat(labelList);
    out.targets = at::cat(targetList);
    out.positiveRows = at::nonzero(at::cat(posList)).view(-1);
    return out;
}

// Box head loss: classification against the seen class vectors (Sync-bg: W_s carries V_b or
// the initial vector in column 0), class-specific box regression, and the semantic
// decoder's reconstruction.
struct BoxHeadLoss {
    at::Tensor cls, reg, rec, h;  // h: the head's visual features (a zero of the graph)
};

BoxHeadLoss boxHeadLoss(model::ZsiDetectorImpl& m, const std::vector<at::Tensor>& feats,
                        const RoiBatch& r, const LossSettings& s) {
    const auto box = m.bbox_head->forward(m.boxRoiFeatures(feats, r.rois));
    const at::Tensor Ws = m.seenMatrix().to(box.e.options());
    BoxHeadLoss out;
    out.h = box.h;
    out.cls = boxClassificationLoss(box.e.mm(m.bbox_head->classMatrix(Ws)), r.labels);
    const at::Tensor posLabels = r.labels.index_select(0, r.positiveRows);
    out.reg =
        regressionLoss(classSpecificDeltas(box.deltas.index_select(0, r.positiveRows), posLabels),
                       r.targets.index_select(0, r.positiveRows), s.boxRegBeta,
                       static_cast<double>(r.rois.size(0)));
    out.rec = s.decoders ? s.reconstructionWeight *
                               reconstructionLoss(box.h, m.bbox_head->reconstruct(box.e))
                         : box.h.sum() * 0;
    return out;
}

// Mask head loss (sampled positive RoIs only): per-pixel binary cross-entropy of the
// semantic mask against the ground-truth class filter, and the decoder's reconstruction.
struct MaskHeadLoss {
    at::Tensor mask, rec;
};

MaskHeadLoss maskHeadLoss(model::ZsiDetectorImpl& m, const std::vector<at::Tensor>& feats,
                          const RoiBatch& r, const at::Tensor& zero, const LossSettings& s) {
    if (r.maskRows.empty()) return {zero, zero};
    const ModelConfig& cfg = m.config();
    const at::Tensor maskIdx = at::tensor(r.maskRows, r.positiveRows.options());
    const at::Tensor rois = r.rois.index_select(0, maskIdx);
    const auto mh = m.mask_head->forward(m.maskRoiFeatures(feats, rois));
    const at::Tensor logits = m.mask_head->seenLogits(mh.semantic);
    const at::Tensor tgt =
        maskTargets(rois.slice(1, 1, 5), r.masks, 2 * cfg.roi.maskSize, cfg.geometry)
            .to(logits.device());
    MaskHeadLoss out;
    out.mask = maskLoss(logits, r.labels.index_select(0, maskIdx), tgt);
    out.rec = s.decoders ? s.reconstructionWeight *
                               reconstructionLoss(mh.m, m.mask_head->reconstruct(mh.semantic))
                         : mh.m.sum() * 0;
    return out;
}

}  // namespace

// The training forward: the inference stages (features, BA-RPN, proposals, multi-level
// RoIAlign, heads) with the losses added, in the order the reference computes them.
LossTerms computeLosses(model::ZsiDetectorImpl& m, const TrainingBatch& batch,
                        const LossSettings& s, Rng& rng) {
    LossTerms out;
    auto clock = std::chrono::steady_clock::now();
    auto lap = [&](const char* name) {
        const auto now = std::chrono::steady_clock::now();
        out.seconds.emplace_back(name, std::chrono::duration<double>(now - clock).count());
        clock = now;
    };

    const std::vector<at::Tensor> feats = m.features(batch.images);
    const RpnOutputs rpn = runRpnHead(m, feats, batch.size());
    lap("t_features");

    const RpnLoss rpnL = rpnLoss(m, rpn, batch, s, rng);
    out.rpnPositives = rpnL.positives;
    lap("t_rpn_targets");

    const RoiBatch rois = sampleRois(m, rpn, batch, s, rng);
    out.rois = rois.rois.size(0);
    out.roiPositives = rois.positiveRows.size(0);
    lap("t_proposals");

    const BoxHeadLoss boxL = boxHeadLoss(m, feats, rois, s);
    lap("t_box_head");

    out.maskRois = static_cast<int64_t>(rois.maskRows.size());
    const MaskHeadLoss maskL = maskHeadLoss(m, feats, rois, boxL.h.sum() * 0, s);
    lap("t_mask_head");

    out.terms = {{"rpn_cls", rpnL.cls},  {"rpn_bbox", rpnL.box}, {"box_cls", boxL.cls},
                 {"box_bbox", boxL.reg}, {"box_rec", boxL.rec},  {"mask", maskL.mask},
                 {"mask_rec", maskL.rec}};
    out.total = rpnL.cls + rpnL.box + boxL.cls + boxL.reg + boxL.rec + maskL.mask + maskL.rec;
    return out;
}

}  // namespace zsi::train
