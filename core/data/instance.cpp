#include "data/instance.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <cstdint>

namespace zsi {

int Instance::area() const {
    return mask.empty() ? 0 : cv::countNonZero(mask);
}

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

double maskIou(const Instance& a, const Instance& b) {
    if (a.mask.empty() || b.mask.empty()) return 0;
    const cv::Rect ra(a.maskOriginX, a.maskOriginY, a.mask.cols, a.mask.rows);
    const cv::Rect rb(b.maskOriginX, b.maskOriginY, b.mask.cols, b.mask.rows);
    const cv::Rect both = ra & rb;
    const double areaA = cv::countNonZero(a.mask), areaB = cv::countNonZero(b.mask);
    if (both.empty() || areaA + areaB == 0) return 0;
    const cv::Mat ca = a.mask(both - ra.tl()), cb = b.mask(both - rb.tl());
    double inter = 0;
    for (int y = 0; y < both.height; ++y) {
        const uint8_t* pa = ca.ptr<uint8_t>(y);
        const uint8_t* pb = cb.ptr<uint8_t>(y);
        for (int x = 0; x < both.width; ++x) inter += (pa[x] && pb[x]);
    }
    return inter / (areaA + areaB - inter);
}

void keepOneLabelPerObject(std::vector<Instance>& instances, double minIou) {
    std::stable_sort(instances.begin(), instances.end(),
                     [](const Instance& a, const Instance& b) { return a.score > b.score; });
    std::vector<Instance> kept;
    for (Instance& inst : instances) {
        Instance* owner = nullptr;
        for (Instance& k : kept) {
            // Boxes that do not meet cannot overlap: skip the pixel count.
            if (inst.x1 >= k.x2 || k.x1 >= inst.x2 || inst.y1 >= k.y2 || k.y1 >= inst.y2) continue;
            if (maskIou(inst, k) >= minIou) {
                owner = &k;
                break;
            }
        }
        if (!owner) {
            kept.push_back(std::move(inst));
            continue;
        }
        if (inst.classIndex == owner->classIndex) continue;  // a duplicate of the same class
        const bool listed =
            std::any_of(owner->alternatives.begin(), owner->alternatives.end(),
                        [&](const ClassAlternative& c) { return c.classIndex == inst.classIndex; });
        if (!listed)  // instances arrive best first: the first of a class is its best score
            owner->alternatives.push_back(
                {inst.classIndex, inst.className, inst.classKind, inst.score});
    }
    instances = std::move(kept);
}

}  // namespace zsi
