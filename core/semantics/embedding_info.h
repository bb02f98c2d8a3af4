#pragma once
// Which word vectors a model was trained with, as recorded in model.json: kind, dimension,
// normalisation, file name and SHA-256 (never the file itself). A model expects vectors
// from the same space: another file of the same dimension may work (warning), another
// dimension cannot (error).
#include "semantics/normalisation.h"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>

namespace zsi::semantics {

class EmbeddingModel;

struct EmbeddingInfo {
    std::string kind;  // "fasttext" | "text" | "class-columns"
    int dim = 0;
    Normalisation normalisation;
    std::string fileName;  // file name only, no directory
    std::string sha256;    // lower-case hex; may be empty when unknown

    bool operator==(const EmbeddingInfo& o) const {
        return kind == o.kind && dim == o.dim && normalisation == o.normalisation &&
               fileName == o.fileName && sha256 == o.sha256;
    }
};

// Describes a loaded model. withSha256 hashes the whole file (seconds for GB files).
EmbeddingInfo describeEmbedding(const EmbeddingModel& model, Normalisation normalisation,
                                bool withSha256 = true);

// JSON: {"kind", "dim", "normalisation": "none"|"unit-l2"|"norm:0.7666", "file", "sha256"}.
void to_json(nlohmann::json& j, const EmbeddingInfo& info);
// Throws Error(JsonSchema, field/reason) on a missing or mistyped field.
void from_json(const nlohmann::json& j, EmbeddingInfo& info);
std::string toJsonString(const EmbeddingInfo& info);
EmbeddingInfo embeddingInfoFromJsonString(const std::string& text);

// Checks vectors `loaded` against the ones a model was `trained` with:
//   other dimension -> throws Error(DimensionMismatch, what/expected/found);
//   same dimension, other file (SHA-256, or name when a hash is missing) -> a warning text;
//   same file -> nullopt.
std::optional<std::string> checkCompatible(const EmbeddingInfo& trained,
                                           const EmbeddingInfo& loaded);

}  // namespace zsi::semantics
