// p(background) heatmaps: shape, range, colours, blending.
#include "analysis/heatmap.h"

#include "test_registry.h"
#include "test_support.h"

#include <opencv2/imgproc.hpp>

#include <QtTest>

#include <cmath>
#include <limits>

using namespace zsi;
using namespace zsi::analysis;

namespace {
cv::Vec3b colormapRgb(int value, int map) {
    cv::Mat one(1, 1, CV_8U, cv::Scalar(value)), bgr;
    cv::applyColorMap(one, bgr, map);
    const cv::Vec3b c = bgr.at<cv::Vec3b>(0, 0);
    return {c[2], c[1], c[0]};
}
}  // namespace

class TestHeatmap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shapeRangeAndColours() {
        // 2 x 3 level map; out-of-range and NaN values are clamped.
        cv::Mat p = (cv::Mat_<float>(2, 3) << 0.f, 0.5f, 1.f, 1.5f, -0.2f,
                     std::numeric_limits<float>::quiet_NaN());
        HeatmapStyle style;
        style.opacity = 0.5;
        style.smooth = false;  // nearest: each cell a 10 x 10 block of the 30 x 20 image
        const cv::Mat rgba = heatmapRgba(p, cv::Size(30, 20), style);
        QCOMPARE(rgba.type(), CV_8UC4);
        QCOMPARE(rgba.cols, 30);
        QCOMPARE(rgba.rows, 20);
        std::vector<cv::Mat> ch;
        cv::split(rgba, ch);
        double lo = 0, hi = 0;
        cv::minMaxLoc(ch[3], &lo, &hi);
        QCOMPARE(lo, 128.0);
        QCOMPARE(hi, 128.0);
        auto rgbAt = [&](int x, int y) {
            const cv::Vec4b v = rgba.at<cv::Vec4b>(y, x);
            return cv::Vec3b(v[0], v[1], v[2]);
        };
        QCOMPARE(rgbAt(5, 5), colormapRgb(0, style.colormap));     // p = 0
        QCOMPARE(rgbAt(25, 5), colormapRgb(255, style.colormap));  // p = 1
        QCOMPARE(rgbAt(5, 15), colormapRgb(255, style.colormap));  // 1.5 -> 1
        QCOMPARE(rgbAt(15, 15), colormapRgb(0, style.colormap));   // -0.2 -> 0
        QCOMPARE(rgbAt(25, 15), colormapRgb(0, style.colormap));   // NaN -> 0
        QVERIFY(rgbAt(5, 5) != rgbAt(25, 5));

        // Smooth stretching stays within the colours of the map's range.
        const cv::Mat smooth = heatmapRgba(p, cv::Size(31, 17));
        QCOMPARE(smooth.size(), cv::Size(31, 17));

        test::expectError(ErrorCode::InvalidArgument,
                          [] { heatmapRgba(cv::Mat(), cv::Size(4, 4)); });
        test::expectError(ErrorCode::InvalidArgument, [&] { heatmapRgba(p, cv::Size(0, 4)); });
    }

    void blendingAndStats() {
        cv::Mat rgb(4, 4, CV_8UC3, cv::Scalar(10, 20, 30));
        cv::Mat over(4, 4, CV_8UC4, cv::Scalar(200, 100, 0, 255));
        QCOMPARE(blendRgba(rgb, over).at<cv::Vec3b>(1, 1), cv::Vec3b(200, 100, 0));
        over.setTo(cv::Scalar(200, 100, 0, 0));
        QCOMPARE(blendRgba(rgb, over).at<cv::Vec3b>(1, 1), cv::Vec3b(10, 20, 30));
        test::expectError(ErrorCode::InvalidArgument,
                          [&] { blendRgba(rgb, cv::Mat(3, 3, CV_8UC4)); });

        const MapStats s = mapStats((cv::Mat_<float>(1, 4) << 0.f, 0.25f, 0.75f, 1.f));
        QCOMPARE(s.width, 4);
        QCOMPARE(s.height, 1);
        QCOMPARE(s.min, 0.0);
        QCOMPARE(s.max, 1.0);
        QCOMPARE(s.mean, 0.5);
    }
};

ZSI_TEST_SUITE(TestHeatmap)
#include "test_heatmap.moc"
