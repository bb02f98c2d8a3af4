#include "similarity_chart.h"

#include "test_registry.h"

#include <QtTest>
#include "qcustomplot_include.h"

using namespace zsi;

class TestSimilarityChart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sortsAndColoursByKind() {
        SimilarityChart chart;
        chart.setMaxBars(3);
        chart.setSimilarities({{QStringLiteral("background"), 0.1f, ClassKind::Background},
                               {QStringLiteral("red circle"), 0.7f, ClassKind::Seen},
                               {QStringLiteral("blue star"), 0.9f, ClassKind::Unseen},
                               {QStringLiteral("green square"), 0.05f, ClassKind::Seen}},
                              QStringLiteral("direct"), QStringLiteral("instance 1"));
        QCOMPARE(int(chart.shown().size()), 3);
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
};

ZSI_TEST_SUITE(TestSimilarityChart)
#include "test_similarity_chart.moc"
