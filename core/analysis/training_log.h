#pragma once
// The V_b series of a training log ("how it was learned"). The trainer writes one
// JSON object per iteration to <bundle>.training/log.jsonl and copies it into the bundle as
// train_log.jsonl; every `backgroundEvery` iterations the line also holds "vb" (V_b),
// "vb_cos_initial" and "vb_norm" (core/train/trainer.h).
#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zsi::analysis {

struct BackgroundSample {
    int iteration = 0;
    std::vector<float> vb;
    double cosInitial = 0;  // "vb_cos_initial", else computed when an initial vector is known
    bool hasCosInitial = false;
    double norm = 0;
};

struct TrainingLog {
    std::vector<BackgroundSample> background;  // sorted by iteration, one per iteration
    int lastIteration = 0;                     // the last iteration logged (with or without V_b)
    int lines = 0;                             // JSON lines read
    int skipped = 0;                           // cut-off lines skipped
    bool tornTail = false;  // the last line was cut off (a writer mid-line) and skipped
};

// Parses log text. Blank lines and lines without "vb" are fine; cut-off lines (not JSON) are
// skipped and counted. Throws Error(JsonMalformed) naming `source` and the line when the
// first line or every line is not JSON, Error(JsonSchema) for a JSON line that is not an
// object with an integer "iteration" or whose "vb" is not a vector. A resumed run may
// log an iteration twice: the later line wins.
TrainingLog parseTrainingLog(std::string_view text, const std::string& source = "training log");
// Reads a file; throws Error(FileNotFound / FileUnreadable) and the errors above.
TrainingLog readTrainingLog(const std::filesystem::path& path);

// The log of a bundle: <bundle>/train_log.jsonl (the one matching the bundle's weights), else
// <bundle>.training/log.jsonl; nullopt when neither exists.
std::optional<std::filesystem::path> findTrainingLog(const std::filesystem::path& bundleDir);

struct BackgroundSeriesPoint {
    int iteration = 0;
    double cosInitial = 0;
    double norm = 0;
    int nearestClass = -1;  // row of the class matrix, -1 without classes
    std::string nearestName;
    double nearestCos = 0;
};

// Per logged V_b: its cosine to the initial vector (from the log, else computed against
// `initial` when given), its norm and its nearest class among `classVectors` (N x D rows named
// by `classNames`). Samples whose size is not `dim` throw Error(DimensionMismatch).
std::vector<BackgroundSeriesPoint> backgroundSeries(const TrainingLog& log, int dim,
                                                    const std::vector<std::string>& classNames,
                                                    const std::vector<float>& classVectors,
                                                    const std::vector<float>& initial = {});

void to_json(nlohmann::json& j, const BackgroundSeriesPoint& p);

}  // namespace zsi::analysis
