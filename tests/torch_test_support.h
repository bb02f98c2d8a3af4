#pragma once
// Helpers for tests of torch code (core/model, core/train, ...).
#include <ATen/ATen.h>

#include <initializer_list>
#include <vector>

namespace zsi::test {

// A 2-D float tensor written row by row: t2({{1, 2}, {3, 4}}).
inline at::Tensor t2(std::initializer_list<std::initializer_list<float>> rows) {
    std::vector<float> v;
    int64_t r = 0, c = 0;
    for (const auto& row : rows) {
        c = static_cast<int64_t>(row.size());
        v.insert(v.end(), row.begin(), row.end());
        ++r;
    }
    return at::tensor(v).view({r, c});
}

}  // namespace zsi::test
