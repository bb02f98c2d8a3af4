#include "train/train_step.h"

#include "model/box_coder.h"
#include "model/rpn.h"
#include "train/losses.h"

#include <torch/torch.h>

#include <chrono>

namespace zsi::train {
namespace {

model::DeltaCoding boxCoding(const BoxHeadConfig& c) {
    model::DeltaCoding d;
    for (int i = 0; i < 4; ++i) {
        d.means[i] = c.targetMeans[i];
        d.stds[i] = c.targetStds[i];
    }
    return d;
}

std::vector<int> roiStrides(const model::ZsiDetectorImpl& m) {
    const size_t levels = m.backbone->outChannels().size();
    const auto& s = m.config().anchors.strides;
    return std::vector<int>(s.begin(), s.begin() + static_cast<long>(std::min(levels, s.size())));
}

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

LossTerms computeLosses(model::ZsiDetectorImpl& m, const TrainingBatch& batch,
                        const LossSettings& s, Rng& rng) {
    const ModelConfig& cfg = m.config();
    const GeometryVariant geo = cfg.geometry;
    const ops::Geometry opsGeo = model::toOpsGeometry(geo);
    const int n = batch.size();
    LossTerms out;
    auto clock = std::chrono::steady_clock::now();
    auto lap = [&](const char* name) {
        const auto now = std::chrono::steady_clock::now();
        out.seconds.emplace_back(name, std::chrono::duration<double>(now - clock).count());
        clock = now;
    };

    const std::vector<at::Tensor> feats = m.features(batch.images);
    const auto rpnOut = m.rpn_head->forward(feats);
    const std::vector<at::Tensor> anchorsPerLevel = m.anchors(feats);
    const at::Tensor anchors = at::cat(anchorsPerLevel);  // (M, 4)
    // (N, 2A, H, W) -> (N, H W A, 2): location-major, anchor-minor like the anchors.
    std::vector<at::Tensor> logitList, deltaList;
    for (size_t l = 0; l < anchorsPerLevel.size(); ++l) {
        logitList.push_back(rpnOut.logits[l].permute({0, 2, 3, 1}).reshape({n, -1, 2}));
        deltaList.push_back(rpnOut.deltas[l].permute({0, 2, 3, 1}).reshape({n, -1, 4}));
    }
    const at::Tensor rpnLogits = at::cat(logitList, 1), rpnDeltas = at::cat(deltaList, 1);
    lap("t_features");

    // --- BA-RPN targets ---
    std::vector<at::Tensor> clsLogits, clsLabels, regPred, regTarget;
    int64_t rpnSamples = 0, rpnPos = 0;
    const model::DeltaCoding rpnCoding;  // means 0, stds 1
    for (int i = 0; i < n; ++i) {
        const at::Tensor gt = batch.boxes[i];
        const at::Tensor valid =
            at::nonzero(insideAnchors(anchors, batch.heights[i], batch.widths[i], s.allowedBorder))
                .view(-1);
        const at::Tensor va = anchors.index_select(0, valid);
        const at::Tensor iou =
            gt.size(0) ? ops::boxIou(va, gt, opsGeo) : at::zeros({va.size(0), 0}, va.options());
        const AssignResult as = assignMaxIou(iou, s.rpnAssigner);
        const SampleResult smp = sampleRandom(as, s.rpnSampler, rng);
        const at::Tensor pos = valid.index_select(0, smp.positive);
        const at::Tensor neg = valid.index_select(0, smp.negative);
        const at::Tensor idx = at::cat({pos, neg});
        clsLogits.push_back(rpnLogits[i].index_select(0, idx));
        clsLabels.push_back(at::cat(
            {at::ones({pos.size(0)}, idx.options()), at::zeros({neg.size(0)}, idx.options())}));
        if (pos.size(0)) {
            const at::Tensor gtIdx = as.assigned.index_select(0, smp.positive) - 1;
            regPred.push_back(rpnDeltas[i].index_select(0, pos));
            regTarget.push_back(model::encodeDeltas(anchors.index_select(0, pos),
                                                    gt.index_select(0, gtIdx), rpnCoding, geo));
        }
        rpnSamples += idx.size(0);
        rpnPos += pos.size(0);
    }
    out.rpnPositives = rpnPos;
    const double rpnAvg = static_cast<double>(rpnSamples);
    const at::Tensor lossRpnCls =
        rpnClassificationLoss(at::cat(clsLogits), at::cat(clsLabels), rpnAvg);
    const at::Tensor lossRpnBox =
        regPred.empty()
            ? rpnDeltas.sum() * 0
            : regressionLoss(at::cat(regPred), at::cat(regTarget), s.rpnRegBeta, rpnAvg);

    lap("t_rpn_targets");

    // --- proposals (no gradient), RoI assignment and sampling ---
    std::vector<RoiSample> samples;
    {
        torch::NoGradGuard noGrad;
        model::BackgroundAwareRpnImpl::Output detached;
        for (size_t l = 0; l < rpnOut.logits.size(); ++l) {
            detached.logits.push_back(rpnOut.logits[l].detach());
            detached.deltas.push_back(rpnOut.deltas[l].detach());
        }
        const model::DeltaCoding coding = boxCoding(cfg.boxHead);
        for (int i = 0; i < n; ++i) {
            const at::Tensor gt = batch.boxes[i];
            at::Tensor props =
                i < static_cast<int>(s.fixedProposals.size())
                    ? s.fixedProposals[static_cast<size_t>(i)].to(gt.options())
                    : model::generateProposals(detached, anchorsPerLevel, i, cfg.rpn.train,
                                               batch.heights[i], batch.widths[i], geo)
                          .boxes;
            if (s.addGtAsProposals) props = at::cat({gt.to(props.dtype()), props});
            const at::Tensor iou = gt.size(0) ? ops::boxIou(props, gt, opsGeo)
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
                                               gt.index_select(0, gtIdx), coding, geo));
            r.positive = at::arange(idx.size(0), idx.options()) < smp.positive.size(0);
            const at::Tensor gtIdxCpu = gtIdx.cpu();
            const int64_t numPos = gtIdxCpu.size(0);
            if (s.maskRoisPerImage > 0 && numPos > s.maskRoisPerImage) {
                r.maskRows = chooseIndices(numPos, s.maskRoisPerImage, rng);
            } else {
                for (int64_t k = 0; k < numPos; ++k) r.maskRows.push_back(k);
            }
            for (int64_t k : r.maskRows)
                r.posMasks.push_back(
                    &batch.masks[i][static_cast<size_t>(gtIdxCpu[k].item<int64_t>())]);
            samples.push_back(std::move(r));
        }
    }
    std::vector<at::Tensor> roiList, labelList, targetList, posList;
    std::vector<const cv::Mat*> posMasks;
    std::vector<int64_t> maskRows;  // rows of the concatenated RoIs
    int64_t offset = 0;
    for (auto& r : samples) {
        for (int64_t k : r.maskRows) maskRows.push_back(offset + k);
        offset += r.rois.size(0);
        roiList.push_back(r.rois);
        labelList.push_back(r.labels);
        targetList.push_back(r.targets);
        posList.push_back(r.positive);
        posMasks.insert(posMasks.end(), r.posMasks.begin(), r.posMasks.end());
    }
    const at::Tensor rois = at::cat(roiList), labels = at::cat(labelList);
    const at::Tensor targets = at::cat(targetList);
    const at::Tensor posIdx = at::nonzero(at::cat(posList)).view(-1);
    out.rois = rois.size(0);
    out.roiPositives = posIdx.size(0);

