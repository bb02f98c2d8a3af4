#include "semantics/class_vocabulary.h"

#include "semantics/class_embedder.h"
#include "semantics/class_name.h"
#include "util/error.h"

#include <algorithm>

namespace zsi::semantics {
namespace {

const std::vector<ClassEntry>& emptyEntries() {
    static const std::vector<ClassEntry> empty;
    return empty;
}

Error duplicate(const std::string& name, const std::string& reason) {
    return Error(ErrorCode::DuplicateClass, "Cannot use the class name \"" + name + "\": " + reason,
                 {{"name", name}, {"reason", reason}});
}

}  // namespace

ClassVocabulary::ClassVocabulary(int dim, std::vector<ClassEntry> seen) : dim_(dim) {
    std::vector<std::string> keys;
    for (auto& e : seen) {
        if (e.key.empty()) e.key = classKey(e.name);
        if (e.key.empty())
            throw Error(ErrorCode::InvalidClassName, "A seen class has an empty name",
                        {{"name", e.name}, {"reason", "empty"}});
        checkVector(e.vector, e.name);
        if (std::find(keys.begin(), keys.end(), e.key) != keys.end())
            throw duplicate(e.name, "the model lists this seen class twice");
        keys.push_back(e.key);
    }
    seen_ = std::make_shared<const std::vector<ClassEntry>>(std::move(seen));
}

const std::vector<ClassEntry>& ClassVocabulary::seen() const {
    return seen_ ? *seen_ : emptyEntries();
}

void ClassVocabulary::checkVector(const std::vector<float>& v, const std::string& name) const {
    if (static_cast<int>(v.size()) != dim_)
        throw Error(ErrorCode::DimensionMismatch,
                    "The vector of \"" + name + "\" has " + std::to_string(v.size()) +
                        " dimensions, the vocabulary " + std::to_string(dim_),
                    {{"what", "class vector of " + name},
                     {"expected", std::to_string(dim_)},
                     {"found", std::to_string(v.size())}});
}

std::optional<std::string> ClassVocabulary::rejectReason(std::string_view name, int ignore) const {
    const std::string key = classKey(name);
    if (key.empty()) return std::string("the name is empty");
    for (const auto& e : seen())
        if (e.key == key) return "\"" + e.name + "\" is a seen class of the model";
    for (std::size_t i = 0; i < unseen_.size(); ++i)
        if (static_cast<int>(i) != ignore && unseen_[i].key == key)
            return "\"" + unseen_[i].name + "\" is already in the list";
    return std::nullopt;
}

void ClassVocabulary::addUnseen(std::string name, std::vector<float> vector) {
    if (classKey(name).empty())
        throw Error(ErrorCode::InvalidClassName, "A class name needs at least one word",
                    {{"name", name}, {"reason", "empty"}});
    if (auto why = rejectReason(name)) throw duplicate(name, *why);
    checkVector(vector, name);
    ClassEntry e{name, classKey(name), std::move(vector)};
    unseen_.push_back(std::move(e));
}

void ClassVocabulary::addUnseen(const ClassEmbedder& embedder, std::string_view name) {
    if (auto why = rejectReason(name)) {
        if (classKey(name).empty())
            throw Error(ErrorCode::InvalidClassName, "A class name needs at least one word",
                        {{"name", std::string(name)}, {"reason", "empty"}});
        throw duplicate(std::string(name), *why);
    }
    addUnseen(std::string(name), embedder.embed(name).vector);
}

void ClassVocabulary::removeUnseen(std::size_t index) {
    if (index < unseen_.size()) unseen_.erase(unseen_.begin() + static_cast<std::ptrdiff_t>(index));
}

bool ClassVocabulary::removeUnseen(std::string_view name) {
    const int i = findUnseen(name);
    if (i < 0) return false;
    removeUnseen(static_cast<std::size_t>(i));
    return true;
}

void ClassVocabulary::renameUnseen(std::size_t index, std::string newName,
                                   std::vector<float> vector) {
    if (index >= unseen_.size())
        throw Error(ErrorCode::InvalidArgument, "No unseen class at index " + std::to_string(index),
                    {{"name", "index"}, {"reason", "out of range"}});
    if (classKey(newName).empty())
        throw Error(ErrorCode::InvalidClassName, "A class name needs at least one word",
                    {{"name", newName}, {"reason", "empty"}});
    if (auto why = rejectReason(newName, static_cast<int>(index))) throw duplicate(newName, *why);
    checkVector(vector, newName);
    unseen_[index] = ClassEntry{newName, classKey(newName), std::move(vector)};
}

void ClassVocabulary::moveUnseen(std::size_t from, std::size_t to) {
    if (from >= unseen_.size() || to >= unseen_.size() || from == to) return;
    ClassEntry e = std::move(unseen_[from]);
    unseen_.erase(unseen_.begin() + static_cast<std::ptrdiff_t>(from));
    unseen_.insert(unseen_.begin() + static_cast<std::ptrdiff_t>(to), std::move(e));
}

int ClassVocabulary::findUnseen(std::string_view name) const {
    const std::string key = classKey(name);
    for (std::size_t i = 0; i < unseen_.size(); ++i)
        if (unseen_[i].key == key) return static_cast<int>(i);
    return -1;
}

int ClassVocabulary::findSeen(std::string_view name) const {
    const std::string key = classKey(name);
    const auto& s = seen();
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i].key == key) return static_cast<int>(i);
    return -1;
}

