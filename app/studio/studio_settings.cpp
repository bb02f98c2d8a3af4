#include "studio_settings.h"

#include <QSettings>
#include <QThread>

#include <algorithm>

namespace zsi {

StudioSettings StudioSettings::load() {
    QSettings s;
    StudioSettings o;
    o.modelBundle = s.value(QStringLiteral("model/bundle")).toString();
    o.embeddings = s.value(QStringLiteral("model/embeddings")).toString();
    o.device = s.value(QStringLiteral("model/device"), o.device).toString();
    o.threads = s.value(QStringLiteral("model/threads"), 0).toInt();
    // Stored as -1 when unset (files of older versions too).
    auto threshold = [&](const QString& key) -> std::optional<double> {
        const double v = s.value(key, -1.0).toDouble();
        return v >= 0 && v <= 1 ? std::optional<double>(v) : std::nullopt;
    };
    o.scoring.scoreThreshold = threshold(QStringLiteral("scoring/scoreThreshold"));
    o.scoring.maskThreshold = threshold(QStringLiteral("scoring/maskThreshold"));
    o.language = s.value(QStringLiteral("language")).toString();
    o.autosaveSeconds = s.value(QStringLiteral("document/autosaveSeconds"), 60).toInt();
    o.quickFirstResult = s.value(QStringLiteral("inference/quickFirstResult"), true).toBool();
    o.recentFolders = s.value(QStringLiteral("recentFolders")).toStringList();
    return o;
}

void StudioSettings::save() const {
    QSettings s;
    s.setValue(QStringLiteral("model/bundle"), modelBundle);
    s.setValue(QStringLiteral("model/embeddings"), embeddings);
    s.setValue(QStringLiteral("model/device"), device);
    s.setValue(QStringLiteral("model/threads"), threads);
    s.setValue(QStringLiteral("scoring/scoreThreshold"), scoring.scoreThreshold.value_or(-1.0));
    s.setValue(QStringLiteral("scoring/maskThreshold"), scoring.maskThreshold.value_or(-1.0));
    s.setValue(QStringLiteral("language"), language);
    s.setValue(QStringLiteral("document/autosaveSeconds"), autosaveSeconds);
    s.setValue(QStringLiteral("inference/quickFirstResult"), quickFirstResult);
    s.setValue(QStringLiteral("recentFolders"), recentFolders);
}

void StudioSettings::addRecentFolder(const QString& folder) {
    recentFolders.removeAll(folder);
    recentFolders.prepend(folder);
    while (recentFolders.size() > 8) recentFolders.removeLast();
    save();
}

int StudioSettings::effectiveThreads() const {
    if (threads > 0) return threads;
    return std::max(1, QThread::idealThreadCount() - 1);
}

}  // namespace zsi
