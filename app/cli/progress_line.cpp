#include "progress_line.h"

#include <cstdio>
#if defined(_WIN32)
#include <io.h>
#define ZSI_ISATTY_STDERR() (::_isatty(::_fileno(stderr)) != 0)
#else
#include <unistd.h>
#define ZSI_ISATTY_STDERR() (::isatty(2) == 1)
#endif

namespace zsi::cli {

std::string formatDuration(double seconds) {
    if (seconds < 0) return "?";
    const long t = static_cast<long>(seconds + 0.5);
    char buf[32];
    if (t >= 3600)
        std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
    else
        std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
    return buf;
}

ProgressLine::ProgressLine(std::string unit, double plainEverySeconds)
    : unit_(std::move(unit)), plainEvery_(plainEverySeconds), tty_(ZSI_ISATTY_STDERR()) {}

void ProgressLine::update(size_t done, size_t total, double rate, double eta,
                          const std::string& extra) {
    const auto now = std::chrono::steady_clock::now();
    const bool last = done >= total;
    if (tty_) {
        // Redrawing more than ~10 times a second only costs time.
        if (!last && drawn_ && now - lastDraw_ < std::chrono::milliseconds(100)) return;
        lastDraw_ = now;
        constexpr int width = 30;
        const int filled = total ? static_cast<int>(width * done / total) : width;
        std::string bar(static_cast<size_t>(filled), '#');
        bar.resize(width, '.');
        std::fprintf(stderr, "\r[%s] %zu/%zu %s  %.2f %s/s  ETA %s  %s\x1b[K", bar.c_str(), done,
                     total, unit_.c_str(), rate, unit_.c_str(), formatDuration(eta).c_str(),
                     extra.c_str());
        drawn_ = true;
    } else {
        if (!last && lastPlain_.time_since_epoch().count() != 0 &&
            std::chrono::duration<double>(now - lastPlain_).count() < plainEvery_)
            return;
        lastPlain_ = now;
        std::fprintf(stderr, "%zu/%zu %s (%.0f%%), %.2f %s/s, ETA %s %s\n", done, total,
                     unit_.c_str(), total ? 100.0 * done / total : 100.0, rate, unit_.c_str(),
                     formatDuration(eta).c_str(), extra.c_str());
    }
    std::fflush(stderr);
}

void ProgressLine::finish() {
    if (tty_ && drawn_) std::fprintf(stderr, "\n");
    drawn_ = false;
}

}  // namespace zsi::cli
