#pragma once
// Training data for `zsi train`: a COCO instances file + image folder filtered by a split
// (images holding any unseen object are dropped, as the reference does; images with no seen
// object too), loaded one example at a time with an optional horizontal flip, resized per the
// model's preprocessing, and collated into zero-padded batches. Internal to core (ATen).
#include "data/coco.h"
#include "data/split.h"
#include "model/model_config.h"

#include <ATen/ATen.h>
#include <opencv2/core/mat.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace zsi::train {

struct TrainingObject {
    int label = 0;  // 0-based index into split.seen
    BoxXywh bbox{};
    coco::Segmentation segmentation;
};

struct TrainingImageRecord {
    int64_t id = 0;
    std::filesystem::path path;
    int width = 0, height = 0;
    std::vector<TrainingObject> objects;
};

struct TrainingSetStats {
    int imagesInFile = 0;
    int imagesUsed = 0;
    int droppedUnseen = 0;  // held an unseen object
    int droppedEmpty = 0;   // no seen object left
    int annotationsUsed = 0;
    int annotationsIgnored = 0;  // crowd, empty box, or a category outside the split
};

class TrainingSet {
public:
    // imageDir: file names in the JSON are relative to it.
    TrainingSet(const coco::Dataset& data, const std::filesystem::path& imageDir,
                const Split& split);

    size_t size() const { return images_.size(); }
    const TrainingImageRecord& record(size_t i) const { return images_[i]; }
    const TrainingSetStats& stats() const { return stats_; }
    const std::vector<std::string>& seenClasses() const { return seen_; }

private:
    std::vector<TrainingImageRecord> images_;
    TrainingSetStats stats_;
    std::vector<std::string> seen_;
};

// One loaded example in network coordinates.
struct TrainingExample {
    at::Tensor image;            // (3, Hp, Wp) normalised, padded to the pad divisor
    int height = 0, width = 0;   // resized content size
    at::Tensor boxes;            // (G, 4) float, resized coordinates
    at::Tensor labels;           // (G) int64, 0-based seen labels
    std::vector<cv::Mat> masks;  // G masks CV_8U 0/1, height x width
};

// Loads, flips (when `flip`), resizes and normalises one record. Objects whose box is
// empty after resizing are left out.
TrainingExample loadExample(const TrainingImageRecord& record, bool flip,
                            const PreprocessConfig& preprocess, GeometryVariant geometry);

struct TrainingBatch {
    at::Tensor images;  // (N, 3, H, W), zero-padded to the largest example
    std::vector<int> heights, widths;
    std::vector<at::Tensor> boxes, labels;
    std::vector<std::vector<cv::Mat>> masks;  // stay on the CPU
    int size() const { return static_cast<int>(heights.size()); }
};

TrainingBatch collate(std::vector<TrainingExample> examples);

}  // namespace zsi::train
