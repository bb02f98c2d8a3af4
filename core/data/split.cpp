#include "data/split.h"

#include "util/atomic_file.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace zsi {

std::vector<std::string> Split::all() const {
    std::vector<std::string> a = seen;
    a.insert(a.end(), unseen.begin(), unseen.end());
    return a;
}

bool Split::isUnseen(const std::string& name) const {
    return std::find(unseen.begin(), unseen.end(), name) != unseen.end();
}

bool Split::isSeen(const std::string& name) const {
    return std::find(seen.begin(), seen.end(), name) != seen.end();
}

void validateSplit(const Split& split) {
    if (split.seen.empty() && split.unseen.empty())
        throw Error(ErrorCode::EmptyVocabulary, "the split lists no classes", {{"what", "split"}});
    std::set<std::string> names;
    auto add = [&](const std::string& n, const char* list) {
        if (n.empty())
            throw Error(ErrorCode::InvalidClassName, std::string("empty class name in ") + list,
                        {{"name", n}, {"reason", "empty"}});
        if (!names.insert(n).second) {
            const bool both = split.isSeen(n) && split.isUnseen(n);
            const std::string reason =
                both ? "listed as both seen and unseen" : std::string("listed twice in ") + list;
            throw Error(ErrorCode::DuplicateClass, "class '" + n + "' " + reason,
                        {{"name", n}, {"reason", reason}});
        }
    };
    for (const auto& n : split.seen) add(n, "seen");
    for (const auto& n : split.unseen) add(n, "unseen");
}

Split parseSplit(const std::string& text, const std::string& source) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(ErrorCode::JsonMalformed, source + ": malformed JSON: " + e.what(),
                    {{"path", source}, {"reason", e.what()}});
    }
    if (!j.is_object())
        throw Error(ErrorCode::JsonSchema,
                    source + ": a split is an object {\"seen\": [...], \"unseen\": [...]}",
                    {{"path", source}, {"field", "<root>"}, {"reason", "expected an object"}});
    Split s;
    auto list = [&](const char* key, std::vector<std::string>& out) {
        auto it = j.find(key);
        if (it == j.end() || !it->is_array())
            throw Error(
                ErrorCode::JsonSchema, source + ": \"" + key + "\" must be a list of class names",
                {{"path", source}, {"field", key}, {"reason", "expected an array of strings"}});
        for (const auto& e : *it) {
            if (!e.is_string())
                throw Error(ErrorCode::JsonSchema,
                            source + ": \"" + key + "\" must hold strings only",
                            {{"path", source}, {"field", key}, {"reason", "expected strings"}});
            out.push_back(e.get<std::string>());
        }
    };
    list("seen", s.seen);
    list("unseen", s.unseen);
    validateSplit(s);
    return s;
}

Split readSplit(const std::filesystem::path& path) {
    return parseSplit(readFileBytes(path), path.string());
}

std::string splitToString(const Split& split) {
    nlohmann::ordered_json j;
    j["seen"] = split.seen;
    j["unseen"] = split.unseen;
    return j.dump(2) + "\n";
}

void writeSplit(const std::filesystem::path& path, const Split& split) {
    validateSplit(split);
    writeFileAtomic(path, splitToString(split));
}

}  // namespace zsi
