#include "data/dataset_export.h"

#include "data/coco_io.h"
#include "data/rle.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <unordered_map>

namespace fs = std::filesystem;

namespace zsi {
namespace {

bool keep(const coco::Annotation& a, const DatasetExportOptions& o) {
    const std::string review = coco::extraString(a.extra, coco::kZsiReview, "pending");
    const std::string source = coco::extraString(a.extra, coco::kZsiSource, "model");
    if (o.skipRejected && review == "rejected") return false;
    if (o.onlyAccepted && review != "accepted" && source != "human") return false;
    return true;
}

// The annotation as an Instance (mask cropped to its box) for the PNG / YOLO writers.
Instance toInstance(const coco::Annotation& a, const coco::Image& im) {
    return instanceFromRle(coco::toRle(a.segmentation, im.height, im.width),
                           static_cast<float>(a.score.value_or(1.0)));
}

// Progress after an image; Error(Cancelled) when asked to stop.
class Steps {
public:
    Steps(const DatasetExportCallbacks& c, size_t total) : c_(c), total_(total) {}
    void next() {
        if (c_.cancel && c_.cancel->load())
            throw Error(ErrorCode::Cancelled, "export cancelled", {{"reason", "cancelled"}});
        ++done_;
        if (c_.progress) c_.progress(done_, total_);
    }

private:
    const DatasetExportCallbacks& c_;
    size_t total_;
    size_t done_ = 0;
};

}  // namespace

DatasetExportReport exportDataset(const coco::Dataset& data, const fs::path& out,
                                  const DatasetExportOptions& o,
                                  const DatasetExportCallbacks& callbacks) {
    DatasetExportReport rep;
    rep.images = data.images.size();
    Steps steps(callbacks, data.images.size());
    std::unordered_map<int64_t, std::vector<const coco::Annotation*>> byImage;
    for (const auto& a : data.annotations) {
        if (!keep(a, o)) {
            ++rep.leftOut;
            continue;
        }
        byImage[a.imageId].push_back(&a);
        ++rep.annotations;
    }
    std::unordered_map<int64_t, int> yoloIndex;
    for (size_t i = 0; i < data.categories.size(); ++i)
        yoloIndex[data.categories[i].id] = static_cast<int>(i);

    switch (o.format) {
        case ExportFormat::Instances: {
            coco::Dataset copy;
            copy.info = data.info;
            copy.licenses = data.licenses;
            copy.extra = data.extra;
            copy.images = data.images;
            copy.categories = data.categories;
            for (const auto& im : data.images) {
                steps.next();
                auto it = byImage.find(im.id);
                if (it == byImage.end()) continue;
                for (const coco::Annotation* a : it->second) {
                    coco::Annotation c = *a;
                    const Rle r = coco::toRle(a->segmentation, im.height, im.width);
                    if (o.segmentation == SegmentationForm::Rle) {
                        c.segmentation = coco::toCompressed(r);
                    } else if (!std::holds_alternative<coco::Polygons>(a->segmentation)) {
                        const Instance inst = toInstance(*a, im);
                        const MaskPolygons p = maskToPolygons(
                            inst.mask, {inst.maskOriginX, inst.maskOriginY}, im.height, im.width);
                        c.segmentation = coco::Polygons{p.rings};
                        if (p.holes) {
                            c.extra[kZsiPolygonHoles] = p.holes;
                            ++rep.polygonsWithHoles;
                        }
                        if (p.changedPixels) c.extra[kZsiPolygonChangedPixels] = p.changedPixels;
                        rep.polygonChangedPixels += p.changedPixels;
                    }
                    copy.annotations.push_back(std::move(c));
                }
            }
            coco::writeInstances(out, copy);
            break;
        }
        case ExportFormat::Results: {
            std::vector<coco::Detection> dets;
            for (const auto& im : data.images) {
                steps.next();
                auto it = byImage.find(im.id);
                if (it == byImage.end()) continue;
                for (const coco::Annotation* a : it->second) {
                    coco::Detection d;
                    d.imageId = a->imageId;
                    d.categoryId = a->categoryId;
                    d.bbox = a->bbox;
                    d.mask = coco::toRle(a->segmentation, im.height, im.width);
                    d.score = a->score.value_or(1.0);
                    dets.push_back(std::move(d));
                }
            }
            coco::writeResults(out, dets);
            break;
        }
        case ExportFormat::Png:
        case ExportFormat::Yolo: {
            std::error_code ec;
            fs::create_directories(out, ec);
            for (const auto& im : data.images) {
                steps.next();
                std::vector<Instance> inst;
                std::vector<int> value, yolo;
                if (auto it = byImage.find(im.id); it != byImage.end())
                    for (const coco::Annotation* a : it->second) {
                        inst.push_back(toInstance(*a, im));
                        value.push_back(static_cast<int>(a->categoryId));
                        yolo.push_back(yoloIndex.count(a->categoryId) ? yoloIndex[a->categoryId]
                                                                      : 0);
                    }
                if (o.format == ExportFormat::Png) {
                    writePngAtomic(out / replaceExtension(im.fileName, ".instances.png"),
                                   instanceIdMap(inst, im.height, im.width));
                    writePngAtomic(out / replaceExtension(im.fileName, ".classes.png"),
                                   classIdMap(inst, value, im.height, im.width));
                } else {
                    writeFileAtomic(out / "labels" / replaceExtension(im.fileName, ".txt"),
                                    yoloSegmentationText(inst, yolo, im.height, im.width));
                }
            }
            writeClassTables(out, data.categories, data.info, o.format == ExportFormat::Yolo);
            break;
        }
    }
    return rep;
}

}  // namespace zsi
