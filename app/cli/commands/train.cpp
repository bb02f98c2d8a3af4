// zsi train: trains a ZSI model on a COCO dataset with a seen/unseen split, writing a model
// bundle with periodic checkpoints; --resume continues exactly; Ctrl-C saves and exits.
#include "command_registry.h"
#include "common_options.h"
#include "interrupt.h"
#include "progress_line.h"

#include "model/model_config.h"
#include "train/trainer.h"
#include "util/error.h"

#include <atomic>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using namespace zsi;

struct TrainCliOptions {
    std::string config, data, images, split, embeddings, normalisation = "unit-l2", out;
    std::string ablation = "none", device = "cpu", lrSteps;
    int iterations = 0, batch = 2, warmup = 500, logEvery = 20, checkpointEvery = 500;
    int backgroundEvery = 100, rpnSamples = 256, rois = 512, maskRois = 0;
    double lr = 0.02, roiPosFraction = 0.25;
    uint64_t seed = 1;
    bool resume = false, noFlip = false;
};

fs::path defaultEmbeddings(const cli::GlobalOptions& g) {
    const fs::path p = cli::resolveDataDir(g) / "demo" / "vectors" / "glove-6b-100d-20k.bin";
    if (!fs::exists(p))
        throw Error(ErrorCode::FileNotFound,
                    "No demo word vectors at " + p.string() + " (use --embeddings)",
                    {{"path", p.string()}});
    return p;
}

void printProgress(const train::TrainProgress& p) {
    std::ostringstream line;
    char buf[64];
    std::snprintf(buf, sizeof buf, "[%6d/%d] loss %.4f |", p.iteration, p.totalIterations, p.total);
    line << buf;
    for (const auto& [name, v] : p.losses) {
        std::snprintf(buf, sizeof buf, " %s %.4f", name.c_str(), v);
        line << buf;
    }
    std::snprintf(buf, sizeof buf, " | lr %.5f | %.3f s/step | ETA %s", p.lr, p.secondsPerStep,
                  cli::formatDuration(p.etaSeconds).c_str());
    line << buf;
    std::cout << line.str() << std::endl;
}

std::vector<int> parseSteps(const std::string& s) {
    std::vector<int> out;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, ','))
        if (!item.empty()) out.push_back(std::stoi(item));
    return out;
}

int run(const TrainCliOptions& c, const cli::GlobalOptions& g) {
    train::TrainOptions o;
    o.out = c.out;
    o.resume = c.resume;
    o.device = c.device;
    o.logEvery = c.logEvery;
    o.checkpointEvery = c.checkpointEvery;
    o.backgroundEvery = c.backgroundEvery;
    o.iterations = c.iterations;
    if (!c.resume) {
        if (c.config.empty() || c.data.empty() || c.split.empty())
            throw Error(ErrorCode::InvalidArgument,
                        "--config, --data and --split are required (or --resume)",
                        {{"name", "config"}, {"reason", "missing"}});
        o.config = loadModelConfig(c.config);
        fs::path data = c.data;
        fs::path folder = data;
        if (fs::is_directory(data)) {
            data = data / "instances.json";
        } else {
            folder = data.parent_path();
        }
        o.annotations = fs::absolute(data);
        o.images = fs::absolute(c.images.empty() ? folder : fs::path(c.images));
        o.split = fs::absolute(c.split);
        o.embeddings =
            fs::absolute(c.embeddings.empty() ? defaultEmbeddings(g) : fs::path(c.embeddings));
        o.normalisation = c.normalisation;
        if (o.iterations <= 0) o.iterations = 1000;
        o.batchSize = c.batch;
        o.lr = c.lr;
        o.warmupIterations = c.warmup;
        o.lrSteps = parseSteps(c.lrSteps);
        o.rpnSamples = c.rpnSamples;
        o.roiSamples = c.rois;
        o.roiPosFraction = c.roiPosFraction;
        o.maskRoisPerImage = c.maskRois;
        o.flip = !c.noFlip;
        o.ablation = train::parseAblation(c.ablation);
        o.seed = c.seed;
    }
    train::TrainCallbacks cb;
    cb.message = [](const std::string& m) { std::cout << m << std::endl; };
    cb.progress = printProgress;
    const cli::StopOnInterrupt interrupt(
        "\nzsi train: stopping after this step and saving a checkpoint "
        "(Ctrl-C again aborts without saving)\n");
    cb.stop = interrupt.flag();
    const train::TrainResult r = train::runTraining(o, cb);
    std::cout << (r.interrupted ? "interrupted" : "done") << ": " << r.iteration << "/"
              << r.totalIterations << " iterations, " << r.secondsPerStep << " s/step, "
              << r.parameters << " parameters\n  bundle " << r.bundle.string() << "\n  log    "
              << r.log.string() << std::endl;
    return r.interrupted ? 130 : 0;
}

