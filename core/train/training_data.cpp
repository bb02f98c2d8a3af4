#include "train/training_data.h"

#include "data/image_io.h"
#include "data/rle.h"
#include "model/preprocess.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <unordered_map>

namespace zsi::train {

TrainingSet::TrainingSet(const coco::Dataset& data, const std::filesystem::path& imageDir,
                         const Split& split)
    : seen_(split.seen) {
    std::unordered_map<int64_t, int> seenLabel;  // category id -> label
    std::unordered_map<int64_t, bool> unseenCat;
    for (const auto& c : data.categories) {
        const auto it = std::find(split.seen.begin(), split.seen.end(), c.name);
        if (it != split.seen.end())
            seenLabel[c.id] = static_cast<int>(it - split.seen.begin());
        else if (split.isUnseen(c.name))
            unseenCat[c.id] = true;
    }
    std::unordered_map<int64_t, size_t> byImage;
    std::vector<TrainingImageRecord> all;
    std::vector<bool> hasUnseen;
    for (const auto& img : data.images) {
        byImage[img.id] = all.size();
        TrainingImageRecord r;
        r.id = img.id;
        r.path = imageDir / img.fileName;
        r.width = img.width;
        r.height = img.height;
        all.push_back(std::move(r));
        hasUnseen.push_back(false);
    }
    stats_.imagesInFile = static_cast<int>(all.size());
    for (const auto& a : data.annotations) {
        const auto im = byImage.find(a.imageId);
        if (im == byImage.end()) {
            ++stats_.annotationsIgnored;
            continue;
        }
        if (unseenCat.count(a.categoryId)) {
            hasUnseen[im->second] = true;
            continue;
        }
        const auto lab = seenLabel.find(a.categoryId);
        if (lab == seenLabel.end() || a.iscrowd || a.bbox[2] <= 0 || a.bbox[3] <= 0) {
            ++stats_.annotationsIgnored;
            continue;
        }
        all[im->second].objects.push_back({lab->second, a.bbox, a.segmentation});
    }
    for (size_t i = 0; i < all.size(); ++i) {
        if (hasUnseen[i]) {
            ++stats_.droppedUnseen;
        } else if (all[i].objects.empty()) {
            ++stats_.droppedEmpty;
        } else {
            stats_.annotationsUsed += static_cast<int>(all[i].objects.size());
            images_.push_back(std::move(all[i]));
        }
    }
    stats_.imagesUsed = static_cast<int>(images_.size());
}

TrainingExample loadExample(const TrainingImageRecord& record, bool flip,
                            const PreprocessConfig& preprocess, GeometryVariant geometry) {
    cv::Mat rgb = loadImage(record.path).rgb;
    const int H = rgb.rows, W = rgb.cols;
    if (flip) cv::flip(rgb, rgb, 1);
    model::PreparedInput in = model::preprocessImage(rgb, preprocess);
    TrainingExample ex;
    ex.image = in.image[0];
    ex.height = in.resizedH;
    ex.width = in.resizedW;
    const double one = geometry == GeometryVariant::Reference ? 1.0 : 0.0;
    std::vector<float> boxes;
    std::vector<int64_t> labels;
    for (const auto& o : record.objects) {
        double x1 = o.bbox[0], y1 = o.bbox[1];
        double x2 = o.bbox[0] + o.bbox[2] - one, y2 = o.bbox[1] + o.bbox[3] - one;
        if (flip) {
            const double fx1 = W - one - x2, fx2 = W - one - x1;
            x1 = fx1;
            x2 = fx2;
        }
        x1 *= in.scale;
        y1 *= in.scale;
        x2 *= in.scale;
        y2 *= in.scale;
        if (x2 - x1 + one <= 0.5 || y2 - y1 + one <= 0.5) continue;
        cv::Mat mask = rle::decode(coco::toRle(o.segmentation, H, W));
        if (mask.empty()) mask = cv::Mat::zeros(H, W, CV_8U);
        if (flip) cv::flip(mask, mask, 1);
        if (mask.rows != in.resizedH || mask.cols != in.resizedW)
            cv::resize(mask, mask, cv::Size(in.resizedW, in.resizedH), 0, 0, cv::INTER_NEAREST);
        boxes.insert(boxes.end(), {float(x1), float(y1), float(x2), float(y2)});
        labels.push_back(o.label);
        ex.masks.push_back(mask);
    }
    ex.boxes = at::tensor(boxes).view({-1, 4});
    ex.labels = at::tensor(labels, at::kLong);
    return ex;
}

TrainingBatch collate(std::vector<TrainingExample> examples) {
    TrainingBatch b;
    int64_t h = 0, w = 0;
    for (const auto& e : examples) {
        h = std::max(h, e.image.size(1));
        w = std::max(w, e.image.size(2));
    }
    b.images = at::zeros({static_cast<int64_t>(examples.size()), 3, h, w}, at::kFloat);
    for (size_t i = 0; i < examples.size(); ++i) {
        auto& e = examples[i];
        b.images[static_cast<int64_t>(i)]
            .slice(1, 0, e.image.size(1))
            .slice(2, 0, e.image.size(2))
            .copy_(e.image);
        b.heights.push_back(e.height);
        b.widths.push_back(e.width);
        b.boxes.push_back(e.boxes);
        b.labels.push_back(e.labels);
        b.masks.push_back(std::move(e.masks));
    }
    return b;
}

}  // namespace zsi::train
