#include "similarity_chart.h"

#include "test_registry.h"

#include <QApplication>
#include <QtTest>
#include "qcustomplot_include.h"

using namespace zsi;

class TestSimilarityChart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sortsAndColoursByKind() {
        SimilarityChart chart;
        chart.resize(300, 400);
        chart.setSimilarities({{QStringLiteral("background"), 0.1f, ClassKind::Background},
                               {QStringLiteral("red circle"), 0.7f, ClassKind::Seen},
                               {QStringLiteral("blue star"), 0.9f, ClassKind::Unseen},
                               {QStringLiteral("green square"), 0.05f, ClassKind::Seen}},
                              QStringLiteral("direct"), QStringLiteral("instance 1"));
        QCOMPARE(int(chart.shown().size()), 4);
        QCOMPARE(chart.shown()[0].name, QStringLiteral("blue star"));
        QCOMPARE(chart.shown()[1].name, QStringLiteral("red circle"));
        QCOMPARE(chart.shown()[2].name, QStringLiteral("background"));
        // Three kinds present -> three bar series, each in its kind's colour.
        QCOMPARE(chart.plot()->plottableCount(), 3);
        auto* first = qobject_cast<QCPBars*>(chart.plot()->plottable(0));
        QVERIFY(first);
        QCOMPARE(first->brush().color(), SimilarityChart::kindColor(ClassKind::Seen));
        chart.clear();
        QCOMPARE(chart.plot()->plottableCount(), 0);
    }

    // 100 classes in a short dock: only as many rows as fit, each row at least a label high
    // (labels never overlap); "Show all" lists every class in a taller, scrolling chart.
    void hundredClassesStayReadable() {
        std::vector<SimilarityEntry> entries;
        for (int i = 0; i < 100; ++i)
            entries.push_back({QStringLiteral("class number %1").arg(i), float(i) / 100.f,
                               i % 3 ? ClassKind::Seen : ClassKind::Unseen});
        SimilarityChart chart;
        chart.resize(320, 360);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setSimilarities(entries, QStringLiteral("direct"), QStringLiteral("instance 0"));
        QApplication::processEvents();
        const int rows = int(chart.shown().size());
        QVERIFY2(rows >= 3 && rows < 100, qPrintable(QString::number(rows)));
        QCOMPARE(chart.shown()[0].name, QStringLiteral("class number 99"));
        // Pixel distance between two neighbouring tick labels >= one label's height.
        const QFontMetrics fm(chart.plot()->yAxis->tickLabelFont());
        const double perRow = chart.plot()->yAxis->axisRect()->height() / double(rows);
        QVERIFY2(
            perRow >= fm.height(),
            qPrintable(QStringLiteral("%1 px per row, labels %2 px").arg(perRow).arg(fm.height())));
        // Taller dock, more rows.
        chart.resize(320, 800);
        QApplication::processEvents();
        QVERIFY(int(chart.shown().size()) > rows);
        chart.setShowAll(true);
        QApplication::processEvents();
        QCOMPARE(int(chart.shown().size()), 100);
        QVERIFY(chart.plot()->minimumHeight() >= 100 * fm.height());
        chart.setShowAll(false);
        QApplication::processEvents();
        QVERIFY(int(chart.shown().size()) < 100);
    }
};

ZSI_TEST_SUITE(TestSimilarityChart)
#include "test_similarity_chart.moc"
