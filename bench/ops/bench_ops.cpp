// Times the detection ops on detector-sized inputs and prints a table (median of runs).
// Inputs come from at::manual_seed(0) in a fixed order, so bench/ops/torchvision_ops.py
// (Python torch draws the same numbers from the same seed) times torchvision on identical
// tensors; the checksum column lets you verify that.
//   bench_ops [threads=2] [repeats=5]
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "ops/ops.h"
#include "ops/ops_detail.h"

using namespace zsi::ops;

namespace {

double medianMs(int repeats, const std::function<void()>& fn) {
    fn();  // warm-up
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        fn();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

// Boxes (n, 4) inside imgW x imgH, sizes up to maxSize (same recipe as the Python script).
at::Tensor randomBoxes(int64_t n, double imgW, double imgH, double maxSize) {
    const auto xy = at::rand({n, 2}) * at::tensor({imgW, imgH}).to(at::kFloat);
    const auto wh = at::rand({n, 2}) * maxSize;
    return at::cat({xy, xy + wh}, 1);
}

void row(const char* op, const std::string& config, double ms, double checksum) {
    std::printf("| %-22s | %-44s | %9.2f | %14.6g |\n", op, config.c_str(), ms, checksum);
}

}  // namespace

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
    at::set_num_threads(threads);
    at::manual_seed(0);
    // RoIAlign: P2-sized map of an 800x1344 image (stride 4), 1000 rois.
    const auto features = at::randn({1, 256, 200, 336});
    const auto boxes = randomBoxes(1000, 1344, 800, 300);
    const auto rois = at::cat({at::zeros({1000, 1}), boxes}, 1);
    // NMS: 5000 boxes (RPN-like), scores, 80 classes for batched NMS.
    const auto nmsBoxes = randomBoxes(5000, 1333, 800, 200);
    const auto nmsScores = at::rand({5000});
    const auto nmsIdxs = at::randint(0, 80, {5000});
    // Mask pasting: 100 28x28 probability maps into an 800x1333 image.
    const auto masks = at::rand({100, 28, 28});
    const auto maskBoxes = randomBoxes(100, 1200, 700, 300);

