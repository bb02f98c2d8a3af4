// The image list: thumbnails arrive from the background, status badges, next unreviewed.
#include "image_list.h"

#include "test_registry.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace zsi;

class TestImageList : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void thumbnailsStatusAndNextUnreviewed() {
        QTemporaryDir dir;
        QStringList paths;
        for (int i = 0; i < 4; ++i) {
            QImage img(200 + 10 * i, 100, QImage::Format_RGB32);
            img.fill(QColor(60 * i, 80, 200));
            const QString p = dir.filePath(QStringLiteral("img%1.png").arg(i));
            QVERIFY(img.save(p));
            paths << p;
        }
        ImageList list;
        QSignalSpy changed(&list, &ImageList::currentPathChanged);
        list.setImages(paths, dir.path());
        QCOMPARE(list.count(), 4);
        QCOMPARE(list.item(2)->text(), QStringLiteral("img2.png"));
        list.waitForThumbnails();
        QTRY_VERIFY(!list.item(3)->icon().isNull());
        // The thumbnail's pixels made it into the icon (blue-ish image, not the grey placeholder).
        const QImage icon = list.item(1)->icon().pixmap(ImageList::kThumbnailSize).toImage();
        QVERIFY(
            icon.pixelColor(ImageList::kThumbnailSize / 2, ImageList::kThumbnailSize / 2).blue() >
            150);

        QVERIFY(list.selectPath(paths[0]));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(list.currentPath(), paths[0]);
        list.setStatus(paths[1], ImageStatus::Reviewed);
        list.setStatus(paths[2], ImageStatus::Predicted);
        QVERIFY(list.status(paths[1]) == ImageStatus::Reviewed);
        QVERIFY(list.status(paths[3]) == ImageStatus::NotRun);
        QVERIFY(list.selectNextUnreviewed());
        QCOMPARE(list.currentPath(), paths[2]);  // img1 is reviewed: skipped
        for (const QString& p : paths) list.setStatus(p, ImageStatus::Reviewed);
        QCOMPARE(list.nextUnreviewed(0), -1);
        QVERIFY(!list.selectNextUnreviewed());
    }

    void aNewFolderDropsOldThumbnails() {
        ImageList list;
        list.setImages({QStringLiteral("/nonexistent/a.png")}, QString());
        list.setImages({}, QString());
        list.waitForThumbnails();
        QCOMPARE(list.count(), 0);
    }
};
ZSI_TEST_SUITE(TestImageList)

#include "test_image_list.moc"
