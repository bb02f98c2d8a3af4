#pragma once
// The losses of ZSI (Zheng et al., CVPR 2021) as pure functions, with MMDetection v1's
// reductions. Internal to core (ATen).
//   BA-RPN:   softmax cross-entropy over each (background, foreground) logit pair, and
//             SmoothL1 (beta 1/9) on positive anchors; both summed and divided by the number
//             of sampled anchors.
//   Box head: cross-entropy over 1 + S (mean over sampled RoIs), SmoothL1 (beta 1) on the
//             class-specific deltas of positive RoIs divided by the number of sampled RoIs,
//             reconstruction MSE(h, T_d(e)).
//   Mask:     per-pixel BCE on the target class channel (mean), reconstruction MSE(m, D(x)).
#include "model/model_config.h"

#include <ATen/ATen.h>
#include <opencv2/core/mat.hpp>

#include <vector>

namespace zsi::train {

// Elementwise SmoothL1: 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta.
at::Tensor smoothL1(const at::Tensor& pred, const at::Tensor& target, double beta);

// logits (K, 2) [background, foreground], labels (K) int64 in {0, 1}.
at::Tensor rpnClassificationLoss(const at::Tensor& logits, const at::Tensor& labels,
                                 double avgFactor);
// Summed SmoothL1 over (P, 4) deltas divided by avgFactor.
at::Tensor regressionLoss(const at::Tensor& pred, const at::Tensor& target, double beta,
                          double avgFactor);
// logits (K, 1 + S), labels (K) int64 in 0..S (0 background): mean cross-entropy.
at::Tensor boxClassificationLoss(const at::Tensor& logits, const at::Tensor& labels);
// deltas (K, 4 (1 + S)), labels (K) in 0..S -> (K, 4) the deltas of each RoI's own class.
at::Tensor classSpecificDeltas(const at::Tensor& deltas, const at::Tensor& labels);
// logits (P, 1 + S, M, M), labels (P) in 1..S, targets (P, M, M) in {0, 1}: mean BCE on
// channel `label` of each RoI.
at::Tensor maskLoss(const at::Tensor& logits, const at::Tensor& labels, const at::Tensor& targets);
// Mean squared error between a feature and its decoded reconstruction.
at::Tensor reconstructionLoss(const at::Tensor& feature, const at::Tensor& decoded);

// mmdet mask_target: each RoI box (P, 4) crops its ground-truth mask (CV_8U 0/1, image size)
// on integer pixel bounds and resizes the crop to size x size (bilinear, rounded back to
// 0/1). Reference geometry: x1..x2 inclusive (w = x2 - x1 + 1); Modern: w = x2 - x1.
// Returns (P, size, size) float on the CPU.
at::Tensor maskTargets(const at::Tensor& rois, const std::vector<const cv::Mat*>& masks, int size,
                       GeometryVariant geometry);

}  // namespace zsi::train
