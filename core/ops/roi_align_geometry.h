#pragma once
// Per-RoI sampling geometry shared by the RoIAlign CPU forward and backward kernels.
// The arithmetic (types, operation order) mirrors torchvision's roi_align_kernel.cpp and
// MMDetection v1's roi_align_kernel.cu so float results match them bit for bit or nearly.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "ops/ops.h"

namespace zsi::ops::detail {

constexpr int kMaxGrid = 1 << 20;

template <typename T>
struct RoiSampling {
    int64_t batch = 0;
    T startH = 0, startW = 0;
    T binH = 0, binW = 0;
    int gridH = 0, gridW = 0;  // 0 for degenerate rois: no samples
    T count = 1;               // divisor, never 0
};

template <typename T>
RoiSampling<T> roiSampling(const T* roi, T scale, int outH, int outW, int samplingRatio,
                           Geometry geometry) {
    RoiSampling<T> s;
    s.batch = static_cast<int64_t>(roi[0]);
    T roiW, roiH;
    if (geometry == Geometry::Modern) {
        // torchvision aligned=True: half-pixel offset, no size clamp (sizes may be < 0).
        const T offset = static_cast<T>(0.5);
        s.startW = roi[1] * scale - offset;
        s.startH = roi[2] * scale - offset;
        const T endW = roi[3] * scale - offset;
        const T endH = roi[4] * scale - offset;
        roiW = endW - s.startW;
        roiH = endH - s.startH;
    } else {
        // mmdet v1 legacy kernel: end = (x2 + 1) * scale, size clamped at 0 (the kernel's
        // comment says "1x1" but its code clamps with fmaxf(..., 0.)).
        s.startW = roi[1] * scale;
        s.startH = roi[2] * scale;
        const T endW = (roi[3] + 1) * scale;
        const T endH = (roi[4] + 1) * scale;
        roiW = std::max(endW - s.startW, static_cast<T>(0));
        roiH = std::max(endH - s.startH, static_cast<T>(0));
    }
    s.binH = roiH / static_cast<T>(outH);
    s.binW = roiW / static_cast<T>(outW);
    // Adaptive grids of absurd rois (coordinates ~1e9) are capped so the int conversion and
    // the product below cannot overflow; real rois never come near the cap.
    auto adaptive = [](T size, int out) {
        const T g = std::ceil(size / static_cast<T>(out));
        if (!(g > 0)) return 0;  // negative (inverted roi) or NaN: no samples either way
        return g > static_cast<T>(kMaxGrid) ? kMaxGrid : static_cast<int>(g);
    };
    s.gridH = samplingRatio > 0 ? samplingRatio : adaptive(roiH, outH);
    s.gridW = samplingRatio > 0 ? samplingRatio : adaptive(roiW, outW);
    // torchvision: max(gridH * gridW, 1). The legacy kernel divides by the product even when
    // it is 0 (NaN for an empty adaptive roi); we return 0 there instead.
    s.count = static_cast<T>(std::max<int64_t>(int64_t{s.gridH} * s.gridW, 1));
    return s;
}

// One bilinear sample: four flat offsets into an (H, W) plane and their weights. Samples
// outside [-1, H] x [-1, W] get zero weights (offsets 0), as in both reference kernels.
template <typename T>
struct BilinearTap {
    int64_t p1, p2, p3, p4;
    T w1, w2, w3, w4;
};

template <typename T>
inline BilinearTap<T> bilinearTap(int64_t height, int64_t width, T y, T x) {
    // Written as a negated range test so NaN coordinates (NaN rois) also read nothing.
    if (!(y >= -1.0 && y <= height && x >= -1.0 && x <= width)) return {0, 0, 0, 0, 0, 0, 0, 0};
    if (y <= 0) y = 0;
    if (x <= 0) x = 0;
    int64_t yLow = static_cast<int>(y);
    int64_t xLow = static_cast<int>(x);
    int64_t yHigh, xHigh;
    if (yLow >= height - 1) {
        yHigh = yLow = height - 1;
        y = static_cast<T>(yLow);
    } else {
        yHigh = yLow + 1;
    }
    if (xLow >= width - 1) {
        xHigh = xLow = width - 1;
        x = static_cast<T>(xLow);
    } else {
        xHigh = xLow + 1;
    }
    const T ly = y - yLow, lx = x - xLow;
    const T hy = 1. - ly, hx = 1. - lx;
    return {yLow * width + xLow,
            yLow * width + xHigh,
            yHigh * width + xLow,
            yHigh * width + xHigh,
            hy * hx,
            hy * lx,
            ly * hx,
            ly * lx};
}

// All taps of one roi, ordered (ph, pw, iy, ix): outH * outW * gridH * gridW entries.
template <typename T>
void roiTaps(const RoiSampling<T>& s, int64_t height, int64_t width, int outH, int outW,
             std::vector<BilinearTap<T>>& taps) {
    taps.clear();
    if (s.gridH <= 0 || s.gridW <= 0) return;
    // A roi whose samples all fall outside [-1, size] on one axis reads only zeros; skip it
    // (a huge far-away box would otherwise allocate an enormous adaptive grid).
    auto outside = [](T start, T bin, int out, int grid, int64_t size) {
        const T first = start + static_cast<T>(.5f) * bin / static_cast<T>(grid);
        const T last =
            start + (out - 1) * bin + static_cast<T>(grid - .5f) * bin / static_cast<T>(grid);
        const T lo = std::min(first, last), hi = std::max(first, last);
        // Margin of one unit: rounding in the per-sample formula must not flip a sample.
        return hi < static_cast<T>(-2) || lo > static_cast<T>(size + 1);
    };
    if (outside(s.startH, s.binH, outH, s.gridH, height) ||
        outside(s.startW, s.binW, outW, s.gridW, width))
        return;
    taps.reserve(static_cast<size_t>(outH) * outW * s.gridH * s.gridW);
    for (int ph = 0; ph < outH; ++ph) {
        for (int pw = 0; pw < outW; ++pw) {
            for (int iy = 0; iy < s.gridH; ++iy) {
                const T y = s.startH + ph * s.binH +
                            static_cast<T>(iy + .5f) * s.binH / static_cast<T>(s.gridH);
                for (int ix = 0; ix < s.gridW; ++ix) {
                    const T x = s.startW + pw * s.binW +
                                static_cast<T>(ix + .5f) * s.binW / static_cast<T>(s.gridW);
                    taps.push_back(bilinearTap<T>(height, width, y, x));
                }
            }
        }
    }
}

}  // namespace zsi::ops::detail
