#pragma once
// `zsi train`: trains a ZSI model end to end (torch-free header: the CLI and, later, the
// app's training dialog include it).
//
// Output: `out` is a model bundle (core/io), rewritten at every checkpoint. Beside it,
// `<out>.training/` holds what resuming needs and the app plots:
//   state.json    iteration, the resolved options (schedule, sampling, seed, ablation, data)
//   optimizer.pt  SGD state (momentum buffers) and the iteration, a LibTorch archive
//   log.jsonl     one JSON object per iteration: every loss term, the total, the LR, the step
//                 time; every `backgroundEvery` iterations also "vb" (V_b) and
//                 "vb_cos_initial" (its cosine to the initial background vector)
// The log is also copied into the bundle (train_log.jsonl) at each checkpoint.
//
// Determinism: weights are initialised from `seed`; every random choice of iteration i
// (image order, flips, anchor and RoI sampling) is drawn from zsi::Rng seeded by (seed, i),
// so a resumed run continues exactly as an uninterrupted one (same LR, same batches, same
// momentum buffers).
#include "model/model_config.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace zsi::train {

// The paper's ablations. NoBaRpn: the background rows of rpn_head.vec_fb stay at the initial
// vector (a fixed background); NoSyncBg: W_s keeps the initial background column (training and
// inference); NoDecoders: no reconstruction losses.
enum class Ablation { None, NoBaRpn, NoSyncBg, NoDecoders };
std::string toString(Ablation a);              // "none", "no-barpn", "no-syncbg", "no-decoders"
Ablation parseAblation(const std::string& s);  // throws Error(InvalidArgument)

struct TrainOptions {
    ModelConfig config;                 // architecture (on resume the bundle's is used)
    std::filesystem::path annotations;  // COCO instances JSON
    std::filesystem::path images;       // folder the JSON's file names are relative to
    std::filesystem::path split;        // {"seen": [...], "unseen": [...]}
    std::filesystem::path embeddings;   // word vectors for the seen class names
    std::string normalisation = "unit-l2";
    std::filesystem::path out;  // bundle folder

    int iterations = 1000;  // total (on resume: <= 0 keeps the recorded total)
    int batchSize = 2;
    double lr = 0.02;
    int warmupIterations = 500;
    double warmupRatio = 1.0 / 3.0;
    std::vector<int> lrSteps;  // empty: at 2/3 and 11/12 of the iterations
    double gamma = 0.1;
    double momentum = 0.9;
    double weightDecay = 1e-4;
    double gradClip = 35.0;  // max global L2 norm; <= 0 disables

    int rpnSamples = 256;
    double rpnPosFraction = 0.5;
    int roiSamples = 512;
    double roiPosFraction = 0.25;
    int maskRoisPerImage = 0;  // 0: every positive RoI trains the mask branch
    bool flip = true;
    Ablation ablation = Ablation::None;

    int logEvery = 20;  // progress callback period
    int checkpointEvery = 500;
    int backgroundEvery = 100;  // V_b in the log
    uint64_t seed = 1;
    std::string device = "cpu";  // "cpu", "cuda", "cuda:1"
    bool resume = false;
};

struct TrainProgress {
    int iteration = 0;  // completed iterations
    int totalIterations = 0;
    double lr = 0;
    double total = 0;
    std::vector<std::pair<std::string, double>> losses;  // mean over the last logEvery steps
    double secondsPerStep = 0;                           // mean over the same window
    double etaSeconds = 0;
};

struct TrainCallbacks {
    std::function<void(const std::string&)> message;     // one-off information lines
    std::function<void(const TrainProgress&)> progress;  // every logEvery iterations
    const std::atomic<bool>* stop = nullptr;             // set -> checkpoint and return
    // Called after each completed iteration (tests stop a run at a chosen iteration).
    std::function<void(int iteration)> afterIteration;
};

struct TrainResult {
    int iteration = 0;  // completed iterations
    int totalIterations = 0;
    bool interrupted = false;
    int64_t parameters = 0;  // trainable and fixed parameters of the model
    int imagesUsed = 0, droppedUnseen = 0, droppedEmpty = 0;
    double secondsPerStep = 0;  // mean over this run's steps after the first
    std::filesystem::path bundle, log;
};

// Folder with state.json / optimizer.pt / log.jsonl for bundle folder `out`.
std::filesystem::path trainingDir(const std::filesystem::path& out);

// Throws zsi::Error for bad inputs (missing files, a class name without a word vector, a
// split that does not match the resumed bundle, a dimension mismatch, an unknown device).
TrainResult runTraining(const TrainOptions& options, const TrainCallbacks& callbacks = {});

}  // namespace zsi::train
