// The review workflow in the real main window: a model run becomes pending annotations,
// accept / relabel / brush / new box go through the undo stack, Save -> reopen keeps it all,
// "Run all" labels every image.
#include "classes_panel.h"
#include "data/coco_io.h"
#include "export_task.h"
#include "image_canvas.h"
#include "image_list.h"
#include "instance_overlay.h"
#include "instances_panel.h"
#include "main_window.h"
#include "studio_support.h"

#include <QAction>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace zsi;

namespace {

QString makeFolder(const QTemporaryDir& dir, int n) {
    const QString folder = dir.filePath(QStringLiteral("images"));
    QDir().mkpath(folder);
    for (int i = 0; i < n; ++i) {
        QImage image(120, 90, QImage::Format_RGB32);
        image.fill(QColor(40 * i, 120, 200));
        image.save(folder + QStringLiteral("/img%1.png").arg(i));
    }
    return folder;
}

// A model, the folder and one typed class, with the first image segmented.
bool openFolderWithClass(MainWindow& w, const QString& folder) {
    if (!test::openTinyModel(w)) return false;
    QSignalSpy first(w.inference(), &InferenceController::resultReady);
    w.openFolder(folder);
    return w.classesPanel()->addClass(QStringLiteral("yellow ring")) && first.wait(20000);
}

}  // namespace

