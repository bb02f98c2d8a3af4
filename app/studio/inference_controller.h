#pragma once
// Owns the worker thread and is the only way into it (typed, queued calls). submit() never
// blocks: it puts the request into the one interactive slot (replacing one not yet started)
// and marks it the latest; results of older requests are ignored when they arrive. The
// worker takes the slot from its event loop or between two images of a Run All.
#include "inference_worker.h"

#include <QObject>
#include <QThread>

#include <functional>

namespace zsi {

class InferenceController : public QObject {
    Q_OBJECT
public:
    explicit InferenceController(QObject* parent = nullptr);
    ~InferenceController() override;

    void openModel(const QString& bundleDir, const QString& embeddingsFile, const QString& dataDir);
    // Returns the request id.
    quint64 submit(const QString& imagePath, const ScoringRequest& scoring);
    bool isBusy() const { return busy_; }
    bool hasModel() const { return hasModel_; }
    bool isIdle() const { return pending_ == 0; }
    const ModelInfo& model() const { return model_; }

    // "Run all" over a folder on the journaled batch pipeline (batch* signals follow); one
    // batch at a time. An interrupted run of the same job resumes.
    quint64 startBatch(const BatchJob& job);
    void cancelBatch();

    // Background views: re-score an image under every background setting
    // (whatIfReady / whatIfFailed follow; only the latest what-if request is answered).
    quint64 submitWhatIf(const QString& imagePath, const ScoringRequest& scoring);

    // "Name this object" for a box of an image (suggestReady follows; only the latest counts).
    quint64 submitSuggest(SuggestRequest request);

    // Worker settings, applied in order with the requests: "cpu" | "cuda" | "auto" (takes
    // effect at the next openModel) and torch's intra-op threads.
    void setDevice(const QString& device);
    void setThreads(int threads);
    // The fast first pass for images not prepared yet (InferenceWorker::setProvisional).
    void setProvisional(double resolution,
                        int maxDetections = InferenceWorker::kProvisionalDetections) {
        worker_->setProvisional(resolution, maxDetections);
    }
    // On: the worker's default first pass (PrepareOptions::provisional()); off: none.
    void setQuickFirstResult(bool on);

Q_SIGNALS:
    void modelOpened(const zsi::ModelInfo& info);
    void modelFailed(const QString& message, int errorCode);
    void resultReady(std::shared_ptr<const zsi::WorkerResult> result);
    // A reduced-resolution first result of the latest request (overlay only).
    void provisionalReady(std::shared_ptr<const zsi::WorkerResult> result);
    void requestFailed(const QString& imagePath, const QString& message, int errorCode);
    void busyChanged(bool busy, const QString& what);
    void loadProgress(const QString& what, int percent);
    void idle();
    void batchResult(std::shared_ptr<const zsi::WorkerResult> result);
    void batchFailed(const QString& imagePath, const QString& message);
    // done counts images finished by an interrupted run too; etaSeconds -1 until known.
    void batchProgress(int done, int total, double etaSeconds);
    void batchFinished(bool cancelled);
    void whatIfReady(std::shared_ptr<const zsi::WhatIfResult> result);
    void whatIfFailed(const QString& imagePath, const QString& message);
    void suggestReady(std::shared_ptr<const zsi::SuggestResult> result);

private:
    // Every call into the worker goes through here (typed, queued to its thread).
    void queue(std::function<void(InferenceWorker*)> call);

    QThread thread_;
    InferenceWorker* worker_ = nullptr;
    std::shared_ptr<std::atomic<quint64>> latest_ = std::make_shared<std::atomic<quint64>>(0);
    std::shared_ptr<RequestSlot> slot_ = std::make_shared<RequestSlot>();
    quint64 nextId_ = 0;
    bool busy_ = false;
    bool hasModel_ = false;
    int pending_ = 0;
    ModelInfo model_;
    quint64 nextWhatIfId_ = 0;
    quint64 latestSuggest_ = 0;
    void connectWhatIf();
};

}  // namespace zsi
