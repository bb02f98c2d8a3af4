// Model instances as COCO annotations, polygons (and what they lose), PNG maps, YOLO text;
// merging the parts of a sharded export.
#include "data/coco_io.h"
#include "data/coco_merge.h"
#include "data/dataset_export.h"
#include "data/export_formats.h"
#include "data/mask_polygons.h"
#include "data/rle.h"
#include "util/atomic_file.h"

#include "instance_support.h"
#include "test_registry.h"
#include "test_support.h"

#include <opencv2/imgproc.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>

#include <sstream>

using namespace zsi;

namespace {

Instance square(int x, int y, int size, int classIndex, float score) {
    Instance inst = test::squareInstance(x, y, size, score);
    inst.classIndex = classIndex;
    return inst;
}

Instance donut() {
    Instance inst = square(10, 10, 20, 0, 0.9f);
    cv::rectangle(inst.mask, cv::Rect(6, 6, 8, 8), cv::Scalar(0), cv::FILLED);  // 64-pixel hole
    return inst;
}

coco::Dataset part(std::vector<std::pair<int64_t, std::string>> images, int annotationsPerImage) {
    coco::Dataset d;
    d.info = {{"zsi", {{"model_sha256", "abc"}, {"mode", "zsi"}}}};
    d.categories = {{1, "red heart", "unseen", {}}, {2, "blue star", "unseen", {}}};
    int64_t id = 1;
    for (const auto& [imageId, name] : images) {
        d.images.push_back({imageId, name, 40, 30, {}});
        for (int k = 0; k < annotationsPerImage; ++k) {
            coco::Annotation a;
            a.id = id++;
            a.imageId = imageId;
            a.categoryId = 1 + k % 2;
            a.bbox = {double(k), 0, 2, 2};
            a.area = 4;
            d.annotations.push_back(a);
        }
    }
    return d;
}

}  // namespace

