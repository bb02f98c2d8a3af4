#pragma once
// The image canvas: a QGraphicsView showing one image with zoom (wheel, fit, 1:1) and pan.
// Overlays (masks, heatmaps) are added as items by their own classes.
#include <QGraphicsView>
#include <QImage>

class QGraphicsPixmapItem;

namespace zsi {

class ImageCanvas : public QGraphicsView {
    Q_OBJECT
public:
    explicit ImageCanvas(QWidget* parent = nullptr);

    void setImage(const QImage& image);
    QImage image() const { return image_; }
    bool hasImage() const { return !image_.isNull(); }

    // Current scale factor (1.0 = one image pixel per screen pixel).
    double zoom() const;

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void zoomToFit();
    void zoomActualSize();

Q_SIGNALS:
    void zoomChanged(double zoom);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void setZoom(double zoom);

    QImage image_;
    QGraphicsPixmapItem* pixmapItem_ = nullptr;
    bool fitMode_ = true;
};

}  // namespace zsi
