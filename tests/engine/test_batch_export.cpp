// The batch exporter: ids and categories, skipped images, a killed job resumed gives what an
// uninterrupted one gives, shards + merge equal one run, PNG and YOLO outputs.
#include "engine/batch_export.h"
#include "engine/tiny_engine.h"

#include "data/coco_io.h"
#include "data/coco_merge.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include "test_support.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace zsi;
namespace fs = std::filesystem;

namespace {

// 7 images (one in a subfolder) and a corrupt one.
fs::path makeFolder(const fs::path& root) {
    const fs::path dir = root / "images";
    fs::create_directories(dir / "sub");
    cv::RNG rng(11);
    for (int i = 0; i < 7; ++i) {
        cv::Mat img(60 + 4 * i, 80, CV_8UC3);
        rng.fill(img, cv::RNG::UNIFORM, 0, 255);
        cv::rectangle(img, cv::Rect(10 + i, 12, 25, 20), cv::Scalar(20, 20, 240), cv::FILLED);
        const fs::path p =
            i == 6 ? dir / "sub" / "img6.png" : dir / ("img" + std::to_string(i) + ".png");
        cv::imwrite(p.string(), img);
    }
    writeFileAtomic(dir / "broken.jpg", std::string("\xff\xd8\xff\xe0 not really a jpeg", 24));
    writeFileAtomic(dir / "notes.txt", "not an image");
    return dir;
}

ScoringRequest request(Engine& e) {
    ScoringRequest r = e.defaultRequest();
    r.addUnseen("purple heart", test::basis(4, 6));
    r.addUnseen("yellow ring", test::basis(5, 6));
    return r;
}

// Everything but info (which has the creation time).
std::string withoutInfo(const fs::path& p) {
    coco::Dataset d = coco::readInstances(p);
    d.info = nullptr;
    return coco::instancesToString(d);
}

struct Crash : std::runtime_error {
    Crash() : std::runtime_error("simulated crash") {}
};

}  // namespace

class TestBatchExport : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    fs::path root_, images_;
    std::unique_ptr<Engine> engine_;

    ExportJob job(const std::string& out) const {
        ExportJob j;
        j.imagesDir = images_;
        j.out = root_ / out;
        return j;
    }

