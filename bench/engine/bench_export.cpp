// Batch export throughput against the model's bare inference time on the same images
// and the memory of a long run.
//
//   bench_export [BUNDLE] [IMAGE_DIR] [THREADS] [REPEAT]
//
// Defaults: the demo model, a 300-image zsi-test set generated into the build tree, 2
// threads, REPEAT 1. "bare" runs Engine::run on images decoded beforehand (model time only);
// "export" is runExport (decode, model, RLE encoding, journal, final JSON) over the folder.
// The ratio export/bare > 1 would mean the pipeline hides its own work; < 1 is its overhead.
// REPEAT > 1 runs the export that many times over the folder's copies to show that resident
// memory stays flat with the number of images.
#include "data/image_io.h"
#include "data/split.h"
#include "engine/batch_export.h"
#include "engine/class_setup.h"
#include "runtime/runtime.h"
#include "semantics/class_embedder.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace zsi;
using Clock = std::chrono::steady_clock;

namespace {

long rssKb() {
    std::ifstream in("/proc/self/status");
    std::string key;
    while (in >> key) {
        if (key == "VmRSS:") {
            long kb = 0;
            in >> kb;
            return kb;
        }
        in.ignore(1 << 10, '\n');
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const fs::path src = ZSI_SOURCE_DIR;
    const fs::path bundle = argc > 1 ? fs::path(argv[1]) : src / "resources/demo/model";
    const fs::path images =
        argc > 2 ? fs::path(argv[2]) : fs::path("build/demo-eval/zsi-test/images");
    const int threads = argc > 3 ? std::stoi(argv[3]) : 2;
    const int repeat = argc > 4 ? std::stoi(argv[4]) : 1;
    initTorchThreads(threads);  // also tunes malloc, as zsi does

    auto engine = Engine::open(bundle, EngineOptions{"cpu"});
    ScoringRequest req = engine->defaultRequest();
    req.mode = InferenceMode::Zsi;
    const EmbeddingChoice emb =
        openEmbeddingForModel(engine->summary(), std::nullopt, src / "resources");
    addUnseenClasses(req, *emb.embedder, readSplit(src / "resources/demo/split.json").unseen,
                     engine->summary().seenClasses);

    const auto files = listImageFiles(images);
    std::printf("bench_export: %s, %zu images in %s, %d threads\n", engine->summary().name.c_str(),
                files.size(), images.string().c_str(), threads);

    // Bare: the model alone on decoded images (warm-up on the first image).
    std::vector<LoadedImage> decoded;
    for (const auto& f : files) decoded.push_back(loadImage(images / f));
    engine->run(decoded.front(), req);
    const auto b0 = Clock::now();
    size_t instances = 0;
    for (const auto& img : decoded) instances += engine->run(img, req).instances.size();
    const double bare = std::chrono::duration<double>(Clock::now() - b0).count();
    decoded.clear();

    const fs::path out = fs::temp_directory_path() / "zsi-bench-export.json";
    double wall = 0;
    long rssFirst = 0, rssLast = 0;
    size_t total = 0;
    for (int r = 0; r < repeat; ++r) {
        fs::remove(out.string() + ".journal");
        ExportJob job;
        job.imagesDir = images;
        job.out = out;
        job.format = ExportFormat::Instances;
        ExportCallbacks cb;
        cb.progress = [&](const ExportProgress& p) {
            if (r == 0 && p.done == std::max<size_t>(1, p.total / 10)) rssFirst = rssKb();
            rssLast = rssKb();
        };
        const auto e0 = Clock::now();
        const ExportSummary s = runExport(*engine, req, job, cb);
        wall += std::chrono::duration<double>(Clock::now() - e0).count();
        total += s.processed;
    }
    fs::remove(out);

    const double bareRate = files.size() / bare, exportRate = total / wall;
    std::printf("\n%-34s %10s %10s\n", "", "images/s", "ms/image");
    std::printf("%-34s %10.2f %10.1f\n", "bare model (Engine::run)", bareRate, 1000.0 / bareRate);
    std::printf("%-34s %10.2f %10.1f\n", "zsi export (decode+model+encode)", exportRate,
                1000.0 / exportRate);
    std::printf("ratio export / bare: %.2f   (%zu instances per pass)\n", exportRate / bareRate,
                instances);
    std::printf(
        "resident memory: %.0f MB after 10%% of the first pass, %.0f MB at the end of %zu images\n",
        rssFirst / 1024.0, rssLast / 1024.0, total);
    return 0;
}