class TestExportFormats : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // One label per object: the reference rule in GZSI gives one object several classes;
    // the best stays, the others become its alternatives (best first, one per class), and
    // separate objects are left alone.
    void oneLabelPerObject() {
        std::vector<Instance> v = {square(0, 0, 10, 1, 0.5f), square(0, 0, 10, 0, 0.9f),
                                   square(1, 0, 10, 2, 0.7f), square(1, 1, 10, 2, 0.6f),
                                   square(30, 30, 10, 1, 0.4f)};
        v[0].className = "green cross";
        v[1].className = "green star";
        v[2].className = "red star";
        v[3].className = "red star";
        v[4].className = "green cross";
        keepOneLabelPerObject(v, 0.5);
        QCOMPARE(int(v.size()), 2);
        QCOMPARE(v[0].className, std::string("green star"));
        QCOMPARE(int(v[0].alternatives.size()), 2);
        QCOMPARE(v[0].alternatives[0].className, std::string("red star"));
        QCOMPARE(v[0].alternatives[0].score, 0.7f);  // the better of its two detections
        QCOMPARE(v[0].alternatives[1].className, std::string("green cross"));
        QCOMPARE(v[1].className, std::string("green cross"));  // a separate object
        QVERIFY(v[1].alternatives.empty());
        // The alternatives travel in the COCO annotation and come back from a document.
        const coco::Annotation a = annotationFromInstance(v[0], 50, 50, SegmentationForm::Rle);
        QVERIFY(a.extra.contains(kZsiAlternatives));
        QCOMPARE(a.extra[kZsiAlternatives][0]["class"].get<std::string>(), std::string("red star"));
        QCOMPARE(maskIou(square(0, 0, 10, 0, 1), square(5, 0, 10, 0, 1)), 50.0 / 150.0);
        QCOMPARE(maskIou(square(0, 0, 10, 0, 1), square(20, 0, 10, 0, 1)), 0.0);
    }

    void annotationFromInstanceRle() {
        const Instance inst = square(5, 7, 4, 2, 0.8f);
        const coco::Annotation a = annotationFromInstance(inst, 30, 40, SegmentationForm::Rle);
        QCOMPARE(a.area, 16.0);
        QCOMPARE(a.bbox, (BoxXywh{5, 7, 4, 4}));
        QCOMPARE(*a.score, double(0.8f));
        QVERIFY(!a.iscrowd);
        const auto& c = std::get<coco::CompressedRle>(a.segmentation);
        const Rle r = rle::fromString(c.counts, c.height, c.width);
        QCOMPARE(r, rle::encodeCropped(inst.mask, {5, 7}, 30, 40));
        QCOMPARE(coco::extraString(a.extra, coco::kZsiSource), std::string("model"));
        QCOMPARE(coco::extraString(a.extra, coco::kZsiReview), std::string("pending"));
    }

    void polygonOfASquareIsCloseAndHasNoHoles() {
        const Instance inst = square(5, 7, 10, 0, 0.5f);
        MaskPolygons loss;
        const coco::Annotation a =
            annotationFromInstance(inst, 30, 40, SegmentationForm::Polygon, &loss);
        const auto& p = std::get<coco::Polygons>(a.segmentation);
        QCOMPARE(p.rings.size(), size_t(1));
        QCOMPARE(loss.holes, 0);
        QVERIFY(!a.extra.contains(kZsiPolygonHoles));
        // Rasterised back by pycocotools' rules, only the boundary may differ.
        QVERIFY2(loss.changedPixels <= 4 * 10, std::to_string(loss.changedPixels).c_str());
        QCOMPARE(a.area, 100.0);  // the mask's own pixel count
    }

    void polygonSaysWhatAHoleCosts() {
        MaskPolygons loss;
        const coco::Annotation a =
            annotationFromInstance(donut(), 50, 50, SegmentationForm::Polygon, &loss);
        QCOMPARE(loss.holes, 1);
        QVERIFY(loss.changedPixels >= 64);  // at least the hole was filled in
        QCOMPARE(a.extra[kZsiPolygonHoles].get<int>(), 1);
        QCOMPARE(a.extra[kZsiPolygonChangedPixels].get<long long>(), loss.changedPixels);
    }

    void onePixelMaskGivesAValidRing() {
        Instance inst = square(3, 4, 1, 0, 0.5f);
        const MaskPolygons p = maskToPolygons(inst.mask, {3, 4}, 10, 10);
        QCOMPARE(p.rings.size(), size_t(1));
        QVERIFY(p.rings[0].size() >= 6);
        QCOMPARE(rle::area(rle::fromPolygons(p.rings, 10, 10)), uint64_t(1));
    }

    void pngMapsLetTheHigherScoreWin() {
        const std::vector<Instance> inst = {square(0, 0, 4, 0, 0.9f), square(2, 2, 4, 1, 0.5f)};
        const cv::Mat ids = instanceIdMap(inst, 8, 8);
        QCOMPARE(ids.type(), CV_16U);
        QCOMPARE(ids.at<uint16_t>(3, 3), uint16_t(1));  // overlap: first (higher score)
        QCOMPARE(ids.at<uint16_t>(5, 5), uint16_t(2));
        QCOMPARE(ids.at<uint16_t>(7, 0), uint16_t(0));
        const cv::Mat cls = classIdMap(inst, {7, 300}, 8, 8);
        QCOMPARE(cls.at<uint16_t>(0, 0), uint16_t(7));
        QCOMPARE(cls.at<uint16_t>(5, 5), uint16_t(300));
    }

    void yoloLinesAreNormalised() {
        const std::string text =
            yoloSegmentationText({square(10, 20, 10, 0, 0.9f), donut()}, {4, 1}, 100, 200);
        std::istringstream in(text);
        std::string line;
        int lines = 0;
        while (std::getline(in, line)) {
            std::istringstream ls(line);
            int cls = -1;
            ls >> cls;
            QCOMPARE(cls, lines == 0 ? 4 : 1);
            double v;
            int n = 0;
            while (ls >> v) {
                QVERIFY(v >= 0.0 && v <= 1.0);
                ++n;
            }
            QVERIFY(n >= 6 && n % 2 == 0);
            ++lines;
        }
        QCOMPARE(lines, 2);
        QVERIFY(text.starts_with("4 0.0"));  // x = 10 / 200 ≈ 0.05
    }

    void parsesFormatNames() {
        QVERIFY(parseExportFormat("yolo") == ExportFormat::Yolo);
        QVERIFY(parseSegmentationForm("polygon") == SegmentationForm::Polygon);
        test::expectError(ErrorCode::InvalidArgument, [] { parseExportFormat("voc"); });
    }

    void streamWriterEqualsDatasetWriter() {
        const coco::Dataset d = part({{1, "a.png"}, {2, "b.png"}}, 2);
        std::ostringstream os;
        coco::InstancesStreamWriter w(os, d.info, d.licenses);
        for (const auto& im : d.images) w.image(im);
        for (const auto& c : d.categories) w.category(c);
        for (const auto& a : d.annotations) w.annotation(a);
        w.finish();
        QCOMPARE(os.str(), coco::instancesToString(d));
        // Out of order is refused rather than writing invalid JSON.
        std::ostringstream bad;
        coco::InstancesStreamWriter w2(bad, nullptr, nullptr);
        w2.annotation(d.annotations[0]);
        test::expectError(ErrorCode::InvalidArgument, [&] { w2.image(d.images[0]); });
    }
};
ZSI_TEST_SUITE(TestExportFormats)

