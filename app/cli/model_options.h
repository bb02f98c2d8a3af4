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
    std::string mode;        // --mode zsi|gzsi|seen (default: the bundle's)
    std::string scoring;     // --scoring reference|direct
    std::string boxRule;     // --box-rule reference-index|p-weighted
    std::optional<double> scoreThreshold;
    std::optional<double> maskThreshold;
    std::string device = "auto";
    bool oneLabelPerObject = false;  // --one-label-per-object
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
