// Pairwise IoU with ATen ops (any device), torchvision's box_iou or mmdet v1's "+1" variant.
#include "ops/ops.h"
#include "util/error.h"

namespace zsi::ops {

at::Tensor boxIou(const at::Tensor& a, const at::Tensor& b, Geometry geometry) {
    if (a.dim() != 2 || a.size(1) != 4 || b.dim() != 2 || b.size(1) != 4)
        throw Error(ErrorCode::InvalidArgument, "boxIou: boxes must be (N, 4) and (M, 4)",
                    {{"name", "boxes"}, {"reason", "expected shape (N, 4)"}});
    const double one = geometry == Geometry::Reference ? 1.0 : 0.0;
    auto area = [one](const at::Tensor& x) {
        return (x.select(1, 2) - x.select(1, 0) + one) * (x.select(1, 3) - x.select(1, 1) + one);
    };
    const auto areaA = area(a), areaB = area(b);
    const auto lt = at::max(a.slice(1, 0, 2).unsqueeze(1), b.slice(1, 0, 2).unsqueeze(0));
    const auto rb = at::min(a.slice(1, 2, 4).unsqueeze(1), b.slice(1, 2, 4).unsqueeze(0));
    const auto wh = (rb - lt + one).clamp_min(0);  // (N, M, 2)
    const auto inter = wh.select(2, 0) * wh.select(2, 1);
    return inter / (areaA.unsqueeze(1) + areaB.unsqueeze(0) - inter);
}

}  // namespace zsi::ops
