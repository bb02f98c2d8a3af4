// Review edits on a QUndoStack: accept, relabel, delete, brush / eraser and new instances
// undo and redo to exactly the previous masks and fields; views are notified.
#include "instance_support.h"
#include "review_commands.h"

#include "data/coco_io.h"

#include <QSignalSpy>
#include <QUndoStack>
#include <QtTest>

using namespace zsi;

// The review enums compare through their file spelling (their toString clashes with QTest's).
#define QCOMPARE_STATE(a, b) QCOMPARE(zsi::toString(a), zsi::toString(b))

namespace {

Instance square(int x, int y, int size, const std::string& name, float score) {
    Instance inst = test::squareInstance(x, y, size, score);
    inst.className = name;
    return inst;
}

// The annotations of an image as their serialised JSON: "exactly restored" means this text.
std::string snapshot(const AnnotationDocument& doc, int64_t imageId) {
    coco::Dataset d;
    d.annotations = doc.annotations(imageId);
    d.images = doc.images();
    return coco::instancesToString(d);
}

}  // namespace

class TestReviewCommands : public QObject {
    Q_OBJECT

    AnnotationDocument doc_;
    int64_t image_ = 0;
    std::vector<int64_t> ids_;

private Q_SLOTS:
    void init() {
        doc_ = AnnotationDocument();
        doc_.setClasses({"cat", "dog"}, {ClassKind::Seen, ClassKind::Seen});
        doc_.setModelPredictions("one.jpg", 64, 48,
                                 {square(2, 2, 10, "cat", 0.9f), square(30, 5, 8, "dog", 0.6f),
                                  square(40, 30, 6, "cat", 0.3f)});
        image_ = doc_.findImage("one.jpg");
        ids_.clear();
        for (const auto& a : doc_.annotations(image_)) ids_.push_back(a.id);
    }

