#pragma once
// Instance masks drawn over the canvas image: translucent fills in per-class colours with
// outlines, label and score tags, hover highlight and click selection.
//
// Readable when crowded: masks are painted largest first, so small objects stay on top and
// clickable; tags are laid out in screen space so that none covers another (each tries a few
// places around its box, best-scoring instances first; a tag with no free place is hidden
// until its instance is hovered or selected).
#include "data/instance.h"

#include <QGraphicsObject>
#include <QImage>
#include <QPainterPath>

#include <vector>

namespace zsi {

class InstanceOverlay : public QGraphicsObject {
    Q_OBJECT
public:
    explicit InstanceOverlay(QGraphicsItem* parent = nullptr);

    void setInstances(const std::vector<Instance>& instances);
    int count() const { return static_cast<int>(entries_.size()); }

    void setOpacityLevel(double alpha);  // fill opacity 0..1
    double opacityLevel() const { return fillAlpha_; }
    void setShowLabels(bool show);
    void setHiddenClasses(const std::vector<int>& classIndices);
    // Only instances of this class (-1: all), e.g. the selected instance's class.
    void setOnlyClass(int classIndex);
    int onlyClass() const { return onlyClass_; }

    // Where the tags go at a view scale (scene -> screen pixels): one rect per instance in
    // screen pixels relative to the scene origin, empty when the tag is hidden.
    std::vector<QRectF> tagLayout(double viewScale) const;

    int selected() const { return selected_; }
    // The class index of instance `index` (-1 when out of range).
    int classOf(int index) const {
        return index >= 0 && index < count() ? entries_[size_t(index)].classIndex : -1;
    }
    void setSelected(int index);
    int hovered() const { return hovered_; }
    // The topmost visible instance whose mask covers the scene point, or -1.
    int instanceAt(const QPointF& scenePos) const;

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

Q_SIGNALS:
    void selectionChanged(int index);

protected:
    void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent* event) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;

private:
    struct Entry {
        QImage fill;  // ARGB32 premultiplied, class colour where the mask is set
        QPoint origin;
        QPainterPath outline;
        QRectF box;
        QString tag;
        QColor color;
        int classIndex = -1;
        cv::Mat mask;  // for hit testing
        int area = 0;
        double score = 0;
    };
    bool passesClassFilter(
        const Entry& e) const;  // not isVisible: that would hide QGraphicsItem::isVisible()
    QSizeF tagSize(const Entry& e) const;

    std::vector<Entry> entries_;
    std::vector<int> paintOrder_;  // largest mask first
    int onlyClass_ = -1;
    std::vector<int> hiddenClasses_;
    QRectF bounds_;
    double fillAlpha_ = 0.45;
    bool showLabels_ = true;
    int selected_ = -1;
    int hovered_ = -1;
};

}  // namespace zsi
