#include "runtime/device.h"

#include "util/error.h"

#include <torch/cuda.h>

namespace zsi {

c10::Device resolveDevice(const std::string& name) {
    const bool cuda = torch::cuda::is_available();
    if (name == "auto") return cuda ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
    c10::Device d(c10::kCPU);
    try {
        d = c10::Device(name);
    } catch (const c10::Error&) {
        throw Error(ErrorCode::InvalidArgument,
                    "unknown device '" + name + "' (expected cpu, cuda, cuda:N or auto)",
                    {{"name", "device"}, {"reason", "unknown device '" + name + "'"}});
    }
    if (d.is_cuda()) {
        if (!cuda)
            throw Error(ErrorCode::InvalidArgument,
                        "CUDA was requested but is not available (this LibTorch has no CUDA or "
                        "there is no CUDA device)",
                        {{"name", "device"}, {"reason", "no CUDA device"}});
        if (!d.has_index()) d.set_index(0);
        if (d.index() >= static_cast<int>(torch::cuda::device_count()))
            throw Error(ErrorCode::InvalidArgument,
                        "there is no CUDA device " + std::to_string(d.index()),
                        {{"name", "device"}, {"reason", "no CUDA device " + name}});
        return d;
    }
    if (!d.is_cpu())
        throw Error(ErrorCode::InvalidArgument,
                    "unsupported device '" + name + "' (expected cpu, cuda, cuda:N or auto)",
                    {{"name", "device"}, {"reason", "unsupported device '" + name + "'"}});
    return d;
}

}  // namespace zsi
