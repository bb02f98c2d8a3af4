// The synthetic benchmark: masks are exactly the visible pixels, occlusion keeps only the
// visible part, sets respect the split, the same seed gives the same bytes, and the demo
// split follows the split rules.
#include "data/coco_io.h"
#include "data/synth.h"

#include "util/atomic_file.h"
#include "util/error.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include "test_registry.h"

#include <QtTest>

#include <opencv2/imgcodecs.hpp>

#include <filesystem>

using namespace zsi;
using namespace zsi::synth;
namespace fs = std::filesystem;

namespace {
Split demoSplit() {
    return readSplit(fs::path(ZSI_SOURCE_DIR) / "resources" / "demo" / "split.json");
}

cv::Vec3b bgrOf(const std::string& className) {
    const cv::Vec3b rgb = colourRgb(parseClassName(className)->first);
    return {rgb[2], rgb[1], rgb[0]};
}

std::string pngBytes(const cv::Mat& bgr) {
    std::vector<uchar> buf;
    cv::imencode(".png", bgr, buf);
    return std::string(buf.begin(), buf.end());
}
}  // namespace

class TestSynth : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void demoSplitFollowsTheRules() {
        const Split s = demoSplit();
        const SplitCheck c = checkSplit(s);
        qInfo().noquote() << "\n" << QString::fromStdString(c.report);
        QVERIFY2(c.ok, c.report.c_str());
        QCOMPARE(s.seen.size() + s.unseen.size(), size_t(54));
        QVERIFY(s.unseen.size() >= 12 && s.unseen.size() <= 14);
        // The checker catches both kinds of problem.
        const SplitCheck mirror =
            checkSplit({{"red circle", "blue square", "red star", "blue star"},
                        {"red square", "blue circle"}});
        QVERIFY(!mirror.ok);
        QVERIFY(mirror.report.find("mirror") != std::string::npos);
        const SplitCheck unseenColour = checkSplit({{"red circle"}, {"blue circle"}});
        QVERIFY(!unseenColour.ok);
        QVERIFY(unseenColour.problems[0].find("blue") != std::string::npos);
    }

    void masksAreExactlyTheVisiblePixels() {
        SynthOptions o;
        o.set = SynthSet::GzsiTest;
        o.seed = 3;
        o.plain = true;  // flat class colours on flat grey: a pixel tells whose it is
        const SynthGenerator gen(demoSplit(), o);
        int objects = 0;
        for (int i = 0; i < 25; ++i) {
            const SynthImage im = gen.generate(i);
            QVERIFY(!im.objects.empty());
            cv::Mat owner(im.bgr.size(), CV_32S, cv::Scalar(-1));
            for (size_t k = 0; k < im.objects.size(); ++k) {
                const cv::Mat m = rle::decode(im.objects[k].mask);
                QVERIFY(cv::countNonZero(m) > 0);
                QVERIFY(cv::countNonZero(m & (owner >= 0)) == 0);  // masks are disjoint
                owner.setTo(int(k), m);
                QCOMPARE(im.objects[k].bbox, rle::toBbox(im.objects[k].mask));
                ++objects;
            }
            for (int y = 0; y < im.bgr.rows; ++y)
                for (int x = 0; x < im.bgr.cols; ++x) {
                    const int k = owner.at<int>(y, x);
                    const cv::Vec3b want =
                        k < 0 ? cv::Vec3b(128, 128, 128) : bgrOf(im.objects[size_t(k)].className);
                    if (im.bgr.at<cv::Vec3b>(y, x) != want)
                        QFAIL(qPrintable(QString("image %1 pixel (%2,%3) does not match its mask")
                                             .arg(i)
                                             .arg(x)
                                             .arg(y)));
                }
        }
        QVERIFY(objects > 25);
    }

    void occludedObjectsKeepOnlyTheirVisiblePart() {
        SynthOptions o;
        o.seed = 11;
        o.minObjects = 6;
        const SynthGenerator gen(demoSplit(), o);
        int occluded = 0;
        for (int i = 0; i < 30; ++i) {
            const SynthImage im = gen.generate(i);
            for (size_t k = 0; k < im.objects.size(); ++k) {
                cv::Mat later = cv::Mat::zeros(im.bgr.size(), CV_8U);
                for (size_t j = k + 1; j < im.objects.size(); ++j)
                    later |= rle::decode(im.objects[j].amodal);
                const cv::Mat amodal = rle::decode(im.objects[k].amodal);
                const cv::Mat expected = amodal & (later == 0);
                QCOMPARE(im.objects[k].mask, rle::encode(expected));
                const double vis = double(rle::area(im.objects[k].mask)),
                             full = double(rle::area(im.objects[k].amodal));
                QVERIFY(vis >= o.minVisibleFraction * full - 1e-9);
                if (vis < full) ++occluded;
            }
        }
        QVERIFY2(occluded >= 10, "too few occlusions to test");
    }

    void setsRespectTheSplit() {
        const Split s = demoSplit();
        SynthOptions o;
        o.seed = 5;
        int seenInTest = 0, unseenInGzsi = 0, seenInGzsi = 0;
        for (auto set : {SynthSet::Train, SynthSet::ZsiTest, SynthSet::GzsiTest}) {
            o.set = set;
            const SynthGenerator gen(s, o);
            for (int i = 0; i < 40; ++i) {
                const SynthImage im = gen.generate(i);
                int unseen = 0;
                for (const auto& ob : im.objects) {
                    QCOMPARE(ob.unseen, s.isUnseen(ob.className));
                    unseen += ob.unseen;
                    if (set == SynthSet::ZsiTest && !ob.unseen) ++seenInTest;
                    if (set == SynthSet::GzsiTest) (ob.unseen ? unseenInGzsi : seenInGzsi)++;
                }
                if (set == SynthSet::Train) QCOMPARE(unseen, 0);
                if (set == SynthSet::ZsiTest) QVERIFY(unseen >= 1);
            }
        }
        QVERIFY(seenInTest > 0);
        QVERIFY(unseenInGzsi > 0 && seenInGzsi > 0);
        QCOMPARE(parseSet("zsi-test"), std::optional<SynthSet>(SynthSet::ZsiTest));
        QVERIFY(!parseSet("test"));
        QVERIFY_THROWS_EXCEPTION(Error, SynthGenerator(Split{{"red circle"}, {"pink circle"}}, o));
        o.set = SynthSet::ZsiTest;
        QVERIFY_THROWS_EXCEPTION(Error, SynthGenerator(Split{{"red circle"}, {}}, o));
    }

    void objectSizes() {
        SynthOptions o;
        o.seed = 2;
        const SynthGenerator gen(demoSplit(), o);
        for (int i = 0; i < 30; ++i)
            for (const auto& ob : gen.generate(i).objects) {
                const BoxXywh b = rle::toBbox(ob.amodal);
                QVERIFY(std::max(b[2], b[3]) >= 12);   // 24 px objects, rotated / squeezed
                QVERIFY(std::max(b[2], b[3]) <= 150);  // 110 px objects, rotated / stretched
            }
    }

    void sameSeedSameBytes() {
        SynthOptions o;
        o.seed = 42;
        o.set = SynthSet::GzsiTest;
        const SynthGenerator a(demoSplit(), o), b(demoSplit(), o);
        for (int i = 0; i < 5; ++i) {
            const SynthImage x = a.generate(i), y = b.generate(i);
            QCOMPARE(pngBytes(x.bgr), pngBytes(y.bgr));
            QCOMPARE(x.objects.size(), y.objects.size());
            for (size_t k = 0; k < x.objects.size(); ++k)
                QCOMPARE(x.objects[k].mask, y.objects[k].mask);
        }
        o.seed = 43;
        const SynthGenerator c(demoSplit(), o);
        QVERIFY(pngBytes(a.generate(0).bgr) != pngBytes(c.generate(0).bgr));

        // Whole datasets: one thread or two, the same files.
        QTemporaryDir dir;
        const fs::path d1 = fs::path(dir.path().toStdString()) / "one",
                       d2 = fs::path(dir.path().toStdString()) / "two";
        QElapsedTimer timer;
        timer.start();
        const coco::Dataset ds = writeDataset(d1, 60, a, 1);
        const double perMinute = 60.0 / (timer.elapsed() / 60000.0);
        qInfo("generated and wrote 60 images of 256 px on one thread: %.0f images/minute",
              perMinute);
        writeDataset(d2, 60, a, 2);
        QCOMPARE(readFileBytes(d1 / "instances.json"), readFileBytes(d2 / "instances.json"));
        for (int i : {1, 30, 60}) {
            char n[32];
            std::snprintf(n, sizeof n, "images/%06d.png", i);
            QCOMPARE(readFileBytes(d1 / n), readFileBytes(d2 / n));
        }
        // The JSON reads back as the dataset written; file names are relative to the folder.
        const coco::Dataset back = coco::readInstances(d1 / "instances.json");
        QCOMPARE(back.images.size(), size_t(60));
        QCOMPARE(back.categories.size(), size_t(54));
        QCOMPARE(back.annotations.size(), ds.annotations.size());
        QVERIFY(fs::exists(d1 / back.images[0].fileName));
        QCOMPARE(back.categories[0].name, demoSplit().seen[0]);
        QVERIFY(perMinute > 1000);
    }
};

ZSI_TEST_SUITE(TestSynth)
#include "test_synth.moc"
