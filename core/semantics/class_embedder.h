#pragma once
// Class name -> class vector, the user's whole interface to zero-shot segmentation.
// Rules: the name is trimmed, case-folded, '_' and '-' read as spaces; a multi-word name is
// the mean of its word vectors (never fastText's sentence vector, which normalises words
// and mixes in an end-of-line vector); "couch | sofa" averages the synonyms' vectors; then
// the normalisation policy. An unknown word is an error naming it, or, in a fastText model
// with subwords, a vector flagged "built from subwords". Never a silent zero vector.
#include "semantics/embedding.h"
#include "semantics/normalisation.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace zsi::semantics {

struct WordReport {
    std::string word;  // a normalised word, or a whole synonym for phrase models
    WordStatus status = WordStatus::Missing;
};

struct ClassEmbedding {
    std::string name;               // as given
    std::string key;                // classKey(name): normalised synonyms joined by " | "
    std::vector<float> vector;      // normalised; empty when a word is missing
    std::vector<WordReport> words;  // every word of every synonym, in order

    bool ok() const { return !vector.empty(); }
    std::vector<std::string> missingWords() const;
    std::vector<std::string> subwordWords() const;  // words built from subwords
    bool builtFromSubwords() const { return !subwordWords().empty(); }
};

class ClassEmbedder {
public:
    ClassEmbedder(std::shared_ptr<const EmbeddingModel> model, Normalisation normalisation = {});

    const EmbeddingModel& model() const { return *model_; }
    std::shared_ptr<const EmbeddingModel> modelPtr() const { return model_; }
    int dim() const { return model_->dim(); }
    const Normalisation& normalisation() const { return normalisation_; }

    // Per-word report without throwing on unknown words (for inline display while typing).
    // Throws Error(InvalidClassName) for a name with no words.
    ClassEmbedding analyse(std::string_view name) const;
    // Like analyse(), but an unknown word throws Error(UnknownWords) with arg "words".
    ClassEmbedding embed(std::string_view name) const;

    // Whole class names whose vectors are known exactly (a reference model's class-column
    // file): such a name takes its column as it is, before any word lookup and without the
    // normalisation (the columns are already what the model was trained with).
    void setExactClasses(std::shared_ptr<const EmbeddingModel> classColumns);
    const EmbeddingModel* exactClasses() const { return exact_.get(); }
    // Appended to unknown-word messages: what to supply to type other names.
    void setUnknownWordHint(std::string hint) { hint_ = std::move(hint); }
    const std::string& unknownWordHint() const { return hint_; }

private:
    std::shared_ptr<const EmbeddingModel> model_;
    Normalisation normalisation_;
    std::shared_ptr<const EmbeddingModel> exact_;
    std::string hint_;
};

}  // namespace zsi::semantics
