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
        QVERIFY(!canvas.showsPreview());  // small images never use one
    }

    void largeImagesUseAPreviewWhenZoomedOut() {
        ImageCanvas canvas;
        canvas.resize(420, 320);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        QImage img(8192, 4096, QImage::Format_RGB32);
        img.fill(Qt::darkGreen);
        canvas.setImage(img);
        QVERIFY(canvas.showsPreview());  // fit: ~0.05 zoom, the 2048 px preview has enough pixels
        QCOMPARE(canvas.image().size(), img.size());  // the full image stays for editing and export
        canvas.zoomActualSize();
        QVERIFY(!canvas.showsPreview());  // 1:1 shows the real pixels
        canvas.zoomToFit();
        QVERIFY(canvas.showsPreview());
        // Drawing it stays the same picture (a green canvas, not an empty one).
        const QImage shot = canvas.grab().toImage();
        QCOMPARE(shot.pixelColor(shot.width() / 2, shot.height() / 2), QColor(Qt::darkGreen));
    }
};

ZSI_TEST_SUITE(TestImageCanvas)
#include "test_image_canvas.moc"
