#pragma once
// Internals of the detection ops, exposed so tests and benchmarks can call each
// implementation directly: the CPU kernels (at::parallel_for) and the ATen-composed paths
// that ops.h uses for tensors that are not on the CPU (CUDA builds), which are also
// runnable on the CPU so the two can be checked against each other.
#include "ops/ops.h"

namespace zsi::ops::detail {

// RoIAlign CPU kernels (float/double, contiguous). Forward has no autograd; the public
// roiAlign() wraps it in an autograd function whose backward is roiAlignCpuBackward.
// Two memory strategies, same arithmetic (per sample w1*v1 + w2*v2 + w3*v3 + w4*v4, then
// the mean): Planar reads the NCHW planes directly (best for few rois); ChannelsLast
// transposes the features to NHWC once so every bilinear tap is a contiguous, vectorised
// sweep over the channels (best when the taps outnumber the feature pixels). Auto picks.
enum class CpuLayout { Auto, Planar, ChannelsLast };
at::Tensor roiAlignCpuForward(const at::Tensor& features, const at::Tensor& rois,
                              double spatialScale, int outH, int outW, int samplingRatio,
                              Geometry geometry, CpuLayout layout = CpuLayout::Auto);
// Gradient w.r.t. the features of shape `featureSizes` (N, C, H, W).
at::Tensor roiAlignCpuBackward(const at::Tensor& gradOutput, const at::Tensor& rois,
                               at::IntArrayRef featureSizes, double spatialScale, int outH,
                               int outW, int samplingRatio, Geometry geometry,
                               CpuLayout layout = CpuLayout::Auto);
// RoIAlign from ATen ops only (index_select + weighted sums); autograd differentiates it.
// Works on any device; processes rois in chunks to bound memory.
at::Tensor roiAlignAten(const at::Tensor& features, const at::Tensor& rois, double spatialScale,
                        int outH, int outW, int samplingRatio, Geometry geometry);

// Greedy NMS, torchvision's algorithm, on CPU tensors. If `idxs` is defined, boxes with
// different idxs never suppress each other (per-class NMS). maxKeep >= 0 returns only the
// first maxKeep kept boxes (and stops looking once it has them).
at::Tensor nmsCpu(const at::Tensor& boxes, const at::Tensor& scores, const at::Tensor& idxs,
                  double iouThreshold, Geometry geometry, int64_t maxKeep = -1);
// NMS with the IoU matrix computed by ATen on the tensors' device and the greedy pass on
// the CPU (the same split as torchvision's CUDA kernel). Returns indices on boxes' device.
at::Tensor nmsAten(const at::Tensor& boxes, const at::Tensor& scores, const at::Tensor& idxs,
                   double iouThreshold, Geometry geometry);

}  // namespace zsi::ops::detail
