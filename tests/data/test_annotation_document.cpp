// The app's document: save -> reopen keeps review fields, vocabulary and settings; a model
// run replaces only pending model annotations; mask editing; autosave and recovery.
#include "data/annotation_document.h"
#include "data/coco_io.h"
#include "data/rle.h"
#include "util/error.h"

#include "instance_support.h"
#include "test_registry.h"

#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace zsi;
namespace fs = std::filesystem;

// The review enums compare through their file spelling (their toString clashes with QTest's).
#define QCOMPARE_STATE(a, b) QCOMPARE(zsi::toString(a), zsi::toString(b))

namespace {

Instance square(int x, int y, int size, const std::string& name, ClassKind kind, float score) {
    Instance inst = test::squareInstance(x, y, size, score);
    inst.className = name;
    inst.classKind = kind;
    return inst;
}

fs::path tempPath(const QTemporaryDir& dir, const char* name) {
    return fs::path(dir.path().toStdString()) / name;
}

// A document with one image and three predictions: two seen "cat", one unseen "red heart".
AnnotationDocument sample() {
    AnnotationDocument doc;
    doc.setClasses({"cat", "dog", "red heart"},
                   {ClassKind::Seen, ClassKind::Seen, ClassKind::Unseen});
    doc.setModelPredictions("a/one.jpg", 64, 48,
                            {square(2, 2, 10, "cat", ClassKind::Seen, 0.9f),
                             square(30, 5, 8, "red heart", ClassKind::Unseen, 0.6f),
                             square(40, 30, 6, "cat", ClassKind::Seen, 0.3f)});
    SessionSettings s;
    s.model = "tiny";
    s.modelSha256 = "abc123";
    s.embeddings = "vectors.vec";
    // Every inference setting away from its default: a reopened session restores them all.
    s.inference.mode = InferenceMode::Gzsi;
    s.inference.scoring = ScoringRule::Direct;
    s.inference.boxRule = BoxRegressionRule::PWeighted;
    s.inference.scoreThreshold = 0.25;
    s.inference.nmsIou = 0.55;
    s.inference.maxDetections = 33;
    s.inference.maskThreshold = 0.4;
    s.inference.syncBackground = false;
    s.inference.maskSync.gzsi = false;
    s.inference.background = BackgroundChoice::Zero;
    s.inference.oneLabelPerObject = true;
    s.inference.oneLabelMaskIou = 0.65;
    s.unseenClasses = {"red heart|crimson heart", "purple star"};
    s.imageRoot = "images";
    doc.setSettings(s);
    return doc;
}

}  // namespace

