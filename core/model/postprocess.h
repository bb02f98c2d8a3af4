#pragma once
// From box-head semantics to final detections: scoring, box decoding under the chosen
// regression rule, per-class NMS per score set (model-internal, ATen + ops).
#include "model/box_coder.h"
#include "model/stages.h"

namespace zsi::model {

// WsBox / WuBox: the class matrices the semantic features are multiplied with (D x (1 + n),
// column 0 background; for the VOC-free head already passed through its class transform).
// `scale` is resized / original. Fills boxes (original coordinates) and resizedBoxes; masks
// are left for the caller. Modern geometry runs NMS in resized coordinates and divides after;
// reference geometry divides first and runs NMS in original pixels, as mmdet v1's
// get_det_bboxes(rescale=True) does (with "+1" sizes the IoU depends on the scale), then
// multiplies back for the mask RoIs.
// Throws Error(InvalidArgument) when the reference index rule meets more unseen classes than
// there are seen classes (it has no deltas for them).
Detections decodeDetections(const BoxSemantics& box, const at::Tensor& proposals,
                            const at::Tensor& WsBox, const at::Tensor& WuBox,
                            const InferenceSettings& options, int imageH, int imageW, double scale,
                            GeometryVariant geometry, const DeltaCoding& coding);

}  // namespace zsi::model
