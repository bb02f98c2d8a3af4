// Unit tests of class names -> vectors (ClassEmbedder) and of ClassVocabulary: spelling
// rules, multi-word and synonym averaging, normalisation, unknown words, duplicates, edits
// and the W_s / W_u layout.
#include "semantics/class_embedder.h"
#include "semantics/class_name.h"
#include "semantics/class_vocabulary.h"
#include "util/error.h"

#include "test_registry.h"
#include "test_support.h"

#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace zsi;
using namespace zsi::semantics;

namespace {
using zsi::test::expectError;

const fs::path kFixtures = fs::path(ZSI_FIXTURES_DIR) / "semantics";

std::shared_ptr<const EmbeddingModel> tiny() {
    // cat (1,0,0), dog (.5,.5,0), traffic (0,1,0), light (0,0,2)
    return loadEmbedding(kFixtures / "with_header.vec");
}

bool near(const std::vector<float>& a, const std::vector<float>& b, float tol = 1e-6f) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::abs(a[i] - b[i]) > tol) return false;
    return true;
}

}  // namespace

class TestClassVocabulary : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void spellingRules() {
        QCOMPARE(normaliseClassName("  Traffic_Light "), std::string("traffic light"));
        QCOMPARE(normaliseClassName("traffic-light"), std::string("traffic light"));
        QCOMPARE(normaliseClassName("traffic  \t light"), std::string("traffic light"));
        QCOMPARE(classKey(" Couch |SOFA | "), std::string("couch | sofa"));
        QCOMPARE(classKey("sofa | couch | Sofa"), std::string("couch | sofa"));
        QCOMPARE(splitSynonyms("couch | sofa").size(), std::size_t(2));
        QCOMPARE(splitWords("hot dog"), (std::vector<std::string>{"hot", "dog"}));
    }

    void multiWordIsTheMeanOfWords() {
        ClassEmbedder e(tiny());
        const auto tl = e.embed("Traffic_Light");
        QVERIFY(near(tl.vector, {0.f, 0.5f, 1.f}));
        QCOMPARE(tl.words.size(), std::size_t(2));
        QCOMPARE(tl.words[0].status, WordStatus::Found);
        QCOMPARE(tl.key, std::string("traffic light"));
        QVERIFY(near(e.embed("DOG").vector, {0.5f, 0.5f, 0.f}));
    }

    void synonymsAreAveraged() {
        ClassEmbedder e(tiny());
        // (cat + dog) / 2, and a multi-word synonym: (cat + mean(traffic, light)) / 2
        QVERIFY(near(e.embed("cat | dog").vector, {0.75f, 0.25f, 0.f}));
        QVERIFY(near(e.embed("cat | traffic light").vector, {0.5f, 0.25f, 0.5f}));
    }

    void normalisationIsApplied() {
        ClassEmbedder unit(tiny(), Normalisation::unitL2());
        const auto v = unit.embed("light").vector;
        QVERIFY(near(v, {0.f, 0.f, 1.f}));
        ClassEmbedder ref(tiny(), Normalisation::reference());
        const auto r = ref.embed("traffic light").vector;
        QVERIFY(std::abs(l2Norm(r.data(), 3) - 0.7666f) < 1e-6f);
        QCOMPARE(Normalisation::parse("norm:0.7666"), Normalisation::reference());
        QCOMPARE(Normalisation::parse(Normalisation::unitL2().toString()), Normalisation::unitL2());
        expectError(ErrorCode::InvalidArgument, [] { Normalisation::parse("cube"); });
    }

    void unknownWordsAreNamed() {
        ClassEmbedder e(tiny());
        const auto a = e.analyse("cat zebra | unicorn");
        QVERIFY(!a.ok());
        QVERIFY(a.vector.empty());  // never a silent zero vector
        QCOMPARE(a.missingWords(), (std::vector<std::string>{"zebra", "unicorn"}));
        QCOMPARE(a.words[0].status, WordStatus::Found);
        const Error err =
            expectError(ErrorCode::UnknownWords, [&] { e.embed("cat zebra | unicorn"); });
        QCOMPARE(err.arg("words"), std::string("zebra, unicorn"));
        QCOMPARE(err.arg("model"), std::string("with_header.vec"));
        expectError(ErrorCode::InvalidClassName, [&] { e.embed("  _ | - "); });
    }

    void subwordsAreFlagged() {
        ClassEmbedder e(loadEmbedding(kFixtures / "subwords_8d.bin"));
        const auto r = e.embed("red catdog");
        QVERIFY(r.ok());
        QCOMPARE(r.subwordWords(), std::vector<std::string>{"catdog"});
        QVERIFY(r.builtFromSubwords());
        QCOMPARE(r.words[0].status, WordStatus::Found);
    }

    void phraseModelsLookUpWholeNames() {
        ClassEmbedder e(loadEmbedding(kFixtures / "word_w2v_withbg_65_15.txt"));
        const auto r = e.embed("Traffic_Light");
        QCOMPARE(r.words.size(), std::size_t(1));
        QCOMPARE(r.words[0].word, std::string("traffic light"));
        QVERIFY(std::abs(l2Norm(r.vector.data(), 300) - 0.7666f) < 1e-3f);
        expectError(ErrorCode::UnknownWords, [&] { e.embed("traffic"); });
    }

    void vocabularyEdits() {
        ClassEmbedder e(tiny());
        ClassVocabulary v(3, {{"cat", "", e.embed("cat").vector},
                              {"Traffic light", "", e.embed("traffic light").vector}});
        QCOMPARE(v.seenCount(), std::size_t(2));
        v.addUnseen(e, "dog");
        v.addUnseen("light", e.embed("light").vector);
        v.addUnseen(e, "cat | dog");
        QCOMPARE(v.unseenCount(), std::size_t(3));

        // Duplicates after normalisation, and names of seen classes, are rejected with a reason.
        Error d = expectError(ErrorCode::DuplicateClass, [&] { v.addUnseen(e, " DOG "); });
        QCOMPARE(d.arg("name"), std::string(" DOG "));
        QVERIFY(d.arg("reason").find("already") != std::string::npos);
        d = expectError(ErrorCode::DuplicateClass, [&] { v.addUnseen(e, "traffic_light"); });
        QVERIFY(d.arg("reason").find("seen class") != std::string::npos);
        // Synonym order does not make a new class.
        expectError(ErrorCode::DuplicateClass, [&] { v.addUnseen(e, "Dog|CAT"); });
        QVERIFY(v.rejectReason("dog | cat").has_value());
        QVERIFY(!v.rejectReason("horse").has_value());
        expectError(ErrorCode::DimensionMismatch, [&] { v.addUnseen("horse", {1.f, 2.f}); });
        expectError(ErrorCode::InvalidClassName, [&] { v.addUnseen("  ", {1.f, 2.f, 3.f}); });
        QCOMPARE(v.unseenCount(), std::size_t(3));

        // Rename: to itself (other spelling) is fine, onto another class is not.
        v.renameUnseen(0, "Dog", e.embed("dog").vector);
        QCOMPARE(v.unseen()[0].name, std::string("Dog"));
        expectError(ErrorCode::DuplicateClass,
                    [&] { v.renameUnseen(0, "light", e.embed("light").vector); });
        v.renameUnseen(1, "traffic", e.embed("traffic").vector);
        QCOMPARE(v.unseen()[1].name, std::string("traffic"));

        // Reorder and remove.
        v.moveUnseen(2, 0);
        QCOMPARE(v.unseen()[0].name, std::string("cat | dog"));
        QCOMPARE(v.unseen()[1].name, std::string("Dog"));
        QCOMPARE(v.findUnseen("TRAFFIC"), 2);
        QVERIFY(v.removeUnseen("dog"));
        QVERIFY(!v.removeUnseen("dog"));
        QCOMPARE(v.unseenCount(), std::size_t(2));
        v.removeUnseen(std::size_t(0));
        QCOMPARE(v.unseen()[0].name, std::string("traffic"));
    }

    void seenClassesAreValidated() {
        expectError(ErrorCode::DuplicateClass, [] {
            ClassVocabulary(2, {{"cat", "", {1.f, 0.f}}, {"Cat", "", {0.f, 1.f}}});
        });
        expectError(ErrorCode::DimensionMismatch, [] { ClassVocabulary(2, {{"cat", "", {1.f}}}); });
    }

    void matrixLayout() {
        // 2-d vectors: seen a=(1,2), b=(3,4); unseen c=(5,6); background (9,8).
        ClassVocabulary v(2, {{"a", "", {1.f, 2.f}}, {"b", "", {3.f, 4.f}}});
        v.addUnseen("c", {5.f, 6.f});
        // No background yet: column 0 is zeros.
        QCOMPARE(v.unseenMatrix(), (std::vector<float>{0.f, 5.f, 0.f, 6.f}));
        v.setBackground({9.f, 8.f});
        QCOMPARE(v.background(), (std::vector<float>{9.f, 8.f}));
        // W_s is D x (1+S) row-major: row d = [bg_d, a_d, b_d].
        QCOMPARE(v.seenMatrix(), (std::vector<float>{9.f, 1.f, 3.f, 8.f, 2.f, 4.f}));
        QCOMPARE(v.unseenMatrix(), (std::vector<float>{9.f, 5.f, 8.f, 6.f}));
        QCOMPARE(v.allMatrix(), (std::vector<float>{9.f, 1.f, 3.f, 5.f, 8.f, 2.f, 4.f, 6.f}));
        QCOMPARE(v.meanOfClasses(), (std::vector<float>{3.f, 4.f}));
        expectError(ErrorCode::DimensionMismatch, [&] { v.setBackground({1.f}); });
    }

    void copiesAreSnapshots() {
        ClassVocabulary v(2, {{"a", "", {1.f, 0.f}}});
        v.addUnseen("b", {0.f, 1.f});
        const ClassVocabulary snapshot = v;  // handed to a worker
        v.addUnseen("c", {1.f, 1.f});
        v.removeUnseen(std::size_t(0));
        QCOMPARE(snapshot.unseenCount(), std::size_t(1));
        QCOMPARE(snapshot.unseen()[0].name, std::string("b"));
        QCOMPARE(&snapshot.seen(), &v.seen());  // the fixed seen block is shared, not copied
    }

    void nearestClassesByCosine() {
        ClassVocabulary v(2, {{"east", "", {1.f, 0.f}}, {"north", "", {0.f, 1.f}}});
        v.addUnseen("northeast", {1.f, 1.f});
        const auto m = v.nearestClasses({0.9f, 1.f}, 2);
        QCOMPARE(m.size(), std::size_t(2));
        QCOMPARE(m[0].name, std::string("northeast"));
        QVERIFY(!m[0].seen);
        QCOMPARE(m[1].name, std::string("north"));
        QVERIFY(m[1].seen);
        QVERIFY(m[0].cosine > m[1].cosine);
    }

    void demoVectorsCoverTheDemo() {
        // Every COCO class name and every colour/shape word of the synthetic benchmark
        // embeds with the committed demo vectors (no word missing, no subword guess).
        ClassEmbedder e(loadEmbedding(fs::path(ZSI_SOURCE_DIR) /
                                      "resources/demo/vectors/glove-6b-100d-20k.bin"),
                        Normalisation::unitL2());
        std::vector<std::string> names;
        std::ifstream in(kFixtures / "classes_65_15.txt");
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) names.push_back(line);
        QCOMPARE(names.size(), std::size_t(80));
        for (const char* w :
             {"red",       "green",     "blue",       "yellow", "orange", "purple",  "pink",
              "brown",     "white",     "black",      "gray",   "cyan",   "magenta", "circle",
              "square",    "triangle",  "star",       "heart",  "cross",  "hexagon", "ring",
              "crescent",  "pentagon",  "diamond",    "oval",   "arrow",  "moon",    "ellipse",
              "rectangle", "astronaut", "coffee cup", "rocket", "eagle",  "giraffe", "kite"})
            names.push_back(w);
        for (const auto& n : names) {
            const auto r = e.analyse(n);
            QVERIFY2(r.ok() && !r.builtFromSubwords(), n.c_str());
            QVERIFY(std::abs(l2Norm(r.vector.data(), 100) - 1.f) < 1e-5f);
        }
    }

    void referenceVocabulary48_17() {
        // The reference split: seen classes from the file, unseen typed, cosine(dog, cat) 0.76.
        auto model = std::shared_ptr<const EmbeddingModel>(
            loadEmbedding(kFixtures / "word_w2v_withbg_48_17.txt"));
        ClassEmbedder e(model, Normalisation::reference());
        std::vector<ClassEntry> seen;
        for (std::size_t i = 0; i < 48; ++i) {
            std::vector<float> row(300);
            model->vectorAt(i, row.data());
            seen.push_back({model->wordAt(i), "", row});
        }
        ClassVocabulary v(300, std::move(seen));
        v.setBackground(*model->backgroundVector());
        for (const char* name : {"dog", "cat", "airplane"}) v.addUnseen(e, name);
        const auto ws = v.seenMatrix(), wu = v.unseenMatrix();
        QCOMPARE(ws.size(), std::size_t(300 * 49));
        QCOMPARE(wu.size(), std::size_t(300 * 4));
        std::vector<float> dog(300), cat(300);
        for (int d = 0; d < 300; ++d) {
            dog[d] = wu[d * 4 + 1];
            cat[d] = wu[d * 4 + 2];
        }
        QCOMPARE(std::round(static_cast<float>(cosine(dog, cat)) * 100.f) / 100.f, 0.76f);
        expectError(ErrorCode::DuplicateClass, [&] { v.addUnseen(e, "Person"); });
        const auto nearest = v.nearestClasses(dog, 2);
        QCOMPARE(nearest[0].name, std::string("dog"));
        QCOMPARE(nearest[1].name, std::string("cat"));
    }
};

ZSI_TEST_SUITE(TestClassVocabulary)
#include "test_class_vocabulary.moc"
