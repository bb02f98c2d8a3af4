#include "model/postprocess.h"

#include "model/scoring.h"
#include "util/error.h"

namespace zsi::model {

Detections decodeDetections(const BoxSemantics& box, const at::Tensor& proposals,
                            const at::Tensor& WsBox, const at::Tensor& WuBox,
                            const InferenceSettings& options, int imageH, int imageW, double scale,
                            GeometryVariant geometry, const DeltaCoding& coding) {
    const bool rescaleFirst = geometry == GeometryVariant::Reference;
    const auto sets = scoring::boxScores(box.e, WsBox, WuBox, options.scoring, options.mode);
    const at::Tensor sim = scoring::similarity(box.e, WsBox, WuBox, options.scoring);
    const int64_t K = box.e.size(0);
    const int64_t S = WsBox.size(1) - 1;
    const bool agnostic = options.boxRule == BoxRegressionRule::PWeighted;
    at::Tensor perClass;  // (K, 1 + S, 4) for the index rule
    if (!agnostic) {
        for (const auto& set : sets)
            if (set.deltaColumns.numel() > 0 && set.deltaColumns.max().item<int64_t>() > S)
                throw Error(ErrorCode::InvalidArgument,
                            "the reference index box rule has deltas for at most " +
                                std::to_string(S) + " unseen classes; use the p_weighted rule",
                            {{"name", "box rule"}, {"reason", "more unseen than seen classes"}});
        perClass =
            decodeDeltas(proposals, box.deltas, coding, imageH, imageW, geometry).view({K, -1, 4});
    }
    std::vector<at::Tensor> boxes, scores, labels, props;
    for (const auto& set : sets) {
        const at::Tensor sc = set.scores.slice(1, 1);                     // (K, n)
        const at::Tensor idx = at::nonzero(sc > options.scoreThreshold);  // (M, 2)
        const at::Tensor k = idx.select(1, 0), j = idx.select(1, 1);
        const at::Tensor s = sc.index({k, j});
        at::Tensor b = agnostic ? box.agnosticBoxes.index_select(0, k)
                                : perClass.index({k, set.deltaColumns.index_select(0, j)});
        if (rescaleFirst) b = b / scale;
        const at::Tensor keep = ops::batchedNms(b, s, j, options.nmsIou, toOpsGeometry(geometry),
                                                std::max(0, options.maxDetections));
        boxes.push_back(b.index_select(0, keep));
        scores.push_back(s.index_select(0, keep));
        labels.push_back(j.index_select(0, keep) + set.labelOffset);
        props.push_back(k.index_select(0, keep));
    }
    Detections d;
    const auto fopts = box.e.options();
    const at::Tensor kept = boxes.empty() ? at::zeros({0, 4}, fopts) : at::cat(boxes);
    if (rescaleFirst) {
        d.boxes = kept;
        d.resizedBoxes = kept * scale;
    } else {
        d.resizedBoxes = kept;
        d.boxes = kept / scale;
    }
    d.scores = scores.empty() ? at::zeros({0}, fopts) : at::cat(scores);
    d.labels = labels.empty() ? at::zeros({0}, fopts.dtype(at::kLong)) : at::cat(labels);
    d.proposalIndex = props.empty() ? at::zeros({0}, fopts.dtype(at::kLong)) : at::cat(props);
    d.similarity = sim.index_select(0, d.proposalIndex);
    return d;
}

}  // namespace zsi::model
