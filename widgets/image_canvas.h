#pragma once
// The image canvas: a QGraphicsView showing one image with zoom (wheel, fit, 1:1) and pan.
// Overlays (masks, heatmaps) are added as items by their own classes.
//
// Editing tools (tool() != None): brush / eraser strokes, polygons and boxes drawn with the
// left button, reported in image coordinates (scene = image pixels). With no tool the left
// button pans and clicks reach the items (overlay selection); the wheel always zooms.
#include "data/annotation_document.h"

#include <QGraphicsView>
#include <QImage>
#include <QPolygonF>
#include <QVector>

class QGraphicsEllipseItem;
class QGraphicsPathItem;
class QGraphicsPixmapItem;

namespace zsi {

enum class CanvasTool { None, Brush, Eraser, Polygon, Box };

// A finished brush / eraser stroke rasterised for the document (clipped to the image).
CroppedMask strokeMask(const QVector<QPointF>& points, double radius, const QSize& imageSize);

class ImageCanvas : public QGraphicsView {
    Q_OBJECT
public:
    explicit ImageCanvas(QWidget* parent = nullptr);

    CanvasTool tool() const { return tool_; }
    void setTool(CanvasTool tool);  // cancels a shape in progress
    double brushRadius() const { return brushRadius_; }
    void setBrushRadius(double radius);  // image pixels, >= 0.5
    // Points of the polygon being drawn (image coordinates).
    QPolygonF pendingPolygon() const { return polygon_; }

    void setImage(const QImage& image);
    QImage image() const { return image_; }
    bool hasImage() const { return !image_.isNull(); }
    // True while a downscaled preview stands in for a large image (zoomed out).
    bool showsPreview() const;
    static constexpr int kPreviewSide = 2048;

    // Current scale factor (1.0 = one image pixel per screen pixel).
    double zoom() const;

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void zoomToFit();
    void zoomActualSize();
    // Closes the polygon being drawn (emits polygonFinished when it has 3+ points).
    void finishPolygon();
    // Drops a stroke, polygon or box in progress.
    void cancelShape();

Q_SIGNALS:
    void zoomChanged(double zoom);
    void toolChanged(zsi::CanvasTool tool);
    // A brush (erase = false) or eraser stroke: the pointer path in image coordinates.
    void strokeFinished(const QVector<QPointF>& points, double radius, bool erase);
    // A polygon (click points; double-click or Enter closes; Backspace removes the last
    // point; Escape cancels) or a dragged box, in image coordinates.
    void polygonFinished(const QPolygonF& polygon);
    void boxFinished(const QRectF& box);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void setZoom(double zoom);
    void updatePreview(const QPointF& pointer);
    void updateCursorItem(const QPointF& pointer);

    CanvasTool tool_ = CanvasTool::None;
    double brushRadius_ = 8.0;
    bool dragging_ = false;  // a stroke or box in progress
    QVector<QPointF> stroke_;
    QPolygonF polygon_;
    QPointF boxStart_;
    QGraphicsPathItem* preview_ = nullptr;
    QGraphicsEllipseItem* brushCursor_ = nullptr;

    QImage image_;
    QGraphicsPixmapItem* pixmapItem_ = nullptr;
    QGraphicsPixmapItem* previewItem_ = nullptr;  // large images only
    double previewScale_ = 1.0;                   // image size / preview size
    bool fitMode_ = true;
};

}  // namespace zsi
