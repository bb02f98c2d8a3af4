#pragma once
// Private to core/semantics: not API.
// The storage shared by the in-memory back-ends: one float block (rows of dim floats), the
// words in one character arena, and a hash index. No per-word allocations, so a 2M-word
// file costs its floats plus a few bytes per word.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace zsi::semantics {

class VectorTable {
public:
    explicit VectorTable(int dim = 0) : dim_(dim) {}
    // The index points into the arena: copying would leave it dangling, moving keeps the
    // vector's buffer (std::vector, unlike std::string, has no small-buffer storage).
    VectorTable(const VectorTable&) = delete;
    VectorTable& operator=(const VectorTable&) = delete;
    VectorTable(VectorTable&&) = default;
    VectorTable& operator=(VectorTable&&) = default;

    int dim() const { return dim_; }
    void setDim(int dim) { dim_ = dim; }
    std::size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
    void reserve(std::size_t rows, std::size_t arenaBytes);
    void growRows(std::size_t rows);

    // Appends a row; returns a pointer to its dim() floats, to be filled by the caller.
    float* append(std::string_view word);
    // Drops the last row (a malformed or duplicate entry).
    void popBack();
    // Builds the word index; the first occurrence of a duplicated word wins. Call once,
    // after the last append.
    void finish();

    std::string_view word(std::size_t i) const {
        return std::string_view(arena_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
    }
    const float* row(std::size_t i) const {
        return data_.get() + i * static_cast<std::size_t>(dim_);
    }
    float* row(std::size_t i) { return data_.get() + i * static_cast<std::size_t>(dim_); }
    // -1 when absent.
    std::int64_t find(std::string_view word) const;

private:
    int dim_;
    // Rows are written once by the parser: an uninitialised block (std::vector would
    // zero-fill every float first, 15% of the reading time).
    std::unique_ptr<float[]> data_;
    std::size_t rowsCapacity_ = 0;
    std::vector<char> arena_;
    std::vector<std::uint64_t> offsets_;
    std::unordered_map<std::string_view, std::uint32_t> index_;
};

}  // namespace zsi::semantics
