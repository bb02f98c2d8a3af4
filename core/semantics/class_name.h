#pragma once
// Class-name spelling rules shared by the embedder, the vocabulary and the class-column
// reader: trimmed, ASCII case-folded, '_' and '-' read as spaces, runs of spaces collapsed.
// "Traffic_Light", " traffic-light " and "traffic  light" are all "traffic light".
#include <string>
#include <string_view>
#include <vector>

namespace zsi::semantics {

std::string normaliseClassName(std::string_view name);

// "couch | sofa" -> {"couch", "sofa"} (each normalised; empty alternatives dropped).
std::vector<std::string> splitSynonyms(std::string_view name);

// The canonical key used to detect duplicates: the normalised synonyms, sorted and
// without repeats, joined by " | ".
std::string classKey(std::string_view name);

// The words of a normalised name.
std::vector<std::string> splitWords(std::string_view normalised);

}  // namespace zsi::semantics
