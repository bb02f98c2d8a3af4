#pragma once
// BatchNorm helpers for the folding tests (tests/model and tests/engine): statistics as a
// trained frozen-BN model has them, and how many BatchNorms a module still holds.
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/utils.h>

namespace zsi::test {

inline void randomiseBatchNormStatistics(torch::nn::Module& module) {
    torch::NoGradGuard g;
    for (const auto& mod : module.modules(false))
        if (auto* bn = mod->as<torch::nn::BatchNorm2d>()) {
            bn->running_mean.normal_(0, 0.5);
            bn->running_var.uniform_(0.5, 2.0);
            bn->weight.uniform_(0.5, 1.5);
            bn->bias.normal_(0, 0.2);
        }
}

inline int countBatchNorms(const torch::nn::Module& module) {
    int n = 0;
    for (const auto& mod : module.modules(false)) n += mod->as<torch::nn::BatchNorm2d>() != nullptr;
    return n;
}

}  // namespace zsi::test
