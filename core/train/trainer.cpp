#include "train/trainer.h"

#include "data/coco_io.h"
#include "io/model_bundle.h"
#include "model/detector.h"
#include "runtime/device.h"
#include "semantics/class_embedder.h"
#include "semantics/embedding_info.h"
#include "train/schedule.h"
#include "train/train_state.h"
#include "train/train_step.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/vector_math.h"

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <ctime>
#include <deque>
#include <fstream>
#include <functional>
#include <numeric>

namespace zsi::train {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

json readJsonFile(const fs::path& path) {
    const std::string bytes = readFileBytes(path);
    try {
        return json::parse(bytes);
    } catch (const json::exception& e) {
        throw Error(ErrorCode::JsonMalformed, path.string() + ": " + e.what(),
                    {{"path", path.string()}, {"reason", e.what()}});
    }
}

struct ClassSetup {
    at::Tensor seen;  // D x S
    at::Tensor voc;   // D x K or undefined
    json embedding;
};

// Seen class vectors from the word vectors (ClassEmbedder rules + the chosen normalisation),
// and the VOC matrix of the K most frequent vocabulary words when the box head needs one.
ClassSetup embedClasses(const TrainOptions& o, const Split& split, int vocSize) {
    std::shared_ptr<const semantics::EmbeddingModel> model = semantics::loadEmbedding(o.embeddings);
    const auto norm = semantics::Normalisation::parse(o.normalisation);
    const semantics::ClassEmbedder embedder(model, norm);
    const int D = model->dim();
    ClassSetup c;
    c.seen = at::zeros({D, static_cast<int64_t>(split.seen.size())});
    for (size_t i = 0; i < split.seen.size(); ++i) {
        const auto e = embedder.embed(split.seen[i]);
        c.seen.select(1, static_cast<int64_t>(i)).copy_(at::tensor(e.vector));
    }
    if (vocSize > 0) {
        if (model->vocabularySize() < static_cast<size_t>(vocSize))
            throw Error(ErrorCode::DimensionMismatch,
                        "the word vectors hold fewer words than the VOC size",
                        {{"what", "VOC words"},
                         {"expected", std::to_string(vocSize)},
                         {"found", std::to_string(model->vocabularySize())}});
        c.voc = at::zeros({D, vocSize});
        std::vector<float> v(static_cast<size_t>(D));
        for (int k = 0; k < vocSize; ++k) {
            model->vectorAt(static_cast<size_t>(k), v.data());
            norm.apply(v);
            c.voc.select(1, k).copy_(at::tensor(v));
        }
    }
    json info;
    semantics::to_json(info, semantics::describeEmbedding(*model, norm));
    c.embedding = info;
    return c;
}

std::vector<int64_t> permutation(int64_t n, Rng rng) {
    std::vector<int64_t> p(static_cast<size_t>(n));
    std::iota(p.begin(), p.end(), 0);
    for (int64_t i = n - 1; i > 0; --i)
        std::swap(p[static_cast<size_t>(i)], p[static_cast<size_t>(rng.uniformInt(0, i))]);
    return p;
}

// The generator of iteration `it`: a function of (seed, it) only, so resuming replays it.
Rng iterationRng(uint64_t seed, int it) {
    return Rng(seed).split(static_cast<uint64_t>(it) + 1);
}

std::string utcNow() {
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

// Keeps the log lines of iterations <= `iteration` (a resumed run rewrites what came after
// its checkpoint).
void truncateLog(const fs::path& path, int iteration) {
    if (!fs::exists(path)) return;
    std::ifstream in(path);
    std::string line, kept;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        try {
            const json j = json::parse(line);
            if (j.contains("iteration") && j["iteration"].get<int>() > iteration) continue;
        } catch (const json::exception&) {
            continue;  // a line cut by a crash
        }
        kept += line + "\n";
    }
    in.close();
    writeFileAtomic(path, kept);
}

}  // namespace

fs::path trainingDir(const fs::path& out) {
    fs::path o = out;
    if (!o.has_filename()) o = o.parent_path();
    return o.parent_path() / (o.filename().string() + ".training");
}

