#include "train/losses.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace zsi::train {

at::Tensor smoothL1(const at::Tensor& pred, const at::Tensor& target, double beta) {
    const at::Tensor d = (pred - target).abs();
    return at::where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta);
}

at::Tensor rpnClassificationLoss(const at::Tensor& logits, const at::Tensor& labels,
                                 double avgFactor) {
    if (logits.size(0) == 0) return logits.sum() * 0;
    return at::cross_entropy_loss(logits, labels, {}, at::Reduction::Sum) /
           std::max(avgFactor, 1.0);
}

at::Tensor regressionLoss(const at::Tensor& pred, const at::Tensor& target, double beta,
                          double avgFactor) {
    if (pred.numel() == 0) return pred.sum() * 0;
    return smoothL1(pred, target, beta).sum() / std::max(avgFactor, 1.0);
}

at::Tensor boxClassificationLoss(const at::Tensor& logits, const at::Tensor& labels) {
    if (logits.size(0) == 0) return logits.sum() * 0;
    return at::cross_entropy_loss(logits, labels, {}, at::Reduction::Mean);
}

at::Tensor classSpecificDeltas(const at::Tensor& deltas, const at::Tensor& labels) {
    const int64_t k = deltas.size(0);
    const at::Tensor d = deltas.view({k, -1, 4});
    const at::Tensor idx = labels.view({k, 1, 1}).expand({k, 1, 4});
    return d.gather(1, idx).view({k, 4});
}

at::Tensor maskLoss(const at::Tensor& logits, const at::Tensor& labels, const at::Tensor& targets) {
    const int64_t p = logits.size(0);
    if (p == 0) return logits.sum() * 0;
    const int64_t m1 = logits.size(2), m2 = logits.size(3);
    const at::Tensor idx = labels.view({p, 1, 1, 1}).expand({p, 1, m1, m2});
    const at::Tensor chosen = logits.gather(1, idx).squeeze(1);
    return at::binary_cross_entropy_with_logits(chosen, targets.to(chosen.options()));
}

at::Tensor reconstructionLoss(const at::Tensor& feature, const at::Tensor& decoded) {
    if (feature.numel() == 0) return decoded.sum() * 0;
    return at::mse_loss(decoded, feature);
}

at::Tensor maskTargets(const at::Tensor& rois, const std::vector<const cv::Mat*>& masks, int size,
                       GeometryVariant geometry) {
    const int64_t p = rois.size(0);
    at::Tensor out = at::zeros({p, size, size}, at::kFloat);
    const at::Tensor r = rois.detach().to(at::kCPU, at::kFloat).contiguous();
    const float* b = r.data_ptr<float>();
    const int one = geometry == GeometryVariant::Reference ? 1 : 0;
    for (int64_t i = 0; i < p; ++i) {
        const cv::Mat& m = *masks[static_cast<size_t>(i)];
        // mmdet v1 truncates the box to integers and keeps at least one pixel.
        const int x1 = static_cast<int>(b[4 * i + 0]), y1 = static_cast<int>(b[4 * i + 1]);
        const int x2 = static_cast<int>(b[4 * i + 2]), y2 = static_cast<int>(b[4 * i + 3]);
        const int w = std::max(x2 - x1 + one, 1), h = std::max(y2 - y1 + one, 1);
        // The crop may leave the mask (boxes clipped to the padded image): zeros outside.
        cv::Mat crop = cv::Mat::zeros(h, w, CV_32F);
        const cv::Rect want(x1, y1, w, h);
        const cv::Rect inside = want & cv::Rect(0, 0, m.cols, m.rows);
        if (inside.area() > 0)
            m(inside).convertTo(
                crop(cv::Rect(inside.x - x1, inside.y - y1, inside.width, inside.height)), CV_32F);
        cv::Mat resized;
        cv::resize(crop, resized, cv::Size(size, size), 0, 0, cv::INTER_LINEAR);
        cv::Mat binary = resized >= 0.5f;  // 255 / 0
        cv::Mat asFloat;
        binary.convertTo(asFloat, CV_32F, 1.0 / 255.0);
        std::memcpy(out[i].data_ptr<float>(), asFloat.ptr<float>(), sizeof(float) * size * size);
    }
    return out;
}

}  // namespace zsi::train
