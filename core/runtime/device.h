#pragma once
// The one parser of device names (engine, trainer, CLI, preferences).
#include <c10/core/Device.h>

#include <string>

namespace zsi {

// "cpu", "cuda", "cuda:N" or "auto" (the first CUDA device when LibTorch has CUDA and a device
// is present, else the CPU). Throws Error(InvalidArgument, name "device") for other names and
// for CUDA when no CUDA device is available.
c10::Device resolveDevice(const std::string& name);

}  // namespace zsi