void ClassVocabulary::setBackground(std::vector<float> vector) {
    if (!vector.empty()) checkVector(vector, "background");
    background_ = std::move(vector);
}

std::vector<float> ClassVocabulary::meanOfClasses() const {
    std::vector<float> m(static_cast<std::size_t>(dim_), 0.f);
    const std::size_t n = seenCount() + unseenCount();
    if (n == 0) return m;
    for (const auto* list : {&seen(), &unseen_})
        for (const auto& e : *list)
            for (int d = 0; d < dim_; ++d)
                m[static_cast<std::size_t>(d)] += e.vector[static_cast<std::size_t>(d)];
    for (float& x : m) x /= static_cast<float>(n);
    return m;
}

std::vector<float> ClassVocabulary::matrix(bool withSeen, bool withUnseen) const {
    std::vector<const ClassEntry*> cols;
    if (withSeen)
        for (const auto& e : seen()) cols.push_back(&e);
    if (withUnseen)
        for (const auto& e : unseen_) cols.push_back(&e);
    const std::size_t c = cols.size() + 1, d = static_cast<std::size_t>(dim_);
    std::vector<float> m(d * c, 0.f);
    for (std::size_t r = 0; r < d; ++r) {
        if (!background_.empty()) m[r * c] = background_[r];
        for (std::size_t k = 0; k < cols.size(); ++k) m[r * c + 1 + k] = cols[k]->vector[r];
    }
    return m;
}

std::vector<float> ClassVocabulary::seenMatrix() const {
    return matrix(true, false);
}
std::vector<float> ClassVocabulary::unseenMatrix() const {
    return matrix(false, true);
}
std::vector<float> ClassVocabulary::allMatrix() const {
    return matrix(true, true);
}

std::vector<ClassMatch> ClassVocabulary::nearestClasses(const std::vector<float>& vector,
                                                        int k) const {
    std::vector<ClassMatch> out;
    if (static_cast<int>(vector.size()) != dim_) return out;
    const auto& s = seen();
    for (std::size_t i = 0; i < s.size(); ++i)
        out.push_back({s[i].name, true, static_cast<int>(i),
                       static_cast<float>(cosine(vector, s[i].vector))});
    for (std::size_t i = 0; i < unseen_.size(); ++i)
        out.push_back({unseen_[i].name, false, static_cast<int>(i),
                       static_cast<float>(cosine(vector, unseen_[i].vector))});
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.cosine > b.cosine; });
    if (k >= 0 && static_cast<int>(out.size()) > k) out.resize(static_cast<std::size_t>(k));
    return out;
}

}  // namespace zsi::semantics
