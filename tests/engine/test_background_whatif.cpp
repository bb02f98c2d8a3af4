// The background "what if": each setting puts the expected vector in the background
// column, and changing it moves the scores in the direction the softmax predicts.
#include "engine/background_whatif.h"
#include "engine/engine_access.h"
#include "engine/tiny_engine.h"

#include "util/error.h"

#include <torch/torch.h>
#include <opencv2/imgproc.hpp>

#include <QtTest>

#include <cmath>

using namespace zsi;
using zsi::test::basis;

namespace {

// The tiny engine, but with an initial background vector that differs from V_b (the BA-RPN's
// background rows keep their random initialisation), so Sync-bg on and off differ.
std::unique_ptr<Engine> engineWithDistinctBackgrounds() {
    torch::manual_seed(3);
    const ModelConfig cfg = test::tinyEngineConfig();
    model::ZsiDetector det(cfg);
    const int D = cfg.semanticDim;
    at::Tensor seen = at::zeros({D, cfg.numSeen});
    for (int c = 0; c < cfg.numSeen; ++c) seen.select(1, c).copy_(at::tensor(basis(c, D)));
    det->setSeenClassVectors(seen, -seen.mean(1), /*initRpnBackground=*/false);
    ModelSummary summary;
    summary.name = "tiny";
    summary.weightsSha256 = "0123";
    summary.seenClasses = {"red circle", "green square", "blue star"};
    return EngineAccess::make(det, summary, EngineOptions{"cpu"});
}

LoadedImage testImage() {
    LoadedImage img;
    img.rgb = cv::Mat(80, 96, CV_8UC3);
    cv::randu(img.rgb, 0, 255);
    cv::rectangle(img.rgb, cv::Rect(20, 15, 30, 40), cv::Scalar(250, 20, 20), cv::FILLED);
    return img;
}

const Instance* match(const InferenceResult& r, const Instance& a) {
    for (const Instance& b : r.instances)
        if (b.classIndex == a.classIndex && std::abs(b.x1 - a.x1) < 1e-3f &&
            std::abs(b.y1 - a.y1) < 1e-3f && std::abs(b.x2 - a.x2) < 1e-3f &&
            std::abs(b.y2 - a.y2) < 1e-3f)
            return &b;
    return nullptr;
}

// Direct rule: score_c = exp(l_c) / (exp(l_b) + sum_k exp(l_k)), where similarity holds the
// logits [l_b, l_seen..., l_unseen...] (e against the box head's class matrix of [b | classes]).
// Changing only the background column leaves every l_c unchanged and moves l_b: where l_b
// goes down the scores go up, and the other way round. Counts the instances compared.
void checkDirection(const InferenceResult& from, const InferenceResult& to, int& compared) {
    compared = 0;
    for (const Instance& a : from.instances) {
        const Instance* z = match(to, a);
        if (!z) continue;
        for (size_t k = 1; k < a.similarity.size(); ++k)
            QVERIFY(std::abs(a.similarity[k] - z->similarity[k]) < 1e-4f);
        const float dlb = z->similarity.at(0) - a.similarity.at(0);
        if (std::abs(dlb) < 1e-4f) continue;
        const QString what = QStringLiteral("l_b %1 -> %2: score %3 -> %4")
                                 .arg(a.similarity[0])
                                 .arg(z->similarity[0])
                                 .arg(a.score)
                                 .arg(z->score);
        if (dlb < 0)
            QVERIFY2(z->score > a.score, qPrintable(what));
        else
            QVERIFY2(z->score < a.score, qPrintable(what));
        ++compared;
    }
}

}  // namespace

