#pragma once
// Private to core/engine: not API. The engine's internals (torch); code outside the module
// (tests, benchmarks) reaches the network through engine/engine_access.h.
#include "engine/engine.h"
#include "engine/engine_access.h"
#include "model/detector.h"

#include <ATen/ATen.h>

#include <map>
#include <mutex>
#include <vector>

namespace zsi {

struct PreparedImage::Impl {
    model::PreparedInput input;
    std::vector<at::Tensor> features;
    model::RpnResult rpn;
    model::BoxSemantics box;
    double prepareMs = 0;
    double resolution = 1.0;
    // Mask encoder features (D, M, M) per proposal, keyed by the proposal index; each entry
    // remembers the box it was computed for, since with the reference index rule the box of
    // a proposal depends on its label.
    struct CachedMap {
        float box[4];
        at::Tensor map;
    };
    std::multimap<int64_t, CachedMap> maskMaps;
    std::size_t maskMapBytes = 0;
    std::size_t maskMapBudget = 0;  // EngineOptions::maskMapBudgetBytes
    // The binary masks of the last score(), keyed by proposal; an entry is reused when the box,
    // the class filter (which holds the label's vector, the rule and the background) and the
    // threshold are bit-equal, so a re-score after a typed class pastes only the new masks
    // (pasting at full resolution was most of the re-score). Replaced by every score(), so it
    // holds at most one result's masks.
    struct CachedMask {
        float box[4];
        std::vector<float> filter;
        double threshold = 0;
        cv::Mat mask;
        int originX = 0, originY = 0;
    };
    std::multimap<int64_t, CachedMask> lastMasks;
    std::mutex mutex;  // score() may be called from a worker while the GUI reads sizes

    const at::Tensor* findMap(int64_t proposal, const float* box) const;
    const CachedMask* findMask(int64_t proposal, const float* box, const float* filter, int64_t dim,
                               double threshold) const;
};

struct Engine::Impl {
    model::ZsiDetector detector{nullptr};
    ModelSummary summary;
    at::Device device{at::kCPU};
    std::size_t maskMapBudget = 0;
    // suggestNames(): which entries of the last word-vector model are plain words (computed
    // once per model; a 2M-word file takes ~0.1 s to scan).
    struct WordFilter {
        const void* model = nullptr;
        std::size_t size = 0;
        std::vector<uint8_t> ok;
    };
    WordFilter wordFilter;
    std::mutex wordFilterMutex;
};

// The vocabulary a request scores against: its unseen vectors (D x U on the engine's device)
// and its background override. Throws Error(DimensionMismatch / EmptyVocabulary).
model::ScoringVocabulary requestVocabulary(const Engine::Impl& engine,
                                           const ScoringRequest& request);

}  // namespace zsi