    lap("t_proposals");

    // --- box head ---
    const std::vector<int> strides = roiStrides(m);
    const at::Tensor boxFeats = model::extractRoiFeatures(
        feats, strides, rois, cfg.roi.boxSize, cfg.roi.samplingRatio, cfg.roi.finestScale, geo);
    const auto box = m.bbox_head->forward(boxFeats);
    // Sync-bg: seenMatrix() carries V_b (detached) or the initial vector in column 0.
    const at::Tensor Ws = m.seenMatrix().to(box.e.options());
    const at::Tensor clsLogitsBox = box.e.mm(m.bbox_head->classMatrix(Ws));
    const at::Tensor lossBoxCls = boxClassificationLoss(clsLogitsBox, labels);
    const at::Tensor posLabels = labels.index_select(0, posIdx);
    const at::Tensor lossBoxReg = regressionLoss(
        classSpecificDeltas(box.deltas.index_select(0, posIdx), posLabels),
        targets.index_select(0, posIdx), s.boxRegBeta, static_cast<double>(rois.size(0)));
    at::Tensor lossBoxRec = box.h.sum() * 0;
    if (s.decoders)
        lossBoxRec =
            s.reconstructionWeight * reconstructionLoss(box.h, m.bbox_head->reconstruct(box.e));

    lap("t_box_head");

    // --- mask head (positive RoIs only) ---
    at::Tensor lossMask, lossMaskRec;
    const int maskSize = 2 * cfg.roi.maskSize;
    out.maskRois = static_cast<int64_t>(maskRows.size());
    if (!maskRows.empty()) {
        const at::Tensor maskIdx = at::tensor(maskRows, posIdx.options());
        const at::Tensor posRois = rois.index_select(0, maskIdx);
        const at::Tensor maskLabels = labels.index_select(0, maskIdx);
        const at::Tensor maskFeats =
            model::extractRoiFeatures(feats, strides, posRois, cfg.roi.maskSize,
                                      cfg.roi.samplingRatio, cfg.roi.finestScale, geo);
        const auto mh = m.mask_head->forward(maskFeats);
        const at::Tensor logits = m.mask_head->seenLogits(mh.semantic);
        const at::Tensor tgt =
            maskTargets(posRois.slice(1, 1, 5), posMasks, maskSize, geo).to(logits.device());
        lossMask = maskLoss(logits, maskLabels, tgt);
        lossMaskRec = s.decoders
                          ? s.reconstructionWeight *
                                reconstructionLoss(mh.m, m.mask_head->reconstruct(mh.semantic))
                          : mh.m.sum() * 0;
    } else {
        lossMask = box.h.sum() * 0;
        lossMaskRec = box.h.sum() * 0;
    }

    lap("t_mask_head");
    out.terms = {{"rpn_cls", lossRpnCls},  {"rpn_bbox", lossRpnBox}, {"box_cls", lossBoxCls},
                 {"box_bbox", lossBoxReg}, {"box_rec", lossBoxRec},  {"mask", lossMask},
                 {"mask_rec", lossMaskRec}};
    out.total =
        lossRpnCls + lossRpnBox + lossBoxCls + lossBoxReg + lossBoxRec + lossMask + lossMaskRec;
    return out;
}

}  // namespace zsi::train