class TestCocoMerge : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shardsKeepTheirGlobalIds() {
        // Shard 1 has images 1 and 3, shard 2 image 2 (ids are global indices).
        coco::Dataset a = part({{1, "a.png"}, {3, "c.png"}}, 2);
        coco::Dataset b = part({{2, "b.png"}}, 3);
        coco::MergeReport rep;
        const coco::Dataset m = coco::mergeInstances({a, b}, {"a.json", "b.json"}, &rep);
        QVERIFY(!rep.imageIdsRenumbered);
        QVERIFY(!rep.categoryIdsRenumbered);
        QCOMPARE(m.images.size(), size_t(3));
        QCOMPARE(m.images[1].fileName, std::string("b.png"));
        QCOMPARE(m.images[1].id, int64_t(2));
        QCOMPARE(m.annotations.size(), size_t(7));
        // Annotation ids 1.. in image order: image 1's two, image 2's three, image 3's two.
        for (size_t i = 0; i < m.annotations.size(); ++i)
            QCOMPARE(m.annotations[i].id, int64_t(i + 1));
        QCOMPARE(m.annotations[2].imageId, int64_t(2));
        QCOMPARE(m.annotations[5].imageId, int64_t(3));
        QCOMPARE(m.info["zsi_merged_from"].size(), size_t(2));
    }

    void clashingIdsAreRenumberedByFileName() {
        coco::Dataset a = part({{1, "z.png"}}, 1);
        coco::Dataset b = part({{1, "m.png"}}, 1);
        std::swap(b.categories[0].id, b.categories[1].id);  // other category numbering
        for (auto& ann : b.annotations) ann.categoryId = ann.categoryId == 1 ? 2 : 1;
        coco::MergeReport rep;
        const coco::Dataset m = coco::mergeInstances({a, b}, {"a", "b"}, &rep);
        QVERIFY(rep.imageIdsRenumbered);
        QCOMPARE(m.images[0].fileName, std::string("m.png"));
        QCOMPARE(m.images[0].id, int64_t(1));
        QVERIFY(rep.categoryIdsRenumbered);
        // b's annotation was "red heart" whatever its old id; it still is.
        const auto* cat = m.findCategory(m.annotations[0].categoryId);
        QCOMPARE(cat->name, std::string("red heart"));
    }

    void refusesOverlapAndForeignParts() {
        coco::Dataset a = part({{1, "a.png"}}, 1);
        const Error dup = test::expectError(ErrorCode::InvalidArgument, [&] {
            coco::mergeInstances({a, a}, {"x", "y"});
        });
        QVERIFY(std::string(dup.what()).find("a.png") != std::string::npos);
        coco::Dataset b = part({{2, "b.png"}}, 1);
        b.info["zsi"]["model_sha256"] = "other";
        const Error foreign = test::expectError(ErrorCode::InvalidArgument, [&] {
            coco::mergeInstances({a, b}, {"x", "y"});
        });
        QCOMPARE(foreign.arg("name"), std::string("model_sha256"));
    }
};
ZSI_TEST_SUITE(TestCocoMerge)

class TestDatasetExport : public QObject {
    Q_OBJECT

    // Two images; on the first a polygon (accepted), an RLE square (rejected) and a human
    // box; the second has one pending RLE annotation.
    static coco::Dataset reviewed() {
        coco::Dataset d;
        d.info = {{"description", "review"}};
        d.images = {{1, "a/one.jpg", 40, 30, {}}, {2, "two.png", 20, 20, {}}};
        d.categories = {{1, "red heart", "", {{kZsiKind, "seen"}}},
                        {2, "yellow ring", "", {{kZsiKind, "unseen"}}}};
        auto ann = [](int64_t id, int64_t image, int64_t cat, coco::Segmentation seg,
                      const char* source, const char* review) {
            coco::Annotation a;
            a.id = id, a.imageId = image, a.categoryId = cat, a.segmentation = std::move(seg);
            a.score = 0.5;
            a.extra[coco::kZsiSource] = source;
            a.extra[coco::kZsiReview] = review;
            return a;
        };
        cv::Mat sq = cv::Mat::zeros(30, 40, CV_8U);
        sq(cv::Rect(20, 5, 6, 6)).setTo(1);
        cv::Mat sq2 = cv::Mat::zeros(20, 20, CV_8U);
        sq2(cv::Rect(2, 2, 5, 5)).setTo(1);
        d.annotations = {
            ann(1, 1, 2, coco::Polygons{{{2, 2, 12, 2, 12, 12, 2, 12}}}, "model", "accepted"),
            ann(2, 1, 1, coco::toCompressed(rle::encode(sq)), "model", "rejected"),
            ann(3, 1, 1, coco::Polygons{{{30, 20, 36, 20, 36, 26, 30, 26}}}, "human", "accepted"),
            ann(4, 2, 2, coco::toCompressed(rle::encode(sq2)), "model", "pending")};
        return d;
    }

private Q_SLOTS:
    void instancesLeaveRejectedOutAndBecomeRle() {
        QTemporaryDir dir;
        const std::filesystem::path out =
            std::filesystem::path(dir.path().toStdString()) / "x.json";
        const DatasetExportReport r = exportDataset(reviewed(), out, {});
        QCOMPARE(r.annotations, size_t(3));
        QCOMPARE(r.leftOut, size_t(1));
        const coco::Dataset back = coco::readInstances(out);
        QCOMPARE(back.annotations.size(), size_t(3));
        for (const auto& a : back.annotations)
            QVERIFY(std::holds_alternative<coco::CompressedRle>(a.segmentation));
        QCOMPARE(coco::extraString(back.annotations[1].extra, coco::kZsiSource),
                 std::string("human"));
        QCOMPARE(back.categories[1].name, std::string("yellow ring"));
    }

