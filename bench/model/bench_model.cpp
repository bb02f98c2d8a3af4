// bench_model: full inference and re-scoring of the ZSI network at the reference size.
// ResNet-50-FPN or -101-FPN (the published models), frozen BatchNorm, D = 300, 48 seen
// classes, random weights, an 800 x 1333 image; every run is forced to exactly N final
// detections (score threshold 0) so the mask head does the same work as the peer. Prints a
// table and one JSON line per row (bench/model/compare.sh joins them with torchvision's).
//
//   bench_model [--threads T] [--repeats R] [--depth 50|101] [--fold-bn 1|0]
//               [--config resources/configs/zsi_r101_fpn_48_17.json]
#include "engine/engine_access.h"
#include "model/model_config.h"
#include "runtime/runtime.h"

#include <torch/torch.h>
#include <opencv2/core.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using namespace zsi;
using Clock = std::chrono::steady_clock;

namespace {
// The app's provisional first pass (InferenceWorker's defaults).
constexpr int kProvisionalDetections = 20;
double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}
double ms(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}
}  // namespace

int main(int argc, char** argv) {
    int threads = 2, repeats = 3, depth = 50, foldBn = 1;
    std::string configPath =
        std::string(ZSI_SOURCE_DIR) + "/resources/configs/zsi_r101_fpn_48_17.json";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--threads"))
            threads = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--repeats"))
            repeats = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--config"))
            configPath = argv[i + 1];
        else if (!std::strcmp(argv[i], "--depth"))
            depth = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--fold-bn"))
            foldBn = std::atoi(argv[i + 1]);
    }
    initTorchThreads(threads);
    ModelConfig cfg = loadModelConfig(configPath);
    cfg.backbone.depth = depth;  // the peer: torchvision's Mask R-CNN of the same depth
    cfg.vocSize = 0;             // no VOC matrix here (the peer has none either)
    cfg.inference.scoreThreshold = 0.0;
    const int D = cfg.semanticDim, S = cfg.numSeen;

    torch::manual_seed(0);
    model::ZsiDetector det(cfg);
    det->setSeenClassVectors(at::randn({D, S}), at::randn({D}), true);
    if (depth > 50) {
        // With random weights the 33 residual blocks of ResNet-101 grow the features to ~1e5
        // and the box head then keeps too few boxes to reach N detections (torchvision's too):
        // damp each block's last BatchNorm, as torchvision_peer.py does. Compute is unchanged.
        torch::NoGradGuard g;
        int damped = 0;
        for (const auto& item : det->backbone->named_modules())
            if (item.key().size() > 3 && item.key().substr(item.key().size() - 3) == "bn3")
                if (auto* bn = item.value()->as<torch::nn::BatchNorm2d>()) {
                    bn->weight.fill_(0.3);
                    ++damped;
                }
        std::printf("damped the last BatchNorm of %d residual blocks\n", damped);
    }
    ModelSummary summary;
    summary.name = "bench-r" + std::to_string(depth);
    for (int i = 0; i < S; ++i) summary.seenClasses.push_back("seen" + std::to_string(i));
    EngineOptions options;
    options.device = "cpu";
    options.foldBatchNorm = foldBn != 0;
    auto engine = EngineAccess::make(det, summary, options);

    LoadedImage img;
    img.rgb = cv::Mat(800, 1333, CV_8UC3);
    cv::randu(img.rgb, 0, 255);

    std::printf(
        "ZSI ResNet-%d-FPN, BatchNorm %s, D=%d, S=%d, %d threads, image 1333x800, median "
        "of %d\n",
        depth, foldBn ? "folded" : "unfolded", D, S, runtimeInfo().intraOpThreads, repeats);
    std::printf("%-34s %10s %10s\n", "run", "ms", "instances");
    for (int n : {20, 100}) {
        ScoringRequest req = engine->defaultRequest();
        req.mode = InferenceMode::Gzsi;
        req.scoring = ScoringRule::Direct;
        req.boxRule = BoxRegressionRule::PWeighted;
        req.scoreThreshold = 0.0;
        req.maxDetections = n;
        for (int u = 0; u < 17; ++u) {
            const at::Tensor v = at::randn({D});
            req.addUnseen("unseen" + std::to_string(u),
                          std::vector<float>(v.data_ptr<float>(), v.data_ptr<float>() + D));
        }
        engine->run(img, req);  // warm-up
        std::vector<double> full, rescore;
        InferenceResult::ScoreStages stages, stagesNear;
        int mapsRandom = 0, mapsNear = 0;
        size_t count = 0;
        for (int r = 0; r < repeats; ++r) {
            const auto t0 = Clock::now();
            const InferenceResult res = engine->run(img, req);
            full.push_back(ms(t0, Clock::now()));
            count = res.instances.size();
        }
        // Re-scoring after the user types one more class: features come from the prepared image.
        // Two cases: a random new vector (it takes few of the N detections), and a near-copy
        // of a detected class's vector (it takes many: each needs a new mask).
        auto prepared = engine->prepare(img);
        const InferenceResult base = engine->score(*prepared, req);
        // The best-scoring detection's class vector (seen or unseen), for the "near" case.
        std::vector<float> targetVector(size_t(D), 0.f);
        if (!base.instances.empty()) {
            const int c = base.instances.front().classIndex;
            const std::vector<float> seen = engine->seenVectors();  // S x D
            const float* src =
                c < S ? seen.data() + size_t(c) * D : req.unseenVectors.data() + size_t(c - S) * D;
            targetVector.assign(src, src + D);
        }
        std::vector<double> rescoreNear;
        int newMasksRandom = 0, newMasksNear = 0;
        for (int r = 0; r < repeats; ++r) {
            for (int near = 0; near < 2; ++near) {
                ScoringRequest more = req;
                at::Tensor v = at::randn({D});
                if (near) v = at::from_blob(targetVector.data(), {D}).clone() + 0.05 * v;
                more.addUnseen("typed" + std::to_string(r),
                               std::vector<float>(v.data_ptr<float>(), v.data_ptr<float>() + D));
                engine->score(*prepared, req);  // back to the base vocabulary's cache
                const auto t0 = Clock::now();
                const InferenceResult res = engine->score(*prepared, more);
                (near ? rescoreNear : rescore).push_back(ms(t0, Clock::now()));
                int fresh = 0;
                for (const Instance& inst : res.instances)
                    fresh += inst.className.rfind("typed", 0) == 0;
                (near ? newMasksNear : newMasksRandom) = fresh;
                (near ? stagesNear : stages) = res.stages;
                (near ? mapsNear : mapsRandom) = res.maskMapsComputed;
            }
        }
        const double f = median(full), s = median(rescore), sn = median(rescoreNear);
        const double heldMb = double(prepared->memoryBytes()) / (1 << 20);
        const int heldMaps = prepared->cachedMaskMaps();
        // The app's provisional first pass for an image not prepared yet (InferenceWorker):
        // 0.4 of the input size, at most 20 detections.
        std::vector<double> provisional, provisionalPrepare;
        InferenceResult::ScoreStages provisionalStages;
        int provisionalMaps = 0;
        for (int r = 0; r < repeats; ++r) {
            ScoringRequest quick = req;
            quick.maxDetections = std::min(quick.maxDetections, kProvisionalDetections);
            const auto t0 = Clock::now();
            auto small = engine->prepare(img, PrepareOptions::provisional());
            const InferenceResult res = engine->score(*small, quick);
            provisional.push_back(ms(t0, Clock::now()));
            provisionalPrepare.push_back(small->prepareMs());
            provisionalStages = res.stages;
            provisionalMaps = res.maskMapsComputed;
        }
        const double pv = median(provisional);
        std::printf("%-34s %10.0f %10zu\n",
                    ("full inference, " + std::to_string(n) + " detections").c_str(), f, count);
        std::printf("%-34s %10.1f %10d new\n",
                    ("rescore +1 class, " + std::to_string(n) + " detections").c_str(), s,
                    newMasksRandom);
        const auto breakdown = [](const InferenceResult::ScoreStages& st, int maps) {
            std::printf("%-34s %10.1f\n", "  of which detections + NMS", st.detectionsMs);
            std::printf("%-34s %10.1f %10d boxes\n", "  of which mask maps (new boxes)",
                        st.maskMapsMs, maps);
            std::printf("%-34s %10.1f\n", "  of which masks (filters, paste)", st.masksMs);
            std::printf("%-34s %10.1f\n", "  of which labels / order", st.labelsMs);
        };
        breakdown(stages, mapsRandom);
        std::printf("%-34s %10.1f %10d new\n", "rescore +1 class near a detected one", sn,
                    newMasksNear);
        breakdown(stagesNear, mapsNear);
        std::printf("%-34s %10.0f %10d maps\n", "prepared image held after (MB)", heldMb, heldMaps);
        std::printf("%-34s %10.0f %9.0f%% of full\n", "provisional (0.4, 300 props, <=20)", pv,
                    100 * pv / f);
        std::printf("%-34s %10.0f\n", "  of which backbone, RPN, box head",
                    median(provisionalPrepare));
        breakdown(provisionalStages, provisionalMaps);
        std::printf(
            "JSON {\"impl\": \"zsi\", \"depth\": %d, \"fold_bn\": %d, \"detections\": %d, "
            "\"full_ms\": %.1f, \"rescore_ms\": %.2f, \"rescore_near_ms\": %.2f, "
            "\"provisional_ms\": %.1f, \"prepared_mb\": %.1f, \"instances\": %zu}\n",
            depth, foldBn, n, f, s, sn, pv, heldMb, count);
    }
    return 0;
}
