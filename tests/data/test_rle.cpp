// RLE codec: pycocotools' known string encodings, worked polygon rasterisations, round
// trips, odd sizes, and the cropped encoder against the full-image encoder.
#include "data/rle.h"

#include "util/error.h"
#include "util/random.h"

#include "test_registry.h"

#include <QtTest>

#include <opencv2/imgproc.hpp>

using namespace zsi;

namespace {
Rle runs(int h, int w, std::vector<uint32_t> c) {
    return Rle{h, w, std::move(c)};
}

cv::Mat randomMask(Rng& r, int h, int w, double p) {
    cv::Mat m(h, w, CV_8U);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) m.at<uint8_t>(y, x) = r.bernoulli(p) ? 1 : 0;
    return m;
}

bool sameMask(const cv::Mat& a, const cv::Mat& b) {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return cv::countNonZero((a != 0) != (b != 0)) == 0;
}
}  // namespace

class TestRle : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void knownStrings() {
        QCOMPARE(rle::toString(runs(7, 1, {2, 3, 1, 1})), std::string("231N"));
        QCOMPARE(rle::toString(runs(7, 1, {0, 6, 1})), std::string("061"));
        QCOMPARE(rle::toString(runs(1001, 1, {1000, 1})), std::string("Xo01"));
        QCOMPARE(rle::fromString("231N", 7, 1).counts, (std::vector<uint32_t>{2, 3, 1, 1}));
        QCOMPARE(rle::fromString("061", 7, 1).counts, (std::vector<uint32_t>{0, 6, 1}));
        QCOMPARE(rle::fromString("Xo01", 1001, 1).counts, (std::vector<uint32_t>{1000, 1}));
        QCOMPARE(rle::toString(Rle{}), std::string());
        QVERIFY_THROWS_EXCEPTION(Error, rle::fromString("a~", 2, 2));
        QVERIFY_THROWS_EXCEPTION(Error, rle::fromString("X", 2, 2));  // continuation, then nothing
    }

    void encodeColumnMajor() {
        // 3 x 2 mask:   1 0        column 0 = 1,1,0 ; column 1 = 0,1,1
        //               1 1        runs (zeros first): 0, 2, 2, 2
        //               0 1
        cv::Mat m = (cv::Mat_<uint8_t>(3, 2) << 1, 0, 1, 1, 0, 1);
        const Rle r = rle::encode(m);
        QCOMPARE(r.height, 3);
        QCOMPARE(r.width, 2);
        QCOMPARE(r.counts, (std::vector<uint32_t>{0, 2, 2, 2}));
        QCOMPARE(rle::area(r), uint64_t(4));
        QCOMPARE(rle::toBbox(r), (BoxXywh{0, 0, 2, 3}));
        QVERIFY(sameMask(rle::decode(r), m));
        // Values other than 0/1 count as set.
        cv::Mat m255 = m * 255;
        QCOMPARE(rle::encode(m255), r);
    }

    void oddSizes() {
        const cv::Mat one1 = (cv::Mat_<uint8_t>(1, 1) << 1);
        QCOMPARE(rle::encode(one1).counts, (std::vector<uint32_t>{0, 1}));
        const cv::Mat zero1 = (cv::Mat_<uint8_t>(1, 1) << 0);
        QCOMPARE(rle::encode(zero1).counts, (std::vector<uint32_t>{1}));
        QCOMPARE(rle::toBbox(rle::encode(zero1)), (BoxXywh{0, 0, 0, 0}));
        // 1 x N: one row, each column one pixel.
        const cv::Mat row = (cv::Mat_<uint8_t>(1, 5) << 0, 1, 1, 0, 1);
        const Rle rr = rle::encode(row);
        QCOMPARE(rr.counts, (std::vector<uint32_t>{1, 2, 1, 1}));
        QCOMPARE(rle::toBbox(rr), (BoxXywh{1, 0, 4, 1}));
        QVERIFY(sameMask(rle::decode(rr), row));
        // N x 1.
        const cv::Mat col = (cv::Mat_<uint8_t>(4, 1) << 1, 1, 0, 0);
        QCOMPARE(rle::encode(col).counts, (std::vector<uint32_t>{0, 2, 2}));
        // Empty image: 0x0, counts {0} as in pycocotools.
        const Rle e = rle::encode(cv::Mat());
        QCOMPARE(e.height, 0);
        QCOMPARE(e.counts, (std::vector<uint32_t>{0}));
        QCOMPARE(rle::toString(e), std::string("0"));
        QCOMPARE(rle::area(e), uint64_t(0));
        QVERIFY(rle::decode(e).empty());
        // All zeros, all ones.
        QCOMPARE(rle::encode(cv::Mat::zeros(3, 4, CV_8U)).counts, (std::vector<uint32_t>{12}));
        QCOMPARE(rle::encode(cv::Mat::ones(3, 4, CV_8U)).counts, (std::vector<uint32_t>{0, 12}));
        QCOMPARE(rle::toBbox(rle::encode(cv::Mat::ones(3, 4, CV_8U))), (BoxXywh{0, 0, 4, 3}));
    }

    void roundTripsRandom() {
        Rng rng(5);
        for (int it = 0; it < 60; ++it) {
            const int h = int(rng.uniformInt(1, 40)), w = int(rng.uniformInt(1, 40));
            const cv::Mat m = randomMask(rng, h, w, rng.uniform(0.02, 0.98));
            const Rle r = rle::encode(m);
            QVERIFY(sameMask(rle::decode(r), m));
            const std::string s = rle::toString(r);
            QCOMPARE(rle::fromString(s, h, w), r);
            QCOMPARE(rle::area(r), uint64_t(cv::countNonZero(m)));
            // Bbox of a non-empty mask equals OpenCV's bounding rect.
            if (cv::countNonZero(m) > 0) {
                const cv::Rect br = cv::boundingRect(m);
                QCOMPARE(rle::toBbox(r), (BoxXywh{double(br.x), double(br.y), double(br.width),
                                                  double(br.height)}));
            }
        }
        // Large runs and negative differences survive the string codec.
        const Rle big = runs(100000, 1, {70000, 5, 3, 29000, 0, 1992});
        QCOMPARE(rle::fromString(rle::toString(big), 100000, 1), big);
    }

    void croppedEqualsFull() {
        Rng rng(9);
        for (int it = 0; it < 40; ++it) {
            const int H = int(rng.uniformInt(1, 50)), W = int(rng.uniformInt(1, 50));
            const int ch = int(rng.uniformInt(1, 30)), cw = int(rng.uniformInt(1, 30));
            const cv::Point o(int(rng.uniformInt(-10, W)), int(rng.uniformInt(-10, H)));
            const cv::Mat crop = randomMask(rng, ch, cw, 0.5);
            cv::Mat full = cv::Mat::zeros(H, W, CV_8U);
            const cv::Rect inImage = cv::Rect(o.x, o.y, cw, ch) & cv::Rect(0, 0, W, H);
            if (inImage.area() > 0) crop(inImage - o).copyTo(full(inImage));
            QCOMPARE(rle::encodeCropped(crop, o, H, W), rle::encode(full));
        }
    }

    void bboxQuirkWrappingRun() {
        // A run of ones from the bottom of column 0 into the top of column 1 spans the full
        // height in pycocotools' rleToBbox.
        const Rle r = runs(4, 2, {3, 2, 3});
        QCOMPARE(rle::toBbox(r), (BoxXywh{0, 0, 2, 4}));
    }

    void polygonWorkedCases() {
        // Worked by hand through rleFrPoly (scale 5, y-boundary points, ceil): the square
        // polygon (0,0)-(2,2) on a 4x4 image sets pixels x, y in {0, 1}: boundary points
        // (x,y) = (0,2), (1,2), (0,0), (1,0) -> positions 2, 6, 0, 4 -> runs 0,2,2,2,10.
        const Rle a = rle::fromPolygon({0, 0, 0, 2, 2, 2, 2, 0}, 4, 4);
        QCOMPARE(a.counts, (std::vector<uint32_t>{0, 2, 2, 2, 10}));
        QCOMPARE(rle::fromBbox({0, 0, 2, 2}, 4, 4), a);
        // The square (1,1)-(3,3): points (1,3), (2,3), (1,1), (2,1) -> runs 5,2,2,2,5.
        QCOMPARE(rle::fromBbox({1, 1, 2, 2}, 4, 4).counts, (std::vector<uint32_t>{5, 2, 2, 2, 5}));
        // Vertex order does not matter.
        QCOMPARE(rle::fromPolygon({1, 1, 3, 1, 3, 3, 1, 3}, 4, 4).counts,
                 (std::vector<uint32_t>{5, 2, 2, 2, 5}));
        // Clipped to the image: a box hanging over the right/bottom edge.
        const Rle c = rle::fromBbox({2, 2, 10, 10}, 4, 4);
        QCOMPARE(rle::area(c), uint64_t(4));
        QCOMPARE(rle::toBbox(c), (BoxXywh{2, 2, 2, 2}));
        // Two polygons of one object are unioned.
        const Rle u = rle::fromPolygons({{0, 0, 0, 2, 2, 2, 2, 0}, {1, 1, 3, 1, 3, 3, 1, 3}}, 4, 4);
        QCOMPARE(rle::area(u), uint64_t(7));
    }

    void mergeAndIou() {
        Rng rng(11);
        for (int it = 0; it < 30; ++it) {
            const int h = int(rng.uniformInt(1, 30)), w = int(rng.uniformInt(1, 30));
            const cv::Mat a = randomMask(rng, h, w, 0.4), b = randomMask(rng, h, w, 0.4);
            const Rle ra = rle::encode(a), rb = rle::encode(b);
            const cv::Mat uni = (a | b), inter = (a & b);
            QVERIFY(sameMask(rle::decode(rle::merge({ra, rb}, false)), uni));
            QVERIFY(sameMask(rle::decode(rle::merge({ra, rb}, true)), inter));
            QCOMPARE(rle::merge({ra, rb}), rle::encode(uni));
            const double i = cv::countNonZero(inter), un = cv::countNonZero(uni);
            const double expected = i == 0 ? 0.0 : i / un;
            QVERIFY(std::abs(rle::iouPair(ra, rb) - expected) < 1e-12);
            // Crowd: intersection over the detection's area.
            const double crowd = i == 0 ? 0.0 : i / cv::countNonZero(a);
            QVERIFY(std::abs(rle::iouPair(ra, rb, true) - crowd) < 1e-12);
            const auto m = rle::iou(std::vector<Rle>{ra, rb}, std::vector<Rle>{rb}, {false});
            QVERIFY(std::abs(m[0][0] - expected) < 1e-12);
        }
        // Different sizes: -1 (when the boxes overlap), as in pycocotools.
        QCOMPARE(rle::iouPair(rle::encode(cv::Mat::ones(2, 2, CV_8U)),
                              rle::encode(cv::Mat::ones(3, 3, CV_8U))),
                 -1.0);
        // Boxes: [0,0,2,2] vs [1,1,2,2]: 1 / 7; crowd: 1 / 4.
        QVERIFY(std::abs(rle::iouPair(BoxXywh{0, 0, 2, 2}, BoxXywh{1, 1, 2, 2}) - 1.0 / 7) < 1e-12);
        QVERIFY(std::abs(rle::iouPair(BoxXywh{0, 0, 2, 2}, BoxXywh{1, 1, 2, 2}, true) - 0.25) <
                1e-12);
    }

    void polygonsFromMask() {
        cv::Mat m = cv::Mat::zeros(20, 20, CV_8U);
        cv::rectangle(m, cv::Rect(2, 2, 10, 10), 1, cv::FILLED);
        cv::rectangle(m, cv::Rect(5, 5, 3, 3), 0, cv::FILLED);  // a hole
        m.at<uint8_t>(18, 18) = 1;                              // a lone pixel
        const auto conv = rle::toPolygons(rle::encode(m));
        QCOMPARE(conv.polygons.size(), size_t(1));
        QCOMPARE(conv.holesLost, 1);
        QCOMPARE(conv.partsLost, 1);
        QVERIFY(!conv.lossless());
        cv::Mat square = cv::Mat::zeros(20, 20, CV_8U);
        cv::rectangle(square, cv::Rect(2, 2, 10, 10), 1, cv::FILLED);
        const auto ok = rle::toPolygons(rle::encode(square));
        QVERIFY(ok.lossless());
        // Vertices sit on boundary pixel centres: rasterised back, the square keeps its
        // interior and at least most of its boundary.
        const Rle back = rle::fromPolygons(ok.polygons, 20, 20);
        QVERIFY(rle::iouPair(back, rle::encode(square)) > 0.7);
    }
};

ZSI_TEST_SUITE(TestRle)
#include "test_rle.moc"
