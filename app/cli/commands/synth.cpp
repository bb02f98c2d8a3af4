// zsi synth: writes a synthetic zero-shot benchmark: DIR/images/NNNNNN.png and
// DIR/instances.json (COCO instances; file_name relative to DIR, masks as compressed RLE).
// --kind shapes: "colour shape" classes; --kind emoji: drawings of real object categories.
#include "command_registry.h"
#include "common_options.h"

#include "data/emoji_synth.h"
#include "data/split.h"
#include "data/synth.h"
#include "util/error.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

namespace {

namespace fs = std::filesystem;
using namespace zsi;

struct SynthCliOptions {
    std::string out;
    int images = 0;
    uint64_t seed = 1;
    std::string split;
    std::string set = "train";
    int size = 256;
    int minObjects = 1, maxObjects = 0;  // 0: 8 shapes / 10 emoji
    std::string backgrounds;
    bool quiet = false;
    std::string kind = "shapes";
    std::string emojiDir;
    std::vector<std::string> styles;
    std::string labels = "coco";
};

static cli::RegisterCommand reg(
    "synth",
    "Generate a synthetic zero-shot benchmark (PNG images + COCO instances.json)\n"
    "  zsi synth --out /tmp/test --images 200 --set zsi-test\n"
    "  zsi synth --kind emoji --split resources/emoji/splits/emoji-coco-48-17.json --styles "
    "fluent --out /tmp/e",
    [](CLI::App& sub, cli::GlobalOptions& g) -> cli::CommandRun {
        auto o = std::make_shared<SynthCliOptions>();
        sub.add_option("--out", o->out, "Output folder (gets images/ and instances.json)")
            ->required();
        sub.add_option("--images", o->images, "Number of images")
            ->required()
            ->check(CLI::Range(1, 10000000));
        sub.add_option("--seed", o->seed, "Random seed: the same seed gives the same files")
            ->capture_default_str();
        sub.add_option("--split", o->split,
                       "Split JSON {\"seen\": [...], \"unseen\": [...]} (default: the demo split)");
        sub.add_option(
               "--set", o->set,
               "train (seen classes only) | zsi-test (unseen in every image) | gzsi-test (mixed)")
            ->check(CLI::IsMember({"train", "zsi-test", "gzsi-test"}))
            ->capture_default_str();
        sub.add_option("--size", o->size, "Image size in pixels")
            ->check(CLI::Range(32, 4096))
            ->capture_default_str();
        sub.add_option("--min-objects", o->minObjects, "Fewest objects per image")
            ->capture_default_str();
        sub.add_option("--max-objects", o->maxObjects,
                       "Most objects per image (default 8 shapes, 10 emoji)");
        sub.add_option("--backgrounds", o->backgrounds,
                       "Folder of photos to use as backgrounds (default: procedural)");
        sub.add_flag("--quiet", o->quiet, "No progress output");
        sub.add_option("--kind", o->kind,
                       "shapes (colour shapes) or emoji (drawings of real objects)")
            ->check(CLI::IsMember({"shapes", "emoji"}))
            ->capture_default_str();
        sub.add_option("--emoji-dir", o->emojiDir, "Emoji pack folder (default: <data>/emoji)");
        sub.add_option("--styles", o->styles,
                       "Emoji drawing styles to use (default: all), e.g. noto twemoji")
            ->delimiter(',');
        sub.add_option(
               "--labels", o->labels,
               "Emoji class names: coco (a turkey is a bird) or class (a turkey is a turkey)")
            ->check(CLI::IsMember({"coco", "class"}))
            ->capture_default_str();
        return [o, &g]() -> int {
            const bool emoji = o->kind == "emoji";
            const fs::path dataDir = cli::resolveDataDir(g);
            const fs::path splitPath = !o->split.empty() ? fs::path(o->split)
                                       : emoji
                                           ? dataDir / "emoji" / "splits" / "emoji-coco-48-17.json"
                                           : dataDir / "demo" / "split.json";
            const Split split = readSplit(splitPath);
            std::unique_ptr<synth::SceneGenerator> gen;
            const synth::SynthSet set = *synth::parseSet(o->set);
            if (emoji) {
                synth::EmojiSynthOptions eo;
                eo.set = set;
                eo.seed = o->seed;
                eo.imageSize = o->size;
                eo.minObjects = o->minObjects;
                eo.maxObjects = o->maxObjects > 0 ? o->maxObjects : std::max(10, o->minObjects);
                eo.styles = o->styles;
                eo.labels = *synth::parseEmojiLabels(o->labels);
                eo.backgroundsDir = o->backgrounds;
                const synth::EmojiPack pack = synth::EmojiPack::load(
                    o->emojiDir.empty() ? dataDir / "emoji" : fs::path(o->emojiDir));
                gen = std::make_unique<synth::EmojiSynthGenerator>(split, pack, eo);
            } else {
                synth::SynthOptions so;
                so.set = set;
                so.seed = o->seed;
                so.imageSize = o->size;
                so.minObjects = o->minObjects;
                so.maxObjects = o->maxObjects > 0 ? o->maxObjects : std::max(8, o->minObjects);
                so.backgroundsDir = o->backgrounds;
                gen = std::make_unique<synth::SynthGenerator>(split, so);
            }
            const auto t0 = std::chrono::steady_clock::now();
            int lastPercent = -1;
            const coco::Dataset d =
                synth::writeDataset(o->out, o->images, *gen, g.threads, [&](int done, int total) {
                    const int percent = int(100.0 * done / total);
                    if (!o->quiet && percent != lastPercent) {
                        lastPercent = percent;
                        std::fprintf(stderr, "\r%d / %d images", done, total);
                    }
                });
            const double s =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            size_t unseen = 0;
            for (const auto& a : d.annotations) unseen += size_t(a.categoryId) > split.seen.size();
            if (!o->quiet) std::fprintf(stderr, "\n");
            std::printf(
                "%s: %zu images, %zu objects (%zu unseen), %zu classes (%zu seen, %zu unseen), "
                "seed %llu, %.1f s\n",
                synth::setName(set).c_str(), d.images.size(), d.annotations.size(), unseen,
                d.categories.size(), split.seen.size(), split.unseen.size(),
                static_cast<unsigned long long>(o->seed), s);
            std::printf("wrote %s and %s\n", (fs::path(o->out) / "images").string().c_str(),
                        (fs::path(o->out) / "instances.json").string().c_str());
            return 0;
        };
    });

}  // namespace
