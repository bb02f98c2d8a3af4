#pragma once
// Writes a checkpoint in torch.save's legacy format (what torch < 1.6 writes and every torch
// since reads), laid out as mmcv's save_checkpoint does: {"meta": {...}, "state_dict":
// OrderedDict(name -> tensor)}. The reference ZSI code runs on torch 1.1-1.4, which cannot
// read the zip format; this file loads there and in any later torch.
//
// Tensors are streamed one by one into a temporary file that is renamed over the target, so
// a failed write (full disk) leaves the previous file intact. Torch-free, Qt-free.
#include "checkpoint/torch_file.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace zsi::checkpoint {

struct TensorToWrite {
    std::string name;
    ElementType type = ElementType::Float32;  // Float32 or Int64
    std::vector<std::int64_t> sizes;
    const void* data = nullptr;  // numel elements, row-major, contiguous
};

// `meta` becomes a Python dict (objects -> dict, arrays -> list, strings -> str, numbers ->
// int/float, booleans, null -> None); an empty/null meta is left out of the file.
// bareStateDict writes the OrderedDict alone as the top-level object (what torch.save(
// model.state_dict()) gives; meta is then ignored).
// progress(done, total) counts tensor bytes. Throws Error(FileWriteFailed).
void writeLegacyCheckpoint(const std::filesystem::path& path,
                           const std::vector<TensorToWrite>& stateDict, const nlohmann::json& meta,
                           const std::function<void(std::uint64_t, std::uint64_t)>& progress = {},
                           bool bareStateDict = false);

}  // namespace zsi::checkpoint
