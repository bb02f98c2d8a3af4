// Unit tests of core/ops. Modern geometry is compared with torchvision outputs written by
// tests/make_ops_fixtures.py (tests/fixtures/ops); the Reference geometry (MMDetection v1)
// is checked on hand-worked cases whose expected numbers are derived in the comments.
#include "ops/ops.h"
#include "ops/ops_detail.h"
#include "util/error.h"
#include "util/random.h"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include <QtTest>

#include <array>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <string>

using namespace zsi;
using namespace zsi::ops;
namespace od = zsi::ops::detail;

namespace {

using Fixture = std::map<std::string, at::Tensor>;

Fixture loadFixture(const std::string& name) {
    const std::string path = std::string(ZSI_FIXTURES_DIR) + "/ops/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("missing fixture " + path);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    Fixture out;
    for (const auto& kv : torch::jit::pickle_load(bytes).toGenericDict())
        out[kv.key().toStringRef()] = kv.value().toTensor();
    return out;
}

at::Tensor get(const Fixture& f, const std::string& key) {
    const auto it = f.find(key);
    if (it == f.end()) throw std::runtime_error("fixture key missing: " + key);
    return it->second;
}

double maxAbsDiff(const at::Tensor& a, const at::Tensor& b) {
    if (a.sizes() != b.sizes()) return 1e30;
    if (a.numel() == 0) return 0;
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

// Uniform tensor from the project's generator (reproducible everywhere).
at::Tensor uniform(at::IntArrayRef shape, Rng& rng, double lo, double hi,
                   at::ScalarType st = at::kFloat) {
    auto t = at::empty(shape, at::kDouble);
    auto* p = t.data_ptr<double>();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = rng.uniform(lo, hi);
    return t.to(st);
}

// Random rois (K, 5) over an image of imgH x imgW, some partly outside, some degenerate.
at::Tensor randomRois(int64_t k, int64_t batches, double imgH, double imgW, Rng& rng,
                      at::ScalarType st = at::kFloat) {
    auto r = at::empty({k, 5}, at::kDouble);
    auto a = r.accessor<double, 2>();
    for (int64_t i = 0; i < k; ++i) {
        a[i][0] = static_cast<double>(rng.uniformInt(0, batches - 1));
        const double x = rng.uniform(-0.2 * imgW, 1.1 * imgW),
                     y = rng.uniform(-0.2 * imgH, 1.1 * imgH);
        double w = rng.uniform(0, 0.6 * imgW), h = rng.uniform(0, 0.6 * imgH);
        if (i % 7 == 3) w = h = 0;                         // zero size
        if (i % 11 == 5) w = -rng.uniform(0, 0.1 * imgW);  // inverted
        a[i][1] = x;
        a[i][2] = y;
        a[i][3] = x + w;
        a[i][4] = y + h;
    }
    return r.to(st);
}

// f[0, 0, y, x] = 10 y + x: bilinear interpolation reproduces a linear function exactly, so
// a sample at (y, x) inside [0, H-1] x [0, W-1] reads 10 y + x.
at::Tensor rampFeatures(int64_t h, int64_t w) {
    auto f = at::empty({1, 1, h, w}, at::kFloat);
    auto a = f.accessor<float, 4>();
    for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < w; ++x) a[0][0][y][x] = static_cast<float>(10 * y + x);
    return f;
}

float roi1(const at::Tensor& feat, std::initializer_list<float> roi, double scale, int sr,
           Geometry g) {
    const auto r = at::tensor(std::vector<float>(roi)).view({1, 5});
    return roiAlign(feat, r, scale, 1, 1, sr, g).item<float>();
}

at::Tensor gradOf(const at::Tensor& loss, const at::Tensor& x) {
    return torch::autograd::grad(torch::autograd::variable_list{loss},
                                 torch::autograd::variable_list{x})[0];
}

std::vector<int64_t> vec(const at::Tensor& t) {
    const auto c = t.to(at::kLong).contiguous();
    return {c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel()};
}

}  // namespace

