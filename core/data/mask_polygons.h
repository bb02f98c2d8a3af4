#pragma once
// Binary masks as COCO polygons, and what that costs. COCO polygons cannot describe holes
// (pycocotools unions the rings of one object), so a donut exported as polygons becomes a
// disc: the conversion counts the holes it dropped and the pixels that changed, and the
// exporters report both instead of losing them silently.
#include <opencv2/core/mat.hpp>

#include <vector>

namespace zsi {

struct MaskPolygons {
    std::vector<std::vector<double>> rings;  // each [x0, y0, x1, y1, ...], image pixels
    int holes = 0;                           // hole contours that polygons cannot carry
    long long changedPixels = 0;             // pixels that differ after pycocotools rasterises
                                             // the rings back (holes and boundary rounding)
};

// Outer contours of `crop` (CV_8U, nonzero = 1) placed at `origin` in an imageHeight x
// imageWidth image. Every ring has at least 3 points (a 1-pixel blob becomes its square).
MaskPolygons maskToPolygons(const cv::Mat& crop, cv::Point origin, int imageHeight, int imageWidth);

}  // namespace zsi
