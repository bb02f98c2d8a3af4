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
        size_t count = 0;
        for (int r = 0; r < repeats; ++r) {
            const auto t0 = Clock::now();
            const InferenceResult res = engine->run(img, req);
            full.push_back(ms(t0, Clock::now()));
            count = res.instances.size();
        }
        // Re-scoring after the user types one more class: features come from the prepared image.
        auto prepared = engine->prepare(img);
        engine->score(*prepared, req);
        for (int r = 0; r < repeats; ++r) {
            ScoringRequest more = req;
            const at::Tensor v = at::randn({D});
            more.addUnseen("typed" + std::to_string(r),
                           std::vector<float>(v.data_ptr<float>(), v.data_ptr<float>() + D));
            const auto t0 = Clock::now();
            engine->score(*prepared, more);
            rescore.push_back(ms(t0, Clock::now()));
        }
        const double f = median(full), s = median(rescore);
        std::printf("%-34s %10.0f %10zu\n",
                    ("full inference, " + std::to_string(n) + " detections").c_str(), f, count);
        std::printf("%-34s %10.1f %10s\n",
                    ("rescore +1 class, " + std::to_string(n) + " detections").c_str(), s, "");
        std::printf(
            "JSON {\"impl\": \"zsi\", \"depth\": %d, \"fold_bn\": %d, \"detections\": %d, "
            "\"full_ms\": %.1f, \"rescore_ms\": %.2f, \"instances\": %zu}\n",
            depth, foldBn, n, f, s, count);
    }
    return 0;
}
