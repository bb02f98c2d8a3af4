#pragma once
// Image -> network input: keep-ratio resize into maxLongSide x maxShortSide (bilinear, as
// mmcv.imrescale), (x - mean) / std per channel, zero padding to a multiple of padDivisor.
// Model-internal (ATen + OpenCV).
#include "model/stages.h"

#include <opencv2/core/mat.hpp>

namespace zsi::model {

// rgb: H x W x 3 uint8 in RGB order. Throws Error(InvalidArgument) for other layouts and
// Error(ImageTooSmall) for an empty image.
PreparedInput preprocessImage(const cv::Mat& rgb, const PreprocessConfig& config);

// The keep-ratio scale factor for an h x w image.
double rescaleFactor(int h, int w, const PreprocessConfig& config);

}  // namespace zsi::model
