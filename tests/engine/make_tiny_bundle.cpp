// Writes a tiny random-weight model bundle (D = 6, 3 seen classes) with its word vectors
// beside it, for the CLI and GUI tests: `make_tiny_bundle OUT_DIR`. Deterministic (fixed seed).
#include "io/model_bundle.h"
#include "model/tiny_model.h"
#include "model/detector.h"
#include "semantics/class_embedder.h"
#include "semantics/embedding.h"
#include "semantics/embedding_info.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;
using namespace zsi;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: make_tiny_bundle OUT_DIR\n";
        return 2;
    }
    const fs::path out = argv[1];
    const fs::path vec = fs::path(ZSI_FIXTURES_DIR) / "engine" / "tiny-words.vec";
    std::shared_ptr<const semantics::EmbeddingModel> words = semantics::loadEmbedding(vec);
    const semantics::ClassEmbedder embedder(words, semantics::Normalisation::none());
    const std::vector<std::string> seen = {"red circle", "green square", "blue star"};

    ModelConfig c = test::tinyConfig();
    c.name = "tiny-test-model";
    c.anchors.scales = {8.0};
    c.rpn.test = {200, 0.7, 100, 100, 0.0};
    c.preprocess.maxLongSide = 128;
    c.preprocess.maxShortSide = 128;
    c.inference.scoring = ScoringRule::Direct;
    c.inference.boxRule = BoxRegressionRule::PWeighted;
    c.inference.scoreThreshold = 0.0;
    c.inference.maxDetections = 10;

    torch::manual_seed(5);
    model::ZsiDetector m(c);
    at::Tensor seenVectors = at::zeros({6, 3});
    for (int i = 0; i < 3; ++i) seenVectors.select(1, i).copy_(at::tensor(embedder.embed(seen[size_t(i)]).vector));
    m->setSeenClassVectors(seenVectors, seenVectors.mean(1), true);
    m->eval();

    io::ModelBundle b;
    b.info.seenClasses = seen;
    nlohmann::json emb;
    semantics::to_json(emb, semantics::describeEmbedding(*words, semantics::Normalisation::none()));
    b.info.embedding = emb;
    b.info.provenance = {{"trainer", "make_tiny_bundle (random weights, for tests)"}};
    b.detector = m.ptr();
    io::writeModelBundle(out, b);
    fs::copy_file(vec, out / vec.filename(), fs::copy_options::overwrite_existing);
    std::cout << "tiny bundle written to " << out.string() << "\n";
    return 0;
}
