#pragma once
// Random-access reading of a file of any size with plain reads (no memory mapping: a mapped
// 300 MB checkpoint would count fully in the process's resident memory while the tensors are
// built beside it). Every read is checked against the file size. Torch-free, Qt-free.
#include "checkpoint/pickle.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace zsi::checkpoint {

class InputFile {
public:
    // Throws Error(FileNotFound / FileUnreadable).
    explicit InputFile(const std::filesystem::path& path);

    const std::filesystem::path& path() const { return path_; }
    std::uint64_t size() const { return size_; }
    // Reads exactly n bytes at offset; throws Error(CheckpointInvalid, "truncated at byte N")
    // when the file ends first.
    void readAt(std::uint64_t offset, void* out, std::uint64_t n);
    std::string readString(std::uint64_t offset, std::uint64_t n);

private:
    std::filesystem::path path_;
    std::ifstream in_;
    std::uint64_t size_ = 0;
};

// A window [offset, offset + length) of an InputFile as a pickle byte source.
class FileSectionSource : public pickle::ByteSource {
public:
    FileSectionSource(InputFile& file, std::uint64_t offset, std::uint64_t length)
        : file_(file), begin_(offset), end_(offset + length), pos_(offset) {}
    std::size_t read(char* out, std::size_t n) override;
    std::uint64_t position() const override { return pos_; }

private:
    InputFile& file_;
    std::uint64_t begin_, end_, pos_;
};

}  // namespace zsi::checkpoint
