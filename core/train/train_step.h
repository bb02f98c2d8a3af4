#pragma once
// One ZSI training forward: BA-RPN targets and losses, proposals, RoI assignment and
// sampling, box-head and mask-head losses with their decoders' reconstruction losses.
// Calls the detector's submodules directly (the detector's own stages are batch-1
// inference). Internal to core (torch).
#include "model/detector.h"
#include "train/assigner.h"
#include "train/training_data.h"
#include "util/random.h"

#include <string>
#include <utility>
#include <vector>

namespace zsi::train {

struct LossSettings {
    MaxIouAssignerOptions rpnAssigner = MaxIouAssignerOptions::rpn();
    SamplerOptions rpnSampler = SamplerOptions::rpn();
    MaxIouAssignerOptions rcnnAssigner = MaxIouAssignerOptions::rcnn();
    SamplerOptions rcnnSampler = SamplerOptions::rcnn();
    double rpnRegBeta = 1.0 / 9.0;
    double boxRegBeta = 1.0;
    // Anchors reaching further than this outside the image are not trained (mmdet v1
    // allowed_border = 0); negative: every anchor is used.
    double allowedBorder = 0.0;
    bool addGtAsProposals = true;
    // The mask branch (semantic encoder + decoder at 2R x 2R) costs most of a CPU step, so
    // it may train on a random subset of each image's positive RoIs; 0: all (reference).
    int maskRoisPerImage = 0;
    bool decoders = true;  // reconstruction losses (the "no decoders" ablation)
    double reconstructionWeight = 0.5;
    // Per image (resized coordinates): RoIs to train the heads on instead of the RPN's
    // proposals (external proposals; tests evaluate the heads on a fixed RoI set). Ground
    // truth is still added when addGtAsProposals.
    std::vector<at::Tensor> fixedProposals;
};

// Names in a fixed order (the JSON log and the progress line use them).
inline const std::vector<std::string>& lossNames() {
    static const std::vector<std::string> names{"rpn_cls", "rpn_bbox", "box_cls", "box_bbox",
                                                "box_rec", "mask",     "mask_rec"};
    return names;
}

struct LossTerms {
    std::vector<std::pair<std::string, at::Tensor>> terms;  // lossNames() order, weighted
    at::Tensor total;
    int64_t rpnPositives = 0, roiPositives = 0, rois = 0, maskRois = 0;
    // Wall-clock seconds of the forward parts (the trainer logs them to show where a step
    // goes): features (backbone + FPN + RPN head), RPN targets, proposals and RoI sampling,
    // box head, mask head.
    std::vector<std::pair<std::string, double>> seconds;
    at::Tensor get(const std::string& name) const;
};

// The batch must already be on the model's device (images, boxes, labels). Sync-bg is the
// caller's: call model.syncBackground() before (the box head reads model.seenMatrix()).
LossTerms computeLosses(model::ZsiDetectorImpl& model, const TrainingBatch& batch,
                        const LossSettings& settings, Rng& rng);

// Anchors (M, 4) that lie inside an h x w image up to `border` pixels (all when border < 0).
at::Tensor insideAnchors(const at::Tensor& anchors, int h, int w, double border);

}  // namespace zsi::train
