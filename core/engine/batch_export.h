#pragma once
// The batch job behind `zsi export` (and the app's "Run all" export): label every image of a
// folder with one loaded model and write COCO instances / COCO results / PNG maps / YOLO
// text. Torch-free header.
//
// Never loses work: each finished image is appended to a journal beside the output (one
// JSON line, flushed), the output itself is written to a temporary name and renamed at the
// end, and `resume` continues a journal after a crash, kill or cancel without redoing
// finished images. An unreadable image is skipped and reported (fatal with `strict`).
//
// Pipelined: a loader thread decodes the next images and an encoder thread turns finished
// results into RLE / polygons / files while the calling thread runs the model; queues are
// bounded, so memory stays flat whatever the number of images.
#include "data/export_formats.h"
#include "data/image_io.h"
#include "engine/engine.h"

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace zsi {

struct ExportJob {
    std::filesystem::path imagesDir;  // recursed; every file OpenCV decodes
    // instances / results: a JSON file; png / yolo: a folder.
    std::filesystem::path out;
    ExportFormat format = ExportFormat::Instances;
    SegmentationForm segmentation = SegmentationForm::Rle;  // instances only
    // Image ids (matched by file name) and category ids (by class name) from this file.
    std::optional<std::filesystem::path> groundTruth;
    int shardIndex = 0;  // 0-based: image i of the sorted list belongs to shard i % shardCount
    int shardCount = 1;
    bool resume = false;
    bool strict = false;  // an unreadable image stops the job
    ImageLoadOptions loadOptions;
    int prefetch = 2;  // decoded images waiting for the model
    // Provenance for the output's info (the engine and request give the rest).
    std::filesystem::path embeddingsFile;
    std::string embeddingsSha256;
};

struct ExportProgress {
    size_t done = 0;     // finished in this shard, resumed ones included
    size_t total = 0;    // images in this shard
    size_t resumed = 0;  // taken from the journal
    size_t skipped = 0;
    size_t instances = 0;
    double elapsedSeconds = 0;
    double imagesPerSecond = 0;  // this run's rate
    double etaSeconds = -1;      // -1 until known
    std::string current;         // file being run
};

struct SkippedImage {
    std::string file;    // relative to the image folder
    std::string reason;  // the error message
    std::string code;    // errorCodeName()
};

struct ExportSummary {
    std::filesystem::path output;   // written file or folder
    std::filesystem::path journal;  // kept when the job did not finish
    size_t imagesInFolder = 0;
    size_t imagesInShard = 0;
    size_t processed = 0;  // run in this invocation
    size_t resumed = 0;    // finished by an earlier invocation
    std::vector<SkippedImage> skipped;
    std::vector<SkippedImage> warnings;  // images used despite a problem (e.g. truncated)
    std::map<std::string, size_t> instancesPerClass;
    size_t instances = 0;
    size_t polygonsWithHoles = 0;  // polygon export: annotations that lost holes
    long long polygonChangedPixels = 0;
    std::vector<std::string> classesNotInGroundTruth;
    double seconds = 0;           // wall time of this invocation
    double inferenceSeconds = 0;  // time inside the model
    bool cancelled = false;
};

// One image of the job as the model labelled it, or as an earlier run of the same job
// recorded it in the journal.
struct ExportedImage {
    std::filesystem::path file;  // relative to the image folder
    int width = 0, height = 0;
    // Valid during the call only. Journal images have boxes, classes, scores, masks and
    // alternatives, no similarities.
    const std::vector<Instance>* instances = nullptr;  // null when the image was skipped
    const InferenceResult* result = nullptr;           // a run of this job: all of it
    std::string error;                                 // skipped: why
    bool resumed = false;                              // from the journal of an earlier run
};

struct ExportCallbacks {
    std::function<void(const ExportProgress&)> progress;  // calling thread, after each image
    const std::atomic<bool>* cancel = nullptr;            // set to stop; the journal is kept
    // Calling thread, after each image's model run. With `replayResumed`, first once for
    // every image an earlier run of the job finished (decoded from the journal), so a caller
    // that keeps the results elsewhere (the app's document) gets all of them after a crash.
    std::function<void(const ExportedImage&)> image;
    bool replayResumed = false;
    // Calling thread, between two images: the app answers an interactive request here, so a
    // long job never keeps a user waiting for more than one image.
    std::function<void()> between;
};

// Sorted (by generic relative path, byte order) list of the image files under `dir`,
// relative to it. Throws Error(FileNotFound) when `dir` is not a folder.
std::vector<std::filesystem::path> listImageFiles(const std::filesystem::path& dir);

// Where the journal of `job` lives: <out>.journal for files, <out>/.zsi-export.journal for folders.
std::filesystem::path exportJournalPath(const ExportJob& job);

// Runs the job. Throws zsi::Error for bad arguments (a journal present without `resume`, a
// journal of another job, an unreadable ground truth) and for `strict` failures; returns
// with `cancelled` set when `callbacks.cancel` was raised.
ExportSummary runExport(Engine& engine, const ScoringRequest& request, const ExportJob& job,
                        const ExportCallbacks& callbacks = {});

}  // namespace zsi
