#include "model/preprocess.h"

#include "util/error.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace zsi::model {

double rescaleFactor(int h, int w, const PreprocessConfig& config) {
    const double longSide = std::max(h, w), shortSide = std::min(h, w);
    return std::min(config.maxLongSide / longSide, config.maxShortSide / shortSide);
}

PreparedInput preprocessImage(const cv::Mat& rgb, const PreprocessConfig& config) {
    if (rgb.empty() || rgb.rows < 1 || rgb.cols < 1)
        throw Error(ErrorCode::ImageTooSmall, "empty image",
                    {{"path", ""}, {"width", "0"}, {"height", "0"}});
    if (rgb.type() != CV_8UC3)
        throw Error(ErrorCode::InvalidArgument, "the model expects an 8-bit 3-channel RGB image",
                    {{"name", "image"}, {"reason", "type " + std::to_string(rgb.type())}});
    PreparedInput in;
    in.originalH = rgb.rows;
    in.originalW = rgb.cols;
    in.scale = rescaleFactor(rgb.rows, rgb.cols, config);
    in.resizedW = std::max(1, static_cast<int>(rgb.cols * in.scale + 0.5));
    in.resizedH = std::max(1, static_cast<int>(rgb.rows * in.scale + 0.5));
    cv::Mat resized;
    if (in.resizedW == rgb.cols && in.resizedH == rgb.rows)
        resized = rgb;
    else
        cv::resize(rgb, resized, cv::Size(in.resizedW, in.resizedH), 0, 0, cv::INTER_LINEAR);
    if (!config.rgb) cv::cvtColor(resized, resized, cv::COLOR_RGB2BGR);
    cv::Mat contiguous = resized.isContinuous() ? resized : resized.clone();

    const int d = config.padDivisor;
    const int padH = (in.resizedH + d - 1) / d * d, padW = (in.resizedW + d - 1) / d * d;
    const at::Tensor hwc =
        at::from_blob(contiguous.data, {in.resizedH, in.resizedW, 3}, at::kByte).to(at::kFloat);
    // Mean/std are given in the network's channel order.
    const at::Tensor mean = at::tensor(std::vector<float>(config.mean.begin(), config.mean.end()));
    const at::Tensor std = at::tensor(std::vector<float>(config.std.begin(), config.std.end()));
    const at::Tensor chw = ((hwc - mean) / std).permute({2, 0, 1});
    in.image = at::zeros({1, 3, padH, padW}, at::kFloat);
    in.image[0].slice(1, 0, in.resizedH).slice(2, 0, in.resizedW).copy_(chw);
    return in;
}

}  // namespace zsi::model
