#include "image_canvas.h"
#include "main_window.h"

#include <QTemporaryDir>
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
