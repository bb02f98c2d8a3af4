#include "util/data_paths.h"

#include "util/error.h"

#include <cstdlib>
#include <system_error>

#if defined(_WIN32)
#include <iterator>
#define WIN32_LEAN_AND_MEAN
#define NOMINMAX
#include <windows.h>
#elif defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

#ifndef ZSI_SOURCE_RESOURCES_DIR
#define ZSI_SOURCE_RESOURCES_DIR ""
#endif
#ifndef ZSI_BUILD_DIR
#define ZSI_BUILD_DIR ""
#endif

namespace fs = std::filesystem;

namespace zsi {

namespace {

// A program inside the build tree (or a library caller that names no executable) may use the
// source tree's resources; an installed copy must not depend on where it was built.
bool runsFromBuildTree(const fs::path& exeDir) {
    if (exeDir.empty()) return true;
    const std::string build = ZSI_BUILD_DIR;
    if (build.empty()) return false;
    std::error_code ec;
    const fs::path exe = fs::weakly_canonical(exeDir, ec);
    const fs::path tree = fs::weakly_canonical(fs::path(build), ec);
    const auto rel = exe.lexically_relative(tree);
    return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

std::vector<DataDirCandidate> dataDirCandidates(const std::optional<fs::path>& explicitDir,
                                                const fs::path& exeDir) {
    std::vector<DataDirCandidate> out;
    if (explicitDir) out.push_back({*explicitDir, "--data-dir"});
    if (const char* env = std::getenv("ZSI_DATA_DIR"); env && *env)
        out.push_back({fs::path(env), "ZSI_DATA_DIR"});
    if (!exeDir.empty()) {
        out.push_back({exeDir / ".." / "share" / "zsi-studio", "install"});
#if defined(__APPLE__)
        // Inside "ZSI Studio.app": Contents/MacOS/<exe> and Contents/Resources/zsi-studio.
        out.push_back({exeDir / ".." / "Resources" / "zsi-studio", "install"});
#endif
    }
    if (std::string(ZSI_SOURCE_RESOURCES_DIR).size() && runsFromBuildTree(exeDir))
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
        if (fs::is_directory(c.path / "demo", ec) ||
            (c.origin != "install" && fs::is_directory(c.path, ec)))
            return fs::weakly_canonical(c.path, ec);
    }
    throw Error(ErrorCode::FileNotFound,
                "no data directory found (use --data-dir or set ZSI_DATA_DIR)", {{"path", ""}});
}

fs::path demoDir(const fs::path& dataDir) {
    return dataDir / "demo";
}

fs::path executableDir(const char* argv0) {
    std::error_code ec;
#if defined(__linux__)
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec && !self.empty()) return self.parent_path();
#elif defined(_WIN32)
    wchar_t buf[32768];
    const DWORD n = ::GetModuleFileNameW(nullptr, buf, DWORD(std::size(buf)));
    if (n > 0 && n < std::size(buf)) return fs::path(std::wstring(buf, n)).parent_path();
#elif defined(__APPLE__)
    char buf[4096];
    uint32_t size = sizeof buf;
    if (::_NSGetExecutablePath(buf, &size) == 0) {
        fs::path self = fs::weakly_canonical(fs::path(buf), ec);
        if (!ec) return self.parent_path();
    }
#endif
    if (argv0 && *argv0) {
        fs::path p = fs::absolute(fs::path(argv0), ec);
        if (!ec) return p.parent_path();
    }
    return fs::current_path(ec);
}

}  // namespace zsi
