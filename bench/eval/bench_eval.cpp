// bench_eval: COCO segm evaluation of 1000 images x 100 detections (the target:
// at most ~2 s on 2 cores; pycocotools takes about 5 s). Data are generated in memory:
// 640x480 images, 7 ground-truth ellipses each (polygons, as in COCO), detections that are
// jittered copies of the ground truth or random ellipses (compressed-RLE-like masks).
#include "data/coco.h"
#include "eval/coco_eval.h"
#include "util/random.h"

#include <opencv2/imgproc.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>

using namespace zsi;

namespace {

struct Ellipse {
    double cx, cy, ax, ay, angle;
};

std::vector<double> ellipsePolygon(const Ellipse& e) {
    std::vector<double> xy;
    const double c = std::cos(e.angle), s = std::sin(e.angle);
    for (int i = 0; i < 32; ++i) {
        const double t = 2 * M_PI * i / 32, x = e.ax * std::cos(t), y = e.ay * std::sin(t);
        xy.push_back(e.cx + c * x - s * y);
        xy.push_back(e.cy + s * x + c * y);
    }
    return xy;
}

Rle ellipseMask(const Ellipse& e, int h, int w) {
    // Cropped rasterisation + encodeCropped: never a full-image buffer.
    const int r = int(std::ceil(std::max(e.ax, e.ay))) + 1;
    const cv::Point o(int(e.cx) - r, int(e.cy) - r);
    cv::Mat crop = cv::Mat::zeros(2 * r + 1, 2 * r + 1, CV_8U);
    cv::ellipse(crop, cv::Point(int(e.cx) - o.x, int(e.cy) - o.y), cv::Size(int(e.ax), int(e.ay)),
                e.angle * 180 / M_PI, 0, 360, cv::Scalar(1), cv::FILLED);
    return rle::encodeCropped(crop, o, h, w);
}

double seconds(std::chrono::steady_clock::time_point a) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
}

}  // namespace

int main() {
    const int numImages = 1000, detsPerImage = 100, gtPerImage = 7, numCats = 20, W = 640, H = 480;
    Rng rng(2024);
    coco::Dataset gt;
    std::vector<coco::Detection> dts;
    std::vector<std::vector<std::pair<Ellipse, int64_t>>> objects(numImages);
    const auto tGen = std::chrono::steady_clock::now();
    for (int c = 1; c <= numCats; ++c)
        gt.categories.push_back({c, "class " + std::to_string(c), "", {}});
    int64_t annId = 1;
    for (int i = 0; i < numImages; ++i) {
        gt.images.push_back({i + 1, "im.png", W, H, {}});
        for (int k = 0; k < gtPerImage; ++k) {
            Ellipse e{rng.uniform(60, W - 60), rng.uniform(60, H - 60), rng.uniform(8, 80),
                      rng.uniform(8, 80), rng.uniform(0, M_PI)};
            const int64_t cat = rng.uniformInt(1, numCats);
            coco::Annotation a;
            a.id = annId++;
            a.imageId = i + 1;
            a.categoryId = cat;
            a.segmentation = coco::Polygons{{ellipsePolygon(e)}};
            const Rle m = coco::toRle(a.segmentation, H, W);
            a.area = double(rle::area(m));
            a.bbox = rle::toBbox(m);
            a.iscrowd = rng.bernoulli(0.02);
            gt.annotations.push_back(std::move(a));
            objects[size_t(i)].push_back({e, cat});
        }
        for (int d = 0; d < detsPerImage; ++d) {
            Ellipse e;
            int64_t cat;
            if (rng.bernoulli(0.6)) {
                const auto& [g, c] = objects[size_t(i)][size_t(rng.uniformInt(0, gtPerImage - 1))];
                e = {g.cx + rng.normal(0, 4), g.cy + rng.normal(0, 4), g.ax * rng.uniform(0.8, 1.2),
                     g.ay * rng.uniform(0.8, 1.2), g.angle + rng.normal(0, 0.1)};
                cat = rng.bernoulli(0.8) ? c : rng.uniformInt(1, numCats);
            } else {
                e = {rng.uniform(60, W - 60), rng.uniform(60, H - 60), rng.uniform(8, 80),
                     rng.uniform(8, 80), rng.uniform(0, M_PI)};
                cat = rng.uniformInt(1, numCats);
            }
            coco::Detection det;
            det.imageId = i + 1;
            det.categoryId = cat;
            det.mask = ellipseMask(e, H, W);
            det.bbox = rle::toBbox(*det.mask);
            det.score = rng.uniform();
            dts.push_back(std::move(det));
        }
    }
    std::printf(
        "bench_eval: %d images x %d detections (segm), %zu ground truths, %d categories, %dx%d; "
        "data generated in %.2f s\n",
        numImages, detsPerImage, gt.annotations.size(), numCats, W, H, seconds(tGen));
    std::printf("%-8s %-8s %10s %8s %8s\n", "iouType", "threads", "seconds", "AP", "AR100");
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    for (auto type : {eval::IouType::Segm, eval::IouType::Bbox})
        for (int threads : {1, int(hw)}) {
            eval::CocoEvalParams p;
            p.iouType = type;
            p.threads = threads;
            const auto t0 = std::chrono::steady_clock::now();
            const auto r = eval::evaluate(gt, dts, p);
            const double s = seconds(t0);
            const auto st = r.stats();
            std::printf("%-8s %-8d %10.3f %8.4f %8.4f\n",
                        type == eval::IouType::Segm ? "segm" : "bbox", threads, s, st[0], st[8]);
            if (threads == int(hw) && hw == 1) break;
        }
    return 0;
}
