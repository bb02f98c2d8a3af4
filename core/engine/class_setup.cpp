#include "engine/class_setup.h"

#include "semantics/class_name.h"
#include "semantics/embedding_info.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace zsi {
namespace {
std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}
}  // namespace

EmbeddingChoice openEmbeddingForModel(const ModelSummary& model,
                                      const std::optional<fs::path>& explicitFile,
                                      const fs::path& dataDir,
                                      const semantics::LoadOptions& loadOptions) {
    std::optional<semantics::EmbeddingInfo> trained;
    if (!model.embeddingJson.empty() && model.embeddingJson != "null")
        trained = semantics::embeddingInfoFromJsonString(model.embeddingJson);

    fs::path path;
    std::vector<fs::path> tried;
    std::error_code ec;
    if (explicitFile) {
        path = *explicitFile;
    } else if (trained && !trained->fileName.empty()) {
        for (const fs::path& dir :
             {model.bundlePath, dataDir / "demo" / "vectors", dataDir / "vectors"}) {
            if (dir.empty()) continue;
            tried.push_back(dir / trained->fileName);
            if (fs::exists(tried.back(), ec)) {
                path = tried.back();
                break;
            }
        }
    }
    std::shared_ptr<const semantics::EmbeddingModel> columns;
    if (!model.classColumns.empty()) {
        semantics::LoadOptions co;
        co.classNames = model.classNames;
        columns = semantics::loadEmbedding(model.classColumns, co);
    }
    if (path.empty() && columns) {
        // Only the bundle's own classes can be typed until the word vectors are supplied.
        EmbeddingChoice choice;
        choice.path = model.classColumns;
        choice.embedder =
            std::make_shared<semantics::ClassEmbedder>(columns, semantics::Normalisation::none());
        std::string hint = model.embeddingHint.empty()
                               ? "supply the model's word vectors (--embeddings)"
                               : model.embeddingHint;
        choice.embedder->setUnknownWordHint(hint);
        std::string where;
        for (const auto& t : tried) where += (where.empty() ? "" : ", ") + t.string();
        choice.warning = "only the " + std::to_string(columns->vocabularySize()) + " classes of " +
                         model.classColumns.filename().string() + " can be typed (no " +
                         (trained ? trained->fileName : std::string("word vectors")) + " found" +
                         (where.empty() ? "" : " at " + where) + "); " + hint;
        return choice;
    }
    if (path.empty()) {
        std::string where;
        for (const auto& t : tried) where += (where.empty() ? "" : ", ") + t.string();
        throw Error(ErrorCode::FileNotFound,
                    "no word vectors for model '" + model.name + "' (looked at: " +
                        (where.empty() ? std::string("nothing; the bundle names no file") : where) +
                        "); pass --embeddings FILE",
                    {{"path", where}});
    }

    std::shared_ptr<const semantics::EmbeddingModel> vectors =
        semantics::loadEmbedding(path, loadOptions);
    const semantics::Normalisation norm =
        trained ? trained->normalisation : semantics::Normalisation{};
    EmbeddingChoice choice;
    choice.path = path;
    if (vectors->dim() != model.semanticDim)
        throw Error(ErrorCode::DimensionMismatch,
                    "word vectors in " + path.string() + " have dimension " +
                        std::to_string(vectors->dim()) + ", the model expects " +
                        std::to_string(model.semanticDim),
                    {{"what", path.string()},
                     {"expected", std::to_string(model.semanticDim)},
                     {"found", std::to_string(vectors->dim())}});
    if (trained) {
        // Hash only when the names differ: a same-named file is taken as the same file
        // (hashing a 7 GB model on every start would cost more than it protects).
        const bool sameName = path.filename().string() == trained->fileName;
        const semantics::EmbeddingInfo loaded =
            semantics::describeEmbedding(*vectors, norm, !sameName);
        semantics::EmbeddingInfo expected = *trained;
        if (sameName) expected.sha256.clear();
        choice.warning = semantics::checkCompatible(expected, loaded);
    }
    choice.embedder = std::make_shared<semantics::ClassEmbedder>(vectors, norm);
    if (columns) choice.embedder->setExactClasses(columns);
    return choice;
}

std::vector<std::string> splitClassList(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        item = trim(item);
        if (!item.empty()) out.push_back(item);
    }
    return out;
}

std::vector<std::string> readClassFile(const fs::path& path) {
    std::stringstream ss(readFileBytes(path));
    std::vector<std::string> out;
    std::string line;
    while (std::getline(ss, line)) {
        line = trim(line);
        if (!line.empty() && line[0] != '#') out.push_back(line);
    }
    return out;
}

void addUnseenClasses(ScoringRequest& request, const semantics::ClassEmbedder& embedder,
                      const std::vector<std::string>& names,
                      const std::vector<std::string>& seenClasses) {
    std::set<std::string> keys;
    for (const auto& s : seenClasses) keys.insert(semantics::classKey(s));
    for (const auto& u : request.unseenNames) keys.insert(semantics::classKey(u));
    std::vector<std::string> missing;
    std::vector<semantics::ClassEmbedding> embedded;
    for (const std::string& name : names) {
        const std::string key = semantics::classKey(name);
        if (keys.count(key))
            throw Error(
                ErrorCode::DuplicateClass,
                "class '" + name + "' is already in the vocabulary (a seen class or typed twice)",
                {{"name", name}, {"reason", "duplicate"}});
        keys.insert(key);
        semantics::ClassEmbedding e = embedder.analyse(name);
        for (const auto& w : e.missingWords())
            if (std::find(missing.begin(), missing.end(), w) == missing.end()) missing.push_back(w);
        embedded.push_back(std::move(e));
    }
    if (!missing.empty()) {
        std::string words;
        for (const auto& w : missing) words += (words.empty() ? "" : ", ") + w;
        const std::string& hint = embedder.unknownWordHint();
        throw Error(
            ErrorCode::UnknownWords,
            "not in the word vectors (" + embedder.model().path().filename().string() +
                "): " + words + (hint.empty() ? "" : "; " + hint),
            {{"words", words}, {"model", embedder.model().path().string()}, {"hint", hint}});
    }
    for (auto& e : embedded) request.addUnseen(e.name, e.vector);
}

}  // namespace zsi