class TestBackgroundWhatIf : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { at::set_num_threads(2); }

    void settingsAreTheFourInTableOrder() {
        QCOMPARE(int(whatIfSettings().size()), 4);
        QCOMPARE(std::string(whatIfKey(whatIfSettings()[0])), std::string("learned"));
        QCOMPARE(std::string(whatIfKey(whatIfSettings()[3])), std::string("mean-unseen"));
    }

    void settingsChangeScoresInTheExpectedDirection() {
        auto engine = engineWithDistinctBackgrounds();
        const auto learned = engine->learnedBackground(), initial = engine->initialBackground();
        QVERIFY(learned != initial);
        auto prepared = engine->prepare(testImage());

        ScoringRequest req = engine->defaultRequest();
        req.mode = InferenceMode::Seen;
        req.scoring = ScoringRule::Direct;
        req.boxRule = BoxRegressionRule::PWeighted;  // boxes do not depend on the background
        req.scoreThreshold = 0.0;
        req.addUnseen("purple heart", basis(4, 6));
        const std::vector<WhatIfOutcome> out = scoreBackgroundWhatIf(*engine, *prepared, req);
        QCOMPARE(int(out.size()), 4);
        for (const auto& o : out) {
            QVERIFY2(o.available, o.error.c_str());
            QCOMPARE(o.instances, int(o.result.instances.size()));
            QVERIFY(o.instances > 0);
            double sum = 0;
            for (const auto& i : o.result.instances) sum += i.score;
            QVERIFY(std::abs(o.meanScore - sum / o.instances) < 1e-9);
        }
        const auto& learnedR = out[0].result;
        const auto& initialR = out[1].result;
        const auto& zeroR = out[2].result;
        const auto& meanR = out[3].result;

        // Learned = the model's rule with Sync-bg on; Initial = the model's rule with it off.
        ScoringRequest on = req;
        const InferenceResult model = engine->score(*prepared, on);
        QCOMPARE(model.instances.size(), learnedR.instances.size());
        for (size_t i = 0; i < model.instances.size(); ++i)
            QVERIFY(std::abs(model.instances[i].score - learnedR.instances[i].score) < 1e-6f);
        ScoringRequest off = req;
        off.syncBackground = false;
        const InferenceResult noSync = engine->score(*prepared, off);
        QCOMPARE(noSync.instances.size(), initialR.instances.size());
        for (size_t i = 0; i < noSync.instances.size(); ++i)
            QVERIFY(std::abs(noSync.instances[i].score - initialR.instances[i].score) < 1e-6f);

        // Each setting puts another vector in the background column.
        const Instance& first = learnedR.instances.front();
        const Instance* inInitial = match(initialR, first);
        QVERIFY(inInitial);
        QVERIFY(std::abs(first.similarity[0] - inInitial->similarity[0]) > 1e-5f);

        // Zero or the initial vector instead of V_b: scores move against the background logit.
        int compared = 0;
        checkDirection(learnedR, zeroR, compared);
        if (QTest::currentTestFailed()) return;
        QVERIFY(compared > 0);
        checkDirection(learnedR, initialR, compared);
        if (QTest::currentTestFailed()) return;
        QVERIFY(compared > 0);
        checkDirection(initialR, meanR, compared);
        if (QTest::currentTestFailed()) return;
        QVERIFY(compared > 0);
        // The mean of one unseen class is that class's vector.
        const Instance* inMean = match(meanR, first);
        QVERIFY(inMean);
        QCOMPARE(first.similarity.size(), size_t(1 + 3 + 1));  // [background, 3 seen, 1 unseen]
        QVERIFY(std::abs(inMean->similarity[0] - first.similarity[4]) < 1e-4f);
    }

    void unavailableSettingsAreMarkedNotThrown() {
        auto engine = engineWithDistinctBackgrounds();
        auto prepared = engine->prepare(testImage());
        ScoringRequest req = engine->defaultRequest();
        req.mode = InferenceMode::Seen;
        auto out = scoreBackgroundWhatIf(*engine, *prepared, req);  // no unseen classes
        QVERIFY(out[0].available && out[1].available && out[2].available);
        QVERIFY(!out[3].available);
        QVERIFY(!out[3].error.empty());
        QCOMPARE(out[3].instances, 0);

        req.mode = InferenceMode::Zsi;  // needs unseen classes: nothing can be scored
        out = scoreBackgroundWhatIf(*engine, *prepared, req);
        for (const auto& o : out) QVERIFY(!o.available);

        req.addUnseen("short", {1, 2});  // a wrong dimension is an error, not a table entry
        QVERIFY_THROWS_EXCEPTION(Error, scoreBackgroundWhatIf(*engine, *prepared, req));
    }
};

QTEST_GUILESS_MAIN(TestBackgroundWhatIf)
#include "test_background_whatif.moc"
