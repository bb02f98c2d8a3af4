#include "instance_overlay.h"

#include "class_colors.h"

#include <QFontMetricsF>
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
        e.tag = QStringLiteral("%1 %2")
                    .arg(QString::fromStdString(inst.className))
                    .arg(inst.score, 0, 'f', 2);
        e.origin = QPoint(inst.maskOriginX, inst.maskOriginY);
        e.mask = inst.mask;
        e.area = inst.mask.empty() ? 0 : cv::countNonZero(inst.mask);
        e.score = inst.score;
        if (!inst.mask.empty()) {
            // Colour the mask once; painting is then a blit, whatever the zoom.
            QImage fill(inst.mask.cols, inst.mask.rows, QImage::Format_ARGB32_Premultiplied);
            fill.fill(Qt::transparent);
            const QRgb rgb =
                qPremultiply(qRgba(e.color.red(), e.color.green(), e.color.blue(), 255));
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
                for (const cv::Point& p : c)
                    poly << QPointF(p.x + e.origin.x() + 0.5, p.y + e.origin.y() + 0.5);
                poly << poly.front();
                e.outline.addPolygon(poly);
            }
        }
        // Room for tags beside the box (they are laid out in screen pixels at paint time).
        bounds_ |= e.box.adjusted(-2000, -2000, 2000, 2000);
        if (!e.fill.isNull()) bounds_ |= QRectF(e.origin, e.fill.size());
        entries_.push_back(std::move(e));
    }
    paintOrder_.resize(entries_.size());
    for (size_t i = 0; i < entries_.size(); ++i) paintOrder_[i] = int(i);
    std::stable_sort(paintOrder_.begin(), paintOrder_.end(), [this](int a, int b) {
        return entries_[size_t(a)].area > entries_[size_t(b)].area;
    });
    selected_ = hovered_ = -1;
    update();
}

void InstanceOverlay::setOnlyClass(int classIndex) {
    onlyClass_ = classIndex;
    update();
}

QSizeF InstanceOverlay::tagSize(const Entry& e) const {
    QFont font;
    font.setPointSizeF(9);
    const QRectF text = QFontMetricsF(font).boundingRect(e.tag).adjusted(-3, -1, 3, 1);
    return text.size();
}

std::vector<QRectF> InstanceOverlay::tagLayout(double scale) const {
    std::vector<QRectF> out(entries_.size());
    if (!showLabels_) return out;
    // Best-scoring instances claim their places first.
    std::vector<int> order(entries_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
    std::stable_sort(order.begin(), order.end(), [this](int a, int b) {
        return entries_[size_t(a)].score > entries_[size_t(b)].score;
    });
    std::vector<QRectF> placed;
    for (int i : order) {
        const Entry& e = entries_[size_t(i)];
        if (!passesClassFilter(e)) continue;
        const QSizeF sz = tagSize(e);
        const QRectF b(e.box.topLeft() * scale, e.box.bottomRight() * scale);
        // Above the box's top-left corner, inside it, below it, then the right-hand corners.
        const QPointF candidates[] = {{b.left(), b.top() - sz.height()},
                                      {b.left(), b.top()},
                                      {b.left(), b.bottom()},
                                      {b.right() - sz.width(), b.top() - sz.height()},
                                      {b.right() - sz.width(), b.top()},
                                      {b.right() - sz.width(), b.bottom()},
                                      {b.left(), b.bottom() - sz.height()}};
        for (const QPointF& c : candidates) {
            const QRectF r(c, sz);
            const bool free = std::none_of(placed.begin(), placed.end(),
                                           [&](const QRectF& p) { return p.intersects(r); });
            if (free) {
                placed.push_back(r);
                out[size_t(i)] = r;
                break;
            }
        }
    }
    return out;
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

bool InstanceOverlay::passesClassFilter(const Entry& e) const {
    if (onlyClass_ >= 0 && e.classIndex != onlyClass_) return false;
    return std::find(hiddenClasses_.begin(), hiddenClasses_.end(), e.classIndex) ==
           hiddenClasses_.end();
}

void InstanceOverlay::setSelected(int index) {
    if (index < -1 || index >= count()) index = -1;
    if (index == selected_) return;
    selected_ = index;
    update();
    Q_EMIT selectionChanged(index);
}

int InstanceOverlay::instanceAt(const QPointF& p) const {
    // Later instances are drawn on top (the smallest), so search from the back.
    for (auto it = paintOrder_.rbegin(); it != paintOrder_.rend(); ++it) {
        const int i = *it;
        const Entry& e = entries_[static_cast<size_t>(i)];
        if (!passesClassFilter(e) || e.mask.empty()) continue;
        const int x = static_cast<int>(std::floor(p.x())) - e.origin.x();
        const int y = static_cast<int>(std::floor(p.y())) - e.origin.y();
        if (x >= 0 && y >= 0 && x < e.mask.cols && y < e.mask.rows && e.mask.at<uchar>(y, x))
            return i;
    }
    return -1;
}

QRectF InstanceOverlay::boundingRect() const {
    return bounds_;
}

void InstanceOverlay::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const double scale =
        painter->worldTransform().m11() > 0 ? painter->worldTransform().m11() : 1.0;
    // The item's own opacity (setOpacity; e.g. the fainter provisional layer) scales the fill
    // level instead of being replaced by it.
    const double itemOpacity = painter->opacity();
    for (const int i : paintOrder_) {
        const Entry& e = entries_[static_cast<size_t>(i)];
        if (!passesClassFilter(e)) continue;
        const bool emphasised = (i == selected_ || i == hovered_);
        painter->setOpacity(itemOpacity * std::min(1.0, fillAlpha_ * (emphasised ? 1.5 : 1.0)));
        if (!e.fill.isNull()) painter->drawImage(e.origin, e.fill);
        painter->setOpacity(itemOpacity);
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
    }
    if (!showLabels_) return;
    // Tags last, in screen pixels (their size does not follow the zoom), where the layout put
    // them; the hovered and selected ones always show, on top.
    std::vector<QRectF> tags = tagLayout(scale);
    for (int i : {hovered_, selected_})
        if (i >= 0 && i < count() && tags[size_t(i)].isNull() &&
            passesClassFilter(entries_[size_t(i)])) {
            const Entry& e = entries_[size_t(i)];
            const QSizeF sz = tagSize(e);
            tags[size_t(i)] =
                QRectF(QPointF(e.box.left() * scale, e.box.top() * scale - sz.height()), sz);
        }
    painter->save();
    painter->scale(1.0 / scale, 1.0 / scale);
    QFont font = painter->font();
    font.setPointSizeF(9);
    painter->setFont(font);
    auto draw = [&](int i) {
        const Entry& e = entries_[size_t(i)];
        if (tags[size_t(i)].isNull()) return;
        const bool emphasised = (i == selected_ || i == hovered_);
        painter->fillRect(tags[size_t(i)], e.color.darker(emphasised ? 150 : 120));
        painter->setPen(Qt::white);
        painter->drawText(tags[size_t(i)], Qt::AlignCenter, e.tag);
    };
    for (int i = 0; i < count(); ++i)
        if (i != selected_ && i != hovered_) draw(i);
    if (hovered_ >= 0 && hovered_ < count()) draw(hovered_);
    if (selected_ >= 0 && selected_ < count()) draw(selected_);
    painter->restore();
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
