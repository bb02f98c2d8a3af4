// Pasting one box's mask probabilities into image pixels, cropped to the box footprint.
#include <opencv2/imgproc.hpp>

#include <algorithm>

#include "ops/ops.h"
#include "util/error.h"

namespace zsi::ops {
namespace {

// Crops `resized` (h, w), placed with its top-left at (bx, by), to the pixels
// [bx, endX) x [by, endY) that lie inside the image. torchvision ends the footprint at
// x2 + 1, which for an inverted box is before bx + w (an empty paste); mmdet at bx + w.
PastedMask cropToImage(const at::Tensor& resized, int64_t bx, int64_t by, int64_t endX,
                       int64_t endY, int imageH, int imageW) {
    endX = std::min<int64_t>(endX, bx + resized.size(1));
    endY = std::min<int64_t>(endY, by + resized.size(0));
    const int64_t x0 = std::clamp<int64_t>(bx, 0, imageW), y0 = std::clamp<int64_t>(by, 0, imageH);
    const int64_t x1 = std::clamp<int64_t>(endX, x0, imageW);
    const int64_t y1 = std::clamp<int64_t>(endY, y0, imageH);
    PastedMask out;
    out.originX = static_cast<int>(x0);
    out.originY = static_cast<int>(y0);
    if (x1 <= x0 || y1 <= y0) {
        out.probs = at::zeros({y1 - y0, x1 - x0}, resized.options());
        return out;
    }
    out.probs = resized.slice(0, y0 - by, y1 - by).slice(1, x0 - bx, x1 - bx).contiguous();
    return out;
}

// torchvision paste_masks_in_image for one mask: pad the mask by one pixel, grow the box by
// the same ratio ((M + 2) / M), truncate it to integers, resize the padded mask bilinearly
// (align_corners=False) to (y2 - y1 + 1, x2 - x1 + 1) and paste it at (x1, y1). The float
// steps use the same ATen ops, in the same order, as torchvision's Python code.
PastedMask pasteModern(const at::Tensor& mask, const at::Tensor& box, int imageH, int imageW) {
    const int64_t m = mask.size(1);
    const double scale = static_cast<double>(m + 2) / static_cast<double>(m);
    const auto padded = at::constant_pad_nd(mask, {1, 1, 1, 1}, 0);
    const auto b = box.to(at::kCPU);
    auto wHalf = (b[2] - b[0]) * 0.5;
    auto hHalf = (b[3] - b[1]) * 0.5;
    const auto xc = (b[2] + b[0]) * 0.5;
    const auto yc = (b[3] + b[1]) * 0.5;
    wHalf = wHalf * scale;
    hHalf = hHalf * scale;
    const auto e = at::stack({xc - wHalf, yc - hHalf, xc + wHalf, yc + hHalf}).to(at::kLong);
    const auto ei = e.accessor<int64_t, 1>();
    const int64_t bx1 = ei[0], by1 = ei[1], bx2 = ei[2], by2 = ei[3];
    const int64_t w = std::max<int64_t>(bx2 - bx1 + 1, 1);
    const int64_t h = std::max<int64_t>(by2 - by1 + 1, 1);
    // Only the part inside the image is kept; skip the resize when nothing is.
    if (bx1 >= imageW || by1 >= imageH || bx2 + 1 <= std::max<int64_t>(bx1, 0) ||
        by2 + 1 <= std::max<int64_t>(by1, 0))
        return cropToImage(at::empty({0, 0}, mask.options()), bx1, by1, bx1, by1, imageH, imageW);
    const auto resized =
        at::upsample_bilinear2d(padded.unsqueeze(0).unsqueeze(0), {h, w}, false)[0][0];
    return cropToImage(resized, bx1, by1, bx2 + 1, by2 + 1, imageH, imageW);
}

// mmdet v1 FCNMaskHead.get_seg_masks: box truncated to int32, w = max(x2 - x1 + 1, 1),
// mmcv.imresize (cv2.resize, INTER_LINEAR) of the float32 probabilities to (w, h).
PastedMask pasteReference(const at::Tensor& mask, const at::Tensor& box, int imageH, int imageW) {
    const auto b = box.to(at::kCPU).to(at::kFloat).to(at::kInt);
    const auto bi = b.accessor<int32_t, 1>();
    const int64_t bx1 = bi[0], by1 = bi[1], bx2 = bi[2], by2 = bi[3];
    const int64_t w = std::max<int64_t>(bx2 - bx1 + 1, 1);
    const int64_t h = std::max<int64_t>(by2 - by1 + 1, 1);
    const auto opts = mask.options().dtype(at::kFloat).device(at::kCPU);
    if (bx1 >= imageW || by1 >= imageH || bx1 + w <= 0 || by1 + h <= 0)
        return cropToImage(at::empty({0, 0}, opts), bx1, by1, bx1, by1, imageH, imageW);
    const auto src = mask.to(at::kCPU).to(at::kFloat).contiguous();
    const cv::Mat srcMat(static_cast<int>(src.size(0)), static_cast<int>(src.size(1)), CV_32F,
                         src.data_ptr<float>());
    auto resized = at::empty({h, w}, opts);
    cv::Mat dstMat(static_cast<int>(h), static_cast<int>(w), CV_32F, resized.data_ptr<float>());
    cv::resize(srcMat, dstMat, dstMat.size(), 0, 0, cv::INTER_LINEAR);
    auto out = cropToImage(resized, bx1, by1, bx1 + w, by1 + h, imageH, imageW);
    out.probs = out.probs.to(mask.device());
    return out;
}

}  // namespace

PastedMask pasteMask(const at::Tensor& mask, const at::Tensor& box, int imageH, int imageW,
                     Geometry geometry) {
    if (mask.dim() != 2 || mask.size(0) == 0 || mask.size(1) == 0)
        throw Error(ErrorCode::InvalidArgument, "pasteMask: mask must be a non-empty (h, w) map",
                    {{"name", "mask"}, {"reason", "expected 2 dimensions"}});
    if (box.numel() != 4)
        throw Error(ErrorCode::InvalidArgument, "pasteMask: box must have 4 values",
                    {{"name", "box"}, {"reason", "expected [x1, y1, x2, y2]"}});
    if (imageH < 0 || imageW < 0)
        throw Error(ErrorCode::InvalidArgument, "pasteMask: negative image size",
                    {{"name", "imageSize"}, {"reason", "negative"}});
    const auto b = box.reshape({4});
    return geometry == Geometry::Modern ? pasteModern(mask, b, imageH, imageW)
                                        : pasteReference(mask, b, imageH, imageW);
}

}  // namespace zsi::ops
