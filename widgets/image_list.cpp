#include "image_list.h"

#include <QDir>
#include <QImageReader>
#include <QPainter>
#include <QPointer>

namespace zsi {
namespace {

QColor statusColor(ImageStatus s) {
    switch (s) {
        case ImageStatus::NotRun:
            return QColor(150, 150, 150);
        case ImageStatus::Predicted:
            return QColor(40, 120, 220);
        case ImageStatus::Reviewed:
            return QColor(40, 170, 70);
    }
    return Qt::gray;
}

// Reads only what a thumbnail needs (JPEG decodes reduced); EXIF orientation as the canvas.
QImage makeThumbnail(const QString& path) {
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid()) {
        QSize scaled = size;
        scaled.scale(ImageList::kThumbnailSize, ImageList::kThumbnailSize, Qt::KeepAspectRatio);
        reader.setScaledSize(scaled.expandedTo(QSize(1, 1)));
    }
    return reader.read();
}

}  // namespace

ImageList::ImageList(QWidget* parent) : QListWidget(parent) {
    setIconSize(QSize(kThumbnailSize, kThumbnailSize));
    setUniformItemSizes(true);
    pool_.setMaxThreadCount(1);  // the model's worker needs the cores more
    connect(this, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0) Q_EMIT currentPathChanged(item(row)->data(Qt::UserRole).toString());
    });
}

ImageList::~ImageList() {
    pool_.clear();
    pool_.waitForDone();
}

void ImageList::setImages(const QStringList& paths, const QString& root) {
    pool_.clear();
    ++generation_;
    const QSignalBlocker block(this);
    clear();
    rowOf_.clear();
    thumbs_.clear();
    const QDir dir(root);
    for (const QString& p : paths) {
        auto* it = new QListWidgetItem(
            root.isEmpty() ? QFileInfo(p).fileName() : dir.relativeFilePath(p), this);
        it->setData(Qt::UserRole, p);
        rowOf_.insert(p, count() - 1);
        refreshItem(count() - 1);
        const quint64 gen = generation_;
        QPointer<ImageList> self(this);
        pool_.start([self, p, gen] {
            const QImage thumb = makeThumbnail(p);
            // The pool is drained in the destructor, so `self` is alive while this posts.
            QMetaObject::invokeMethod(
                self.data(),
                [self, p, gen, thumb] {
                    if (self && self->generation_ == gen) self->thumbnailReady(p, thumb);
                },
                Qt::QueuedConnection);
        });
    }
}

QStringList ImageList::paths() const {
    QStringList out;
    for (int r = 0; r < count(); ++r) out << item(r)->data(Qt::UserRole).toString();
    return out;
}

QString ImageList::currentPath() const {
    return currentItem() ? currentItem()->data(Qt::UserRole).toString() : QString();
}

bool ImageList::selectPath(const QString& path) {
    const auto it = rowOf_.constFind(path);
    if (it == rowOf_.constEnd()) return false;
    setCurrentRow(*it);
    return true;
}

void ImageList::setStatus(const QString& path, ImageStatus s) {
    status_.insert(path, s);
    if (const auto it = rowOf_.constFind(path); it != rowOf_.constEnd()) refreshItem(*it);
}

ImageStatus ImageList::status(const QString& path) const {
    return status_.value(path, ImageStatus::NotRun);
}

int ImageList::nextUnreviewed(int row) const {
    for (int k = 1; k <= count(); ++k) {
        const int r = (row + k) % count();
        if (status(item(r)->data(Qt::UserRole).toString()) != ImageStatus::Reviewed) return r;
    }
    return -1;
}

bool ImageList::selectNextUnreviewed() {
    const int r = nextUnreviewed(currentRow());
    if (r < 0) return false;
    setCurrentRow(r);
    return true;
}

void ImageList::waitForThumbnails() {
    pool_.waitForDone();
    QCoreApplication::processEvents();
}

void ImageList::thumbnailReady(const QString& path, const QImage& image) {
    thumbs_.insert(path, image);
    if (const auto it = rowOf_.constFind(path); it != rowOf_.constEnd()) refreshItem(*it);
}

void ImageList::refreshItem(int row) {
    QListWidgetItem* it = item(row);
    const QString path = it->data(Qt::UserRole).toString();
    const ImageStatus s = status(path);
    QPixmap pm(kThumbnailSize, kThumbnailSize);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    const QImage thumb = thumbs_.value(path);
    if (!thumb.isNull()) {
        const QPoint at((kThumbnailSize - thumb.width()) / 2,
                        (kThumbnailSize - thumb.height()) / 2);
        p.drawImage(at, thumb);
    } else {
        p.fillRect(pm.rect().adjusted(4, 4, -4, -4), QColor(220, 220, 220));
    }
    // The status badge, bottom right.
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(Qt::white, 2));
    p.setBrush(statusColor(s));
    p.drawEllipse(QRect(kThumbnailSize - 18, kThumbnailSize - 18, 15, 15));
    p.end();
    it->setIcon(QIcon(pm));
    static const char* names[] = {QT_TR_NOOP("not run"), QT_TR_NOOP("predicted"),
                                  QT_TR_NOOP("reviewed")};
    it->setToolTip(QStringLiteral("%1\n%2").arg(path, tr(names[int(s)])));
}

}  // namespace zsi
