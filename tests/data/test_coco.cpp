// COCO instances / results JSON and the split file: round trips that keep unknown fields,
// every segmentation form, errors that name the file, offset and field.
#include "data/coco_io.h"
#include "data/split.h"

#include "util/atomic_file.h"
#include "util/error.h"

#include <QTemporaryDir>
#include "test_registry.h"

#include <QtTest>

#include <filesystem>

using namespace zsi;
namespace fs = std::filesystem;

namespace {
const fs::path kFixture = fs::path(ZSI_FIXTURES_DIR) / "data" / "instances_small.json";

template <typename F>
Error expectError(F f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    return Error(ErrorCode::Unknown, "no error thrown");
}
}  // namespace

class TestCoco : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readFixture() {
        const coco::Dataset d = coco::readInstances(kFixture);
        QCOMPARE(d.images.size(), size_t(2));
        QCOMPARE(d.categories.size(), size_t(3));
        QCOMPARE(d.annotations.size(), size_t(4));
        QCOMPARE(d.info["year"].get<int>(), 2026);
        QCOMPARE(d.licenses.size(), size_t(1));
        QCOMPARE(d.extra["type"].get<std::string>(), std::string("instances"));
        QCOMPARE(d.images[0].fileName, std::string("a.png"));
        QCOMPARE(coco::extraString(d.images[0].extra, coco::kZsiStatus), std::string("reviewed"));
        QCOMPARE(coco::extraString(d.images[1].extra, coco::kZsiStatus, "not_run"),
                 std::string("not_run"));
        QCOMPARE(d.findCategory(7)->name, std::string("green star"));
        QCOMPARE(d.findCategory("blue circle")->extra["colour"][2].get<int>(), 255);

