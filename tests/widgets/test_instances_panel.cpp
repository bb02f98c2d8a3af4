// The instances panel (filters, selection signals, review requests) and the canvas's
// editing tools (brush strokes, polygons, boxes in image coordinates).
#include "image_canvas.h"
#include "instances_panel.h"

#include "test_registry.h"

#include <QAction>
#include <QMouseEvent>
#include <QTableWidget>
#include <QtTest>

using namespace zsi;

namespace {

std::vector<InstanceRow> sampleRows() {
    std::vector<InstanceRow> rows(4);
    rows[0] = {11, 1, "cat", 0.9, 100, AnnotationSource::Model, ReviewState::Pending, {}};
    rows[1] = {12, 2, "red heart", 0.4, 50, AnnotationSource::Model, ReviewState::Accepted, {}};
    rows[2] = {13, 1, "cat", 0.2, 30, AnnotationSource::Model, ReviewState::Rejected, {}};
    rows[3] = {14, 2, "red heart", std::nullopt, 80, AnnotationSource::Human, ReviewState::Accepted,
               {}};
    return rows;
}

void sendMouse(QWidget* w, QEvent::Type type, QPoint pos, Qt::MouseButton button,
               Qt::MouseButtons buttons) {
    QMouseEvent e(type, QPointF(pos), w->mapToGlobal(QPointF(pos)), button, buttons,
                  Qt::NoModifier);
    QApplication::sendEvent(w, &e);
}

}  // namespace

class TestInstancesPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void filtersByClassAndScore() {
        InstancesPanel panel;
        panel.setClasses({{1, "cat"}, {2, "red heart"}});
        panel.setRows(sampleRows());
        auto* table = panel.findChild<QTableWidget*>();
        QVERIFY(table);
        QCOMPARE(table->rowCount(), 4);
        QSignalSpy filters(&panel, &InstancesPanel::filtersChanged);
        panel.setClassFilter(2);
        QCOMPARE(panel.visibleIndices(), (QList<int>{1, 3}));
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->item(0, 0)->text(), QStringLiteral("red heart"));
        panel.setClassFilter(0);
        // Score filter: the human instance (no score) stays visible.
        panel.setMinimumScore(0.5);
        QCOMPARE(panel.visibleIndices(), (QList<int>{0, 3}));
        QCOMPARE(table->item(1, 1)->text(), QStringLiteral("—"));
        QCOMPARE(filters.count(), 3);
        QVERIFY(!panel.isVisibleIndex(2));
    }

    void selectionSignalsAndRequests() {
        InstancesPanel panel;
        panel.setClasses({{1, "cat"}, {2, "red heart"}});
        panel.setRows(sampleRows());
        QSignalSpy selected(&panel, &InstancesPanel::instanceSelected);
        // The slot selects silently (it follows the canvas); the user's click emits.
        panel.selectInstance(2);
        QCOMPARE(selected.count(), 0);
        QCOMPARE(panel.currentIndex(), 2);
        auto* table = panel.findChild<QTableWidget*>();
        table->selectRow(1);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.at(0).at(0).toInt(), 1);
        // Indices refer to the rows given, even while a filter hides some.
        panel.setClassFilter(2);
        QCOMPARE(panel.selectedIndices(), (QList<int>{1}));
        QSignalSpy accept(&panel, &InstancesPanel::acceptRequested);
        QSignalSpy relabel(&panel, &InstancesPanel::relabelRequested);
        QSignalSpy above(&panel, &InstancesPanel::acceptAboveRequested);
        QSignalSpy del(&panel, &InstancesPanel::deleteRequested);
        panel.acceptAction()->trigger();
        QCOMPARE(accept.count(), 1);
        QCOMPARE(accept.at(0).at(0).value<QList<int>>(), (QList<int>{1}));
        panel.relabelAction()->trigger();
        QCOMPARE(relabel.count(), 1);
        QCOMPARE(relabel.at(0).at(1).toLongLong(), qint64(1));  // the chooser's first class
        panel.deleteAction()->trigger();
        QCOMPARE(del.count(), 1);
        panel.setAcceptAboveThreshold(0.35);
        panel.acceptAboveAction()->trigger();
        QCOMPARE(above.count(), 1);
        QCOMPARE(above.at(0).at(0).toDouble(), 0.35);
        // Refreshing the rows keeps the selection by annotation id and stays silent.
        selected.clear();
        std::vector<InstanceRow> rows = sampleRows();
        rows[1].review = ReviewState::Rejected;
        panel.setRows(rows);
        QCOMPARE(panel.selectedIndices(), (QList<int>{1}));
        QCOMPARE(selected.count(), 0);
        rows.erase(rows.begin());  // annotation 12 moves to index 0
        panel.setClassFilter(0);
        panel.setRows(rows);
        QCOMPARE(panel.selectedIndices(), (QList<int>{0}));
        // Nothing selected: the actions are disabled and emit nothing.
        panel.selectInstance(-1);
        QVERIFY(!panel.acceptAction()->isEnabled());
        panel.acceptAction()->trigger();
        QCOMPARE(accept.count(), 1);
    }

    void rowsFromDocument() {
        AnnotationDocument doc;
        Instance inst;
        inst.x1 = 1, inst.y1 = 1, inst.x2 = 4, inst.y2 = 4;
        inst.className = "cat";
        inst.score = 0.7f;
        inst.mask = cv::Mat::ones(3, 3, CV_8U);
        inst.maskOriginX = inst.maskOriginY = 1;
        doc.setModelPredictions("a.png", 10, 10, {inst});
        const auto rows = instanceRows(doc, doc.findImage("a.png"));
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].className, QStringLiteral("cat"));
        QCOMPARE(rows[0].area, 9);
        QCOMPARE(*rows[0].score, double(0.7f));
    }
};

