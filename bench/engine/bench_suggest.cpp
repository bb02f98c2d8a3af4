// "Name this object" speed (Engine::suggestNames): ranking a whole word-vector vocabulary for one
// box, once the image is prepared and the vectors are loaded.
//
//   bench_suggest [THREADS]
//
// Rows: the demo model (VOC-free head, D = 100: every word goes through the head's class
// transform) with its 20k-word GloVe vectors and with a generated 2M-word file; the tiny
// reference-layout model of the tests (VOC head, as the published models: words are scored
// directly) with a generated 2M-word 300-d file. Generated files are word2vec binary with
// random vectors and letter-only words, written to the temp folder and deleted after.
#include "data/image_io.h"
#include "engine/class_setup.h"
#include "engine/engine.h"
#include "io/reference_checkpoint.h"
#include "runtime/runtime.h"
#include "semantics/class_embedder.h"
#include "semantics/embedding.h"
#include "util/random.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace zsi;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

// word2vec binary: "count dim\n" then per word "word " + dim floats.
fs::path writeRandomVectors(std::size_t words, int dim) {
    const fs::path p = fs::temp_directory_path() /
                       ("zsi-bench-" + std::to_string(words) + "x" + std::to_string(dim) + ".bin");
    std::ofstream out(p, std::ios::binary);
    out << words << ' ' << dim << '\n';
    Rng r(7);
    std::vector<float> v(static_cast<size_t>(dim));
    std::string w;
    for (std::size_t i = 0; i < words; ++i) {
        w.clear();
        std::size_t k = i + 1;
        while (k) {  // letters only: the suggestion filter keeps plain words
            w.push_back(char('a' + k % 26));
            k /= 26;
        }
        w += "q";
        out << w << ' ';
        for (auto& x : v) x = float(r.uniform(-1, 1));
        out.write(reinterpret_cast<const char*>(v.data()),
                  std::streamsize(v.size() * sizeof(float)));
    }
    return p;
}

void row(const char* name, Engine& engine, const LoadedImage& image,
         const std::array<float, 4>& box, const semantics::EmbeddingModel& words,
         const semantics::Normalisation& norm) {
    auto prepared = engine.prepare(image);
    ScoringRequest request = engine.defaultRequest();
    SuggestOptions o;
    o.exclude = engine.summary().seenClasses;
    engine.suggestNames(*prepared, box, request, words, norm, o);  // builds the word filter
    std::vector<double> t;
    for (int i = 0; i < 7; ++i) {
        const auto t0 = Clock::now();
        const auto names = engine.suggestNames(*prepared, box, request, words, norm, o);
        t.push_back(ms(t0, Clock::now()));
        if (names.empty()) std::printf("  (no suggestions?)\n");
    }
    std::sort(t.begin(), t.end());
    std::printf("%-44s %10zu %5d %10.1f %10.1f\n", name, words.vocabularySize(), words.dim(),
                t[t.size() / 2], t.front());
}

}  // namespace

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    initTorchThreads(threads);
    const fs::path data = ZSI_SOURCE_DIR "/resources";
    const fs::path fixtures = ZSI_SOURCE_DIR "/tests/fixtures/reference";
    std::printf("suggest names: one box, whole vocabulary, %d threads (median and best of 7)\n",
                threads);
    std::printf("%-44s %10s %5s %10s %10s\n", "model x vectors", "words", "D", "median ms",
                "best ms");

    auto demo = Engine::open(data / "demo" / "model", EngineOptions{"cpu"});
    const EmbeddingChoice glove = openEmbeddingForModel(demo->summary(), std::nullopt, data);
    const LoadedImage scene = loadImage(data / "demo" / "images" / "synth-000003.png");
    row("demo (VOC-free head) x GloVe 20k", *demo, scene, {84, 107, 165, 200},
        glove.embedder->model(), glove.embedder->normalisation());
    {
        const fs::path f = writeRandomVectors(2'000'000, 100);
        const auto t0 = Clock::now();
        const auto words = semantics::loadEmbedding(f);
        std::printf("  (loaded %s in %.1f s)\n", f.filename().string().c_str(),
                    ms(t0, Clock::now()) / 1000);
        row("demo (VOC-free head) x generated 2M, 100-d", *demo, scene, {84, 107, 165, 200}, *words,
            glove.embedder->normalisation());
        fs::remove(f);
    }
    {
        const fs::path bundle = fs::temp_directory_path() / "zsi-bench-suggest-tiny";
        io::ReferenceImportOptions o;
        o.checkpoint = fixtures / "tiny_48_17.pth";
        o.config = fixtures / "tiny_48_17.json";
        o.vectors = fixtures / "word_w2v_withbg_48_17.txt";
        o.classes = fixtures / "classes_48_17.txt";
        o.voc = fixtures / "voc_stand_in_k40.txt";
        o.out = bundle;
        io::importReferenceCheckpoint(o);
        auto tiny = Engine::open(bundle, EngineOptions{"cpu"});
        const LoadedImage cat = loadImage(fixtures / "cat-451x300.png");
        const fs::path f = writeRandomVectors(2'000'000, 300);
        const auto t0 = Clock::now();
        const auto words = semantics::loadEmbedding(f);
        std::printf("  (loaded %s in %.1f s)\n", f.filename().string().c_str(),
                    ms(t0, Clock::now()) / 1000);
        row("reference layout (VOC head) x generated 2M, 300-d", *tiny, cat, {100, 50, 300, 250},
            *words, semantics::Normalisation::reference());
        fs::remove(f);
        fs::remove_all(bundle);
    }
    return 0;
}
