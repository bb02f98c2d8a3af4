#pragma once
// Model instances in the formats other tools read: COCO annotations (compressed RLE or
// polygons, with ZSI Studio's review fields), the COCO results format, per-image PNG
// instance / class maps and YOLO segmentation text. Torch-free; used by the batch exporter
// (core/engine) and the app.
#include "data/coco.h"
#include "data/instance.h"
#include "data/mask_polygons.h"

#include <opencv2/core/mat.hpp>

#include <filesystem>

#include <string>
#include <vector>

namespace zsi {

enum class SegmentationForm { Rle, Polygon };
std::string toString(SegmentationForm f);                      // "rle", "polygon"
SegmentationForm parseSegmentationForm(const std::string& s);  // throws Error(InvalidArgument)

enum class ExportFormat { Instances, Results, Png, Yolo };
std::string toString(ExportFormat f);  // "instances", "results", "png", "yolo"
ExportFormat parseExportFormat(const std::string& s);

// Category extra key saying whether the class was "seen" in training or typed ("unseen").
inline constexpr const char* kZsiKind = "zsi_kind";
// Annotation extra key: the other classes one object scored (one label per object), a list of
// {"class": name, "score": s}, best first.
inline constexpr const char* kZsiAlternatives = "zsi_alternatives";
// Annotation extra keys for a polygon export that could not keep the mask exactly.
inline constexpr const char* kZsiPolygonHoles = "zsi_polygon_holes";
inline constexpr const char* kZsiPolygonChangedPixels = "zsi_polygon_changed_pixels";

// One model instance as a COCO annotation of an imageHeight x imageWidth image: bbox and area
// from the mask (area = pixel count), iscrowd 0, the score, segmentation as compressed RLE or
// polygons, zsi_source "model" and zsi_review "pending". `loss` (optional) receives what a
// polygon export dropped; the same numbers go into the annotation's extra when nonzero.
coco::Annotation annotationFromInstance(const Instance& inst, int imageHeight, int imageWidth,
                                        SegmentationForm form, MaskPolygons* loss = nullptr);

// The way back from a mask: an Instance whose box is the mask's tight pixel box and whose
// mask is cropped to it (no class; no similarities).
Instance instanceFromRle(const Rle& mask, float score);

// Per-image maps for the PNG export, CV_16U: instance ids (1.. in the given order, 0 = none)
// and class values (`classValue[i]` for instance i, 0 = none). Where instances overlap the
// earlier one (the higher score) wins, as in the overlay.
cv::Mat instanceIdMap(const std::vector<Instance>& instances, int imageHeight, int imageWidth);
cv::Mat classIdMap(const std::vector<Instance>& instances, const std::vector<int>& classValue,
                   int imageHeight, int imageWidth);

// YOLO segmentation text: one line per instance, "<class> x1 y1 x2 y2 ..." with coordinates
// normalised to [0, 1]; the instance's largest outer contour (YOLO has one polygon per
// object). `classIndex[i]` is instance i's 0-based YOLO class.
std::string yoloSegmentationText(const std::vector<Instance>& instances,
                                 const std::vector<int>& classIndex, int imageHeight,
                                 int imageWidth);

// Files of the folder formats. `rel` with its extension replaced by `suffix`
// ("a/b.jpg", ".classes.png" -> "a/b.classes.png").
std::filesystem::path replaceExtension(const std::filesystem::path& rel, const std::string& suffix);
// A PNG written atomically (16-bit maps stay 16-bit). Throws Error(FileWriteFailed).
void writePngAtomic(const std::filesystem::path& path, const cv::Mat& image);
// categories.json (id, yolo_index, name, kind, and `info`) and, for YOLO, classes.txt and
// data.yaml: what gives the PNG values and YOLO class indices their meaning.
void writeClassTables(const std::filesystem::path& folder,
                      const std::vector<coco::Category>& categories, const nlohmann::json& info,
                      bool yolo);

}  // namespace zsi
