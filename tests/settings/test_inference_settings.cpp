// Unit tests of core/settings: the one inference settings type, its names and JSON.
#include "settings/inference_settings.h"
#include "util/error.h"

#include "test_support.h"

#include <nlohmann/json.hpp>

#include <QtTest>

using namespace zsi;
using nlohmann::json;
using test::errorCodeOf;

namespace {

// Every field away from its default, so a round trip that drops one fails.
InferenceSettings everythingChanged() {
    InferenceSettings s;
    s.mode = InferenceMode::Gzsi;
    s.scoring = ScoringRule::Direct;
    s.boxRule = BoxRegressionRule::PWeighted;
    s.scoreThreshold = 0.25;
    s.nmsIou = 0.6;
    s.maxDetections = 17;
    s.maskThreshold = 0.4;
    s.syncBackground = false;
    s.maskSync.zsi = false;
    s.maskSync.seen = false;
    s.background = BackgroundChoice::MeanOfUnseen;
    s.oneLabelPerObject = true;
    s.oneLabelMaskIou = 0.7;
    return s;
}

}  // namespace

class TestInferenceSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jsonRoundTripKeepsEveryField() {
        const InferenceSettings s = everythingChanged();
        QVERIFY(!(s == InferenceSettings{}));
        const json j = toJson(s);
        QCOMPARE(j.size(), size_t(12));
        QVERIFY(inferenceSettingsFromJson(j) == s);
        // Through text too (what files hold).
        QVERIFY(inferenceSettingsFromJson(json::parse(j.dump())) == s);
    }

    void missingFieldsKeepTheBase() {
        const InferenceSettings base = everythingChanged();
        const InferenceSettings s = inferenceSettingsFromJson(json{{"mode", "seen"}}, base);
        QVERIFY(s.mode == InferenceMode::Seen);
        QVERIFY(s.scoring == ScoringRule::Direct);
        QCOMPARE(s.maxDetections, 17);
        QVERIFY(s.background == BackgroundChoice::MeanOfUnseen);
    }

    void badJsonNamesTheField() {
        try {
            inferenceSettingsFromJson(json{{"mask_sync_background", {{"gzsi", "yes"}}}}, {},
                                      {"session", "a.json", "info.zsi.inference"});
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::JsonSchema);
            QCOMPARE(QString::fromStdString(e.arg("field")),
                     QStringLiteral("info.zsi.inference.mask_sync_background.gzsi"));
            QCOMPARE(QString::fromStdString(e.arg("path")), QStringLiteral("a.json"));
            QVERIFY(QString::fromStdString(e.what()).startsWith("session a.json: field"));
        }
        QCOMPARE(errorCodeOf([] {
                     inferenceSettingsFromJson(json{{"mode", "everything"}});
                 }),
                 ErrorCode::JsonSchema);
        QCOMPARE(errorCodeOf([] {
                     inferenceSettingsFromJson(json{{"mode", 3}});
                 }),
                 ErrorCode::JsonSchema);
        QCOMPARE(errorCodeOf([] { inferenceSettingsFromJson(json::array()); }),
                 ErrorCode::JsonSchema);
        // In range or refused.
        QCOMPARE(errorCodeOf([] {
                     inferenceSettingsFromJson(json{{"score_threshold", 1.5}});
                 }),
                 ErrorCode::ConfigInvalid);
        QCOMPARE(errorCodeOf([] {
                     inferenceSettingsFromJson(json{{"max_detections", 0}});
                 }),
                 ErrorCode::ConfigInvalid);
        QCOMPARE(errorCodeOf([] {
                     inferenceSettingsFromJson(json{{"nms_iou", -1}});
                 }),
                 ErrorCode::ConfigInvalid);
    }

    void namesRoundTripAndAcceptDashes() {
        for (auto m : {InferenceMode::Zsi, InferenceMode::Gzsi, InferenceMode::Seen})
            QVERIFY(parseInferenceMode(toString(m)) == m);
        for (auto r : {ScoringRule::Reference, ScoringRule::Direct})
            QVERIFY(parseScoringRule(toString(r)) == r);
        for (auto b : {BoxRegressionRule::ReferenceIndex, BoxRegressionRule::PWeighted})
            QVERIFY(parseBoxRegressionRule(toString(b)) == b);
        for (auto b :
             {BackgroundChoice::Model, BackgroundChoice::Learned, BackgroundChoice::Initial,
              BackgroundChoice::Zero, BackgroundChoice::MeanOfUnseen, BackgroundChoice::Custom})
            QVERIFY(parseBackgroundChoice(toString(b)) == b);
        QVERIFY(parseBoxRegressionRule("p-weighted") == BoxRegressionRule::PWeighted);
        QVERIFY(parseBackgroundChoice("mean-of-unseen") == BackgroundChoice::MeanOfUnseen);
        try {
            parseScoringRule("cosine");
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            QVERIFY(QString::fromStdString(e.what()).contains("reference, direct"));
            QVERIFY(QString::fromStdString(e.what()).contains("'cosine'"));
        }
    }

    void overridesChangeOnlyWhatTheySet() {
        const InferenceSettings base = everythingChanged();
        InferenceOverrides o;
        QVERIFY(o == InferenceOverrides{});
        QVERIFY(o.appliedTo(base) == base);
        o.scoreThreshold = 0.9;
        o.mode = InferenceMode::Zsi;
        QVERIFY(!(o == InferenceOverrides{}));
        InferenceSettings expected = base;
        expected.scoreThreshold = 0.9;
        expected.mode = InferenceMode::Zsi;
        QVERIFY(o.appliedTo(base) == expected);
    }

    void maskSyncFollowsModeAndSyncBackground() {
        InferenceSettings s;
        s.maskSync.zsi = false;
        QVERIFY(!s.maskSyncBackground());
        s.mode = InferenceMode::Gzsi;
        QVERIFY(s.maskSyncBackground());
        s.syncBackground = false;
        QVERIFY(!s.maskSyncBackground());
    }
};

QTEST_APPLESS_MAIN(TestInferenceSettings)
#include "test_inference_settings.moc"
