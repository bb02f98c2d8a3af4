#pragma once
// Values passed between the inference stages of ZsiDetector (model-internal, ATen only).
// A caching engine keeps the image-only stages (input, features, RPN, box semantics, mask
// maps) and re-runs only scoring + decoding when the vocabulary changes.
#include "model/model_config.h"

#include <ATen/ATen.h>

#include <vector>

namespace zsi::model {

// (1) The network input for one image.
struct PreparedInput {
    at::Tensor image;    // (1, 3, Hp, Wp) float, normalised, zero-padded to padDivisor
    double scale = 1.0;  // resized = original * scale
    int originalH = 0, originalW = 0;
    int resizedH = 0, resizedW = 0;  // the unpadded content
};

// (3) BA-RPN output for one image.
struct RpnResult {
    at::Tensor proposals;                        // (K, 4) in resized-image coordinates
    at::Tensor objectness;                       // (K) p(foreground)
    std::vector<at::Tensor> backgroundProbMaps;  // per FPN level (H_l, W_l): max_a p(bg)
    at::Tensor vb;                               // (D) V_b, the learned background vector
};

// (4) Box-head output per proposal; independent of the vocabulary.
struct BoxSemantics {
    at::Tensor e;              // (K, D) semantic features
    at::Tensor seenProbs;      // (K, 1 + S) softmax(e . W_s) with the model's own W_s (synced V_b)
    at::Tensor deltas;         // (K, 4 (1 + S)) raw class-specific deltas
    at::Tensor agnosticBoxes;  // (K, 4) p-weighted boxes, resized-image coordinates, clipped
};

// The classes to score against. Undefined tensors take the model's defaults: seen = the
// model's seen class vectors (D x S); background = V_b when Sync-bg is on, else the initial
// background vector. unseen: D x U (may have U = 0 in Seen mode).
struct ScoringVocabulary {
    at::Tensor seen;
    at::Tensor unseen;
    at::Tensor background;
};

// Final detections of one image.
struct Detections {
    at::Tensor boxes;          // (N, 4) original-image coordinates
    at::Tensor resizedBoxes;   // (N, 4) resized-image coordinates (what the mask head saw;
                               // reference geometry: boxes * scale, as mmdet v1 computes them)
    at::Tensor scores;         // (N)
    at::Tensor labels;         // (N) int64 global labels: [seen..., unseen...]
    at::Tensor proposalIndex;  // (N) int64 proposal row each detection came from
    at::Tensor similarity;     // (N, 1 + S + U): [background, seen..., unseen...]
    at::Tensor masks;          // (N, M, M) mask probabilities on the box (M = 2 x RoI size)
    int64_t size() const { return scores.defined() ? scores.size(0) : 0; }
};

}  // namespace zsi::model
