#include "util/vector_math.h"

#include <cmath>

namespace zsi {

double dot(const float* a, const float* b, int n) {
    double s = 0;
    for (int i = 0; i < n; ++i) s += static_cast<double>(a[i]) * b[i];
    return s;
}

double l2Norm(const float* a, int n) {
    return std::sqrt(dot(a, a, n));
}

double cosine(const float* a, const float* b, int n) {
    const double na = l2Norm(a, n), nb = l2Norm(b, n);
    return na > 0 && nb > 0 ? dot(a, b, n) / (na * nb) : 0.0;
}

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() ? cosine(a.data(), b.data(), static_cast<int>(a.size())) : 0.0;
}

}  // namespace zsi
