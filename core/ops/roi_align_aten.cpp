// RoIAlign composed from ATen ops, for devices without a kernel of ours (CUDA builds) and as
// an independent check of the CPU kernel. Bilinear weights are separable: each sample's
// value is sum over (row tap, column tap) of wy * wx * F[b, c, Y, X], so per roi we build the
// rows/weights along y (outH * gridH * 2) and x (outW * gridW * 2), gather the feature values
// on that grid with one index_select, and reduce with two weighted sums.
#include <algorithm>

#include "ops/ops_detail.h"

namespace zsi::ops::detail {
namespace {

struct AxisTaps {
    at::Tensor index;   // (K, out * grid * 2) int64 rows (or columns)
    at::Tensor weight;  // (K, out * grid * 2) bilinear weight times validity
};

// coord: (K, out, grid) sample coordinates; valid: (K, 1, grid) samples that exist.
AxisTaps axisTaps(at::Tensor coord, const at::Tensor& sampleExists, int64_t size) {
    const auto inRange = (coord >= -1.0).logical_and(coord <= static_cast<double>(size));
    // Out-of-range (and NaN) samples get weight 0; park them at 0 so their indices are valid.
    coord = at::where(inRange, coord, at::zeros({}, coord.options())).clamp_min(0);
    auto low = coord.floor().to(at::kLong);
    const auto atEdge = low >= size - 1;
    low = low.clamp_max(size - 1);
    const auto high = at::where(atEdge, low, low + 1);
    coord = at::where(atEdge, low.to(coord.scalar_type()), coord);
    const auto l = coord - low;
    const auto h = 1 - l;
    const auto keep = inRange.logical_and(sampleExists).to(coord.scalar_type());
    const auto k = coord.size(0);
    AxisTaps t;
    t.index = at::stack({low, high}, -1).reshape({k, -1});
    t.weight = at::stack({h * keep, l * keep}, -1).reshape({k, -1});
    return t;
}

}  // namespace

at::Tensor roiAlignAten(const at::Tensor& features, const at::Tensor& rois, double spatialScale,
                        int outH, int outW, int samplingRatio, Geometry geometry) {
    const int64_t n = features.size(0), channels = features.size(1);
    const int64_t height = features.size(2), width = features.size(3);
    const int64_t numRois = rois.size(0);
    if (numRois == 0 || height == 0 || width == 0)
        return at::zeros({numRois, channels, outH, outW}, features.options());

    const auto opts = features.options();
    const auto r = rois.to(opts).detach();
    const auto batch = r.select(1, 0).to(at::kLong);
    at::Tensor x1, y1, roiW, roiH;
    if (geometry == Geometry::Modern) {
        x1 = r.select(1, 1) * spatialScale - 0.5;
        y1 = r.select(1, 2) * spatialScale - 0.5;
        roiW = (r.select(1, 3) * spatialScale - 0.5) - x1;
        roiH = (r.select(1, 4) * spatialScale - 0.5) - y1;
    } else {
        x1 = r.select(1, 1) * spatialScale;
        y1 = r.select(1, 2) * spatialScale;
        roiW = ((r.select(1, 3) + 1) * spatialScale - x1).clamp_min(0);
        roiH = ((r.select(1, 4) + 1) * spatialScale - y1).clamp_min(0);
    }
    const auto binW = roiW / outW;
    const auto binH = roiH / outH;
    at::Tensor gridW, gridH;
    int64_t maxGridW, maxGridH;
    if (samplingRatio > 0) {
        gridW = at::full({numRois}, samplingRatio, opts.dtype(at::kLong));
        gridH = gridW;
        maxGridW = maxGridH = samplingRatio;
    } else {
        gridW = (roiW / outW).ceil().to(at::kLong);
        gridH = (roiH / outH).ceil().to(at::kLong);
        maxGridW = std::max<int64_t>(gridW.max().item<int64_t>(), 0);
        maxGridH = std::max<int64_t>(gridH.max().item<int64_t>(), 0);
    }
    // Rois with a non-positive grid on either axis have no samples: output 0.
    const auto count = (gridH * gridW).clamp_min(1).to(opts.dtype());
    const auto nonEmpty = gridH.gt(0).logical_and(gridW.gt(0));
    if (maxGridW == 0 || maxGridH == 0) return at::zeros({numRois, channels, outH, outW}, opts);

    auto coords = [&](const at::Tensor& start, const at::Tensor& bin, const at::Tensor& grid,
                      int64_t out, int64_t maxGrid) {
        const auto p = at::arange(out, opts).view({1, out, 1});
        const auto i = at::arange(maxGrid, opts).view({1, 1, maxGrid});
        const auto g = grid.clamp_min(1).to(opts.dtype()).view({-1, 1, 1});
        const auto b = bin.view({-1, 1, 1});
        return (start.view({-1, 1, 1}) + p * b) + (i + 0.5) * b / g;  // (K, out, maxGrid)
    };
    const auto exists = [&](const at::Tensor& grid, int64_t maxGrid) {
        const auto i = at::arange(maxGrid, grid.options()).view({1, 1, maxGrid});
        return i.lt(grid.view({-1, 1, 1})).logical_and(nonEmpty.view({-1, 1, 1}));
    };
    const auto ty =
        axisTaps(coords(y1, binH, gridH, outH, maxGridH), exists(gridH, maxGridH), height);
    const auto tx =
        axisTaps(coords(x1, binW, gridW, outW, maxGridW), exists(gridW, maxGridW), width);

    // Features as (C, N*H*W) so one index_select gathers every roi's samples (a view when
    // N == 1).
    const auto flat = features.transpose(0, 1).reshape({channels, n * height * width});
    const int64_t ry = ty.index.size(1), rx = tx.index.size(1);
    // Bound each chunk's gathered tensor to ~4M elements (16 MB of floats).
    const int64_t perRoi = std::max<int64_t>(channels * ry * rx, 1);
    const int64_t chunk = std::clamp<int64_t>((int64_t{4} << 20) / perRoi, 1, numRois);
    std::vector<at::Tensor> outs;
    for (int64_t k0 = 0; k0 < numRois; k0 += chunk) {
        const int64_t k1 = std::min(numRois, k0 + chunk), kc = k1 - k0;
        const auto rows = ty.index.slice(0, k0, k1), cols = tx.index.slice(0, k0, k1);
        const auto base = batch.slice(0, k0, k1).view({kc, 1, 1}) * (height * width);
        const auto idx = base + rows.view({kc, ry, 1}) * width + cols.view({kc, 1, rx});
        auto vals = flat.index_select(1, idx.reshape({-1})).view({channels, kc, ry, rx});
        vals = vals.transpose(0, 1);  // (kc, C, ry, rx)
        auto t = (vals * ty.weight.slice(0, k0, k1).view({kc, 1, ry, 1}))
                     .view({kc, channels, outH, ry / outH, rx})
                     .sum(3);  // (kc, C, outH, rx)
        t = (t * tx.weight.slice(0, k0, k1).view({kc, 1, 1, rx}))
                .view({kc, channels, outH, outW, rx / outW})
                .sum(4);  // (kc, C, outH, outW)
        outs.push_back(t / count.slice(0, k0, k1).view({kc, 1, 1, 1}));
    }
    return outs.size() == 1 ? outs[0] : at::cat(outs, 0);
}

}  // namespace zsi::ops::detail
