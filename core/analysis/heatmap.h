#pragma once
// p(background) maps as coloured overlays ("what it does here"). The BA-RPN gives one
// map per FPN level at that level's resolution, covering the image content; these helpers
// stretch a map to the image and colour it, so the canvas and the report show the same thing.
#include <opencv2/core/mat.hpp>
#include <opencv2/imgproc.hpp>

namespace zsi::analysis {

struct HeatmapStyle {
    int colormap = cv::COLORMAP_TURBO;  // low p(bg) blue, high p(bg) red
    double opacity = 0.5;               // alpha of every pixel, 0..1
    bool smooth = true;                 // bilinear stretch (false: nearest, shows the cells)
};

// A float map (CV_32F; values clamped to [0, 1], NaN as 0) -> CV_8UC4 RGBA image of
// `imageSize` (width x height). Throws Error(InvalidArgument) for an empty map or size.
cv::Mat heatmapRgba(const cv::Mat& probability, cv::Size imageSize, const HeatmapStyle& style = {});

// The RGBA heatmap alpha-blended over an RGB (CV_8UC3) image of the same size -> CV_8UC3 RGB.
cv::Mat blendRgba(const cv::Mat& rgb, const cv::Mat& rgba);

// Summary numbers of one level's map, for background.json.
struct MapStats {
    int width = 0, height = 0;
    double min = 0, max = 0, mean = 0;
};
MapStats mapStats(const cv::Mat& probability);

}  // namespace zsi::analysis
