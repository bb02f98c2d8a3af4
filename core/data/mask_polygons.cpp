#include "data/mask_polygons.h"

#include "data/rle.h"

#include <opencv2/imgproc.hpp>

namespace zsi {

MaskPolygons maskToPolygons(const cv::Mat& crop, cv::Point origin, int imageHeight,
                            int imageWidth) {
    MaskPolygons out;
    if (crop.empty()) return out;
    // A one-pixel zero border so contours of masks touching the crop edge close properly.
    cv::Mat padded;
    cv::copyMakeBorder(crop != 0, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, 0);
    std::vector<std::vector<cv::Point>> contours;
    std::vector<cv::Vec4i> hierarchy;
    // RETR_CCOMP: two levels, outer boundaries and the holes inside them.
    cv::findContours(padded, contours, hierarchy, cv::RETR_CCOMP, cv::CHAIN_APPROX_SIMPLE);
    const double ox = origin.x - 1, oy = origin.y - 1;
    for (size_t i = 0; i < contours.size(); ++i) {
        if (hierarchy[i][3] >= 0) {  // has a parent: a hole
            ++out.holes;
            continue;
        }
        const auto& c = contours[i];
        std::vector<double> ring;
        if (c.size() >= 3) {
            ring.reserve(c.size() * 2);
            for (const cv::Point& p : c) {
                ring.push_back(p.x + ox);
                ring.push_back(p.y + oy);
            }
        } else {
            // A point or a 2-pixel line: its pixels' square, so the ring is a valid polygon.
            const cv::Rect r = cv::boundingRect(c);
            const double x0 = r.x + ox - 0.5, y0 = r.y + oy - 0.5;
            const double x1 = x0 + r.width, y1 = y0 + r.height;
            ring = {x0, y0, x1, y0, x1, y1, x0, y1};
        }
        out.rings.push_back(std::move(ring));
    }
    // What a reader gets back, against what we had.
    const Rle original = rle::encodeCropped(crop, origin, imageHeight, imageWidth);
    const Rle back = rle::fromPolygons(out.rings, imageHeight, imageWidth);
    const uint64_t both = rle::area(rle::merge({original, back}, true));
    out.changedPixels = static_cast<long long>(rle::area(original) + rle::area(back) - 2 * both);
    return out;
}

}  // namespace zsi
