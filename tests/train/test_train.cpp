// Unit tests of core/train: assigner and sampler on hand-built boxes, every loss on a worked
// example, the LR schedule, a few steps on tiny drawn images reducing every loss term, and
// checkpoint -> resume continuing exactly like an uninterrupted run.
#include "data/coco_io.h"
#include "data/rle.h"
#include "data/split.h"
#include "io/model_bundle.h"
#include "model/detector.h"
#include "model/tiny_model.h"
#include "ops/ops.h"
#include "train/assigner.h"
#include "train/losses.h"
#include "train/schedule.h"
#include "train/train_step.h"
#include "train/trainer.h"
#include "util/error.h"

#include <torch/torch.h>
#include <QTemporaryDir>
#include "torch_test_support.h"

#include <QtTest>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <fstream>
#include <map>

using namespace zsi;
using namespace zsi::train;
namespace fs = std::filesystem;

namespace {

using zsi::test::t2;

bool near(double a, double b, double tol = 1e-5) {
    return std::abs(a - b) <= tol;
}

// Seen: red square, green circle, blue square; unseen: red circle.
Split tinySplit() {
    return Split{{"red square", "green circle", "blue square"}, {"red circle"}};
}

// Writes `count` 64 x 64 images with one or two objects, one image with an unseen object,
// the COCO JSON, the split and 6-d word vectors under dir. Returns options for the trainer.
TrainOptions writeTinyData(const fs::path& dir, int count) {
    fs::create_directories(dir / "images");
    const Split split = tinySplit();
    writeSplit(dir / "split.json", split);
    {
        std::ofstream v(dir / "vectors.txt");
        v << "5 6\n"
          << "red 1 0 0 0.2 0 0\n"
          << "green 0 1 0 0 0.2 0\n"
          << "blue 0 0 1 0 0 0.2\n"
          << "square 0.3 0 0 1 0 0\n"
          << "circle 0 0.3 0 0 1 0\n";
    }
    coco::Dataset data;
    const std::vector<std::string> all = split.all();
    for (size_t i = 0; i < all.size(); ++i)
        data.categories.push_back(
            {static_cast<int64_t>(i + 1), all[i], "shape", nlohmann::json::object()});
    const cv::Scalar colours[] = {{0, 0, 230}, {0, 200, 0}, {230, 0, 0}};  // BGR red green blue
    int64_t annId = 1;
    for (int i = 0; i < count; ++i) {
        cv::Mat img(64, 64, CV_8UC3, cv::Scalar(110, 110, 110));
        const std::string name = "images/" + std::to_string(i) + ".png";
        data.images.push_back({i + 1, name, 64, 64, nlohmann::json::object()});
        const int numObjects = 1 + i % 2;
        for (int o = 0; o < numObjects; ++o) {
            // Class: seen classes cycle; the last image holds the unseen red circle.
            int cls = (i + o) % 3;
            if (i == count - 1 && o == 0) cls = 3;
            const bool circle = cls == 1 || cls == 3;
            const int colour = cls == 3 ? 0 : (cls == 0 ? 0 : cls == 1 ? 1 : 2);
            const int size = 18 + 4 * ((i + o) % 3);
            const int x = o == 0 ? 6 + (i % 3) * 3 : 34, y = o == 0 ? 8 + (i % 2) * 4 : 30;
            cv::Mat mask = cv::Mat::zeros(64, 64, CV_8U);
            if (circle)
                cv::circle(mask, {x + size / 2, y + size / 2}, size / 2, cv::Scalar(1), cv::FILLED);
            else
                cv::rectangle(mask, cv::Rect(x, y, size, size), cv::Scalar(1), cv::FILLED);
            img.setTo(colours[colour], mask);
            coco::Annotation a;
            a.id = annId++;
            a.imageId = i + 1;
            a.categoryId = cls + 1;
            const Rle r = rle::encode(mask);
            a.bbox = rle::toBbox(r);
            a.area = static_cast<double>(rle::area(r));
            a.segmentation = coco::UncompressedRle{r};
            data.annotations.push_back(a);
        }
        cv::imwrite((dir / name).string(), img);
    }
    coco::writeInstances(dir / "instances.json", data);

    TrainOptions o;
    o.config = test::tinyConfig();
    o.config.rpn.train = {300, 0.7, 100, 100, 0.0};
    o.annotations = dir / "instances.json";
    o.images = dir;
    o.split = dir / "split.json";
    o.embeddings = dir / "vectors.txt";
    o.normalisation = "unit-l2";
    o.batchSize = 2;
    o.lr = 0.01;
    o.warmupIterations = 2;
    o.rpnSamples = 64;
    o.roiSamples = 32;
    o.logEvery = 1000;
    o.checkpointEvery = 1000;
    o.backgroundEvery = 2;
    o.seed = 11;
    return o;
}

std::vector<nlohmann::json> readLog(const fs::path& path) {
    std::vector<nlohmann::json> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) out.push_back(nlohmann::json::parse(line));
    return out;
}

}  // namespace

