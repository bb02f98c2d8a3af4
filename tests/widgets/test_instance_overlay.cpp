#include "class_colors.h"
#include "instance_overlay.h"
#include "instance_support.h"

#include <QGraphicsScene>
#include <QGraphicsView>
#include <QPainter>
#include "test_registry.h"

#include <QtTest>

using namespace zsi;

namespace {
Instance square(int x, int y, int side, int cls, float score) {
    Instance inst = test::squareInstance(x, y, side, score);
    inst.classIndex = cls;
    inst.className = "class" + std::to_string(cls);
    return inst;
}
}  // namespace

class TestInstanceOverlay : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void hitTestPrefersTopmost() {
        InstanceOverlay overlay;
        overlay.setInstances({square(10, 10, 20, 0, 0.9f), square(20, 20, 20, 1, 0.8f)});
        QCOMPARE(overlay.count(), 2);
        QCOMPARE(overlay.instanceAt(QPointF(12, 12)), 0);
        QCOMPARE(overlay.instanceAt(QPointF(25, 25)), 1);  // overlap: the later one is on top
        QCOMPARE(overlay.instanceAt(QPointF(35, 12)), -1);
        overlay.setHiddenClasses({1});
        QCOMPARE(overlay.instanceAt(QPointF(25, 25)), 0);
    }

    // A small object inside a large one stays clickable: masks paint largest first.
    void smallestOnTopAndOnlyOneClass() {
        InstanceOverlay overlay;
        overlay.setInstances({square(30, 30, 6, 1, 0.5f), square(0, 0, 80, 0, 0.9f)});
        QCOMPARE(overlay.instanceAt(QPointF(32, 32)), 0);  // the small one, although listed first
        QCOMPARE(overlay.instanceAt(QPointF(5, 5)), 1);
        overlay.setOnlyClass(0);
        QCOMPARE(overlay.instanceAt(QPointF(32, 32)), 1);
        QCOMPARE(overlay.classOf(1), 0);
        overlay.setOnlyClass(-1);
        QCOMPARE(overlay.instanceAt(QPointF(32, 32)), 0);
    }

    // A crowded scene: 60 instances in a small area, at several zooms. No two tags overlap;
    // the best-scoring ones get a place; the rest wait for hover.
    void tagsNeverOverlap() {
        std::vector<Instance> crowd;
        for (int i = 0; i < 60; ++i)
            crowd.push_back(
                square(10 + (i % 8) * 9, 10 + (i / 8) * 7, 12, i % 5, 1.0f - i * 0.01f));
        InstanceOverlay overlay;
        overlay.setInstances(crowd);
        for (double scale : {0.5, 1.0, 3.0, 8.0}) {
            const std::vector<QRectF> tags = overlay.tagLayout(scale);
            QCOMPARE(tags.size(), crowd.size());
            int shown = 0;
            for (size_t a = 0; a < tags.size(); ++a) {
                if (tags[a].isNull()) continue;
                ++shown;
                for (size_t b = a + 1; b < tags.size(); ++b)
                    if (!tags[b].isNull())
                        QVERIFY2(!tags[a].intersects(tags[b]),
                                 qPrintable(QStringLiteral("tags %1 and %2 overlap at zoom %3")
                                                .arg(a)
                                                .arg(b)
                                                .arg(scale)));
            }
            QVERIFY(shown >= 1);
            QVERIFY(!tags[0].isNull());             // the best score always has its tag
            if (scale >= 8.0) QCOMPARE(shown, 60);  // zoomed in, everything has room
        }
    }

    void selectionSignals() {
        InstanceOverlay overlay;
        overlay.setInstances({square(0, 0, 8, 0, 0.5f)});
        QSignalSpy spy(&overlay, &InstanceOverlay::selectionChanged);
        overlay.setSelected(0);
        overlay.setSelected(0);  // no change, no signal
        overlay.setSelected(5);  // out of range clears the selection
        QCOMPARE(spy.count(), 2);
        QCOMPARE(overlay.selected(), -1);
    }

    void paintsClassColourInsideMaskOnly() {
        QGraphicsScene scene(0, 0, 64, 64);
        auto* overlay = new InstanceOverlay;
        overlay->setShowLabels(false);
        overlay->setOpacityLevel(1.0);
        overlay->setInstances({square(16, 16, 24, 3, 0.7f)});
        scene.addItem(overlay);
        QImage img(64, 64, QImage::Format_ARGB32_Premultiplied);
        img.fill(Qt::black);
        QPainter p(&img);
        scene.render(&p, QRectF(0, 0, 64, 64), QRectF(0, 0, 64, 64));
        p.end();
        QCOMPARE(img.pixelColor(28, 28).rgb(), classColor(3).rgb());
        QCOMPARE(img.pixelColor(4, 4).rgb(), QColor(Qt::black).rgb());
    }

    // The item's opacity (the app's fainter provisional layer) scales what is painted.
    void itemOpacityFadesThePaint() {
        QGraphicsScene scene(0, 0, 64, 64);
        auto* overlay = new InstanceOverlay;
        overlay->setShowLabels(false);
        overlay->setOpacityLevel(1.0);
        overlay->setInstances({square(16, 16, 24, 3, 0.7f)});
        overlay->setOpacity(0.5);
        scene.addItem(overlay);
        QImage img(64, 64, QImage::Format_ARGB32_Premultiplied);
        img.fill(Qt::black);
        QPainter p(&img);
        scene.render(&p, QRectF(0, 0, 64, 64), QRectF(0, 0, 64, 64));
        p.end();
        const QColor full = classColor(3), seen = img.pixelColor(28, 28);
        const auto near = [](int a, int b) { return std::abs(a - b) <= 2; };
        QVERIFY2(near(seen.red(), full.red() / 2) && near(seen.green(), full.green() / 2) &&
                     near(seen.blue(), full.blue() / 2),
                 qPrintable(seen.name() + QStringLiteral(" vs ") + full.name()));
    }

    void coloursAreStableAndDistinct() {
        QCOMPARE(classColor(7), classColor(7));
        QVERIFY(classColor(0) != classColor(1));
        QVERIFY(classColor(1) != classColor(2));
    }
};

ZSI_TEST_SUITE(TestInstanceOverlay)
#include "test_instance_overlay.moc"
