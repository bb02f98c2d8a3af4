#include "semantics/class_embedder.h"

#include "semantics/class_name.h"
#include "util/error.h"

namespace zsi::semantics {
namespace {

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& w : v) s += (s.empty() ? "" : ", ") + w;
    return s;
}

void addScaled(std::vector<float>& acc, const std::vector<float>& v, float s) {
    for (std::size_t i = 0; i < acc.size(); ++i) acc[i] += s * v[i];
}

}  // namespace

std::vector<std::string> ClassEmbedding::missingWords() const {
    std::vector<std::string> out;
    for (const auto& w : words)
        if (w.status == WordStatus::Missing) out.push_back(w.word);
    return out;
}

std::vector<std::string> ClassEmbedding::subwordWords() const {
    std::vector<std::string> out;
    for (const auto& w : words)
        if (w.status == WordStatus::BuiltFromSubwords) out.push_back(w.word);
    return out;
}

ClassEmbedder::ClassEmbedder(std::shared_ptr<const EmbeddingModel> model,
                             Normalisation normalisation)
    : model_(std::move(model)), normalisation_(normalisation) {
    if (!model_)
        throw Error(ErrorCode::InvalidArgument, "No word-vector model loaded",
                    {{"name", "embeddings"}, {"reason", "null model"}});
}

ClassEmbedding ClassEmbedder::analyse(std::string_view name) const {
    ClassEmbedding out;
    out.name = std::string(name);
    const auto synonyms = splitSynonyms(name);
    if (synonyms.empty())
        throw Error(ErrorCode::InvalidClassName, "A class name needs at least one word",
                    {{"name", std::string(name)}, {"reason", "empty"}});
    out.key = classKey(name);
    const std::size_t d = static_cast<std::size_t>(model_->dim());
    if (exact_ && synonyms.size() == 1) {
        WordLookup l = exact_->lookup(synonyms[0]);
        if (l.status == WordStatus::Found && l.vector.size() == d) {
            out.words.push_back({synonyms[0], WordStatus::Found});
            out.vector = std::move(l.vector);
            return out;
        }
    }
    std::vector<float> sum(d, 0.f);
    bool complete = true;
    for (const auto& synonym : synonyms) {
        // Phrase models (class-column files) hold whole class names; others hold words.
        const auto words =
            model_->entriesArePhrases() ? std::vector<std::string>{synonym} : splitWords(synonym);
        std::vector<float> mean(d, 0.f);
        for (const auto& w : words) {
            WordLookup l = model_->lookup(w);
            out.words.push_back({w, l.status});
            if (l.status == WordStatus::Missing || l.vector.size() != d) {
                complete = false;
                continue;
            }
            addScaled(mean, l.vector, 1.f / static_cast<float>(words.size()));
        }
        addScaled(sum, mean, 1.f / static_cast<float>(synonyms.size()));
    }
    if (complete) {
        normalisation_.apply(sum);
        out.vector = std::move(sum);
    }
    return out;
}

ClassEmbedding ClassEmbedder::embed(std::string_view name) const {
    ClassEmbedding e = analyse(name);
    if (!e.ok()) {
        const auto missing = e.missingWords();
        std::string model = model_->path().filename().string();
        std::string why = model_->hasSubwords() ? "" : " (this model has no subword information)";
        throw Error(ErrorCode::UnknownWords,
                    "Unknown word" + std::string(missing.size() > 1 ? "s" : "") + " in \"" +
                        e.name + "\": " + join(missing) + " - not in the vocabulary of " + model +
                        why + (hint_.empty() ? "" : "; " + hint_),
                    {{"words", join(missing)}, {"model", model}, {"hint", hint_}});
    }
    return e;
}

void ClassEmbedder::setExactClasses(std::shared_ptr<const EmbeddingModel> classColumns) {
    if (classColumns && classColumns->dim() != model_->dim())
        throw Error(ErrorCode::DimensionMismatch,
                    "class vectors of dimension " + std::to_string(classColumns->dim()) +
                        " for word vectors of dimension " + std::to_string(model_->dim()),
                    {{"what", classColumns->path().string()},
                     {"expected", std::to_string(model_->dim())},
                     {"found", std::to_string(classColumns->dim())}});
    exact_ = std::move(classColumns);
}

}  // namespace zsi::semantics
