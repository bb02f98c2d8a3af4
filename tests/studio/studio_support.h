// Setup shared by the main-window suites: the tiny model bundle (a ctest fixture whose path
// arrives in ZSI_TINY_BUNDLE) and plain test images written into a temporary folder.
#pragma once

#include "inference_controller.h"
#include "main_window.h"

#include <QColor>
#include <QFileInfo>
#include <QImage>
#include <QSignalSpy>
#include <QString>
#include <QTemporaryDir>

namespace zsi::test {

inline QString tinyBundle() {
    return qEnvironmentVariable("ZSI_TINY_BUNDLE");
}

// False (and the suite should fail loudly) when ctest did not build the fixture first.
inline bool tinyBundleExists() {
    return QFileInfo::exists(tinyBundle() + QStringLiteral("/model.json"));
}

// Writes a w x h image of one colour into dir; returns its path, empty when saving failed.
inline QString writeImage(const QTemporaryDir& dir, const QString& name, QColor color = Qt::gray,
                          int w = 120, int h = 90) {
    const QString path = dir.filePath(name);
    QImage image(w, h, QImage::Format_RGB32);
    image.fill(color);
    return image.save(path) ? path : QString();
}

// Opens the tiny bundle in w and waits for the worker to report it.
inline bool openTinyModel(MainWindow& w, int timeoutMs = 20000) {
    QSignalSpy opened(w.inference(), &InferenceController::modelOpened);
    w.openModel(tinyBundle());
    return opened.wait(timeoutMs);
}

}  // namespace zsi::test
