#pragma once
// The declared way past the Engine facade, for core code, the engine's tests and the
// benchmarks: build an engine around a detector in memory, reach its network. Includes torch,
// so the app and widgets cannot use it (the layering test checks).
#include "engine/engine.h"
#include "model/detector.h"

#include <memory>

namespace zsi {

struct EngineAccess {
    // An engine around an existing detector (the bundle loader; tests without a bundle).
    // Throws Error(InvalidArgument) for an unknown or unavailable device.
    static std::unique_ptr<Engine> make(model::ZsiDetector detector, ModelSummary summary,
                                        const EngineOptions& options = {});
    static model::ZsiDetector& detector(Engine& engine);
};

}  // namespace zsi
