// The first five minutes, in the real main window with the bundled demo model: masks appear
// without typing anything, the banner says what the demo model knows, one label per object
// keeps one class per object (the others listed as alternatives), "Suggest Names" ranks words
// for the selected instance and adds one as a class.
#include "classes_panel.h"
#include "image_list.h"
#include "instance_overlay.h"
#include "main_window.h"
#include "suggest_names_panel.h"

#include "data/instance.h"

#include <QSettings>
#include <QtTest>

using namespace zsi;

namespace {
const QString kData = QStringLiteral(ZSI_SOURCE_DIR "/resources");
const QString kDemoImage = kData + QStringLiteral("/demo/images/synth-000003.png");

// Opens the demo model and the demo image as a first start does, then waits for the result.
bool firstStart(MainWindow& w) {
    w.setDataDir(kData);
    QSignalSpy opened(w.inference(), &InferenceController::modelOpened);
    QSignalSpy results(w.inference(), &InferenceController::resultReady);
    w.openModel(kData + QStringLiteral("/demo/model"));
    if (!opened.wait(60000)) return false;
    if (!w.openImage(kDemoImage)) return false;
    return results.wait(60000) || !results.isEmpty();
}
}  // namespace

class TestFirstStart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("ZSI Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_first_start"));
        QSettings().clear();
    }

    void masksWithoutTyping() {
        MainWindow w;
        QVERIFY(firstStart(w));
        QVERIFY2(!w.session()->unseenClasses().isEmpty(),
                 "the demo model's default classes are typed");
        QVERIFY(w.lastResult());
        QVERIFY2(w.lastResult()->result.instances.size() >= 3, "the demo scene gets masks at once");
        QVERIFY(w.bannerText().contains(QStringLiteral("Demo model")));
        QVERIFY(w.bannerText().contains(QStringLiteral("coloured shapes")));
    }

    void oneLabelPerObject() {
        MainWindow w;
        QVERIFY(firstStart(w));
        // On by default for the demo model: no two instances cover the same object.
        InferenceSettings s = w.session()->settings();
        QVERIFY(s.oneLabelPerObject);
        s.mode = InferenceMode::Gzsi;
        s.scoreThreshold = 0.05;
        QSignalSpy results(w.inference(), &InferenceController::resultReady);
        w.session()->setSettings(s);
        w.session()->setSettings(s);
        QVERIFY(results.wait(60000));
        const auto one = w.lastResult()->result.instances;
        for (size_t a = 0; a < one.size(); ++a)
            for (size_t b = a + 1; b < one.size(); ++b) QVERIFY(maskIou(one[a], one[b]) < 0.5);
        size_t alternatives = 0;
        for (const auto& i : one) alternatives += i.alternatives.size();
        // Off: the paper's behaviour, several classes per object.
        s.oneLabelPerObject = false;
        w.session()->setSettings(s);
        QVERIFY(results.wait(60000));
        const auto all = w.lastResult()->result.instances;
        // Every alternative is another detection of the object (same-class duplicates too).
        QVERIFY(alternatives > 0);
        QVERIFY(all.size() >= one.size() + alternatives);
    }

    void suggestNamesAndAddOne() {
        MainWindow w;
        QVERIFY(firstStart(w));
        w.selectInstance(0);
        QSignalSpy suggested(w.inference(), &InferenceController::suggestReady);
        Q_EMIT w.suggestNamesPanel()->suggestRequested();
        QVERIFY(suggested.wait(60000));
        QCOMPARE(w.suggestNamesPanel()->count(), 10);
        const QString word = w.suggestNamesPanel()->wordAt(0);
        QVERIFY(!word.isEmpty());
        const int before = w.session()->unseenClasses().size();
        Q_EMIT w.suggestNamesPanel()->addClassRequested(word);
        QCOMPARE(w.session()->unseenClasses().size(), before + 1);
        QVERIFY(w.session()->unseenClasses().contains(word));
    }
};

QTEST_MAIN(TestFirstStart)
#include "test_first_start.moc"
