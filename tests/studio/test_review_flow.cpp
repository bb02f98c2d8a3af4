// The review workflow in the real main window: a model run becomes pending annotations,
// accept / relabel / brush / new box go through the undo stack, Save -> reopen keeps it all,
// "Run all" labels every image.
#include "classes_panel.h"
#include "image_canvas.h"
#include "image_list.h"
#include "instance_overlay.h"
#include "instances_panel.h"
#include "main_window.h"

#include <QAction>
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

bool loadModel(MainWindow& w) {
    QSignalSpy opened(w.inference(), &InferenceController::modelOpened);
    w.openModel(qEnvironmentVariable("ZSI_TINY_BUNDLE"));
    return opened.wait(20000);
}

// A model, the folder and one typed class, with the first image segmented.
bool openFolderWithClass(MainWindow& w, const QString& folder) {
    if (!loadModel(w)) return false;
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
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("ZSI_TINY_BUNDLE") +
                                   QStringLiteral("/model.json")),
                 "the tiny_bundle fixture is missing");
    }

    void reviewUndoSaveAndReopen() {
        QTemporaryDir dir;
        const QString folder = makeFolder(dir, 2);
        const QString docPath = dir.filePath(QStringLiteral("review.json"));
        InferenceSettings saved;
        {
            MainWindow w;
            QVERIFY(loadModel(w));
            QSignalSpy results(w.inference(), &InferenceController::resultReady);
            QCOMPARE(w.openFolder(folder), 2);
            QVERIFY(w.classesPanel()->addClass(QStringLiteral("purple heart")));
            QVERIFY(results.wait(20000));
            const int64_t image = w.currentImageId();
            QVERIFY(image > 0);
            QVERIFY(!w.rowAnnotationIds().empty());
            const int64_t first = w.rowAnnotationIds().front();
            QCOMPARE(toString(w.document().review(first)), std::string("pending"));
            QCOMPARE(w.instancesPanel()->rows().size(), w.rowAnnotationIds().size());
            QVERIFY(w.imageList()->status(w.imageList()->currentPath()) == ImageStatus::Predicted);

            // Accept the first instance with the panel's action (the A key).
            w.selectInstance(0);
            w.instancesPanel()->selectInstance(0);
            w.instancesPanel()->acceptAction()->trigger();
            QCOMPARE(toString(w.document().review(first)), std::string("accepted"));
            w.undoStack()->undo();
            QCOMPARE(toString(w.document().review(first)), std::string("pending"));
            w.undoStack()->redo();
            QCOMPARE(toString(w.document().review(first)), std::string("accepted"));

            // Paint on it with the brush: its area grows; undo restores it exactly.
            const double areaBefore = w.document().annotation(first)->area;
            w.selectInstance(0);
            w.canvas()->setTool(CanvasTool::Brush);
            Q_EMIT w.canvas()->strokeFinished({QPointF(5, 80), QPointF(30, 80)}, 4.0, false);
            QVERIFY(w.document().annotation(first)->area > areaBefore);
            w.undoStack()->undo();
            QCOMPARE(w.document().annotation(first)->area, areaBefore);
            w.undoStack()->redo();

            // A new instance drawn as a box, with a class.
            const size_t before = w.document().annotations(image).size();
            Q_EMIT w.canvas()->boxFinished(QRectF(60, 10, 30, 20));
            QCOMPARE(w.document().annotations(image).size(), before + 1);
            const coco::Annotation& added = w.document().annotations(image).back();
            QCOMPARE(toString(w.document().source(added.id)), std::string("human"));
            QCOMPARE(added.area, 600.0);

            // Settings away from the model's defaults: the reopened session restores them all.
            saved = w.classesPanel()->settings();
            saved.mode = InferenceMode::Gzsi;
            saved.scoring = ScoringRule::Direct;
            saved.scoreThreshold = 0.3;
            saved.maskThreshold = 0.4;
            saved.oneLabelPerObject = !saved.oneLabelPerObject;
            saved.background = BackgroundChoice::Zero;
            w.classesPanel()->setSettings(saved);

            QVERIFY(w.document().isDirty());
            QVERIFY(w.windowTitle().contains(QLatin1Char('*')));
            QVERIFY(w.saveDocument(docPath));
            QVERIFY(!w.document().isDirty());
            QVERIFY(!w.windowTitle().contains(QLatin1Char('*')));
        }
        MainWindow w2;
        QVERIFY(loadModel(w2));
        QVERIFY(w2.openDocument(docPath));
        // The typed class, the review states, the hand-drawn instance and the image list came back.
        QCOMPARE(w2.classesPanel()->vocabulary().unseen().size(), size_t(1));
        const auto& imgs = w2.document().images();
        QCOMPARE(imgs.size(), size_t(1));
        const auto& anns = w2.document().annotations(imgs.front().id);
        QVERIFY(std::any_of(anns.begin(), anns.end(), [&](const coco::Annotation& a) {
            return toString(w2.document().review(a.id)) == "accepted" &&
                   toString(w2.document().source(a.id)) == "model";
        }));
        QVERIFY(std::any_of(anns.begin(), anns.end(), [&](const coco::Annotation& a) {
            return toString(w2.document().source(a.id)) == "human";
        }));
        QCOMPARE(w2.imageList()->count(), 2);
        QVERIFY(w2.document().settings().inference == saved);
        QVERIFY(w2.classesPanel()->settings() == saved);
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
        QCOMPARE(w.document().images().size(), size_t(3));
        for (const QString& p : w.imageList()->paths())
            QVERIFY(w.imageList()->status(p) == ImageStatus::Predicted);
    }

    // Typing a class during "Run all" does not wait for the whole folder: the interactive
    // request runs between two images of the batch.
    void typedClassRunsBetweenBatchImages() {
        QTemporaryDir dir;
        const QString folder = makeFolder(dir, 5);
        MainWindow w;
        QVERIFY(openFolderWithClass(w, folder));
        QStringList events;
        connect(w.inference(), &InferenceController::batchResult, &w,
                [&](std::shared_ptr<const WorkerResult>) { events << QStringLiteral("batch"); });
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
    }
};

QTEST_MAIN(TestReviewFlow)
#include "test_review_flow.moc"
