#pragma once
// Dot products, norms and cosines of float vectors (word vectors, V_b), accumulated in
// double: 300-d sums then stay exact to float precision. The one cosine of the project.
#include <vector>

namespace zsi {

double dot(const float* a, const float* b, int n);
double l2Norm(const float* a, int n);
double cosine(const float* a, const float* b, int n);  // 0 when either vector is zero
// 0 also when the sizes differ.
double cosine(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace zsi