class TestTrain : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // One thread: on a shared 2-core machine OpenMP spin-waits make more threads slower.
    void initTestCase() { torch::set_num_threads(1); }

    void assignerOnHandBuiltBoxes() {
        const at::Tensor gt = t2({{0, 0, 10, 10}, {50, 50, 60, 60}});
        const at::Tensor boxes = t2({{0, 0, 10, 10},      // IoU 1 with gt 0: positive
                                     {0, 0, 10, 5},       // IoU 0.5: ignored (between 0.3 and 0.7)
                                     {20, 20, 30, 30},    // IoU 0: negative
                                     {0, 0, 10, 2},       // IoU 0.2: negative
                                     {50, 50, 60, 56}});  // IoU 0.6, gt 1's best: low-quality match
        const at::Tensor iou = ops::boxIou(boxes, gt, ops::Geometry::Modern);
        const AssignResult rpn = assignMaxIou(iou, MaxIouAssignerOptions::rpn());
        const std::vector<int64_t> expected{1, -1, 0, 0, 2};
        QCOMPARE(std::vector<int64_t>(rpn.assigned.data_ptr<int64_t>(),
                                      rpn.assigned.data_ptr<int64_t>() + 5),
                 expected);
        QCOMPARE(rpn.numPositive(), int64_t(2));
        QCOMPARE(rpn.numNegative(), int64_t(2));
        // Without low-quality matches the 0.6 box stays ignored.
        auto noLow = MaxIouAssignerOptions::rpn();
        noLow.matchLowQuality = false;
        QCOMPARE(assignMaxIou(iou, noLow).assigned[4].item<int64_t>(), int64_t(-1));
        // RCNN thresholds 0.5 / 0.5: the 0.5 box is positive, the 0.6 box too.
        const AssignResult rcnn = assignMaxIou(iou, MaxIouAssignerOptions::rcnn());
        const std::vector<int64_t> expectedRcnn{1, 1, 0, 0, 2};
        QCOMPARE(std::vector<int64_t>(rcnn.assigned.data_ptr<int64_t>(),
                                      rcnn.assigned.data_ptr<int64_t>() + 5),
                 expectedRcnn);
        // No ground truth: everything negative.
        QCOMPARE(assignMaxIou(at::zeros({3, 0}), MaxIouAssignerOptions::rpn()).numNegative(),
                 int64_t(3));
    }

    void samplerLimitsAndDeterminism() {
        AssignResult a;
        a.assigned = at::zeros({110}, at::kLong);
        a.assigned.slice(0, 0, 10).fill_(1);  // 10 positives, 100 negatives
        Rng r1(5), r2(5);
        const SampleResult s1 = sampleRandom(a, {16, 0.25}, r1);
        const SampleResult s2 = sampleRandom(a, {16, 0.25}, r2);
        QCOMPARE(s1.positive.size(0), int64_t(4));
        QCOMPARE(s1.negative.size(0), int64_t(12));
        QVERIFY(at::equal(s1.positive, s2.positive) && at::equal(s1.negative, s2.negative));
        QVERIFY((s1.positive < 10).all().item<bool>());
        QVERIFY((s1.negative >= 10).all().item<bool>());
        QCOMPARE(std::get<0>(at::_unique(s1.negative)).size(0), int64_t(12));
        // Too few positives: negatives fill the rest.
        a.assigned.slice(0, 2, 10).fill_(-1);
        Rng r3(5);
        const SampleResult s3 = sampleRandom(a, {16, 0.25}, r3);
        QCOMPARE(s3.positive.size(0), int64_t(2));
        QCOMPARE(s3.negative.size(0), int64_t(14));
    }

    void lossesOnWorkedExamples() {
        // SmoothL1: |d| < beta -> 0.5 d^2 / beta, else |d| - beta / 2.
        const at::Tensor sl = smoothL1(at::tensor({0.5f, 2.0f, 0.05f}), at::zeros({3}), 1.0);
        QVERIFY(near(sl[0].item<double>(), 0.125) && near(sl[1].item<double>(), 1.5) &&
                near(sl[2].item<double>(), 0.00125));
        const at::Tensor sl9 = smoothL1(at::tensor({0.05f, 1.0f}), at::zeros({2}), 1.0 / 9.0);
        QVERIFY(near(sl9[0].item<double>(), 0.01125) &&
                near(sl9[1].item<double>(), 1.0 - 1.0 / 18.0));
        // Regression: summed, divided by the number of samples.
        QVERIFY(
            near(regressionLoss(t2({{0.5f, 2, 0, 0}}), at::zeros({1, 4}), 1.0, 4.0).item<double>(),
                 1.625 / 4));
        // BA-RPN pair cross-entropy: (-log 0.75 + log 2) / 2.
        const at::Tensor rpn = rpnClassificationLoss(t2({{0, std::log(3.0f)}, {0, 0}}),
                                                     at::tensor({1, 0}, at::kLong), 2.0);
        QVERIFY(near(rpn.item<double>(), (-std::log(0.75) + std::log(2.0)) / 2));
        // Box head over 1 + S: log(1 + e^-1 + e^-2) for logits (1, 2, 3) and label 2.
        const at::Tensor ce = boxClassificationLoss(t2({{1, 2, 3}}), at::tensor({2}, at::kLong));
        QVERIFY(near(ce.item<double>(), std::log(1 + std::exp(-1.0) + std::exp(-2.0))));
        // Class-specific deltas: columns 4 label .. 4 label + 3.
        const at::Tensor d = at::arange(12, at::kFloat).view({1, 12});
        QVERIFY(
            at::equal(classSpecificDeltas(d, at::tensor({2}, at::kLong)), t2({{8, 9, 10, 11}})));
        // Mask BCE on the target channel only (channel 0 holds junk that must not count).
        at::Tensor logits = at::full({1, 2, 2, 2}, 100.0f);
        logits[0][1] = t2({{std::log(3.0f), -std::log(3.0f)}, {0, 0}});
        const at::Tensor ml =
            maskLoss(logits, at::tensor({1}, at::kLong), t2({{1, 0}, {1, 0}}).unsqueeze(0));
        QVERIFY(near(ml.item<double>(), (-2 * std::log(0.75) + 2 * std::log(2.0)) / 4));
        // Reconstruction: mean squared error.
        QVERIFY(near(reconstructionLoss(t2({{1, 2}}), at::zeros({1, 2})).item<double>(), 2.5));
    }

    void maskTargetsCropAndResize() {
        cv::Mat m = cv::Mat::zeros(8, 8, CV_8U);
        m(cv::Rect(2, 2, 4, 4)).setTo(1);
        const std::vector<const cv::Mat*> masks{&m, &m, &m};
        const at::Tensor t = maskTargets(t2({{2, 2, 6, 6}, {0, 0, 8, 8}, {6, 6, 8, 8}}), masks, 28,
                                         GeometryVariant::Modern);
        QCOMPARE(t.sizes().vec(), (std::vector<int64_t>{3, 28, 28}));
        QCOMPARE(t[0].sum().item<double>(), 784.0);  // the box is the object
        // The middle half in each direction (14 x 14) less the four corner pixels, which bilinear
        // interpolation takes below 0.5.
        QCOMPARE(t[1].sum().item<double>(), 192.0);
        QCOMPARE(t[2].sum().item<double>(), 0.0);  // outside the object
        // Reference geometry: inclusive boxes, x2 - x1 + 1 pixels.
        const at::Tensor r = maskTargets(t2({{2, 2, 5, 5}}), masks, 28, GeometryVariant::Reference);
        QCOMPARE(r[0].sum().item<double>(), 784.0);
    }

    void scheduleWarmupAndSteps() {
        const LrSchedule s{0.02, 10, 1.0 / 3.0, {20, 30}, 0.1};
        QVERIFY(near(s.at(0), 0.02 / 3, 1e-12));
        QVERIFY(near(s.at(5), 0.02 * (1 - 0.5 * 2.0 / 3.0), 1e-12));
        QVERIFY(near(s.at(10), 0.02, 1e-12));
        QVERIFY(near(s.at(19), 0.02, 1e-12));
        QVERIFY(near(s.at(20), 0.002, 1e-12));
        QVERIFY(near(s.at(30), 0.0002, 1e-12));
    }

    void trainingSetDropsUnseenImages() {
        QTemporaryDir tmp;
        const TrainOptions o = writeTinyData(tmp.path().toStdString(), 6);
        const TrainingSet set(coco::readInstances(o.annotations), o.images, readSplit(o.split));
        QCOMPARE(set.stats().imagesInFile, 6);
        QCOMPARE(set.stats().droppedUnseen, 1);
        QCOMPARE(int(set.size()), 5);
        const TrainingExample ex =
            loadExample(set.record(0), false, o.config.preprocess, o.config.geometry);
        const TrainingExample fl =
            loadExample(set.record(0), true, o.config.preprocess, o.config.geometry);
        QCOMPARE(ex.boxes.size(0), fl.boxes.size(0));
        // Modern geometry: a flipped box is [W - x2, y1, W - x1, y2].
        QVERIFY(near(fl.boxes[0][0].item<double>(), 64 - ex.boxes[0][2].item<double>()));
        QVERIFY(near(fl.boxes[0][2].item<double>(), 64 - ex.boxes[0][0].item<double>()));
        QCOMPARE(cv::countNonZero(ex.masks[0]), cv::countNonZero(fl.masks[0]));
    }

    // A few steps on a fixed batch of tiny images lower every loss term, evaluated on the
    // same sampling draw before and after.
    void fewStepsReduceEveryLoss() {
        QTemporaryDir tmp;
        TrainOptions o = writeTinyData(tmp.path().toStdString(), 6);
        const Split split = readSplit(o.split);
        const TrainingSet set(coco::readInstances(o.annotations), o.images, split);
        std::vector<TrainingExample> ex;
        for (size_t i = 0; i < 4; ++i)
            ex.push_back(loadExample(set.record(i), false, o.config.preprocess, o.config.geometry));
        const TrainingBatch batch = collate(std::move(ex));

        torch::manual_seed(3);
        ModelConfig cfg = o.config;
        cfg.rpn.train = {300, 0.7, 100, 100, 0.0};
        model::ZsiDetectorImpl m(cfg);
        const at::Tensor seen = at::randn({6, 3});
        m.setSeenClassVectors(seen, seen.mean(1), true);
        m.train();
        LossSettings ls;
        ls.rpnSampler = {64, 0.5};
        ls.rcnnSampler = {32, 0.25};
        // The heads are evaluated on one fixed RoI set (ground truth shifted by a few pixels
        // and a grid of background boxes), so a better RPN cannot change what they are scored on.
        LossSettings evalSettings = ls;
        for (int i = 0; i < batch.size(); ++i) {
            std::vector<at::Tensor> rois{batch.boxes[i] + 2, batch.boxes[i] - 3};
            for (int y = 0; y < 64; y += 16)
                for (int x = 0; x < 64; x += 16)
                    rois.push_back(at::tensor({float(x), float(y), float(x + 20), float(y + 20)})
                                       .view({1, 4}));
            evalSettings.fixedProposals.push_back(at::cat(rois).clamp(0, 63));
        }
        auto evaluate = [&] {
            Rng rng(7);
            m.syncBackground();
            return computeLosses(m, batch, evalSettings, rng);
        };
        std::map<std::string, double> before;
        {
            const LossTerms l = evaluate();
            for (const auto& [n, t] : l.terms) before[n] = t.item<double>();
            QVERIFY(l.roiPositives > 0 && l.rpnPositives > 0);
            QCOMPARE(l.maskRois, l.roiPositives);  // every positive trains the mask by default
        }
        {
            LossSettings capped = evalSettings;
            capped.maskRoisPerImage = 1;
            Rng rng(7);
            QCOMPARE(computeLosses(m, batch, capped, rng).maskRois, int64_t(batch.size()));
        }
        std::vector<at::Tensor> params;
        for (const auto& p : m.parameters())
            if (p.requires_grad()) params.push_back(p);
        torch::optim::SGD opt(params, torch::optim::SGDOptions(0.01).momentum(0.9));
        for (int step = 0; step < 20; ++step) {
            Rng rng(100 + step);
            m.syncBackground();
            const LossTerms l = computeLosses(m, batch, ls, rng);
            opt.zero_grad();
            l.total.backward();
            torch::nn::utils::clip_grad_norm_(params, 35.0);
            opt.step();
        }
        const LossTerms after = evaluate();
        for (const auto& [n, t] : after.terms) {
            const double a = t.item<double>();
            QVERIFY2(a < before[n],
                     (n + ": " + std::to_string(before[n]) + " -> " + std::to_string(a)).c_str());
        }
    }

    // Interrupt after 2 of 4 iterations, resume: the weights, the LR and the losses match
    // an uninterrupted run bit for bit (same seed).
    void resumeContinuesExactly() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        TrainOptions o = writeTinyData(root / "data", 6);
        o.iterations = 4;

        TrainOptions a = o;
        a.out = root / "a";
        const TrainResult ra = runTraining(a);
        QCOMPARE(ra.iteration, 4);
        QVERIFY(!ra.interrupted);
        QVERIFY(ra.parameters > 0);
        QCOMPARE(ra.droppedUnseen, 1);

        TrainOptions b = o;
        b.out = root / "b";
        std::atomic<bool> stop{false};
        TrainCallbacks cb;
        cb.stop = &stop;
        cb.afterIteration = [&](int it) {
            if (it == 2) stop = true;  // what the SIGINT handler does
        };
        const TrainResult rb1 = runTraining(b, cb);
        QVERIFY(rb1.interrupted);
        QCOMPARE(rb1.iteration, 2);
        QVERIFY(fs::exists(b.out / "model.json"));
        QVERIFY(fs::exists(trainingDir(b.out) / "optimizer.pt"));

        TrainOptions b2;
        b2.out = b.out;
        b2.resume = true;
        b2.iterations = 0;  // keep the recorded total
        const TrainResult rb2 = runTraining(b2);
        QCOMPARE(rb2.iteration, 4);
        QVERIFY(!rb2.interrupted);

        const io::ModelBundle wa = io::readModelBundle(a.out);
        const io::ModelBundle wb = io::readModelBundle(b.out);
        const auto ea = model::stateEntries(*wa.detector), eb = model::stateEntries(*wb.detector);
        QCOMPARE(ea.size(), eb.size());
        for (size_t i = 0; i < ea.size(); ++i)
            QVERIFY2(at::equal(ea[i].second, eb[i].second), ea[i].first.c_str());
        QCOMPARE(wb.info.provenance.value("iteration", -1), 4);

        const auto la = readLog(trainingDir(a.out) / "log.jsonl");
        const auto lb = readLog(trainingDir(b.out) / "log.jsonl");
        QCOMPARE(int(la.size()), 4);
        QCOMPARE(int(lb.size()), 4);
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(lb[i]["iteration"].get<int>(), i + 1);
            QCOMPARE(lb[i]["lr"].get<double>(), la[i]["lr"].get<double>());
            QCOMPARE(lb[i]["loss"].get<double>(), la[i]["loss"].get<double>());
            for (const auto& name : lossNames()) QVERIFY(la[i].contains(name));
        }
        QVERIFY(la[1].contains("vb") && la[1].contains("vb_cos_initial"));
        QVERIFY(fs::exists(a.out / "train_log.jsonl"));
    }

    // No BA-RPN: the background rows stay at the initial vector, so V_b never moves.
    void noBaRpnKeepsTheInitialBackground() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        TrainOptions o = writeTinyData(root / "data", 6);
        o.iterations = 2;
        o.ablation = Ablation::NoBaRpn;
        o.out = root / "m";
        runTraining(o);
        const io::ModelBundle m = io::readModelBundle(o.out);
        QVERIFY(at::allclose(m.detector->backgroundVector(), m.detector->initialBackground()));
        // The initial background is the mean of the seen class vectors.
        QVERIFY(
            at::allclose(m.detector->initialBackground(), m.detector->seenClassVectors().mean(1)));
        QVERIFY(parseAblation("no-syncbg") == Ablation::NoSyncBg);
        QVERIFY_THROWS_EXCEPTION(Error, parseAblation("nope"));
    }

    void resumeWithoutStateFails() {
        QTemporaryDir tmp;
        TrainOptions o;
        o.out = fs::path(tmp.path().toStdString()) / "none";
        o.resume = true;
        QVERIFY_THROWS_EXCEPTION(Error, runTraining(o));
    }
};

QTEST_GUILESS_MAIN(TestTrain)
#include "test_train.moc"
