// zsi embed: what a class name becomes in word-vector space. Shows the dimension, the norm,
// how each word was found (in the vocabulary / built from subwords / missing) and the
// nearest classes of a class list (or the nearest vocabulary words).
#include "command_registry.h"
#include "common_options.h"

#include "semantics/class_embedder.h"
#include "semantics/class_vocabulary.h"
#include "semantics/embedding.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace {

namespace fs = std::filesystem;
using namespace zsi;
using namespace zsi::semantics;

struct EmbedOptions {
    std::string embeddings;
    std::string classesFile;
    std::string columnNames;
    std::string normalisation = "none";
    std::vector<std::string> phrases;
    int top = 5;
    std::size_t scan = 200000;
    bool json = false;
    bool printVector = false;
};

// The demo vectors in the data dir: the default file name, else any model in demo/vectors.
fs::path defaultEmbeddings(const cli::GlobalOptions& g) {
    const fs::path dir = cli::resolveDataDir(g) / "demo" / "vectors";
    const fs::path preferred = dir / "glove-6b-100d-20k.bin";
    if (fs::exists(preferred)) return preferred;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const auto ext = e.path().extension();
        if (ext == ".bin" || ext == ".ftz" || ext == ".vec") return e.path();
    }
    throw Error(ErrorCode::FileNotFound,
                "No demo word vectors in " + dir.string() + " (use --embeddings)",
                {{"path", dir.string()}});
}

std::vector<std::string> readLines(const fs::path& path) {
    std::ifstream in(path);
    if (!in)
        throw Error(ErrorCode::FileNotFound, "File not found: " + path.string(),
                    {{"path", path.string()}});
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line))
        if (line.find_first_not_of(" \t\r") != std::string::npos) out.push_back(line);
    return out;
}

std::string fmt(float v, int digits = 4) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, static_cast<double>(v));
    return buf;
}

