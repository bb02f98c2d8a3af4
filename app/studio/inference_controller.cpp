#include "inference_controller.h"

namespace zsi {

InferenceController::InferenceController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<zsi::WorkerRequest>();
    qRegisterMetaType<zsi::BatchJob>();
    qRegisterMetaType<zsi::ScoringRequest>();
    qRegisterMetaType<zsi::ModelInfo>();
    qRegisterMetaType<std::shared_ptr<const zsi::WorkerResult>>();
    worker_ = new InferenceWorker(latest_, slot_);
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &InferenceWorker::modelOpened, this, [this](const ModelInfo& info) {
        model_ = info;
        hasModel_ = true;
        Q_EMIT modelOpened(info);
    });
    connect(worker_, &InferenceWorker::modelFailed, this, &InferenceController::modelFailed);
    connect(worker_, &InferenceWorker::loadProgress, this, &InferenceController::loadProgress);
    connect(worker_, &InferenceWorker::resultReady, this,
            [this](std::shared_ptr<const WorkerResult> r) {
                if (r->id == latest_->load()) Q_EMIT resultReady(std::move(r));
            });
    connect(worker_, &InferenceWorker::provisionalReady, this,
            [this](std::shared_ptr<const WorkerResult> r) {
                if (r->id == latest_->load()) Q_EMIT provisionalReady(std::move(r));
            });
    connect(worker_, &InferenceWorker::requestFailed, this,
            [this](quint64 id, const QString& path, const QString& message, int code) {
                if (id == latest_->load()) Q_EMIT requestFailed(path, message, code);
            });
    connect(worker_, &InferenceWorker::busyChanged, this, [this](bool busy, const QString& what) {
        busy_ = busy;
        Q_EMIT busyChanged(busy, what);
    });
    connect(worker_, &InferenceWorker::requestDone, this, [this](quint64) {
        if (--pending_ <= 0) {
            pending_ = 0;
            Q_EMIT idle();
        }
    });
    connect(worker_, &InferenceWorker::batchResult, this, &InferenceController::batchResult);
    connect(worker_, &InferenceWorker::batchFailed, this,
            [this](quint64, const QString& path, const QString& message) {
                Q_EMIT batchFailed(path, message);
            });
    connect(worker_, &InferenceWorker::batchProgress, this,
            [this](quint64, int done, int total, double eta) {
                Q_EMIT batchProgress(done, total, eta);
            });
    connect(worker_, &InferenceWorker::batchFinished, this,
            [this](quint64, bool cancelled) { Q_EMIT batchFinished(cancelled); });
    connectWhatIf();
    qRegisterMetaType<zsi::SuggestRequest>();
    qRegisterMetaType<std::shared_ptr<const zsi::SuggestResult>>();
    connect(worker_, &InferenceWorker::suggestReady, this,
            [this](std::shared_ptr<const SuggestResult> r) {
                if (r->id == latestSuggest_) Q_EMIT suggestReady(std::move(r));
            });
    thread_.setObjectName(QStringLiteral("zsi-inference"));
    thread_.start();
}

InferenceController::~InferenceController() {
    latest_->store(UINT64_MAX);  // drop whatever is still queued
    thread_.quit();
    thread_.wait();
}

void InferenceController::openModel(const QString& bundleDir, const QString& embeddingsFile,
                                    const QString& dataDir) {
    ++pending_;
    queue([=](InferenceWorker* w) { w->openModel(bundleDir, embeddingsFile, dataDir); });
}

quint64 InferenceController::submit(const QString& imagePath, const ScoringRequest& scoring) {
    WorkerRequest r;
    r.id = ++nextId_;
    r.imagePath = imagePath;
    r.scoring = scoring;
    const quint64 id = r.id;
    latest_->store(id);
    slot_->put(std::move(r));
    ++pending_;
    queue([](InferenceWorker* w) { w->processSlot(); });
    return id;
}

quint64 InferenceController::startBatch(const BatchJob& job) {
    const quint64 id = ++nextId_;
    ++pending_;
    queue([=](InferenceWorker* w) { w->runBatch(id, job); });
    return id;
}

// Sets the worker's atomic flag directly: the worker is busy in runBatch and would not see
// a queued call before the batch ends.
void InferenceController::cancelBatch() {
    worker_->cancelBatch();
}

void InferenceController::connectWhatIf() {
    qRegisterMetaType<std::shared_ptr<const zsi::WhatIfResult>>();
    connect(worker_, &InferenceWorker::whatIfReady, this,
            [this](std::shared_ptr<const WhatIfResult> r) {
                if (r->id == worker_->whatIfLatest()->load()) Q_EMIT whatIfReady(std::move(r));
            });
    connect(worker_, &InferenceWorker::whatIfFailed, this,
            [this](quint64 id, const QString& path, const QString& message) {
                if (id == worker_->whatIfLatest()->load()) Q_EMIT whatIfFailed(path, message);
            });
}

quint64 InferenceController::submitWhatIf(const QString& imagePath, const ScoringRequest& scoring) {
    WorkerRequest r;
    r.id = ++nextWhatIfId_;
    r.imagePath = imagePath;
    r.scoring = scoring;
    worker_->whatIfLatest()->store(r.id);
    ++pending_;
    queue([r](InferenceWorker* w) { w->processWhatIf(r); });
    return r.id;
}

quint64 InferenceController::submitSuggest(SuggestRequest request) {
    request.id = ++nextId_;
    latestSuggest_ = request.id;
    ++pending_;
    queue([request](InferenceWorker* w) { w->suggest(request); });
    return request.id;
}

void InferenceController::setDevice(const QString& device) {
    queue([device](InferenceWorker* w) { w->setDevice(device); });
}

void InferenceController::setThreads(int threads) {
    queue([threads](InferenceWorker* w) { w->setThreads(threads); });
}

void InferenceController::setQuickFirstResult(bool on) {
    setProvisional(on ? PrepareOptions::provisional().resolution : 0.0);
}

void InferenceController::queue(std::function<void(InferenceWorker*)> call) {
    // The functor form of invokeMethod: checked by the compiler, run on the worker's thread in
    // the order queued.
    InferenceWorker* w = worker_;
    QMetaObject::invokeMethod(
        w, [w, call = std::move(call)] { call(w); }, Qt::QueuedConnection);
}

}  // namespace zsi
