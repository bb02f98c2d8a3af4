#pragma once
// LibTorch process settings behind a torch-free header (the app and widgets include this).
#include <string>

namespace zsi {

struct RuntimeInfo {
    std::string torchVersion;
    int intraOpThreads = 0;
    bool cudaAvailable = false;
    int cudaDevices = 0;
    bool allocatorTuned = false;
};

// Debian's LibTorch starts with one intra-op thread (about 8x slower); every program calls
// this at start-up. threads <= 0 means "all cores" (std::thread::hardware_concurrency).
void initTorchThreads(int threads = 0);

// Keeps large freed blocks in the heap (glibc): large tensors are then reused instead of
// being page-faulted in on every forward pass; about 4x faster inference on the project's
// machines. The process's memory stays at its peak. Called by initTorchThreads();
// ZSI_NO_MALLOC_TUNING=1 turns it off. Returns whether it is in force.
bool tuneAllocator();

// Current intra-op thread count; changing it later (e.g. the GUI leaving one core free) is fine.
void setTorchThreads(int threads);

RuntimeInfo runtimeInfo();

}  // namespace zsi
