// Greedy NMS (torchvision's algorithm; mmdet v1's "+1" geometry) and per-class NMS.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>
#include <string>
#include <vector>

#include "ops/ops_detail.h"
#include "util/error.h"

namespace zsi::ops {
namespace detail {
namespace {

void checkNmsArgs(const at::Tensor& boxes, const at::Tensor& scores, const at::Tensor& idxs) {
    if (boxes.dim() != 2 || boxes.size(1) != 4)
        throw Error(ErrorCode::InvalidArgument, "nms: boxes must be (N, 4)",
                    {{"name", "boxes"}, {"reason", "expected shape (N, 4)"}});
    if (scores.dim() != 1 || scores.size(0) != boxes.size(0))
        throw Error(ErrorCode::InvalidArgument, "nms: scores must be (N) like boxes",
                    {{"name", "scores"}, {"reason", "expected shape (N)"}});
    if (idxs.defined() && (idxs.dim() != 1 || idxs.size(0) != boxes.size(0)))
        throw Error(ErrorCode::InvalidArgument, "batchedNms: idxs must be (N) like boxes",
                    {{"name", "idxs"}, {"reason", "expected shape (N)"}});
}

// The largest T <= threshold: for a T value v, (v > threshold) == (v > result) exactly,
// so the comparison can stay in T (vectorised) yet match torchvision's float-vs-double one.
template <typename T>
T thresholdBelow(double threshold) {
    T t = static_cast<T>(threshold);
    if (static_cast<double>(t) > threshold)
        t = std::nextafter(t, -std::numeric_limits<T>::infinity());
    return t;
}

// Greedy NMS over boxes already in score order. Each kept box marks every later box it
// overlaps, in one branch-free sweep (GCC vectorises it at -O3); torchvision skips boxes
// already suppressed instead, which changes the work but not the result.
template <typename T>
void greedy(const T* x1, const T* y1, const T* x2, const T* y2, const T* area, int64_t n, T one,
            T thr, std::vector<int64_t>& keptPositions) {
    std::vector<int32_t> suppressed(n, 0);
    int32_t* sup = suppressed.data();
    for (int64_t i = 0; i < n; ++i) {
        if (sup[i]) continue;
        keptPositions.push_back(i);
        const T ix1 = x1[i], iy1 = y1[i], ix2 = x2[i], iy2 = y2[i], iarea = area[i];
        for (int64_t j = i + 1; j < n; ++j) {
            const T w = std::max(T(0), std::min(ix2, x2[j]) - std::max(ix1, x1[j]) + one);
            const T h = std::max(T(0), std::min(iy2, y2[j]) - std::max(iy1, y1[j]) + one);
            const T inter = w * h;
            const T ovr = inter / (iarea + area[j] - inter);
            sup[j] |= static_cast<int32_t>(ovr > thr);
        }
    }
}

// Per-class greedy NMS in global score order that stops at the first `maxKeep` kept boxes.
// A box is kept iff no kept box of its class scored before it overlaps it - the rule of the
// per-class sweeps - so the result is the first maxKeep of batched NMS, while a detector
// keeping 100 of 65,000 class-box candidates (1000 proposals x 65 classes at threshold 0)
// looks at a few hundred of them instead of sweeping them all. The IoU is computed with the
// operands in the same order as greedy(), so the comparisons are bit-equal.
template <typename T>
void greedyFirst(const T* x1, const T* y1, const T* x2, const T* y2, const T* area,
                 const int64_t* c, int64_t n, T one, T thr, int64_t maxKeep,
                 std::vector<int64_t>& keptPositions) {
    std::unordered_map<int64_t, std::vector<int64_t>> keptOfClass;
    for (int64_t j = 0; j < n && static_cast<int64_t>(keptPositions.size()) < maxKeep; ++j) {
        std::vector<int64_t>& same = keptOfClass[c ? c[j] : 0];
        bool suppressed = false;
        for (const int64_t i : same) {
            const T w = std::max(T(0), std::min(x2[i], x2[j]) - std::max(x1[i], x1[j]) + one);
            const T h = std::max(T(0), std::min(y2[i], y2[j]) - std::max(y1[i], y1[j]) + one);
            const T inter = w * h;
            if (inter / (area[i] + area[j] - inter) > thr) {
                suppressed = true;
                break;
            }
        }
        if (suppressed) continue;
        same.push_back(j);
        keptPositions.push_back(j);
    }
}

template <typename T>
at::Tensor nmsKernel(const at::Tensor& boxes, const at::Tensor& order, const int64_t* cls,
                     double iouThreshold, Geometry geometry, int64_t maxKeep) {
    const int64_t n = boxes.size(0);
    const T* b = boxes.data_ptr<T>();
    const int64_t* ord = order.data_ptr<int64_t>();
    const T one = geometry == Geometry::Reference ? T(1) : T(0);
    // Structure of arrays in score order, so the sweep reads memory contiguously.
    std::vector<T> x1(n), y1(n), x2(n), y2(n), area(n);
    std::vector<int64_t> c(cls ? n : 0);
    for (int64_t p = 0; p < n; ++p) {
        const int64_t i = ord[p];
        x1[p] = b[4 * i];
        y1[p] = b[4 * i + 1];
        x2[p] = b[4 * i + 2];
        y2[p] = b[4 * i + 3];
        area[p] = (x2[p] - x1[p] + one) * (y2[p] - y1[p] + one);
        if (cls) c[p] = cls[i];
    }
    // Modern compares like torchvision (float IoU > double threshold); the mmdet v1 CUDA
    // kernel compares against a float threshold.
    const T thr = geometry == Geometry::Reference
                      ? thresholdBelow<T>(static_cast<double>(static_cast<float>(iouThreshold)))
                      : thresholdBelow<T>(iouThreshold);
    std::vector<int64_t> kept;
    kept.reserve(maxKeep >= 0 ? std::min(n, maxKeep) : n);
    if (maxKeep >= 0) {
        greedyFirst<T>(x1.data(), y1.data(), x2.data(), y2.data(), area.data(),
                       cls ? c.data() : nullptr, n, one, thr, maxKeep, kept);
    } else if (!cls) {
        greedy<T>(x1.data(), y1.data(), x2.data(), y2.data(), area.data(), n, one, thr, kept);
    } else {
        // Per class: gather each class's boxes (still in score order), run the greedy pass
        // on them alone, and merge the kept positions back into global score order.
        std::vector<int64_t> byClass(n);
        std::iota(byClass.begin(), byClass.end(), 0);
        std::stable_sort(byClass.begin(), byClass.end(),
                         [&](int64_t a, int64_t b) { return c[a] < c[b]; });
        std::vector<T> gx1, gy1, gx2, gy2, garea;
        std::vector<int64_t> local;
        for (int64_t start = 0; start < n;) {
            int64_t end = start;
            while (end < n && c[byClass[end]] == c[byClass[start]]) ++end;
            const int64_t m = end - start;
            gx1.resize(m), gy1.resize(m), gx2.resize(m), gy2.resize(m), garea.resize(m);
            for (int64_t q = 0; q < m; ++q) {
                const int64_t p = byClass[start + q];
                gx1[q] = x1[p], gy1[q] = y1[p], gx2[q] = x2[p], gy2[q] = y2[p], garea[q] = area[p];
            }
            local.clear();
            greedy<T>(gx1.data(), gy1.data(), gx2.data(), gy2.data(), garea.data(), m, one, thr,
                      local);
            for (int64_t q : local) kept.push_back(byClass[start + q]);
            start = end;
        }
        std::sort(kept.begin(), kept.end());
    }
    auto out = at::empty({static_cast<int64_t>(kept.size())}, at::kLong);
    int64_t* o = out.data_ptr<int64_t>();
    for (size_t k = 0; k < kept.size(); ++k) o[k] = ord[kept[k]];
    return out;
}

}  // namespace

at::Tensor nmsCpu(const at::Tensor& boxes, const at::Tensor& scores, const at::Tensor& idxs,
                  double iouThreshold, Geometry geometry, int64_t maxKeep) {
    checkNmsArgs(boxes, scores, idxs);
    if (boxes.size(0) == 0) return at::empty({0}, at::kLong);
    const auto b = boxes.to(at::kCPU).contiguous();
    const auto s = scores.to(at::kCPU).contiguous();
    // Stable descending sort: equal scores keep the lower index first (torchvision).
    const auto order =
        std::get<1>(s.sort(/*stable=*/true, /*dim=*/0, /*descending=*/true)).contiguous();
    at::Tensor cls;
    if (idxs.defined()) cls = idxs.to(at::kCPU).to(at::kLong).contiguous();
    at::Tensor keep;
    AT_DISPATCH_FLOATING_TYPES(b.scalar_type(), "zsi_nms", [&] {
        keep = nmsKernel<scalar_t>(b, order, cls.defined() ? cls.data_ptr<int64_t>() : nullptr,
                                   iouThreshold, geometry, maxKeep);
    });
    return keep;
}

at::Tensor nmsAten(const at::Tensor& boxes, const at::Tensor& scores, const at::Tensor& idxs,
                   double iouThreshold, Geometry geometry) {
    checkNmsArgs(boxes, scores, idxs);
    const auto device = boxes.device();
    const int64_t n = boxes.size(0);
    if (n == 0) return at::empty({0}, boxes.options().dtype(at::kLong));
    const auto order = std::get<1>(scores.sort(/*stable=*/true, /*dim=*/0, /*descending=*/true));
    const auto sorted = boxes.index_select(0, order);
    // over[i][j]: box j (in score order) would be suppressed by box i. Built in row chunks
    // to bound the IoU temporaries (N = 5000 would otherwise need ~1 GB of them).
    const double thr = geometry == Geometry::Reference
                           ? static_cast<double>(static_cast<float>(iouThreshold))
                           : iouThreshold;
    const at::Tensor cls = idxs.defined() ? idxs.index_select(0, order) : at::Tensor();
    auto mat = at::empty({n, n}, at::kByte);
    const int64_t rowsPerChunk = std::max<int64_t>(1, (int64_t{4} << 20) / n);
    for (int64_t r0 = 0; r0 < n; r0 += rowsPerChunk) {
        const int64_t r1 = std::min(n, r0 + rowsPerChunk);
        // IoU in the boxes' dtype compared with a double threshold, as torchvision does.
        auto over = boxIou(sorted.slice(0, r0, r1), sorted, geometry).to(at::kDouble).gt(thr);
        if (cls.defined())
            over = over.logical_and(cls.slice(0, r0, r1).view({-1, 1}).eq(cls.view({1, -1})));
        mat.slice(0, r0, r1).copy_(over.to(at::kCPU));
    }
    const uint8_t* m = mat.data_ptr<uint8_t>();
    std::vector<uint8_t> suppressed(n, 0);
    std::vector<int64_t> keep;
    for (int64_t i = 0; i < n; ++i) {
        if (suppressed[i]) continue;
        keep.push_back(i);
        const uint8_t* row = m + i * n;
        for (int64_t j = i + 1; j < n; ++j) suppressed[j] |= row[j];
    }
    auto k = at::empty({static_cast<int64_t>(keep.size())}, at::kLong);
    std::copy(keep.begin(), keep.end(), k.data_ptr<int64_t>());
    return order.index_select(0, k.to(device));
}

}  // namespace detail

at::Tensor nms(const at::Tensor& boxes, const at::Tensor& scores, double iouThreshold,
               Geometry geometry) {
    if (boxes.is_cpu()) return detail::nmsCpu(boxes, scores, at::Tensor(), iouThreshold, geometry);
    return detail::nmsAten(boxes, scores, at::Tensor(), iouThreshold, geometry);
}

at::Tensor batchedNms(const at::Tensor& boxes, const at::Tensor& scores, const at::Tensor& idxs,
                      double iouThreshold, Geometry geometry, int64_t maxKeep) {
    if (boxes.is_cpu())
        return detail::nmsCpu(boxes, scores, idxs, iouThreshold, geometry, maxKeep);
    const at::Tensor keep = detail::nmsAten(boxes, scores, idxs, iouThreshold, geometry);
    return maxKeep >= 0 && keep.size(0) > maxKeep ? keep.slice(0, 0, maxKeep) : keep;
}

}  // namespace zsi::ops
