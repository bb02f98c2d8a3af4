#pragma once
// Learning-rate schedule of MMDetection v1: linear warm-up from warmupRatio x lr, then steps
// (lr x gamma^k after the k-th step). Torch-free.
#include <vector>

namespace zsi::train {

struct LrSchedule {
    double baseLr = 0.02;
    int warmupIterations = 500;
    double warmupRatio = 1.0 / 3.0;
    std::vector<int> steps;  // iterations (0-based) from which the next factor applies
    double gamma = 0.1;

    // The learning rate of (0-based) iteration `iteration`.
    double at(int iteration) const;
};

}  // namespace zsi::train
