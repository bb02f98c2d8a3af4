#pragma once
// File > Export as a background task: the document's snapshot is written on a thread of its
// own (core's dataset export), with progress and cancel, so a large document never freezes
// the window and the user can go on reviewing meanwhile. One export at a time.
#include "data/dataset_export.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <thread>

namespace zsi {

class ExportTask : public QObject {
    Q_OBJECT
public:
    explicit ExportTask(QObject* parent = nullptr);
    // Cancels a running export and waits for its thread.
    ~ExportTask() override;

    // Returns false when an export is already running.
    bool start(coco::Dataset snapshot, const QString& target, const DatasetExportOptions& options);
    bool isRunning() const { return running_; }
    void cancel() { cancel_->store(true); }

Q_SIGNALS:
    void progress(int done, int total);  // images written
    void finished(const zsi::DatasetExportReport& report);
    void failed(const QString& message, bool cancelled);

private:
    std::thread thread_;
    std::shared_ptr<std::atomic<bool>> cancel_ = std::make_shared<std::atomic<bool>>(false);
    bool running_ = false;
};

}  // namespace zsi

Q_DECLARE_METATYPE(zsi::DatasetExportReport)
