#pragma once
// Instances drawn over an image with OpenCV (the CLI's --overlay, reports). The GUI draws
// its own interactive overlay; both use the same class colours (data/palette.h).
#include "data/instance.h"

#include <opencv2/core/mat.hpp>

#include <vector>

namespace zsi {

struct OverlayStyle {
    double fillAlpha = 0.45;
    int outlineThickness = 2;
    bool labels = true;
};

// rgb: CV_8UC3 RGB. Returns a new RGB image.
cv::Mat drawInstances(const cv::Mat& rgb, const std::vector<Instance>& instances,
                      const OverlayStyle& style = {});

}  // namespace zsi
