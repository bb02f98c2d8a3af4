// Unit tests of core/model: config, reference layout, shapes, BA-RPN background vector,
// Sync-bg, both scoring rules on hand-checkable tensors, box rules, staged == one call.
#include "model/batch_norm_support.h"
#include "model/box_coder.h"
#include "model/detector.h"
#include "model/model_config.h"
#include "model/preprocess.h"
#include "model/scoring.h"
#include "model/tiny_model.h"
#include "util/error.h"
#include "util/random.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/batchnorm.h>
#include "test_support.h"
#include "torch_test_support.h"

#include <QtTest>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <string>

using namespace zsi;
using namespace zsi::model;

namespace {

bool close(const at::Tensor& a, const at::Tensor& b, double tol = 1e-5) {
    return a.sizes() == b.sizes() && (a.numel() == 0 || at::allclose(a, b, tol, tol));
}

using zsi::test::t2;

// A tiny model with seen vectors and a random image.
ZsiDetector tinyModel(int vocSize = 0) {
    torch::manual_seed(7);
    ZsiDetector m(test::tinyConfig(vocSize));
    m->setSeenClassVectors(at::randn({6, 3}), at::randn({6}) * 0.1, /*initRpnBackground=*/true);
    if (vocSize > 0) m->setVoc(at::randn({6, vocSize}));
    m->eval();
    return m;
}

cv::Mat randomImage(int h, int w) {
    cv::Mat img(h, w, CV_8UC3);
    Rng rng(static_cast<uint64_t>(h * 1000 + w));
    for (size_t i = 0; i < img.total() * 3; ++i)
        img.data[i] = static_cast<uint8_t>(rng.uniformInt(0, 255));
    return img;
}

using test::errorCodeOf;

}  // namespace

class TestModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { at::set_num_threads(2); }

    void referenceKeyListEqualsReference_data() {
        QTest::addColumn<QString>("split");
        QTest::newRow("48_17") << "48_17";
        QTest::newRow("65_15") << "65_15";
    }
    void referenceKeyListEqualsReference() {
        QFETCH(QString, split);
        const ModelConfig c =
            loadModelConfig(std::string(ZSI_SOURCE_DIR "/resources/configs/zsi_r101_fpn_") +
                            split.toStdString() + ".json");
        ZsiDetector m(c);
        std::set<std::string> ours;
        for (const auto& [name, t] : stateEntries(*m)) ours.insert(formatStateEntry(name, t));
        std::ifstream in(std::string(ZSI_FIXTURES_DIR "/model/reference_keys_") +
                         split.toStdString() + ".txt");
        QVERIFY(in.good());
        std::set<std::string> ref;
        std::string line;
        while (std::getline(in, line))
            if (!line.empty()) ref.insert(line);
        QCOMPARE(ref.size(), size_t(682));
        for (const auto& k : ref)
            if (!ours.count(k)) QFAIL(("missing: " + k).c_str());
        for (const auto& k : ours)
            if (!ref.count(k)) QFAIL(("unexpected: " + k).c_str());
    }

    void configJsonRoundTripAndErrors() {
        const ModelConfig a = test::tinyConfig(5);
        const nlohmann::json j = modelConfigToJson(a);
        const ModelConfig b = modelConfigFromJson(j);
        QCOMPARE(modelConfigToJson(b).dump(), j.dump());
        // Missing fields keep defaults.
        const ModelConfig d = modelConfigFromJson(nlohmann::json::object());
        QCOMPARE(d.backbone.depth, 50);
        QCOMPARE(d.semanticDim, 300);
        nlohmann::json bad = j;
        bad["backbone"]["depth"] = "deep";
        QCOMPARE(errorCodeOf([&] { modelConfigFromJson(bad); }), ErrorCode::JsonSchema);
        bad = j;
        bad["inference"]["scoring"] = "magic";
        QCOMPARE(errorCodeOf([&] { modelConfigFromJson(bad); }), ErrorCode::JsonSchema);
        bad = j;
        bad["backbone"]["depth"] = 42;
        QCOMPARE(errorCodeOf([&] { modelConfigFromJson(bad); }), ErrorCode::ConfigInvalid);
        const ModelConfig slim =
            loadModelConfig(ZSI_SOURCE_DIR "/resources/configs/zsi_slim_demo.json");
        QCOMPARE(slim.semanticDim, 100);
    }

    void referenceAnchorsAndDeltas() {
        // MMDetection v1 base anchors of stride 4, scale 8, ratios 0.5/1/2.
        const at::Tensor a = baseAnchors(4, {8.0}, {0.5, 1.0, 2.0}, GeometryVariant::Reference);
        QVERIFY(close(a, t2({{-21, -9, 24, 12}, {-14, -14, 17, 17}, {-9, -21, 12, 24}})));
        // Grid order: location-major, anchor-minor.
        const at::Tensor g = gridAnchors(a, 2, 3, 4);
        QCOMPARE(g.size(0), int64_t(18));
        QVERIFY(close(g[3], a[0] + at::tensor({4.f, 0.f, 4.f, 0.f})));
        QVERIFY(close(g[9], a[0] + at::tensor({0.f, 4.f, 0.f, 4.f})));
        // "+1" widths: zero deltas give the box back; a dx of 0.1 moves by 0.1 (w + 1).
        const at::Tensor box = t2({{10, 20, 29, 59}});
        DeltaCoding c;
        QVERIFY(
            close(decodeDeltas(box, at::zeros({1, 4}), c, 0, 0, GeometryVariant::Reference), box));
        QVERIFY(close(decodeDeltas(box, t2({{0.1f, 0, 0, 0}}), c, 0, 0, GeometryVariant::Reference),
                      t2({{12, 20, 31, 59}})));
        for (auto g2 : {GeometryVariant::Reference, GeometryVariant::Modern}) {
            const at::Tensor gt = t2({{12, 18, 40, 70}});
            DeltaCoding box2;
            box2.stds = {0.1, 0.1, 0.2, 0.2};
            const at::Tensor d = encodeDeltas(box, gt, box2, g2);
            QVERIFY(close(decodeDeltas(box, d, box2, 0, 0, g2), gt, 1e-4));
        }
        // Clipping to size - 1 (Reference) or size (Modern).
        const at::Tensor big = t2({{-5, -5, 200, 200}});
        QVERIFY(close(decodeDeltas(big, at::zeros({1, 4}), c, 100, 50, GeometryVariant::Reference),
                      t2({{0, 0, 49, 99}})));
        QVERIFY(close(decodeDeltas(big, at::zeros({1, 4}), c, 100, 50, GeometryVariant::Modern),
                      t2({{0, 0, 50, 100}})));
        // RoI levels: sqrt(wh) < 112 -> 0, 112.. -> 1, ... clamped to 3.
        const at::Tensor lv = mapRoiLevels(t2({{0, 0, 50, 50}, {0, 0, 150, 150}, {0, 0, 999, 999}}),
                                           4, 56.0, GeometryVariant::Modern);
        QCOMPARE(lv[0].item<int64_t>(), int64_t(0));
        QCOMPARE(lv[1].item<int64_t>(), int64_t(1));
        QCOMPARE(lv[2].item<int64_t>(), int64_t(3));
    }

    void forwardShapes() {
        for (int voc : {0, 5}) {
            ZsiDetector m = tinyModel(voc);
            torch::NoGradGuard g;
            const PreparedInput in = m->preprocess(randomImage(48, 64));
            QCOMPARE(in.image.size(2), int64_t(64));  // 48 -> 64 after scale 1, pad 32
            QCOMPARE(in.image.size(3), int64_t(64));
            QCOMPARE(in.resizedH, 48);
            const auto f = m->features(in.image);
            QCOMPARE(f.size(), size_t(5));
            for (size_t l = 0; l < 5; ++l) {
                QCOMPARE(f[l].size(1), int64_t(16));
                QCOMPARE(f[l].size(3), int64_t(64 >> (l + 2)));
            }
            const RpnResult r = m->rpn(f, in.resizedH, in.resizedW);
            QCOMPARE(r.proposals.size(1), int64_t(4));
            QVERIFY(r.proposals.size(0) > 0 && r.proposals.size(0) <= 50);
            QCOMPARE(r.objectness.size(0), r.proposals.size(0));
            QCOMPARE(r.backgroundProbMaps.size(), size_t(5));
            QCOMPARE(r.backgroundProbMaps[0].sizes(), (at::IntArrayRef{16, 16}));
            QVERIFY(r.backgroundProbMaps[0].min().item<float>() >= 0.f &&
                    r.backgroundProbMaps[0].max().item<float>() <= 1.f);
            QCOMPARE(r.vb.size(0), int64_t(6));
            const BoxSemantics b = m->boxSemantics(f, r.proposals, in.resizedH, in.resizedW);
            const int64_t K = r.proposals.size(0);
            QCOMPARE(b.e.sizes(), (at::IntArrayRef{K, 6}));
            QCOMPARE(b.deltas.sizes(), (at::IntArrayRef{K, 16}));
            QCOMPARE(b.seenProbs.sizes(), (at::IntArrayRef{K, 4}));
            QCOMPARE(b.agnosticBoxes.sizes(), (at::IntArrayRef{K, 4}));
            const at::Tensor maps = m->maskSemantics(f, r.proposals.slice(0, 0, 3));
            QCOMPARE(maps.sizes(), (at::IntArrayRef{3, 6, 28, 28}));
            // Decoders (training) reconstruct h and m.
            const auto rois = at::cat({at::zeros({K, 1}), r.proposals}, 1);
            const at::Tensor feats =
                extractRoiFeatures(f, {4, 8, 16, 32}, rois, 7, 2, 56.0, GeometryVariant::Modern);
            const auto out = m->bbox_head->forward(feats);
            QCOMPARE(m->bbox_head->reconstruct(out.e).sizes(), out.h.sizes());
            const auto mo = m->mask_head->forward(at::randn({2, 16, 14, 14}));
            QCOMPARE(m->mask_head->reconstruct(mo.semantic).sizes(), mo.m.sizes());
            QCOMPARE(m->mask_head->seenLogits(mo.semantic).size(1), int64_t(4));
        }
    }

    void batchedForward() {
        ZsiDetector m = tinyModel();
        torch::NoGradGuard g;
        const auto f = m->features(at::randn({2, 3, 64, 96}));
        QCOMPARE(f[0].size(0), int64_t(2));
        const auto out = m->rpn_head->forward(f);
        QCOMPARE(out.logits[0].sizes(), (at::IntArrayRef{2, 6, 16, 24}));
        QCOMPARE(out.deltas[1].sizes(), (at::IntArrayRef{2, 12, 8, 12}));
    }

    void frozenBatchNormStaysFrozen() {
        ModelConfig c = test::tinyConfig();
        c.backbone.norm = NormKind::FrozenBatchNorm;
        c.backbone.frozenStages = 1;
        ZsiDetector m(c);
        m->train();
        for (const auto& mod : m->backbone->modules(false))
            if (mod->as<torch::nn::BatchNorm2d>()) QVERIFY(!mod->is_training());
        QVERIFY(m->rpn_head->is_training());
        // Stem and layer1 frozen, layer2 trainable.
        const auto params = m->backbone->named_parameters();
        QVERIFY(!params["conv1.weight"].requires_grad());
        QVERIFY(!params["layer1.0.conv1.weight"].requires_grad());
        QVERIFY(params["layer2.0.conv1.weight"].requires_grad());
    }

    // The inference copy's folded BatchNorms give the unfolded backbone's features.
    void foldedBatchNormsEqualUnfolded() {
        for (int depth : {18, 50}) {
            ModelConfig c = test::tinyConfig();
            c.backbone.depth = depth;
            c.backbone.norm = NormKind::FrozenBatchNorm;
            c.backbone.frozenStages = 1;
            torch::manual_seed(3);
            ZsiDetector m(c);
            test::randomiseBatchNormStatistics(*m->backbone);  // as a trained model has them
            m->eval();
            torch::NoGradGuard g;
            const at::Tensor x = at::randn({1, 3, 64, 96});
            const auto before = m->features(x);
            const int bnCount = test::countBatchNorms(*m->backbone);
            QCOMPARE(m->foldBatchNormsForInference(), bnCount);
            QCOMPARE(test::countBatchNorms(*m->backbone), 0);
            const auto after = m->features(x);
            for (size_t l = 0; l < before.size(); ++l) {
                const double scale = before[l].abs().max().item<double>();
                QVERIFY2((after[l] - before[l]).abs().max().item<double>() <= 1e-5 * scale,
                         qPrintable(QStringLiteral("depth %1 level %2").arg(depth).arg(l)));
            }
            QCOMPARE(m->foldBatchNormsForInference(), 0);  // nothing left to fold
        }
        // GroupNorm backbones have nothing to fold.
        ZsiDetector gn = tinyModel();
        QCOMPARE(gn->foldBatchNormsForInference(), 0);
    }

    void rpnFoldedLogitsEqualUnfolded() {
        ZsiDetector m = tinyModel();
        const std::vector<at::Tensor> f = {at::randn({1, 16, 8, 8}), at::randn({1, 16, 4, 4})};
        const auto unfolded = m->rpn_head->forward(f);  // gradients on: T and W_bf apart
        torch::NoGradGuard g;
        const auto folded = m->rpn_head->forward(f);
        for (size_t l = 0; l < f.size(); ++l)
            QVERIFY(close(folded.logits[l], unfolded.logits[l].detach(), 1e-4));
    }

    void vbIsMeanOfBackgroundRows() {
        ZsiDetector m = tinyModel();
        {
            torch::NoGradGuard g;
            m->rpn_head->vec_fb->weight.copy_(at::randn({6, 6, 1, 1}));
        }
        const at::Tensor w = m->rpn_head->vec_fb->weight.view({6, 6});
        const at::Tensor expected = (w[0] + w[2] + w[4]) / 3;
        QVERIFY(close(m->backgroundVector(), expected));
        QVERIFY(!m->backgroundVector().requires_grad());
        // Initialisation writes the initial vector into the background rows only.
        const at::Tensor init = at::arange(6, at::kFloat);
        m->rpn_head->initBackgroundRows(init);
        QVERIFY(close(w[2], init));
        QVERIFY(!close(w[1], init));
        QVERIFY(close(m->backgroundVector(), init));
    }

    void syncBackgroundEverywhereAndSwitchable() {
        ZsiDetector m = tinyModel();
        {
            torch::NoGradGuard g;
            m->rpn_head->vec_fb->weight.copy_(at::randn({6, 6, 1, 1}));
        }
        m->syncBackground();
        const at::Tensor vb = m->backgroundVector();
        QVERIFY(close(m->seenMatrix().select(1, 0), vb));
        QVERIFY(close(m->mask_head->conv_vec->weight.view({4, 6})[0], vb));
        QVERIFY(close(m->mask_head->conv_vec->weight.view({4, 6}).slice(0, 1),
                      m->seenClassVectors().t()));
        QVERIFY(!m->mask_head->conv_vec->weight.requires_grad());
        ScoringVocabulary v;
        v.unseen = at::randn({6, 2});
        InferenceSettings o;
        ClassMatrices cm = m->resolveClassMatrices(v, o);
        QVERIFY(close(cm.Ws.select(1, 0), vb));
        QVERIFY(close(cm.Wu.select(1, 0), vb));
        QVERIFY(close(cm.Wu.slice(1, 1), v.unseen));
        // Switched off: the initial vector stays in place.
        o.syncBackground = false;
        cm = m->resolveClassMatrices(v, o);
        QVERIFY(close(cm.Ws.select(1, 0), m->initialBackground()));
        QVERIFY(close(cm.Wu.select(1, 0), m->initialBackground()));
        // Any supplied vector ("what if" view): zero, mean of unseen.
        v.background = scoring::chooseBackground(BackgroundChoice::MeanOfUnseen, vb,
                                                 m->initialBackground(), v.unseen);
        cm = m->resolveClassMatrices(v, o);
        QVERIFY(close(cm.Wu.select(1, 0), v.unseen.mean(1)));
        QVERIFY(close(scoring::chooseBackground(BackgroundChoice::Zero, vb, vb, v.unseen),
                      at::zeros({6})));
        QVERIFY(!scoring::chooseBackground(BackgroundChoice::Model, vb, vb, v.unseen).defined());
        QCOMPARE(errorCodeOf([&] {
                     scoring::chooseBackground(BackgroundChoice::MeanOfUnseen, vb, vb,
                                               at::zeros({6, 0}));
                 }),
                 ErrorCode::EmptyVocabulary);
        // A fresh model configured without Sync-bg keeps the initial vector in its filters.
        ModelConfig c = test::tinyConfig();
        c.inference.syncBackground = false;
        ZsiDetector off(c);
        off->setSeenClassVectors(at::randn({6, 3}), at::ones({6}), /*initRpnBackground=*/true);
        QVERIFY(close(off->mask_head->conv_vec->weight.view({4, 6})[0], at::ones({6})));
        // A loaded model keeps the filters it has (a reference checkpoint's conv_vec).
        {
            torch::NoGradGuard g;
            off->mask_head->conv_vec->weight.fill_(0.5);
        }
        off->setSeenClassVectors(at::randn({6, 3}), at::ones({6}));
        QVERIFY(close(off->mask_head->conv_vec->weight.view({4, 6}), at::full({4, 6}, 0.5)));
        // Wrong dimensions are a clear error.
        v.unseen = at::randn({5, 2});
        QCOMPARE(errorCodeOf([&] { m->resolveClassMatrices(v, o); }), ErrorCode::DimensionMismatch);
    }

    // The mask head reads W_s from its Ws-Conv filters; its background column is V_b only in
    // the modes that sync it (48/17 reference: not in ZSI), else the filter's own row 0.
    void maskHeadBackgroundPerMode() {
        ZsiDetector m = tinyModel();
        const at::Tensor filters = at::randn({4, 6});
        {
            torch::NoGradGuard g;
            m->rpn_head->vec_fb->weight.copy_(at::randn({6, 6, 1, 1}));
            m->mask_head->conv_vec->weight.copy_(filters.view({4, 6, 1, 1}));
        }
        const at::Tensor vb = m->backgroundVector();
        InferenceSettings o;
        o.maskSync.zsi = false;
        o.mode = InferenceMode::Zsi;
        ScoringVocabulary v;
        v.unseen = at::randn({6, 2});
        QVERIFY(!o.maskSyncBackground());
        ClassMatrices cm = m->resolveMaskClassMatrices(v, o);
        QVERIFY(close(cm.Ws, filters.t()));
        QVERIFY(close(cm.Wu.slice(1, 1), v.unseen));
        o.mode = InferenceMode::Gzsi;
        QVERIFY(o.maskSyncBackground());
        cm = m->resolveMaskClassMatrices(v, o);
        QVERIFY(close(cm.Ws.select(1, 0), vb));
        QVERIFY(close(cm.Ws.slice(1, 1), filters.t().slice(1, 1)));
        // The box head still syncs in every mode.
        o.mode = InferenceMode::Zsi;
        QVERIFY(close(m->resolveClassMatrices(v, o).Ws.select(1, 0), vb));
        // The per-mode setting round-trips through the config JSON.
        ModelConfig c = test::tinyConfig();
        c.inference.maskSync.zsi = false;
        QVERIFY(modelConfigFromJson(modelConfigToJson(c)).inference.maskSync ==
                c.inference.maskSync);
    }

    // D = 2; b = 0, seen s1 = (1, 0), s2 = (0, 2), unseen u1 = (1, 1); e = (ln 2, 0).
    // e . W_s = (0, ln2, 0) -> p = (1/4, 1/2, 1/4); p . W_s^T = (1/2, 1/2).
    void referenceRuleByHand() {
        const at::Tensor Ws = t2({{0, 1, 0}, {0, 0, 2}});
        const at::Tensor Wu = t2({{0, 1}, {0, 1}});
        const at::Tensor e = t2({{std::log(2.f), 0}});
        auto sets = scoring::boxScores(e, Ws, Wu, ScoringRule::Reference, InferenceMode::Zsi);
        QCOMPARE(sets.size(), size_t(1));
        QVERIFY(close(sets[0].scores, t2({{0, 1.0f}})));
        QCOMPARE(sets[0].labelOffset, int64_t(2));
        sets = scoring::boxScores(e, Ws, Wu, ScoringRule::Reference, InferenceMode::Seen);
        QVERIFY(close(sets[0].scores, t2({{0, 0.5f, 1.0f}})));
        sets = scoring::boxScores(e, Ws, Wu, ScoringRule::Reference, InferenceMode::Gzsi);
        QCOMPARE(sets.size(), size_t(2));  // NMS'd separately, as the reference
        QVERIFY(close(sets[0].scores, t2({{0, 0.5f, 1.0f}})));
        QVERIFY(close(sets[1].scores, t2({{0, 1.0f}})));
        QVERIFY(close(scoring::similarity(e, Ws, Wu, ScoringRule::Reference),
                      t2({{0, 0.5f, 1.0f, 1.0f}})));
        // Masks: seen s1 -> filter (1, 0); unseen u1 -> W_s W_s^T u1 = diag(1, 4) u1 = (1, 4).
        const at::Tensor labels = at::tensor({int64_t(0), int64_t(2)});
        const at::Tensor f = scoring::maskFilters(labels, Ws, Wu, ScoringRule::Reference);
        QVERIFY(close(f, t2({{1, 0}, {1, 4}})));
        // x = (1, -0.25): unseen logit 1 - 1 = 0 -> 0.5; seen logit 1 -> sigmoid(1).
        const at::Tensor x = t2({{1, -0.25f}, {1, -0.25f}}).view({2, 2, 1, 1});
        QVERIFY(close(scoring::maskProbabilities(x, f).view(-1),
                      at::tensor({1.f / (1.f + std::exp(-1.f)), 0.5f})));
    }

    void directRuleByHand() {
        const at::Tensor Ws = t2({{0, 1, 0}, {0, 0, 2}});
        const at::Tensor Wu = t2({{0, 1}, {0, 1}});
        const at::Tensor e = t2({{std::log(2.f), 0}});
        // ZSI: e . [b | u1] = (0, ln2) -> (1/3, 2/3).
        auto sets = scoring::boxScores(e, Ws, Wu, ScoringRule::Direct, InferenceMode::Zsi);
        QVERIFY(close(sets[0].scores, t2({{1.f / 3, 2.f / 3}})));
        // GZSI: e . [b | s1 | s2 | u1] = (0, ln2, 0, ln2) -> (1, 2, 1, 2) / 6, one joint set.
        sets = scoring::boxScores(e, Ws, Wu, ScoringRule::Direct, InferenceMode::Gzsi);
        QCOMPARE(sets.size(), size_t(1));
        QVERIFY(close(sets[0].scores, t2({{1.f / 6, 1.f / 3, 1.f / 6, 1.f / 3}})));
        QVERIFY(close(sets[0].deltaColumns, at::tensor({int64_t(1), int64_t(2), int64_t(1)})));
        sets = scoring::boxScores(e, Ws, Wu, ScoringRule::Direct, InferenceMode::Seen);
        QVERIFY(close(sets[0].scores, t2({{0.25f, 0.5f, 0.25f}})));
        QVERIFY(close(scoring::similarity(e, Ws, Wu, ScoringRule::Direct),
                      t2({{0, std::log(2.f), 0, std::log(2.f)}})));
        // Masks: sigmoid(w^T x), u1 . (1, -0.25) = 0.75.
        const at::Tensor labels = at::tensor({int64_t(2)});
        const at::Tensor f = scoring::maskFilters(labels, Ws, Wu, ScoringRule::Direct);
        QVERIFY(close(f, t2({{1, 1}})));
        QVERIFY(close(scoring::maskProbabilities(t2({{1, -0.25f}}).view({1, 2, 1, 1}), f).view(-1),
                      at::tensor({1.f / (1.f + std::exp(-0.75f))})));
        // ZSI without unseen classes is an error, not a crash.
        QCOMPARE(errorCodeOf([&] {
                     scoring::boxScores(e, Ws, Ws.slice(1, 0, 1), ScoringRule::Direct,
                                        InferenceMode::Zsi);
                 }),
                 ErrorCode::EmptyVocabulary);
    }

    void pWeightedDeltasByHand() {
        // p over (bg, c1, c2) = (0.2, 0.6, 0.2) -> weights (0.75, 0.25) over the seen classes.
        const at::Tensor p = t2({{0.2f, 0.6f, 0.2f}});
        const at::Tensor d = t2({{9, 9, 9, 9, 1, 0, 0, 0, 0, 1, 0, 0}});
        QVERIFY(close(scoring::pWeightedDeltas(p, d), t2({{0.75f, 0.25f, 0, 0}})));
    }

    void vocabularyIndependentBoxes() {
        ZsiDetector m = tinyModel();
        torch::NoGradGuard g;
        const PreparedInput in = m->preprocess(randomImage(64, 64));
        const auto f = m->features(in.image);
        const RpnResult r = m->rpn(f, in.resizedH, in.resizedW);
        const BoxSemantics b = m->boxSemantics(f, r.proposals, in.resizedH, in.resizedW);
        InferenceSettings o;
        o.scoring = ScoringRule::Direct;
        o.boxRule = BoxRegressionRule::PWeighted;
        o.mode = InferenceMode::Gzsi;
        o.scoreThreshold = 0.0;
        ScoringVocabulary v1, v2;
        v1.unseen = at::randn({6, 2});
        v2.unseen = at::randn({6, 7});  // more unseen than seen classes: fine with this rule
        const Detections d1 =
            m->scoreDetections(b, r.proposals, v1, o, in.resizedH, in.resizedW, in.scale);
        const Detections d2 =
            m->scoreDetections(b, r.proposals, v2, o, in.resizedH, in.resizedW, in.scale);
        QVERIFY(d1.size() > 0 && d2.size() > 0);
        QVERIFY(close(d1.resizedBoxes, b.agnosticBoxes.index_select(0, d1.proposalIndex)));
        QVERIFY(close(d2.resizedBoxes, b.agnosticBoxes.index_select(0, d2.proposalIndex)));
        QCOMPARE(d2.similarity.size(1), int64_t(1 + 3 + 7));
        // The reference index rule has no deltas for a 4th unseen class.
        o.boxRule = BoxRegressionRule::ReferenceIndex;
        QCOMPARE(errorCodeOf([&] {
                     m->scoreDetections(b, r.proposals, v2, o, in.resizedH, in.resizedW, in.scale);
                 }),
                 ErrorCode::InvalidArgument);
        // ... but decodes unseen j with seen j's deltas when it does.
        o.mode = InferenceMode::Zsi;
        const Detections d3 =
            m->scoreDetections(b, r.proposals, v1, o, in.resizedH, in.resizedW, in.scale);
        QVERIFY(d3.size() > 0);
        DeltaCoding c;
        c.stds = {0.1, 0.1, 0.2, 0.2};
        const at::Tensor all = decodeDeltas(r.proposals, b.deltas, c, in.resizedH, in.resizedW,
                                            GeometryVariant::Modern)
                                   .view({r.proposals.size(0), 4, 4});
        for (int64_t i = 0; i < d3.size(); ++i) {
            const int64_t k = d3.proposalIndex[i].item<int64_t>();
            const int64_t j = d3.labels[i].item<int64_t>() - 3 + 1;  // unseen j -> column j
            QVERIFY(close(d3.resizedBoxes[i], all[k][j]));
        }
    }

    void maskHeadReferenceQuirk() {
        ZsiDetector m = tinyModel();  // chainConvs = false
        torch::NoGradGuard g;
        const at::Tensor x = at::randn({2, 16, 14, 14});
        const at::Tensor before = m->mask_head->forward(x).semantic;
        m->mask_head->named_parameters()["convs.0.conv.weight"].normal_();
        QVERIFY(close(m->mask_head->forward(x).semantic, before));  // dead weights
        m->mask_head->named_parameters()["convs.1.conv.weight"].normal_();
        QVERIFY(!close(m->mask_head->forward(x).semantic, before));
    }

    void stagedEqualsOneCall() {
        for (auto rule : {ScoringRule::Direct, ScoringRule::Reference}) {
            ZsiDetector m = tinyModel(rule == ScoringRule::Reference ? 5 : 0);
            const cv::Mat img = randomImage(50, 70);
            ScoringVocabulary v;
            v.unseen = at::randn({6, 2});
            InferenceSettings o;
            o.scoring = rule;
            o.mode = InferenceMode::Gzsi;
            o.boxRule = rule == ScoringRule::Reference ? BoxRegressionRule::ReferenceIndex
                                                       : BoxRegressionRule::PWeighted;
            o.scoreThreshold = 0.0;
            const Detections one = m->detect(img, v, o);
            QVERIFY(one.size() > 0);
            torch::NoGradGuard g;
            const PreparedInput in = m->preprocess(img);
            QVERIFY(std::abs(in.scale - 64.0 / 70.0) < 1e-9);
            const auto f = m->features(in.image);
            const RpnResult r = m->rpn(f, in.resizedH, in.resizedW);
            const BoxSemantics b = m->boxSemantics(f, r.proposals, in.resizedH, in.resizedW);
            Detections d =
                m->scoreDetections(b, r.proposals, v, o, in.resizedH, in.resizedW, in.scale);
            const at::Tensor y = m->maskEncoderFeatures(f, d.resizedBoxes);
            d.masks = m->maskProbabilitiesFromEncoder(y, d.labels, v, o);
            // The folded fast path equals scoring the full semantic map (maskSemantics).
            const at::Tensor slow =
                m->maskProbabilities(m->maskSemantics(f, d.resizedBoxes), d.labels, v, o);
            QVERIFY(close(slow, d.masks, 1e-4));
            QVERIFY(close(m->semanticFromEncoder(y), m->maskSemantics(f, d.resizedBoxes)));
            QVERIFY(close(d.resizedBoxes / in.scale, one.boxes));
            QVERIFY(close(d.scores, one.scores));
            QVERIFY(at::equal(d.labels, one.labels));
            QVERIFY(close(d.masks, one.masks));
            QVERIFY(close(d.similarity, one.similarity));
            QCOMPARE(one.masks.sizes(), (at::IntArrayRef{one.size(), 28, 28}));
            // Boxes are in original-image coordinates.
            QVERIFY(one.boxes.select(1, 2).max().item<float>() <= 70.f + 1e-3f);
        }
    }

    void preprocessResizesNormalisesPads() {
        PreprocessConfig c;
        c.maxLongSide = 64;
        c.maxShortSide = 32;
        const cv::Mat img(50, 100, CV_8UC3, cv::Scalar(200, 100, 50));  // R, G, B
        const PreparedInput p = preprocessImage(img, c);
        QVERIFY(std::abs(p.scale - 0.64) < 1e-9);
        QCOMPARE(p.resizedW, 64);
        QCOMPARE(p.resizedH, 32);
        QCOMPARE(p.image.sizes(), (at::IntArrayRef{1, 3, 32, 64}));
        QVERIFY(std::abs(p.image[0][0][5][5].item<float>() - (200 - 123.675f) / 58.395f) < 1e-4f);
        QVERIFY(std::abs(p.image[0][2][5][5].item<float>() - (50 - 103.53f) / 57.375f) < 1e-4f);
        // Padding to a multiple of 32 with zeros.
        c.maxShortSide = 40;
        c.maxLongSide = 80;
        const PreparedInput q = preprocessImage(img, c);
        QCOMPARE(q.resizedH, 40);
        QCOMPARE(q.image.sizes(), (at::IntArrayRef{1, 3, 64, 96}));
        QCOMPARE(q.image[0][1][50][90].item<float>(), 0.f);
        QCOMPARE(errorCodeOf([&] { preprocessImage(cv::Mat(), c); }), ErrorCode::ImageTooSmall);
        QCOMPARE(errorCodeOf([&] { preprocessImage(cv::Mat(4, 4, CV_8UC1), c); }),
                 ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestModel)
#include "test_model.moc"
