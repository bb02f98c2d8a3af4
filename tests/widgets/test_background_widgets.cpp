// The background views' widgets on hand-built numbers: what each plot shows.
#include "background_cosine_chart.h"
#include "class_map_plot.h"
#include "heatmap_overlay.h"
#include "training_curves_plot.h"

#include "test_registry.h"

#include <QGraphicsScene>
#include <QPainter>
#include <QtTest>
#include "qcustomplot_include.h"

using namespace zsi;
using namespace zsi::analysis;

namespace {
BackgroundInput input(bool withUnseen) {
    BackgroundInput in;
    in.dim = 3;
    in.seenNames = {"x", "y"};
    in.seenVectors = {1, 0, 0, 0, 2, 0};
    if (withUnseen) {
        in.unseenNames = {"z"};
        in.unseenVectors = {0.2f, 0, 3};
    }
    in.learned = {1, 0.5f, 0};
    in.initial = {0, 0, 1};
    return in;
}
}  // namespace

class TestBackgroundCosineChart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void barsSortedWithKindsAndNorms() {
        BackgroundCosineChart chart;
        chart.setAnalysis(analyseBackground(input(true)));
        QCOMPARE(int(chart.shown().size()), 3);
        QCOMPARE(chart.shown()[0].name, std::string("x"));  // highest cosine to V_b first
        QCOMPARE(chart.shown()[1].name, std::string("y"));
        QCOMPARE(chart.shown()[2].name, std::string("z"));
        // seen learned / initial, unseen learned / initial
        QCOMPARE(chart.plot()->plottableCount(), 4);
        auto* first = qobject_cast<QCPBars*>(chart.plot()->plottable(0));
        QVERIFY(first);
        QCOMPARE(first->brush().color(), BackgroundCosineChart::barColor(false, true));
        QCOMPARE(first->data()->size(), 2);
        QVERIFY(BackgroundCosineChart::barColor(false, true) !=
                BackgroundCosineChart::barColor(true, true));
        QVERIFY(chart.caption().contains(QStringLiteral("1.118")));  // |V_b| = sqrt(1.25)
        QVERIFY(chart.caption().contains(QStringLiteral("x")));
        chart.setAnalysis(analyseBackground(input(false)));
        QCOMPARE(chart.plot()->plottableCount(), 2);  // no unseen bars
        chart.clear();
        QCOMPARE(chart.plot()->plottableCount(), 0);
    }
};

class TestClassMapPlot : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pointsLabelsTooltipsAndNewClasses() {
        ClassMapPlot map;
        map.resize(600, 450);
        map.show();
        map.setAnalysis(analyseBackground(input(false)));
        QCOMPARE(int(map.projection().points.size()), 4);  // 2 seen + learned + initial
        QCOMPARE(map.plot()->graphCount(), 3);             // seen, initial, learned
        QCOMPARE(map.labelCount(), 4);
        // A typed class appears as soon as the analysis includes it.
        map.setAnalysis(analyseBackground(input(true)));
        QCOMPARE(map.plot()->graphCount(), 4);
        QCOMPARE(map.labelCount(), 5);
        QCOMPARE(map.projection().points[2].kind, PointKind::Unseen);
        QVERIFY(map.tooltipFor(2).contains(QStringLiteral("z")));
        QVERIFY(map.tooltipFor(2).contains(QStringLiteral("unseen")));
        QVERIFY(map.tooltipFor(3).contains(QStringLiteral("V_b")));
        // Hover: the point under its own pixel is found, empty space gives -1.
        map.plot()->replot();
        for (int i = 0; i < 5; ++i) {
            const int hit = map.pointAt(map.pixelOf(i));
            QVERIFY(hit >= 0);
            QCOMPARE(map.pixelOf(hit), map.pixelOf(i));
        }
        QCOMPARE(map.pointAt(QPointF(-100, -100)), -1);
        map.setShowLabels(false);
        QVERIFY(!map.plot()->item(0)->visible());
        map.clear();
        QCOMPARE(map.plot()->graphCount(), 0);
    }
};

