#pragma once
// The inference engine: the one door from the app, widgets and CLI to the network.
// Torch-free header (pimpl): what crosses it are plain values (Instance, cv::Mat, vectors).
//
// The expensive part of a run depends on the image only (backbone, FPN, BA-RPN, box-head
// semantic features); prepare() computes it once and keeps it in a PreparedImage. score()
// then applies any vocabulary: matrix products, NMS and the mask head's 1x1 projections, with
// the mask head's encoder features cached per proposal box. Typing a new class name re-segments the
// image in milliseconds.
#include "data/image_io.h"
#include "data/instance.h"
#include "model/model_config.h"

#include <opencv2/core/mat.hpp>

#include <array>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace zsi {

namespace semantics {
class EmbeddingModel;
struct Normalisation;
}  // namespace semantics

struct EngineOptions {
    // "cpu", "cuda" or "auto" (CUDA when LibTorch has it and a device is present).
    std::string device = "auto";
    // Fold the backbone's BatchNorms into its convs (the engine holds an inference copy;
    // bundles and training keep the unfolded tensors). Off only to compare.
    bool foldBatchNorm = true;
    // Per prepared image, the cached mask-head maps kept for re-scoring (R101: ~0.9 MB per
    // box, and re-scores keep adding boxes). Past it, the maps the last score() did not use
    // are dropped (recomputed if needed again; results do not change).
    std::size_t maskMapBudgetBytes = std::size_t(256) << 20;
};

// How much of the model Engine::prepare runs. The defaults are the model's own settings.
struct PrepareOptions {
    double resolution = 1.0;  // fraction of the model's input size, (0, 1]
    int maxProposals = 0;     // cap on RPN proposals (per level and in total); 0: the model's
    // The app's fast first pass for an image not prepared yet: the backbone's work shrinks with
    // resolution^2, the box head's with the proposals (bench_model's "provisional" row).
    static PrepareOptions provisional() { return {0.4, 300}; }
};

// What the app needs to know about a loaded model.
struct ModelSummary {
    std::string name;
    std::filesystem::path bundlePath;
    std::vector<std::string> seenClasses;  // label order
    int semanticDim = 0;
    int64_t parameterCount = 0;
    std::string device;         // "cpu" or "cuda:0"
    std::string embeddingJson;  // the embedding identity recorded in the bundle
    std::string weightsSha256;  // of weights.pt, as recorded in model.json
    ModelConfig config;
    std::vector<std::string> defaultUnseen;  // used when a user names no unseen class
    bool demo = false;                       // a demonstration model (the app says so)
    std::filesystem::path classColumns;      // the bundle's exact class vectors, if any
    std::filesystem::path classNames;
    std::string embeddingHint;  // which word vectors typed names need
    std::string description;    // what the model knows (one line)
    std::string demoImage;      // a file of <data>/demo/images it works on
};

// A request is the inference settings (mode, rules, thresholds, background choice, one label
// per object: defaultRequest() starts from the bundle's) plus the vocabulary to score.
struct ScoringRequest : InferenceSettings {
    // Unseen classes: names and their vectors, row-major U x D.
    std::vector<std::string> unseenNames;
    std::vector<float> unseenVectors;
    std::vector<float> customBackground;  // D values, for BackgroundChoice::Custom

    void addUnseen(std::string name, const std::vector<float>& vector);
};

struct InferenceResult {
    int imageWidth = 0;
    int imageHeight = 0;
    std::vector<Instance> instances;           // sorted by decreasing score
    std::vector<std::string> classNames;       // global labels: [seen..., unseen...]
    std::vector<std::string> similarityNames;  // [background, seen..., unseen...]
    std::vector<ClassKind> similarityKinds;
    double prepareMs = 0;  // 0 when the prepared image was reused
    double scoreMs = 0;
    // Where scoreMs went (bench_model prints it; profiling the re-score after a typed class).
    struct ScoreStages {
        double detectionsMs = 0;  // class scores, box decoding, NMS
        double maskMapsMs = 0;    // mask-head encoder features of boxes not cached yet
        double masksMs = 0;       // class filters, probabilities, pasting, binarising
        double labelsMs = 0;      // one label per object / score order
    } stages;
    int maskMapsComputed = 0;  // boxes run through the mask head this time
    int maskMapsReused = 0;    // taken from the prepared image's cache
};

