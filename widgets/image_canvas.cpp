#include "image_canvas.h"

#include <QGraphicsEllipseItem>
#include <QGraphicsPathItem>
#include <QGraphicsPixmapItem>
#include <QGraphicsScene>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainterPath>
#include <QPen>
#include <QPixmap>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace zsi {
namespace {
constexpr double kMinZoom = 0.02;
constexpr double kMaxZoom = 64.0;
constexpr double kStep = 1.25;
constexpr qreal kPreviewZ = 100;
}  // namespace

CroppedMask strokeMask(const QVector<QPointF>& points, double radius, const QSize& imageSize) {
    std::vector<cv::Point2f> pts;
    pts.reserve(size_t(points.size()));
    for (const QPointF& p : points) pts.emplace_back(float(p.x()), float(p.y()));
    return rasterizeStroke(pts, float(radius),
                           cv::Rect(0, 0, imageSize.width(), imageSize.height()));
}

ImageCanvas::ImageCanvas(QWidget* parent) : QGraphicsView(parent) {
    setScene(new QGraphicsScene(this));
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setBackgroundBrush(QColor(48, 48, 48));
    setRenderHint(QPainter::SmoothPixmapTransform);
}

void ImageCanvas::setImage(const QImage& image) {
    cancelShape();
    image_ = image;
    if (!pixmapItem_) {
        pixmapItem_ = scene()->addPixmap(QPixmap());
        pixmapItem_->setZValue(-1);
        pixmapItem_->setTransformationMode(Qt::SmoothTransformation);
    }
    // Large photos (8k+): drawing the full pixmap scaled down with smooth filtering on every
    // repaint is what makes pan and zoom stutter. Keep a preview of at most kPreviewSide on
    // the long side, scaled up to the image's size, and show the full image only when the
    // zoom needs its pixels.
    const int longSide = std::max(image.width(), image.height());
    if (longSide > kPreviewSide) {
        if (!previewItem_) {
            previewItem_ = scene()->addPixmap(QPixmap());
            previewItem_->setZValue(-1);
            previewItem_->setTransformationMode(Qt::SmoothTransformation);
        }
        const QImage small = image.scaled(image.size().scaled(kPreviewSide, kPreviewSide, Qt::KeepAspectRatio),
                                          Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        previewItem_->setPixmap(QPixmap::fromImage(small));
        previewScale_ = double(image.width()) / small.width();
        previewItem_->setTransform(QTransform::fromScale(previewScale_, previewScale_));
        pixmapItem_->setTransformationMode(Qt::FastTransformation);
    } else {
        if (previewItem_) previewItem_->setPixmap(QPixmap());
        previewScale_ = 1.0;
        pixmapItem_->setTransformationMode(Qt::SmoothTransformation);
    }
    pixmapItem_->setPixmap(QPixmap::fromImage(image));
    scene()->setSceneRect(QRectF(0, 0, image.width(), image.height()));
    zoomToFit();
}

bool ImageCanvas::showsPreview() const { return previewItem_ && previewItem_->isVisible() && !pixmapItem_->isVisible(); }

double ImageCanvas::zoom() const {
    return transform().m11();
}

void ImageCanvas::setZoom(double z) {
    z = std::clamp(z, kMinZoom, kMaxZoom);
    setTransform(QTransform::fromScale(z, z));
    // The preview has enough pixels while one of its pixels covers at most one screen pixel.
    const bool preview = previewScale_ > 1.0 && z * previewScale_ <= 1.0;
    if (previewItem_) previewItem_->setVisible(preview);
    if (pixmapItem_) pixmapItem_->setVisible(!preview);
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

namespace zsi {

void ImageCanvas::setTool(CanvasTool tool) {
    if (tool == tool_) return;
    cancelShape();
    tool_ = tool;
    // Panning by drag only without a tool; the tools own the left button.
    setDragMode(tool == CanvasTool::None ? QGraphicsView::ScrollHandDrag : QGraphicsView::NoDrag);
    setMouseTracking(tool != CanvasTool::None);
    viewport()->setCursor(tool == CanvasTool::None ? Qt::OpenHandCursor : Qt::CrossCursor);
    if (brushCursor_) brushCursor_->setVisible(false);
    Q_EMIT toolChanged(tool);
}

void ImageCanvas::setBrushRadius(double radius) {
    brushRadius_ = std::max(0.5, radius);
    if (brushCursor_ && brushCursor_->isVisible()) updateCursorItem(brushCursor_->rect().center());
}

void ImageCanvas::cancelShape() {
    dragging_ = false;
    stroke_.clear();
    polygon_.clear();
    if (preview_) preview_->setPath(QPainterPath());
}

void ImageCanvas::finishPolygon() {
    const QPolygonF poly = polygon_;
    cancelShape();
    if (poly.size() >= 3) Q_EMIT polygonFinished(poly);
}

void ImageCanvas::updateCursorItem(const QPointF& p) {
    const bool brush = tool_ == CanvasTool::Brush || tool_ == CanvasTool::Eraser;
    if (!brush) {
        if (brushCursor_) brushCursor_->setVisible(false);
        return;
    }
    if (!brushCursor_) {
        brushCursor_ = scene()->addEllipse(QRectF(), QPen(Qt::white, 0));
        brushCursor_->setZValue(kPreviewZ + 1);
    }
    brushCursor_->setRect(
        QRectF(p.x() - brushRadius_, p.y() - brushRadius_, 2 * brushRadius_, 2 * brushRadius_));
    brushCursor_->setVisible(true);
}

void ImageCanvas::updatePreview(const QPointF& pointer) {
    if (!preview_) {
        preview_ = scene()->addPath(QPainterPath());
        preview_->setZValue(kPreviewZ);
    }
    QPainterPath path;
    QPen pen(QColor(255, 255, 255, 220), 0);
    QBrush brush(Qt::NoBrush);
    switch (tool_) {
        case CanvasTool::Brush:
        case CanvasTool::Eraser: {
            if (stroke_.isEmpty()) break;
            // The stroke as the document will get it: a round pen of the brush's width.
            path.moveTo(stroke_.front());
            for (const QPointF& p : stroke_) path.lineTo(p);
            const QColor c =
                tool_ == CanvasTool::Brush ? QColor(80, 200, 255, 140) : QColor(255, 80, 80, 140);
            pen = QPen(c, 2 * brushRadius_, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
            break;
        }
        case CanvasTool::Polygon:
            if (polygon_.isEmpty()) break;
            path.addPolygon(polygon_);
            path.lineTo(pointer);
            brush = QBrush(QColor(80, 200, 255, 60));
            break;
        case CanvasTool::Box:
            if (!dragging_) break;
            path.addRect(QRectF(boxStart_, pointer).normalized());
            brush = QBrush(QColor(80, 200, 255, 60));
            break;
        case CanvasTool::None:
            break;
    }
    preview_->setPen(pen);
    preview_->setBrush(brush);
    preview_->setPath(path);
}

void ImageCanvas::mousePressEvent(QMouseEvent* event) {
    if (tool_ == CanvasTool::None || event->button() != Qt::LeftButton || !hasImage())
        return QGraphicsView::mousePressEvent(event);
    const QPointF p = mapToScene(event->position().toPoint());
    switch (tool_) {
        case CanvasTool::Brush:
        case CanvasTool::Eraser:
            dragging_ = true;
            stroke_ = {p};
            break;
        case CanvasTool::Polygon:
            if (polygon_.isEmpty() || polygon_.back() != p) polygon_.append(p);
            break;
        case CanvasTool::Box:
            dragging_ = true;
            boxStart_ = p;
            break;
        case CanvasTool::None:
            break;
    }
    updatePreview(p);
    event->accept();
}

void ImageCanvas::mouseMoveEvent(QMouseEvent* event) {
    if (tool_ == CanvasTool::None) return QGraphicsView::mouseMoveEvent(event);
    const QPointF p = mapToScene(event->position().toPoint());
    updateCursorItem(p);
    if (dragging_ && (tool_ == CanvasTool::Brush || tool_ == CanvasTool::Eraser)) stroke_.append(p);
    updatePreview(p);
    event->accept();
}

void ImageCanvas::mouseReleaseEvent(QMouseEvent* event) {
    if (tool_ == CanvasTool::None || event->button() != Qt::LeftButton)
        return QGraphicsView::mouseReleaseEvent(event);
    const QPointF p = mapToScene(event->position().toPoint());
    if (dragging_ && (tool_ == CanvasTool::Brush || tool_ == CanvasTool::Eraser)) {
        if (stroke_.back() != p) stroke_.append(p);
        const QVector<QPointF> points = stroke_;
        cancelShape();
        Q_EMIT strokeFinished(points, brushRadius_, tool_ == CanvasTool::Eraser);
    } else if (dragging_ && tool_ == CanvasTool::Box) {
        const QRectF box =
            QRectF(boxStart_, p).normalized() & QRectF(QPointF(0, 0), QSizeF(image_.size()));
        cancelShape();
        if (box.width() >= 1 && box.height() >= 1) Q_EMIT boxFinished(box);
    }
    event->accept();
}

void ImageCanvas::mouseDoubleClickEvent(QMouseEvent* event) {
    if (tool_ == CanvasTool::Polygon && event->button() == Qt::LeftButton) {
        finishPolygon();
        event->accept();
        return;
    }
    if (tool_ != CanvasTool::None)
        return mousePressEvent(event);  // a fast second click still paints
    QGraphicsView::mouseDoubleClickEvent(event);
}

void ImageCanvas::keyPressEvent(QKeyEvent* event) {
    if (tool_ == CanvasTool::Polygon && !polygon_.isEmpty()) {
        if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) return finishPolygon();
        if (event->key() == Qt::Key_Backspace) {
            polygon_.removeLast();
            updatePreview(polygon_.isEmpty() ? QPointF() : polygon_.back());
            return;
        }
    }
    if (event->key() == Qt::Key_Escape && (dragging_ || !polygon_.isEmpty())) return cancelShape();
    QGraphicsView::keyPressEvent(event);
}

}  // namespace zsi