private Q_SLOTS:
    void initTestCase() {
        at::set_num_threads(1);
        root_ = tmp_.path().toStdString();
        images_ = makeFolder(root_);
        engine_ = test::tinyEngine();
    }

    void listsImagesRecursivelyInOrder() {
        const auto files = listImageFiles(images_);
        QCOMPARE(files.size(), size_t(8));  // 7 + broken.jpg (by name); notes.txt is not an image
        QCOMPARE(files.front().generic_string(), std::string("broken.jpg"));
        QCOMPARE(files.back().generic_string(), std::string("sub/img6.png"));
    }

    void instancesHaveIdsCategoriesAndReviewFields() {
        const ExportSummary s = runExport(*engine_, request(*engine_), job("full.json"));
        QVERIFY(!s.cancelled);
        QCOMPARE(s.processed, size_t(8));
        QCOMPARE(s.skipped.size(), size_t(1));
        QCOMPARE(s.skipped[0].file, std::string("broken.jpg"));
        QVERIFY(!s.skipped[0].reason.empty());
        QVERIFY(!fs::exists(exportJournalPath(job("full.json"))));  // removed when done

        const coco::Dataset d = coco::readInstances(root_ / "full.json");
        QCOMPARE(d.images.size(), size_t(7));
        QCOMPARE(d.images[0].id, int64_t(2));  // ids follow the sorted list; broken.jpg was 1
        QCOMPARE(d.images[0].fileName, std::string("img0.png"));
        QCOMPARE(d.images.back().fileName, std::string("sub/img6.png"));
        QCOMPARE(coco::extraString(d.images[0].extra, coco::kZsiStatus), std::string("predicted"));
        QCOMPARE(d.categories.size(), size_t(5));
        QCOMPARE(d.categories[0].id, int64_t(1));
        QCOMPARE(d.categories[0].name, std::string("red circle"));
        QCOMPARE(d.categories[3].name, std::string("purple heart"));
        QCOMPARE(coco::extraString(d.categories[3].extra, kZsiKind), std::string("unseen"));
        QCOMPARE(coco::extraString(d.categories[0].extra, kZsiKind), std::string("seen"));
        QVERIFY(!d.annotations.empty());
        QCOMPARE(d.annotations[0].id, int64_t(1));
        size_t total = 0;
        for (const auto& [name, n] : s.instancesPerClass) total += n;
        QCOMPARE(total, d.annotations.size());
        for (const auto& a : d.annotations) {
            QVERIFY(a.score.has_value());
            QVERIFY(std::holds_alternative<coco::CompressedRle>(a.segmentation));
            const auto& c = std::get<coco::CompressedRle>(a.segmentation);
            QCOMPARE(a.area, double(rle::area(rle::fromString(c.counts, c.height, c.width))));
            QCOMPARE(coco::extraString(a.extra, coco::kZsiSource), std::string("model"));
            QCOMPARE(coco::extraString(a.extra, coco::kZsiReview), std::string("pending"));
            // zsi mode: only unseen classes are reported.
            QVERIFY(a.categoryId == 4 || a.categoryId == 5);
        }
        QCOMPARE(d.info["zsi"]["unseen_classes"].size(), size_t(2));
        QCOMPARE(d.info["zsi"]["model_sha256"].get<std::string>(), std::string("0123"));
    }

    void killedAndResumedEqualsUninterrupted() {
        // A "crash" after three images: the exception leaves the journal, no output.
        ExportCallbacks crash;
        int seen = 0;
        crash.progress = [&](const ExportProgress&) {
            if (++seen == 3) throw Crash();
        };
        QVERIFY_THROWS_EXCEPTION(
            Crash, runExport(*engine_, request(*engine_), job("resumed.json"), crash));
        const fs::path journal = exportJournalPath(job("resumed.json"));
        QVERIFY(fs::exists(journal));
        QVERIFY(!fs::exists(root_ / "resumed.json"));
        // ... and the kill came in the middle of writing a line.
        { std::ofstream(journal, std::ios::app) << "{\"i\": 6, \"file\": \"img5.pn"; }

        // Without --resume the journal is not thrown away.
        test::expectError(ErrorCode::InvalidArgument,
                          [&] { runExport(*engine_, request(*engine_), job("resumed.json")); });
        // Another job (other classes) may not continue it.
        ExportJob again = job("resumed.json");
        again.resume = true;
        ScoringRequest other = engine_->defaultRequest();
        other.addUnseen("purple heart", test::basis(4, 6));
        test::expectError(ErrorCode::InvalidArgument, [&] { runExport(*engine_, other, again); });

        const ExportSummary s = runExport(*engine_, request(*engine_), again);
        QVERIFY(s.resumed >= 3);
        QCOMPARE(s.resumed + s.processed, size_t(8));
        QCOMPARE(withoutInfo(root_ / "resumed.json"), withoutInfo(root_ / "full.json"));
    }

    void cancelKeepsTheJournal() {
        std::atomic<bool> cancel{false};
        ExportCallbacks cb;
        cb.cancel = &cancel;
        cb.progress = [&](const ExportProgress& p) {
            if (p.done == 2) cancel = true;
        };
        const ExportSummary s = runExport(*engine_, request(*engine_), job("cancelled.json"), cb);
        QVERIFY(s.cancelled);
        QVERIFY(fs::exists(s.journal));
        ExportJob again = job("cancelled.json");
        again.resume = true;
        runExport(*engine_, request(*engine_), again);
        QCOMPARE(withoutInfo(root_ / "cancelled.json"), withoutInfo(root_ / "full.json"));
    }

    // The per-image callback sees every image once; after an interruption the images the
    // first run finished come back from the journal with the same classes, scores, boxes and
    // masks as a live run, before the new ones; `between` runs after each new image.
    void imageCallbackAndReplayOfTheJournal() {
        struct Seen {
            std::string file;
            bool resumed;
            std::vector<std::string> classes;
            std::vector<float> scores;
            std::vector<int> areas;
            std::vector<BoxXywh> boxes;  // as the COCO annotation has it (from the mask)
        };
        auto record = [](std::vector<Seen>& out) {
            return [&out](const ExportedImage& e) {
                Seen s{e.file.generic_string(), e.resumed, {}, {}, {}, {}};
                if (e.instances)
                    for (const Instance& i : *e.instances) {
                        s.classes.push_back(i.className);
                        s.scores.push_back(i.score);
                        s.areas.push_back(i.area());
                        s.boxes.push_back(
                            annotationFromInstance(i, e.height, e.width, SegmentationForm::Rle)
                                .bbox);
                    }
                else
                    QVERIFY(!e.error.empty());
                out.push_back(std::move(s));
            };
        };
        std::vector<Seen> live;
        ExportCallbacks all;
        all.image = record(live);
        int betweens = 0;
        all.between = [&] { ++betweens; };
        runExport(*engine_, request(*engine_), job("callback-full.json"), all);
        QCOMPARE(live.size(), size_t(8));
        QCOMPARE(betweens, 8);
        QCOMPARE(live[0].file, std::string("broken.jpg"));

        std::atomic<bool> cancel{false};
        std::vector<Seen> first, second;
        ExportCallbacks cb;
        cb.cancel = &cancel;
        cb.image = record(first);
        cb.progress = [&](const ExportProgress& p) {
            if (p.done == 3) cancel = true;
        };
        ExportJob j = job("callback.json");
        QVERIFY(runExport(*engine_, request(*engine_), j, cb).cancelled);
        QCOMPARE(first.size(), size_t(3));
        j.resume = true;
        cb = {};
        cb.image = record(second);
        cb.replayResumed = true;
        runExport(*engine_, request(*engine_), j, cb);
        QCOMPARE(second.size(), size_t(8));
        for (size_t i = 0; i < second.size(); ++i) {
            QCOMPARE(second[i].resumed, i < 3);
            QCOMPARE(second[i].file, live[i].file);
            QCOMPARE(second[i].classes, live[i].classes);
            QCOMPARE(second[i].scores, live[i].scores);
            QCOMPARE(second[i].areas, live[i].areas);
            QCOMPARE(second[i].boxes, live[i].boxes);
        }
    }

    void strictStopsAtTheCorruptImage() {
        ExportJob j = job("strict.json");
        j.strict = true;
        const Error e = test::expectError(ErrorCode::ImageDecodeFailed,
                                          [&] { runExport(*engine_, request(*engine_), j); });
        QVERIFY(std::string(e.what()).find("broken.jpg") != std::string::npos);
    }

    void shardsMergedEqualOneRun() {
        std::vector<coco::Dataset> parts;
        for (int k = 0; k < 3; ++k) {
            ExportJob j = job("shard" + std::to_string(k) + ".json");
            j.shardIndex = k;
            j.shardCount = 3;
            const ExportSummary s = runExport(*engine_, request(*engine_), j);
            QCOMPARE(s.imagesInShard, size_t(k < 2 ? 3 : 2));
            parts.push_back(coco::readInstances(j.out));
        }
        coco::MergeReport rep;
        coco::Dataset merged = coco::mergeInstances(parts, {"0", "1", "2"}, &rep);
        QVERIFY(!rep.imageIdsRenumbered);
        merged.info = nullptr;
        QCOMPARE(coco::instancesToString(merged), withoutInfo(root_ / "full.json"));
    }

    void groundTruthGivesIdsAndResultsScoreAgainstIt() {
        coco::Dataset gt;
        gt.images = {{17, "img2.png", 80, 68, {}}, {5, "sub/img6.png", 80, 84, {}}};
        gt.categories = {{9, "yellow ring", "", {}}, {3, "cat", "", {}}};
        coco::writeInstances(root_ / "gt.json", gt);
        ExportJob j = job("results.json");
        j.format = ExportFormat::Results;
        j.groundTruth = root_ / "gt.json";
        const ExportSummary s = runExport(*engine_, request(*engine_), j);
        QCOMPARE(s.skipped.size(), size_t(6));  // broken.jpg and 5 images the GT does not have
        QVERIFY(std::find(s.classesNotInGroundTruth.begin(), s.classesNotInGroundTruth.end(),
                          "purple heart") != s.classesNotInGroundTruth.end());
        const auto dets = coco::readResults(j.out);
        QVERIFY(!dets.empty());
        for (const auto& d : dets) {
            QVERIFY(d.imageId == 17 || d.imageId == 5);
            // yellow ring keeps 9; the classes the GT lacks follow its largest id: red circle 10,
            // green square 11, blue star 12, purple heart 13.
            QVERIFY(d.categoryId == 9 || d.categoryId == 13);
            QVERIFY(d.mask.has_value());
        }
    }

    void pngAndYoloFolders() {
        ExportJob png = job("png");
        png.format = ExportFormat::Png;
        runExport(*engine_, request(*engine_), png);
        const cv::Mat ids = cv::imread((root_ / "png" / "sub" / "img6.instances.png").string(),
                                       cv::IMREAD_UNCHANGED);
        QCOMPARE(ids.type(), CV_16U);
        QCOMPARE(ids.rows, 84);
        QVERIFY(fs::exists(root_ / "png" / "img0.classes.png"));
        QVERIFY(fs::exists(root_ / "png" / "categories.json"));

        ExportJob yolo = job("yolo");
        yolo.format = ExportFormat::Yolo;
        runExport(*engine_, request(*engine_), yolo);
        QVERIFY(fs::exists(root_ / "yolo" / "labels" / "img0.txt"));
        QCOMPARE(readFileBytes(root_ / "yolo" / "classes.txt"),
                 std::string("red circle\ngreen square\nblue star\npurple heart\nyellow ring\n"));
        QVERIFY(readFileBytes(root_ / "yolo" / "data.yaml").find("4: \"yellow ring\"") !=
                std::string::npos);
    }

    void polygonExportReadsBack() {
        ExportJob j = job("poly.json");
        j.segmentation = SegmentationForm::Polygon;
        runExport(*engine_, request(*engine_), j);
        const coco::Dataset d = coco::readInstances(j.out);
        QVERIFY(!d.annotations.empty());
        for (const auto& a : d.annotations)
            QVERIFY(std::holds_alternative<coco::Polygons>(a.segmentation));
    }
};

QTEST_GUILESS_MAIN(TestBatchExport)
#include "test_batch_export.moc"
