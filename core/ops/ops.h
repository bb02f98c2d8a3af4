#pragma once
// Detection ops the network needs and LibTorch lacks (there is no torchvision for C++).
// Each comes in two geometry variants:
//   Geometry::Modern    - torchvision semantics: roi_align(aligned=true), no "+1" in sizes.
//   Geometry::Reference - MMDetection v1 (the ZSI reference code): "+1" pixel sizes in NMS
//                         areas and mask pasting, legacy RoIAlign with end = (x2 + 1) * scale
//                         and no half-pixel offset.
// CPU kernels use at::parallel_for; on CUDA tensors the same functions run through ATen ops
// (or CUDA kernels when built with ZSI_WITH_CUDA).
// Internal to core: this header includes ATen, never include it from Qt code.
#include <ATen/ATen.h>

namespace zsi::ops {

enum class Geometry { Modern, Reference };

// features: (N, C, H, W) float. rois: (K, 5) float rows [batch_index, x1, y1, x2, y2] in
// image coordinates. Returns (K, C, outH, outW). spatialScale maps image to feature
// coordinates; samplingRatio <= 0 means adaptive (ceil(roi_size / out_size)), as torchvision.
// Modern: torchvision.ops.roi_align(..., aligned=True).
// Reference: mmdet v1 RoIAlign: x1*scale, (x2+1)*scale, roi size clamped to >= 1, no offset.
at::Tensor roiAlign(const at::Tensor& features, const at::Tensor& rois, double spatialScale,
                    int outH, int outW, int samplingRatio, Geometry geometry);

// boxes (N, 4) [x1, y1, x2, y2], scores (N). Returns int64 indices of kept boxes sorted by
// decreasing score (ties: lower index first, as torchvision). Reference geometry uses
// (x2 - x1 + 1) * (y2 - y1 + 1) areas and "+1" intersections.
at::Tensor nms(const at::Tensor& boxes, const at::Tensor& scores, double iouThreshold,
               Geometry geometry);

// Per-class NMS: boxes of different idxs never suppress each other (torchvision's
// batched_nms, coordinate-offset trick). Returns kept indices sorted by decreasing score.
at::Tensor batchedNms(const at::Tensor& boxes, const at::Tensor& scores, const at::Tensor& idxs,
                      double iouThreshold, Geometry geometry);

// Pairwise IoU (N, 4) x (M, 4) -> (N, M).
at::Tensor boxIou(const at::Tensor& a, const at::Tensor& b, Geometry geometry);

// Pastes one mask probability map (h, w) float, predicted for `box` [x1, y1, x2, y2] in image
// coordinates, into the box's pixel footprint: returns a float map covering the integer box
// [x0, y0, x1, y1) clipped to the image (imageH, imageW), with its origin in originX/originY.
// Modern: torchvision paste_masks_in_image (bilinear resize to the box, no "+1").
// Reference: mmdet v1 get_seg_masks (w = x2 - x1 + 1, resize with cv2-like bilinear).
// Thresholding is left to the caller so similarity and soft masks stay available.
struct PastedMask {
    at::Tensor probs;  // (ph, pw) float
    int originX = 0;
    int originY = 0;
};
PastedMask pasteMask(const at::Tensor& mask, const at::Tensor& box, int imageH, int imageW,
                     Geometry geometry);

}  // namespace zsi::ops