class TestTrainingCurvesPlot : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void curvesAndNearestClassChanges() {
        TrainingCurvesPlot plot;
        std::vector<BackgroundSeriesPoint> s(3);
        s[0] = {1, 1.0, 2.0, 0, "cat", 0.5};
        s[1] = {100, 0.9, 2.5, 0, "cat", 0.6};
        s[2] = {200, 0.7, 3.0, 1, "dog", 0.8};
        plot.setSeries(s);
        QCOMPARE(plot.plot()->graphCount(), 3);
        QCOMPARE(plot.plot()->graph(0)->data()->size(), 3);
        QCOMPARE(plot.plot()->graph(0)->data()->at(2)->value, 0.7);         // cos to initial
        QCOMPARE(plot.plot()->graph(2)->valueAxis(), plot.plot()->yAxis2);  // norm on the right
        QCOMPARE(plot.plot()->graph(2)->data()->at(1)->value, 2.5);
        QCOMPARE(plot.nearestChanges(), (std::vector<int>{1, 200}));
        QCOMPARE(plot.plot()->itemCount(), 2);  // "cat", "dog"
        QVERIFY(plot.caption().contains(QStringLiteral("dog")));
        plot.clear(QStringLiteral("no log here"));
        QCOMPARE(plot.plot()->graphCount(), 0);
        QCOMPARE(plot.caption(), QStringLiteral("no log here"));
        plot.setSeries({});
        QVERIFY(!plot.caption().isEmpty());
    }
};

class TestHeatmapOverlay : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void levelsOpacityAndPainting() {
        HeatmapOverlay overlay;
        QCOMPARE(overlay.levelCount(), 0);
        QVERIFY(overlay.image().isNull());
        // Level 0: background on the left half, object on the right; level 1: all background.
        cv::Mat l0 = (cv::Mat_<float>(2, 2) << 1.f, 0.f, 1.f, 0.f);
        cv::Mat l1(1, 1, CV_32F, cv::Scalar(1.f));
        overlay.setMaps({l0, l1}, 40, 20);
        QCOMPARE(overlay.levelCount(), 2);
        QCOMPARE(overlay.boundingRect(), QRectF(0, 0, 40, 20));
        QCOMPARE(overlay.image().size(), QSize(40, 20));
        QVERIFY(overlay.image().pixel(2, 10) != overlay.image().pixel(37, 10));
        overlay.setLevel(7);  // clamped
        QCOMPARE(overlay.level(), 1);
        QCOMPARE(overlay.image().pixel(2, 10), overlay.image().pixel(37, 10));

        // Painted over a black scene: opacity 0 leaves it black, opacity 1 shows the colours.
        QGraphicsScene scene;
        auto* item = new HeatmapOverlay;
        item->setMaps({l0}, 40, 20);
        scene.addItem(item);
        auto render = [&] {
            QImage img(40, 20, QImage::Format_RGB32);
            img.fill(Qt::black);
            QPainter p(&img);
            scene.render(&p, QRectF(0, 0, 40, 20), QRectF(0, 0, 40, 20));
            return img;
        };
        item->setOpacityLevel(0.0);
        QCOMPARE(render().pixel(10, 10), QColor(Qt::black).rgb());
        item->setOpacityLevel(1.0);
        QCOMPARE(render().pixel(5, 10), item->image().pixel(5, 10) | 0xff000000);
        overlay.clear();
        QCOMPARE(overlay.levelCount(), 0);
        QVERIFY(overlay.image().isNull());
    }
};

ZSI_TEST_SUITE(TestBackgroundCosineChart)
ZSI_TEST_SUITE(TestClassMapPlot)
ZSI_TEST_SUITE(TestTrainingCurvesPlot)
ZSI_TEST_SUITE(TestHeatmapOverlay)
#include "test_background_widgets.moc"
