#include "checkpoint/input_file.h"

#include "util/error.h"

#include <algorithm>

namespace zsi::checkpoint {

namespace fs = std::filesystem;

InputFile::InputFile(const fs::path& path) : path_(path) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(ErrorCode::FileNotFound, "file not found: " + path.string(),
                    {{"path", path.string()}});
    if (fs::is_directory(path, ec))
        throw Error(ErrorCode::FileUnreadable, path.string() + " is a folder, not a file",
                    {{"path", path.string()}, {"reason", "is a folder"}});
    in_.open(path, std::ios::binary);
    if (!in_)
        throw Error(ErrorCode::FileUnreadable, "cannot open " + path.string(),
                    {{"path", path.string()}, {"reason", "cannot open"}});
    in_.seekg(0, std::ios::end);
    const auto end = in_.tellg();
    if (end < 0)
        throw Error(ErrorCode::FileUnreadable, "cannot read " + path.string(),
                    {{"path", path.string()}, {"reason", "cannot seek"}});
    size_ = static_cast<std::uint64_t>(end);
}

void InputFile::readAt(std::uint64_t offset, void* out, std::uint64_t n) {
    if (offset > size_ || n > size_ - offset) {
        const std::string at = std::to_string(size_);
        throw Error(ErrorCode::CheckpointInvalid,
                    path_.string() + ": truncated at byte " + at + " (needs bytes up to " +
                        std::to_string(offset + n) + ")",
                    {{"path", path_.string()}, {"reason", "truncated at byte " + at}});
    }
    if (n == 0) return;
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(static_cast<char*>(out), static_cast<std::streamsize>(n));
    if (static_cast<std::uint64_t>(in_.gcount()) != n)
        throw Error(ErrorCode::FileUnreadable, "read error in " + path_.string(),
                    {{"path", path_.string()}, {"reason", "read failed"}});
}

std::string InputFile::readString(std::uint64_t offset, std::uint64_t n) {
    if (offset > size_ || n > size_ - offset) readAt(offset, nullptr, n);  // throws
    std::string s(n, '\0');
    readAt(offset, s.data(), n);
    return s;
}

std::size_t FileSectionSource::read(char* out, std::size_t n) {
    const std::uint64_t k =
        std::min<std::uint64_t>({n, end_ - pos_, file_.size() > pos_ ? file_.size() - pos_ : 0});
    file_.readAt(pos_, out, k);
    pos_ += k;
    return static_cast<std::size_t>(k);
}

}  // namespace zsi::checkpoint
