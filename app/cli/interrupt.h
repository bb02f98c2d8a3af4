#pragma once
// Ctrl-C for long commands (train, export): the first SIGINT raises a flag the job polls
// (it then saves its state and stops cleanly), a second one kills the process as usual.
#include <atomic>

namespace zsi::cli {

class StopOnInterrupt {
public:
    // `message` is printed (async-signal-safely) when Ctrl-C arrives; keep it static.
    explicit StopOnInterrupt(const char* message);
    ~StopOnInterrupt();
    StopOnInterrupt(const StopOnInterrupt&) = delete;
    StopOnInterrupt& operator=(const StopOnInterrupt&) = delete;

    const std::atomic<bool>* flag() const;
    bool raised() const;
};

}  // namespace zsi::cli
