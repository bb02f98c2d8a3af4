#include "image_canvas.h"

#include "test_registry.h"

#include <QtTest>

using namespace zsi;

class TestImageCanvas : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fitZoomAndActualSize() {
        ImageCanvas canvas;
        canvas.resize(420, 320);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        QImage img(800, 600, QImage::Format_RGB32);
        img.fill(Qt::red);
        canvas.setImage(img);
        QVERIFY(canvas.hasImage());
        // Fit: the whole 800x600 image inside the ~412x312 viewport, so zoom ~0.5.
        QVERIFY(canvas.zoom() > 0.4 && canvas.zoom() < 0.55);
        canvas.zoomActualSize();
        QCOMPARE(canvas.zoom(), 1.0);
        QSignalSpy spy(&canvas, &ImageCanvas::zoomChanged);
        canvas.zoomIn();
        QCOMPARE(spy.count(), 1);
        QVERIFY(canvas.zoom() > 1.0);
        canvas.zoomOut();
        QCOMPARE(canvas.zoom(), 1.0);
    }
};

ZSI_TEST_SUITE(TestImageCanvas)
#include "test_image_canvas.moc"
