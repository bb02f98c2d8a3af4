// The background dock in the real main window: the plots follow the model and the
// typed classes, the heatmap follows the image, the what-if table re-scores on the worker and
// a chosen row replaces the model's masks on the canvas.
#include "background_cosine_chart.h"
#include "background_dock.h"
#include "class_map_plot.h"
#include "classes_panel.h"
#include "heatmap_overlay.h"
#include "instance_overlay.h"
#include "main_window.h"
#include "studio_support.h"
#include "training_curves_plot.h"

#include <QApplication>
#include <QDir>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace zsi;

class TestBackgroundDock : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("ZSI Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_background_dock"));
    }

    void followsModelClassesAndImage() {
        QVERIFY2(test::tinyBundleExists(), "the tiny_bundle fixture is missing");
        QTemporaryDir dir;
        const QString img = test::writeImage(dir, QStringLiteral("shapes.png"));
        QVERIFY(!img.isEmpty());

        MainWindow w;
        w.show();
        BackgroundDock* dock = w.backgroundDock();
        QVERIFY(dock);
        dock->show();
        dock->raise();
        QVERIFY(test::openTinyModel(w));
        QTRY_COMPARE_WITH_TIMEOUT(int(dock->analysis().classes.size()), 3, 5000);
        QCOMPARE(int(dock->cosineChart()->shown().size()), 3);
        QCOMPARE(int(dock->classMap()->projection().points.size()), 5);
        QVERIFY(!dock->trainingPlot()->caption().isEmpty());  // the tiny bundle has no log

        QSignalSpy results(w.inference(), &InferenceController::resultReady);
        QSignalSpy whatIf(w.inference(), &InferenceController::whatIfReady);
        QVERIFY(w.openImage(img));
        QVERIFY(w.classesPanel()->addClass(QStringLiteral("purple heart")));
        // The typed class is on the map at once.
        QCOMPARE(int(dock->analysis().classes.size()), 4);
        QCOMPARE(int(dock->classMap()->projection().points.size()), 6);
        QVERIFY(results.wait(20000));
        QVERIFY(dock->heatmap()->levelCount() > 0);
        QCOMPARE(dock->heatmap()->image().size(), QSize(120, 90));
        dock->setHeatmapVisible(true);
        QVERIFY(dock->heatmap()->isVisible());

        QVERIFY(whatIf.count() > 0 || whatIf.wait(20000));
        QTRY_COMPARE_WITH_TIMEOUT(dock->whatIfTable()->rowCount(), 4, 5000);
        QVERIFY(dock->lastWhatIf());
        for (const auto& o : dock->lastWhatIf()->outcomes) QVERIFY2(o.available, o.error.c_str());
        QCOMPARE(dock->whatIfTable()->item(2, 1)->text(),
                 QString::number(dock->lastWhatIf()->outcomes[2].instances));

        // Choosing a row shows that setting's masks instead of the model's.
        QVERIFY(w.overlay()->isVisible());
        dock->whatIfTable()->selectRow(2);
        QVERIFY(!w.overlay()->isVisible());
        dock->whatIfTable()->clearSelection();
        QVERIFY(w.overlay()->isVisible());

        // The image tab renders (kept in the build's test-tmp folder for a look).
        dock->tabs()->setCurrentIndex(3);
        dock->setFloating(true);
        dock->resize(420, 560);
        QApplication::processEvents();
        const QImage shot = dock->grab().toImage();
        QVERIFY(shot.width() > 100 && shot.height() > 100);
        shot.save(QDir::temp().filePath(QStringLiteral("background-dock.png")));
        w.grab().save(QDir::temp().filePath(QStringLiteral("background-window.png")));
    }
};

QTEST_MAIN(TestBackgroundDock)
#include "test_background_dock.moc"
