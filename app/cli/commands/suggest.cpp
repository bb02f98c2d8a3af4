// zsi suggest: "name this object". For a box of an image (or the top detections), the words of
// the word vectors the model would score highest as a class: ZSI maps every detection into
// word-vector space, so its nearest words under the model's own scoring rule are its best
// guesses of a name. The work is Engine::suggestNames in core.
#include "command_registry.h"
#include "common_options.h"
#include "model_options.h"

#include "data/image_io.h"
#include "semantics/class_embedder.h"
#include "util/error.h"

#include <chrono>
#include <cstdio>
#include <sstream>

namespace zsi::cli {
namespace {

std::array<float, 4> parseBox(const std::string& s) {
    std::array<float, 4> b{};
    std::stringstream ss(s);
    std::string item;
    int k = 0;
    while (std::getline(ss, item, ',')) {
        if (k >= 4) break;
        try {
            size_t used = 0;
            b[size_t(k)] = std::stof(item, &used);
            if (used != item.size()) throw std::invalid_argument(item);
        } catch (const std::exception&) {
            k = -1;
            break;
        }
        ++k;
    }
    if (k != 4 || b[2] <= b[0] || b[3] <= b[1])
        throw Error(ErrorCode::InvalidArgument,
                    "--box expects x1,y1,x2,y2 with x2 > x1 and y2 > y1, e.g. 10,20,110,90",
                    {{"name", "--box"}, {"reason", "not x1,y1,x2,y2: " + s}});
    return b;
}

struct SuggestArgs {
    std::string image, box;
    int top = 10, detections = 3;
    ModelOptions model;
};

int runSuggest(const SuggestArgs& a, const GlobalOptions& g) {
    ModelSession s = openModelSession(a.model, g);
    if (!s.embedding.embedder) {
        // Seen mode with no unseen classes skips the word vectors: open them now.
        std::optional<std::filesystem::path> emb;
        if (!a.model.embeddings.empty()) emb = a.model.embeddings;
        s.embedding = openEmbeddingForModel(s.engine->summary(), emb, resolveDataDir(g));
    }
    const semantics::ClassEmbedder& embedder = *s.embedding.embedder;
    const LoadedImage image = loadImage(a.image);
    auto prepared = s.engine->prepare(image);
    SuggestOptions opts;
    opts.top = a.top;
    opts.exclude = s.engine->summary().seenClasses;
    std::vector<std::pair<std::string, std::array<float, 4>>> boxes;
    if (!a.box.empty()) {
        boxes.emplace_back("box " + a.box, parseBox(a.box));
    } else {
        const InferenceResult r = s.engine->score(*prepared, s.request);
        for (size_t i = 0; i < r.instances.size() && int(i) < a.detections; ++i) {
            const Instance& inst = r.instances[i];
            char label[160];
            std::snprintf(label, sizeof label, "detection %zu: %s %.3f at %.0f,%.0f,%.0f,%.0f", i,
                          inst.className.c_str(), inst.score, inst.x1, inst.y1, inst.x2, inst.y2);
            boxes.emplace_back(label, std::array<float, 4>{inst.x1, inst.y1, inst.x2, inst.y2});
        }
        if (boxes.empty()) std::printf("no detections; give a --box\n");
    }
    std::printf("words of %s (%zu entries), %s rule\n",
                embedder.model().path().filename().string().c_str(),
                embedder.model().vocabularySize(), toString(s.request.scoring).c_str());
    for (const auto& [label, box] : boxes) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto names = s.engine->suggestNames(*prepared, box, s.request, embedder.model(),
                                                  embedder.normalisation(), opts);
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
        std::printf("%s (%.0f ms)\n", label.c_str(), ms);
        for (size_t k = 0; k < names.size(); ++k)
            std::printf("  %2zu  %-20s %.4f\n", k + 1, names[k].word.c_str(), names[k].score);
    }
    return 0;
}

RegisterCommand reg(
    "suggest",
    "Name this object: the words the model scores highest for a box (or the top detections)\n"
    "  zsi suggest resources/demo/images/synth-000001.png --box 40,60,120,150",
    [](CLI::App& sub, GlobalOptions& g) -> CommandRun {
        auto a = std::make_shared<SuggestArgs>();
        sub.add_option("image", a->image, "Image file")->required();
        sub.add_option("--box", a->box,
                       "x1,y1,x2,y2 in image pixels (default: the top detections)");
        sub.add_option("--top", a->top, "Words per box")
            ->check(CLI::Range(1, 1000))
            ->capture_default_str();
        sub.add_option("--detections", a->detections, "Detections to name when no --box is given")
            ->check(CLI::Range(1, 100))
            ->capture_default_str();
        addModelOptions(sub, a->model);
        return [a, &g]() -> int { return runSuggest(*a, g); };
    });

}  // namespace
}  // namespace zsi::cli
