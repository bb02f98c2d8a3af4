#include "model/scoring.h"

#include "util/error.h"

namespace zsi::scoring {
namespace {

int64_t numClasses(const at::Tensor& W) {
    return W.size(1) - 1;
}

at::Tensor arangeFrom1(int64_t n, const at::Tensor& like) {
    return at::arange(1, n + 1, like.options().dtype(at::kLong));
}

void requireUnseen(const at::Tensor& Wu) {
    if (numClasses(Wu) < 1)
        throw Error(ErrorCode::EmptyVocabulary, "no unseen classes to score",
                    {{"what", "unseen classes"}});
}

// [b | seen | unseen] from the two matrices (their background columns are equal).
at::Tensor allClasses(const at::Tensor& Ws, const at::Tensor& Wu) {
    return at::cat({Ws, Wu.slice(1, 1)}, 1);
}

}  // namespace

at::Tensor withBackground(const at::Tensor& background, const at::Tensor& classes) {
    const at::Tensor b = background.reshape({-1, 1}).to(classes.options());
    if (classes.size(0) != b.size(0))
        throw Error(ErrorCode::DimensionMismatch, "background vector and class vectors differ in D",
                    {{"what", "background vector"},
                     {"expected", std::to_string(classes.size(0))},
                     {"found", std::to_string(b.size(0))}});
    return at::cat({b, classes}, 1);
}

std::vector<ScoreSet> boxScores(const at::Tensor& e, const at::Tensor& Ws, const at::Tensor& Wu,
                                ScoringRule rule, InferenceMode mode) {
    const int64_t S = numClasses(Ws), U = numClasses(Wu);
    // GZSI over no unseen class is the seen classes alone; only ZSI needs unseen classes.
    if (mode == InferenceMode::Gzsi && U == 0) mode = InferenceMode::Seen;
    if (mode == InferenceMode::Zsi) requireUnseen(Wu);
    const at::Tensor seenCols = arangeFrom1(S, e);
    const at::Tensor unseenCols = arangeFrom1(U, e);
    std::vector<ScoreSet> sets;
    if (rule == ScoringRule::Reference) {
        const at::Tensor p = e.mm(Ws).softmax(1);
        const at::Tensor projected = p.mm(Ws.t());  // (K, D)
        if (mode != InferenceMode::Zsi) sets.push_back({projected.mm(Ws), 0, seenCols});
        if (mode != InferenceMode::Seen) sets.push_back({projected.mm(Wu), S, unseenCols});
        return sets;
    }
    switch (mode) {
        case InferenceMode::Zsi:
            sets.push_back({e.mm(Wu).softmax(1), S, unseenCols});
            break;
        case InferenceMode::Seen:
            sets.push_back({e.mm(Ws).softmax(1), 0, seenCols});
            break;
        case InferenceMode::Gzsi:
            sets.push_back(
                {e.mm(allClasses(Ws, Wu)).softmax(1), 0, at::cat({seenCols, unseenCols})});
            break;
    }
    return sets;
}

at::Tensor similarity(const at::Tensor& e, const at::Tensor& Ws, const at::Tensor& Wu,
                      ScoringRule rule) {
    const at::Tensor all = allClasses(Ws, Wu);
    if (rule == ScoringRule::Reference) return e.mm(Ws).softmax(1).mm(Ws.t()).mm(all);
    return e.mm(all);
}

at::Tensor maskFilters(const at::Tensor& labels, const at::Tensor& Ws, const at::Tensor& Wu,
                       ScoringRule rule) {
    const int64_t S = numClasses(Ws);
    const at::Tensor classes = allClasses(Ws, Wu).slice(1, 1);  // D x (S + U)
    at::Tensor filters = classes.index_select(1, labels).t();   // (N, D)
    if (rule == ScoringRule::Reference && labels.numel() > 0) {
        // Unseen: W_u^T . W_s . W_s^T . x, i.e. filter W_s W_s^T w_j (W_s with background).
        const at::Tensor projected = filters.mm(Ws).mm(Ws.t());
        filters = at::where((labels >= S).unsqueeze(1), projected, filters);
    }
    return filters;
}

at::Tensor maskProbabilities(const at::Tensor& maps, const at::Tensor& filters) {
    return (maps * filters.unsqueeze(-1).unsqueeze(-1)).sum(1).sigmoid();
}

at::Tensor pWeightedDeltas(const at::Tensor& p, const at::Tensor& deltas) {
    const int64_t K = p.size(0);
    const at::Tensor w = p.slice(1, 1);
    const at::Tensor wn = w / w.sum(1, true).clamp_min(1e-12);
    const at::Tensor d = deltas.view({K, -1, 4}).slice(1, 1);  // (K, S, 4)
    return (d * wn.unsqueeze(-1)).sum(1);
}

at::Tensor chooseBackground(BackgroundChoice choice, const at::Tensor& learned,
                            const at::Tensor& initial, const at::Tensor& unseen,
                            const at::Tensor& custom) {
    switch (choice) {
        case BackgroundChoice::Model:
            return {};
        case BackgroundChoice::Custom:
            return custom;
        case BackgroundChoice::Learned:
            return learned;
        case BackgroundChoice::Initial:
            return initial;
        case BackgroundChoice::Zero:
            return at::zeros_like(learned);
        case BackgroundChoice::MeanOfUnseen:
            if (!unseen.defined() || unseen.size(1) == 0)
                throw Error(ErrorCode::EmptyVocabulary,
                            "the mean of the unseen classes needs unseen classes",
                            {{"what", "unseen classes"}});
            return unseen.mean(1);
    }
    return {};
}

}  // namespace zsi::scoring
