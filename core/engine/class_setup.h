#pragma once
// Turning what a user gives (an embedding file, class names typed or listed in a file or a
// split) into the unseen part of a ScoringRequest. Shared by the CLI commands and the app's
// worker so every front end applies the same rules. Torch-free.
#include "engine/engine.h"
#include "semantics/class_embedder.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace zsi {

struct EmbeddingChoice {
    std::shared_ptr<semantics::ClassEmbedder> embedder;
    std::filesystem::path path;
    // Set when the file differs from the one the model was trained with (same dimension).
    std::optional<std::string> warning;
};

// Opens the word vectors to embed typed classes for `model`: `explicitFile` when given, else
// the file the bundle names, looked up beside the bundle, then in <dataDir>/demo/vectors/.
// Uses the bundle's normalisation. A bundle with class columns (an imported reference model)
// also takes the exact vectors of its own classes from them; when its word vectors are not
// found it works with the class columns alone (its own class names only; other names are
// refused with the bundle's hint, and `warning` says so). Throws DimensionMismatch for
// vectors of another dimension, FileNotFound when nothing is found (naming where it looked).
EmbeddingChoice openEmbeddingForModel(const ModelSummary& model,
                                      const std::optional<std::filesystem::path>& explicitFile,
                                      const std::filesystem::path& dataDir,
                                      const semantics::LoadOptions& loadOptions = {});

// "a, b ,c" -> {"a", "b", "c"} (empty entries dropped). Synonyms inside a name ("couch |
// sofa") are kept for the embedder.
std::vector<std::string> splitClassList(const std::string& commaSeparated);
// One class per line; blank lines and lines starting with '#' ignored.
std::vector<std::string> readClassFile(const std::filesystem::path& path);

// Embeds `names` and appends them to the request's unseen classes. Unknown words throw
// Error(UnknownWords) naming every missing word of every class; a name equal to a seen class
// or to another typed name throws Error(DuplicateClass).
void addUnseenClasses(ScoringRequest& request, const semantics::ClassEmbedder& embedder,
                      const std::vector<std::string>& names,
                      const std::vector<std::string>& seenClasses);

}  // namespace zsi
