// The engine: prepared images and re-scoring give exactly what a full run gives.
#include "engine/engine_access.h"
#include "engine/tiny_engine.h"

#include "util/error.h"

#include <torch/torch.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <QtTest>

using namespace zsi;
using zsi::test::basis;
using zsi::test::tinyEngine;

namespace {

LoadedImage testImage() {
    LoadedImage img;
    img.rgb = cv::Mat(80, 96, CV_8UC3);
    cv::randu(img.rgb, 0, 255);
    cv::rectangle(img.rgb, cv::Rect(20, 15, 30, 40), cv::Scalar(250, 20, 20), cv::FILLED);
    return img;
}

void compareResults(const InferenceResult& a, const InferenceResult& b) {
    QCOMPARE(a.instances.size(), b.instances.size());
    for (size_t i = 0; i < a.instances.size(); ++i) {
        const Instance &x = a.instances[i], &y = b.instances[i];
        QCOMPARE(x.classIndex, y.classIndex);
        QVERIFY(std::abs(x.score - y.score) < 1e-5f);
        QVERIFY(std::abs(x.x1 - y.x1) < 1e-3f && std::abs(x.y2 - y.y2) < 1e-3f);
        QCOMPARE(x.maskOriginX, y.maskOriginX);
        QCOMPARE(x.mask.size(), y.mask.size());
        if (!x.mask.empty()) QCOMPARE(cv::countNonZero(x.mask != y.mask), 0);
        QCOMPARE(x.similarity.size(), y.similarity.size());
    }
}

}  // namespace

class TestEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { at::set_num_threads(2); }

    void engineMatchesDetectorOneCall() {
        auto engine = tinyEngine();
        ScoringRequest req = engine->defaultRequest();
        req.addUnseen("purple heart", basis(4, 6));
        req.addUnseen("yellow ring", basis(5, 6));
        const LoadedImage img = testImage();
        const InferenceResult r = engine->run(img, req);
        QVERIFY(!r.instances.empty());

        // The detector's one-call path with the same vocabulary.
        model::ScoringVocabulary vocab;
        vocab.unseen = at::tensor(req.unseenVectors).view({2, 6}).t().contiguous();
        const InferenceSettings& opts = req;
        const model::Detections d = EngineAccess::detector(*engine)->detect(img.rgb, vocab, opts);
        QCOMPARE(int64_t(r.instances.size()), d.size());
        for (size_t i = 0; i < r.instances.size(); ++i) {
            QVERIFY(std::abs(r.instances[i].score - d.scores[int64_t(i)].item<float>()) < 1e-5f);
            QCOMPARE(int64_t(r.instances[i].classIndex), d.labels[int64_t(i)].item<int64_t>());
            QVERIFY(std::abs(r.instances[i].x1 - d.boxes[int64_t(i)][0].item<float>()) < 1e-3f);
        }
        QCOMPARE(r.similarityNames.front(), std::string("background"));
        QCOMPARE(r.similarityNames.size(), size_t(1 + 3 + 2));
        QCOMPARE(r.instances.front().similarity.size(), size_t(1 + 3 + 2));
        QCOMPARE(r.instances.front().classKind, ClassKind::Unseen);
    }

    void rescoreEqualsFullRunAndReusesMaskMaps() {
        auto engine = tinyEngine();
        const LoadedImage img = testImage();
        ScoringRequest a = engine->defaultRequest();
        a.addUnseen("purple heart", basis(4, 6));
        ScoringRequest b = a;
        b.addUnseen("yellow ring", basis(5, 6));

        auto prepared = engine->prepare(img);
        const InferenceResult ra = engine->score(*prepared, a);
        QVERIFY(ra.maskMapsComputed > 0);
        QCOMPARE(ra.maskMapsReused, 0);
        const InferenceResult rb = engine->score(*prepared, b);
        // Adding a class: the boxes per proposal do not change (p-weighted rule), so the mask
        // maps of proposals scored before are reused.
        QVERIFY(rb.maskMapsReused > 0);
        const InferenceResult ra2 = engine->score(*prepared, a);
        QCOMPARE(ra2.maskMapsComputed, 0);
        compareResults(ra, ra2);
        // And each equals a fresh run from pixels.
        compareResults(rb, engine->run(img, b));
        compareResults(ra, engine->run(img, a));
        QVERIFY(prepared->cachedMaskMaps() >= ra.maskMapsComputed);
    }

    // The re-score keeps the last result's binary masks and reuses one only when its box, its
    // class filter and the threshold are unchanged: every other setting that moves a mask
    // (threshold, background, rule, a renamed class's vector) gives the masks of a fresh run.
    void rescoreReusesMasksOnlyWhenNothingChanged() {
        auto engine = tinyEngine();
        const LoadedImage img = testImage();
        ScoringRequest a = engine->defaultRequest();
        a.addUnseen("purple heart", basis(4, 6));
        a.addUnseen("yellow ring", basis(5, 6));
        auto prepared = engine->prepare(img);
        const InferenceResult first = engine->score(*prepared, a);
        QVERIFY(!first.instances.empty());
        const InferenceResult again = engine->score(*prepared, a);
        QCOMPARE(again.maskMapsComputed, 0);
        compareResults(first, again);
        // Shared pixels: the same result twice points at the same mask memory.
        QCOMPARE(first.instances.front().mask.data, again.instances.front().mask.data);

        std::vector<ScoringRequest> changed(4, a);
        changed[0].maskThreshold = 0.3;
        changed[1].background = BackgroundChoice::Zero;
        changed[2].scoring =
            a.scoring == ScoringRule::Direct ? ScoringRule::Reference : ScoringRule::Direct;
        changed[3].unseenVectors.assign(a.unseenVectors.size(), 0.f);
        for (int j = 0; j < 6; ++j) changed[3].unseenVectors[size_t(j)] = j == 3 ? 1.f : 0.2f;
        for (int j = 6; j < 12; ++j) changed[3].unseenVectors[size_t(j)] = j == 11 ? 1.f : 0.1f;
        int thresholdMoved = 0;  // the threshold case must move some mask, or it proves nothing
        const InferenceResult lower = engine->score(*prepared, changed[0]);
        for (size_t i = 0; i < std::min(lower.instances.size(), first.instances.size()); ++i)
            thresholdMoved += lower.instances[i].area() != first.instances[i].area();
        QVERIFY(thresholdMoved > 0);
        for (const ScoringRequest& r : changed) {
            compareResults(engine->score(*prepared, r), engine->run(img, r));
            // And back: the first vocabulary's masks again, not the changed one's.
            compareResults(engine->score(*prepared, a), first);
        }
    }

    // The engine folds a frozen-BN backbone into its convs (its own inference copy): the
    // results equal the unfolded model's (scores to 1e-4, boxes to 1e-2 px, masks to a few
    // pixels on the threshold).
    void foldedEngineEqualsUnfolded() {
        auto folded = tinyEngine(/*frozenBn=*/true, /*foldBatchNorm=*/true);
        auto plain = tinyEngine(/*frozenBn=*/true, /*foldBatchNorm=*/false);
        const auto batchNorms = [](Engine& e) {
            return test::countBatchNorms(*EngineAccess::detector(e)->backbone);
        };
        QCOMPARE(batchNorms(*folded), 0);
        QVERIFY(batchNorms(*plain) > 0);
        ScoringRequest req = folded->defaultRequest();
        req.addUnseen("purple heart", basis(4, 6));
        const LoadedImage img = testImage();
        const InferenceResult a = folded->run(img, req);
        const InferenceResult b = plain->run(img, req);
        QVERIFY(!a.instances.empty());
        QCOMPARE(a.instances.size(), b.instances.size());
        for (size_t i = 0; i < a.instances.size(); ++i) {
            const Instance &x = a.instances[i], &y = b.instances[i];
            QCOMPARE(x.classIndex, y.classIndex);
            QVERIFY2(std::abs(x.score - y.score) < 1e-4f, qPrintable(QString::number(i)));
            QVERIFY(std::abs(x.x1 - y.x1) < 1e-2f && std::abs(x.y2 - y.y2) < 1e-2f);
            if (x.mask.size() == y.mask.size() && !x.mask.empty())
                QVERIFY(cv::countNonZero(x.mask != y.mask) <= 3);
        }
    }

    void backgroundMapsCoverTheImage() {
        auto engine = tinyEngine();
        auto prepared = engine->prepare(testImage());
        const auto maps = prepared->backgroundProbabilityMaps();
        QCOMPARE(int(maps.size()), 5);
        for (const cv::Mat& m : maps) {
            double lo, hi;
            cv::minMaxLoc(m, &lo, &hi);
            QVERIFY(lo >= 0.0 && hi <= 1.0);
        }
        // P2 has stride 4: the 96 x 80 image gives a 24 x 20 map (padding cropped).
        QCOMPARE(maps[0].cols, 24);
        QCOMPARE(maps[0].rows, 20);
    }

    // The provisional pass: a smaller input and fewer proposals, results still in the original
    // image's pixels; the defaults (and caps at or above the model's own) change nothing.
    void lighterPrepareKeepsImagePixelsAndCapsProposals() {
        auto engine = tinyEngine();
        const LoadedImage img = testImage();  // 96 x 80
        ScoringRequest req = engine->defaultRequest();
        req.addUnseen("purple heart", basis(4, 6));
        auto full = engine->prepare(img);
        const InferenceResult reference = engine->score(*full, req);
        QCOMPARE(full->resolution(), 1.0);
        QCOMPARE(full->proposalCount(), 100);  // the tiny model's rpn.test.maxTotal

        auto same = engine->prepare(img, PrepareOptions{1.0, 100});
        compareResults(reference, engine->score(*same, req));

        auto capped = engine->prepare(img, PrepareOptions{1.0, 7});
        QVERIFY(capped->proposalCount() <= 7 && capped->proposalCount() > 0);
        QVERIFY(engine->score(*capped, req).instances.size() <= 7);

        auto half = engine->prepare(img, PrepareOptions{0.5, 0});
        QCOMPARE(half->resolution(), 0.5);
        QCOMPARE(half->width(), 96);
        QCOMPARE(half->height(), 80);
        // The model saw 48 x 40: P2 (stride 4) is 12 x 10.
        QCOMPARE(half->backgroundProbabilityMaps()[0].cols, 12);
        QCOMPARE(half->backgroundProbabilityMaps()[0].rows, 10);
        const InferenceResult small = engine->score(*half, req);
        QVERIFY(!small.instances.empty());
        float right = 0;
        for (const Instance& i : small.instances) {
            QVERIFY(i.x1 >= 0 && i.y1 >= 0 && i.x2 <= 96.f && i.y2 <= 80.f);
            QVERIFY(i.maskOriginX + i.mask.cols <= 96 && i.maskOriginY + i.mask.rows <= 80);
            right = std::max(right, i.x2);
        }
        QVERIFY2(right > 48.f, "boxes came back in the smaller input's pixels");

        for (const PrepareOptions& bad :
             {PrepareOptions{0.0, 0}, PrepareOptions{1.5, 0}, PrepareOptions{std::nan(""), 0},
              PrepareOptions{1.0, -1}}) {
            try {
                engine->prepare(img, bad);
                QFAIL("expected InvalidArgument");
            } catch (const Error& e) {
                QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            }
        }
    }

    // Past the mask-map budget a prepared image keeps only the last score()'s maps; results
    // stay those of a fresh run, and memoryBytes counts what is held.
    void maskMapsStayWithinTheirBudget() {
        const LoadedImage img = testImage();
        ScoringRequest a;
        ScoringRequest b;
        {
            auto engine = tinyEngine();
            a = engine->defaultRequest();
            a.addUnseen("purple heart", basis(4, 6));
            b = a;
            b.addUnseen("yellow ring", basis(5, 6));
            b.scoreThreshold = 0.0;
            b.maxDetections = 20;
        }
        EngineOptions tight{"cpu"};
        tight.maskMapBudgetBytes = 1;
        auto engine = test::tinyEngine(false, true, tight);
        auto prepared = engine->prepare(img);
        const std::size_t bare = prepared->memoryBytes();
        QVERIFY(bare > 0);
        const InferenceResult ra = engine->score(*prepared, a);
        QVERIFY(prepared->cachedMaskMaps() <= int(ra.instances.size()));
        QVERIFY(prepared->memoryBytes() > bare);
        const InferenceResult rb = engine->score(*prepared, b);
        QVERIFY(prepared->cachedMaskMaps() <= int(rb.instances.size()));
        compareResults(rb, engine->run(img, b));
        compareResults(engine->score(*prepared, a), engine->run(img, a));

        // The default budget keeps them all.
        auto roomy = tinyEngine();
        auto p2 = roomy->prepare(img);
        roomy->score(*p2, a);
        const int afterA = p2->cachedMaskMaps();
        roomy->score(*p2, b);
        QVERIFY(p2->cachedMaskMaps() >= afterA);
    }

    void badVocabulariesAreClearErrors() {
        auto engine = tinyEngine();
        auto prepared = engine->prepare(testImage());
        ScoringRequest empty = engine->defaultRequest();
        empty.mode = InferenceMode::Zsi;
        try {
            engine->score(*prepared, empty);
            QFAIL("expected EmptyVocabulary");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::EmptyVocabulary);
        }
        ScoringRequest wrongDim = engine->defaultRequest();
        wrongDim.addUnseen("x", std::vector<float>(5, 1.f));
        try {
            engine->score(*prepared, wrongDim);
            QFAIL("expected DimensionMismatch");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::DimensionMismatch);
        }
        // Seen mode needs no unseen classes.
        ScoringRequest seen = engine->defaultRequest();
        seen.mode = InferenceMode::Seen;
        const InferenceResult r = engine->score(*prepared, seen);
        for (const Instance& i : r.instances) QCOMPARE(i.classKind, ClassKind::Seen);
    }

    void backgroundOverridesChangeScores() {
        auto engine = tinyEngine();
        auto prepared = engine->prepare(testImage());
        ScoringRequest req = engine->defaultRequest();
        req.scoring = ScoringRule::Direct;
        req.addUnseen("purple heart", basis(4, 6));
        req.background = BackgroundChoice::Learned;
        const InferenceResult learned = engine->score(*prepared, req);
        // A background vector equal to the only class makes background and class tie, so
        // class scores fall towards 1/2 or below under the direct rule's softmax.
        req.background = BackgroundChoice::MeanOfUnseen;
        const InferenceResult tied = engine->score(*prepared, req);
        QVERIFY(!tied.instances.empty());
        for (const Instance& i : tied.instances) QVERIFY(i.score <= 0.5f + 1e-5f);
        Q_UNUSED(learned);
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "test_engine.moc"
