#pragma once
// Anchors, box deltas and RoI level mapping in both geometry variants (model-internal, ATen).
//   Reference: MMDetection v1 - base anchors centred at (s-1)/2 and rounded, widths
//              x2 - x1 + 1, decoded x2 = cx + w/2 - 0.5, boxes clipped to size - 1.
//   Modern:    torchvision - anchors centred at 0, widths x2 - x1, clipped to size.
#include "model/model_config.h"
#include "ops/ops.h"

#include <array>
#include <vector>

namespace zsi::model {

ops::Geometry toOpsGeometry(GeometryVariant g);

// Base anchors of one level, (A, 4), ratio-major then scale (MMDetection's scale_major order).
at::Tensor baseAnchors(int stride, const std::vector<double>& scales,
                       const std::vector<double>& ratios, GeometryVariant geometry);

// Anchors of a featH x featW grid, (featH * featW * A, 4): location-major, anchor-minor, the
// order of an RPN output permuted to (H, W, channels).
at::Tensor gridAnchors(const at::Tensor& base, int featH, int featW, int stride);

struct DeltaCoding {
    std::array<double, 4> means{0, 0, 0, 0};
    std::array<double, 4> stds{1, 1, 1, 1};
    double maxRatio = 4.135166556742356;  // |log(16 / 1000)|: clamp of dw, dh
};

// boxes (N, 4), deltas (N, 4k) -> (N, 4k). maxH/maxW > 0 clip to the image.
at::Tensor decodeDeltas(const at::Tensor& boxes, const at::Tensor& deltas,
                        const DeltaCoding& coding, int maxH, int maxW, GeometryVariant geometry);

// Training targets: (N, 4) proposals and ground truth -> (N, 4) normalised deltas.
at::Tensor encodeDeltas(const at::Tensor& proposals, const at::Tensor& gt,
                        const DeltaCoding& coding, GeometryVariant geometry);

// FPN level per box (int64, 0..numLevels-1): floor(log2(sqrt(w h) / finestScale)).
at::Tensor mapRoiLevels(const at::Tensor& boxes, int numLevels, double finestScale,
                        GeometryVariant geometry);

// Multi-level RoIAlign. rois (K, 5) [batch, x1, y1, x2, y2]; features one tensor per level
// (only the first `strides.size()` levels of those passed are used).
at::Tensor extractRoiFeatures(const std::vector<at::Tensor>& features,
                              const std::vector<int>& strides, const at::Tensor& rois, int outSize,
                              int samplingRatio, double finestScale, GeometryVariant geometry);

}  // namespace zsi::model
