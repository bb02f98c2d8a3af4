#pragma once
// The ZSI scoring rules as pure functions on tensors (model-internal, ATen only).
//
// Conventions: D is the semantic dimension; class matrices are D x (1 + n) with column 0 the
// background vector: W_s = [b | seen vectors], W_u = [b | unseen vectors]. Global labels
// index [seen..., unseen...] (0-based, background excluded). e is (K, D).
//
// reference (the published code): p = softmax(e . W_s);
//     seen scores p . W_s^T . W_s, unseen scores p . W_s^T . W_u;
//     mask logits for seen c: W_s[:, c]^T x, for unseen j: (W_s W_s^T W_u[:, j])^T x.
// direct (the paper's text): softmax over [background | classes] of e . W with W = W_u (zsi),
//     W_s (seen), [b | seen | unseen] (gzsi); mask logits W[:, c]^T x.
// In GZSI the reference rule yields two score sets (seen, unseen) that are NMS'd separately
// and concatenated, as the reference code does; the direct rule yields one joint set.
#include "model/model_config.h"

#include <ATen/ATen.h>

#include <vector>

namespace zsi::scoring {

// D x (1 + n): [background | classes]. classes may have zero columns.
at::Tensor withBackground(const at::Tensor& background, const at::Tensor& classes);

struct ScoreSet {
    at::Tensor scores;        // (K, 1 + n): column 0 background (never reported)
    int64_t labelOffset = 0;  // global label of the set's first class
    // Column of the box-head deltas used by each class of the set under the reference index
    // rule (int64, n values in 1..S): seen class c -> c, unseen class j -> j (the quirk).
    at::Tensor deltaColumns;
};

// Box scores for a mode and rule. numSeen = S, Wu may have no class columns in Seen mode and
// in GZSI (then the seen classes alone are scored). Throws Error(EmptyVocabulary) in ZSI mode
// without unseen classes.
std::vector<ScoreSet> boxScores(const at::Tensor& e, const at::Tensor& Ws, const at::Tensor& Wu,
                                ScoringRule rule, InferenceMode mode);

// Similarity of each row of e to every class, (K, 1 + S + U) in the order [background,
// seen..., unseen...]: reference p . W_s^T . [b | seen | unseen]; direct e . [b | seen | unseen].
at::Tensor similarity(const at::Tensor& e, const at::Tensor& Ws, const at::Tensor& Wu,
                      ScoringRule rule);

// One mask filter (D) per detection so that mask logits = filter^T x at every pixel.
// labels: global labels (int64, N). Ws/Wu: the raw class matrices (the mask head's filters).
at::Tensor maskFilters(const at::Tensor& labels, const at::Tensor& Ws, const at::Tensor& Wu,
                       ScoringRule rule);

// sigmoid(filter^T x) per pixel: maps (N, D, h, w), filters (N, D) -> (N, h, w).
at::Tensor maskProbabilities(const at::Tensor& maps, const at::Tensor& filters);

// Vocabulary-independent regression: deltas (K, 4 (1 + S)) averaged over the seen classes
// with weights p_c / sum_{c >= 1} p_c (p: (K, 1 + S), column 0 background) -> (K, 4).
at::Tensor pWeightedDeltas(const at::Tensor& p, const at::Tensor& deltas);

// The background column a request chooses (D): undefined for BackgroundChoice::Model (the
// model's rule applies). learned: V_b (D); initial: the initial background vector (D);
// unseen: D x U; custom: D (BackgroundChoice::Custom). Throws Error(EmptyVocabulary) for the
// mean of no unseen classes.
at::Tensor chooseBackground(BackgroundChoice choice, const at::Tensor& learned,
                            const at::Tensor& initial, const at::Tensor& unseen,
                            const at::Tensor& custom = {});

}  // namespace zsi::scoring
