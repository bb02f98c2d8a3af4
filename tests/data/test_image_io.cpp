// Image loading: every pixel format and orientation becomes 8-bit RGB; bad files are clear
// errors, never crashes.
#include "data/image_io.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <QTemporaryDir>
#include "test_registry.h"

#include <QtTest>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace zsi;

namespace {
std::string encode(const cv::Mat& m, const std::string& ext) {
    std::vector<uchar> buf;
    cv::imencode(ext, m, buf);
    return std::string(buf.begin(), buf.end());
}

ErrorCode errorOf(const std::string& bytes, const ImageLoadOptions& o = {}) {
    try {
        decodeImage(bytes, "test", o);
    } catch (const Error& e) {
        return e.code();
    }
    return ErrorCode::Unknown;
}
}  // namespace

class TestImageIo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void colourBecomesRgb() {
        cv::Mat bgr(10, 12, CV_8UC3, cv::Scalar(255, 0, 0));  // blue in OpenCV's BGR
        const LoadedImage img = decodeImage(encode(bgr, ".png"), "blue.png");
        QCOMPARE(img.rgb.type(), CV_8UC3);
        QCOMPARE(img.rgb.cols, 12);
        const cv::Vec3b px = img.rgb.at<cv::Vec3b>(0, 0);
        QCOMPARE(int(px[0]), 0);
        QCOMPARE(int(px[2]), 255);  // RGB order: blue last
        QCOMPARE(img.sourceChannels, 3);
    }

    void grayscaleSixteenBitAndAlpha() {
        cv::Mat gray(9, 9, CV_8U, cv::Scalar(77));
        LoadedImage g = decodeImage(encode(gray, ".png"), "gray.png");
        QCOMPARE(g.rgb.type(), CV_8UC3);
        QCOMPARE(int(g.rgb.at<cv::Vec3b>(4, 4)[1]), 77);
        QCOMPARE(g.sourceChannels, 1);

        cv::Mat deep(9, 9, CV_16UC3, cv::Scalar(65535, 32896, 0));
        LoadedImage d = decodeImage(encode(deep, ".png"), "deep.png");
        QCOMPARE(d.sourceBitDepth, 16);
        QCOMPARE(d.rgb.type(), CV_8UC3);
        QCOMPARE(int(d.rgb.at<cv::Vec3b>(0, 0)[2]), 255);  // B channel 65535 -> 255, last in RGB
        QCOMPARE(int(d.rgb.at<cv::Vec3b>(0, 0)[1]), 128);

        cv::Mat rgba(9, 9, CV_8UC4, cv::Scalar(10, 20, 30, 0));
        LoadedImage a = decodeImage(encode(rgba, ".png"), "rgba.png");
        QCOMPARE(a.sourceChannels, 4);
        QCOMPARE(a.rgb.type(), CV_8UC3);
    }

    void exifOrientationIsApplied() {
        // 40 x 20 stored, EXIF orientation 6 (rotate 90 clockwise to display): 20 x 40 shown,
        // the blue left band of the stored image ends up at the top.
        const LoadedImage img =
            loadImage(fs::path(ZSI_FIXTURES_DIR) / "data" / "exif-orientation-6.jpg");
        QCOMPARE(img.rgb.cols, 20);
        QCOMPARE(img.rgb.rows, 40);
        QCOMPARE(img.sourceWidth, 40);
        const cv::Vec3b top = img.rgb.at<cv::Vec3b>(2, 10), bottom = img.rgb.at<cv::Vec3b>(37, 10);
        QVERIFY(top[2] > 200 && top[0] < 60);        // blue
        QVERIFY(bottom[0] > 200 && bottom[2] < 60);  // red
    }

    void badFilesAreClearErrors() {
        QCOMPARE(errorOf(""), ErrorCode::ImageDecodeFailed);
        QCOMPARE(errorOf("definitely not an image"), ErrorCode::ImageDecodeFailed);
        cv::Mat m(64, 64, CV_8UC3, cv::Scalar(1, 2, 3));
        const std::string png = encode(m, ".png");
        QCOMPARE(errorOf(png.substr(0, png.size() / 2)), ErrorCode::ImageDecodeFailed);
        const std::string one = encode(cv::Mat(1, 1, CV_8UC3, cv::Scalar(0, 0, 0)), ".png");
        QCOMPARE(errorOf(one), ErrorCode::ImageTooSmall);
        try {
            loadImage("/nonexistent/dir/image.png");
            QFAIL("expected an error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileNotFound);
        }
    }

    void hugeImagesAreRefusedBeforeDecoding() {
        // A PNG header claiming 20000 x 20000 (400 MP): refused from the header alone.
        std::string png = encode(cv::Mat(16, 16, CV_8UC3, cv::Scalar(0, 0, 0)), ".png");
        const unsigned char dims[8] = {0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20};
        png.replace(16, 8, reinterpret_cast<const char*>(dims), 8);
        QCOMPARE(probeImageSize(png).width, 20000);
        try {
            decodeImage(png, "huge.png");
            QFAIL("expected ImageTooLarge");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::ImageTooLarge);
            QCOMPARE(QString::fromStdString(e.arg("width")), QStringLiteral("20000"));
        }
    }

    void downscaleWhenAsked() {
        cv::Mat big(1200, 1600, CV_8UC3, cv::Scalar(0, 128, 255));
        ImageLoadOptions o;
        o.maxPixels = 500'000;
        QCOMPARE(errorOf(encode(big, ".jpg"), o), ErrorCode::ImageTooLarge);
        o.downscaleHuge = true;
        const LoadedImage jpg = decodeImage(encode(big, ".jpg"), "big.jpg", o);
        QVERIFY(int64_t(jpg.rgb.cols) * jpg.rgb.rows <= o.maxPixels);
        QCOMPARE(jpg.rgb.cols, 800);  // reduced JPEG decoding by 2: 800 x 600 = 480k pixels
        QVERIFY(std::abs(jpg.scale - 0.5) < 1e-9);
        const LoadedImage png = decodeImage(encode(big, ".png"), "big.png", o);
        QVERIFY(int64_t(png.rgb.cols) * png.rgb.rows <= o.maxPixels);
        QVERIFY(png.scale < 1.0);
    }

    void pathsWithAnyCharacters() {
        QTemporaryDir dir;
        const fs::path p = fs::path(dir.path().toStdString()) / "图像 with spaces #1.png";
        writeFileAtomic(p, encode(cv::Mat(12, 12, CV_8UC3, cv::Scalar(5, 5, 5)), ".png"));
        QCOMPARE(loadImage(p).rgb.cols, 12);
    }

    void probesCommonFormats() {
        cv::Mat m(30, 50, CV_8UC3, cv::Scalar(1, 2, 3));
        for (const char* ext : {".png", ".jpg", ".bmp", ".webp"}) {
            const ImageSize s = probeImageSize(encode(m, ext));
            QCOMPARE(s.width, 50);
            QCOMPARE(s.height, 30);
        }
        QVERIFY(isImageFileName("a/B.JPG"));
        QVERIFY(!isImageFileName("notes.txt"));
    }
};

ZSI_TEST_SUITE(TestImageIo)
#include "test_image_io.moc"
