#pragma once
// A tiny random-weight engine (D = 6, three seen classes, 96 px) built in process, for the
// engine and batch-export suites. Deterministic (fixed seed).
#include "engine/engine_access.h"
#include "model/batch_norm_support.h"
#include "model/tiny_model.h"

#include <torch/torch.h>

#include <memory>
#include <vector>

namespace zsi::test {

inline ModelConfig tinyEngineConfig() {
    ModelConfig c = test::tinyConfig();
    c.rpn.test = {200, 0.7, 100, 100, 0.0};
    c.preprocess.maxLongSide = 96;
    c.preprocess.maxShortSide = 96;
    c.inference.scoring = ScoringRule::Reference;
    c.inference.scoreThreshold = 0.0;
    c.inference.maxDetections = 20;
    return c;
}

// A D-vector with 1 at i % D and 0.1 elsewhere.
inline std::vector<float> basis(int i, int D) {
    std::vector<float> v(size_t(D), 0.1f);
    v[size_t(i % D)] = 1.0f;
    return v;
}

// frozenBn: a frozen-BatchNorm backbone with trained-looking statistics (as the published
// models have), to compare the engine's folded inference copy with the unfolded model.
inline std::unique_ptr<Engine> tinyEngine(bool frozenBn = false, bool foldBatchNorm = true,
                                          EngineOptions options = EngineOptions{"cpu"}) {
    torch::manual_seed(3);
    ModelConfig cfg = tinyEngineConfig();
    if (frozenBn) {
        cfg.backbone.norm = NormKind::FrozenBatchNorm;
        cfg.backbone.frozenStages = 1;
    }
    model::ZsiDetector det(cfg);
    if (frozenBn) randomiseBatchNormStatistics(*det->backbone);
    const int D = cfg.semanticDim;
    at::Tensor seen = at::zeros({D, cfg.numSeen});
    for (int c = 0; c < cfg.numSeen; ++c) seen.select(1, c).copy_(at::tensor(basis(c, D)));
    det->setSeenClassVectors(seen, seen.mean(1), /*initRpnBackground=*/true);
    ModelSummary summary;
    summary.name = "tiny";
    summary.weightsSha256 = "0123";
    summary.seenClasses = {"red circle", "green square", "blue star"};
    options.foldBatchNorm = foldBatchNorm;
    return EngineAccess::make(det, summary, options);
}

}  // namespace zsi::test
