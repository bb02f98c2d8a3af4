#include "semantics/embedding.h"

#include "semantics/backends_p.h"
#include "util/error.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>

namespace zsi::semantics {
namespace {

namespace fs = std::filesystem;

std::string lowerExtension(const fs::path& p) {
    std::string e = p.extension().string();
    for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return e;
}

enum class Format { FastText, Word2VecBinary, ClassColumns, Text };

// Sniffs the first bytes: libfasttext's magic number, binary bytes, or the first text line.
Format detectFormat(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::error_code ec;
        if (!fs::exists(path, ec))
            throw Error(ErrorCode::FileNotFound, "File not found: " + path.string(),
                        {{"path", path.string()}});
        throw Error(ErrorCode::FileUnreadable, "Cannot open " + path.string(),
                    {{"path", path.string()}, {"reason", "cannot open the file"}});
    }
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    constexpr std::int32_t kFastTextMagic = 793712314;
    std::int32_t magic = 0;
    if (head.size() >= 4) std::memcpy(&magic, head.data(), 4);
    if (magic == kFastTextMagic) return Format::FastText;
    const std::string ext = lowerExtension(path);
    if (ext == ".bin" || ext == ".ftz") {
        // Not fastText: a word2vec binary file starts with a "count dim" text line.
        const auto nl = head.find('\n');
        const std::string first = head.substr(0, nl);
        const bool countDim = nl != std::string::npos &&
                              first.find_first_not_of("0123456789 \r") == std::string::npos &&
                              first.find(' ') != std::string::npos;
        if (countDim) return Format::Word2VecBinary;
        throw Error(ErrorCode::FileUnreadable,
                    path.string() + " is neither a fastText model nor a word2vec binary file",
                    {{"path", path.string()}, {"reason", "unknown binary format"}});
    }
    const std::string first = head.substr(0, head.find('\n'));
    // Class columns: numbers and commas only. A blank rules it out, so a text file whose
    // first word is "," (GloVe's second most frequent token) stays text.
    if (first.find(',') != std::string::npos &&
        first.find_first_not_of("0123456789.,eE+-\r") == std::string::npos)
        return Format::ClassColumns;
    return Format::Text;
}

}  // namespace

const char* wordStatusName(WordStatus s) {
    switch (s) {
        case WordStatus::Found:
            return "found";
        case WordStatus::BuiltFromSubwords:
            return "subwords";
        case WordStatus::Missing:
            return "missing";
    }
    return "missing";
}

std::unique_ptr<EmbeddingModel> loadEmbedding(const fs::path& path, const LoadOptions& options) {
    switch (detectFormat(path)) {
        case Format::FastText:
            return loadFastText(path, options);
        case Format::Word2VecBinary:
            return loadWord2VecBinary(path, options);
        case Format::ClassColumns:
            return loadClassColumns(path, options);
        case Format::Text:
            return loadTextVectors(path, options);
    }
    return nullptr;
}

WordLookup TableEmbedding::lookup(std::string_view word) const {
    WordLookup r;
    const std::int64_t i = table_.find(word);
    if (i < 0) return r;
    r.status = WordStatus::Found;
    const float* row = table_.row(static_cast<std::size_t>(i));
    r.vector.assign(row, row + table_.dim());
    return r;
}

void TableEmbedding::vectorAt(std::size_t i, float* out) const {
    const float* row = table_.row(i);
    std::copy(row, row + table_.dim(), out);
}

std::vector<Neighbour> nearestWords(const EmbeddingModel& model, const std::vector<float>& vector,
                                    int k, std::size_t maxScan,
                                    const std::vector<std::string>& exclude) {
    const int d = model.dim();
    if (static_cast<int>(vector.size()) != d || k <= 0) return {};
    std::size_t n = model.vocabularySize();
    if (maxScan > 0) n = std::min(n, maxScan);
    const float qn = l2Norm(vector.data(), d);
    if (qn == 0.f) return {};
    std::vector<std::pair<float, std::size_t>> best;  // a small sorted list, k is tiny
    std::vector<float> row(static_cast<std::size_t>(d));
    for (std::size_t i = 0; i < n; ++i) {
        model.vectorAt(i, row.data());
        const float rn = l2Norm(row.data(), d);
        if (rn == 0.f) continue;
        const float c = dot(vector.data(), row.data(), d) / (qn * rn);
        if (static_cast<int>(best.size()) == k + static_cast<int>(exclude.size()) &&
            c <= best.back().first)
            continue;
        best.emplace_back(c, i);
        std::sort(best.begin(), best.end(), [](auto& a, auto& b) { return a.first > b.first; });
        if (static_cast<int>(best.size()) > k + static_cast<int>(exclude.size())) best.pop_back();
    }
    std::vector<Neighbour> out;
    for (const auto& [c, i] : best) {
        std::string w = model.wordAt(i);
        if (std::find(exclude.begin(), exclude.end(), w) != exclude.end()) continue;
        out.push_back({std::move(w), c});
        if (static_cast<int>(out.size()) == k) break;
    }
    return out;
}

}  // namespace zsi::semantics
