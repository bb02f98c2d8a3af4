#include "data/export_formats.h"

#include "data/rle.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cstdio>

namespace zsi {

std::string toString(SegmentationForm f) {
    return f == SegmentationForm::Rle ? "rle" : "polygon";
}

SegmentationForm parseSegmentationForm(const std::string& s) {
    if (s == "rle") return SegmentationForm::Rle;
    if (s == "polygon" || s == "polygons") return SegmentationForm::Polygon;
    throw Error(ErrorCode::InvalidArgument, "segmentation must be rle or polygon, not '" + s + "'",
                {{"name", "segmentation"}, {"reason", s}});
}

std::string toString(ExportFormat f) {
    switch (f) {
        case ExportFormat::Instances:
            return "instances";
        case ExportFormat::Results:
            return "results";
        case ExportFormat::Png:
            return "png";
        case ExportFormat::Yolo:
            return "yolo";
    }
    return "?";
}

ExportFormat parseExportFormat(const std::string& s) {
    if (s == "instances" || s == "coco") return ExportFormat::Instances;
    if (s == "results") return ExportFormat::Results;
    if (s == "png") return ExportFormat::Png;
    if (s == "yolo") return ExportFormat::Yolo;
    throw Error(ErrorCode::InvalidArgument,
                "format must be instances, results, png or yolo, not '" + s + "'",
                {{"name", "format"}, {"reason", s}});
}

coco::Annotation annotationFromInstance(const Instance& inst, int imageHeight, int imageWidth,
                                        SegmentationForm form, MaskPolygons* loss) {
    coco::Annotation a;
    const Rle r = rle::encodeCropped(inst.mask, {inst.maskOriginX, inst.maskOriginY}, imageHeight,
                                     imageWidth);
    a.bbox = rle::toBbox(r);
    a.area = static_cast<double>(rle::area(r));
    a.iscrowd = false;
    a.score = inst.score;
    if (form == SegmentationForm::Rle) {
        a.segmentation = coco::toCompressed(r);
    } else {
        MaskPolygons p = maskToPolygons(inst.mask, {inst.maskOriginX, inst.maskOriginY},
                                        imageHeight, imageWidth);
        if (p.holes > 0) a.extra[kZsiPolygonHoles] = p.holes;
        if (p.changedPixels > 0) a.extra[kZsiPolygonChangedPixels] = p.changedPixels;
        a.segmentation = coco::Polygons{p.rings};
        if (loss) *loss = std::move(p);
    }
    a.extra[coco::kZsiSource] = "model";
    a.extra[coco::kZsiReview] = "pending";
    if (!inst.alternatives.empty()) {
        nlohmann::json alts = nlohmann::json::array();
        for (const auto& c : inst.alternatives)
            alts.push_back({{"class", c.className}, {"score", c.score}});
        a.extra[kZsiAlternatives] = std::move(alts);
    }
    return a;
}

Instance instanceFromRle(const Rle& mask, float score) {
    Instance inst;
    const BoxXywh b = rle::toBbox(mask);
    const cv::Rect box = cv::Rect(int(b[0]), int(b[1]), int(b[2]), int(b[3])) &
                         cv::Rect(0, 0, mask.width, mask.height);
    inst.x1 = float(box.x), inst.y1 = float(box.y);
    inst.x2 = float(box.x + box.width), inst.y2 = float(box.y + box.height);
    inst.score = score;
    inst.mask = rle::decodeRegion(mask, box);
    inst.maskOriginX = box.x;
    inst.maskOriginY = box.y;
    return inst;
}

namespace {

// Paints value v where the instance's crop is set and the target is still 0.
void paint(cv::Mat& target, const Instance& inst, uint16_t v) {
    if (inst.mask.empty()) return;
    const cv::Rect crop(inst.maskOriginX, inst.maskOriginY, inst.mask.cols, inst.mask.rows);
    const cv::Rect clipped = crop & cv::Rect(0, 0, target.cols, target.rows);
    if (clipped.empty()) return;
    const cv::Mat src = inst.mask(clipped - crop.tl());
    cv::Mat dst = target(clipped);
    for (int y = 0; y < clipped.height; ++y) {
        const uint8_t* s = src.ptr<uint8_t>(y);
        uint16_t* d = dst.ptr<uint16_t>(y);
        for (int x = 0; x < clipped.width; ++x)
            if (s[x] && d[x] == 0) d[x] = v;
    }
}

}  // namespace

cv::Mat instanceIdMap(const std::vector<Instance>& instances, int imageHeight, int imageWidth) {
    cv::Mat m = cv::Mat::zeros(imageHeight, imageWidth, CV_16U);
    for (size_t i = 0; i < instances.size() && i < 65535; ++i)
        paint(m, instances[i], static_cast<uint16_t>(i + 1));
    return m;
}

cv::Mat classIdMap(const std::vector<Instance>& instances, const std::vector<int>& classValue,
                   int imageHeight, int imageWidth) {
    cv::Mat m = cv::Mat::zeros(imageHeight, imageWidth, CV_16U);
    for (size_t i = 0; i < instances.size() && i < classValue.size(); ++i)
        paint(m, instances[i], static_cast<uint16_t>(std::clamp(classValue[i], 0, 65535)));
    return m;
}

std::string yoloSegmentationText(const std::vector<Instance>& instances,
                                 const std::vector<int>& classIndex, int imageHeight,
                                 int imageWidth) {
    std::string out;
    char buf[64];
    for (size_t i = 0; i < instances.size() && i < classIndex.size(); ++i) {
        const Instance& inst = instances[i];
        const MaskPolygons p = maskToPolygons(inst.mask, {inst.maskOriginX, inst.maskOriginY},
                                              imageHeight, imageWidth);
        const std::vector<double>* best = nullptr;
        double bestArea = -1;
        for (const auto& ring : p.rings) {
            double a = 0;  // shoelace
            for (size_t k = 0; k + 1 < ring.size(); k += 2) {
                const size_t n = (k + 2) % ring.size();
                a += ring[k] * ring[n + 1] - ring[n] * ring[k + 1];
            }
            if (std::abs(a) > bestArea) bestArea = std::abs(a), best = &ring;
        }
        if (!best) continue;
        out += std::to_string(classIndex[i]);
        for (size_t k = 0; k + 1 < best->size(); k += 2) {
            std::snprintf(buf, sizeof buf, " %.6f %.6f",
                          std::clamp((*best)[k] / imageWidth, 0.0, 1.0),
                          std::clamp((*best)[k + 1] / imageHeight, 0.0, 1.0));
            out += buf;
        }
        out += '\n';
    }
    return out;
}

std::filesystem::path replaceExtension(const std::filesystem::path& rel,
                                       const std::string& suffix) {
    std::filesystem::path p = rel;
    p.replace_extension();
    return std::filesystem::path(p.string() + suffix);
}

void writePngAtomic(const std::filesystem::path& path, const cv::Mat& image) {
    std::vector<uchar> buf;
    if (!cv::imencode(".png", image, buf))
        throw Error(ErrorCode::FileWriteFailed, "cannot encode " + path.string(),
                    {{"path", path.string()}, {"reason", "PNG encoder"}});
    writeFileAtomic(path, std::string_view(reinterpret_cast<const char*>(buf.data()), buf.size()));
}

void writeClassTables(const std::filesystem::path& folder,
                      const std::vector<coco::Category>& categories, const nlohmann::json& info,
                      bool yolo) {
    nlohmann::json table = nlohmann::json::array();
    std::string names, yaml = "# YOLO segmentation labels written by ZSI Studio\npath: .\nnames:\n";
    for (size_t i = 0; i < categories.size(); ++i) {
        const auto& c = categories[i];
        table.push_back({{"id", c.id},
                         {"yolo_index", i},
                         {"name", c.name},
                         {"kind", c.extra.value(kZsiKind, "")}});
        names += c.name + "\n";
        yaml += "  " + std::to_string(i) + ": " + nlohmann::json(c.name).dump() + "\n";
    }
    writeFileAtomic(folder / "categories.json",
                    nlohmann::json{{"info", info}, {"categories", table}}.dump(1) + "\n");
    if (yolo) {
        writeFileAtomic(folder / "classes.txt", names);
        writeFileAtomic(folder / "data.yaml", yaml);
    }
}

}  // namespace zsi