namespace {

using Say = std::function<void(const std::string&)>;

// The options of this run: a fresh run's resolved options, or those the training state
// recorded (a new --iterations may extend it). Returns the first iteration to run.
int runOptions(const TrainOptions& given, const fs::path& dir, TrainOptions& o) {
    o = given;
    int start = 0;
    if (given.resume) {
        const fs::path statePath = dir / "state.json";
        if (!fs::exists(statePath))
            throw Error(ErrorCode::FileNotFound,
                        "nothing to resume: " + statePath.string() + " does not exist",
                        {{"path", statePath.string()}});
        const json state = readJsonFile(statePath);
        if (!state.contains("options") || !state.contains("iteration"))
            throw Error(
                ErrorCode::JsonSchema, statePath.string() + ": not a training state",
                {{"path", statePath.string()}, {"field", "options"}, {"reason", "missing"}});
        optionsFromJson(state["options"], o, statePath.string());
        if (given.iterations > 0) o.iterations = given.iterations;
        start = state["iteration"].get<int>();
    } else {
        o = resolveOptions(o);
    }
    if (o.batchSize < 1 || o.iterations < 1)
        throw Error(ErrorCode::InvalidArgument, "batch size and iterations must be positive",
                    {{"name", "iterations"}, {"reason", std::to_string(o.iterations)}});
    return start;
}

void reportData(const TrainingSet& data, const TrainOptions& o, const Say& say) {
    const TrainingSetStats& st = data.stats();
    say("data: " + std::to_string(st.imagesInFile) + " images, " + std::to_string(st.imagesUsed) +
        " used, " + std::to_string(st.droppedUnseen) + " dropped for unseen objects, " +
        std::to_string(st.droppedEmpty) + " without seen objects; " +
        std::to_string(st.annotationsUsed) + " objects (" + std::to_string(st.annotationsIgnored) +
        " annotations ignored)");
    if (data.size() == 0)
        throw Error(ErrorCode::InvalidArgument, "no training image holds a seen object",
                    {{"name", "data"}, {"reason", o.annotations.string()}});
}

// The network with its class vectors, embedding identity and provenance: read back from
// the bundle of the run being resumed, or built fresh (seeded) from the options.
struct RunModel {
    std::shared_ptr<model::ZsiDetectorImpl> model;
    json embedding;
    json provenance;
};

RunModel resumeModel(const TrainOptions& given, const Split& split, int start, const Say& say,
                     int iterations) {
    io::ModelBundle b = io::readModelBundle(given.out);
    if (b.info.seenClasses != split.seen)
        throw Error(ErrorCode::InvalidArgument, "the bundle's seen classes differ from the split's",
                    {{"name", "split"}, {"reason", "seen classes differ"}});
    const int bundleIt = b.info.provenance.value("iteration", -1);
    if (bundleIt != start)
        throw Error(ErrorCode::CheckpointInvalid,
                    "the bundle is at iteration " + std::to_string(bundleIt) +
                        " but the training state at " + std::to_string(start),
                    {{"path", given.out.string()}, {"reason", "iteration mismatch"}});
    say("resuming at iteration " + std::to_string(start) + " of " + std::to_string(iterations));
    return {b.detector, b.info.embedding, b.info.provenance};
}

RunModel newModel(const TrainOptions& o, const Split& split, const Say& say) {
    ModelConfig cfg = o.config;
    const ClassSetup classes = embedClasses(o, split, cfg.vocSize);
    const int D = static_cast<int>(classes.seen.size(0));
    const int S = static_cast<int>(split.seen.size());
    if (cfg.semanticDim != D || cfg.numSeen != S)
        say("model: semantic_dim " + std::to_string(cfg.semanticDim) + " -> " + std::to_string(D) +
            " (word vectors), num_seen " + std::to_string(cfg.numSeen) + " -> " +
            std::to_string(S) + " (split)");
    cfg.semanticDim = D;
    cfg.numSeen = S;
    if (o.ablation == Ablation::NoSyncBg) cfg.inference.syncBackground = false;
    torch::manual_seed(o.seed);
    RunModel r;
    r.model = std::make_shared<model::ZsiDetectorImpl>(cfg);
    // The project's models start from the mean of the SEEN vectors (the reference used all
    // classes, which leaks the unseen ones into training).
    r.model->setSeenClassVectors(classes.seen, classes.seen.mean(1), /*initRpnBackground=*/true);
    if (cfg.vocSize > 0) r.model->setVoc(classes.voc);
    r.embedding = classes.embedding;
    r.provenance = {{"trainer", "zsi train"},
                    {"started", utcNow()},
                    {"data", o.annotations.string()},
                    {"split", o.split.string()},
                    {"ablation", toString(o.ablation)},
                    {"seed", o.seed},
                    {"initial_background", "mean of the seen class vectors"}};
    return r;
}

void restoreOptimizer(torch::optim::SGD& opt, const fs::path& dir, int start,
                      const torch::Device& device) {
    const fs::path optPath = dir / "optimizer.pt";
    if (!fs::exists(optPath))
        throw Error(ErrorCode::FileNotFound, "missing " + optPath.string(),
                    {{"path", optPath.string()}});
    torch::serialize::InputArchive ar;
    try {
        ar.load_from(optPath.string(), device);
        opt.load(ar);
        at::Tensor it;
        ar.read("iteration", it);
        if (it.item<int64_t>() != start)
            throw Error(ErrorCode::CheckpointInvalid, "optimizer state is at another iteration",
                        {{"path", optPath.string()}, {"reason", "iteration mismatch"}});
    } catch (const c10::Error& e) {
        throw Error(ErrorCode::CheckpointInvalid,
                    "cannot read " + optPath.string() + ": " + e.what_without_backtrace(),
                    {{"path", optPath.string()}, {"reason", e.what_without_backtrace()}});
    }
}

LossSettings lossSettings(const TrainOptions& o) {
    LossSettings ls;
    ls.rpnSampler = {o.rpnSamples, o.rpnPosFraction};
    ls.rcnnSampler = {o.roiSamples, o.roiPosFraction};
    ls.maskRoisPerImage = o.maskRoisPerImage;
    ls.decoders = o.ablation != Ablation::NoDecoders;
    return ls;
}

// The images of iteration `it`: a seeded permutation per epoch shared by every run with the
// same seed, flips drawn from the iteration's stream.
class BatchSampler {
public:
    BatchSampler(const TrainingSet& data, const TrainOptions& o, const ModelConfig& cfg)
        : data_(data), o_(o), cfg_(cfg), n_(static_cast<int64_t>(data.size())) {}

