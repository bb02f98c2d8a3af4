#include "interrupt.h"

#include <unistd.h>
#include <csignal>
#include <cstring>

namespace zsi::cli {
namespace {

std::atomic<bool> g_raised{false};
const char* g_message = "";

extern "C" void onInterrupt(int) {
    g_raised = true;
    [[maybe_unused]] const auto n = ::write(2, g_message, std::strlen(g_message));
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
