#pragma once
// The one split format of every command (--split): {"seen": [...], "unseen": [...]}.
#include <filesystem>
#include <string>
#include <vector>

namespace zsi {

struct Split {
    std::vector<std::string> seen, unseen;

    // Seen then unseen: the category order of the protocols and of the generator's ids.
    std::vector<std::string> all() const;
    bool isUnseen(const std::string& name) const;
    bool isSeen(const std::string& name) const;
};

// Throws Error(DuplicateClass) for a name listed twice or in both lists,
// Error(InvalidClassName) for an empty name, Error(EmptyVocabulary) when both are empty.
void validateSplit(const Split& split);

// Reads and validates. Malformed JSON -> JsonMalformed; missing or non-string lists ->
// JsonSchema naming the field.
Split readSplit(const std::filesystem::path& path);
Split parseSplit(const std::string& json, const std::string& sourceName = "<memory>");
void writeSplit(const std::filesystem::path& path, const Split& split);
std::string splitToString(const Split& split);

}  // namespace zsi
