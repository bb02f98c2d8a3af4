#include "export_task.h"

#include "error_text.h"

#include "util/error.h"

#include <QMetaObject>

#include <chrono>

namespace zsi {

ExportTask::ExportTask(QObject* parent) : QObject(parent) {
    qRegisterMetaType<zsi::DatasetExportReport>();
}

ExportTask::~ExportTask() {
    cancel_->store(true);
    if (thread_.joinable()) thread_.join();
}

bool ExportTask::start(coco::Dataset snapshot, const QString& target,
                       const DatasetExportOptions& options) {
    if (running_) return false;
    if (thread_.joinable()) thread_.join();  // the previous one has finished
    running_ = true;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    const std::filesystem::path out = target.toStdString();
    // Results come back as calls queued on this object; the thread never touches it directly.
    // The destructor joins the thread, so `self` outlives it, and Qt drops calls still queued
    // for an object that is gone.
    ExportTask* self = this;
    thread_ = std::thread([self, data = std::move(snapshot), out, options, cancel = cancel_] {
        using Clock = std::chrono::steady_clock;
        auto last = Clock::now() - std::chrono::seconds(1);
        DatasetExportCallbacks cb;
        cb.cancel = cancel.get();
        cb.progress = [&](size_t done, size_t total) {
            // At most ten updates a second: the queue to the GUI stays short.
            if (Clock::now() - last < std::chrono::milliseconds(100) && done < total) return;
            last = Clock::now();
            QMetaObject::invokeMethod(
                self, [self, done, total] { Q_EMIT self->progress(int(done), int(total)); },
                Qt::QueuedConnection);
        };
        try {
            const DatasetExportReport r = exportDataset(data, out, options, cb);
            QMetaObject::invokeMethod(
                self,
                [self, r] {
                    self->running_ = false;
                    Q_EMIT self->finished(r);
                },
                Qt::QueuedConnection);
        } catch (const std::exception& e) {
            const bool cancelled = cancel->load();
            const QString message = errorText(e);
            QMetaObject::invokeMethod(
                self,
                [self, message, cancelled] {
                    self->running_ = false;
                    Q_EMIT self->failed(message, cancelled);
                },
                Qt::QueuedConnection);
        }
    });
    return true;
}

}  // namespace zsi
