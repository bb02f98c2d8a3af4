// "Name this object" (Engine::suggestNames): every word of a word-vector file scored as if it
// were an unseen class of the object in a box. ZSI maps each detection into word-vector space,
// so the words the model would score highest are its best guesses of a name.
//
// The box runs through the box head like a proposal (e, D values). A typed class w scores
//   direct rule:    sigmoid(e . T(w) - e . T(b))                (its softmax against the
//   background) reference rule: (T(W_s) softmax(e . T(W_s))) . T(w)         (p . W_s^T . w)
// with T the box head's class transform (identity for the VOC head of the published models,
// tanh(kernel_semantic(.)) for the VOC-free head) and b the background column in force. Both
// are linear in T(w) after a per-object query, so ranking a vocabulary is one matrix-vector
// product per block of words (plus the transform where the head has one).
#include "engine/engine_p.h"
#include "model/scoring.h"
#include "semantics/embedding.h"
#include "semantics/normalisation.h"
#include "util/error.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <string_view>

namespace zsi {
namespace {

// Function words and other tokens that name no object.
const std::set<std::string_view>& stopWords() {
    static const std::set<std::string_view> words = {
        "a",       "about",     "above",  "after",   "again",   "against",  "all",        "also",
        "am",      "an",        "and",    "any",     "are",     "as",       "at",         "be",
        "because", "been",      "before", "being",   "below",   "between",  "both",       "but",
        "by",      "can",       "could",  "did",     "do",      "does",     "doing",      "down",
        "during",  "each",      "few",    "for",     "from",    "further",  "had",        "has",
        "have",    "having",    "he",     "her",     "here",    "hers",     "herself",    "him",
        "himself", "his",       "how",    "i",       "if",      "in",       "into",       "is",
        "it",      "its",       "itself", "just",    "me",      "more",     "most",       "my",
        "myself",  "no",        "nor",    "not",     "now",     "of",       "off",        "on",
        "once",    "only",      "or",     "other",   "our",     "ours",     "ourselves",  "out",
        "over",    "own",       "same",   "she",     "should",  "so",       "some",       "such",
        "than",    "that",      "the",    "their",   "theirs",  "them",     "themselves", "then",
        "there",   "these",     "they",   "this",    "those",   "through",  "to",         "too",
        "under",   "until",     "up",     "very",    "was",     "we",       "were",       "what",
        "when",    "where",     "which",  "while",   "who",     "whom",     "why",        "will",
        "with",    "would",     "you",    "your",    "yours",   "yourself", "yourselves", "said",
        "says",    "say",       "one",    "two",     "three",   "four",     "five",       "six",
        "seven",   "eight",     "nine",   "ten",     "also",    "may",      "might",      "must",
        "shall",   "us",        "mr",     "mrs",     "ms",      "st",       "th",         "nd",
        "rd",      "etc",       "ie",     "eg",      "however", "although", "though",     "yet",
        "still",   "even",      "ever",   "never",   "always",  "often",    "per",        "via",
        "within",  "without",   "upon",   "among",   "across",  "around",   "behind",     "beyond",
        "despite", "like",      "unlike", "get",     "got",     "make",     "made",       "many",
        "much",    "several",   "every",  "another", "either",  "neither",  "whether",    "since",
        "thus",    "therefore", "hence",  "whose",   "s",       "t",        "de",         "la",
        "le",      "el",        "der",    "die",     "und",     "et",       "al",         "new",
        "first",   "last",      "next",   "year",    "years",   "time",     "would",      "could",
        "well",    "back",      "way",    "us"};
    return words;
}

bool plainWord(std::string_view w) {
    if (w.size() < 2 || w.size() > 30) return false;
    for (char c : w)
        if (c < 'a' || c > 'z') return false;
    return !stopWords().count(w);
}

}  // namespace

std::vector<NameSuggestion> Engine::suggestNames(PreparedImage& prepared,
                                                 const std::array<float, 4>& box,
                                                 const ScoringRequest& request,
                                                 const semantics::EmbeddingModel& words,
                                                 const semantics::Normalisation& normalisation,
                                                 const SuggestOptions& options) {
    torch::NoGradGuard noGrad;
    auto& det = impl_->detector;
    auto& p = prepared.impl();
    const int64_t D = det->config().semanticDim;
    if (words.dim() != D)
        throw Error(ErrorCode::DimensionMismatch,
                    "word vectors of dimension " + std::to_string(words.dim()) +
                        " for a model of dimension " + std::to_string(D),
                    {{"what", words.path().string()},
                     {"expected", std::to_string(D)},
                     {"found", std::to_string(words.dim())}});
    const std::size_t n = words.vocabularySize();
    if (n == 0 || options.top <= 0) return {};

    // Which entries count as words (cached per model: a 2M-word file takes a moment to scan).
    std::vector<uint8_t> keep;
    {
        std::lock_guard<std::mutex> lock(impl_->wordFilterMutex);
        auto& f = impl_->wordFilter;
        if (f.model != &words || f.size != n) {
            f.ok.assign(n, 1);
            if (options.wordsOnly)
                for (std::size_t i = 0; i < n; ++i) f.ok[i] = plainWord(words.wordAt(i)) ? 1 : 0;
            f.model = &words;
            f.size = n;
        }
        keep = f.ok;
    }
    if (!options.wordsOnly) keep.assign(n, 1);
    std::set<std::string> excluded;
    for (std::string e : options.exclude) {
        std::transform(e.begin(), e.end(), e.begin(),
                       [](unsigned char c) { return char(std::tolower(c)); });
        excluded.insert(std::move(e));
    }

    // The object's query.
    std::lock_guard<std::mutex> lock(p.mutex);
    const at::Tensor b =
        at::tensor(std::vector<float>(box.begin(), box.end()), at::kFloat).view({1, 4}) *
        p.input.scale;
    const model::BoxSemantics s =
        det->boxSemantics(p.features, b.to(impl_->device), p.input.resizedH, p.input.resizedW);
    const at::Tensor e = s.e[0].to(at::kCPU, at::kFloat);  // (D)
    const model::ScoringVocabulary vocab = requestVocabulary(*impl_, request);
    const InferenceSettings& opts = request;
    const model::ClassMatrices m = det->resolveClassMatrices(vocab, opts);
    auto transform = [&](const at::Tensor& W) {  // D x k -> the head's class space (CPU)
        return det->bbox_head->classMatrix(W.to(impl_->device)).to(at::kCPU, at::kFloat);
    };
    const at::Tensor Ts = transform(m.Ws);  // D' x (1 + S), column 0 the background in force
    at::Tensor query;
    float offset = 0;  // direct: e . T(b)
    const bool direct = request.scoring == ScoringRule::Direct;
    if (direct) {
        query = e;
        offset = e.dot(Ts.select(1, 0)).item<float>();
    } else {
        query = Ts.mv(at::softmax(e.unsqueeze(0).mm(Ts), 1).squeeze(0));
    }
    // The VOC head scores raw class vectors (T = identity): no transform of the words needed.
    const bool linear = det->config().vocSize > 0;

    // Blocks of words: normalise as typed classes are, transform, score, keep the best.
    constexpr std::size_t kBlock = 32768;
    std::vector<std::pair<float, std::size_t>> best;  // min-heap by score
    auto offer = [&](float score, std::size_t i) {
        if (int(best.size()) < options.top) {
            best.emplace_back(score, i);
            std::push_heap(best.begin(), best.end(), std::greater<>());
        } else if (score > best.front().first) {
            std::pop_heap(best.begin(), best.end(), std::greater<>());
            best.back() = {score, i};
            std::push_heap(best.begin(), best.end(), std::greater<>());
        }
    };
    const float* rows = words.rows();
    std::vector<float> buffer;
    for (std::size_t start = 0; start < n; start += kBlock) {
        const std::size_t count = std::min(kBlock, n - start);
        at::Tensor block;  // count x D
        if (rows) {
            block = at::from_blob(const_cast<float*>(rows + start * std::size_t(D)),
                                  {int64_t(count), D}, at::kFloat);
        } else {
            buffer.resize(count * std::size_t(D));
            for (std::size_t k = 0; k < count; ++k)
                words.vectorAt(start + k, buffer.data() + k * std::size_t(D));
            block = at::from_blob(buffer.data(), {int64_t(count), D}, at::kFloat);
        }
        at::Tensor scores;
        at::Tensor scale =
            at::ones({int64_t(count)}, at::kFloat);  // the normalisation's factor per word
        if (normalisation.kind != semantics::Normalisation::Kind::None)
            scale = normalisation.norm / block.norm(2, {1}).clamp_min(1e-12);
        if (linear) {
            scores = block.mv(query) * scale;
        } else {
            const at::Tensor Tw = transform((block * scale.unsqueeze(1)).t());  // D' x count
            scores = Tw.t().mv(query);
        }
        if (direct) scores = at::sigmoid(scores - offset);
        const float* sc = scores.contiguous().data_ptr<float>();
        for (std::size_t k = 0; k < count; ++k) {
            if (!keep[start + k]) continue;
            if (int(best.size()) >= options.top && sc[k] <= best.front().first) continue;
            if (!excluded.empty() && excluded.count(words.wordAt(start + k))) continue;
            offer(sc[k], start + k);
        }
    }
    std::sort(best.begin(), best.end(), std::greater<>());
    std::vector<NameSuggestion> out;
    for (const auto& [score, i] : best) out.push_back({words.wordAt(i), score});
    return out;
}

}  // namespace zsi
