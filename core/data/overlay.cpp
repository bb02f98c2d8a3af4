#include "data/overlay.h"

#include "data/palette.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>

namespace zsi {

cv::Mat drawInstances(const cv::Mat& rgb, const std::vector<Instance>& instances, const OverlayStyle& style) {
    cv::Mat out = rgb.clone();
    const cv::Rect imageRect(0, 0, out.cols, out.rows);
    // Draw the weakest first so the strongest stay on top.
    std::vector<size_t> order(instances.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return instances[a].score < instances[b].score; });
    for (size_t k : order) {
        const Instance& inst = instances[k];
        const auto c = classColorRgb(inst.classIndex);
        const cv::Scalar colour(c[0], c[1], c[2]);
        if (!inst.mask.empty()) {
            const cv::Rect maskRect(inst.maskOriginX, inst.maskOriginY, inst.mask.cols, inst.mask.rows);
            const cv::Rect r = maskRect & imageRect;
            if (r.area() > 0) {
                cv::Mat roi = out(r);
                const cv::Mat m = inst.mask(cv::Rect(r.x - maskRect.x, r.y - maskRect.y, r.width, r.height));
                cv::Mat tinted;
                cv::addWeighted(roi, 1.0 - style.fillAlpha, cv::Mat(roi.size(), roi.type(), colour), style.fillAlpha, 0,
                                tinted);
                tinted.copyTo(roi, m);
                std::vector<std::vector<cv::Point>> contours;
                cv::findContours(m.clone(), contours, cv::RETR_CCOMP, cv::CHAIN_APPROX_SIMPLE);
                cv::drawContours(roi, contours, -1, colour, style.outlineThickness, cv::LINE_AA);
            }
        }
        if (style.labels) {
            char tag[256];
            std::snprintf(tag, sizeof tag, "%s %.2f", inst.className.c_str(), inst.score);
            int base = 0;
            const double scale = std::clamp(out.cols / 900.0, 0.4, 1.2);
            const cv::Size ts = cv::getTextSize(tag, cv::FONT_HERSHEY_SIMPLEX, scale, 1, &base);
            const int x = std::clamp(static_cast<int>(inst.x1), 0, std::max(0, out.cols - ts.width - 4));
            const int y = std::clamp(static_cast<int>(inst.y1), ts.height + 4, std::max(ts.height + 4, out.rows));
            cv::rectangle(out, cv::Rect(x, y - ts.height - 4, ts.width + 4, ts.height + 4), colour * 0.7, cv::FILLED);
            cv::putText(out, tag, cv::Point(x + 2, y - 3), cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(255, 255, 255), 1,
                        cv::LINE_AA);
        }
    }
    return out;
}

}  // namespace zsi
