// Text vectors (word2vec / GloVe / fastText .vec) and word2vec binary files. The parser
// walks the memory-mapped file once: std::from_chars straight from the mapped bytes into
// the float block, no std::string per token, so the reader runs at disk/page-cache speed.
#include "semantics/backends_p.h"
#include "semantics/mapped_file_p.h"
#include "util/error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace zsi::semantics {
namespace {

[[noreturn]] void malformed(const std::filesystem::path& path, std::size_t line,
                            const std::string& reason) {
    throw Error(ErrorCode::VectorFileMalformed,
                path.string() + ":" + std::to_string(line) + ": " + reason,
                {{"path", path.string()}, {"line", std::to_string(line)}, {"reason", reason}});
}

inline bool isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

const char* skipBlanks(const char* s, const char* end) {
    while (s < end && isBlank(*s)) ++s;
    return s;
}
const char* tokenEnd(const char* s, const char* end) {
    while (s < end && !isBlank(*s)) ++s;
    return s;
}

// Exact float powers of ten (10^10 < 2^34 is still exact in a float: 5^10 < 2^24).
constexpr float kPow10[] = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};

// The common token of vector files, "-0.123456": at most 7 significant digits and 10
// decimals. Then mantissa and 10^k are exact floats and one IEEE division rounds correctly,
// giving the same float as std::from_chars, about twice as fast. Returns false for any
// other shape (exponents, long mantissas, ...), which takes the general path.
inline bool parseSimpleFloat(const char* s, const char* e, float& out) {
    const char* p = s;
    const bool neg = p < e && *p == '-';
    if (neg) ++p;
    std::uint32_t mant = 0;
    int digits = 0, decimals = 0;
    bool dot = false, any = false;
    for (; p < e; ++p) {
        const char c = *p;
        if (c >= '0' && c <= '9') {
            any = true;
            if (mant == 0 && c == '0') {  // leading zeros are not significant
                if (dot) ++decimals;
                continue;
            }
            if (++digits > 7) return false;
            mant = mant * 10 + static_cast<std::uint32_t>(c - '0');
            if (dot) ++decimals;
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            return false;
        }
    }
    if (!any || decimals > 10) return false;
    const float v = static_cast<float>(mant) / kPow10[decimals];
    out = neg ? -v : v;
    return true;
}

// Parses one number token [s, e). Returns false when it is not a number at all.
bool parseFloat(const char* s, const char* e, float& out) {
    if (parseSimpleFloat(s, e, out)) return true;
    auto [ptr, ec] = std::from_chars(s, e, out);
    if (ec == std::errc::result_out_of_range) {
        // from_chars refuses denormals and overflow; strtof rounds them like other readers.
        std::string tok(s, e);
        char* stop = nullptr;
        out = std::strtof(tok.c_str(), &stop);
        return stop == tok.c_str() + tok.size();
    }
    return ec == std::errc() && ptr == e;
}

std::string quoteToken(const char* s, const char* e) {
    std::string t(s, static_cast<std::size_t>(std::min<std::ptrdiff_t>(e - s, 40)));
    return "'" + t + "'";
}

struct ValuesResult {
    int count = 0;      // values read; dim + 1 when there are more than dim
    std::string error;  // set for a token that is not a finite number
};

// Fills row[0..dim) from the tokens in [s, eol); stops at the first bad token.
ValuesResult parseValues(const char* s, const char* eol, float* row, int dim) {
    ValuesResult r;
    for (;;) {
        s = skipBlanks(s, eol);
        if (s == eol) return r;
        if (r.count == dim) {
            r.count = dim + 1;
            return r;
        }
        const char* e = tokenEnd(s, eol);
        if (!parseFloat(s, e, row[r.count])) {
            r.error =
                "value " + std::to_string(r.count + 1) + " is not a number: " + quoteToken(s, e);
            return r;
        }
        if (!std::isfinite(row[r.count])) {
            r.error = "value " + std::to_string(r.count + 1) +
                      " is not a finite number: " + quoteToken(s, e);
            return r;
        }
        ++r.count;
        s = e;
    }
}

