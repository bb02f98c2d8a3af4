#include "data/instance.h"

#include <opencv2/core.hpp>

#include <algorithm>

namespace zsi {

int Instance::area() const { return mask.empty() ? 0 : cv::countNonZero(mask); }

cv::Mat Instance::fullMask(int imageH, int imageW) const {
    cv::Mat full = cv::Mat::zeros(imageH, imageW, CV_8U);
    if (mask.empty()) return full;
    const int x0 = std::max(0, maskOriginX), y0 = std::max(0, maskOriginY);
    const int x1 = std::min(imageW, maskOriginX + mask.cols);
    const int y1 = std::min(imageH, maskOriginY + mask.rows);
    if (x1 <= x0 || y1 <= y0) return full;
    mask(cv::Rect(x0 - maskOriginX, y0 - maskOriginY, x1 - x0, y1 - y0))
        .copyTo(full(cv::Rect(x0, y0, x1 - x0, y1 - y0)));
    return full;
}

}  // namespace zsi
