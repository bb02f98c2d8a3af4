#include "interrupt.h"

#include <csignal>
#if defined(_WIN32)
#include <io.h>
#define ZSI_WRITE_STDERR(p, n) ::_write(2, p, static_cast<unsigned>(n))
#else
#include <unistd.h>
#define ZSI_WRITE_STDERR(p, n) ::write(2, p, n)
#endif
#include <cstring>

namespace zsi::cli {
namespace {

std::atomic<bool> g_raised{false};
const char* g_message = "";

extern "C" void onInterrupt(int) {
    g_raised = true;
    [[maybe_unused]] const auto n = ZSI_WRITE_STDERR(g_message, std::strlen(g_message));
    std::signal(SIGINT, SIG_DFL);  // the second Ctrl-C ends the process
}

}  // namespace

StopOnInterrupt::StopOnInterrupt(const char* message) {
    g_message = message;
    g_raised = false;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

StopOnInterrupt::~StopOnInterrupt() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

const std::atomic<bool>* StopOnInterrupt::flag() const {
    return &g_raised;
}
bool StopOnInterrupt::raised() const {
    return g_raised;
}

}  // namespace zsi::cli
