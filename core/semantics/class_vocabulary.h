#pragma once
// The classes a model scores against: the model's seen classes (fixed, from the bundle),
// the user's unseen classes (edited freely) and the background vector. It is a small value
// type: copying it is cheap (the seen block is shared, immutable) and a copy is a snapshot
// that can be handed to the inference worker while the GUI keeps editing its own.
//
// Matrices are row-major D x (1 + K) float buffers, column 0 the background, exactly the
// layout of the reference's word_w2v_withbg_*.txt files: element (d, c) is m[d * (1+K) + c].
#include "semantics/embedding.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zsi::semantics {

class ClassEmbedder;

struct ClassEntry {
    std::string name;  // as shown to the user
    std::string key;   // classKey(name), used for duplicate detection
    std::vector<float> vector;
};

struct ClassMatch {
    std::string name;
    bool seen = false;
    int index = 0;  // index within seen() or unseen()
    float cosine = 0;
};

class ClassVocabulary {
public:
    ClassVocabulary() = default;
    // Seen classes in model order. Throws DimensionMismatch for a vector of another size,
    // DuplicateClass for two equal names.
    ClassVocabulary(int dim, std::vector<ClassEntry> seen);

    int dim() const { return dim_; }
    const std::vector<ClassEntry>& seen() const;
    const std::vector<ClassEntry>& unseen() const { return unseen_; }
    std::size_t seenCount() const { return seen().size(); }
    std::size_t unseenCount() const { return unseen_.size(); }

    // Why `name` cannot be added (or renamed to, ignoring unseen index `ignore`), or nothing.
    std::optional<std::string> rejectReason(std::string_view name, int ignore = -1) const;

    // Unseen-class edits. Throw Error(DuplicateClass, args name/reason), Error(InvalidClassName)
    // or Error(DimensionMismatch); the vocabulary is unchanged when they throw.
    void addUnseen(std::string name, std::vector<float> vector);
    void addUnseen(const ClassEmbedder& embedder,
                   std::string_view name);  // embeds, may throw UnknownWords
    void removeUnseen(std::size_t index);
    bool removeUnseen(std::string_view name);  // false when absent
    void renameUnseen(std::size_t index, std::string newName, std::vector<float> vector);
    void moveUnseen(std::size_t from, std::size_t to);
    void clearUnseen() { unseen_.clear(); }
    // Index of a class by name (normalised comparison), -1 when absent.
    int findUnseen(std::string_view name) const;
    int findSeen(std::string_view name) const;

    // Column 0 of the matrices below (the engine chooses the background a request scores
    // with: InferenceSettings::background); empty clears it.
    void setBackground(std::vector<float> vector);
    const std::vector<float>& background() const { return background_; }  // empty: none set
    // The mean of seen and unseen class vectors (the reference's initial background).
    std::vector<float> meanOfClasses() const;

    // W_s: D x (1 + S), W_u: D x (1 + U), W_all: D x (1 + S + U); column 0 the background
    // (zeros when none is set).
    std::vector<float> seenMatrix() const;
    std::vector<float> unseenMatrix() const;
    std::vector<float> allMatrix() const;

    // Nearest classes to a vector by cosine (seen and unseen), best first.
    std::vector<ClassMatch> nearestClasses(const std::vector<float>& vector, int k) const;

private:
    void checkVector(const std::vector<float>& v, const std::string& name) const;
    std::vector<float> matrix(bool seen, bool unseen) const;

    int dim_ = 0;
    std::shared_ptr<const std::vector<ClassEntry>> seen_;
    std::vector<ClassEntry> unseen_;
    std::vector<float> background_;
};

}  // namespace zsi::semantics
