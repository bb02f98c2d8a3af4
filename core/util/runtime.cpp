#include "util/runtime.h"

#include <ATen/Parallel.h>
#include <ATen/Context.h>
#include <torch/version.h>
#include <torch/cuda.h>

#include <algorithm>
#include <thread>

namespace zsi {

void setTorchThreads(int threads) {
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
}

void initTorchThreads(int threads) {
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
    info.cudaAvailable = torch::cuda::is_available();
    info.cudaDevices = info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
    return info;
}

}  // namespace zsi
