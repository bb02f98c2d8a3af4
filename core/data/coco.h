#pragma once
// The COCO instances data model (images, categories, annotations) and the flat results
// format used for evaluation. Plain structs, torch-free and Qt-free.
//
// Fields that this model does not name are kept in `extra` (a JSON object) and written back
// unchanged, so a read -> write round trip loses nothing. ZSI Studio's own review state is
// stored through that same mechanism, under the keys below (see kZsi* and the helpers):
//   annotation: "zsi_source"  "model" | "human"
//               "zsi_review"  "pending" | "accepted" | "rejected"
//   image:      "zsi_status"  "not_run" | "predicted" | "reviewed"
// Other tools ignore unknown keys, so the files stay valid COCO.
#include "data/rle.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace zsi::coco {

// A segmentation in the form it was stored, so writing keeps the user's choice.
struct Polygons {
    std::vector<std::vector<double>> rings;  // each [x0, y0, x1, y1, ...], unioned
};
struct UncompressedRle {
    Rle rle;  // "counts" as a list of numbers
};
struct CompressedRle {
    int height = 0, width = 0;
    std::string counts;  // pycocotools string
};
using Segmentation = std::variant<std::monostate, Polygons, UncompressedRle, CompressedRle>;

struct Image {
    int64_t id = 0;
    std::string fileName;
    int width = 0, height = 0;
    nlohmann::json extra = nlohmann::json::object();  // license, coco_url, zsi_status, ...
};

struct Category {
    int64_t id = 0;
    std::string name;
    std::string supercategory;
    nlohmann::json extra = nlohmann::json::object();
};

struct Annotation {
    int64_t id = 0;
    int64_t imageId = 0;
    int64_t categoryId = 0;
    BoxXywh bbox{0, 0, 0, 0};
    double area = 0;
    bool iscrowd = false;
    Segmentation segmentation;
    std::optional<double> score;
    nlohmann::json extra = nlohmann::json::object();  // zsi_source, zsi_review, ...
};

struct Dataset {
    nlohmann::json info;      // null when absent
    nlohmann::json licenses;  // null when absent
    std::vector<Image> images;
    std::vector<Category> categories;
    std::vector<Annotation> annotations;
    nlohmann::json extra = nlohmann::json::object();  // unknown top-level keys

    // Linear lookups for occasional use; hot paths build their own maps.
    const Image* findImage(int64_t id) const;
    const Category* findCategory(int64_t id) const;
    const Category* findCategory(const std::string& name) const;
};

// The segmentation as an RLE of the image size (pycocotools annToRLE): polygons are
// rasterised and unioned, compressed strings decoded. std::monostate gives an empty mask.
Rle toRle(const Segmentation& s, int imageHeight, int imageWidth);
Segmentation toCompressed(const Rle& r);

// One detection of the results format: {image_id, category_id, bbox, segmentation, score}.
struct Detection {
    int64_t imageId = 0;
    int64_t categoryId = 0;
    BoxXywh bbox{0, 0, 0, 0};
    bool hasBbox = true;
    std::optional<Rle> mask;  // written as compressed RLE
    double score = 0;
};

// Review-state keys kept in `extra` (see the header comment).
inline constexpr const char* kZsiSource = "zsi_source";
inline constexpr const char* kZsiReview = "zsi_review";
inline constexpr const char* kZsiStatus = "zsi_status";
// extra[key] as a string, or `fallback` when absent or not a string.
std::string extraString(const nlohmann::json& extra, const char* key,
                        const std::string& fallback = {});

}  // namespace zsi::coco
