#pragma once
// Private to core/semantics: not API.
// A read-only memory map of a whole file: the text readers parse straight from the page
// cache, without copying the file into a buffer or allocating a string per token.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string_view>

namespace zsi::semantics {

class MappedFile {
public:
    // Throws Error(FileNotFound / FileUnreadable).
    explicit MappedFile(const std::filesystem::path& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    std::string_view bytes() const { return {data_, size_}; }

private:
    const char* data_ = nullptr;
    std::size_t size_ = 0;
    std::unique_ptr<char[]> copy_;  // Windows: the file's bytes (no mapping there)
};

}  // namespace zsi::semantics