    // Progress after every image; a cancel stops with Error(Cancelled) and writes no file.
    void progressAndCancel() {
        QTemporaryDir dir;
        const std::filesystem::path out =
            std::filesystem::path(dir.path().toStdString()) / "x.json";
        const coco::Dataset d = reviewed();
        std::vector<size_t> seen;
        DatasetExportCallbacks cb;
        cb.progress = [&](size_t done, size_t total) {
            QCOMPARE(total, d.images.size());
            seen.push_back(done);
        };
        exportDataset(d, out, {}, cb);
        QCOMPARE(seen.size(), d.images.size());
        QCOMPARE(seen.back(), d.images.size());
        std::filesystem::remove(out);
        std::atomic<bool> cancel{false};
        cb.cancel = &cancel;
        cb.progress = [&](size_t, size_t) { cancel = true; };
        zsi::test::expectError(ErrorCode::Cancelled, [&] { exportDataset(d, out, {}, cb); });
        QVERIFY(!std::filesystem::exists(out));
    }

    void onlyAcceptedKeepsHumanAndAccepted() {
        QTemporaryDir dir;
        const std::filesystem::path out =
            std::filesystem::path(dir.path().toStdString()) / "r.json";
        DatasetExportOptions o;
        o.format = ExportFormat::Results;
        o.onlyAccepted = true;
        const DatasetExportReport r = exportDataset(reviewed(), out, o);
        QCOMPARE(r.annotations, size_t(2));
        const auto dets = coco::readResults(out);
        QCOMPARE(dets.size(), size_t(2));
        QCOMPARE(rle::area(*dets[0].mask),
                 rle::area(rle::fromPolygons({{2, 2, 12, 2, 12, 12, 2, 12}}, 30, 40)));
    }

    void pngAndYoloFromTheDocument() {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        DatasetExportOptions o;
        o.format = ExportFormat::Png;
        exportDataset(reviewed(), root / "png", o);
        const cv::Mat cls =
            cv::imread((root / "png" / "a" / "one.classes.png").string(), cv::IMREAD_UNCHANGED);
        QCOMPARE(cls.type(), CV_16U);
        QCOMPARE(cls.at<uint16_t>(7, 7), uint16_t(2));   // inside the accepted polygon: yellow ring
        QCOMPARE(cls.at<uint16_t>(7, 22), uint16_t(0));  // the rejected square is not there
        QCOMPARE(cls.at<uint16_t>(23, 33), uint16_t(1));
        o.format = ExportFormat::Yolo;
        exportDataset(reviewed(), root / "yolo", o);
        const std::string two = readFileBytes(root / "yolo" / "labels" / "two.txt");
        QVERIFY(two.starts_with("1 "));
        QCOMPARE(readFileBytes(root / "yolo" / "classes.txt"),
                 std::string("red heart\nyellow ring\n"));
    }

    void polygonExportOfAHoleIsReported() {
        coco::Dataset d = reviewed();
        cv::Mat ring = cv::Mat::zeros(20, 20, CV_8U);
        ring(cv::Rect(2, 2, 12, 12)).setTo(1);
        ring(cv::Rect(5, 5, 5, 5)).setTo(0);
        d.annotations[3].segmentation = coco::toCompressed(rle::encode(ring));
        QTemporaryDir dir;
        DatasetExportOptions o;
        o.segmentation = SegmentationForm::Polygon;
        const DatasetExportReport r =
            exportDataset(d, std::filesystem::path(dir.path().toStdString()) / "p.json", o);
        QCOMPARE(r.polygonsWithHoles, size_t(1));
        QVERIFY(r.polygonChangedPixels >= 25);
    }
};
ZSI_TEST_SUITE(TestDatasetExport)

#include "test_export_formats.moc"
