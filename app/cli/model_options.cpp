#include "model_options.h"

#include "common_options.h"

#include "data/split.h"
#include "util/error.h"

#include <cstdint>
#include <iostream>

namespace fs = std::filesystem;

namespace zsi::cli {

void addModelOptions(CLI::App& sub, ModelOptions& o) {
    sub.add_option("--model", o.model, "Model bundle folder (default: the demo model)");
    sub.add_option("--embeddings", o.embeddings,
                   "Word vectors for the class names (default: the model's)");
    auto* unseen = sub.add_option("--unseen", o.unseen, "Unseen class names, comma-separated");
    auto* unseenFile =
        sub.add_option("--unseen-file", o.unseenFile, "File with one unseen class name per line");
    auto* split = sub.add_option("--split", o.split, "split.json whose unseen list to use");
    unseen->excludes(unseenFile)->excludes(split);
    unseenFile->excludes(split);
    // The names are the settings' own (settings/inference_settings.h); the checks list them in
    // --help, the parse functions turn them into the enums.
    InferenceOverrides& i = o.inference;
    sub.add_option_function<std::string>(
           "--mode", [&i](const std::string& v) { i.mode = parseInferenceMode(v); },
           "zsi (unseen only), gzsi (seen and unseen) or seen")
        ->check(CLI::IsMember({"zsi", "gzsi", "seen"}));
    sub.add_option_function<std::string>(
           "--scoring", [&i](const std::string& v) { i.scoring = parseScoringRule(v); },
           "reference (published code) or direct (paper text)")
        ->check(CLI::IsMember({"reference", "direct"}));
    sub.add_option_function<std::string>(
           "--box-rule", [&i](const std::string& v) { i.boxRule = parseBoxRegressionRule(v); },
           "Unseen box regression: reference-index or p-weighted")
        ->check(CLI::IsMember({"reference-index", "p-weighted"}));
    sub.add_option("--score-threshold", i.scoreThreshold, "Minimum score of a detection, 0..1");
    sub.add_option("--mask-threshold", i.maskThreshold, "Mask probability threshold, 0..1");
    sub.add_flag_function(
        "--one-label-per-object", [&i](std::int64_t) { i.oneLabelPerObject = true; },
        "Keep the best class of each object; the others become its alternatives "
        "(zsi_alternatives). For annotation, not for COCO evaluation");
    sub.add_option("--device", o.device, "cpu, cuda or auto")
        ->check(CLI::IsMember({"cpu", "cuda", "auto"}));
}

namespace {
// Thresholds are probabilities: a value outside [0, 1] is a typo, not a setting.
void checkUnitInterval(const char* name, const std::optional<double>& v) {
    if (v && !(*v >= 0.0 && *v <= 1.0))
        throw Error(ErrorCode::InvalidArgument,
                    std::string(name) + " must be between 0 and 1 (got " + std::to_string(*v) + ")",
                    {{"name", name}, {"reason", "outside [0, 1]: " + std::to_string(*v)}});
}
}  // namespace

ModelSession openModelSession(const ModelOptions& o, const GlobalOptions& global) {
    checkUnitInterval("--score-threshold", o.inference.scoreThreshold);
    checkUnitInterval("--mask-threshold", o.inference.maskThreshold);
    const fs::path dataDir = resolveDataDir(global);
    const fs::path bundle = o.model.empty() ? dataDir / "demo" / "model" : fs::path(o.model);
    ModelSession s;
    s.engine = Engine::open(bundle, EngineOptions{o.device});
    s.request = s.engine->defaultRequest();
    static_cast<InferenceSettings&>(s.request) = o.inference.appliedTo(s.request);

    std::vector<std::string> names;
    if (!o.unseen.empty())
        names = splitClassList(o.unseen);
    else if (!o.unseenFile.empty())
        names = readClassFile(o.unseenFile);
    else if (!o.split.empty())
        names = readSplit(o.split).unseen;
    else if (s.request.mode != InferenceMode::Seen)
        names = s.engine->summary().defaultUnseen;
    // GZSI with no unseen class scores the seen classes; ZSI has nothing to find.
    if (names.empty() && s.request.mode == InferenceMode::Zsi)
        throw Error(
            ErrorCode::EmptyVocabulary,
            "no unseen classes: the model names no default ones; give --unseen, --unseen-file or "
            "--split (or --mode gzsi / seen)",
            {{"what", "unseen classes"}});
    if (!names.empty()) {
        std::optional<fs::path> emb;
        if (!o.embeddings.empty()) emb = fs::path(o.embeddings);
        s.embedding = openEmbeddingForModel(s.engine->summary(), emb, dataDir);
        if (s.embedding.warning) std::cerr << "warning: " << *s.embedding.warning << "\n";
        addUnseenClasses(s.request, *s.embedding.embedder, names, s.engine->summary().seenClasses);
    }
    return s;
}

}  // namespace zsi::cli
