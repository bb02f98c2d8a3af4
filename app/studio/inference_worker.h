#pragma once
// The inference worker: one object on its own QThread owning the engine (model), the word
// vectors and the per-image feature cache. The GUI talks to it only through queued
// signals; the latest request wins (stale queued requests are dropped unstarted, stale
// results are dropped by the controller).
#include "engine/engine.h"
#include "semantics/class_embedder.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <list>
#include <memory>

namespace zsi {

struct WorkerRequest {
    quint64 id = 0;
    QString imagePath;
    ScoringRequest scoring;
};

struct ModelInfo {
    QString name;
    QString bundlePath;
    QString embeddingsPath;
    QString embeddingWarning;
    QString device;
    QStringList seenClasses;
    int semanticDim = 0;
    qint64 parameterCount = 0;
    ScoringRequest defaults;
    std::shared_ptr<const semantics::ClassEmbedder> embedder;  // read-only use from any thread
    std::vector<float> learnedBackground;
    std::vector<float> initialBackground;
    std::vector<float> seenVectors;  // S x D
};

struct WorkerResult {
    quint64 id = 0;
    QString imagePath;
    InferenceResult result;
    bool featuresCached = false;  // the image's features came from the cache
    std::vector<cv::Mat> backgroundMaps;  // BA-RPN p(background) per FPN level
};

class InferenceWorker : public QObject {
    Q_OBJECT
public:
    explicit InferenceWorker(std::shared_ptr<std::atomic<quint64>> latest, QObject* parent = nullptr);
    ~InferenceWorker() override;

    // Feature caches kept (most recently used images).
    void setCacheSize(int images) { cacheSize_ = images; }

public Q_SLOTS:
    void openModel(const QString& bundleDir, const QString& embeddingsFile, const QString& dataDir);
    void process(const zsi::WorkerRequest& request);
    void setThreads(int threads);
    void clearCache();

Q_SIGNALS:
    void modelOpened(const zsi::ModelInfo& info);
    void modelFailed(const QString& message, int errorCode);
    void resultReady(std::shared_ptr<const zsi::WorkerResult> result);
    void requestFailed(quint64 id, const QString& imagePath, const QString& message, int errorCode);
    void busyChanged(bool busy, const QString& what);
    void loadProgress(const QString& what, int percent);
    // Emitted once for every openModel() / process() call, skipped ones included.
    void requestDone(quint64 id);

private:
    std::shared_ptr<PreparedImage> preparedFor(const QString& path, bool& cached);

    std::shared_ptr<std::atomic<quint64>> latest_;
    std::unique_ptr<Engine> engine_;
    std::list<std::pair<QString, std::shared_ptr<PreparedImage>>> cache_;  // front = newest
    int cacheSize_ = 6;
};

}  // namespace zsi

Q_DECLARE_METATYPE(zsi::WorkerRequest)
Q_DECLARE_METATYPE(zsi::ModelInfo)
Q_DECLARE_METATYPE(std::shared_ptr<const zsi::WorkerResult>)
