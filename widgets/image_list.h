#pragma once
// The image list: thumbnails made off the GUI thread, a review status badge per image
// (not run / predicted / reviewed) and "next unreviewed". Knows file paths only.
#include "data/annotation_document.h"  // ImageStatus

#include <QHash>
#include <QImage>
#include <QListWidget>
#include <QThreadPool>

namespace zsi {

class ImageList : public QListWidget {
    Q_OBJECT
public:
    explicit ImageList(QWidget* parent = nullptr);
    ~ImageList() override;

    // Absolute paths; shown relative to `root`. Thumbnails follow asynchronously.
    void setImages(const QStringList& paths, const QString& root);
    QStringList paths() const;
    QString currentPath() const;
    bool selectPath(const QString& path);

    void setStatus(const QString& path, ImageStatus status);
    ImageStatus status(const QString& path) const;
    // Row of the first image after `row` (wrapping) that is not reviewed; -1 when none.
    int nextUnreviewed(int row) const;
    // Waits for the pending thumbnails (tests, screenshots).
    void waitForThumbnails();

    static constexpr int kThumbnailSize = 64;

public Q_SLOTS:
    bool selectNextUnreviewed();

Q_SIGNALS:
    void currentPathChanged(const QString& path);

private:
    void thumbnailReady(const QString& path, const QImage& image);
    void refreshItem(int row);

    QThreadPool pool_;
    QHash<QString, int> rowOf_;
    QHash<QString, ImageStatus> status_;
    QHash<QString, QImage> thumbs_;
    quint64 generation_ = 0;  // thumbnails of an older folder are dropped
};

}  // namespace zsi
