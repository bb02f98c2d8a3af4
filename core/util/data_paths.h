#pragma once
// Where programs find their data (the demo bundle, vectors, images, split):
//   1. an explicit directory (--data-dir),
//   2. the ZSI_DATA_DIR environment variable,
//   3. the installed share folder next to the executable (../share/zsi-studio),
//   4. the source tree's resources/ (only for programs run from the build tree).
// The directory returned holds demo/ (model/, vectors/, images/, split.json).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace zsi {

struct DataDirCandidate {
    std::filesystem::path path;
    std::string origin;  // "--data-dir", "ZSI_DATA_DIR", "install", "source tree"
};

// The candidates in lookup order (missing ones included), for diagnostics.
std::vector<DataDirCandidate> dataDirCandidates(
    const std::optional<std::filesystem::path>& explicitDir,
    const std::filesystem::path& executableDir);

// The first candidate that exists; an explicit directory that does not exist is an error
// (a typo must not silently fall back to the demo).
std::filesystem::path findDataDir(const std::optional<std::filesystem::path>& explicitDir,
                                  const std::filesystem::path& executableDir);

// Convenience paths inside a data dir.
std::filesystem::path demoDir(const std::filesystem::path& dataDir);

// The directory of the running executable (argv[0] fallback when /proc is unavailable).
std::filesystem::path executableDir(const char* argv0);

}  // namespace zsi
