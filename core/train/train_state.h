#pragma once
// What `<out>.training/state.json` records: the resolved options of a run, so --resume
// continues the same schedule, sampling, data and seed. Torch-free.
#include "train/trainer.h"

#include <nlohmann/json_fwd.hpp>

namespace zsi::train {

// Resolves defaults that depend on others (LR steps from the iteration count).
TrainOptions resolveOptions(TrainOptions options);

nlohmann::json optionsToJson(const TrainOptions& options);
// Fills the recorded fields of `into` (architecture, output folder, logging and device
// stay as given). Throws Error(JsonSchema) naming the field.
void optionsFromJson(const nlohmann::json& j, TrainOptions& into, const std::string& source);

}  // namespace zsi::train
