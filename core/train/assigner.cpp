#include "train/assigner.h"

#include <algorithm>
#include <numeric>

namespace zsi::train {

int64_t AssignResult::numPositive() const {
    return (assigned > 0).sum().item<int64_t>();
}
int64_t AssignResult::numNegative() const {
    return (assigned == 0).sum().item<int64_t>();
}

AssignResult assignMaxIou(const at::Tensor& iouIn, const MaxIouAssignerOptions& o) {
    const at::Tensor iou = iouIn.to(at::kFloat);
    const int64_t n = iou.size(0), g = iou.size(1);
    AssignResult r;
    const auto longOpts = iou.options().dtype(at::kLong);
    if (g == 0 || n == 0) {
        r.assigned = at::zeros({n}, longOpts);
        r.maxOverlaps = at::zeros({n}, iou.options());
        return r;
    }
    r.assigned = at::full({n}, -1, longOpts);
    const auto [maxOv, argmax] = iou.max(1);
    r.maxOverlaps = maxOv;
    r.assigned.masked_fill_((maxOv >= 0) & (maxOv < o.negIou), 0);
    const at::Tensor pos = maxOv >= o.posIou;
    r.assigned = at::where(pos, argmax + 1, r.assigned);
    if (o.matchLowQuality) {
        // Every ground truth keeps its best boxes, even below posIou (mmdet v1 order: later
        // ground truths win ties).
        const at::Tensor gtMax = std::get<0>(iou.max(0));
        for (int64_t i = 0; i < g; ++i) {
            const float best = gtMax[i].item<float>();
            if (best < o.minPosIou) continue;
            if (o.gtMaxAssignAll) {
                r.assigned.masked_fill_(iou.select(1, i) == best, i + 1);
            } else {
                r.assigned[iou.select(1, i).argmax().item<int64_t>()] = i + 1;
            }
        }
    }
    return r;
}

std::vector<int64_t> chooseIndices(int64_t n, int64_t count, Rng& rng) {
    std::vector<int64_t> idx(static_cast<size_t>(n));
    std::iota(idx.begin(), idx.end(), 0);
    count = std::min(count, n);
    for (int64_t i = 0; i < count; ++i) {
        const int64_t j = rng.uniformInt(i, n - 1);
        std::swap(idx[static_cast<size_t>(i)], idx[static_cast<size_t>(j)]);
    }
    idx.resize(static_cast<size_t>(count));
    std::sort(idx.begin(), idx.end());
    return idx;
}

namespace {

at::Tensor sampleFrom(const at::Tensor& candidates, int64_t count, Rng& rng) {
    const int64_t n = candidates.size(0);
    if (n <= count) return candidates;
    const std::vector<int64_t> pick = chooseIndices(n, count, rng);
    return candidates.index_select(0, at::tensor(pick, candidates.options()));
}

}  // namespace

SampleResult sampleRandom(const AssignResult& assign, const SamplerOptions& o, Rng& rng) {
    const at::Tensor a = assign.assigned.cpu();
    const int64_t wantPos = static_cast<int64_t>(o.num * o.posFraction);
    SampleResult s;
    s.positive = sampleFrom(at::nonzero(a > 0).view(-1), wantPos, rng);
    const int64_t wantNeg = o.num - s.positive.size(0);
    s.negative = sampleFrom(at::nonzero(a == 0).view(-1), wantNeg, rng);
    s.positive = s.positive.to(assign.assigned.device());
    s.negative = s.negative.to(assign.assigned.device());
    return s;
}

}  // namespace zsi::train
