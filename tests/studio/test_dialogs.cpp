// Preferences (settings persist), the shortcuts list (read from the real actions), the
// export dialog's options.
#include "error_text.h"
#include "export_dialog.h"
#include "import_reference_dialog.h"
#include "main_window.h"
#include "preferences_dialog.h"
#include "shortcuts_dialog.h"
#include "studio_settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "util/error.h"

using namespace zsi;

class TestDialogs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("ZSI Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_dialogs"));
        QSettings().clear();
    }

    // File > Import Reference Checkpoint: the import runs off the GUI thread with progress,
    // reports errors in the dialog, and hands back the bundle when it is done.
    void importReferenceDialog() {
        const QString fx = QStringLiteral(ZSI_FIXTURES_DIR "/reference/");
        QTemporaryDir dir;
        ImportReferenceDialog d(QStringLiteral(ZSI_SOURCE_DIR "/resources"));
        QSignalSpy imported(&d, &ImportReferenceDialog::imported);
        // A damaged checkpoint: the error is shown and the dialog stays open.
        d.setInputs(fx + "voc_stand_in_k40.txt", fx + "tiny_48_17.json",
                    fx + "word_w2v_withbg_48_17.txt", fx + "classes_48_17.txt",
                    fx + "voc_stand_in_k40.txt", QString(), dir.filePath("bad"));
        d.startImport();
        QTRY_VERIFY_WITH_TIMEOUT(!d.running() && d.statusText().contains("failed"), 30000);
        QCOMPARE(imported.count(), 0);
        QVERIFY(!QFileInfo::exists(dir.filePath("bad")));
        // The real one: startImport() returns at once, the bundle arrives later.
        d.setInputs(fx + "tiny_48_17.pth", fx + "tiny_48_17.json", fx + "word_w2v_withbg_48_17.txt",
                    fx + "classes_48_17.txt", fx + "voc_stand_in_k40.txt", QString(),
                    dir.filePath("bundle"));
        // ZSI_SCREENSHOT_DIR=... saves what the dialog looks like (for the docs and reviews).
        const QString shots = qEnvironmentVariable("ZSI_SCREENSHOT_DIR");
        if (!shots.isEmpty()) d.grab().save(shots + "/import-reference-dialog.png");
        QElapsedTimer t;
        t.start();
        d.startImport();
        QVERIFY(t.elapsed() < 200);
        QVERIFY(d.running());
        QVERIFY(imported.wait(60000));
        QCOMPARE(imported.first().first().toString(), dir.filePath("bundle"));
        QVERIFY(QFileInfo::exists(dir.filePath("bundle/model.json")));
        QCOMPARE(d.result(), int(QDialog::Accepted));
    }

    void settingsPersist() {
        StudioSettings s = StudioSettings::load();
        QCOMPARE(s.device, QStringLiteral("auto"));
        QVERIFY(s.effectiveThreads() >= 1);
        s.threads = 3;
        s.language = QStringLiteral("zh_CN");
        s.scoring.scoreThreshold = 0.3;
        QVERIFY(s.quickFirstResult);  // on unless turned off
        s.quickFirstResult = false;
        s.save();
        s.addRecentFolder(QStringLiteral("/a"));
        s.addRecentFolder(QStringLiteral("/b"));
        s.addRecentFolder(QStringLiteral("/a"));
        const StudioSettings t = StudioSettings::load();
        QCOMPARE(t.threads, 3);
        QCOMPARE(t.effectiveThreads(), 3);
        QCOMPARE(t.language, QStringLiteral("zh_CN"));
        QVERIFY(!t.quickFirstResult);
        QCOMPARE(t.scoring.scoreThreshold.value_or(-1), 0.3);
        QVERIFY(!t.scoring.maskThreshold);
        QCOMPARE(t.recentFolders, (QStringList{QStringLiteral("/a"), QStringLiteral("/b")}));
    }

    void preferencesDialogEditsSettings() {
        StudioSettings s;
        s.modelBundle = QStringLiteral("/models/x");
        s.scoring.maskThreshold = 0.4;
        PreferencesDialog d(s);
        StudioSettings out = d.settings();
        QCOMPARE(out.modelBundle, s.modelBundle);
        QCOMPARE(out.scoring.maskThreshold.value_or(-1), 0.4);
        QVERIFY(!out.scoring.scoreThreshold);  // "model default" stays a default
        const auto edits = d.findChildren<QLineEdit*>();
        QVERIFY(edits.size() >= 2);
        edits[0]->setText(QStringLiteral("/models/y"));
        QCOMPARE(d.settings().modelBundle, QStringLiteral("/models/y"));
        auto* quick = d.findChild<QCheckBox*>();
        QVERIFY(quick && quick->isChecked());
        quick->setChecked(false);
        QVERIFY(!d.settings().quickFirstResult);
    }

    void shortcutsComeFromTheWindowsActions() {
        MainWindow w;
        ShortcutsDialog d(&w);
        QVERIFY(d.rowCount() >= 6);
        auto* table = d.findChild<QTableWidget*>();
        QStringList names;
        for (int r = 0; r < table->rowCount(); ++r) names << table->item(r, 0)->text();
        QVERIFY2(names.contains(tr("Open Image")), qPrintable(names.join(QStringLiteral(", "))));
        QVERIFY(names.contains(tr("Zoom In")));
    }

    void exportDialogOptions() {
        ExportDialog d(QStringLiteral("/tmp/doc"));
        QCOMPARE(d.target(), QStringLiteral("/tmp/doc-instances.json"));
        QVERIFY(d.options().format == ExportFormat::Instances);
        QVERIFY(d.options().skipRejected);
        auto* format = d.findChildren<QComboBox*>().front();
        format->setCurrentIndex(3);
        QVERIFY(d.options().format == ExportFormat::Yolo);
        QCOMPARE(d.target(), QStringLiteral("/tmp/doc-yolo"));
    }

    void errorsAreWordedFromTheirCodeAndArguments() {
        const Error big(
            ErrorCode::ImageTooLarge, "english",
            {{"path", "a.jpg"}, {"width", "30000"}, {"height", "20000"}, {"limit", "100000000"}});
        QCOMPARE(errorText(big),
                 QStringLiteral(
                     "a.jpg is too large: 30000 x 20000 pixels (the limit is 100000000 pixels)"));
        // A missing argument falls back to the English message rather than a half-filled one.
        QCOMPARE(errorText(Error(ErrorCode::FileUnreadable, "cannot read x", {{"path", "x"}})),
                 QStringLiteral("cannot read x"));
        QCOMPARE(errorText(std::runtime_error("plain")), QStringLiteral("plain"));
        QCOMPARE(errorText(Error(ErrorCode::Cancelled, "cancelled")), QStringLiteral("Cancelled"));
    }
};

QTEST_MAIN(TestDialogs)
#include "test_dialogs.moc"
