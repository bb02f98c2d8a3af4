#pragma once
// What `zsi model-info` shows, computed inside core so the CLI stays torch-free: the
// architecture summary, parameter counts, every parameter/buffer with its shape, and a
// per-stage forward timing on a random image.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace zsi::io {

class ModelInspector {
public:
    // A bundle (weights as trained) or a config (random weights). Throw zsi::Error.
    static ModelInspector fromBundle(const std::filesystem::path& folder);
    static ModelInspector fromConfig(const std::filesystem::path& configJson);

    // Multi-line summary (architecture, parameters per module; classes and provenance for
    // bundles).
    std::string summary() const;
    // "name (d0, d1, ...)" per parameter and buffer, in module order.
    std::vector<std::string> keys() const;
    // Times each stage on a random h x w image (mean of `repeat` runs after a warm-up).
    // Throws Error(InvalidArgument) for sizes out of range.
    std::string timeForward(int h, int w, int repeat) const;

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace zsi::io