bool parseCount(std::string_view tok, std::int64_t& out) {
    auto [ptr, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), out);
    return ec == std::errc() && ptr == tok.data() + tok.size() && out >= 0;
}

std::vector<std::string_view> tokens(const char* s, const char* e) {
    std::vector<std::string_view> out;
    for (s = skipBlanks(s, e); s < e; s = skipBlanks(s, e)) {
        const char* t = tokenEnd(s, e);
        out.emplace_back(s, static_cast<std::size_t>(t - s));
        s = t;
    }
    return out;
}

const char* lineEnd(const char* p, const char* end) {
    auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    return nl ? nl : end;
}

}  // namespace

void LoadTicker::check(std::uint64_t done) const {
    if (o_.cancel && o_.cancel->load(std::memory_order_relaxed))
        throw Error(ErrorCode::Cancelled, "Loading the word vectors was cancelled");
    if (o_.progress) o_.progress(done, total_);
}

VectorTable parseTextVectors(std::string_view bytes, const std::filesystem::path& path,
                             const LoadOptions& options) {
    const char* begin = bytes.data();
    const char* end = begin + bytes.size();
    const char* p = begin;
    if (bytes.size() >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;  // UTF-8 BOM
    LoadTicker ticker(options, bytes.size());
    ticker.check(0);

    // The first non-empty line is either the "count dim" header or the first vector.
    std::size_t line = 1;
    const char* eol = lineEnd(p, end);
    while (p < end && tokens(p, eol).empty()) {
        p = eol + 1;
        ++line;
        eol = lineEnd(p, end);
    }
    if (p >= end) malformed(path, 1, "the file holds no vectors");
    const auto first = tokens(p, eol);
    std::int64_t count = -1, dim = 0;
    if (first.size() == 2 && parseCount(first[0], count) && parseCount(first[1], dim)) {
        if (dim < 1) malformed(path, line, "the header gives dimension 0");
        p = eol + 1;
        ++line;
    } else {
        count = -1;
        dim = static_cast<std::int64_t>(first.size()) - 1;
        if (dim < 1) malformed(path, line, "expected a word followed by its vector values");
    }

    // Every value takes at least two bytes ("0 "): a header beyond that is damaged, and must
    // not make us reserve gigabytes.
    if (static_cast<std::uint64_t>(dim) * 2 > bytes.size())
        malformed(path, line - 1, "implausible dimension " + std::to_string(dim));
    VectorTable table(static_cast<int>(dim));
    // Without a header, estimate the rows from the size (about 9 bytes per value).
    const std::size_t maxRows = bytes.size() / (static_cast<std::size_t>(dim) * 2 + 2);
    const std::size_t rows = count >= 0 ? std::min(static_cast<std::size_t>(count), maxRows)
                                        : bytes.size() / (static_cast<std::size_t>(dim) * 9 + 8);
    table.reserve(rows, rows * 8);

    const int d = static_cast<int>(dim);
    while (p < end) {
        eol = lineEnd(p, end);
        const char* w = skipBlanks(p, eol);
        if (w == eol) {  // blank line (typically the final newline)
            p = eol + 1;
            ++line;
            continue;
        }
        const char* we = tokenEnd(w, eol);
        float* row = table.append(std::string_view(w, static_cast<std::size_t>(we - w)));
        ValuesResult r = parseValues(we, eol, row, d);
        if (r.count > d || !r.error.empty()) {
            // Too many tokens: a word with spaces in it (GloVe 840B has a few, ". . .").
            // The last dim tokens are the vector, everything before them the word.
            const auto all = tokens(w, eol);
            if (all.size() > static_cast<std::size_t>(d) + 1) {
                const std::size_t wordTokens = all.size() - static_cast<std::size_t>(d);
                const char* wordEnd = all[wordTokens - 1].data() + all[wordTokens - 1].size();
                table.popBack();
                row = table.append(std::string_view(w, static_cast<std::size_t>(wordEnd - w)));
                r = parseValues(all[wordTokens].data(), eol, row, d);
            }
        }
        if (!r.error.empty()) malformed(path, line, r.error);
        if (r.count != d)
            malformed(path, line,
                      "expected " + std::to_string(d) + " values after the word, found " +
                          (r.count > d ? "more" : std::to_string(r.count)));
        p = eol + 1;
        ++line;
        ticker.tick(static_cast<std::uint64_t>(p - begin));
    }
    if (count >= 0 && static_cast<std::int64_t>(table.size()) != count)
        malformed(
            path, line,
            "the header announces " + std::to_string(count) + " vectors but the file holds " +
                std::to_string(table.size()) +
                (static_cast<std::int64_t>(table.size()) < count ? " (truncated download?)" : ""));
    if (table.size() == 0) malformed(path, line, "the file holds no vectors");
    table.finish();
    ticker.finish();
    return table;
}

VectorTable parseWord2VecBinary(std::string_view bytes, const std::filesystem::path& path,
                                const LoadOptions& options) {
    const char* begin = bytes.data();
    const char* end = begin + bytes.size();
    LoadTicker ticker(options, bytes.size());
    ticker.check(0);
    const char* eol = lineEnd(begin, end);
    const auto head = tokens(begin, eol);
    std::int64_t count = 0, dim = 0;
    if (head.size() != 2 || !parseCount(head[0], count) || !parseCount(head[1], dim) || dim < 1)
        malformed(path, 1, "not a word2vec binary file (expected a \"count dim\" first line)");
    if (static_cast<std::uint64_t>(dim) * sizeof(float) > bytes.size())
        malformed(path, 1, "implausible dimension " + std::to_string(dim));
    VectorTable table(static_cast<int>(dim));
    const std::size_t rows =
        std::min(static_cast<std::size_t>(count),
                 bytes.size() / (static_cast<std::size_t>(dim) * sizeof(float) + 2));
    table.reserve(rows, rows * 8);
    const std::size_t rowBytes = static_cast<std::size_t>(dim) * sizeof(float);
    const char* p = eol + 1;
    for (std::int64_t i = 0; i < count; ++i) {
        // Entry i is reported as "line" i + 2, as if the file were the text format.
        const std::size_t entry = static_cast<std::size_t>(i) + 2;
        while (p < end && (*p == '\n' || isBlank(*p))) ++p;
        const char* w = p;
        while (p < end && *p != ' ') ++p;
        if (p >= end || p == w)
            malformed(path, entry, "the file ends inside entry " + std::to_string(i + 1));
        float* row = table.append(std::string_view(w, static_cast<std::size_t>(p - w)));
        ++p;
        if (static_cast<std::size_t>(end - p) < rowBytes)
            malformed(path, entry,
                      "the file ends inside the vector of entry " + std::to_string(i + 1));
        std::memcpy(row, p, rowBytes);
        for (int k = 0; k < dim; ++k)
            if (!std::isfinite(row[k]))
                malformed(path, entry,
                          "value " + std::to_string(k + 1) + " is not a finite number");
        p += rowBytes;
        ticker.tick(static_cast<std::uint64_t>(p - begin));
    }
    table.finish();
    ticker.finish();
    return table;
}

std::unique_ptr<EmbeddingModel> loadTextVectors(const std::filesystem::path& path,
                                                const LoadOptions& options) {
    MappedFile file(path);
    return std::make_unique<TableEmbedding>("text", path,
                                            parseTextVectors(file.bytes(), path, options));
}

std::unique_ptr<EmbeddingModel> loadWord2VecBinary(const std::filesystem::path& path,
                                                   const LoadOptions& options) {
    MappedFile file(path);
    return std::make_unique<TableEmbedding>("text", path,
                                            parseWord2VecBinary(file.bytes(), path, options));
}

}  // namespace zsi::semantics
