// zsi synth: writes the synthetic zero-shot benchmark: DIR/images/NNNNNN.png and
// DIR/instances.json (COCO instances; file_name relative to DIR, masks as compressed RLE).
#include "command_registry.h"
#include "common_options.h"

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
    int minObjects = 1, maxObjects = 8;
    std::string backgrounds;
    bool quiet = false;
};

static cli::RegisterCommand reg(
    "synth", "Generate the synthetic zero-shot benchmark (PNG images + COCO instances.json)",
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
        sub.add_option("--max-objects", o->maxObjects, "Most objects per image")
            ->capture_default_str();
        sub.add_option("--backgrounds", o->backgrounds,
                       "Folder of photos to use as backgrounds (default: procedural)");
        sub.add_flag("--quiet", o->quiet, "No progress output");
        return [o, &g]() -> int {
            const fs::path splitPath = o->split.empty()
                                           ? cli::resolveDataDir(g) / "demo" / "split.json"
                                           : fs::path(o->split);
            const Split split = readSplit(splitPath);
            synth::SynthOptions so;
            so.set = *synth::parseSet(o->set);
            so.seed = o->seed;
            so.imageSize = o->size;
            so.minObjects = o->minObjects;
            so.maxObjects = o->maxObjects;
            so.backgroundsDir = o->backgrounds;
            const synth::SynthGenerator gen(split, so);
            const auto t0 = std::chrono::steady_clock::now();
            int lastPercent = -1;
            const coco::Dataset d =
                synth::writeDataset(o->out, o->images, gen, g.threads, [&](int done, int total) {
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
                synth::setName(so.set).c_str(), d.images.size(), d.annotations.size(), unseen,
                d.categories.size(), split.seen.size(), split.unseen.size(),
                static_cast<unsigned long long>(o->seed), s);
            std::printf("wrote %s and %s\n", (fs::path(o->out) / "images").string().c_str(),
                        (fs::path(o->out) / "instances.json").string().c_str());
            return 0;
        };
    });

}  // namespace
