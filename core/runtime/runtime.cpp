#include "runtime/runtime.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace zsi {

void setTorchThreads(int threads) {
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
}

bool tuneAllocator() {
#if defined(__GLIBC__)
    static const bool tuned = [] {
        if (const char* off = std::getenv("ZSI_NO_MALLOC_TUNING"); off && *off) return false;
        // glibc serves every allocation above 32 MB with a fresh mmap and returns it on free,
        // so each large tensor of every forward pass page-faults its memory in again (on the
        // project's VMs that was 3/4 of a ResNet-50-FPN forward). Keep freed memory in the
        // heap for reuse instead: no mmap, no trimming.
        mallopt(M_MMAP_MAX, 0);
        mallopt(M_TRIM_THRESHOLD, 1 << 30);
        mallopt(M_TOP_PAD, 256 << 20);
        return true;
    }();
    return tuned;
#else
    return false;
#endif
}

void initTorchThreads(int threads) {
    tuneAllocator();
    setTorchThreads(threads);
    // Inter-op threads can only be set once, before any inter-op work starts.
    static bool interopSet = false;
    if (!interopSet) {
        interopSet = true;
        try {
            at::set_num_interop_threads(1);
        } catch (...) {
            // Already started by someone else: harmless.
        }
    }
}

RuntimeInfo runtimeInfo() {
    RuntimeInfo info;
    info.torchVersion = TORCH_VERSION;
    info.intraOpThreads = at::get_num_threads();
    info.allocatorTuned = tuneAllocator();
    info.cudaAvailable = torch::cuda::is_available();
    info.cudaDevices = info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
    return info;
}

}  // namespace zsi