    void acceptUndoRedo() {
        DocumentNotifier notifier;
        QSignalSpy spy(&notifier, &DocumentNotifier::annotationsChanged);
        QUndoStack stack;
        const std::string before = snapshot(doc_, image_);
        stack.push(
            new SetReviewCommand(&doc_, &notifier, {ids_[0], ids_[1]}, ReviewState::Accepted));
        QCOMPARE_STATE(doc_.review(ids_[0]), ReviewState::Accepted);
        QCOMPARE_STATE(doc_.review(ids_[1]), ReviewState::Accepted);
        QCOMPARE_STATE(doc_.review(ids_[2]), ReviewState::Pending);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toLongLong(), qint64(image_));
        const std::string after = snapshot(doc_, image_);
        stack.undo();
        QCOMPARE(snapshot(doc_, image_), before);
        QCOMPARE(spy.count(), 2);
        stack.redo();
        QCOMPARE(snapshot(doc_, image_), after);
        // Accept all above 0.5: only the pending ones at or above it, as one step.
        stack.undo();
        stack.push(makeAcceptAllAbove(&doc_, &notifier, image_, 0.5));
        QCOMPARE_STATE(doc_.review(ids_[0]), ReviewState::Accepted);
        QCOMPARE_STATE(doc_.review(ids_[1]), ReviewState::Accepted);
        QCOMPARE_STATE(doc_.review(ids_[2]), ReviewState::Pending);
        stack.push(new SetReviewCommand(&doc_, &notifier, {ids_[2]}, ReviewState::Rejected));
        QCOMPARE_STATE(doc_.imageStatus(image_), ImageStatus::Reviewed);
        stack.undo();
        QCOMPARE_STATE(doc_.imageStatus(image_), ImageStatus::Predicted);
        stack.undo();
        QCOMPARE(snapshot(doc_, image_), before);
        QVERIFY(makeAcceptAllAbove(&doc_, &notifier, image_, 0.95) == nullptr);
    }

    void relabelUndoRedo() {
        QUndoStack stack;
        const std::string before = snapshot(doc_, image_);
        const int64_t dog = doc_.categoryId("dog");
        stack.push(new RelabelCommand(&doc_, nullptr, {ids_[0]}, dog));
        QCOMPARE(doc_.annotation(ids_[0])->categoryId, dog);
        QCOMPARE_STATE(doc_.review(ids_[0]), ReviewState::Accepted);
        const std::string after = snapshot(doc_, image_);
        stack.undo();
        QCOMPARE(doc_.annotation(ids_[0])->categoryId, doc_.categoryId("cat"));
        QCOMPARE_STATE(doc_.review(ids_[0]), ReviewState::Pending);
        QCOMPARE(snapshot(doc_, image_), before);
        stack.redo();
        QCOMPARE(snapshot(doc_, image_), after);
    }

    void deleteUndoRedoKeepsOrderAndIds() {
        QUndoStack stack;
        const std::string before = snapshot(doc_, image_);
        stack.push(new DeleteAnnotationsCommand(&doc_, nullptr, {ids_[0], ids_[2]}));
        QCOMPARE(doc_.annotations(image_).size(), size_t(1));
        stack.undo();
        QCOMPARE(snapshot(doc_, image_), before);
        stack.redo();
        QVERIFY(doc_.annotation(ids_[0]) == nullptr);
        QCOMPARE(doc_.annotations(image_).front().id, ids_[1]);
    }

    void brushAndEraserUndoRedo() {
        QUndoStack stack;
        const std::string before = snapshot(doc_, image_);
        const CroppedMask mask0 = doc_.mask(ids_[0]);
        // A brush stroke from inside the square out to the right grows it.
        const CroppedMask stroke =
            rasterizeStroke({{8.f, 6.f}, {20.f, 6.f}}, 2.f, doc_.imageRect(image_));
        stack.push(new MaskStrokeCommand(&doc_, nullptr, ids_[0], stroke, true));
        const CroppedMask grown = doc_.mask(ids_[0]);
        QCOMPARE(grown.origin, cv::Point(2, 2));
        QCOMPARE(grown.mask.cols, 21 - 2 + 2);            // x 2 .. 22 (20 + radius)
        QCOMPARE(int(grown.mask.at<uint8_t>(4, 20)), 1);  // (22, 6)
        QCOMPARE(doc_.annotation(ids_[0])->area, double(cv::countNonZero(grown.mask)));
        QCOMPARE_STATE(doc_.review(ids_[0]), ReviewState::Accepted);
        const std::string afterBrush = snapshot(doc_, image_);
        // An eraser stroke through the middle.
        const CroppedMask cut =
            rasterizeStroke({{7.f, 0.f}, {7.f, 20.f}}, 1.f, doc_.imageRect(image_));
        stack.push(new MaskStrokeCommand(&doc_, nullptr, ids_[0], cut, false));
        QCOMPARE(int(doc_.maskRegion(ids_[0], cv::Rect(7, 5, 1, 1)).at<uint8_t>(0, 0)), 0);
        const std::string afterErase = snapshot(doc_, image_);
        stack.undo();
        QCOMPARE(snapshot(doc_, image_), afterBrush);
        stack.undo();
        QCOMPARE(snapshot(doc_, image_), before);
        const CroppedMask restored = doc_.mask(ids_[0]);
        QCOMPARE(restored.origin, mask0.origin);
        QCOMPARE(cv::countNonZero(restored.mask != mask0.mask), 0);
        QCOMPARE_STATE(doc_.review(ids_[0]), ReviewState::Pending);
        stack.redo();
        stack.redo();
        QCOMPARE(snapshot(doc_, image_), afterErase);
    }

    void newInstanceUndoRedo() {
        DocumentNotifier notifier;
        QSignalSpy spy(&notifier, &DocumentNotifier::annotationsChanged);
        QUndoStack stack;
        const std::string before = snapshot(doc_, image_);
        auto* poly = makeNewPolygon(&doc_, &notifier, image_, doc_.categoryId("dog"),
                                    {50, 2, 60, 2, 60, 12, 50, 12});
        stack.push(poly);
        const int64_t id = poly->annotationId();
        QVERIFY(id > ids_.back());
        QCOMPARE_STATE(doc_.source(id), AnnotationSource::Human);
        QCOMPARE_STATE(doc_.review(id), ReviewState::Accepted);
        QVERIFY(doc_.annotation(id)->area > 90);
        auto* box = makeNewBox(&doc_, &notifier, image_, doc_.categoryId("cat"), {10, 30, 5, 4});
        stack.push(box);
        QCOMPARE(doc_.annotation(box->annotationId())->area, 20.0);
        QCOMPARE(doc_.annotation(box->annotationId())->bbox, (BoxXywh{10, 30, 5, 4}));
        const std::string after = snapshot(doc_, image_);
        stack.undo();
        stack.undo();
        QCOMPARE(snapshot(doc_, image_), before);
        QVERIFY(doc_.annotation(id) == nullptr);
        stack.redo();
        stack.redo();
        QCOMPARE(snapshot(doc_, image_), after);  // same ids, masks and fields
        QCOMPARE(spy.count(), 6);
        // Then a brush stroke on the new instance undoes cleanly too.
        const double area = doc_.annotation(id)->area;
        stack.push(new MaskStrokeCommand(
            &doc_, &notifier, id, rasterizeStroke({{55.f, 20.f}}, 2.f, doc_.imageRect(image_)),
            true));
        QVERIFY(doc_.annotation(id)->area > area);
        stack.undo();
        QCOMPARE(snapshot(doc_, image_), after);
    }

    void imageStatusRestoredExactly() {
        QUndoStack stack;
        const int64_t empty = doc_.addImage("two.jpg", 20, 20);
        doc_.setModelPredictions("two.jpg", 20, 20, {});  // run, nothing found
        QCOMPARE_STATE(doc_.imageStatus(empty), ImageStatus::Predicted);
        stack.push(makeNewBox(&doc_, nullptr, empty, 1, {2, 2, 5, 5}));
        QCOMPARE_STATE(doc_.imageStatus(empty), ImageStatus::Reviewed);
        stack.undo();
        QCOMPARE_STATE(doc_.imageStatus(empty), ImageStatus::Predicted);
        // Deleting everything of an image is a review decision.
        stack.push(new DeleteAnnotationsCommand(&doc_, nullptr, ids_));
        QCOMPARE_STATE(doc_.imageStatus(image_), ImageStatus::Reviewed);
        stack.undo();
        QCOMPARE_STATE(doc_.imageStatus(image_), ImageStatus::Predicted);
    }

    void commandsOnReplacedAnnotationsDoNothing() {
        QUndoStack stack;
        stack.push(new SetReviewCommand(&doc_, nullptr, {ids_[2]}, ReviewState::Accepted));
        stack.undo();                                     // pending again
        doc_.setModelPredictions("one.jpg", 64, 48, {});  // a re-run drops pending ones
        QVERIFY(doc_.annotation(ids_[2]) == nullptr);
        stack.redo();  // no crash, nothing resurrected
        QVERIFY(doc_.annotation(ids_[2]) == nullptr);
    }
};

QTEST_MAIN(TestReviewCommands)
#include "test_review_commands.moc"