class TestReviewFlow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("ZSI Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_review_flow"));
        // Run All keeps its journals under the app's data folder: a test one, emptied.
        QStandardPaths::setTestModeEnabled(true);
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
             QStringLiteral("/run-all"))
            .removeRecursively();
        QVERIFY2(test::tinyBundleExists(), "the tiny_bundle fixture is missing");
    }

    void reviewUndoSaveAndReopen() {
        QTemporaryDir dir;
        const QString folder = makeFolder(dir, 2);
        const QString docPath = dir.filePath(QStringLiteral("review.json"));
        InferenceSettings saved;
        {
            MainWindow w;
            QVERIFY(test::openTinyModel(w));
            QSignalSpy results(w.inference(), &InferenceController::resultReady);
            QCOMPARE(w.openFolder(folder), 2);
            QVERIFY(w.classesPanel()->addClass(QStringLiteral("purple heart")));
            QVERIFY(results.wait(20000));
            const int64_t image = w.session()->currentImageId();
            QVERIFY(image > 0);
            QVERIFY(!w.session()->rowIds().empty());
            const int64_t first = w.session()->rowIds().front();
            QCOMPARE(toString(w.session()->document().review(first)), std::string("pending"));
            QCOMPARE(w.instancesPanel()->rows().size(), w.session()->rowIds().size());
            QVERIFY(w.imageList()->status(w.imageList()->currentPath()) == ImageStatus::Predicted);

            // Accept the first instance with the panel's action (the A key).
            w.selectInstance(0);
            w.instancesPanel()->selectInstance(0);
            w.instancesPanel()->acceptAction()->trigger();
            QCOMPARE(toString(w.session()->document().review(first)), std::string("accepted"));
            w.session()->undoStack()->undo();
            QCOMPARE(toString(w.session()->document().review(first)), std::string("pending"));
            w.session()->undoStack()->redo();
            QCOMPARE(toString(w.session()->document().review(first)), std::string("accepted"));

            // Paint on it with the brush: its area grows; undo restores it exactly.
            const double areaBefore = w.session()->document().annotation(first)->area;
            w.selectInstance(0);
            w.canvas()->setTool(CanvasTool::Brush);
            Q_EMIT w.canvas()->strokeFinished({QPointF(5, 80), QPointF(30, 80)}, 4.0, false);
            QVERIFY(w.session()->document().annotation(first)->area > areaBefore);
            w.session()->undoStack()->undo();
            QCOMPARE(w.session()->document().annotation(first)->area, areaBefore);
            w.session()->undoStack()->redo();

            // A new instance drawn as a box, with a class.
            const size_t before = w.session()->document().annotations(image).size();
            Q_EMIT w.canvas()->boxFinished(QRectF(60, 10, 30, 20));
            QCOMPARE(w.session()->document().annotations(image).size(), before + 1);
            const coco::Annotation& added = w.session()->document().annotations(image).back();
            QCOMPARE(toString(w.session()->document().source(added.id)), std::string("human"));
            QCOMPARE(added.area, 600.0);

            // Settings away from the model's defaults: the reopened session restores them all.
            saved = w.session()->settings();
            saved.mode = InferenceMode::Gzsi;
            saved.scoring = ScoringRule::Direct;
            saved.scoreThreshold = 0.3;
            saved.maskThreshold = 0.4;
            saved.oneLabelPerObject = !saved.oneLabelPerObject;
            saved.background = BackgroundChoice::Zero;
            w.session()->setSettings(saved);

            QVERIFY(w.session()->document().isDirty());
            QVERIFY(w.windowTitle().contains(QLatin1Char('*')));
            QVERIFY(w.saveDocument(docPath));
            QVERIFY(!w.session()->document().isDirty());
            QVERIFY(!w.windowTitle().contains(QLatin1Char('*')));
        }
        MainWindow w2;
        QVERIFY(test::openTinyModel(w2));
        QVERIFY(w2.openDocument(docPath));
        // The typed class, the review states, the hand-drawn instance and the image list came back.
        QCOMPARE(w2.session()->vocabulary().unseen().size(), size_t(1));
        const auto& imgs = w2.session()->document().images();
        QCOMPARE(imgs.size(), size_t(1));
        const auto& anns = w2.session()->document().annotations(imgs.front().id);
        QVERIFY(std::any_of(anns.begin(), anns.end(), [&](const coco::Annotation& a) {
            return toString(w2.session()->document().review(a.id)) == "accepted" &&
                   toString(w2.session()->document().source(a.id)) == "model";
        }));
        QVERIFY(std::any_of(anns.begin(), anns.end(), [&](const coco::Annotation& a) {
            return toString(w2.session()->document().source(a.id)) == "human";
        }));
        QCOMPARE(w2.imageList()->count(), 2);
        QVERIFY(w2.session()->document().settings().inference == saved);
        QVERIFY(w2.session()->settings() == saved);
    }

    void runAllLabelsEveryImage() {
        QTemporaryDir dir;
        const QString folder = makeFolder(dir, 3);
        MainWindow w;
        QVERIFY(openFolderWithClass(w, folder));
        QSignalSpy finished(w.inference(), &InferenceController::batchFinished);
        w.runAll();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.front().front().toBool(), false);  // not cancelled
        QCOMPARE(w.batchSegmented(), 3);
        QCOMPARE(w.session()->document().images().size(), size_t(3));
        for (const QString& p : w.imageList()->paths())
            QVERIFY(w.imageList()->status(p) == ImageStatus::Predicted);

        // File > Export runs as a task off the GUI thread and writes the whole document.
        const QString out = dir.filePath(QStringLiteral("export.json"));
        QSignalSpy exported(w.exportTask(), &ExportTask::finished);
        QVERIFY(w.startExport(out, {}));
        QVERIFY(!w.startExport(out, {}));  // one at a time
        QVERIFY(exported.wait(30000));
        QCOMPARE(coco::readInstances(out.toStdString()).images.size(), size_t(3));
    }

    // Typing a class during "Run all" does not wait for the whole folder: the interactive
    // request runs between two images of the batch.
    void typedClassRunsBetweenBatchImages() {
        QTemporaryDir dir;
        const QString folder = makeFolder(dir, 5);
        MainWindow w;
        QVERIFY(openFolderWithClass(w, folder));
        QStringList events;
        std::vector<std::weak_ptr<const WorkerResult>> results;
        connect(w.inference(), &InferenceController::batchResult, &w,
                [&](std::shared_ptr<const WorkerResult> r) {
                    events << QStringLiteral("batch");
                    results.push_back(r);
                });
        connect(w.inference(), &InferenceController::resultReady, &w,
                [&](std::shared_ptr<const WorkerResult>) { events << QStringLiteral("typed"); });
        QSignalSpy finished(w.inference(), &InferenceController::batchFinished);
        w.runAll();
        QVERIFY(w.classesPanel()->addClass(QStringLiteral("purple heart")));
        QVERIFY(finished.wait(60000));
        QCOMPARE(int(events.count(QStringLiteral("batch"))), 5);
        QVERIFY(events.contains(QStringLiteral("typed")));
        QVERIFY2(
            events.indexOf(QStringLiteral("typed")) < events.lastIndexOf(QStringLiteral("batch")),
            qPrintable(events.join(QLatin1Char(' '))));
        QCOMPARE(w.batchSegmented(), 5);
        // No batch result is kept once it is in the document (the image on screen keeps its
        // own for the similarity chart).
        QCoreApplication::processEvents();
        int alive = 0;
        for (const auto& r : results) alive += !r.expired();
        QVERIFY2(alive <= 1, qPrintable(QString::number(alive)));
    }

    // A Run All cut off (here: stopped after two images; a crash leaves the same journal)
    // continues in a new session: the images it finished come back from the journal
    // into the new document, only the rest is run, and the journal goes when it is done.
    void interruptedRunAllResumes() {
        QTemporaryDir dir;
        const QString folder = makeFolder(dir, 5);
        const QString journals = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                 QStringLiteral("/run-all");
        int firstRun = 0;
        {
            MainWindow w;
            QVERIFY(openFolderWithClass(w, folder));
            QSignalSpy finished(w.inference(), &InferenceController::batchFinished);
            w.runAll(2);
            QVERIFY(finished.wait(60000));
            QCOMPARE(finished.front().front().toBool(), true);  // cancelled
            firstRun = w.batchSegmented();
            QCOMPARE(firstRun, 2);
            QCOMPARE(QDir(journals).entryList({QStringLiteral("*.journal")}).size(), 1);
        }
        MainWindow w;
        QVERIFY(openFolderWithClass(w, folder));
        QSignalSpy finished(w.inference(), &InferenceController::batchFinished);
        w.runAll();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.front().front().toBool(), false);
        QCOMPARE(w.batchResumed(), firstRun);
        QCOMPARE(w.batchSegmented(), 5);
        QCOMPARE(w.session()->document().images().size(), size_t(5));
        for (const QString& p : w.imageList()->paths())
            QVERIFY(w.imageList()->status(p) == ImageStatus::Predicted);
        QVERIFY(QDir(journals)
                    .entryList({QStringLiteral("*.journal"), QStringLiteral("*.json")})
                    .isEmpty());
    }
};

QTEST_MAIN(TestReviewFlow)
#include "test_review_flow.moc"
