#pragma once
// LibTorch process settings behind a torch-free header (the app and widgets include this).
#include <string>

namespace zsi {

struct RuntimeInfo {
    std::string torchVersion;
    int intraOpThreads = 0;
    bool cudaAvailable = false;
    int cudaDevices = 0;
};

// Debian's LibTorch starts with one intra-op thread (about 8x slower); every program calls
// this at start-up. threads <= 0 means "all cores" (std::thread::hardware_concurrency).
void initTorchThreads(int threads = 0);

// Current intra-op thread count; changing it later (e.g. the GUI leaving one core free) is fine.
void setTorchThreads(int threads);

RuntimeInfo runtimeInfo();

}  // namespace zsi
