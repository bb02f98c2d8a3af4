#pragma once
// Model bundle: a folder that fully describes a usable model.
//
//   model.json   {"format": "zsi-model-bundle", "format_version": 1,
//                 "config": {...ModelConfig, incl. "inference": default mode, scoring rule,
//                            box rule, thresholds, Sync-bg...},
//                 "semantic_dim": D, "seen_classes": [S names in label order],
//                 "embedding": {kind, dim, normalisation, file_name, sha256} (opaque here),
//                 "weights": "weights.pt", "weights_sha256": "<hex>",
//                 "provenance": {...free-form: trainer, date, data, notes...},
//                 optional: "default_unseen": [names used when a user gives none],
//                           "demo": true (a demonstration model: the app says what it knows),
//                           "class_columns": {"file": "class_vectors.txt", "names": "classes.txt"}
//                              (reference-format class vectors shipped with the bundle: the
//                              exact vectors of the classes the model was made for),
//                           "embedding_hint": "which word vectors typed names need",
//                           "description": "what the model knows, one line",
//                           "demo_image": "an image of <data>/demo/images it works on"}
//   weights.pt   a LibTorch pickle archive (torch::pickle_save; Python's torch.load reads it)
//                holding one dict {name: tensor}: every parameter and buffer under the
//                reference checkpoint names (backbone., neck., rpn_head., bbox_head.,
//                mask_head.), plus the fixed semantic inputs that are not parameters:
//                  zsi.seen_class_vectors  (D x S) seen class vectors, label order
//                  zsi.initial_background  (D)     the initial background vector
//                  zsi.voc                 (D x K) the VOC matrix (only when K > 0)
//
// Writing builds the folder under a temporary name beside the target and renames it into
// place, so a failed write never leaves a half-written bundle. Loading validates everything
// and reports problems as zsi::Error, never a crash:
//   missing folder / model.json / weights.pt       -> FileNotFound (path)
//   model.json not JSON                            -> JsonMalformed (path, reason)
//   model.json fields wrong / inconsistent         -> JsonSchema / ConfigInvalid (field)
//   weights.pt truncated, corrupt, checksum wrong,
//   a key missing or unexpected, a shape wrong     -> CheckpointInvalid (path, reason, key,
//                                                     expected, found)
// Torch-free header: the detector is only forward-declared.
#include "model/model_config.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace zsi::model {
class ZsiDetectorImpl;
}

namespace zsi::io {

inline constexpr int kBundleFormatVersion = 1;

// What model.json says (readable without loading weights, e.g. for a model picker).
struct BundleInfo {
    ModelConfig config;
    std::vector<std::string> seenClasses;
    nlohmann::json embedding = nlohmann::json::object();  // EmbeddingInfo, opaque here
    nlohmann::json provenance = nlohmann::json::object();
    std::string weightsSha256;  // filled by read/write
    std::vector<std::string> defaultUnseen;
    bool demo = false;
    std::string classColumnsFile;  // relative to the bundle folder; empty: none
    std::string classNamesFile;
    std::string embeddingHint;
    std::string description;
    std::string demoImage;
};

struct ModelBundle {
    BundleInfo info;
    std::shared_ptr<model::ZsiDetectorImpl> detector;  // weights and semantic inputs loaded
    // Files written into the folder with the bundle (name -> bytes), e.g. the class columns.
    std::vector<std::pair<std::string, std::string>> extraFiles;
};

BundleInfo readBundleInfo(const std::filesystem::path& folder);
ModelBundle readModelBundle(const std::filesystem::path& folder);

// Writes bundle.detector (its config replaces info.config) with info's names, embedding and
// provenance. Throws Error(InvalidArgument) when the class names do not match the model,
// Error(FileWriteFailed) when the folder cannot be written.
void writeModelBundle(const std::filesystem::path& folder, const ModelBundle& bundle);

}  // namespace zsi::io
