#pragma once
// The inference worker: one object on its own QThread owning the engine (model), the word
// vectors and the per-image feature cache. The GUI talks to it only through queued
// signals; the latest request wins (stale queued requests are dropped unstarted, stale
// results are dropped by the controller).
#include "engine/background_whatif.h"
#include "engine/engine.h"
#include "semantics/class_embedder.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <array>
#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <optional>

namespace zsi {

struct WorkerRequest {
    quint64 id = 0;
    QString imagePath;
    ScoringRequest scoring;
};

// The interactive requests' one slot: the newest request waiting for the worker (latest
// wins; an older one still in the slot is replaced unstarted). The GUI thread puts, the
// worker takes - from its event loop, or between two images of a batch.
class RequestSlot {
public:
    void put(WorkerRequest r) {
        std::lock_guard lock(m_);
        slot_ = std::move(r);
    }
    std::optional<WorkerRequest> take() {
        std::lock_guard lock(m_);
        return std::exchange(slot_, std::nullopt);
    }

private:
    std::mutex m_;
    std::optional<WorkerRequest> slot_;
};

// "Run all": every image of a folder through core's journaled batch pipeline (runExport),
// whose journal lives in `workFolder`; an interrupted run (cancel, crash) resumes from it
// when started again with the same model, classes and settings.
struct BatchJob {
    QString imageRoot;
    QString workFolder;
    ScoringRequest scoring;
    int stopAfter = 0;  // > 0: stop as if cancelled after that many new images (tests)
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
    QStringList defaultUnseen;       // the classes to type when none are
    bool demo = false;
    QString description;  // what the model knows
    QString demoImage;
    // Imported from the reference code: its behaviour is the default (one label per object off).
    bool referenceBehaviour = false;
};

struct WorkerResult {
    quint64 id = 0;
    QString imagePath;
    InferenceResult result;
    bool featuresCached = false;  // the image's features came from the cache
    // A fast first pass at reduced resolution (provisionalReady), shown until the full result
    // of the same request replaces it; never part of the document.
    bool provisional = false;
    bool resumed = false;                 // batch: from the journal of an interrupted run
    std::vector<cv::Mat> backgroundMaps;  // BA-RPN p(background) per FPN level
};

// "Name this object": rank the words of the word vectors for one box of an image.
struct SuggestRequest {
    quint64 id = 0;
    QString imagePath;
    std::array<float, 4> box{};  // original-image pixels
    ScoringRequest scoring;
    std::vector<std::string> exclude;  // classes already in the vocabulary
    QString what;                      // for the caption, e.g. "instance 3 (red star)"
};
struct SuggestResult {
    quint64 id = 0;
    QString imagePath;
    QString what;
    std::vector<NameSuggestion> names;
    QString error;  // empty on success
    double ms = 0;
};

// Background views: the "what if" table of one image, every background setting.
struct WhatIfResult {
    quint64 id = 0;
    QString imagePath;
    std::vector<WhatIfOutcome> outcomes;  // whatIfSettings() order
    std::vector<cv::Mat> backgroundMaps;  // BA-RPN p(background) per FPN level
};

class InferenceWorker : public QObject {
    Q_OBJECT
public:
    InferenceWorker(std::shared_ptr<std::atomic<quint64>> latest, std::shared_ptr<RequestSlot> slot,
                    QObject* parent = nullptr);
    ~InferenceWorker() override;

    // Feature caches kept (most recently used images), at most `images` and, past the newest,
    // at most `bytes` in all (PreparedImage::memoryBytes; R101 features are ~90 MB an image).
    void setCacheSize(int images) { cacheSize_ = images; }
    void setCacheBytes(std::size_t bytes) { cacheBytes_ = bytes; }
    std::size_t cachedBytes() const;  // worker thread
    // The first pass for an image whose features are not cached: this fraction of the model's
    // input size and at most `maxDetections` (the mask head's work does not shrink with the
    // image); 0 turns it off. Any thread.
    static constexpr int kProvisionalDetections = 20;
    void setProvisional(double resolution, int maxDetections = kProvisionalDetections) {
        provisionalResolution_ = resolution;
        provisionalDetections_ = maxDetections;
    }

public Q_SLOTS:
    void openModel(const QString& bundleDir, const QString& embeddingsFile, const QString& dataDir);
    // Runs the request waiting in the slot, if any (requestDone follows either way).
    void processSlot();
    void setThreads(int threads);
    // "auto", "cpu" or "cuda": used by the next openModel().
    void setDevice(const QString& device) { device_ = device; }
    void clearCache();

