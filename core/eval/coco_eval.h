#pragma once
// COCO evaluation, re-derived step by step from pycocotools' COCOeval (cocoeval.py,
// evaluate / evaluateImg / accumulate / summarize) so the numbers agree with it:
// per-image per-category greedy matching in score order, crowd regions (ignored, matched
// by intersection over the detection's area), area ranges, maxDets, any IoU threshold list,
// 101-point interpolated precision, recall. Results follow pycocotools' loadRes rules
// (a box gives area w*h, a mask-only result takes its box and area from the mask).
#include "data/coco.h"

#include <optional>
#include <string>
#include <vector>

namespace zsi::eval {

enum class IouType { Bbox, Segm };

struct AreaRange {
    std::string label;
    double lo = 0, hi = 0;
};

// pycocotools' defaults: IoU .50:.05:.95, recall 0:.01:1, areas all/small/medium/large,
// maxDets 1/10/100. Threshold values are computed as numpy.linspace does, so comparisons
// such as IoU >= 0.75 fall on the same side.
std::vector<double> linspace(double start, double stop, int num);
std::vector<double> defaultIouThresholds();
std::vector<double> defaultRecallThresholds();
std::vector<AreaRange> defaultAreaRanges();

struct CocoEvalParams {
    IouType iouType = IouType::Segm;
    std::vector<int64_t> imgIds;  // empty: every ground-truth image
    std::vector<int64_t> catIds;  // empty: every ground-truth category
    std::vector<double> iouThrs = defaultIouThresholds();
    std::vector<double> recThrs = defaultRecallThresholds();
    std::vector<AreaRange> areaRanges = defaultAreaRanges();
    std::vector<int> maxDets = {1, 10, 100};
    int threads = 0;  // 0: all cores
};

struct CocoEvalResult {
    CocoEvalParams params;  // imgIds / catIds resolved, sorted, unique; maxDets sorted
    size_t T = 0, R = 0, K = 0, A = 0, M = 0;
    std::vector<double> precision;  // [T][R][K][A][M], -1 where a category has no ground truth
    std::vector<double> recall;     // [T][K][A][M], -1 likewise
    std::vector<double> scores;     // [T][R][K][A][M] score at each recall threshold
    std::vector<int> numGt;         // [K][A] non-ignored ground truths

    double precisionAt(size_t t, size_t r, size_t k, size_t a, size_t m) const {
        return precision[(((t * R + r) * K + k) * A + a) * M + m];
    }
    double recallAt(size_t t, size_t k, size_t a, size_t m) const {
        return recall[((t * K + k) * A + a) * M + m];
    }
    // AP of category index k at IoU index t: the mean of the 101 interpolated precisions,
    // -1 when the category has no ground truth. a = 0, m = last by default.
    double ap(size_t t, size_t k, std::optional<size_t> a = {}, std::optional<size_t> m = {}) const;
    double ar(size_t t, size_t k, std::optional<size_t> a = {}, std::optional<size_t> m = {}) const;
    std::optional<size_t> catIndex(int64_t catId) const;
    std::optional<size_t> iouIndex(double thr) const;  // within 1e-9

    // pycocotools' _summarize: mean of every entry > -1 (ap = false: recall).
    double summarize(bool ap, std::optional<double> iouThr = {}, const std::string& area = "all",
                     int maxDets = 100) const;
    // The 12 numbers of COCOeval.summarize() (needs the default area ranges and maxDets).
    std::vector<double> stats() const;
};

// Throws Error(InvalidArgument) when results name images that the ground truth lacks
// (pycocotools asserts the same) or when a segm result has neither mask nor box.
CocoEvalResult evaluate(const coco::Dataset& gt, const std::vector<coco::Detection>& dt,
                        CocoEvalParams params = {});

}  // namespace zsi::eval
