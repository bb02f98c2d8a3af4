#include "semantics/class_name.h"

#include <algorithm>

namespace zsi::semantics {

std::string normaliseClassName(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    bool pendingSpace = false;
    for (char c : name) {
        if (c == '_' || c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace) out.push_back(' ');
        pendingSpace = false;
        // ASCII only: bytes of UTF-8 sequences pass through unchanged.
        out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    return out;
}

std::vector<std::string> splitSynonyms(std::string_view name) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t bar = name.find('|', start);
        std::string part = normaliseClassName(name.substr(
            start, bar == std::string_view::npos ? std::string_view::npos : bar - start));
        if (!part.empty()) out.push_back(std::move(part));
        if (bar == std::string_view::npos) break;
        start = bar + 1;
    }
    return out;
}

std::string classKey(std::string_view name) {
    // Sorted and unique: "sofa | couch" names the same class as "couch | sofa".
    auto synonyms = splitSynonyms(name);
    std::sort(synonyms.begin(), synonyms.end());
    synonyms.erase(std::unique(synonyms.begin(), synonyms.end()), synonyms.end());
    std::string key;
    for (const auto& s : synonyms) {
        if (!key.empty()) key += " | ";
        key += s;
    }
    return key;
}

std::vector<std::string> splitWords(std::string_view normalised) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < normalised.size()) {
        std::size_t sp = normalised.find(' ', start);
        if (sp == std::string_view::npos) sp = normalised.size();
        if (sp > start) out.emplace_back(normalised.substr(start, sp - start));
        start = sp + 1;
    }
    return out;
}

}  // namespace zsi::semantics
