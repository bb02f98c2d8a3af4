#pragma once
// Writing a (reviewed) COCO dataset in the other export formats: what the app's Export
// dialog does with its document. The model does not run here: masks come from the
// annotations as the user left them. Torch-free, Qt-free.
#include "data/coco.h"
#include "data/export_formats.h"

#include <atomic>
#include <filesystem>
#include <functional>

namespace zsi {

struct DatasetExportOptions {
    ExportFormat format = ExportFormat::Instances;
    SegmentationForm segmentation = SegmentationForm::Rle;  // instances only
    bool skipRejected = true;   // zsi_review "rejected" annotations are left out
    bool onlyAccepted = false;  // only zsi_review "accepted" (and human) annotations
};

struct DatasetExportReport {
    size_t images = 0;
    size_t annotations = 0;  // written
    size_t leftOut = 0;      // rejected / not accepted
    size_t polygonsWithHoles = 0;
    long long polygonChangedPixels = 0;
};

// Long exports (thousands of images, polygons, PNG maps) run off the GUI thread with these.
struct DatasetExportCallbacks {
    std::function<void(size_t done, size_t total)> progress;  // images, after each
    // Raised: the export stops with Error(Cancelled). A file export writes nothing; a folder
    // export keeps the per-image files written so far (each one whole) and no class table.
    const std::atomic<bool>* cancel = nullptr;
};

// instances / results: `out` is a file; png / yolo: a folder (created). Files are written
// atomically. Throws zsi::Error (FileWriteFailed with the reason, e.g. a full disk).
DatasetExportReport exportDataset(const coco::Dataset& data, const std::filesystem::path& out,
                                  const DatasetExportOptions& options,
                                  const DatasetExportCallbacks& callbacks = {});

}  // namespace zsi
