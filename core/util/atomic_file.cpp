#include "util/atomic_file.h"

#include "util/error.h"
#include "util/random.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <unistd.h>
#endif

namespace fs = std::filesystem;

namespace zsi {
namespace {

fs::path tempNameFor(const fs::path& target) {
    static Rng rng(static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".tmp-%08x", rng.nextU32());
    return target.parent_path() / (target.filename().string() + suffix);
}

[[noreturn]] void fail(const fs::path& target, const std::string& reason) {
    throw Error(ErrorCode::FileWriteFailed, "cannot write " + target.string() + ": " + reason,
                {{"path", target.string()}, {"reason", reason}});
}

void syncFile(const fs::path& p) {
#if defined(__unix__) || defined(__APPLE__)
    int fd = ::open(p.c_str(), O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
#else
    (void)p;
#endif
}

void commit(const fs::path& tmp, const fs::path& target) {
    syncFile(tmp);
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        fail(target, ec.message());
    }
}

}  // namespace

void writeFileAtomic(const fs::path& target, const std::function<void(std::ostream&)>& writer) {
    std::error_code ec;
    if (target.has_parent_path() && !fs::exists(target.parent_path(), ec))
        fs::create_directories(target.parent_path(), ec);
    const fs::path tmp = tempNameFor(target);
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) fail(target, std::strerror(errno));
        try {
            writer(out);
        } catch (...) {
            out.close();
            fs::remove(tmp, ec);
            throw;
        }
        out.flush();
        if (!out) {
            const std::string reason = errno ? std::strerror(errno) : "write error";
            out.close();
            fs::remove(tmp, ec);
            fail(target, reason);
        }
        out.close();
        if (out.fail()) {
            fs::remove(tmp, ec);
            fail(target, "close failed");
        }
    }
    commit(tmp, target);
}

void writeFileAtomic(const fs::path& target, std::string_view bytes) {
    writeFileAtomic(target, [&](std::ostream& out) {
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    });
}

std::string readFileBytes(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(ErrorCode::FileNotFound, "file not found: " + path.string(), {{"path", path.string()}});
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::FileUnreadable, "cannot open " + path.string(),
                    {{"path", path.string()}, {"reason", std::strerror(errno)}});
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        throw Error(ErrorCode::FileUnreadable, "read error in " + path.string(),
                    {{"path", path.string()}, {"reason", "read error"}});
    return std::move(ss).str();
}

}  // namespace zsi
