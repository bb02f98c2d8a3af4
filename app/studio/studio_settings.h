#pragma once
// The app's persistent settings (QSettings): what the Preferences dialog edits and what the
// next start uses. Thresholds here are the defaults for a new session; a document keeps its
// own.
#include "settings/inference_settings.h"

#include <QString>
#include <QStringList>

namespace zsi {

struct StudioSettings {
    QString modelBundle;                      // empty: the demo model
    QString embeddings;                       // empty: the file the model names
    QString device = QStringLiteral("auto");  // auto | cpu | cuda
    int threads = 0;  // torch intra-op threads; 0: one fewer than the machine has
    // Settings for a new session on top of the model's defaults (Preferences sets the
    // thresholds; unset: the model's default).
    InferenceOverrides scoring;
    QString language;          // "" system, "en", "zh_CN"
    int autosaveSeconds = 60;  // 0: off
    // A reduced-resolution result first for an image not prepared yet (it delays the full one
    // by about a fifth of a pass, so it can be turned off).
    bool quickFirstResult = true;
    QStringList recentFolders;  // newest first

    static StudioSettings load();
    void save() const;
    // Moves `folder` to the front of the recent list (at most 8 kept) and saves.
    void addRecentFolder(const QString& folder);
    // The thread count to give torch now.
    int effectiveThreads() const;
};

}  // namespace zsi
