#include "model/box_coder.h"

#include <cmath>

namespace zsi::model {

ops::Geometry toOpsGeometry(GeometryVariant g) {
    return g == GeometryVariant::Reference ? ops::Geometry::Reference : ops::Geometry::Modern;
}

at::Tensor baseAnchors(int stride, const std::vector<double>& scales,
                       const std::vector<double>& ratios, GeometryVariant geometry) {
    std::vector<float> out;
    const double base = stride;
    for (double r : ratios) {
        const double hr = std::sqrt(r), wr = 1.0 / hr;
        for (double s : scales) {
            const double ws = base * wr * s, hs = base * hr * s;
            if (geometry == GeometryVariant::Reference) {
                const double c = 0.5 * (base - 1);
                out.insert(
                    out.end(),
                    {float(std::round(c - 0.5 * (ws - 1))), float(std::round(c - 0.5 * (hs - 1))),
                     float(std::round(c + 0.5 * (ws - 1))), float(std::round(c + 0.5 * (hs - 1)))});
            } else {
                out.insert(out.end(), {float(std::round(-ws / 2)), float(std::round(-hs / 2)),
                                       float(std::round(ws / 2)), float(std::round(hs / 2))});
            }
        }
    }
    return at::tensor(out).view({-1, 4});
}

at::Tensor gridAnchors(const at::Tensor& base, int featH, int featW, int stride) {
    const auto opts = base.options();
    const at::Tensor sx = at::arange(featW, opts) * stride;
    const at::Tensor sy = at::arange(featH, opts) * stride;
    const auto grid = at::meshgrid({sy, sx}, "ij");
    const at::Tensor yy = grid[0].reshape(-1), xx = grid[1].reshape(-1);
    const at::Tensor shifts = at::stack({xx, yy, xx, yy}, 1);  // (HW, 4)
    return (shifts.unsqueeze(1) + base.unsqueeze(0)).reshape({-1, 4});
}

at::Tensor decodeDeltas(const at::Tensor& boxes, const at::Tensor& deltas,
                        const DeltaCoding& coding, int maxH, int maxW, GeometryVariant geometry) {
    const int64_t n = deltas.size(0);
    if (n == 0) return deltas.clone();
    const bool ref = geometry == GeometryVariant::Reference;
    const auto opts = deltas.options();
    const at::Tensor means =
        at::tensor(std::vector<float>(coding.means.begin(), coding.means.end()), opts);
    const at::Tensor stds =
        at::tensor(std::vector<float>(coding.stds.begin(), coding.stds.end()), opts);
    const at::Tensor d = deltas.view({n, -1, 4}) * stds + means;  // (N, k, 4)
    const at::Tensor dx = d.select(2, 0), dy = d.select(2, 1);
    const at::Tensor dw = d.select(2, 2).clamp(-coding.maxRatio, coding.maxRatio);
    const at::Tensor dh = d.select(2, 3).clamp(-coding.maxRatio, coding.maxRatio);
    const double one = ref ? 1.0 : 0.0;
    const at::Tensor b = boxes.to(deltas.scalar_type());
    const at::Tensor pw = (b.select(1, 2) - b.select(1, 0) + one).unsqueeze(1);
    const at::Tensor ph = (b.select(1, 3) - b.select(1, 1) + one).unsqueeze(1);
    const at::Tensor px = ref ? ((b.select(1, 0) + b.select(1, 2)) * 0.5).unsqueeze(1)
                              : (b.select(1, 0) + 0.5 * pw.squeeze(1)).unsqueeze(1);
    const at::Tensor py = ref ? ((b.select(1, 1) + b.select(1, 3)) * 0.5).unsqueeze(1)
                              : (b.select(1, 1) + 0.5 * ph.squeeze(1)).unsqueeze(1);
    const at::Tensor gw = pw * dw.exp(), gh = ph * dh.exp();
    const at::Tensor gx = px + pw * dx, gy = py + ph * dy;
    const double half = ref ? 0.5 : 0.0;
    at::Tensor x1 = gx - gw * 0.5 + half, y1 = gy - gh * 0.5 + half;
    at::Tensor x2 = gx + gw * 0.5 - half, y2 = gy + gh * 0.5 - half;
    if (maxH > 0 && maxW > 0) {
        const double mw = ref ? maxW - 1 : maxW, mh = ref ? maxH - 1 : maxH;
        x1 = x1.clamp(0, mw);
        x2 = x2.clamp(0, mw);
        y1 = y1.clamp(0, mh);
        y2 = y2.clamp(0, mh);
    }
    return at::stack({x1, y1, x2, y2}, 2).view({n, -1});
}

at::Tensor encodeDeltas(const at::Tensor& proposals, const at::Tensor& gt,
                        const DeltaCoding& coding, GeometryVariant geometry) {
    const double one = geometry == GeometryVariant::Reference ? 1.0 : 0.0;
    const at::Tensor p = proposals.to(at::kFloat), g = gt.to(at::kFloat);
    const at::Tensor pw = p.select(1, 2) - p.select(1, 0) + one;
    const at::Tensor ph = p.select(1, 3) - p.select(1, 1) + one;
    const at::Tensor gw = g.select(1, 2) - g.select(1, 0) + one;
    const at::Tensor gh = g.select(1, 3) - g.select(1, 1) + one;
    // Centres: (x1 + x2) / 2 (Reference) or x1 + w / 2 (Modern) - equal when one == 0.
    const at::Tensor px = p.select(1, 0) + 0.5 * (pw - one), py = p.select(1, 1) + 0.5 * (ph - one);
    const at::Tensor gx = g.select(1, 0) + 0.5 * (gw - one), gy = g.select(1, 1) + 0.5 * (gh - one);
    const at::Tensor d =
        at::stack({(gx - px) / pw, (gy - py) / ph, at::log(gw / pw), at::log(gh / ph)}, 1);
    const auto opts = d.options();
    const at::Tensor means =
        at::tensor(std::vector<float>(coding.means.begin(), coding.means.end()), opts);
    const at::Tensor stds =
        at::tensor(std::vector<float>(coding.stds.begin(), coding.stds.end()), opts);
    return (d - means) / stds;
}

at::Tensor mapRoiLevels(const at::Tensor& boxes, int numLevels, double finestScale,
                        GeometryVariant geometry) {
    const double one = geometry == GeometryVariant::Reference ? 1.0 : 0.0;
    const at::Tensor w = boxes.select(1, 2) - boxes.select(1, 0) + one;
    const at::Tensor h = boxes.select(1, 3) - boxes.select(1, 1) + one;
    const at::Tensor scale = at::sqrt((w * h).clamp_min(0));
    return at::floor(at::log2(scale / finestScale + 1e-6)).clamp(0, numLevels - 1).to(at::kLong);
}

at::Tensor extractRoiFeatures(const std::vector<at::Tensor>& features,
                              const std::vector<int>& strides, const at::Tensor& rois, int outSize,
                              int samplingRatio, double finestScale, GeometryVariant geometry) {
    const int numLevels = static_cast<int>(strides.size());
    const int64_t c = features.front().size(1);
    at::Tensor out = at::zeros({rois.size(0), c, outSize, outSize}, features.front().options());
    if (rois.size(0) == 0) return out;
    const at::Tensor levels = mapRoiLevels(rois.slice(1, 1, 5), numLevels, finestScale, geometry);
    for (int l = 0; l < numLevels; ++l) {
        const at::Tensor idx = at::nonzero(levels == l).view(-1);
        if (idx.numel() == 0) continue;
        const at::Tensor feats =
            ops::roiAlign(features[l], rois.index_select(0, idx).contiguous(), 1.0 / strides[l],
                          outSize, outSize, samplingRatio, toOpsGeometry(geometry));
        out.index_copy_(0, idx, feats);
    }
    return out;
}

}  // namespace zsi::model