    // "Run all": runExport over the job's folder; batchResult / batchFailed per image (first
    // the images an interrupted run of the same job finished, from its journal),
    // batchProgress after each, batchFinished at the end. Between two images the request
    // waiting in the slot runs (the user typing a class never waits for the batch).
    // cancelBatch() (any thread) or opening another model stops it after the current image
    // and keeps the journal.
    void runBatch(quint64 id, const zsi::BatchJob& job);

public:
    void cancelBatch() { batchCancel_ = true; }

Q_SIGNALS:
    void batchResult(std::shared_ptr<const zsi::WorkerResult> result);
    void batchFailed(quint64 id, const QString& imagePath, const QString& message);
    void batchProgress(quint64 id, int done, int total, double etaSeconds);
    void batchFinished(quint64 id, bool cancelled);
    void modelOpened(const zsi::ModelInfo& info);
    void modelFailed(const QString& message, int errorCode);
    void resultReady(std::shared_ptr<const zsi::WorkerResult> result);
    // Before resultReady of the same request, for an image not prepared yet (provisional set).
    void provisionalReady(std::shared_ptr<const zsi::WorkerResult> result);
    void requestFailed(quint64 id, const QString& imagePath, const QString& message, int errorCode);
    void busyChanged(bool busy, const QString& what);
    void loadProgress(const QString& what, int percent);
    // Emitted once for every openModel() / processSlot() call, skipped ones included.
    void requestDone(quint64 id);

    // Background views: a separate request path (its own "latest" counter, so what-if
    // requests never cancel the segmentation requests, nor the other way round).
public Q_SLOTS:
    void processWhatIf(const zsi::WorkerRequest& request);
Q_SIGNALS:
    void whatIfReady(std::shared_ptr<const zsi::WhatIfResult> result);
    void whatIfFailed(quint64 id, const QString& imagePath, const QString& message);

public:
    const std::shared_ptr<std::atomic<quint64>>& whatIfLatest() const { return whatIfLatest_; }

public Q_SLOTS:
    void suggest(const zsi::SuggestRequest& request);
Q_SIGNALS:
    void suggestReady(std::shared_ptr<const zsi::SuggestResult> result);

private:
    std::shared_ptr<std::atomic<quint64>> whatIfLatest_ = std::make_shared<std::atomic<quint64>>(0);

private:
    void score(const WorkerRequest& request);
    std::shared_ptr<PreparedImage> cachedPrepared(const QString& path);
    std::shared_ptr<PreparedImage> preparedFor(const QString& path);
    std::shared_ptr<PreparedImage> prepareAndCache(const QString& path, const LoadedImage& image);
    void trimCache();  // to cacheSize_ and cacheBytes_, oldest first

    std::shared_ptr<std::atomic<quint64>> latest_;
    std::shared_ptr<RequestSlot> slot_;
    std::atomic<bool> batchCancel_{false};
    QString device_ = QStringLiteral("auto");
    std::unique_ptr<Engine> engine_;
    std::shared_ptr<const semantics::ClassEmbedder> embedder_;  // the word vectors in use
    QString embeddingsPath_;
    std::list<std::pair<QString, std::shared_ptr<PreparedImage>>> cache_;  // front = newest
    int cacheSize_ = 6;
    std::size_t cacheBytes_ = std::size_t(1) << 30;
    // Set from the GUI thread, read by the worker.
    std::atomic<double> provisionalResolution_{PrepareOptions::provisional().resolution};
    std::atomic<int> provisionalDetections_{kProvisionalDetections};
};

}  // namespace zsi

Q_DECLARE_METATYPE(zsi::WorkerRequest)
Q_DECLARE_METATYPE(zsi::BatchJob)
Q_DECLARE_METATYPE(zsi::ScoringRequest)
Q_DECLARE_METATYPE(zsi::ModelInfo)
Q_DECLARE_METATYPE(std::shared_ptr<const zsi::WorkerResult>)
Q_DECLARE_METATYPE(std::shared_ptr<const zsi::WhatIfResult>)
Q_DECLARE_METATYPE(zsi::SuggestRequest)
Q_DECLARE_METATYPE(std::shared_ptr<const zsi::SuggestResult>)
