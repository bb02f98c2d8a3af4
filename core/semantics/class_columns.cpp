// The reference method's class-vector files: D lines of comma-separated floats, one column
// per class (column 0 the background), with the names of the class columns in a separate
// list. Entries are whole class names ("traffic light"), not words.
#include "semantics/backends_p.h"
#include "semantics/class_name.h"
#include "semantics/column_matrix.h"
#include "semantics/mapped_file_p.h"
#include "util/error.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <regex>

namespace zsi::semantics {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void malformed(const fs::path& path, std::size_t line, const std::string& reason) {
    throw Error(ErrorCode::VectorFileMalformed,
                path.string() + ":" + std::to_string(line) + ": " + reason,
                {{"path", path.string()}, {"line", std::to_string(line)}, {"reason", reason}});
}

// word_w2v_withbg_48_17.txt -> classes_48_17.txt (the reference data's naming).
fs::path guessNamesFile(const fs::path& vectors) {
    static const std::regex suffix(R"((_\d+_\d+)$)");
    std::smatch m;
    const std::string stem = vectors.stem().string();
    if (std::regex_search(stem, m, suffix)) {
        fs::path guess = vectors.parent_path() / ("classes" + m[1].str() + ".txt");
        if (fs::exists(guess)) return guess;
    }
    for (const char* name : {"classes.txt", "class_names.txt"}) {
        fs::path guess = vectors.parent_path() / name;
        if (fs::exists(guess)) return guess;
    }
    return {};
}

std::vector<std::string> readNames(const fs::path& path) {
    std::ifstream in(path);
    if (!in)
        throw Error(ErrorCode::FileNotFound, "Class-name list not found: " + path.string(),
                    {{"path", path.string()}});
    std::vector<std::string> names;
    std::string line;
    while (std::getline(in, line)) {
        std::string n = normaliseClassName(line);
        if (!n.empty()) names.push_back(std::move(n));
    }
    return names;
}

}  // namespace

ColumnMatrix readColumnMatrix(const fs::path& path, const LoadOptions& options) {
    MappedFile file(path);
    const std::string_view bytes = file.bytes();
    LoadTicker ticker(options, bytes.size());
    ticker.check(0);
    // rows[d][c]: the file is D lines of C columns.
    std::vector<float> values;
    std::size_t columns = 0, lines = 0, line = 0;
    const char* p = bytes.data();
    const char* end = p + bytes.size();
    while (p < end) {
        const char* eol =
            static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        if (!eol) eol = end;
        ++line;
        const char* e = eol;
        while (e > p && (e[-1] == '\r' || e[-1] == ' ')) --e;
        if (e == p) {
            p = eol + 1;
            continue;
        }
        std::size_t c = 0;
        for (const char* s = p; s <= e;) {
            const char* comma =
                static_cast<const char*>(std::memchr(s, ',', static_cast<std::size_t>(e - s)));
            const char* te = comma ? comma : e;
            const char* ts = s;
            while (ts < te && *ts == ' ') ++ts;
            float v = 0;
            auto [ptr, ec] = std::from_chars(ts, te, v);
            if (ec != std::errc() || ptr != te)
                malformed(path, line, "column " + std::to_string(c) + " is not a number");
            if (!std::isfinite(v))
                malformed(path, line, "column " + std::to_string(c) + " is not a finite number");
            values.push_back(v);
            ++c;
            if (!comma) break;
            s = comma + 1;
        }
        if (lines == 0) columns = c;
        if (c != columns)
            malformed(
                path, line,
                "expected " + std::to_string(columns) + " columns, found " + std::to_string(c));
        ++lines;
        p = eol + 1;
        ticker.tick(static_cast<std::uint64_t>(p - bytes.data()));
    }
    if (lines == 0) malformed(path, 1, "the file holds no vectors");
    ticker.finish();
    ColumnMatrix m;
    m.rows = lines;
    m.columns = columns;
    m.values = std::move(values);
    return m;
}

std::unique_ptr<EmbeddingModel> loadClassColumns(const fs::path& path, const LoadOptions& options) {
    fs::path namesPath = options.classNames.empty() ? guessNamesFile(path) : options.classNames;
    if (namesPath.empty())
        throw Error(
            ErrorCode::InvalidArgument,
            path.string() + " is a class-column file; give the list of its class names as well",
            {{"name", "class names"}, {"reason", "missing for " + path.string()}});
    const auto names = readNames(namesPath);

    ColumnMatrix matrix = readColumnMatrix(path, options);
    const std::size_t lines = matrix.rows, columns = matrix.columns;
    const std::vector<float>& values = matrix.values;

    const bool withBackground = names.size() + 1 == columns;
    if (!withBackground && names.size() != columns)
        throw Error(ErrorCode::DimensionMismatch,
                    namesPath.string() + " names " + std::to_string(names.size()) +
                        " classes but " + path.string() + " has " + std::to_string(columns) +
                        " columns (expected one name per class column, column 0 background)",
                    {{"what", "class names"},
                     {"expected", std::to_string(columns - 1)},
                     {"found", std::to_string(names.size())}});

    const int dim = static_cast<int>(lines);
    auto column = [&](std::size_t c, float* out) {
        for (std::size_t d = 0; d < lines; ++d) out[d] = values[d * columns + c];
    };
    VectorTable table(dim);
    table.reserve(names.size(), names.size() * 12);
    const std::size_t first = withBackground ? 1 : 0;
    for (std::size_t i = 0; i < names.size(); ++i) column(first + i, table.append(names[i]));
    table.finish();
    std::optional<std::vector<float>> background;
    if (withBackground) {
        background.emplace(static_cast<std::size_t>(dim));
        column(0, background->data());
    }
    return std::make_unique<TableEmbedding>("class-columns", path, std::move(table), true,
                                            std::move(background));
}

}  // namespace zsi::semantics
