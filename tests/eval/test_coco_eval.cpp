// COCOeval on hand-built cases whose AP / AR are worked out below (pycocotools cannot be
// installed here; these cases stand in for it). Tolerance 1e-4.
#include "eval/coco_eval.h"
#include "eval/zsi_protocol.h"

#include "data/coco_io.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include <QtTest>

using namespace zsi;
using namespace zsi::eval;

namespace {
constexpr double kTol = 1e-4;

struct Builder {
    coco::Dataset d;
    std::vector<coco::Detection> dets;
    int64_t nextAnn = 1;

    Builder& image(int64_t id, int w = 100, int h = 100) {
        d.images.push_back(
            {id, "im" + std::to_string(id) + ".png", w, h, nlohmann::json::object()});
        return *this;
    }
    Builder& category(int64_t id, const std::string& name) {
        d.categories.push_back({id, name, "", nlohmann::json::object()});
        return *this;
    }
    Builder& gt(int64_t img, int64_t cat, BoxXywh b, bool crowd = false) {
        coco::Annotation a;
        a.id = nextAnn++;
        a.imageId = img;
        a.categoryId = cat;
        a.bbox = b;
        a.area = b[2] * b[3];
        a.iscrowd = crowd;
        a.segmentation = coco::Polygons{
            {{b[0], b[1], b[0], b[1] + b[3], b[0] + b[2], b[1] + b[3], b[0] + b[2], b[1]}}};
        d.annotations.push_back(a);
        return *this;
    }
    Builder& dt(int64_t img, int64_t cat, BoxXywh b, double score) {
        dets.push_back({img, cat, b, true, std::nullopt, score});
        return *this;
    }
};

CocoEvalParams bboxParams() {
    CocoEvalParams p;
    p.iouType = IouType::Bbox;
    p.threads = 1;
    return p;
}

bool near(double a, double b) {
    return std::abs(a - b) < kTol;
}
}  // namespace

