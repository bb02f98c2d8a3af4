// The review session: the one owner of document, undo stack, classes, settings, image root and
// the image under review. Class edits and their refusals, settings changes, model runs into
// rows, undoable edits by row, and a session saved and replaced (reopened) with everything it
// had; a COCO file of another tool keeps the session's own settings.
#include "instance_support.h"
#include "review_session.h"

#include "semantics/embedding.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <filesystem>

using namespace zsi;
namespace fs = std::filesystem;

#define QCOMPARE_STATE(a, b) QCOMPARE(zsi::toString(a), zsi::toString(b))

namespace {

// cat (1,0,0), dog (.5,.5,0), traffic (0,1,0), light (0,0,2)
std::shared_ptr<const semantics::ClassEmbedder> embedder() {
    return std::make_shared<semantics::ClassEmbedder>(
        semantics::loadEmbedding(fs::path(ZSI_FIXTURES_DIR) / "semantics" / "with_header.vec"));
}

SessionModel model() {
    return {QStringLiteral("tiny"),
            QStringLiteral("/somewhere/with_header.vec"),
            {QStringLiteral("cat")},
            {1, 0, 0},
            3,
            embedder()};
}

Instance square(int x, int y, int size, const std::string& name, float score) {
    Instance inst = test::squareInstance(x, y, size, score);
    inst.className = name;
    return inst;
}

}  // namespace

class TestReviewSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void classesNeedAModelAndValidWords() {
        ReviewSession s;
        QSignalSpy classes(&s, &ReviewSession::classesChanged);
        QVERIFY(s.addClass(QStringLiteral("dog")).refusal == ClassEdit::Refusal::NoModel);
        QCOMPARE(classes.count(), 0);

        s.setModel(model());
        QCOMPARE(classes.count(), 1);
        QVERIFY(s.hasModel());
        QCOMPARE(s.vocabulary().seenCount(), size_t(1));

        QVERIFY(s.addClass(QStringLiteral(" dog ")).ok());
        QCOMPARE(s.unseenClasses(), QStringList{QStringLiteral("dog")});
        QCOMPARE(classes.count(), 2);
        QCOMPARE(s.unseenAnalyses().size(), size_t(1));

        const ClassEdit unknown = s.addClass(QStringLiteral("traffic zebra"));
        QVERIFY(unknown.refusal == ClassEdit::Refusal::CannotEmbed);
        QCOMPARE(unknown.analysis.missingWords(), std::vector<std::string>{"zebra"});
        const ClassEdit seen = s.addClass(QStringLiteral("Cat"));
        QVERIFY(seen.refusal == ClassEdit::Refusal::Rejected);
        QVERIFY(!seen.reason.isEmpty());
        QVERIFY(s.addClass(QStringLiteral("dog")).refusal == ClassEdit::Refusal::Rejected);
        QVERIFY(s.addClass(QStringLiteral("   ")).refusal == ClassEdit::Refusal::Empty);
        QCOMPARE(classes.count(), 2);  // refusals change nothing