class TestCanvasTools : public QObject {
    Q_OBJECT

    // A 400x300 image shown at 1:1 in a larger view, so view and image pixels differ by an offset.
    void prepare(ImageCanvas& canvas) {
        canvas.resize(600, 450);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        QImage img(400, 300, QImage::Format_RGB32);
        img.fill(Qt::gray);
        canvas.setImage(img);
        canvas.zoomActualSize();
        canvas.zoomIn();  // 1.25: image coordinates are not view coordinates
    }

private Q_SLOTS:
    void brushDragEmitsStrokeInImageCoordinates() {
        ImageCanvas canvas;
        prepare(canvas);
        canvas.setTool(CanvasTool::Brush);
        canvas.setBrushRadius(3);
        QSignalSpy spy(&canvas, &ImageCanvas::strokeFinished);
        QWidget* vp = canvas.viewport();
        const QPoint a = canvas.mapFromScene(QPointF(100.5, 80.5));
        const QPoint b = canvas.mapFromScene(QPointF(140.5, 80.5));
        const QPoint c = canvas.mapFromScene(QPointF(140.5, 120.5));
        sendMouse(vp, QEvent::MouseButtonPress, a, Qt::LeftButton, Qt::LeftButton);
        sendMouse(vp, QEvent::MouseMove, b, Qt::NoButton, Qt::LeftButton);
        sendMouse(vp, QEvent::MouseMove, c, Qt::NoButton, Qt::LeftButton);
        sendMouse(vp, QEvent::MouseButtonRelease, c, Qt::LeftButton, Qt::NoButton);
        QCOMPARE(spy.count(), 1);
        const auto points = spy.at(0).at(0).value<QVector<QPointF>>();
        QCOMPARE(points.size(), 3);
        // Within a view pixel (0.8 image pixels at zoom 1.25) of where the pointer was.
        QVERIFY(std::abs(points[0].x() - 100.5) < 1 && std::abs(points[0].y() - 80.5) < 1);
        QVERIFY(std::abs(points[2].x() - 140.5) < 1 && std::abs(points[2].y() - 120.5) < 1);
        QCOMPARE(spy.at(0).at(1).toDouble(), 3.0);
        QCOMPARE(spy.at(0).at(2).toBool(), false);
        // Rasterised for the document: an L of radius 3 around those points.
        const CroppedMask m = strokeMask(points, 3, canvas.image().size());
        QCOMPARE(m.origin, cv::Point(97, 77));
        QCOMPARE(m.mask.cols, 47);                    // 97 .. 143
        QCOMPARE(m.mask.rows, 47);                    // 77 .. 123
        QCOMPARE(int(m.mask.at<uint8_t>(3, 3)), 1);   // (100, 80)
        QCOMPARE(int(m.mask.at<uint8_t>(40, 3)), 0);  // (100, 117): outside the L
        // The eraser reports erase = true.
        canvas.setTool(CanvasTool::Eraser);
        sendMouse(vp, QEvent::MouseButtonPress, a, Qt::LeftButton, Qt::LeftButton);
        sendMouse(vp, QEvent::MouseButtonRelease, a, Qt::LeftButton, Qt::NoButton);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(1).at(2).toBool(), true);
    }

    void polygonAndBox() {
        ImageCanvas canvas;
        prepare(canvas);
        canvas.setTool(CanvasTool::Polygon);
        QSignalSpy poly(&canvas, &ImageCanvas::polygonFinished);
        QWidget* vp = canvas.viewport();
        for (const QPointF p : {QPointF(10, 10), QPointF(50, 10), QPointF(50, 40)}) {
            const QPoint v = canvas.mapFromScene(p);
            sendMouse(vp, QEvent::MouseButtonPress, v, Qt::LeftButton, Qt::LeftButton);
            sendMouse(vp, QEvent::MouseButtonRelease, v, Qt::LeftButton, Qt::NoButton);
        }
        QCOMPARE(canvas.pendingPolygon().size(), 3);
        QTest::keyClick(&canvas, Qt::Key_Return);
        QCOMPARE(poly.count(), 1);
        const auto shape = poly.at(0).at(0).value<QPolygonF>();
        QCOMPARE(shape.size(), 3);
        QVERIFY(std::abs(shape[1].x() - 50) < 1 && std::abs(shape[1].y() - 10) < 1);
        QCOMPARE(canvas.pendingPolygon().size(), 0);
        // A double-click closes it too (its first press adds the last point once).
        for (const QPointF p : {QPointF(100, 100), QPointF(150, 100)}) {
            const QPoint v = canvas.mapFromScene(p);
            sendMouse(vp, QEvent::MouseButtonPress, v, Qt::LeftButton, Qt::LeftButton);
            sendMouse(vp, QEvent::MouseButtonRelease, v, Qt::LeftButton, Qt::NoButton);
        }
        const QPoint last = canvas.mapFromScene(QPointF(150, 140));
        sendMouse(vp, QEvent::MouseButtonPress, last, Qt::LeftButton, Qt::LeftButton);
        sendMouse(vp, QEvent::MouseButtonRelease, last, Qt::LeftButton, Qt::NoButton);
        sendMouse(vp, QEvent::MouseButtonDblClick, last, Qt::LeftButton, Qt::LeftButton);
        QCOMPARE(poly.count(), 2);
        QCOMPARE(poly.at(1).at(0).value<QPolygonF>().size(), 3);
        // Escape cancels a polygon in progress.
        const QPoint v = canvas.mapFromScene(QPointF(5, 5));
        sendMouse(vp, QEvent::MouseButtonPress, v, Qt::LeftButton, Qt::LeftButton);
        QTest::keyClick(&canvas, Qt::Key_Escape);
        QCOMPARE(canvas.pendingPolygon().size(), 0);

        canvas.setTool(CanvasTool::Box);
        QSignalSpy box(&canvas, &ImageCanvas::boxFinished);
        sendMouse(vp, QEvent::MouseButtonPress, canvas.mapFromScene(QPointF(60, 70)),
                  Qt::LeftButton, Qt::LeftButton);
        sendMouse(vp, QEvent::MouseMove, canvas.mapFromScene(QPointF(90, 100)), Qt::NoButton,
                  Qt::LeftButton);
        sendMouse(vp, QEvent::MouseButtonRelease, canvas.mapFromScene(QPointF(30, 100)),
                  Qt::LeftButton, Qt::NoButton);
        QCOMPARE(box.count(), 1);
        const QRectF r = box.at(0).at(0).toRectF();
        QVERIFY(std::abs(r.left() - 30) < 1 && std::abs(r.top() - 70) < 1);
        QVERIFY(std::abs(r.width() - 30) < 1.5 && std::abs(r.height() - 30) < 1.5);
    }

    void noToolStillPansAndZooms() {
        ImageCanvas canvas;
        prepare(canvas);
        canvas.setTool(CanvasTool::Brush);
        canvas.setTool(CanvasTool::None);
        QCOMPARE(canvas.dragMode(), QGraphicsView::ScrollHandDrag);
        QSignalSpy spy(&canvas, &ImageCanvas::strokeFinished);
        const QPoint a = canvas.mapFromScene(QPointF(100, 80));
        sendMouse(canvas.viewport(), QEvent::MouseButtonPress, a, Qt::LeftButton, Qt::LeftButton);
        sendMouse(canvas.viewport(), QEvent::MouseButtonRelease, a, Qt::LeftButton, Qt::NoButton);
        QCOMPARE(spy.count(), 0);
        const double z = canvas.zoom();
        canvas.zoomIn();
        QVERIFY(canvas.zoom() > z);
    }
};

ZSI_TEST_SUITE(TestInstancesPanel)
ZSI_TEST_SUITE(TestCanvasTools)
#include "test_instances_panel.moc"