// "Name this object": a word of the word vectors and the score the model would give the object
// if that word were an unseen class.
struct NameSuggestion {
    std::string word;
    float score = 0;
};

struct SuggestOptions {
    int top = 10;
    std::vector<std::string> exclude;  // e.g. the seen and typed classes (compared lower-case)
    // Only words of letters a-z (at least 2), and no English stop-words: the vocabulary of a
    // word-vector file is mostly punctuation, numbers and function words.
    bool wordsOnly = true;
};

// One image's vocabulary-independent state. Opaque; keep it as long as the image is shown.
class PreparedImage {
public:
    ~PreparedImage();
    PreparedImage(const PreparedImage&) = delete;
    PreparedImage& operator=(const PreparedImage&) = delete;

    int width() const;
    int height() const;
    double prepareMs() const;
    double resolution() const;  // 1 unless prepared for a provisional result
    int proposalCount() const;
    int cachedMaskMaps() const;
    // Bytes held (features, proposals, box semantics, cached mask maps and masks): what a cache
    // of prepared images should count.
    std::size_t memoryBytes() const;
    // BA-RPN background probability per FPN level (max over anchors at each location),
    // float in [0, 1], each map covering the image content (padding cropped).
    std::vector<cv::Mat> backgroundProbabilityMaps() const;

    struct Impl;  // engine/engine_p.h

private:
    friend class Engine;
    explicit PreparedImage(std::unique_ptr<Impl> impl);
    Impl& impl() { return *impl_; }
    const Impl& impl() const { return *impl_; }
    std::unique_ptr<Impl> impl_;
};

class Engine {
public:
    // Loads a model bundle (model.json + weights.pt). Throws zsi::Error.
    static std::unique_ptr<Engine> open(const std::filesystem::path& bundleDir,
                                        const EngineOptions& options = {});
    ~Engine();

    const ModelSummary& summary() const;
    // The bundle's default scoring settings (mode, rule, thresholds), no unseen classes.
    ScoringRequest defaultRequest() const;

    // Backbone, FPN, BA-RPN and box-head semantics of one image.
    std::shared_ptr<PreparedImage> prepare(const LoadedImage& image);
    // The same with less of the model (PrepareOptions), for a provisional result shown while
    // the full pass runs. Boxes and masks still come in original-image pixels.
    // Throws Error(InvalidArgument) for a resolution outside (0, 1] or negative maxProposals.
    std::shared_ptr<PreparedImage> prepare(const LoadedImage& image, const PrepareOptions& options);
    // Scores a prepared image against a vocabulary. Cheap; reuses cached mask maps.
    // Throws Error(EmptyVocabulary) when the mode needs unseen classes and there are none,
    // Error(DimensionMismatch) when a vector's size is not the model's D.
    InferenceResult score(PreparedImage& prepared, const ScoringRequest& request);
    // prepare + score.
    InferenceResult run(const LoadedImage& image, const ScoringRequest& request);

    // Ranks every word of `words` (normalised with `normalisation`, as typed classes are) by
    // the score the model gives the object in `box` (x1, y1, x2, y2 in original-image pixels)
    // under the request's rule, mode and background: best first. The box goes through the box
    // head like a proposal, so any box works (a detection, a hand-drawn instance).
    // Throws Error(DimensionMismatch) for word vectors of another dimension.
    std::vector<NameSuggestion> suggestNames(PreparedImage& prepared,
                                             const std::array<float, 4>& box,
                                             const ScoringRequest& request,
                                             const semantics::EmbeddingModel& words,
                                             const semantics::Normalisation& normalisation,
                                             const SuggestOptions& options = {});

    // V_b learned by the BA-RPN and the initial background vector (D values each).
    std::vector<float> learnedBackground() const;
    std::vector<float> initialBackground() const;
    // The model's seen class vectors, row-major S x D.
    std::vector<float> seenVectors() const;

    struct Impl;  // engine/engine_p.h

private:
    friend struct EngineAccess;  // engine/engine_access.h
    explicit Engine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace zsi
