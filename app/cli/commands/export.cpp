// zsi export: label every image of a folder (COCO instances / results, PNG maps, YOLO text),
// resumable, shardable, pipelined. The job itself is core/engine/batch_export.
#include "command_registry.h"
#include "common_options.h"
#include "interrupt.h"
#include "model_options.h"
#include "progress_line.h"

#include "engine/batch_export.h"
#include "semantics/embedding_info.h"
#include "util/error.h"
#include "util/hash.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

namespace fs = std::filesystem;

namespace zsi::cli {
namespace {

struct ExportArgs {
    std::string images, out, format = "instances", segmentation = "rle", gt, shard;
    ModelOptions model;
    bool resume = false, strict = false, quiet = false, downscaleHuge = false;
    int prefetch = 2;
};

struct Shard {
    int index = 0, count = 1;
    std::string source;
};

std::optional<long> envLong(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v) return std::nullopt;
    char* end = nullptr;
    const long x = std::strtol(v, &end, 10);
    if (*end) return std::nullopt;  // SGE says "undefined" outside arrays
    return x;
}

Shard parseShard(const std::string& text) {
    Shard s;
    if (!text.empty()) {
        int k = 0, n = 0;
        char tail = 0;
        if (std::sscanf(text.c_str(), "%d/%d%c", &k, &n, &tail) != 2 || n < 1 || k < 1 || k > n)
            throw Error(ErrorCode::InvalidArgument,
                        "--shard must be K/N with 1 <= K <= N, not '" + text + "'",
                        {{"name", "shard"}, {"reason", text}});
        return {k - 1, n, "--shard"};
    }
    // Job arrays: Slurm (ids may start anywhere; MIN..MAX), then Grid Engine (FIRST..LAST).
    if (auto id = envLong("SLURM_ARRAY_TASK_ID"), count = envLong("SLURM_ARRAY_TASK_COUNT");
        id && count && *count > 1) {
        const long min = envLong("SLURM_ARRAY_TASK_MIN").value_or(0);
        return {static_cast<int>(*id - min), static_cast<int>(*count), "SLURM_ARRAY_TASK_ID"};
    }
    if (auto id = envLong("SGE_TASK_ID"), first = envLong("SGE_TASK_FIRST"),
        last = envLong("SGE_TASK_LAST");
        id && first && last && *last > *first) {
        const long step = envLong("SGE_TASK_STEPSIZE").value_or(1);
        return {static_cast<int>((*id - *first) / step),
                static_cast<int>((*last - *first) / step + 1), "SGE_TASK_ID"};
    }
    return s;
}

// The SHA-256 of the vectors for the output's provenance: the bundle's record when the file
// has the recorded name (hashing a multi-GB file for every export is not worth it), else hashed.
std::string embeddingsSha(const ModelSession& s) {
    if (s.embedding.path.empty()) return {};
    const std::string& recorded = s.engine->summary().embeddingJson;
    if (!recorded.empty() && recorded != "null") {
        const auto info = semantics::embeddingInfoFromJsonString(recorded);
        if (info.fileName == s.embedding.path.filename().string() && !info.sha256.empty())
            return info.sha256;
    }
    return sha256File(s.embedding.path);
}

int runExportCommand(const ExportArgs& a, const GlobalOptions& g) {
    ExportJob job;
    job.imagesDir = a.images;
    job.format = parseExportFormat(a.format);
    if (a.model.inference.oneLabelPerObject.value_or(false) && job.format == ExportFormat::Results)
        throw Error(
            ErrorCode::InvalidArgument,
            "--one-label-per-object does not go with --format results: COCO evaluation scores "
            "every class an object gets, as the paper does",
            {{"name", "--one-label-per-object"}, {"reason", "not with --format results"}});
    job.segmentation = parseSegmentationForm(a.segmentation);
    job.out = a.out;
    if (!a.gt.empty()) job.groundTruth = fs::path(a.gt);
    const Shard shard = parseShard(a.shard);
    job.shardIndex = shard.index;
    job.shardCount = shard.count;
    job.resume = a.resume;
    job.strict = a.strict;
    job.prefetch = a.prefetch;
    job.loadOptions.downscaleHuge = a.downscaleHuge;
    if (shard.count > 1 && a.shard.empty())
        std::fprintf(stderr, "shard %d/%d (from %s)\n", shard.index + 1, shard.count,
                     shard.source.c_str());

    ModelSession s = openModelSession(a.model, g);
    job.embeddingsFile = s.embedding.path;
    job.embeddingsSha256 = embeddingsSha(s);
    const ModelSummary& m = s.engine->summary();
    std::printf("model %s, %zu seen + %zu unseen classes, mode %s, scoring %s, device %s\n",
                m.name.c_str(), m.seenClasses.size(), s.request.unseenNames.size(),
                toString(s.request.mode).c_str(), toString(s.request.scoring).c_str(),
                m.device.c_str());
    std::fflush(stdout);

    StopOnInterrupt interrupt(
        "\nzsi export: finishing the images in flight, keeping the journal (Ctrl-C again aborts at "
        "once)\n");
    ProgressLine line("img");
    ExportCallbacks cb;
    cb.cancel = interrupt.flag();
    if (!a.quiet)
        cb.progress = [&](const ExportProgress& p) {
            std::string extra = std::to_string(p.instances) + " instances";
            if (p.skipped) extra += ", " + std::to_string(p.skipped) + " skipped";
            line.update(p.done, p.total, p.imagesPerSecond, p.etaSeconds, extra);
        };
    const ExportSummary r = runExport(*s.engine, s.request, job, cb);
    line.finish();

    if (r.cancelled) {
        std::printf(
            "interrupted after %zu images this run (%zu earlier); the journal %s keeps them.\n"
            "Run the same command with --resume to continue.\n",
            r.processed, r.resumed, r.journal.string().c_str());
        return 130;
    }
    std::printf("\n%zu images in %s", r.imagesInFolder, a.images.c_str());
    if (job.shardCount > 1)
        std::printf(", %zu in shard %d/%d", r.imagesInShard, job.shardIndex + 1, job.shardCount);
    std::printf("\n%zu run now, %zu from the journal, %zu skipped; %zu instances\n", r.processed,
                r.resumed, r.skipped.size(), r.instances);
    std::printf("time %s (model %.1f s, %.2f images/s)\n", formatDuration(r.seconds).c_str(),
                r.inferenceSeconds, r.processed / std::max(1e-9, r.seconds));
    if (!r.instancesPerClass.empty()) {
        std::printf("\n  %-30s %9s\n", "class", "instances");
        for (const auto& [name, n] : r.instancesPerClass)
            std::printf("  %-30s %9zu\n", name.c_str(), n);
    }
    if (!r.skipped.empty()) {
        std::printf("\nskipped:\n");
        for (const auto& sk : r.skipped)
            std::printf("  %s: %s\n", sk.file.c_str(), sk.reason.c_str());
    }
    if (!r.warnings.empty()) {
        std::printf("\nwarnings (the images were used):\n");
        for (const auto& w : r.warnings)
            std::printf("  %s: %s\n", w.file.c_str(), w.reason.c_str());
    }
    if (r.polygonsWithHoles)
        std::printf(
            "\nnote: %zu masks had holes that COCO polygons cannot carry (filled in; %lld pixels "
            "changed "
            "in all); use --segmentation rle to keep them exactly\n",
            r.polygonsWithHoles, r.polygonChangedPixels);
    if (!r.classesNotInGroundTruth.empty()) {
        std::printf("\nnote: classes not in the ground truth got new category ids:");
        for (const auto& c : r.classesNotInGroundTruth) std::printf(" %s", c.c_str());
        std::printf("\n");
    }
    std::printf("\nwrote %s\n", r.output.string().c_str());
    return r.skipped.empty() ? 0 : 3;
}

RegisterCommand reg(
    "export",
    "Label every image of a folder and export COCO / PNG / YOLO\n"
    "  zsi export --images photos/ --unseen \"helmet, flag\" --one-label-per-object --out "
    "labels.json",
    [](CLI::App& sub, GlobalOptions& g) {
        auto a = std::make_shared<ExportArgs>();
        sub.add_option("--images", a->images,
                       "Image folder (recursed; every image type OpenCV reads)")
            ->required();
        sub.add_option("--out", a->out,
                       "Output: a JSON file (instances, results) or a folder (png, yolo)")
            ->required();
        addModelOptions(sub, a->model);
        sub.add_option("--format", a->format,
                       "instances (COCO), results (COCO results list), png, yolo")
            ->check(CLI::IsMember({"instances", "coco", "results", "png", "yolo"}));
        sub.add_option("--segmentation", a->segmentation,
                       "rle (exact) or polygon (instances format)")
            ->check(CLI::IsMember({"rle", "polygon"}));
        sub.add_option(
            "--gt", a->gt,
            "Ground-truth COCO file: take image ids (by file name) and category ids from it");
        sub.add_option("--shard", a->shard,
                       "K/N: this process does images K, K+N, ... (default: from "
                       "SLURM_ARRAY_TASK_ID / SGE_TASK_ID)");
        sub.add_flag("--resume", a->resume, "Continue an interrupted export from its journal");
        sub.add_flag("--strict", a->strict,
                     "Stop at the first unreadable image instead of skipping it");
        sub.add_flag("--downscale-huge", a->downscaleHuge,
                     "Downscale images above 100 MP instead of skipping them");
        sub.add_option("--prefetch", a->prefetch, "Images decoded ahead of the model")
            ->capture_default_str()
            ->check(CLI::Range(1, 64));
        sub.add_flag("--quiet", a->quiet, "No progress display");
        return [a, &g]() { return runExportCommand(*a, g); };
    });

}  // namespace
}  // namespace zsi::cli
