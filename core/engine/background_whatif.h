#pragma once
// "What if" for the background column: re-score one prepared image with W_s's
// background column set to the learned V_b (Sync-bg on), the initial vector (Sync-bg off),
// zero, or the mean of the typed unseen classes. Each setting is one Engine::score() call on
// the cached features (milliseconds). Torch-free header.
#include "engine/engine.h"

#include <string>
#include <vector>

namespace zsi {

struct WhatIfOutcome {
    BackgroundChoice setting = BackgroundChoice::Learned;
    std::string key;        // "learned", "initial", "zero", "mean-unseen"
    bool available = true;  // false: the setting cannot be scored (reason in `error`)
    std::string error;
    InferenceResult result;
    int instances = 0;
    double meanScore = 0;  // mean instance score, 0 without instances
};

// The four settings in table order.
const std::vector<BackgroundChoice>& whatIfSettings();
// "learned", "initial", "zero", "mean-unseen" ("model" for None, "custom" for Custom).
const char* whatIfKey(BackgroundChoice setting);

// Scores `prepared` once per setting with `base` otherwise unchanged. A setting that cannot
// be scored (the mean of no unseen classes; a mode that needs unseen classes and has none)
// comes back with available = false and the error's message, the others still run.
std::vector<WhatIfOutcome> scoreBackgroundWhatIf(Engine& engine, PreparedImage& prepared,
                                                 const ScoringRequest& base);

}  // namespace zsi