cli::RegisterCommand reg(
    "train",
    "Train a ZSI model on COCO data with a seen/unseen split\n"
    "  zsi train --config resources/configs/zsi_slim_demo.json --data train/ --split split.json "
    "--out model/",
    [](CLI::App& sub, cli::GlobalOptions& g) -> cli::CommandRun {
        auto c = std::make_shared<TrainCliOptions>();
        sub.add_option("--config", c->config,
                       "Model config JSON (e.g. resources/configs/zsi_slim_demo.json)");
        sub.add_option("--data", c->data,
                       "COCO instances JSON, or a folder holding instances.json");
        sub.add_option("--images", c->images, "Image folder (default: the folder of --data)");
        sub.add_option("--split", c->split, "Split JSON {\"seen\": [...], \"unseen\": [...]}");
        sub.add_option("--embeddings", c->embeddings,
                       "Word vectors (default: the demo GloVe 100-d)");
        sub.add_option("--normalisation", c->normalisation,
                       "Class vector scaling: none, unit-l2, norm:X")
            ->capture_default_str();
        sub.add_option("--out", c->out, "Model bundle folder to write")->required();
        sub.add_option("--iterations", c->iterations,
                       "Total iterations (default 1000; on --resume: as recorded)");
        sub.add_option("--batch", c->batch, "Images per step")->capture_default_str();
        sub.add_option("--lr", c->lr, "Base learning rate")->capture_default_str();
        sub.add_option("--warmup", c->warmup, "Linear warm-up iterations")->capture_default_str();
        sub.add_option("--lr-steps", c->lrSteps,
                       "Iterations where LR x 0.1, comma-separated (default 2/3 and 11/12)");
        sub.add_option("--rpn-samples", c->rpnSamples, "Anchors sampled per image")
            ->capture_default_str();
        sub.add_option("--rois", c->rois, "RoIs sampled per image")->capture_default_str();
        sub.add_option("--roi-pos-fraction", c->roiPosFraction, "Positive share of RoIs")
            ->capture_default_str();
        sub.add_option("--mask-rois", c->maskRois,
                       "Positive RoIs per image for the mask branch (0: all; the CPU-heavy part)")
            ->capture_default_str();
        sub.add_flag("--no-flip", c->noFlip, "No horizontal flip augmentation");
        sub.add_flag("--resume", c->resume, "Continue the run recorded beside --out");
        sub.add_option("--ablation", c->ablation, "none, no-barpn, no-syncbg, no-decoders")
            ->capture_default_str();
        sub.add_option("--log-every", c->logEvery, "Progress line period")->capture_default_str();
        sub.add_option("--checkpoint-every", c->checkpointEvery, "Checkpoint period")
            ->capture_default_str();
        sub.add_option("--background-every", c->backgroundEvery,
                       "V_b in the log every N iterations")
            ->capture_default_str();
        sub.add_option("--seed", c->seed, "Seed of initialisation, order, flips and sampling")
            ->capture_default_str();
        sub.add_option("--device", c->device, "cpu or cuda[:N]")->capture_default_str();
        return [c, &g] { return run(*c, g); };
    });

}  // namespace
