// Unit tests of core/io: model bundle round trip and validation of broken bundles.
#include "io/model_bundle.h"
#include "model/detector.h"
#include "model/tiny_model.h"
#include "util/error.h"
#include "util/random.h"

#include <torch/csrc/jit/serialization/pickle.h>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace zsi;

namespace {

template <typename F>
Error errorOf(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    return Error(ErrorCode::Unknown, "no error");
}

std::string readText(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeText(const fs::path& p, const std::string& s) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << s;
}

io::ModelBundle tinyBundle(int vocSize) {
    torch::manual_seed(11);
    model::ZsiDetector m(test::tinyConfig(vocSize));
    m->setSeenClassVectors(at::randn({6, 3}), at::randn({6}), true);
    if (vocSize > 0) m->setVoc(at::randn({6, vocSize}));
    m->eval();
    io::ModelBundle b;
    b.info.seenClasses = {"red circle", "blue square", "green triangle"};
    b.info.embedding = {{"kind", "fasttext"},
                        {"dim", 6},
                        {"normalisation", "l2"},
                        {"file_name", "tiny.bin"},
                        {"sha256", "00"}};
    b.info.provenance = {{"trainer", "test"}};
    b.detector = m.ptr();
    return b;
}

cv::Mat image() {
    cv::Mat img(40, 56, CV_8UC3);
    Rng rng(3);
    for (size_t i = 0; i < img.total() * 3; ++i) img.data[i] = uint8_t(rng.uniformInt(0, 255));
    return img;
}

}  // namespace

