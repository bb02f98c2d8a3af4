#include "image_canvas.h"

#include <QGraphicsPixmapItem>
#include <QGraphicsScene>
#include <QPixmap>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace zsi {
namespace {
constexpr double kMinZoom = 0.02;
constexpr double kMaxZoom = 64.0;
constexpr double kStep = 1.25;
}  // namespace

ImageCanvas::ImageCanvas(QWidget* parent) : QGraphicsView(parent) {
    setScene(new QGraphicsScene(this));
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setBackgroundBrush(QColor(48, 48, 48));
    setRenderHint(QPainter::SmoothPixmapTransform);
}

void ImageCanvas::setImage(const QImage& image) {
    image_ = image;
    if (!pixmapItem_) {
        pixmapItem_ = scene()->addPixmap(QPixmap());
        pixmapItem_->setZValue(-1);
        pixmapItem_->setTransformationMode(Qt::SmoothTransformation);
    }
    pixmapItem_->setPixmap(QPixmap::fromImage(image));
    scene()->setSceneRect(QRectF(0, 0, image.width(), image.height()));
    zoomToFit();
}

double ImageCanvas::zoom() const { return transform().m11(); }

void ImageCanvas::setZoom(double z) {
    z = std::clamp(z, kMinZoom, kMaxZoom);
    setTransform(QTransform::fromScale(z, z));
    Q_EMIT zoomChanged(z);
}

void ImageCanvas::zoomIn() {
    fitMode_ = false;
    setZoom(zoom() * kStep);
}

void ImageCanvas::zoomOut() {
    fitMode_ = false;
    setZoom(zoom() / kStep);
}

void ImageCanvas::zoomActualSize() {
    fitMode_ = false;
    setZoom(1.0);
}

void ImageCanvas::zoomToFit() {
    fitMode_ = true;
    if (image_.isNull()) return;
    const QRectF view = viewport()->rect().adjusted(4, 4, -4, -4);
    const double z = std::min(view.width() / image_.width(), view.height() / image_.height());
    setZoom(z > 0 ? z : 1.0);
    centerOn(scene()->sceneRect().center());
}

void ImageCanvas::wheelEvent(QWheelEvent* event) {
    if (event->angleDelta().y() == 0) return QGraphicsView::wheelEvent(event);
    fitMode_ = false;
    const double steps = event->angleDelta().y() / 120.0;
    setZoom(zoom() * std::pow(kStep, steps));
    event->accept();
}

void ImageCanvas::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    if (fitMode_) zoomToFit();
}

}  // namespace zsi
