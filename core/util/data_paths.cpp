#include "util/data_paths.h"

#include "util/error.h"

#include <cstdlib>
#include <system_error>

#ifndef ZSI_SOURCE_RESOURCES_DIR
#define ZSI_SOURCE_RESOURCES_DIR ""
#endif

namespace fs = std::filesystem;

namespace zsi {

std::vector<DataDirCandidate> dataDirCandidates(const std::optional<fs::path>& explicitDir,
                                                const fs::path& exeDir) {
    std::vector<DataDirCandidate> out;
    if (explicitDir) out.push_back({*explicitDir, "--data-dir"});
    if (const char* env = std::getenv("ZSI_DATA_DIR"); env && *env)
        out.push_back({fs::path(env), "ZSI_DATA_DIR"});
    if (!exeDir.empty()) out.push_back({exeDir / ".." / "share" / "zsi-studio", "install"});
    if (std::string(ZSI_SOURCE_RESOURCES_DIR).size())
        out.push_back({fs::path(ZSI_SOURCE_RESOURCES_DIR), "source tree"});
    return out;
}

fs::path findDataDir(const std::optional<fs::path>& explicitDir, const fs::path& exeDir) {
    std::error_code ec;
    if (explicitDir && !fs::is_directory(*explicitDir, ec))
        throw Error(ErrorCode::FileNotFound,
                    "data directory does not exist: " + explicitDir->string(),
                    {{"path", explicitDir->string()}});
    for (const auto& c : dataDirCandidates(explicitDir, exeDir)) {
        if (fs::is_directory(c.path / "demo", ec) || (c.origin != "install" && fs::is_directory(c.path, ec)))
            return fs::weakly_canonical(c.path, ec);
    }
    throw Error(ErrorCode::FileNotFound,
                "no data directory found (use --data-dir or set ZSI_DATA_DIR)", {{"path", ""}});
}

fs::path demoDir(const fs::path& dataDir) { return dataDir / "demo"; }

fs::path executableDir(const char* argv0) {
    std::error_code ec;
#if defined(__linux__)
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec && !self.empty()) return self.parent_path();
#endif
    if (argv0 && *argv0) {
        fs::path p = fs::absolute(fs::path(argv0), ec);
        if (!ec) return p.parent_path();
    }
    return fs::current_path(ec);
}

}  // namespace zsi
