#include "inference_controller.h"

namespace zsi {

InferenceController::InferenceController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<zsi::WorkerRequest>();
    qRegisterMetaType<zsi::ModelInfo>();
    qRegisterMetaType<std::shared_ptr<const zsi::WorkerResult>>();
    worker_ = new InferenceWorker(latest_);
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
    thread_.setObjectName(QStringLiteral("zsi-inference"));
    thread_.start();
}

InferenceController::~InferenceController() {
    latest_->store(UINT64_MAX);  // drop whatever is still queued
    thread_.quit();
    thread_.wait();
}

void InferenceController::openModel(const QString& bundleDir, const QString& embeddingsFile, const QString& dataDir) {
    ++pending_;
    QMetaObject::invokeMethod(worker_, "openModel", Qt::QueuedConnection, Q_ARG(QString, bundleDir),
                              Q_ARG(QString, embeddingsFile), Q_ARG(QString, dataDir));
}

quint64 InferenceController::submit(const QString& imagePath, const ScoringRequest& scoring) {
    WorkerRequest r;
    r.id = ++nextId_;
    r.imagePath = imagePath;
    r.scoring = scoring;
    latest_->store(r.id);
    ++pending_;
    QMetaObject::invokeMethod(worker_, "process", Qt::QueuedConnection, Q_ARG(zsi::WorkerRequest, r));
    return r.id;
}

}  // namespace zsi