class TestOps : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { at::set_num_threads(2); }

    // ---------------------------------------------------------------- RoIAlign, Modern
    void roiAlignMatchesTorchvision_data() {
        QTest::addColumn<QString>("key");
        for (const char* k :
             {"s1_sr2_7x7", "s025_adaptive_7x7", "s05_sr0_3x5", "s0125_sr3_2x2", "s025_sr1_4x4"})
            QTest::newRow(k) << QString(k);
    }
    void roiAlignMatchesTorchvision() {
        QFETCH(QString, key);
        const auto f = loadFixture("roi_align.pt");
        const std::string k = key.toStdString();
        const auto feat = get(f, "features");
        const auto rois = get(f, k + "/rois");
        const auto p = get(f, k + "/params");
        const double scale = p[0].item<double>();
        const int sr = static_cast<int>(p[1].item<double>());
        const int oh = static_cast<int>(p[2].item<double>()),
                  ow = static_cast<int>(p[3].item<double>());
        QVERIFY(rois.size(0) >= 40);  // the degenerate/outside rois made it into the fixture
        const auto expected = get(f, k + "/out");

        const auto out = roiAlign(feat, rois, scale, oh, ow, sr, Geometry::Modern);
        QVERIFY2(maxAbsDiff(out, expected) < 1e-5,
                 std::to_string(maxAbsDiff(out, expected)).c_str());
        const auto aten = od::roiAlignAten(feat, rois, scale, oh, ow, sr, Geometry::Modern);
        QVERIFY2(maxAbsDiff(aten, expected) < 1e-5,
                 std::to_string(maxAbsDiff(aten, expected)).c_str());

        // Gradient w.r.t. features of sum(out * w), against torchvision's backward.
        const auto w = get(f, k + "/grad_weight");
        const auto expectedGrad = get(f, k + "/grad_features");
        // Both CPU memory strategies, forward and backward, whatever Auto would pick.
        for (auto layout : {od::CpuLayout::Planar, od::CpuLayout::ChannelsLast}) {
            const auto o =
                od::roiAlignCpuForward(feat, rois, scale, oh, ow, sr, Geometry::Modern, layout);
            QVERIFY2(maxAbsDiff(o, expected) < 1e-5,
                     std::to_string(maxAbsDiff(o, expected)).c_str());
            const auto gi = od::roiAlignCpuBackward(w, rois, feat.sizes(), scale, oh, ow, sr,
                                                    Geometry::Modern, layout);
            QVERIFY2(maxAbsDiff(gi, expectedGrad) < 1e-5,
                     std::to_string(maxAbsDiff(gi, expectedGrad)).c_str());
        }
        for (bool viaAten : {false, true}) {
            auto x = feat.clone().set_requires_grad(true);
            const auto y = viaAten ? od::roiAlignAten(x, rois, scale, oh, ow, sr, Geometry::Modern)
                                   : roiAlign(x, rois, scale, oh, ow, sr, Geometry::Modern);
            const auto grad = gradOf((y * w).sum(), x);
            QVERIFY2(maxAbsDiff(grad, expectedGrad) < 1e-5,
                     std::to_string(maxAbsDiff(grad, expectedGrad)).c_str());
        }
    }

    void roiAlignFloat64AndEmpty() {
        const auto f = loadFixture("roi_align.pt");
        const auto featd = get(f, "features").to(at::kDouble);
        const auto out = roiAlign(featd, get(f, "f64/rois"), 0.25, 7, 7, -1, Geometry::Modern);
        QCOMPARE(out.scalar_type(), at::kDouble);
        QVERIFY(maxAbsDiff(out, get(f, "f64/out")) < 1e-12);

        const auto empty = get(f, "empty/out");
        for (Geometry g : {Geometry::Modern, Geometry::Reference}) {
            const auto e = roiAlign(get(f, "features"), at::zeros({0, 5}), 0.25, 7, 7, 2, g);
            QCOMPARE(e.sizes().vec(), empty.sizes().vec());
            const auto ea =
                od::roiAlignAten(get(f, "features"), at::zeros({0, 5}), 0.25, 7, 7, 2, g);
            QCOMPARE(ea.sizes().vec(), (std::vector<int64_t>{0, 3, 7, 7}));
        }
    }

    void roiAlignDegenerateDoesNotCrash() {
        // torchvision itself throws on rois inverted along one axis only (it sizes a buffer
        // with a negative grid); ours returns zeros for them.
        const auto feat = at::ones({1, 2, 10, 10});
        const auto rois = at::tensor({0.f, 5.f, 1.f, -20.f, 3.f, 0.f, -30.f, -30.f, -10.f, -10.f,
                                      0.f, 5.f, 5.f, 5.f,   5.f, 0.f, 1e6f,  1e6f,  2e6f,  2e6f})
                              .view({4, 5});
        for (Geometry g : {Geometry::Modern, Geometry::Reference})
            for (int sr : {-1, 0, 2}) {
                const auto out = roiAlign(feat, rois, 0.5, 2, 2, sr, g);
                QVERIFY(at::isfinite(out).all().item<bool>());
                // Roi 0 is inverted in x only: torchvision throws with an adaptive grid; we
                // give zeros (a fixed grid samples leftwards, as torchvision does).
                if (g == Geometry::Modern && sr <= 0)
                    QCOMPARE(out[0].abs().sum().item<float>(), 0.f);
                QCOMPARE(out[3].abs().sum().item<float>(), 0.f);  // far outside: nothing sampled
            }
        // NaN coordinates read nothing (torchvision would index with (int)NaN).
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const auto nanRoi = at::tensor({0.f, nan, 1.f, 4.f, nan}).view({1, 5});
        for (Geometry g : {Geometry::Modern, Geometry::Reference}) {
            QCOMPARE(roiAlign(feat, nanRoi, 1.0, 2, 2, 2, g).abs().sum().item<float>(), 0.f);
            QCOMPARE(od::roiAlignAten(feat, nanRoi, 1.0, 2, 2, 2, g).abs().sum().item<float>(),
                     0.f);
        }
        // A batch index out of range is an error, not a crash.
        QVERIFY_THROWS_EXCEPTION(
            Error, roiAlign(feat, at::tensor({3.f, 0.f, 0.f, 1.f, 1.f}).view({1, 5}), 1.0, 2, 2, 2,
                            Geometry::Modern));
        QVERIFY_THROWS_EXCEPTION(Error,
                                 roiAlign(feat, at::zeros({2, 4}), 1.0, 2, 2, 2, Geometry::Modern));
    }

    // The ATen-composed path (used on CUDA) equals the CPU kernel, for both geometries,
    // forward and backward, on random rois including outside/degenerate ones.
    void roiAlignAtenEqualsKernel() {
        Rng rng(7);
        const auto feat = uniform({2, 9, 19, 23}, rng, -1, 1);
        const auto rois = randomRois(60, 2, 76, 92, rng);
        const auto w = uniform({60, 9, 7, 7}, rng, -1, 1);
        for (Geometry g : {Geometry::Modern, Geometry::Reference})
            for (int sr : {-1, 1, 2}) {
                auto x1 = feat.clone().set_requires_grad(true);
                auto x2 = feat.clone().set_requires_grad(true);
                const auto a = roiAlign(x1, rois, 0.25, 7, 7, sr, g);
                const auto b = od::roiAlignAten(x2, rois, 0.25, 7, 7, sr, g);
                QVERIFY2(maxAbsDiff(a, b) < 1e-5, std::to_string(maxAbsDiff(a, b)).c_str());
                const auto ga = gradOf((a * w).sum(), x1);
                const auto gb = gradOf((b * w).sum(), x2);
                QVERIFY2(maxAbsDiff(ga, gb) < 1e-5, std::to_string(maxAbsDiff(ga, gb)).c_str());
                for (auto layout : {od::CpuLayout::Planar, od::CpuLayout::ChannelsLast}) {
                    const auto c = od::roiAlignCpuForward(feat, rois, 0.25, 7, 7, sr, g, layout);
                    QVERIFY(maxAbsDiff(a, c) < 1e-5);
                    const auto gc =
                        od::roiAlignCpuBackward(w, rois, feat.sizes(), 0.25, 7, 7, sr, g, layout);
                    QVERIFY(maxAbsDiff(ga, gc) < 1e-5);
                }
            }
    }

    // RoIAlign is linear in the features, so the exact gradient of <w, A f> is A^T w and
    // a central finite difference along any direction d equals <A^T w, d> up to rounding.
    void roiAlignGradientFiniteDifference() {
        Rng rng(11);
        const auto feat = uniform({1, 2, 9, 11}, rng, -1, 1, at::kDouble);
        const auto rois = randomRois(12, 1, 18, 22, rng, at::kDouble);
        const auto w = uniform({12, 2, 3, 3}, rng, -1, 1, at::kDouble);
        for (Geometry g : {Geometry::Modern, Geometry::Reference}) {
            auto x = feat.clone().set_requires_grad(true);
            const auto grad = gradOf((roiAlign(x, rois, 0.5, 3, 3, 2, g) * w).sum(), x);
            for (int trial = 0; trial < 5; ++trial) {
                const auto d = uniform({1, 2, 9, 11}, rng, -1, 1, at::kDouble);
                const double eps = 1e-3;
                const double fp =
                    (roiAlign(feat + eps * d, rois, 0.5, 3, 3, 2, g) * w).sum().item<double>();
                const double fm =
                    (roiAlign(feat - eps * d, rois, 0.5, 3, 3, 2, g) * w).sum().item<double>();
                const double fd = (fp - fm) / (2 * eps);
                const double an = (grad * d).sum().item<double>();
                QVERIFY2(std::abs(fd - an) < 1e-8,
                         (std::to_string(fd) + " vs " + std::to_string(an)).c_str());
            }
        }
    }

    // ------------------------------------------------------------- RoIAlign, Reference
    void roiAlignReferenceHandWorked() {
        // 4x4 ramp, f(y, x) = 10 y + x.
        const auto f = rampFeatures(4, 4);
        const auto R = Geometry::Reference, M = Geometry::Modern;
        // roi (0,0)-(1,1), scale 1, 1x1 output, 2x2 samples.
        // Reference: start 0, end (1 + 1) * 1 = 2, bin 2, samples 0.5 and 1.5 on each axis:
        //   mean y = 1, mean x = 1 -> 11.
        QCOMPARE(roi1(f, {0, 0, 0, 1, 1}, 1.0, 2, R), 11.f);
        // Modern (aligned): start -0.5, end 0.5, samples -0.25 (clamped to 0) and 0.25:
        //   mean 0.125 on each axis -> 1.25 + 0.125 = 1.375.
        QCOMPARE(roi1(f, {0, 0, 0, 1, 1}, 1.0, 2, M), 1.375f);
        // Scale 0.5, roi (2,2)-(5,5), adaptive grid.
        // Reference: start 1, end (5 + 1) * 0.5 = 3, size 2 -> grid ceil(2 / 1) = 2, samples
        //   1.5, 2.5: mean 2 -> 22.
        QCOMPARE(roi1(f, {0, 2, 2, 5, 5}, 0.5, 0, R), 22.f);
        // Modern: start 0.5, end 2.0, size 1.5 -> grid 2, samples 0.875, 1.625: mean 1.25
        //   -> 13.75.
        QCOMPARE(roi1(f, {0, 2, 2, 5, 5}, 0.5, 0, M), 13.75f);
        // Legacy sampling: a sample at x = -1.0 is kept and clamped to 0; y from roi
        //   y1 = y2 = 2: start 2, end 3, one sample at 2.5 -> 25 + 0 = 25.
        QCOMPARE(roi1(f, {0, -1.5, 2, -1.5, 2}, 1.0, 1, R), 25.f);
        // Samples below -1 read 0: roi (-4,-4)-(-3,-3): start -4, end -2, sample -3 -> 0.
        QCOMPARE(roi1(f, {0, -4, -4, -3, -3}, 1.0, 1, R), 0.f);
        // y = 3.5 (beyond H - 1 = 3, within H = 4) is clamped to row 3: roi y1 = y2 = 3,
        //   x1 = x2 = 1: samples y 3.5, x 1.5 -> 30 + 1.5 = 31.5.
        QCOMPARE(roi1(f, {0, 1, 3, 1, 3}, 1.0, 1, R), 31.5f);
        // y = 4.5 > H reads 0: roi y1 = y2 = 4.
        QCOMPARE(roi1(f, {0, 1, 4, 1, 4}, 1.0, 1, R), 0.f);
        // Inverted roi: x2 + 1 - x1 = -2, clamped to width 0 (the legacy kernel's fmaxf(., 0)),
        //   so every x sample sits at x1 = 2; y: start 1, end 2, samples 1.25, 1.75 -> 15 + 2.
        QCOMPARE(roi1(f, {0, 2, 1, -1, 1}, 1.0, 2, R), 17.f);
        // 2x2 output of a zero-size box at (1,1), one sample per bin: width (1+1) - 1 = 1,
        //   bins 0.5, samples at 1.25 and 1.75 -> 10 y + x.
        const auto out =
            roiAlign(f, at::tensor({0.f, 1.f, 1.f, 1.f, 1.f}).view({1, 5}), 1.0, 2, 2, 1, R);
        const auto expected = at::tensor({13.75f, 14.25f, 18.75f, 19.25f}).view({1, 1, 2, 2});
        QVERIFY(maxAbsDiff(out, expected) < 1e-6);
        QVERIFY(maxAbsDiff(od::roiAlignAten(f, at::tensor({0.f, 1.f, 1.f, 1.f, 1.f}).view({1, 5}),
                                            1.0, 2, 2, 1, R),
                           expected) < 1e-6);
    }

    // ------------------------------------------------------------------------- NMS
    void nmsMatchesTorchvision() {
        const auto f = loadFixture("nms.pt");
        const auto boxes = get(f, "boxes"), scores = get(f, "scores"), idxs = get(f, "idxs");
        for (int t : {3, 5, 7}) {
            const double thr = t / 10.0;
            const std::string k = "t" + std::to_string(t);
            const auto expected = vec(get(f, k + "/keep"));
            QCOMPARE(vec(nms(boxes, scores, thr, Geometry::Modern)), expected);
            QCOMPARE(vec(od::nmsAten(boxes, scores, at::Tensor(), thr, Geometry::Modern)),
                     expected);
            // Per-class, boxes inside the image: torchvision's batched_nms.
            const auto in = boxes.slice(0, 0, 200), sin = scores.slice(0, 0, 200),
                       iin = idxs.slice(0, 0, 200);
            QCOMPARE(vec(batchedNms(in, sin, iin, thr, Geometry::Modern)),
                     vec(get(f, k + "/batched_keep")));
            // All boxes (some negative coordinates): true per-class NMS via torchvision's nms.
            const auto perClass = vec(get(f, k + "/per_class_keep"));
            QCOMPARE(vec(batchedNms(boxes, scores, idxs, thr, Geometry::Modern)), perClass);
            QCOMPARE(vec(od::nmsAten(boxes, scores, idxs, thr, Geometry::Modern)), perClass);
        }
        QCOMPARE(vec(nms(boxes.to(at::kDouble), scores.to(at::kDouble), 0.5, Geometry::Modern)),
                 vec(get(f, "f64/keep")));
        // Ties: equal scores keep the lower index first.
        QCOMPARE(vec(nms(get(f, "dup/boxes"), get(f, "dup/scores"), 0.5, Geometry::Modern)),
                 vec(get(f, "dup/keep")));
        QCOMPARE(vec(batchedNms(get(f, "big/boxes"), get(f, "big/scores"), get(f, "big/idxs"), 0.5,
                                Geometry::Modern)),
                 vec(get(f, "big/keep")));
        for (Geometry g : {Geometry::Modern, Geometry::Reference}) {
            const auto e = nms(at::zeros({0, 4}), at::zeros({0}), 0.5, g);
            QCOMPARE(e.sizes().vec(), get(f, "empty/keep").sizes().vec());
            QCOMPARE(e.scalar_type(), at::kLong);
            QCOMPARE(
                batchedNms(at::zeros({0, 4}), at::zeros({0}), at::zeros({0}, at::kLong), 0.5, g)
                    .numel(),
                0);
            QCOMPARE(od::nmsAten(at::zeros({0, 4}), at::zeros({0}), at::Tensor(), 0.5, g).numel(),
                     0);
        }
    }

    // The detector's "first N kept" NMS equals the first N of full batched NMS, for every N,
    // both geometries, on the torchvision fixture (with ties) and on dense random candidates
    // (many boxes per class, as 1000 proposals x 65 classes at threshold 0 give).
    void batchedNmsFirstKeptEqualsTruncatedFull() {
        const auto f = loadFixture("nms.pt");
        Rng rng(11);
        const auto rb = randomRois(3000, 1, 200, 200, rng).slice(1, 1, 5).contiguous();
        const auto rs = uniform({3000}, rng, 0, 1);
        const auto rc = uniform({3000}, rng, 0, 7).to(at::kLong);
        const std::vector<std::array<at::Tensor, 3>> cases = {
            {get(f, "boxes"), get(f, "scores"), get(f, "idxs")},
            {get(f, "big/boxes"), get(f, "big/scores"), get(f, "big/idxs")},
            {rb, rs, rc},
            {rb.to(at::kDouble), rs.to(at::kDouble), rc}};
        for (Geometry g : {Geometry::Modern, Geometry::Reference})
            for (const auto& [boxes, scores, idxs] : cases)
                for (double thr : {0.3, 0.5, 0.7}) {
                    const auto full = vec(batchedNms(boxes, scores, idxs, thr, g));
                    QVERIFY(full.size() > 20);
                    for (int64_t n : {int64_t(0), int64_t(1), int64_t(7), int64_t(20),
                                      int64_t(full.size()), int64_t(full.size() + 5)}) {
                        const auto first = vec(batchedNms(boxes, scores, idxs, thr, g, n));
                        const size_t m = std::min(full.size(), size_t(n));
                        QCOMPARE(first, std::vector<int64_t>(full.begin(), full.begin() + m));
                        QCOMPARE(vec(od::nmsCpu(boxes, scores, idxs, thr, g, n)), first);
                    }
                }
    }

    void nmsReferenceHandWorked() {
        // A = (0,0)-(9,9), B = (0,0)-(9,4).
        // Reference: areas 10*10 = 100 and 10*5 = 50, intersection 10*5 = 50 -> IoU 0.5.
        // Modern: areas 81 and 36, intersection 9*4 = 36 -> IoU 0.444.
        const auto ab = at::tensor({0.f, 0.f, 9.f, 9.f, 0.f, 0.f, 9.f, 4.f}).view({2, 4});
        const auto s = at::tensor({0.9f, 0.8f});
        QCOMPARE(vec(nms(ab, s, 0.45, Geometry::Reference)), (std::vector<int64_t>{0}));
        QCOMPARE(vec(nms(ab, s, 0.45, Geometry::Modern)), (std::vector<int64_t>{0, 1}));
        // Strict ">" as the mmdet v1 CUDA kernel: IoU 0.5 at threshold 0.5 is kept.
        QCOMPARE(vec(nms(ab, s, 0.5, Geometry::Reference)), (std::vector<int64_t>{0, 1}));
        // Touching boxes A = (0,0)-(9,9), C = (9,0)-(18,9) share the pixel column x = 9:
        // Reference intersection 1*10 = 10 -> IoU 10 / (100 + 100 - 10) = 0.0526; Modern 0.
        const auto ac = at::tensor({0.f, 0.f, 9.f, 9.f, 9.f, 0.f, 18.f, 9.f}).view({2, 4});
        QCOMPARE(vec(nms(ac, s, 0.05, Geometry::Reference)), (std::vector<int64_t>{0}));
        QCOMPARE(vec(nms(ac, s, 0.05, Geometry::Modern)), (std::vector<int64_t>{0, 1}));
        QCOMPARE(vec(od::nmsAten(ac, s, at::Tensor(), 0.05, Geometry::Reference)),
                 (std::vector<int64_t>{0}));
        // Per class: the same pair in different classes is never suppressed.
        QCOMPARE(vec(batchedNms(ac, s, at::tensor({0L, 1L}), 0.05, Geometry::Reference)),
                 (std::vector<int64_t>{0, 1}));
        // Ordering by score, not index.
        const auto s2 = at::tensor({0.1f, 0.8f});
        QCOMPARE(vec(batchedNms(ac, s2, at::tensor({0L, 1L}), 0.05, Geometry::Reference)),
                 (std::vector<int64_t>{1, 0}));
        // Reference CPU kernel equals the ATen path on random boxes.
        Rng rng(3);
        const auto b = randomRois(400, 1, 100, 100, rng).slice(1, 1, 5).contiguous();
        const auto sc = uniform({400}, rng, 0, 1);
        const auto cls = uniform({400}, rng, 0, 4).to(at::kLong);
        QCOMPARE(vec(nms(b, sc, 0.5, Geometry::Reference)),
                 vec(od::nmsAten(b, sc, at::Tensor(), 0.5, Geometry::Reference)));
        QCOMPARE(vec(batchedNms(b, sc, cls, 0.5, Geometry::Reference)),
                 vec(od::nmsAten(b, sc, cls, 0.5, Geometry::Reference)));
    }

    void boxIouBothGeometries() {
        const auto a = at::tensor({0.f, 0.f, 9.f, 9.f, 0.f, 0.f, 9.f, 4.f}).view({2, 4});
        const auto b = at::tensor({9.f, 0.f, 18.f, 9.f, 0.f, 0.f, 9.f, 9.f, 20.f, 20.f, 30.f, 30.f})
                           .view({3, 4});
        const auto m = boxIou(a, b, Geometry::Modern);
        const auto r = boxIou(a, b, Geometry::Reference);
        QCOMPARE(m.sizes().vec(), (std::vector<int64_t>{2, 3}));
        // Modern: touching -> 0; identical -> 1; B in A -> 36/81.
        QCOMPARE(m[0][0].item<float>(), 0.f);
        QCOMPARE(m[0][1].item<float>(), 1.f);
        QVERIFY(std::abs(m[1][1].item<float>() - 36.f / 81.f) < 1e-6);
        // Reference: touching -> 10 / 190; B in A -> 50 / 100.
        QVERIFY(std::abs(r[0][0].item<float>() - 10.f / 190.f) < 1e-6);
        QVERIFY(std::abs(r[1][1].item<float>() - 0.5f) < 1e-6);
        QCOMPARE(r[0][2].item<float>(), 0.f);
        QCOMPARE(boxIou(at::zeros({0, 4}), b, Geometry::Modern).sizes().vec(),
                 (std::vector<int64_t>{0, 3}));
    }

    // ---------------------------------------------------------------------- Masks
    void pasteMaskMatchesTorchvision() {
        const auto f = loadFixture("paste_masks.pt");
        const auto masks = get(f, "masks"), boxes = get(f, "boxes"), full = get(f, "full");
        const int H = static_cast<int>(get(f, "image_size")[0].item<int64_t>());
        const int W = static_cast<int>(get(f, "image_size")[1].item<int64_t>());
        for (int64_t i = 0; i < masks.size(0); ++i) {
            const auto p = pasteMask(masks[i], boxes[i], H, W, Geometry::Modern);
            auto img = at::zeros({H, W});
            if (p.probs.numel() > 0)
                img.slice(0, p.originY, p.originY + p.probs.size(0))
                    .slice(1, p.originX, p.originX + p.probs.size(1))
                    .copy_(p.probs);
            QVERIFY2(maxAbsDiff(img, full[i]) < 1e-6, ("mask " + std::to_string(i)).c_str());
            // The crop is exactly the pasted footprint: nothing of it lies outside.
            QVERIFY(p.originX >= 0 && p.originY >= 0);
            QVERIFY(p.originX + p.probs.size(1) <= W && p.originY + p.probs.size(0) <= H);
        }
        // Boxes entirely outside the image (torchvision fails on these): empty crops.
        for (Geometry g : {Geometry::Modern, Geometry::Reference})
            for (auto box :
                 {std::vector<float>{70, 10, 80, 20}, {-30, -30, -10, -10}, {10, 60, 20, 70}}) {
                const auto p = pasteMask(masks[0], at::tensor(box), H, W, g);
                QCOMPARE(p.probs.numel(), int64_t{0});
                QVERIFY(p.originX >= 0 && p.originX <= W && p.originY >= 0 && p.originY <= H);
            }
    }

    void pasteMaskReferenceHandWorked() {
        // Mask [[0, 1], [2, 3]], box (10.9, 20.9)-(13.9, 21.9) truncates to (10,20)-(13,21):
        // w = 13 - 10 + 1 = 4, h = 2. cv::resize INTER_LINEAR to 4x2: rows map 1:1; column
        // sources (dx + 0.5) * 2/4 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped to [0, 1]:
        // row 0 -> 0, 0.25, 0.75, 1; row 1 -> 2, 2.25, 2.75, 3.
        const auto mask = at::tensor({0.f, 1.f, 2.f, 3.f}).view({2, 2});
        const auto p = pasteMask(mask, at::tensor({10.9f, 20.9f, 13.9f, 21.9f}), 100, 100,
                                 Geometry::Reference);
        QCOMPARE(p.originX, 10);
        QCOMPARE(p.originY, 20);
        const auto expected =
            at::tensor({0.f, 0.25f, 0.75f, 1.f, 2.f, 2.25f, 2.75f, 3.f}).view({2, 4});
        QVERIFY(maxAbsDiff(p.probs, expected) < 1e-6);
        // Clipped at the left edge: box (-2,0)-(1,1) -> w = 4, columns 2..3 are inside.
        const auto c =
            pasteMask(mask, at::tensor({-2.f, 0.f, 1.f, 1.f}), 100, 100, Geometry::Reference);
        QCOMPARE(c.originX, 0);
        QVERIFY(maxAbsDiff(c.probs, expected.slice(1, 2, 4)) < 1e-6);
        // Degenerate (x2 < x1): w = max(x2 - x1 + 1, 1) = 1, one column at x1.
        const auto d =
            pasteMask(mask, at::tensor({5.f, 5.f, 3.f, 6.f}), 100, 100, Geometry::Reference);
        QCOMPARE(d.probs.sizes().vec(), (std::vector<int64_t>{2, 1}));
        QCOMPARE(d.originX, 5);
        // 1x1 mask into a 1-pixel box: the value itself.
        const auto one = pasteMask(at::full({1, 1}, 0.7f), at::tensor({3.f, 3.f, 3.f, 3.f}), 10, 10,
                                   Geometry::Reference);
        QCOMPARE(one.probs.item<float>(), 0.7f);
        QVERIFY_THROWS_EXCEPTION(
            Error, pasteMask(at::zeros({2}), at::zeros({4}), 10, 10, Geometry::Modern));
    }
};

QTEST_GUILESS_MAIN(TestOps)
#include "test_ops.moc"
