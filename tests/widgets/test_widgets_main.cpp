// One executable for the widgets module; each widget has its own test class.
#include <QApplication>
#include <QtTest>

int runImageCanvasTests(int argc, char** argv);
int runInstanceOverlayTests(int argc, char** argv);
int runSimilarityChartTests(int argc, char** argv);

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    int failures = 0;
    failures += runImageCanvasTests(argc, argv);
    failures += runInstanceOverlayTests(argc, argv);
    failures += runSimilarityChartTests(argc, argv);
    return failures;
}
