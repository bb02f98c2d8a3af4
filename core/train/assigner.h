#pragma once
// MaxIoU assignment and random sampling of anchors / proposals (MMDetection v1's
// MaxIoUAssigner and RandomSampler), on tensors. Internal to core (ATen).
//
// Assignment codes per box (mmdet's assigned_gt_inds): -1 ignored (IoU between the
// thresholds), 0 negative (background), k >= 1 positive, matched to ground truth k - 1.
#include "util/random.h"

#include <ATen/ATen.h>

namespace zsi::train {

struct MaxIouAssignerOptions {
    double posIou = 0.7;     // max IoU >= posIou: positive
    double negIou = 0.3;     // 0 <= max IoU < negIou: negative
    double minPosIou = 0.3;  // low-quality matches need at least this IoU
    // Each ground truth also takes the boxes that overlap it best (mmdet v1 always does this;
    // with gtMaxAssignAll every box tied at that best IoU is taken, not only the first).
    bool matchLowQuality = true;
    bool gtMaxAssignAll = true;

    static MaxIouAssignerOptions rpn() { return {0.7, 0.3, 0.3, true, true}; }
    static MaxIouAssignerOptions rcnn() { return {0.5, 0.5, 0.5, true, true}; }
};

struct AssignResult {
    at::Tensor assigned;     // (N) int64 codes, see above
    at::Tensor maxOverlaps;  // (N) float, best IoU of each box (0 without ground truth)
    int64_t numPositive() const;
    int64_t numNegative() const;
};

// iou: (N boxes, G ground truths). G = 0 makes every box negative.
AssignResult assignMaxIou(const at::Tensor& iou, const MaxIouAssignerOptions& options);

struct SamplerOptions {
    int num = 256;             // boxes per image
    double posFraction = 0.5;  // at most num * posFraction positives; negatives fill the rest

    static SamplerOptions rpn() { return {256, 0.5}; }
    static SamplerOptions rcnn() { return {512, 0.25}; }
};

struct SampleResult {
    at::Tensor positive;  // (P) int64 box indices, ascending
    at::Tensor negative;  // (Q) int64 box indices, ascending
};

// Random subset of positives (up to num * posFraction) and of negatives (num - P), drawn
// with zsi::Rng so a seed fixes the choice on every platform.
SampleResult sampleRandom(const AssignResult& assign, const SamplerOptions& options, Rng& rng);

// `count` distinct indices out of [0, n), ascending (partial Fisher-Yates).
std::vector<int64_t> chooseIndices(int64_t n, int64_t count, Rng& rng);

}  // namespace zsi::train
