#include "instance_overlay.h"

#include "class_colors.h"

#include <QGraphicsSceneHoverEvent>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>

#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace zsi {

InstanceOverlay::InstanceOverlay(QGraphicsItem* parent) : QGraphicsObject(parent) {
    setAcceptHoverEvents(true);
    setAcceptedMouseButtons(Qt::LeftButton);
}

void InstanceOverlay::setInstances(const std::vector<Instance>& instances) {
    prepareGeometryChange();
    entries_.clear();
    bounds_ = QRectF();
    for (const Instance& inst : instances) {
        Entry e;
        e.classIndex = inst.classIndex;
        e.color = classColor(inst.classIndex);
        e.box = QRectF(QPointF(inst.x1, inst.y1), QPointF(inst.x2, inst.y2));
        e.tag = QStringLiteral("%1 %2").arg(QString::fromStdString(inst.className)).arg(inst.score, 0, 'f', 2);
        e.origin = QPoint(inst.maskOriginX, inst.maskOriginY);
        e.mask = inst.mask;
        if (!inst.mask.empty()) {
            // Colour the mask once; painting is then a blit, whatever the zoom.
            QImage fill(inst.mask.cols, inst.mask.rows, QImage::Format_ARGB32_Premultiplied);
            fill.fill(Qt::transparent);
            const QRgb rgb = qPremultiply(qRgba(e.color.red(), e.color.green(), e.color.blue(), 255));
            for (int y = 0; y < inst.mask.rows; ++y) {
                const uchar* m = inst.mask.ptr<uchar>(y);
                auto* line = reinterpret_cast<QRgb*>(fill.scanLine(y));
                for (int x = 0; x < inst.mask.cols; ++x)
                    if (m[x]) line[x] = rgb;
            }
            e.fill = fill;
            std::vector<std::vector<cv::Point>> contours;
            cv::findContours(inst.mask.clone(), contours, cv::RETR_CCOMP, cv::CHAIN_APPROX_SIMPLE);
            for (const auto& c : contours) {
                if (c.empty()) continue;
                QPolygonF poly;
                for (const cv::Point& p : c) poly << QPointF(p.x + e.origin.x() + 0.5, p.y + e.origin.y() + 0.5);
                poly << poly.front();
                e.outline.addPolygon(poly);
            }
        }
        bounds_ |= e.box.adjusted(-2, -24, 2, 2);
        if (!e.fill.isNull()) bounds_ |= QRectF(e.origin, e.fill.size());
        entries_.push_back(std::move(e));
    }
    selected_ = hovered_ = -1;
    update();
}

void InstanceOverlay::setOpacityLevel(double alpha) {
    fillAlpha_ = std::clamp(alpha, 0.0, 1.0);
    update();
}

void InstanceOverlay::setShowLabels(bool show) {
    showLabels_ = show;
    update();
}

void InstanceOverlay::setHiddenClasses(const std::vector<int>& classIndices) {
    hiddenClasses_ = classIndices;
    update();
}

bool InstanceOverlay::isVisible(const Entry& e) const {
    return std::find(hiddenClasses_.begin(), hiddenClasses_.end(), e.classIndex) == hiddenClasses_.end();
}

void InstanceOverlay::setSelected(int index) {
    if (index < -1 || index >= count()) index = -1;
    if (index == selected_) return;
    selected_ = index;
    update();
    Q_EMIT selectionChanged(index);
}

int InstanceOverlay::instanceAt(const QPointF& p) const {
    // Later instances are drawn on top, so search from the back.
    for (int i = count() - 1; i >= 0; --i) {
        const Entry& e = entries_[static_cast<size_t>(i)];
        if (!isVisible(e) || e.mask.empty()) continue;
        const int x = static_cast<int>(std::floor(p.x())) - e.origin.x();
        const int y = static_cast<int>(std::floor(p.y())) - e.origin.y();
        if (x >= 0 && y >= 0 && x < e.mask.cols && y < e.mask.rows && e.mask.at<uchar>(y, x)) return i;
    }
    return -1;
}

QRectF InstanceOverlay::boundingRect() const { return bounds_; }

void InstanceOverlay::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const double scale = painter->worldTransform().m11() > 0 ? painter->worldTransform().m11() : 1.0;
    for (int i = 0; i < count(); ++i) {
        const Entry& e = entries_[static_cast<size_t>(i)];
        if (!isVisible(e)) continue;
        const bool emphasised = (i == selected_ || i == hovered_);
        painter->setOpacity(std::min(1.0, fillAlpha_ * (emphasised ? 1.5 : 1.0)));
        if (!e.fill.isNull()) painter->drawImage(e.origin, e.fill);
        painter->setOpacity(1.0);
        QPen pen(emphasised ? Qt::white : e.color.darker(130));
        pen.setCosmetic(true);
        pen.setWidthF(i == selected_ ? 3.0 : 1.5);
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(e.outline);
        if (i == selected_) {
            QPen dash(Qt::white, 1.0, Qt::DashLine);
            dash.setCosmetic(true);
            painter->setPen(dash);
            painter->drawRect(e.box);
        }
        if (showLabels_) {
            // Tags keep their screen size whatever the zoom.
            painter->save();
            painter->translate(e.box.topLeft());
            painter->scale(1.0 / scale, 1.0 / scale);
            QFont font = painter->font();
            font.setPointSizeF(9);
            painter->setFont(font);
            const QRectF text = painter->fontMetrics().boundingRect(e.tag).adjusted(-3, -1, 3, 1);
            const QRectF tagRect(0, -text.height(), text.width(), text.height());
            painter->fillRect(tagRect, e.color.darker(emphasised ? 150 : 120));
            painter->setPen(Qt::white);
            painter->drawText(tagRect, Qt::AlignCenter, e.tag);
            painter->restore();
        }
    }
}

void InstanceOverlay::hoverMoveEvent(QGraphicsSceneHoverEvent* event) {
    const int h = instanceAt(event->scenePos());
    if (h != hovered_) {
        hovered_ = h;
        update();
    }
}

void InstanceOverlay::hoverLeaveEvent(QGraphicsSceneHoverEvent*) {
    hovered_ = -1;
    update();
}

void InstanceOverlay::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    const int hit = instanceAt(event->scenePos());
    if (hit < 0) {
        event->ignore();  // let the view pan
        return;
    }
    setSelected(hit);
    event->accept();
}

}  // namespace zsi