        const auto& a0 = d.annotations[0];
        QVERIFY(std::holds_alternative<coco::Polygons>(a0.segmentation));
        QCOMPARE(coco::extraString(a0.extra, coco::kZsiReview), std::string("accepted"));
        QCOMPARE(coco::extraString(a0.extra, coco::kZsiSource), std::string("human"));
        QCOMPARE(coco::toRle(a0.segmentation, 4, 4).counts,
                 (std::vector<uint32_t>{0, 2, 2, 2, 10}));
        const auto& a1 = d.annotations[1];
        QVERIFY(a1.iscrowd);
        QVERIFY(std::holds_alternative<coco::UncompressedRle>(a1.segmentation));
        const auto& a2 = d.annotations[2];
        QVERIFY(std::holds_alternative<coco::CompressedRle>(a2.segmentation));
        QCOMPARE(*a2.score, 0.75);
        // area and bbox were absent: filled from the mask.
        QCOMPARE(a2.area, 4.0);
        QCOMPARE(a2.bbox, (BoxXywh{0, 2, 1, 5}));
        QVERIFY(!d.annotations[3].iscrowd);
        QCOMPARE(d.annotations[3].bbox[0], 1.5);
    }

    void roundTripKeepsEverything() {
        const coco::Dataset d = coco::readInstances(kFixture);
        QTemporaryDir dir;
        const fs::path out = fs::path(dir.path().toStdString()) / "out.json";
        coco::writeInstances(out, d);
        const coco::Dataset e = coco::readInstances(out);
        // Writing the re-read dataset gives the same bytes: nothing was lost or reordered.
        QCOMPARE(coco::instancesToString(e), coco::instancesToString(d));
        QCOMPARE(readFileBytes(out), coco::instancesToString(d));
        QCOMPARE(e.images[0].extra["license"].get<int>(), 1);
        QCOMPARE(coco::extraString(e.annotations[2].extra, coco::kZsiReview),
                 std::string("pending"));
        QCOMPARE(e.extra["type"].get<std::string>(), std::string("instances"));
        QVERIFY(std::holds_alternative<coco::UncompressedRle>(e.annotations[1].segmentation));
        QCOMPARE(std::get<coco::CompressedRle>(e.annotations[2].segmentation).counts,
                 std::string("231N"));
    }

    void malformedJsonNamesOffset() {
        const Error e = expectError(
            [] { coco::parseInstances("{\"images\": [ {\"id\": 1,, } ]}", "bad.json"); });
        QCOMPARE(e.code(), ErrorCode::JsonMalformed);
        QCOMPARE(e.arg("path"), std::string("bad.json"));
        QVERIFY(e.arg("reason").find("at byte 22") != std::string::npos);
        QCOMPARE(expectError([] { coco::readInstances("/nonexistent/x.json"); }).code(),
                 ErrorCode::FileNotFound);
    }

    void schemaErrorsNameTheField() {
        Error e = expectError([] {
            coco::parseInstances(
                R"({"images": [], "annotations": [{"id": 1, "image_id": 1, "category_id": 1},
                                  {"id": 2, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3]}]})");
        });
        QCOMPARE(e.code(), ErrorCode::JsonSchema);
        QCOMPARE(e.arg("field"), std::string("annotations[1].bbox"));
        e = expectError([] { coco::parseInstances(R"({"images": [{"file_name": "x"}]})"); });
        QCOMPARE(e.arg("field"), std::string("images[0].id"));
        e = expectError([] { coco::parseInstances(R"({"images": {}})"); });
        QCOMPARE(e.arg("field"), std::string("images"));
        e = expectError([] { coco::parseInstances(R"([1, 2])"); });
        QCOMPARE(e.code(), ErrorCode::JsonSchema);
        e = expectError([] {
            coco::parseInstances(
                R"({"annotations": [{"id": 1, "image_id": 1, "category_id": "x"}]})");
        });
        QCOMPARE(e.arg("field"), std::string("annotations[0].category_id"));
        e = expectError([] {
            coco::parseInstances(
                R"({"annotations": [{"id": 1, "image_id": 1, "category_id": 1, "segmentation": {"size": [2, 2], "counts": [1, 1]}}]})");
        });
        QCOMPARE(e.arg("field"), std::string("annotations[0].segmentation.counts"));
    }

    void resultsRoundTrip() {
        std::vector<coco::Detection> dets(2);
        dets[0] = {3, 1, {1, 2, 3, 4}, true, Rle{7, 1, {2, 3, 1, 1}}, 0.9};
        dets[1] = {4, 2, {0, 0, 5, 5}, true, std::nullopt, 0.25};
        const std::string s = coco::resultsToString(dets);
        QVERIFY(s.find("\"counts\":\"231N\"") != std::string::npos);
        const auto back = coco::parseResults(s);
        QCOMPARE(back.size(), size_t(2));
        QCOMPARE(back[0].mask->counts, (std::vector<uint32_t>{2, 3, 1, 1}));
        QCOMPARE(back[0].mask->height, 7);
        QCOMPARE(back[0].score, 0.9);
        QVERIFY(!back[1].mask);
        QCOMPARE(back[1].bbox, (BoxXywh{0, 0, 5, 5}));
        // Segmentation-only results carry no box.
        const auto segOnly = coco::parseResults(
            R"([{"image_id": 1, "category_id": 1, "segmentation": {"size": [7, 1], "counts": "061"}, "score": 0.5}])");
        QVERIFY(!segOnly[0].hasBbox);
        QCOMPARE(
            expectError([] {
                coco::parseResults(R"([{"image_id": 1, "category_id": 1, "bbox": [0,0,1,1]}])");
            }).arg("field"),
            std::string("[0].score"));
        QCOMPARE(expectError([] { coco::parseResults(R"({"a": 1})"); }).code(),
                 ErrorCode::JsonSchema);
    }

    void splitFormat() {
        const Split s =
            parseSplit(R"({"seen": ["red square", "blue circle"], "unseen": ["red circle"]})");
        QCOMPARE(s.all().size(), size_t(3));
        QVERIFY(s.isUnseen("red circle"));
        QVERIFY(!s.isUnseen("red square"));
        QCOMPARE(parseSplit(splitToString(s)).unseen, s.unseen);
        QCOMPARE(expectError([] { parseSplit(R"({"seen": ["a", "a"], "unseen": []})"); }).code(),
                 ErrorCode::DuplicateClass);
        QCOMPARE(
            expectError([] { parseSplit(R"({"seen": ["a"], "unseen": ["a"]})"); }).arg("reason"),
            std::string("listed as both seen and unseen"));
        QCOMPARE(expectError([] { parseSplit(R"({"seen": ["a"]})"); }).arg("field"),
                 std::string("unseen"));
        QCOMPARE(expectError([] { parseSplit(R"({"seen": [)"); }).code(), ErrorCode::JsonMalformed);
        QCOMPARE(expectError([] { parseSplit(R"({"seen": [], "unseen": []})"); }).code(),
                 ErrorCode::EmptyVocabulary);
    }
};

ZSI_TEST_SUITE(TestCoco)
#include "test_coco.moc"
