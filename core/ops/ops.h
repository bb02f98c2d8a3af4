#pragma once
// Detection ops the network needs and LibTorch lacks (there is no torchvision for C++).
// Each comes in two geometry variants:
//   Geometry::Modern    - torchvision semantics: roi_align(aligned=true), no "+1" in box
//                         sizes (mask pasting keeps torchvision's own integer "+1").
//   Geometry::Reference - MMDetection v1 (the ZSI reference code): "+1" pixel sizes in NMS
//                         areas and mask pasting, legacy RoIAlign with end = (x2 + 1) * scale
//                         and no half-pixel offset.
// CPU kernels use at::parallel_for; on CUDA tensors the same functions run through ATen ops
// (there are no hand-written CUDA kernels). ops_detail.h exposes each implementation.
// Bad shapes throw zsi::Error(InvalidArgument); empty inputs give correctly shaped empties.
// Internal to core: this header includes ATen, never include it from Qt code.
#include <ATen/ATen.h>

namespace zsi::ops {

enum class Geometry { Modern, Reference };

// features: (N, C, H, W) float or double. rois: (K, 5) rows [batch_index, x1, y1, x2, y2] in
// image coordinates. Returns (K, C, outH, outW). spatialScale maps image to feature
// coordinates; samplingRatio <= 0 means adaptive (ceil(roi_size / out_size)), as torchvision.
// Differentiable w.r.t. features (CPU: custom backward; other devices: ATen autograd).
// Modern: torchvision.ops.roi_align(..., aligned=True). Where torchvision throws (rois
//   inverted on one axis with an adaptive grid) the output is 0.
// Reference: mmdet v1 legacy RoIAlign: start x1*scale, end (x2+1)*scale, no offset, roi size
//   clamped to >= 0 (the legacy kernel's fmaxf(size, 0), despite its "1x1" comment). An
//   empty adaptive grid gives 0 where the legacy kernel divides 0 by 0.
at::Tensor roiAlign(const at::Tensor& features, const at::Tensor& rois, double spatialScale,
                    int outH, int outW, int samplingRatio, Geometry geometry);

// The CPU RoIAlign keeps one scratch buffer (a channels-last copy of the largest feature map
// seen, e.g. ~70 MB for a 256x200x336 P2 map) between calls; this frees it.
void releaseScratchMemory();

// boxes (N, 4) [x1, y1, x2, y2], scores (N). Returns int64 indices of kept boxes sorted by
// decreasing score (ties: lower index first, as torchvision). A box is suppressed when its
// IoU with a kept box is > iouThreshold (strict, as torchvision and mmdet v1's CUDA kernel;
// mmdet v1's CPU kernel used >=). Reference geometry uses (x2 - x1 + 1) * (y2 - y1 + 1)
// areas and "+1" intersections.
at::Tensor nms(const at::Tensor& boxes, const at::Tensor& scores, double iouThreshold,
               Geometry geometry);

// Per-class NMS: boxes of different idxs never suppress each other (torchvision's
// batched_nms; computed per class, so unlike torchvision's coordinate-offset trick it stays
// exact for boxes with negative coordinates). Returns kept indices sorted by decreasing score
// (ties: lower index first). maxKeep >= 0: only the first maxKeep of them (a detector's
// max detections), found without running NMS over the candidates after them.
at::Tensor batchedNms(const at::Tensor& boxes, const at::Tensor& scores, const at::Tensor& idxs,
                      double iouThreshold, Geometry geometry, int64_t maxKeep = -1);

// Pairwise IoU (N, 4) x (M, 4) -> (N, M).
at::Tensor boxIou(const at::Tensor& a, const at::Tensor& b, Geometry geometry);

// Pastes one mask probability map (h, w) float, predicted for `box` [x1, y1, x2, y2] in image
// coordinates, into the box's pixel footprint: returns a float map covering the integer box
// [x0, y0, x1, y1) clipped to the image (imageH, imageW), with its origin in originX/originY.
// Modern: torchvision paste_masks_in_image: the mask is padded by one pixel, the box grown
//   by (M + 2) / M about its centre and truncated to integers, the padded mask resized
//   (bilinear, align_corners=False) to (y2 - y1 + 1, x2 - x1 + 1), covering [x1, x2 + 1).
// Reference: mmdet v1 get_seg_masks: box truncated to integers, w = max(x2 - x1 + 1, 1),
//   cv::resize INTER_LINEAR of the float probabilities to (w, h), covering [x1, x1 + w).
// A box entirely outside the image gives an empty (0-sized) probs with the origin clamped
// into [0, imageW] x [0, imageH].
// Thresholding is left to the caller so similarity and soft masks stay available.
struct PastedMask {
    at::Tensor probs;  // (ph, pw) float
    int originX = 0;
    int originY = 0;
};
PastedMask pasteMask(const at::Tensor& mask, const at::Tensor& box, int imageH, int imageW,
                     Geometry geometry);

}  // namespace zsi::ops
