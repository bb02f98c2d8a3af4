// Cosines, nearest classes and the PCA map of hand-built vectors with known answers.
#include "analysis/background_analysis.h"

#include "test_registry.h"
#include "test_support.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <cmath>

using namespace zsi;
using namespace zsi::analysis;

namespace {
bool near(double a, double b, double eps = 1e-9) {
    return std::abs(a - b) < eps;
}

BackgroundInput threeAxes() {
    BackgroundInput in;
    in.dim = 3;
    in.seenNames = {"x", "y"};
    in.seenVectors = {1, 0, 0, 0, 2, 0};
    in.unseenNames = {"z"};
    in.unseenVectors = {0, 0, 3};
    in.learned = {1, 1, 0};
    in.initial = {0, 0, 1};
    return in;
}
}  // namespace

class TestBackgroundAnalysis : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cosinesAndNorms() {
        const BackgroundAnalysis a = analyseBackground(threeAxes());
        QCOMPARE(a.dim, 3);
        QVERIFY(near(a.learnedNorm, std::sqrt(2.0)));
        QVERIFY(near(a.initialNorm, 1.0));
        QVERIFY(near(a.cosLearnedInitial, 0.0));
        QCOMPARE(int(a.classes.size()), 3);
        QCOMPARE(a.classes[0].name, std::string("x"));
        QVERIFY(!a.classes[0].unseen && !a.classes[1].unseen && a.classes[2].unseen);
        QVERIFY(near(a.classes[0].cosLearned, 1 / std::sqrt(2.0)));
        QVERIFY(
            near(a.classes[1].cosLearned, 1 / std::sqrt(2.0)));  // the norm of "y" does not matter
        QVERIFY(near(a.classes[2].cosLearned, 0.0));
        QVERIFY(near(a.classes[2].cosInitial, 1.0));
        QVERIFY(near(a.classes[1].norm, 2.0) && near(a.classes[2].norm, 3.0));
        QCOMPARE(a.nearestToLearned, 0);  // ties: the first class
        QCOMPARE(a.nearestToInitial, 2);
    }

    void nearestRowAndZeroVectors() {
        const std::vector<float> rows = {1, 0, 0, 1, -1, 0};
        const float v[] = {-2, 0.1f};
        double c = 0;
        QCOMPARE(nearestRow(rows, 2, v, &c), 2);
        QVERIFY(c > 0.99);
        const float zero[] = {0, 0};
        QCOMPARE(cosine(zero, v, 2), 0.0);
        QCOMPARE(nearestRow({}, 2, v, &c), -1);
    }

    void pcaOfAxisAlignedPoints() {
        // Spread 2 along x, 1 along y, none along z: PC 1 = x, PC 2 = y (signs fixed).
        const std::vector<float> pts = {2, 0, 0, -2, 0, 0, 0, 1, 0, 0, -1, 0};
        double explained[2];
        const auto xy = pca2d(pts, 3, /*normalise=*/false, explained);
        QCOMPARE(int(xy.size()), 4);
        const double expect[4][2] = {{2, 0}, {-2, 0}, {0, 1}, {0, -1}};
        for (int i = 0; i < 4; ++i) {
            QVERIFY2(near(xy[size_t(i)].first, expect[i][0], 1e-6),
                     qPrintable(QString::number(xy[size_t(i)].first)));
            QVERIFY2(near(xy[size_t(i)].second, expect[i][1], 1e-6),
                     qPrintable(QString::number(xy[size_t(i)].second)));
        }
        QVERIFY(near(explained[0], 0.8, 1e-6));
        QVERIFY(near(explained[1], 0.2, 1e-6));

        // Normalised: lengths do not matter, only directions.
        const std::vector<float> scaled = {20, 0, 0, -2, 0, 0, 0, 5, 0, 0, -1, 0};
        const auto n = pca2d(scaled, 3, true);
        QVERIFY(near(std::abs(n[0].first), std::abs(n[1].first), 1e-6));
        QVERIFY(near(std::abs(n[2].second), std::abs(n[3].second), 1e-6));

        // Degenerate inputs give zeros, not errors.
        QVERIFY(pca2d({1, 2, 3}, 3, false)[0] == std::make_pair(0.0, 0.0));
        const auto same = pca2d({1, 1, 1, 1}, 2, false);
        QVERIFY(same[0] == std::make_pair(0.0, 0.0) && same[1] == std::make_pair(0.0, 0.0));
    }

    void projectionHasEveryClassAndBothBackgrounds() {
        const BackgroundAnalysis a = analyseBackground(threeAxes(), false);
        const auto& p = a.projection.points;
        QCOMPARE(int(p.size()), 5);
        QVERIFY(p[0].kind == PointKind::Seen && p[2].kind == PointKind::Unseen);
        QVERIFY(p[3].kind == PointKind::LearnedBackground &&
                p[4].kind == PointKind::InitialBackground);
        QVERIFY(a.projection.explained[0] >= a.projection.explained[1]);
        QVERIFY(a.projection.explained[0] + a.projection.explained[1] <= 1.0 + 1e-9);
        // The map is an orthogonal projection: a 2-D distance never exceeds the D-dimensional
        // one, here |x - learned| = |(1,0,0) - (1,1,0)| = 1.
        const double d3 = 1.0;
        const double d2 = std::hypot(p[0].x - p[3].x, p[0].y - p[3].y);
        QVERIFY(d2 <= d3 + 1e-9);

        nlohmann::json j = a;
        QCOMPARE(j["classes"].size(), size_t(3));
        QCOMPARE(j["projection"]["points"].size(), size_t(5));
        QCOMPARE(j["nearest_to_initial"].get<std::string>(), std::string("z"));
        QCOMPARE(j["projection"]["points"][3]["kind"].get<std::string>(), std::string("learned"));
    }

    void sizeErrors() {
        BackgroundInput in = threeAxes();
        in.learned.pop_back();
        const Error e =
            test::expectError(ErrorCode::DimensionMismatch, [&] { analyseBackground(in); });
        QCOMPARE(e.arg("what"), std::string("learned background vector"));
        in = threeAxes();
        in.unseenVectors.push_back(1);
        test::expectError(ErrorCode::DimensionMismatch, [&] { analyseBackground(in); });
    }
};

ZSI_TEST_SUITE(TestBackgroundAnalysis)
#include "test_background_analysis.moc"
