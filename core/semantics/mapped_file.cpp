#include "semantics/mapped_file.h"

#include "util/error.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace zsi::semantics {

MappedFile::MappedFile(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw Error(ErrorCode::FileNotFound, "File not found: " + path.string(),
                    {{"path", path.string()}});
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
}

MappedFile::~MappedFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace zsi::semantics
