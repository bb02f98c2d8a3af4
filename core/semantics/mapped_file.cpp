#include "semantics/mapped_file_p.h"

#include "util/error.h"

#include <cerrno>
#include <cstring>

#if defined(_WIN32)
#include <fstream>
#else
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace zsi::semantics {

MappedFile::MappedFile(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw Error(ErrorCode::FileNotFound, "File not found: " + path.string(),
                    {{"path", path.string()}});
#if defined(_WIN32)
    // Windows: a plain read into one buffer (the readers only need contiguous bytes; mapping
    // would need CreateFileMapping and gains little for files read once front to back).
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error(ErrorCode::FileUnreadable,
                    "Cannot read " + path.string() + ": not a regular file",
                    {{"path", path.string()}, {"reason", "not a regular file"}});
    size_ = static_cast<std::size_t>(std::filesystem::file_size(path, ec));
    std::ifstream in(path, std::ios::binary);
    copy_ = std::make_unique<char[]>(size_ + 1);
    if (ec || !in || !in.read(copy_.get(), static_cast<std::streamsize>(size_)))
        throw Error(ErrorCode::FileUnreadable, "Cannot read " + path.string() + ": read failed",
                    {{"path", path.string()}, {"reason", "read failed"}});
    data_ = copy_.get();
#else
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    auto unreadable = [&](const std::string& reason) {
        return Error(ErrorCode::FileUnreadable, "Cannot read " + path.string() + ": " + reason,
                     {{"path", path.string()}, {"reason", reason}});
    };
    if (fd < 0) throw unreadable(std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw unreadable("not a regular file");
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
        void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            const std::string reason = std::strerror(errno);
            ::close(fd);
            throw unreadable(reason);
        }
        ::madvise(p, size_, MADV_SEQUENTIAL);
        data_ = static_cast<const char*>(p);
    }
    ::close(fd);  // the mapping stays valid
#endif
}

MappedFile::~MappedFile() {
#if !defined(_WIN32)
    if (data_) ::munmap(const_cast<char*>(data_), size_);
#endif
}

}  // namespace zsi::semantics
