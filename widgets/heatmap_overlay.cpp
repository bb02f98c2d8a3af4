#include "heatmap_overlay.h"

#include "analysis/heatmap.h"

#include <QPainter>

#include <algorithm>

namespace zsi {

HeatmapOverlay::HeatmapOverlay(QGraphicsItem* parent) : QGraphicsItem(parent) {
    setAcceptedMouseButtons(Qt::NoButton);  // clicks go through to the instance overlay
}

void HeatmapOverlay::setMaps(const std::vector<cv::Mat>& maps, int imageWidth, int imageHeight) {
    prepareGeometryChange();
    maps_ = maps;
    imageSize_ = QSize(imageWidth, imageHeight);
    level_ = std::clamp(level_, 0, std::max(0, levelCount() - 1));
    rebuild();
}

void HeatmapOverlay::clear() {
    setMaps({}, 0, 0);
}

void HeatmapOverlay::setLevel(int level) {
    level = std::clamp(level, 0, std::max(0, levelCount() - 1));
    if (level == level_ && !image_.isNull()) return;
    level_ = level;
    rebuild();
}

void HeatmapOverlay::setOpacityLevel(double alpha) {
    alpha_ = std::clamp(alpha, 0.0, 1.0);
    update();
}

void HeatmapOverlay::rebuild() {
    image_ = QImage();
    if (level_ < levelCount() && !maps_[size_t(level_)].empty() && !imageSize_.isEmpty()) {
        analysis::HeatmapStyle style;
        style.opacity = 1.0;  // the item's opacity is applied when painting
        const cv::Mat rgba = analysis::heatmapRgba(
            maps_[size_t(level_)], cv::Size(imageSize_.width(), imageSize_.height()), style);
        image_ =
            QImage(rgba.data, rgba.cols, rgba.rows, int(rgba.step), QImage::Format_RGBA8888).copy();
    }
    update();
}

QRectF HeatmapOverlay::boundingRect() const {
    return QRectF(QPointF(0, 0), QSizeF(imageSize_));
}

void HeatmapOverlay::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    if (image_.isNull() || alpha_ <= 0) return;
    painter->save();
    painter->setOpacity(painter->opacity() * alpha_);
    painter->drawImage(QPointF(0, 0), image_);
    painter->restore();
}

}  // namespace zsi