class TestCocoEval : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void thresholdsLikeNumpy() {
        const auto t = defaultIouThresholds();
        QCOMPARE(t.size(), size_t(10));
        QCOMPARE(t.front(), 0.5);
        QCOMPARE(t.back(), 0.95);
        const auto r = defaultRecallThresholds();
        QCOMPARE(r.size(), size_t(101));
        QCOMPARE(r[50], 0.5);
        QCOMPARE(r[100], 1.0);
    }

    void perfectMatch() {
        Builder b;
        b.image(1).category(1, "a").gt(1, 1, {0, 0, 10, 10}).dt(1, 1, {0, 0, 10, 10}, 0.9);
        const auto r = evaluate(b.d, b.dets, bboxParams());
        const auto s = r.stats();
        QVERIFY(near(s[0], 1.0));  // AP
        QVERIFY(near(s[1], 1.0));  // AP50
        QVERIFY(near(s[3], 1.0));  // small (area 100)
        QCOMPARE(s[4], -1.0);      // no medium ground truth
        QCOMPARE(s[5], -1.0);
        QVERIFY(near(s[6], 1.0));  // AR@1
        QVERIFY(near(s[8], 1.0));  // AR@100
    }

    void oneMiss() {
        // Two ground truths, one found. rc = [0.5], pr = [1]; recall thresholds 0.00..0.50
        // (51 of 101) take precision 1, the rest 0: AP = 51/101; AR = 0.5.
        Builder b;
        b.image(1).category(1, "a").gt(1, 1, {0, 0, 10, 10}).gt(1, 1, {50, 50, 10, 10});
        b.dt(1, 1, {0, 0, 10, 10}, 0.9);
        const auto r = evaluate(b.d, b.dets, bboxParams());
        QVERIFY(near(r.stats()[0], 51.0 / 101.0));
        QVERIFY(near(r.stats()[8], 0.5));
        QVERIFY(near(r.ap(0, 0), 51.0 / 101.0));
        QVERIFY(near(r.ar(0, 0), 0.5));
    }

    void duplicateDetections() {
        // One ground truth [0,0,10,10]; a looser duplicate [0,0,10,6.2] (IoU 0.62) scores
        // higher than an exact one. IoU 0.50-0.60: the duplicate matches first, the exact box
        // is a false positive: rc = [1, 1], pr = [1, .5] -> AP 1. IoU 0.65-0.95: the duplicate
        // is a false positive: rc = [0, 1], pr = [0, .5] -> interpolated .5 everywhere -> AP .5.
        // Mean over 10 thresholds: (3 * 1 + 7 * .5) / 10 = 0.65. Recall is 1 at every IoU.
        Builder b;
        b.image(1).category(1, "a").gt(1, 1, {0, 0, 10, 10});
        b.dt(1, 1, {0, 0, 10, 6.2}, 0.9).dt(1, 1, {0, 0, 10, 10}, 0.8);
        const auto r = evaluate(b.d, b.dets, bboxParams());
        QVERIFY(near(r.stats()[0], 0.65));
        QVERIFY(near(r.ap(*r.iouIndex(0.5), 0), 1.0));
        QVERIFY(near(r.ap(*r.iouIndex(0.75), 0), 0.5));
        QVERIFY(near(r.stats()[8], 1.0));
        // maxDets 1 keeps only the duplicate: recall 1 at IoU <= .6, 0 above -> AR@1 = 0.3.
        QVERIFY(near(r.stats()[6], 0.3));
    }

    void crowdRegion() {
        // A crowd region [20,0,20,20] swallows two high-scoring detections inside it
        // (intersection / detection area = 1): they are ignored, not false positives, and the
        // crowd is not a ground truth to find. Sorted: ignored, ignored, TP, FP ->
        // rc = [0, 0, 1, 1], pr = [0, 0, 1, .5] -> interpolated [1, 1, 1, .5] -> AP 1, AR 1.
        // Without crowd handling the two would be false positives and AP would be 1/3.
        Builder b;
        b.image(1).category(1, "a").gt(1, 1, {0, 0, 10, 10}).gt(1, 1, {20, 0, 20, 20}, true);
        b.dt(1, 1, {22, 2, 5, 5}, 0.95).dt(1, 1, {30, 10, 5, 5}, 0.93);
        b.dt(1, 1, {0, 0, 10, 10}, 0.9).dt(1, 1, {60, 60, 10, 10}, 0.5);
        const auto r = evaluate(b.d, b.dets, bboxParams());
        QVERIFY(near(r.stats()[0], 1.0));
        QVERIFY(near(r.stats()[8], 1.0));
        QCOMPARE(r.numGt[0], 1);
        // The same in segm: polygons rasterised, crowd IoU from the masks.
        CocoEvalParams ps = bboxParams();
        ps.iouType = IouType::Segm;
        QVERIFY(near(evaluate(b.d, b.dets, ps).stats()[0], 1.0));
    }

    void emptyImage() {
        // Image 2 has no ground truth: its detection (score .99) is a false positive ranked
        // first: rc = [0, 1], pr = [0, .5] -> AP .5. Image 3 has nothing at all: no effect.
        Builder b;
        b.image(1).image(2).image(3).category(1, "a").gt(1, 1, {0, 0, 10, 10});
        b.dt(1, 1, {0, 0, 10, 10}, 0.9);
        QVERIFY(near(evaluate(b.d, b.dets, bboxParams()).stats()[0], 1.0));
        b.dt(2, 1, {0, 0, 10, 10}, 0.99);
        const auto r = evaluate(b.d, b.dets, bboxParams());
        QVERIFY(near(r.stats()[0], 0.5));
        QVERIFY(near(r.stats()[8], 1.0));
    }

    void classWithoutGroundTruth() {
        // Category 2 has detections but no ground truth: precision and recall stay -1 and
        // the category is left out of the means. Category 3 has ground truth and no
        // detection: AP 0, AR 0, and it halves the mean.
        Builder b;
        b.image(1).category(1, "a").category(2, "b").gt(1, 1, {0, 0, 10, 10});
        b.dt(1, 1, {0, 0, 10, 10}, 0.9).dt(1, 2, {40, 40, 10, 10}, 0.8);
        auto r = evaluate(b.d, b.dets, bboxParams());
        QCOMPARE(r.ap(0, 1), -1.0);
        QCOMPARE(r.ar(0, 1), -1.0);
        QVERIFY(near(r.stats()[0], 1.0));
        b.category(3, "c").gt(1, 3, {70, 70, 10, 10});
        r = evaluate(b.d, b.dets, bboxParams());
        QVERIFY(near(r.ap(0, 2), 0.0));
        QVERIFY(near(r.stats()[0], 0.5));
        QVERIFY(near(r.stats()[8], 0.5));
    }

    void segmPartialOverlap() {
        // Masks: ground truth 10x10 at (0,0); detection 10x10 at (0,1): intersection 90,
        // union 110, IoU .818 -> matched at IoU .50 ... .80 (7 of 10 thresholds): AP .7, AR .7.
        Builder b;
        b.image(1, 20, 20).category(1, "a").gt(1, 1, {0, 0, 10, 10});
        cv::Mat m = cv::Mat::zeros(20, 20, CV_8U);
        m(cv::Rect(0, 1, 10, 10)).setTo(1);
        b.dets.push_back({1, 1, {0, 1, 10, 10}, true, rle::encode(m), 0.9});
        CocoEvalParams p = bboxParams();
        p.iouType = IouType::Segm;
        const auto r = evaluate(b.d, b.dets, p);
        QVERIFY(near(r.stats()[0], 0.7));
        QVERIFY(near(r.stats()[8], 0.7));
        // Same via a mask-only result: its box and area come from the mask.
        b.dets[0].hasBbox = false;
        QVERIFY(near(evaluate(b.d, b.dets, p).stats()[0], 0.7));
    }

    void areaRangesAndMaxDets() {
        // A small (100 px) and a large (10000 px) object, both found: small AP 1, large AP 1,
        // medium -1. Maxdets 1 per image keeps the higher-scoring one only.
        Builder b;
        b.image(1, 300, 300)
            .category(1, "a")
            .gt(1, 1, {0, 0, 10, 10})
            .gt(1, 1, {100, 100, 100, 100});
        b.dt(1, 1, {0, 0, 10, 10}, 0.5).dt(1, 1, {100, 100, 100, 100}, 0.9);
        const auto s = evaluate(b.d, b.dets, bboxParams()).stats();
        QVERIFY(near(s[3], 1.0));
        QCOMPARE(s[4], -1.0);
        QVERIFY(near(s[5], 1.0));
        QVERIFY(near(s[6], 0.5));  // AR@1
        QVERIFY(near(s[7], 1.0));  // AR@10
    }

    void agreesWithPycocotoolsTranscription() {
        // A random case evaluated by a numpy transcription of pycocotools (see
        // tests/fixtures/eval/README.md): ties, crowds, area ranges, maxDets.
        const std::filesystem::path dir = std::filesystem::path(ZSI_FIXTURES_DIR) / "eval";
        const auto gt = coco::readInstances(dir / "pycoco_gt.json");
        const auto dt = coco::readResults(dir / "pycoco_dt.json");
        std::ifstream in(dir / "pycoco_expected.json");
        const auto expected = nlohmann::json::parse(in);
        const auto r = evaluate(gt, dt, bboxParams());
        const auto s = r.stats();
        for (size_t i = 0; i < 12; ++i)
            QVERIFY2(near(s[i], expected["stats"][i].get<double>()),
                     qPrintable(QString("stat %1: %2 vs %3")
                                    .arg(i)
                                    .arg(s[i])
                                    .arg(expected["stats"][i].get<double>())));
        for (size_t k = 0; k < r.K; ++k)
            for (size_t t = 0; t < r.T; ++t)
                QVERIFY(near(r.ap(t, k, 0, 2),
                             expected["ap_per_category_per_iou"][k][t].get<double>()));
        for (size_t t = 0; t < r.T; ++t)
            QCOMPARE(r.params.iouThrs[t],
                     expected["iou_thresholds"][t].get<double>());  // bit-exact linspace
        // Two threads give the same numbers.
        auto p2 = bboxParams();
        p2.threads = 2;
        QCOMPARE(evaluate(gt, dt, p2).precision, r.precision);
    }

    void resultsForUnknownImageRejected() {
        Builder b;
        b.image(1).category(1, "a").gt(1, 1, {0, 0, 10, 10}).dt(9, 1, {0, 0, 1, 1}, 0.5);
        QVERIFY_THROWS_EXCEPTION(Error, evaluate(b.d, b.dets, bboxParams()));
    }

    void zeroShotProtocols() {
        // Split order [seen "A", unseen "B"] while the ground truth lists B first (id 1).
        // Image 1 holds A, image 2 holds B. The B detector fires on image 1 too (score .95).
        // ZSI: only images with unseen objects (image 2): B's AP = 1.
        // GZSI: every image: B's false positive on image 1 ranks first -> AP .5; A AP 1;
        // HM = 2 * 1 * .5 / 1.5 = 2/3. Recall is 1 everywhere.
        Builder b;
        b.image(1).image(2).category(1, "B").category(2, "A");
        b.gt(1, 2, {0, 0, 10, 10}).gt(2, 1, {0, 0, 10, 10});
        b.dt(1, 2, {0, 0, 10, 10}, 0.9)
            .dt(2, 1, {0, 0, 10, 10}, 0.8)
            .dt(1, 1, {50, 50, 10, 10}, 0.95);
        const Split split{{"A"}, {"B"}};
        ProtocolOptions o;
        o.iouType = IouType::Bbox;
        const auto z = evaluateProtocol(b.d, b.dets, split, Protocol::Zsi, o);
        QCOMPARE(z.name, std::string("ZSD"));
        QCOMPARE(z.numImages, size_t(1));
        QCOMPARE(z.classes.size(), size_t(1));
        QVERIFY(near(z.mapAt50(z.unseen), 1.0));
        const auto g = evaluateProtocol(b.d, b.dets, split, Protocol::Gzsi, o);
        QCOMPARE(g.classes[0].name, std::string("A"));  // split order, not id order
        QCOMPARE(g.classes[1].name, std::string("B"));
        QVERIFY(near(g.mapAt50(g.seen), 1.0));
        QVERIFY(near(g.mapAt50(g.unseen), 0.5));
        QVERIFY(near(g.mapAt50(g.harmonic), 2.0 / 3.0));
        for (size_t t = 0; t < 3; ++t) QVERIFY(near(g.harmonic.recall[t], 1.0));
        QVERIFY_THROWS_EXCEPTION(
            Error, evaluateProtocol(b.d, b.dets, Split{{"A"}, {"C"}}, Protocol::Zsi, o));
    }
};

QTEST_GUILESS_MAIN(TestCocoEval)
#include "test_coco_eval.moc"