        QVERIFY(s.addClass(QStringLiteral("traffic light")).ok());
        QVERIFY(s.renameClass(0, QStringLiteral("traffic light")).refusal ==
                ClassEdit::Refusal::Rejected);
        QVERIFY(s.renameClass(0, QStringLiteral("light")).ok());
        QCOMPARE(s.unseenClasses(),
                 (QStringList{QStringLiteral("light"), QStringLiteral("traffic light")}));
        s.removeClass(1);
        QCOMPARE(s.unseenClasses(), QStringList{QStringLiteral("light")});
        QCOMPARE(s.vocabulary().unseen()[0].vector, (std::vector<float>{0, 0, 2}));
    }

    void classesWaitForTheModel() {
        ReviewSession s;
        // A session reopened before its model loaded keeps its classes until it has one.
        s.setUnseenClasses({QStringLiteral("dog"), QStringLiteral("zebra")});
        QVERIFY(s.unseenClasses().isEmpty());
        s.setModel(model());
        // zebra is not in these vectors: dropped when the model arrives.
        QCOMPARE(s.unseenClasses(), QStringList{QStringLiteral("dog")});
        // Another model embeds the typed classes again with its vectors.
        SessionModel other = model();
        other.seenClasses = {QStringLiteral("traffic")};
        other.seenVectors = {0, 1, 0};
        s.setModel(other);
        QCOMPARE(s.unseenClasses(), QStringList{QStringLiteral("dog")});
        QCOMPARE(s.vocabulary().seen()[0].name, std::string("traffic"));
    }

    void settingsSignalOnlyOnChange() {
        ReviewSession s;
        QSignalSpy changed(&s, &ReviewSession::settingsChanged);
        InferenceSettings x = s.settings();
        s.setSettings(x);
        QCOMPARE(changed.count(), 0);
        x.scoreThreshold = 0.4;
        s.setSettings(x);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(s.settings().scoreThreshold, 0.4);
    }

    void modelRunsBecomeRowsAndEditsUndo() {
        QTemporaryDir dir;
        ReviewSession s;
        s.setModel(model());
        QVERIFY(s.addClass(QStringLiteral("dog")).ok());
        s.setImageRoot(dir.path());
        const QString image = dir.filePath(QStringLiteral("sub/a.png"));
        QCOMPARE(s.documentName(image), QStringLiteral("sub/a.png"));
        s.setCurrentImage(image);
        QCOMPARE(s.currentImageId(), int64_t(0));  // not in the document yet

        QSignalSpy rows(&s, &ReviewSession::rowsChanged);
        QSignalSpy annotations(&s, &ReviewSession::annotationsChanged);
        const PredictionMerge m = s.applyPredictions(
            image, 100, 80, {square(0, 0, 10, "dog", 0.9f), square(40, 40, 20, "cat", 0.3f)});
        QCOMPARE(m.added, 2);
        QVERIFY(rows.count() >= 1);
        QCOMPARE(annotations.count(), 1);
        QVERIFY(s.currentImageId() != 0);
        QCOMPARE(s.rowIds().size(), size_t(2));
        // The classes became the document's categories, seen first.
        const AnnotationDocument& doc = s.document();
        QCOMPARE(doc.categories().size(), size_t(2));
        QVERIFY(doc.categoryKind(doc.categoryId("dog")) == ClassKind::Unseen);
        QVERIFY(s.isModified());

        const int64_t first = s.rowIds()[0];
        s.setReview({0}, ReviewState::Accepted);
        QCOMPARE_STATE(doc.review(first), ReviewState::Accepted);
        s.undoStack()->undo();
        QCOMPARE_STATE(doc.review(first), ReviewState::Pending);
        s.undoStack()->redo();
        QCOMPARE_STATE(doc.review(first), ReviewState::Accepted);

        s.relabel({1}, doc.categoryId("dog"));
        QCOMPARE(doc.annotation(s.rowIds()[1])->categoryId, doc.categoryId("dog"));
        s.relabel({1}, 999);  // no such category: nothing pushed
        QCOMPARE(s.undoStack()->count(), 2);

        const int64_t box = s.addBox(doc.categoryId("cat"), {60, 5, 30, 20});
        QVERIFY(box != 0);
        QCOMPARE(s.rowOf(box), 2);
        QCOMPARE(doc.annotation(box)->area, 600.0);
        s.removeRows({0, 2});
        QCOMPARE(s.rowIds().size(), size_t(1));
        s.undoStack()->undo();
        QCOMPARE(s.rowIds().size(), size_t(3));
        QCOMPARE(s.idsOfRows({0, 7, -1}), std::vector<int64_t>{first});

        // A second run replaces only the pending model annotations.
        s.applyPredictions(image, 100, 80, {square(70, 70, 5, "dog", 0.5f)});
        QCOMPARE(s.rowIds().size(), size_t(4));
    }

    void savedSessionComesBackWhole() {
        QTemporaryDir dir;
        const QString images = dir.filePath(QStringLiteral("images"));
        QDir().mkpath(images);
        const QString docPath = dir.filePath(QStringLiteral("review/annotations.json"));
        QDir().mkpath(dir.filePath(QStringLiteral("review")));
        InferenceSettings changed;
        {
            ReviewSession s;
            s.setModel(model());
            QVERIFY(s.addClass(QStringLiteral("dog")).ok());
            QVERIFY(s.addClass(QStringLiteral("traffic light")).ok());
            s.setImageRoot(images);
            s.applyPredictions(images + QStringLiteral("/a.png"), 50, 50,
                               {square(0, 0, 10, "dog", 0.9f)});
            changed = s.settings();
            changed.mode = InferenceMode::Gzsi;
            changed.scoring = ScoringRule::Direct;
            changed.scoreThreshold = 0.25;
            changed.maskThreshold = 0.6;
            changed.oneLabelPerObject = true;
            changed.background = BackgroundChoice::Zero;
            s.setSettings(changed);
            s.save(docPath);
            QVERIFY(!s.isModified());
        }
        ReviewSession r;
        QSignalSpy replaced(&r, &ReviewSession::documentReplaced);
        r.replaceDocument(AnnotationDocument::open(docPath.toStdString()));
        QCOMPARE(replaced.count(), 1);
        QVERIFY(r.settings() == changed);
        QCOMPARE(r.imageRoot(), QDir(images).absolutePath());
        // Before the model, the classes wait; with it they are back in their order.
        r.setModel(model());
        QCOMPARE(r.unseenClasses(),
                 (QStringList{QStringLiteral("dog"), QStringLiteral("traffic light")}));
        QCOMPARE(r.document().annotationCount(), size_t(1));
        QCOMPARE(r.document().settings().model, std::string("tiny"));
        QCOMPARE(r.document().settings().embeddings, std::string("with_header.vec"));
        // The image root is stored relative to the document.
        QCOMPARE(r.document().settings().imageRoot, std::string("../images"));
    }

    void otherToolsFilesKeepTheSessionSettings() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("plain.json"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"({"images":[{"id":1,"file_name":"x.png","width":4,"height":4}],)"
                    R"("annotations":[],"categories":[{"id":1,"name":"dog"}]})");
        }
        ReviewSession s;
        s.setModel(model());
        QVERIFY(s.addClass(QStringLiteral("dog")).ok());
        InferenceSettings mine = s.settings();
        mine.scoreThreshold = 0.7;
        s.setSettings(mine);
        const AnnotationDocument plain = AnnotationDocument::open(path.toStdString());
        QVERIFY(!plain.hasSessionSettings());
        s.replaceDocument(plain);
        QVERIFY(s.settings() == mine);
        QCOMPARE(s.unseenClasses(), QStringList{QStringLiteral("dog")});
        QCOMPARE(s.document().images().size(), size_t(1));
    }

    void autosaveCarriesTheSessionButLeavesTheDocument() {
        QTemporaryDir dir;
        ReviewSession s;
        s.setModel(model());
        QVERIFY(s.addClass(QStringLiteral("dog")).ok());
        s.applyPredictions(dir.filePath(QStringLiteral("a.png")), 20, 20,
                           {square(0, 0, 5, "dog", 0.9f)});
        const QString target = dir.filePath(QStringLiteral("untitled.autosave.json"));
        s.saveAutosave(target);
        QVERIFY(s.isModified());
        QVERIFY(!s.document().hasSessionSettings());
        const AnnotationDocument back = AnnotationDocument::open(target.toStdString());
        QCOMPARE(back.settings().unseenClasses, std::vector<std::string>{"dog"});
        QCOMPARE(back.annotationCount(), size_t(1));
    }
};

QTEST_MAIN(TestReviewSession)
#include "test_review_session.moc"
