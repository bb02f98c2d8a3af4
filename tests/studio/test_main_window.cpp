#include "classes_panel.h"
#include "image_canvas.h"
#include "inference_worker.h"
#include "instance_overlay.h"
#include "main_window.h"
#include "similarity_chart.h"
#include "studio_support.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>
#include <QTranslator>
#include <QtTest>

using namespace zsi;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("ZSI Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_studio"));
    }

    void windowHasTitleAndIcon() {
        MainWindow w;
        QCOMPARE(w.windowTitle(), QStringLiteral("ZSI Studio"));
        QVERIFY(!w.windowIcon().isNull());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const QImage shot = w.grab().toImage();
        QVERIFY(shot.width() > 100 && shot.height() > 100);
    }

    void opensImageAndRejectsGarbage() {
        QTemporaryDir dir;
        const QString good = dir.filePath(QStringLiteral("img.png"));
        QImage img(64, 48, QImage::Format_RGB32);
        img.fill(Qt::blue);
        QVERIFY(img.save(good));
        const QString bad = dir.filePath(QStringLiteral("bad.png"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not an image");
        f.close();

        MainWindow w;
        QVERIFY(w.openImage(good));
        QCOMPARE(w.canvas()->image().size(), QSize(64, 48));
        QVERIFY(!w.openImage(bad));
        // The good image stays when a bad one fails to open.
        QCOMPARE(w.canvas()->image().size(), QSize(64, 48));
    }

    void typedClassReachesWorkerAndUpdatesOverlay() {
        QVERIFY2(test::tinyBundleExists(), "the tiny_bundle fixture is missing");
        QTemporaryDir dir;
        const QString img = test::writeImage(dir, QStringLiteral("shapes.png"));
        QVERIFY(!img.isEmpty());

        MainWindow w;
        w.show();
        QVERIFY(test::openTinyModel(w));
        QVERIFY(w.session()->hasModel());
        QVERIFY(w.openImage(img));
        // ZSI mode with no typed class: nothing to segment yet.
        QCOMPARE(w.overlay()->count(), 0);

        // Measure the longest gap between GUI event-loop turns while the worker runs.
        QElapsedTimer clock;
        qint64 last = 0, longest = 0;
        QTimer tick;
        clock.start();
        connect(&tick, &QTimer::timeout, [&] {
            const qint64 now = clock.elapsed();
            longest = std::max(longest, now - last);
            last = now;
        });
        tick.start(5);
        QSignalSpy results(w.inference(), &InferenceController::resultReady);
        QVERIFY(w.classesPanel()->addClass(QStringLiteral("purple heart")));
        QVERIFY(results.wait(20000));
        tick.stop();
        QVERIFY(w.overlay()->count() > 0);
        QVERIFY2(longest < 100, qPrintable(QStringLiteral("GUI stalled %1 ms").arg(longest)));
        const auto* r = w.lastResult();
        QVERIFY(r);
        QCOMPARE(r->result.instances.front().className, std::string("purple heart"));

        // A second typed class re-scores from cached features.
        QVERIFY(w.classesPanel()->addClass(QStringLiteral("yellow ring")));
        QVERIFY(results.wait(20000));
        QVERIFY(w.lastResult()->featuresCached);
        QCOMPARE(w.lastResult()->result.similarityNames.size(), size_t(1 + 3 + 2));

        // Selecting an instance fills the similarity chart (background + 3 seen + 2 unseen).
        w.selectInstance(0);
        w.similarityChart()->setShowAll(true);
        QCOMPARE(int(w.similarityChart()->shown().size()), 6);

        // Unknown words are refused inline, never a silent zero vector.
        QVERIFY(!w.classesPanel()->addClass(QStringLiteral("purple zebra")));
        QVERIFY(w.classesPanel()->lastMessage().contains(QStringLiteral("zebra")));
        // A seen class cannot be typed as unseen.
        QVERIFY(!w.classesPanel()->addClass(QStringLiteral("Red Circle")));
    }

    // An image not prepared yet shows a reduced-resolution result first, on its own layer:
    // the session (document, undo, autosave) only ever gets the full result.
    void provisionalMasksComeFirstAndStayOutOfTheDocument() {
        QVERIFY2(test::tinyBundleExists(), "the tiny_bundle fixture is missing");
        QTemporaryDir dir;
        const QString img = test::writeImage(dir, QStringLiteral("shapes.png"));
        QVERIFY(!img.isEmpty());

        MainWindow w;
        QVERIFY(test::openTinyModel(w));
        QVERIFY(w.classesPanel()->addClass(QStringLiteral("purple heart")));
        QStringList order;
        int rowsAtProvisional = -1, shownAtProvisional = -1;
        size_t provisionalInstances = 0;
        bool flagged = false;
        connect(w.inference(), &InferenceController::provisionalReady, &w,
                [&](std::shared_ptr<const WorkerResult> r) {
                    order << QStringLiteral("provisional");
                    flagged = r->provisional;
                    provisionalInstances = r->result.instances.size();
                    // The window's own handler was connected first: the layer is drawn by now.
                    rowsAtProvisional = int(w.session()->rowIds().size());
                    shownAtProvisional = w.provisionalOverlay()->count();
                });
        connect(w.inference(), &InferenceController::resultReady, &w,
                [&](std::shared_ptr<const WorkerResult>) { order << QStringLiteral("full"); });
        QVERIFY(w.openImage(img));
        QTRY_VERIFY_WITH_TIMEOUT(order.contains(QStringLiteral("full")), 20000);
        QCOMPARE(order, (QStringList{QStringLiteral("provisional"), QStringLiteral("full")}));
        QVERIFY(flagged);
        QCOMPARE(rowsAtProvisional, 0);  // nothing of it in the session
        QCOMPARE(shownAtProvisional, int(provisionalInstances));
        QVERIFY(!w.provisionalOverlay()->isVisible());
        QCOMPARE(w.provisionalOverlay()->count(), 0);
        QVERIFY(w.overlay()->count() > 0);
        QVERIFY(!w.session()->rowIds().empty());

        // Cached features: a typed class re-scores directly, no provisional pass.
        order.clear();
        QVERIFY(w.classesPanel()->addClass(QStringLiteral("yellow ring")));
        QTRY_VERIFY_WITH_TIMEOUT(order.contains(QStringLiteral("full")), 20000);
        QCOMPARE(order, QStringList{QStringLiteral("full")});

        // Switched off: straight to the full result.
        w.inference()->setProvisional(0);
        const QString second = test::writeImage(dir, QStringLiteral("second.png"));
        QVERIFY(!second.isEmpty());
        order.clear();
        QVERIFY(w.openImage(second));
        QTRY_VERIFY_WITH_TIMEOUT(order.contains(QStringLiteral("full")), 20000);
        QCOMPARE(order, QStringList{QStringLiteral("full")});
    }

    // The worker's cache of prepared images counts bytes, not only images: the newest always
    // stays, older ones go once the total passes the budget.
    void workerCacheStaysWithinItsBytes() {
        QVERIFY2(test::tinyBundleExists(), "the tiny_bundle fixture is missing");
        QTemporaryDir dir;
        auto latest = std::make_shared<std::atomic<quint64>>(0);
        auto slot = std::make_shared<RequestSlot>();
        InferenceWorker worker(latest, slot);
        ScoringRequest scoring;
        QObject::connect(&worker, &InferenceWorker::modelOpened,
                         [&](const ModelInfo& info) { scoring = info.defaults; });
        QSignalSpy results(&worker, &InferenceWorker::resultReady);
        worker.openModel(test::tinyBundle(), QString(), QString());  // direct call: synchronous
        QVERIFY(!scoring.unseenVectors.size() && scoring.maxDetections > 0);
        scoring.mode = InferenceMode::Seen;
        worker.setProvisional(0);
        const auto segment = [&](int i) {
            const QString img =
                test::writeImage(dir, QStringLiteral("img%1.png").arg(i), QColor(30 * i, 90, 160));
            *latest = quint64(i + 1);
            slot->put(WorkerRequest{quint64(i + 1), img, scoring});
            worker.processSlot();
        };
        segment(0);
        QCOMPARE(results.size(), 1);
        const std::size_t one = worker.cachedBytes();
        QVERIFY(one > 0);
        worker.setCacheBytes(one * 5 / 2);
        for (int i = 1; i < 5; ++i) segment(i);
        QCOMPARE(results.size(), 5);
        QVERIFY2(worker.cachedBytes() <= one * 5 / 2 && worker.cachedBytes() > one * 3 / 2,
                 qPrintable(QStringLiteral("%1 bytes cached, one image %2")
                                .arg(worker.cachedBytes())
                                .arg(one)));
        worker.setCacheBytes(0);  // only the image on screen
        segment(5);
        QVERIFY(worker.cachedBytes() > 0 && worker.cachedBytes() < one * 3 / 2);
    }

    void chineseTranslationIsCompleteAndLoads() {
        QFile ts(QStringLiteral(ZSI_SOURCE_DIR "/translations/zsi_studio_zh_CN.ts"));
        QVERIFY(ts.open(QIODevice::ReadOnly));
        const QByteArray text = ts.readAll();
        QVERIFY(text.contains("<message>"));
        QCOMPARE(text.count("type=\"unfinished\""), 0);
        QCOMPARE(text.count("type=\"vanished\""), 0);
        QTranslator tr;
        QVERIFY(tr.load(QStringLiteral(":/i18n/zsi_studio_zh_CN.qm")));
        QCOMPARE(tr.translate("zsi::MainWindow", "&File"), QStringLiteral("文件(&F)"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