int run(const EmbedOptions& o, const cli::GlobalOptions& g) {
    const fs::path path = o.embeddings.empty() ? defaultEmbeddings(g) : fs::path(o.embeddings);
    LoadOptions lo;
    lo.classNames = o.columnNames;
    const auto t0 = std::chrono::steady_clock::now();
    std::shared_ptr<const EmbeddingModel> model = loadEmbedding(path, lo);
    const double loadSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const ClassEmbedder embedder(model, Normalisation::parse(o.normalisation));

    // The class list to rank against: every name that embeds (others are reported).
    std::optional<ClassVocabulary> classes;
    std::vector<std::string> skipped;
    if (!o.classesFile.empty()) {
        ClassVocabulary v(model->dim(), {});
        for (const auto& name : readLines(o.classesFile)) {
            const auto e = embedder.analyse(name);
            if (!e.ok() || v.rejectReason(name)) {
                skipped.push_back(name);
                continue;
            }
            v.addUnseen(name, e.vector);
        }
        classes = std::move(v);
    }

    nlohmann::json out;
    out["embeddings"] = {{"path", path.string()},
                         {"kind", model->kind()},
                         {"dim", model->dim()},
                         {"subwords", model->hasSubwords()},
                         {"vocabulary", model->vocabularySize()},
                         {"normalisation", embedder.normalisation().toString()},
                         {"load_seconds", loadSeconds}};
    if (!skipped.empty()) out["skipped_classes"] = skipped;
    if (!o.json) {
        std::cout << path.filename().string() << ": " << model->kind() << ", " << model->dim()
                  << "-d, " << model->vocabularySize() << " entries, "
                  << (model->hasSubwords() ? "subword vectors for unknown words" : "no subwords")
                  << ", loaded in " << fmt(static_cast<float>(loadSeconds), 2) << " s\n";
        for (const auto& s : skipped)
            std::cerr << "warning: class \"" << s << "\" skipped (unknown words or duplicate)\n";
    }

    std::vector<std::string> unknown;
    for (const auto& phrase : o.phrases) {
        const ClassEmbedding e = embedder.analyse(phrase);
        nlohmann::json pj;
        pj["name"] = phrase;
        pj["key"] = e.key;
        pj["ok"] = e.ok();
        for (const auto& w : e.words)
            pj["words"].push_back({{"word", w.word}, {"status", wordStatusName(w.status)}});
        if (!o.json) {
            std::cout << "\n\"" << phrase << "\"";
            if (e.ok()) std::cout << "  norm " << fmt(l2Norm(e.vector.data(), model->dim()));
            std::cout << "\n";
            for (const auto& w : e.words)
                std::cout << "  " << w.word << ": "
                          << (w.status == WordStatus::Found               ? "found"
                              : w.status == WordStatus::BuiltFromSubwords ? "built from subwords"
                                                                          : "NOT IN VOCABULARY")
                          << "\n";
        }
        if (!e.ok()) {
            for (const auto& m : e.missingWords()) unknown.push_back(m);
            out["phrases"].push_back(pj);
            continue;
        }
        pj["norm"] = l2Norm(e.vector.data(), model->dim());
        if (o.printVector) pj["vector"] = e.vector;
        std::vector<Neighbour> nearest;
        if (classes) {
            for (const auto& m : classes->nearestClasses(e.vector, o.top))
                nearest.push_back({m.name, m.cosine});
        } else {
            nearest = nearestWords(*model, e.vector, o.top, o.scan,
                                   e.words.size() == 1 ? std::vector<std::string>{e.words[0].word}
                                                       : std::vector<std::string>{});
        }
        for (const auto& n : nearest)
            pj["nearest"].push_back({{"name", n.name}, {"cosine", n.cosine}});
        if (!o.json) {
            if (o.printVector) {
                std::cout << "  vector:";
                for (float v : e.vector) std::cout << " " << v;
                std::cout << "\n";
            }
            std::cout << "  nearest " << (classes ? "classes" : "words") << ":";
            for (const auto& n : nearest) std::cout << "  " << n.name << " " << fmt(n.cosine, 3);
            std::cout << "\n";
        }
        out["phrases"].push_back(pj);
    }
    if (o.json) std::cout << out.dump(2) << "\n";
    if (!unknown.empty()) {
        std::string list;
        for (const auto& w : unknown) list += (list.empty() ? "" : ", ") + w;
        std::cerr << "error [" << errorCodeName(ErrorCode::UnknownWords)
                  << "]: not in the vocabulary of " << path.filename().string()
                  << (model->hasSubwords() ? "" : " (no subword information)") << ": " << list
                  << "\n";
        return 1;
    }
    return 0;
}

zsi::cli::RegisterCommand reg(
    "embed",
    "Show the word vector of class names: dimension, norm, unknown words, nearest classes\n"
    "  zsi embed cat \"traffic light\" \"couch | sofa\"",
    [](CLI::App& sub, zsi::cli::GlobalOptions& g) -> zsi::cli::CommandRun {
        auto o = std::make_shared<EmbedOptions>();
        sub.add_option("--embeddings", o->embeddings,
                       "Word vectors: fastText .bin/.ftz, .vec/.txt text, word2vec .bin, or a "
                       "class-column file (default: the demo GloVe vectors in the data dir)");
        sub.add_option("--classes-file", o->classesFile,
                       "Class names, one per line: show the nearest of them (default: nearest "
                       "vocabulary words)");
        sub.add_option("--column-names", o->columnNames,
                       "Names of the columns of a class-column --embeddings file");
        sub.add_option("--normalisation", o->normalisation, "none | unit-l2 | norm:<value>");
        sub.add_option("--top", o->top, "How many nearest classes or words")
            ->check(CLI::Range(1, 1000));
        sub.add_option("--scan", o->scan,
                       "Nearest words: scan this many most frequent words (0: all)");
        sub.add_flag("--json", o->json, "Machine-readable output");
        sub.add_flag("--print-vector", o->printVector, "Print the class vectors");
        sub.add_option("phrases", o->phrases,
                       "Class names (quote multi-word names; \"couch | sofa\")")
            ->required();
        return [o, &g] { return run(*o, g); };
    });

}  // namespace
