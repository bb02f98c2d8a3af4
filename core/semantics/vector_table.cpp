#include "semantics/vector_table_p.h"

#include <algorithm>

namespace zsi::semantics {

void VectorTable::growRows(std::size_t rows) {
    if (rows <= rowsCapacity_) return;
    const std::size_t d = static_cast<std::size_t>(dim_);
    std::unique_ptr<float[]> bigger(new float[rows * d]);
    // append() counts the new row before growing: copy only the rows that exist.
    if (data_)
        std::copy(data_.get(), data_.get() + std::min(size(), rowsCapacity_) * d, bigger.get());
    data_ = std::move(bigger);
    rowsCapacity_ = rows;
}

void VectorTable::reserve(std::size_t rows, std::size_t arenaBytes) {
    growRows(rows);
    offsets_.reserve(rows + 1);
    arena_.reserve(arenaBytes);
}

float* VectorTable::append(std::string_view word) {
    if (offsets_.empty()) offsets_.push_back(0);
    arena_.insert(arena_.end(), word.begin(), word.end());
    offsets_.push_back(arena_.size());
    const std::size_t n = size();
    if (n > rowsCapacity_) growRows(std::max<std::size_t>(n, rowsCapacity_ * 2));
    return row(n - 1);
}

void VectorTable::popBack() {
    if (size() == 0) return;
    offsets_.pop_back();
    arena_.resize(offsets_.back());
}

void VectorTable::finish() {
    if (rowsCapacity_ > size() + size() / 8) {  // give back a poor size estimate
        rowsCapacity_ = 0;
        std::unique_ptr<float[]> old = std::move(data_);
        const std::size_t n = size();
        growRows(n);
        std::copy(old.get(), old.get() + n * static_cast<std::size_t>(dim_), data_.get());
    }
    arena_.shrink_to_fit();  // the index's string_views point into the final arena
    index_.clear();
    index_.reserve(size());
    for (std::size_t i = 0; i < size(); ++i) index_.emplace(word(i), static_cast<std::uint32_t>(i));
}

std::int64_t VectorTable::find(std::string_view w) const {
    auto it = index_.find(w);
    return it == index_.end() ? -1 : static_cast<std::int64_t>(it->second);
}

}  // namespace zsi::semantics
