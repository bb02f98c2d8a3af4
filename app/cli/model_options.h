#pragma once
// The options every model-running command shares (infer, export, ...), so --model, --unseen,
// --split, --mode, --scoring mean the same thing everywhere, and the code that turns them
// into a loaded engine and a scoring request.
#include "command_registry.h"

#include "engine/class_setup.h"
#include "engine/engine.h"

#include <memory>
#include <optional>
#include <string>

namespace zsi::cli {

struct ModelOptions {
    std::string model;       // --model BUNDLE (default: the demo bundle)
    std::string embeddings;  // --embeddings FILE (default: the file the bundle names)
    std::string unseen;      // --unseen "a,b"
    std::string unseenFile;  // --unseen-file F
    std::string split;       // --split split.json (its unseen list)
    // --mode, --scoring, --box-rule, --score-threshold, --mask-threshold,
    // --one-label-per-object: changes to the bundle's inference defaults.
    InferenceOverrides inference;
    std::string device = "auto";
};

void addModelOptions(CLI::App& sub, ModelOptions& o);

struct ModelSession {
    std::unique_ptr<Engine> engine;
    EmbeddingChoice embedding;
    ScoringRequest request;
};

// Loads the bundle and the word vectors, embeds the unseen classes and fills the request.
// Prints a warning to stderr when the vectors differ from the ones the model was trained
// with. Throws zsi::Error.
ModelSession openModelSession(const ModelOptions& o, const GlobalOptions& global);

}  // namespace zsi::cli
