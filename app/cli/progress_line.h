#pragma once
// A progress display for long CLI jobs: a redrawn bar with rate and ETA on a terminal, plain
// lines (every `plainEverySeconds`) when stderr is a file or a pipe (CI logs, Slurm).
#include <chrono>
#include <cstddef>
#include <string>

namespace zsi::cli {

// "1:02:03" or "4:05".
std::string formatDuration(double seconds);

class ProgressLine {
public:
    explicit ProgressLine(std::string unit, double plainEverySeconds = 10.0);
    // done/total, rate in units per second, eta in seconds (< 0 unknown), extra text.
    void update(size_t done, size_t total, double rate, double eta, const std::string& extra = {});
    // Ends the bar's line on a terminal.
    void finish();

private:
    std::string unit_;
    double plainEvery_;
    bool tty_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point lastPlain_{};
    std::chrono::steady_clock::time_point lastDraw_{};
};

}  // namespace zsi::cli