    std::printf("bench_ops: %d thread(s), median of %d runs\n\n", threads, repeats);
    std::printf("| %-22s | %-44s | %9s | %14s |\n", "op", "config", "ms", "checksum");
    std::printf("|%s|%s|%s|%s|\n", std::string(24, '-').c_str(), std::string(46, '-').c_str(),
                std::string(11, '-').c_str(), std::string(16, '-').c_str());
    at::Tensor out;
    for (int sr : {2, 0}) {
        const std::string cfg = "1000 rois, 256x200x336, 7x7, scale 1/4, sr " + std::to_string(sr);
        double ms = medianMs(
            repeats, [&] { out = roiAlign(features, rois, 0.25, 7, 7, sr, Geometry::Modern); });
        row("roiAlign Modern", cfg, ms, out.sum().item<double>());
        ms = medianMs(repeats,
                      [&] { out = roiAlign(features, rois, 0.25, 7, 7, sr, Geometry::Reference); });
        row("roiAlign Reference", cfg, ms, out.sum().item<double>());
    }
    {
        const std::string cfg = "1000 rois, 256x200x336, 7x7, scale 1/4, sr 2";
        namespace od = zsi::ops::detail;
        double ms = medianMs(repeats, [&] {
            out = od::roiAlignCpuForward(features, rois, 0.25, 7, 7, 2, Geometry::Modern,
                                         od::CpuLayout::Planar);
        });
        row("roiAlign planar only", cfg, ms, out.sum().item<double>());
        ms = medianMs(repeats, [&] {
            out = od::roiAlignCpuForward(features, rois, 0.25, 7, 7, 2, Geometry::Modern,
                                         od::CpuLayout::ChannelsLast);
        });
        row("roiAlign chan-last only", cfg, ms, out.sum().item<double>());
        const auto rois100 = rois.slice(0, 0, 100);
        ms = medianMs(repeats, [&] {
            out = od::roiAlignCpuForward(features, rois100, 0.25, 7, 7, 2, Geometry::Modern,
                                         od::CpuLayout::Planar);
        });
        row("roiAlign planar only", "100 rois, same map", ms, out.sum().item<double>());
        ms = medianMs(repeats, [&] {
            out = od::roiAlignCpuForward(features, rois100, 0.25, 7, 7, 2, Geometry::Modern,
                                         od::CpuLayout::ChannelsLast);
        });
        row("roiAlign chan-last only", "100 rois, same map", ms, out.sum().item<double>());
        ms = medianMs(repeats,
                      [&] { out = roiAlign(features, rois100, 0.25, 7, 7, 2, Geometry::Modern); });
        row("roiAlign Modern", "100 rois, same map", ms, out.sum().item<double>());
        ms = medianMs(std::min(repeats, 2), [&] {
            out = zsi::ops::detail::roiAlignAten(features, rois, 0.25, 7, 7, 2, Geometry::Modern);
        });
        row("roiAlignAten Modern", cfg, ms, out.sum().item<double>());
        const auto f = features.clone().set_requires_grad(true);
        const auto w = at::ones({1000, 256, 7, 7});
        ms = medianMs(repeats, [&] {
            auto y = roiAlign(f, rois, 0.25, 7, 7, 2, Geometry::Modern);
            y.backward(w);
            out = f.grad().clone();
            f.mutable_grad().zero_();
        });
        row("roiAlign fwd+bwd", cfg, ms, out.sum().item<double>());
    }
    {
        const std::string cfg = "1000 rois, 256x50x84, 14x14, scale 1/16, sr 2";
        const auto f16 = features.slice(2, 0, 50).slice(3, 0, 84).contiguous();
        const double ms = medianMs(
            repeats, [&] { out = roiAlign(f16, rois, 1.0 / 16, 14, 14, 2, Geometry::Modern); });
        row("roiAlign Modern", cfg, ms, out.sum().item<double>());
    }
    for (double thr : {0.7, 0.5}) {
        const std::string cfg = "5000 boxes, iou " + std::to_string(thr).substr(0, 3);
        double ms =
            medianMs(repeats, [&] { out = nms(nmsBoxes, nmsScores, thr, Geometry::Modern); });
        row("nms Modern", cfg + ", kept " + std::to_string(out.numel()), ms,
            out.sum().item<double>());
        ms = medianMs(repeats, [&] { out = nms(nmsBoxes, nmsScores, thr, Geometry::Reference); });
        row("nms Reference", cfg + ", kept " + std::to_string(out.numel()), ms,
            out.sum().item<double>());
    }
    {
        double ms = medianMs(repeats, [&] {
            out = batchedNms(nmsBoxes, nmsScores, nmsIdxs, 0.5, Geometry::Modern);
        });
        row("batchedNms Modern",
            "5000 boxes, 80 classes, iou 0.5, kept " + std::to_string(out.numel()), ms,
            out.sum().item<double>());
        ms = medianMs(repeats, [&] {
            out =
                zsi::ops::detail::nmsAten(nmsBoxes, nmsScores, at::Tensor(), 0.7, Geometry::Modern);
        });
        row("nmsAten Modern", "5000 boxes, iou 0.7, kept " + std::to_string(out.numel()), ms,
            out.sum().item<double>());
    }
    for (Geometry g : {Geometry::Modern, Geometry::Reference}) {
        double sum = 0;
        const double ms = medianMs(repeats, [&] {
            sum = 0;
            for (int64_t i = 0; i < 100; ++i)
                sum += pasteMask(masks[i], maskBoxes[i], 800, 1333, g).probs.sum().item<double>();
        });
        row(g == Geometry::Modern ? "pasteMask Modern" : "pasteMask Reference",
            "100 masks 28x28 -> 800x1333", ms, sum);
    }
    return 0;
}