    TrainingBatch batch(int it, Rng& rng, const torch::Device& device) {
        std::vector<TrainingExample> examples;
        for (int b = 0; b < o_.batchSize; ++b) {
            const int64_t k = static_cast<int64_t>(it) * o_.batchSize + b;
            const int64_t epoch = k / n_;
            if (epoch != cachedEpoch_) {
                order_ = permutation(
                    n_, Rng(o_.seed ^ 0xDA7A0DE5ull).split(static_cast<uint64_t>(epoch)));
                cachedEpoch_ = epoch;
            }
            const bool flip = o_.flip && rng.bernoulli(0.5);
            examples.push_back(
                loadExample(data_.record(static_cast<size_t>(order_[static_cast<size_t>(k % n_)])),
                            flip, cfg_.preprocess, cfg_.geometry));
        }
        TrainingBatch batch = collate(std::move(examples));
        batch.images = batch.images.to(device);
        for (auto& t : batch.boxes) t = t.to(device);
        for (auto& t : batch.labels) t = t.to(device);
        return batch;
    }

private:
    const TrainingSet& data_;
    const TrainOptions& o_;
    const ModelConfig& cfg_;
    int64_t n_;
    int64_t cachedEpoch_ = -1;
    std::vector<int64_t> order_;
};

// The running means shown every logEvery iterations.
class ProgressWindow {
public:
    void add(std::vector<double> values, double seconds, int size) {
        window_.emplace_back(std::move(values), seconds);
        while (static_cast<int>(window_.size()) > size) window_.pop_front();
    }
    TrainProgress progress(const LossTerms& losses, int done, int total, double lr) const {
        TrainProgress p;
        p.iteration = done;
        p.totalIterations = total;
        p.lr = lr;
        std::vector<double> mean(window_.back().first.size(), 0.0);
        double secs = 0;
        for (const auto& [v, s] : window_) {
            for (size_t i = 0; i < v.size(); ++i) mean[i] += v[i] / window_.size();
            secs += s / window_.size();
        }
        for (size_t i = 0; i < losses.terms.size(); ++i)
            p.losses.emplace_back(losses.terms[i].first, mean[i]);
        p.total = mean.back();
        p.secondsPerStep = secs;
        p.etaSeconds = secs * (total - done);
        return p;
    }

private:
    std::deque<std::pair<std::vector<double>, double>> window_;  // losses + total, seconds
};

}  // namespace

