#pragma once
// The reference method's matrix files: D lines of comma-separated floats, one column per
// entry (class vectors: column 0 the background; the VOC file: one column per tag word).
// Torch-free.
#include "semantics/embedding.h"

#include <cstddef>
#include <filesystem>
#include <vector>

namespace zsi::semantics {

struct ColumnMatrix {
    std::size_t rows = 0;       // D
    std::size_t columns = 0;    // C
    std::vector<float> values;  // row-major D x C, as in the file

    // Column c as D floats.
    std::vector<float> column(std::size_t c) const {
        std::vector<float> out(rows);
        for (std::size_t d = 0; d < rows; ++d) out[d] = values[d * columns + c];
        return out;
    }
};

// Throws Error(VectorFileMalformed, path/line/reason) for a non-number, a non-finite value or
// a ragged line, Error(FileNotFound) for a missing file; honours options.progress/cancel.
ColumnMatrix readColumnMatrix(const std::filesystem::path& path, const LoadOptions& options = {});

}  // namespace zsi::semantics