class TestAnnotationDocument : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void categoriesAndPredictions() {
        AnnotationDocument doc = sample();
        QCOMPARE(doc.categories().size(), size_t(3));
        QCOMPARE(doc.categoryId("cat"), int64_t(1));
        QCOMPARE(doc.categoryId("red heart"), int64_t(3));
        QCOMPARE(doc.categoryKind(3), ClassKind::Unseen);
        // A new unseen class is appended after the existing ones.
        QCOMPARE(doc.ensureCategory("purple star", ClassKind::Unseen), int64_t(4));
        QCOMPARE(doc.ensureCategory("cat", ClassKind::Seen), int64_t(1));
        const int64_t img = doc.findImage("a/one.jpg");
        QCOMPARE(img, int64_t(1));
        QCOMPARE_STATE(doc.imageStatus(img), ImageStatus::Predicted);
        const auto& anns = doc.annotations(img);
        QCOMPARE(anns.size(), size_t(3));
        QCOMPARE(anns[0].id, int64_t(1));
        QCOMPARE(anns[0].area, 100.0);
        QCOMPARE(anns[1].categoryId, int64_t(3));
        QCOMPARE_STATE(doc.source(anns[0].id), AnnotationSource::Model);
        QCOMPARE_STATE(doc.review(anns[0].id), ReviewState::Pending);
        QVERIFY(doc.isDirty());
    }

    void saveReopenRoundTrip() {
        QTemporaryDir dir;
        AnnotationDocument doc = sample();
        const int64_t img = doc.findImage("a/one.jpg");
        const auto ids = doc.annotations(img);
        doc.setReview(ids[0].id, ReviewState::Accepted);
        doc.setReview(ids[1].id, ReviewState::Rejected);
        doc.setCategory(ids[2].id, doc.categoryId("dog"));
        const int64_t h =
            doc.addAnnotation(img, doc.humanPolygon(img, 3, {50, 2, 60, 2, 60, 12, 50, 12}));
        const int64_t img2 = doc.addImage("b/two.png", 20, 10);
        const fs::path p = tempPath(dir, "review.json");
        doc.save(p);
        QVERIFY(!doc.isDirty());

        const AnnotationDocument back = AnnotationDocument::open(p);
        QCOMPARE(back.images().size(), size_t(2));
        QCOMPARE_STATE(back.imageStatus(img), ImageStatus::Predicted);  // ids[2] still pending
        QCOMPARE_STATE(back.imageStatus(img2), ImageStatus::NotRun);
        QCOMPARE_STATE(back.review(ids[0].id), ReviewState::Accepted);
        QCOMPARE_STATE(back.review(ids[1].id), ReviewState::Rejected);
        QCOMPARE_STATE(back.review(ids[2].id), ReviewState::Pending);
        QCOMPARE(back.annotation(ids[2].id)->categoryId, doc.categoryId("dog"));
        QCOMPARE_STATE(back.source(h), AnnotationSource::Human);
        QCOMPARE_STATE(back.review(h), ReviewState::Accepted);
        QVERIFY(!back.annotation(h)->score.has_value());
        QCOMPARE(*back.annotation(ids[0].id)->score, double(0.9f));
        QCOMPARE(back.categoryKind(3), ClassKind::Unseen);
        QCOMPARE(back.categoryKind(1), ClassKind::Seen);
        // Masks are identical.
        for (const auto& a : doc.annotations(img)) {
            const auto m0 = doc.mask(a.id), m1 = back.mask(a.id);
            QCOMPARE(m0.origin, m1.origin);
            QCOMPARE(cv::countNonZero(m0.mask != m1.mask), 0);
        }
        const SessionSettings& s = back.settings();
        QCOMPARE(s.model, std::string("tiny"));
        QCOMPARE(s.modelSha256, std::string("abc123"));
        QCOMPARE(s.embeddings, std::string("vectors.vec"));
        QVERIFY(s.inference == doc.settings().inference);
        QVERIFY(!(s.inference == InferenceSettings{}));
        QCOMPARE(s.unseenClasses,
                 (std::vector<std::string>{"red heart|crimson heart", "purple star"}));
        QCOMPARE(back.imageRootPath(), p.parent_path() / "images");
        // The file is plain COCO for other tools, with the review keys as extras.
        const coco::Dataset raw = coco::readInstances(p);
        QCOMPARE(raw.annotations.size(), size_t(4));
        QCOMPARE(coco::extraString(raw.annotations[1].extra, coco::kZsiReview),
                 std::string("rejected"));
        QCOMPARE(raw.info["zsi"]["unseen_classes"][0].get<std::string>(),
                 std::string("red heart|crimson heart"));
        // New annotations after reopening never reuse an id.
        AnnotationDocument again = AnnotationDocument::open(p);
        QVERIFY(again.addAnnotation(img2, again.humanBox(img2, 1, {1, 1, 3, 3})) > h);
    }

    // Documents written before the settings moved into info.zsi.inference keep theirs; a
    // malformed settings object is a clear error naming the field.
    void sessionSettingsOfOlderAndBrokenFiles() {
        QTemporaryDir dir;
        const fs::path p = tempPath(dir, "old.json");
        auto write = [&](const std::string& zsi) {
            std::ofstream(p) << R"({"info": {"zsi": )" << zsi
                             << R"(}, "images": [], "annotations": [], "categories": []})";
        };
        write(R"({"mode": "gzsi", "scoring": "direct", "score_threshold": 0.3,
                  "mask_threshold": 0.6, "unseen_classes": ["cow"]})");
        const AnnotationDocument old = AnnotationDocument::open(p);
        QVERIFY(old.hasSessionSettings());
        const SessionSettings s = old.settings();
        QVERIFY(s.inference.mode == InferenceMode::Gzsi);
        QVERIFY(s.inference.scoring == ScoringRule::Direct);
        QCOMPARE(s.inference.scoreThreshold, 0.3);
        QCOMPARE(s.inference.maskThreshold, 0.6);
        QCOMPARE(s.unseenClasses, std::vector<std::string>{"cow"});
        // A COCO file of another tool has no session settings.
        std::ofstream(p) << R"({"images": [], "annotations": [], "categories": []})";
        QVERIFY(!AnnotationDocument::open(p).hasSessionSettings());
        write(R"({"inference": {"mode": "everything"}})");
        try {
            AnnotationDocument::open(p);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::JsonSchema);
            QCOMPARE(QString::fromStdString(e.arg("field")),
                     QStringLiteral("info.zsi.inference.mode"));
        }
    }

    void predictionsReplaceOnlyPendingModelAnnotations() {
        AnnotationDocument doc = sample();
        const int64_t img = doc.findImage("a/one.jpg");
        const auto before = doc.annotations(img);
        doc.setReview(before[0].id, ReviewState::Accepted);  // kept
        const int64_t human = doc.addAnnotation(img, doc.humanBox(img, 2, {50, 30, 5, 5}));
        // before[1] and before[2] are still pending model annotations: replaced.
        const PredictionMerge m = doc.setModelPredictions(
            "a/one.jpg", 64, 48,
            {square(2, 2, 10, "cat", ClassKind::Seen, 0.95f),  // duplicates the accepted one
             square(20, 20, 5, "purple star", ClassKind::Unseen, 0.7f)});  // new class, appended
        QCOMPARE(m.replaced, 2);
        QCOMPARE(m.kept, 2);
        QCOMPARE(m.dropped, 1);
        QCOMPARE(m.added, 1);
        QCOMPARE(m.annotationIds.size(), size_t(2));
        QCOMPARE(m.annotationIds[0], int64_t(0));
        const auto& after = doc.annotations(img);
        QCOMPARE(after.size(), size_t(3));
        QCOMPARE(after[0].id, before[0].id);
        QCOMPARE(after[1].id, human);
        QVERIFY(after[2].id > human);
        QVERIFY(doc.annotation(before[1].id) == nullptr);
        QCOMPARE(doc.categoryId("purple star"), int64_t(4));
        QCOMPARE(after[2].categoryId, int64_t(4));
        QCOMPARE_STATE(doc.review(after[2].id), ReviewState::Pending);
        QCOMPARE_STATE(doc.imageStatus(img), ImageStatus::Predicted);
        doc.setReview(after[2].id, ReviewState::Rejected);
        QCOMPARE_STATE(doc.imageStatus(img), ImageStatus::Reviewed);
        QCOMPARE(doc.nextUnreviewed(), int64_t(0));
    }

    void maskRegionEditing() {
        AnnotationDocument doc = sample();
        const int64_t img = doc.findImage("a/one.jpg");
        const int64_t id = doc.annotations(img)[0].id;  // 10x10 square at (2, 2)
        const cv::Rect region(8, 8, 8, 4);              // overlaps the square, grows it
        cv::Mat v = cv::Mat::ones(region.size(), CV_8U);
        v.colRange(0, 2) = 0;  // erase x 8..9 of rows 8..11
        QVERIFY(doc.writeMaskRegion(id, region, v));
        const CroppedMask m = doc.mask(id);
        QCOMPARE(m.origin, cv::Point(2, 2));
        QCOMPARE(m.mask.cols, 14);                    // 2..15
        QCOMPARE(m.mask.rows, 10);                    // 2..11
        QCOMPARE(int(m.mask.at<uint8_t>(7, 6)), 0);   // (8, 9) erased
        QCOMPARE(int(m.mask.at<uint8_t>(9, 13)), 1);  // (15, 11) painted
        QCOMPARE(int(m.mask.at<uint8_t>(5, 13)), 0);  // (15, 7) outside the region
        QCOMPARE(doc.annotation(id)->area, double(cv::countNonZero(m.mask)));
        QCOMPARE(doc.annotation(id)->bbox, (BoxXywh{2, 2, 14, 10}));
        const cv::Mat r = doc.maskRegion(id, region);
        QCOMPARE(cv::countNonZero(r != v), 0);
        // Clipped to the image.
        QCOMPARE(doc.maskRegion(id, cv::Rect(60, 40, 10, 10)).size(), cv::Size(4, 8));
    }

    void strokeRasterisation() {
        const CroppedMask s =
            rasterizeStroke({{10.5f, 10.5f}, {20.5f, 10.5f}}, 2.f, cv::Rect(0, 0, 64, 48));
        QCOMPARE(s.origin, cv::Point(8, 8));
        QCOMPARE(s.mask.size(), cv::Size(15, 5));
        QCOMPARE(int(s.mask.at<uint8_t>(2, 0)), 1);
        // A stroke partly off the image is clipped; one wholly off it is empty.
        const CroppedMask c = rasterizeStroke({{1.f, 1.f}}, 3.f, cv::Rect(0, 0, 64, 48));
        QCOMPARE(c.origin, cv::Point(0, 0));
        QVERIFY(rasterizeStroke({{-50.f, -50.f}}, 3.f, cv::Rect(0, 0, 64, 48)).mask.empty());
    }

    void autosaveAndRecovery() {
        QTemporaryDir dir;
        const fs::path p = tempPath(dir, "doc.json");
        AnnotationDocument doc = sample();
        doc.save(p);
        QVERIFY(!AnnotationDocument::detectRecovery(p));
        const int64_t id = doc.annotations(1)[0].id;
        doc.setReview(id, ReviewState::Accepted);
        doc.saveAutosave();
        const fs::path a = AnnotationDocument::autosavePathFor(p);
        QVERIFY(fs::exists(a));
        // Make sure the autosave is strictly newer, whatever the file system's clock grain.
        fs::last_write_time(a, fs::last_write_time(p) + std::chrono::seconds(2));
        const auto found = AnnotationDocument::detectRecovery(p);
        QVERIFY(found.has_value());
        QCOMPARE(*found, a);
        // The document itself is unchanged by an autosave; recovery brings the edit back.
        QCOMPARE_STATE(AnnotationDocument::open(p).review(id), ReviewState::Pending);
        AnnotationDocument rec = AnnotationDocument::recover(p);
        QCOMPARE_STATE(rec.review(id), ReviewState::Accepted);
        QCOMPARE(rec.path(), p);
        QVERIFY(rec.isDirty());
        // An autosave older than the document is stale; saving removes it.
        fs::last_write_time(a, fs::last_write_time(p) - std::chrono::seconds(10));
        QVERIFY(!AnnotationDocument::detectRecovery(p));
        rec.save();
        QVERIFY(!fs::exists(a));
        QCOMPARE_STATE(AnnotationDocument::open(p).review(id), ReviewState::Accepted);
        // Unnamed documents need an explicit autosave target.
        AnnotationDocument unnamed;
        QVERIFY_THROWS_EXCEPTION(Error, unnamed.saveAutosave());
    }
};

ZSI_TEST_SUITE(TestAnnotationDocument)
#include "test_annotation_document.moc"
