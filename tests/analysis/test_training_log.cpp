// The V_b series of a training log: parsing (torn and damaged lines), series, file lookup.
#include "analysis/training_log.h"

#include "test_registry.h"
#include "test_support.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>

using namespace zsi;
using namespace zsi::analysis;

class TestTrainingLog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesBackgroundLinesAndSkipsTornOnes() {
        const std::string text =
            "{\"iteration\":1,\"loss\":3,\"vb\":[1,0],\"vb_cos_initial\":1.0}\n"
            "{\"iteration\":2,\"loss\":2}\n"
            "{\"iteration\":3,\"lo\n"  // a crash mid-line before a resume
            "\n"
            "{\"iteration\":3,\"loss\":1,\"vb\":[3,4]}\r\n"
            "{\"iteration\":3,\"loss\":1,\"vb\":[0,2]}\n"  // resumed run logs 3 again: later wins
            "{\"iteration\":4,\"loss\":1,\"vb\":[0,";      // the trainer is writing
        const TrainingLog log = parseTrainingLog(text, "t");
        QCOMPARE(log.lines, 4);
        QCOMPARE(log.skipped, 2);
        QVERIFY(log.tornTail);
        QCOMPARE(log.lastIteration, 3);
        QCOMPARE(int(log.background.size()), 2);
        QCOMPARE(log.background[0].iteration, 1);
        QVERIFY(log.background[0].hasCosInitial);
        QCOMPARE(log.background[1].vb, (std::vector<float>{0, 2}));
        QCOMPARE(log.background[1].norm, 2.0);
        QVERIFY(!log.background[1].hasCosInitial);

        // Series: cosine from the log or computed against the initial vector; nearest class.
        const auto s = backgroundSeries(log, 2, {"east", "north"}, {1, 0, 0, 1}, {1, 1});
        QCOMPARE(int(s.size()), 2);
        QCOMPARE(s[0].cosInitial, 1.0);  // as logged
        QVERIFY(std::abs(s[1].cosInitial - 1 / std::sqrt(2.0)) < 1e-9);
        QCOMPARE(s[0].nearestName, std::string("east"));
        QCOMPARE(s[1].nearestName, std::string("north"));
        QVERIFY(std::abs(s[1].nearestCos - 1.0) < 1e-9);
        QCOMPARE(s[1].norm, 2.0);
        nlohmann::json j = s[1];
        QCOMPARE(j["nearest_class"].get<std::string>(), std::string("north"));
        test::expectError(ErrorCode::DimensionMismatch, [&] { backgroundSeries(log, 3, {}, {}); });
    }

    void malformedFilesAreErrors() {
        Error e = test::expectError(ErrorCode::JsonMalformed,
                                    [] { parseTrainingLog("not json\n{\"iteration\":1}\n", "f"); });
        QCOMPARE(e.arg("path"), std::string("f"));
        QVERIFY(QString::fromStdString(e.what()).contains(QStringLiteral("line 1")));
        test::expectError(ErrorCode::JsonSchema,
                          [] { parseTrainingLog("{\"iteration\":1}\n[1,2]\n"); });
        test::expectError(ErrorCode::JsonSchema, [] { parseTrainingLog("{\"loss\":1}\n"); });
        test::expectError(ErrorCode::JsonSchema,
                          [] { parseTrainingLog("{\"iteration\":1,\"vb\":\"x\"}\n"); });
        test::expectError(ErrorCode::FileNotFound,
                          [] { readTrainingLog("/nonexistent/zsi/log.jsonl"); });
        // Empty, or a single line still being written: nothing yet, not an error.
        QCOMPARE(int(parseTrainingLog("").background.size()), 0);
        QVERIFY(parseTrainingLog("{\"iteration\":1,").tornTail);
    }

    void readsTheFixtureAndFindsBundleLogs() {
        const TrainingLog log = readTrainingLog(ZSI_FIXTURES_DIR "/analysis/train_log.jsonl");
        QCOMPARE(log.lastIteration, 400);
        QCOMPARE(int(log.background.size()), 5);  // 1, 100, 200, 300, 400
        QVERIFY(log.tornTail);
        QVERIFY(!log.background[2].hasCosInitial);
        const auto s =
            backgroundSeries(log, 6, {"first axis", "second axis"},
                             {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}, std::vector<float>(6, 0.2f));
        // V_b drifts away from the initial vector towards the first axis.
        for (size_t i = 1; i < s.size(); ++i) QVERIFY(s[i].cosInitial < s[i - 1].cosInitial);
        QCOMPARE(s.back().nearestName, std::string("first axis"));
        QVERIFY(std::abs(s.back().nearestCos - 1.0) < 1e-6);

        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        std::filesystem::create_directories(root / "m");
        QVERIFY(!findTrainingLog(root / "m"));
        std::filesystem::create_directories(root / "m.training");
        std::ofstream(root / "m.training" / "log.jsonl") << "{\"iteration\":1}\n";
        QCOMPARE(findTrainingLog(root / "m")->filename().string(), std::string("log.jsonl"));
        std::ofstream(root / "m" / "train_log.jsonl") << "{\"iteration\":1}\n";
        QCOMPARE(findTrainingLog(root / "m")->filename().string(), std::string("train_log.jsonl"));
    }
};

ZSI_TEST_SUITE(TestTrainingLog)
#include "test_training_log.moc"
