#pragma once
// Option names shared by every command, so --model, --split, --unseen... mean the same
// thing everywhere.
#include "command_registry.h"

#include <filesystem>
#include <optional>
#include <string>

namespace zsi::cli {

// The data directory chosen by --data-dir / ZSI_DATA_DIR / install / source tree.
std::filesystem::path resolveDataDir(const GlobalOptions& global);

// Prints "error: <message>" to stderr; returns the exit code for errors (1).
int reportError(const std::exception& e);

}  // namespace zsi::cli
