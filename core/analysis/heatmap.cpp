#include "analysis/heatmap.h"

#include "util/error.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>

namespace zsi::analysis {

cv::Mat heatmapRgba(const cv::Mat& probability, cv::Size imageSize, const HeatmapStyle& style) {
    if (probability.empty() || imageSize.width <= 0 || imageSize.height <= 0)
        throw Error(ErrorCode::InvalidArgument, "a heatmap needs a non-empty map and image size",
                    {{"name", "heatmap"}, {"reason", "empty map or size"}});
    cv::Mat p;
    probability.convertTo(p, CV_32F);
    cv::patchNaNs(p, 0.0);
    cv::min(cv::max(p, 0.0), 1.0, p);
    cv::Mat stretched;
    cv::resize(p, stretched, imageSize, 0, 0, style.smooth ? cv::INTER_LINEAR : cv::INTER_NEAREST);
    cv::Mat bytes;
    stretched.convertTo(bytes, CV_8U, 255.0);
    cv::Mat bgr;
    cv::applyColorMap(bytes, bgr, style.colormap);
    cv::Mat rgba;
    cv::cvtColor(bgr, rgba, cv::COLOR_BGR2RGBA);
    const double a = std::clamp(style.opacity, 0.0, 1.0);
    cv::Mat alpha(imageSize, CV_8U, cv::Scalar(std::lround(a * 255.0)));
    cv::insertChannel(alpha, rgba, 3);
    return rgba;
}

cv::Mat blendRgba(const cv::Mat& rgb, const cv::Mat& rgba) {
    if (rgb.size() != rgba.size() || rgb.type() != CV_8UC3 || rgba.type() != CV_8UC4)
        throw Error(ErrorCode::InvalidArgument,
                    "blending needs an RGB image and an RGBA overlay of one size",
                    {{"name", "overlay"}, {"reason", "size or type differs"}});
    cv::Mat out(rgb.size(), CV_8UC3);
    for (int y = 0; y < rgb.rows; ++y) {
        const auto* s = rgb.ptr<cv::Vec3b>(y);
        const auto* o = rgba.ptr<cv::Vec4b>(y);
        auto* d = out.ptr<cv::Vec3b>(y);
        for (int x = 0; x < rgb.cols; ++x) {
            const int a = o[x][3];
            for (int c = 0; c < 3; ++c)
                d[x][c] = cv::saturate_cast<uchar>((o[x][c] * a + s[x][c] * (255 - a) + 127) / 255);
        }
    }
    return out;
}

MapStats mapStats(const cv::Mat& probability) {
    MapStats s;
    if (probability.empty()) return s;
    s.width = probability.cols;
    s.height = probability.rows;
    cv::Mat p;
    probability.convertTo(p, CV_64F);
    cv::minMaxLoc(p, &s.min, &s.max);
    s.mean = cv::mean(p)[0];
    return s;
}

}  // namespace zsi::analysis