class TestBundle : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { at::set_num_threads(2); }

    void roundTripGivesIdenticalTensorsAndOutputs() {
        for (int voc : {0, 4}) {
            QTemporaryDir dir;
            const fs::path folder = fs::path(dir.path().toStdString()) / "bundle";
            const io::ModelBundle a = tinyBundle(voc);
            io::writeModelBundle(folder, a);
            QVERIFY(fs::exists(folder / "model.json"));
            QVERIFY(fs::exists(folder / "weights.pt"));
            const io::ModelBundle b = io::readModelBundle(folder);
            QCOMPARE(b.info.seenClasses, a.info.seenClasses);
            QCOMPARE(b.info.embedding.dump(), a.info.embedding.dump());
            QCOMPARE(b.info.provenance.dump(), a.info.provenance.dump());
            QCOMPARE(modelConfigToJson(b.detector->config()).dump(),
                     modelConfigToJson(a.detector->config()).dump());
            const auto ea = model::stateEntries(*a.detector);
            const auto eb = model::stateEntries(*b.detector);
            QCOMPARE(ea.size(), eb.size());
            for (size_t i = 0; i < ea.size(); ++i) {
                QCOMPARE(ea[i].first, eb[i].first);
                QVERIFY(at::equal(ea[i].second, eb[i].second));
            }
            QVERIFY(at::equal(a.detector->seenClassVectors(), b.detector->seenClassVectors()));
            QVERIFY(at::equal(a.detector->initialBackground(), b.detector->initialBackground()));
            if (voc > 0) QVERIFY(at::equal(a.detector->voc(), b.detector->voc()));
            model::ScoringVocabulary v;
            v.unseen = at::randn({6, 2});
            InferenceSettings o;
            o.scoring = ScoringRule::Direct;
            o.boxRule = BoxRegressionRule::PWeighted;
            o.mode = InferenceMode::Gzsi;
            const auto da = a.detector->detect(image(), v, o);
            const auto db = b.detector->detect(image(), v, o);
            QVERIFY(da.size() > 0);
            QVERIFY(at::equal(da.boxes, db.boxes));
            QVERIFY(at::equal(da.scores, db.scores));
            QVERIFY(at::equal(da.masks, db.masks));
            // Writing again replaces the bundle in place, leaving no temporary folders.
            io::writeModelBundle(folder, a);
            int entries = 0;
            for ([[maybe_unused]] const auto& e : fs::directory_iterator(folder.parent_path()))
                ++entries;
            QCOMPARE(entries, 1);
        }
    }

    void brokenBundlesGiveClearErrors() {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        const fs::path folder = root / "bundle";
        io::writeModelBundle(folder, tinyBundle(0));
        const std::string json = readText(folder / "model.json");
        const std::string weights = readText(folder / "weights.pt");

        QCOMPARE(errorOf([&] { io::readModelBundle(root / "nope"); }).code(),
                 ErrorCode::FileNotFound);

        writeText(folder / "model.json", "{ not json");
        QCOMPARE(errorOf([&] { io::readModelBundle(folder); }).code(), ErrorCode::JsonMalformed);
        writeText(folder / "model.json", "[1, 2]");
        QCOMPARE(errorOf([&] { io::readModelBundle(folder); }).code(), ErrorCode::JsonSchema);
        auto j = nlohmann::json::parse(json);
        j["seen_classes"] = {"only one"};
        writeText(folder / "model.json", j.dump());
        QCOMPARE(errorOf([&] { io::readModelBundle(folder); }).code(), ErrorCode::JsonSchema);
        writeText(folder / "model.json", json);

        // Truncated weights: caught by the checksum...
        writeText(folder / "weights.pt", weights.substr(0, weights.size() / 2));
        Error e = errorOf([&] { io::readModelBundle(folder); });
        QCOMPARE(e.code(), ErrorCode::CheckpointInvalid);
        // ... and by the archive reader when there is no checksum.
        j = nlohmann::json::parse(json);
        j.erase("weights_sha256");
        writeText(folder / "model.json", j.dump());
        e = errorOf([&] { io::readModelBundle(folder); });
        QCOMPARE(e.code(), ErrorCode::CheckpointInvalid);
        writeText(folder / "weights.pt", "garbage");
        QCOMPARE(errorOf([&] { io::readModelBundle(folder); }).code(),
                 ErrorCode::CheckpointInvalid);
        fs::remove(folder / "weights.pt");
        QCOMPARE(errorOf([&] { io::readModelBundle(folder); }).code(), ErrorCode::FileNotFound);

        // A wrong-shape key and a missing key are named with expected/found shapes.
        auto dict = torch::jit::pickle_load(std::vector<char>(weights.begin(), weights.end()))
                        .toGenericDict();
        dict.insert_or_assign("bbox_head.fc_semantic.weight", at::zeros({5, 32}));
        auto raw = torch::jit::pickle_save(dict);
        writeText(folder / "weights.pt", std::string(raw.begin(), raw.end()));
        e = errorOf([&] { io::readModelBundle(folder); });
        QCOMPARE(e.code(), ErrorCode::CheckpointInvalid);
        QCOMPARE(e.arg("key"), std::string("bbox_head.fc_semantic.weight"));
        QCOMPARE(e.arg("expected"), std::string("(6, 32)"));
        QCOMPARE(e.arg("found"), std::string("(5, 32)"));
        dict = torch::jit::pickle_load(std::vector<char>(weights.begin(), weights.end()))
                   .toGenericDict();
        QCOMPARE(dict.erase("rpn_head.vec_fb.weight"), size_t(1));
        raw = torch::jit::pickle_save(dict);
        writeText(folder / "weights.pt", std::string(raw.begin(), raw.end()));
        e = errorOf([&] { io::readModelBundle(folder); });
        QCOMPARE(e.code(), ErrorCode::CheckpointInvalid);
        QCOMPARE(e.arg("key"), std::string("rpn_head.vec_fb.weight"));
    }

    void writeRejectsMismatchedNames() {
        io::ModelBundle b = tinyBundle(0);
        b.info.seenClasses.pop_back();
        QTemporaryDir dir;
        QCOMPARE(errorOf([&] {
                     io::writeModelBundle(fs::path(dir.path().toStdString()) / "x", b);
                 }).code(),
                 ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestBundle)
#include "test_bundle.moc"