// One training run: options -> data -> model (new or resumed) -> optimizer -> iterations
// (batch, Sync-bg, losses, SGD step, log line, progress, checkpoint) -> final checkpoint.
TrainResult runTraining(const TrainOptions& given, const TrainCallbacks& cb) {
    const Say say = [&](const std::string& s) {
        if (cb.message) cb.message(s);
    };
    const fs::path dir = trainingDir(given.out);
    TrainOptions o;
    const int start = runOptions(given, dir, o);
    const torch::Device device = resolveDevice(o.device);

    const Split split = readSplit(o.split);
    if (split.seen.empty())
        throw Error(ErrorCode::EmptyVocabulary, "the split has no seen classes to train",
                    {{"what", "seen classes"}});
    const TrainingSet data(coco::readInstances(o.annotations), o.images, split);
    reportData(data, o, say);

    RunModel run = given.resume ? resumeModel(given, split, start, say, o.iterations)
                                : newModel(o, split, say);
    const std::shared_ptr<model::ZsiDetectorImpl>& model = run.model;
    model->to(device);
    model->train();

    std::vector<at::Tensor> params;
    for (const auto& p : model->parameters())
        if (p.requires_grad()) params.push_back(p);
    torch::optim::SGD opt(
        params, torch::optim::SGDOptions(o.lr).momentum(o.momentum).weight_decay(o.weightDecay));
    if (given.resume) restoreOptimizer(opt, dir, start, device);

    const LrSchedule schedule{o.lr, o.warmupIterations, o.warmupRatio, o.lrSteps, o.gamma};
    const LossSettings ls = lossSettings(o);
    const at::Tensor initialBg = model->initialBackground().to(device);

    fs::create_directories(dir);
    const fs::path logPath = dir / "log.jsonl";
    if (given.resume)
        truncateLog(logPath, start);
    else
        writeFileAtomic(logPath, std::string_view());
    std::ofstream log(logPath, std::ios::app);

    TrainResult result;
    result.parameters = model::parameterCount(*model);
    result.imagesUsed = data.stats().imagesUsed;
    result.droppedUnseen = data.stats().droppedUnseen;
    result.droppedEmpty = data.stats().droppedEmpty;
    result.totalIterations = o.iterations;
    result.bundle = given.out;
    result.log = logPath;
    say("model: " + std::to_string(result.parameters) + " parameters, " +
        std::to_string(params.size()) + " trainable tensors; device " + device.str() +
        "; ablation " + toString(o.ablation));

    // Optimizer, bundle (the model as of `done`), state and log copy; each file atomically.
    auto checkpoint = [&](int done) {
        {
            torch::serialize::OutputArchive ar;
            opt.save(ar);
            ar.write("iteration", torch::tensor(static_cast<int64_t>(done)));
            writeFileAtomic(dir / "optimizer.pt", [&](std::ostream& os) { ar.save_to(os); });
        }
        io::ModelBundle b;
        b.info.seenClasses = split.seen;
        b.info.embedding = run.embedding;
        run.provenance["iteration"] = done;
        run.provenance["total_iterations"] = o.iterations;
        run.provenance["saved"] = utcNow();
        b.info.provenance = run.provenance;
        b.detector = model;
        io::writeModelBundle(given.out, b);
        json state = {
            {"format", "zsi-training-state"}, {"iteration", done}, {"options", optionsToJson(o)}};
        writeFileAtomic(dir / "state.json", state.dump(2) + "\n");
        log.flush();
        std::error_code ec;
        fs::copy_file(logPath, given.out / "train_log.jsonl", fs::copy_options::overwrite_existing,
                      ec);
    };

    BatchSampler sampler(data, o, model->config());
    ProgressWindow window;
    double timedSeconds = 0;
    int timedSteps = 0, badSteps = 0;
    int it = start;
    for (; it < o.iterations; ++it) {
        if (cb.stop && cb.stop->load()) break;
        const auto t0 = std::chrono::steady_clock::now();
        Rng rng = iterationRng(o.seed, it);
        const TrainingBatch batch = sampler.batch(it, rng, device);
        const double dataSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

        model->syncBackground();  // Sync-bg (or the fixed initial vector when it is off)
        const LossTerms losses = computeLosses(*model, batch, ls, rng);
        const double lr = schedule.at(it);
        for (auto& g : opt.param_groups())
            static_cast<torch::optim::SGDOptions&>(g.options()).lr(lr);
        opt.zero_grad();
        const double total = losses.total.item<double>();
        const auto tBackward = std::chrono::steady_clock::now();
        if (!std::isfinite(total)) {
            say("iteration " + std::to_string(it + 1) + ": non-finite loss, step skipped");
            if (++badSteps >= 5)
                throw Error(ErrorCode::InvalidArgument,
                            "the loss diverged (5 non-finite steps in a row); lower --lr",
                            {{"name", "lr"}, {"reason", "non-finite loss"}});
        } else {
            badSteps = 0;
            losses.total.backward();
            if (o.gradClip > 0) torch::nn::utils::clip_grad_norm_(params, o.gradClip);
            opt.step();
            if (o.ablation == Ablation::NoBaRpn) model->rpn_head->initBackgroundRows(initialBg);
        }
        const auto tEnd = std::chrono::steady_clock::now();
        const double seconds = std::chrono::duration<double>(tEnd - t0).count();
        const int done = it + 1;
        if (it > start) {  // the first step of a run pays for warm-up allocations
            timedSeconds += seconds;
            ++timedSteps;
        }

        json line = {{"iteration", done}, {"lr", lr}, {"loss", total}, {"seconds", seconds}};
        std::vector<double> values;
        for (const auto& [name, t] : losses.terms) {
            values.push_back(t.item<double>());
            line[name] = values.back();
        }
        line["rpn_pos"] = losses.rpnPositives;
        line["roi_pos"] = losses.roiPositives;
        line["mask_rois"] = losses.maskRois;
        line["t_data"] = dataSeconds;
        for (const auto& [name, t] : losses.seconds) line[name] = t;
        line["t_backward_step"] = std::chrono::duration<double>(tEnd - tBackward).count();
        if (o.backgroundEvery > 0 && (done % o.backgroundEvery == 0 || done == 1)) {
            const at::Tensor vb = model->backgroundVector().cpu().contiguous();
            const at::Tensor initial = initialBg.cpu().contiguous();
            line["vb"] =
                std::vector<float>(vb.data_ptr<float>(), vb.data_ptr<float>() + vb.numel());
            line["vb_cos_initial"] =
                cosine(vb.data_ptr<float>(), initial.data_ptr<float>(), int(vb.numel()));
            line["vb_norm"] = vb.norm().item<double>();
        }
        log << line.dump() << "\n";
        log.flush();

        values.push_back(total);
        const int logEvery = std::max(1, o.logEvery);
        window.add(std::move(values), seconds, logEvery);
        if (cb.progress && (done % logEvery == 0 || done == o.iterations))
            cb.progress(window.progress(losses, done, o.iterations, lr));
        if (cb.afterIteration) cb.afterIteration(done);
        const bool stopping = cb.stop && cb.stop->load();
        if (!stopping && o.checkpointEvery > 0 && done % o.checkpointEvery == 0 &&
            done < o.iterations)
            checkpoint(done);
        if (stopping) {
            ++it;
            break;
        }
    }
    result.iteration = it;
    result.interrupted = it < o.iterations;
    result.secondsPerStep = timedSeconds / std::max(1, timedSteps);
    if (it > start || !given.resume) checkpoint(it);
    say(std::string(result.interrupted ? "interrupted" : "finished") + " at iteration " +
        std::to_string(it) + "; bundle " + given.out.string());
    return result;
}

}  // namespace zsi::train
