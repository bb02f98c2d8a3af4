// Tests of the reference checkpoint import/export (core/io/reference_checkpoint): the tiny
// reference-layout checkpoint written by tests/reference/make_checkpoints.py (float16,
// publish_model layout, conv_vec as a strided view), its variants in every other layout
// (made here with our own legacy writer and LibTorch's zip writer), damaged files, and the
// import -> export -> import round trip.
#include "checkpoint/torch_file.h"
#include "checkpoint/torch_file_writer.h"
#include "io/model_bundle.h"
#include "io/reference_checkpoint.h"
#include "model/detector.h"
#include "test_registry.h"
#include "util/error.h"

#include <torch/csrc/jit/serialization/pickle.h>
#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;
using namespace zsi;

namespace {

const fs::path kDir = fs::path(ZSI_FIXTURES_DIR) / "reference";

template <typename F>
Error errorOf(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    return Error(ErrorCode::Unknown, "no error");
}

io::ReferenceImportOptions options(const fs::path& checkpoint, const fs::path& out) {
    io::ReferenceImportOptions o;
    o.checkpoint = checkpoint;
    o.config = kDir / "tiny_48_17.json";
    o.vectors = kDir / "word_w2v_withbg_48_17.txt";
    o.classes = kDir / "classes_48_17.txt";
    o.voc = kDir / "voc_stand_in_k40.txt";
    o.out = out;
    o.dataDir = ZSI_SOURCE_DIR "/resources";
    return o;
}

std::map<std::string, at::Tensor> tensorsOf(const fs::path& bundle) {
    const io::ModelBundle b = io::readModelBundle(bundle);
    std::map<std::string, at::Tensor> out;
    for (const auto& [name, t] : model::stateEntries(*b.detector)) out[name] = t.detach().clone();
    out["zsi.seen"] = b.detector->seenClassVectors().clone();
    out["zsi.bg"] = b.detector->initialBackground().clone();
    out["zsi.voc"] = b.detector->voc().clone();
    return out;
}

void requireEqual(const std::map<std::string, at::Tensor>& a,
                  const std::map<std::string, at::Tensor>& b) {
    QCOMPARE(a.size(), b.size());
    for (const auto& [name, t] : a) {
        const auto it = b.find(name);
        QVERIFY2(it != b.end(), name.c_str());
        QVERIFY2(t.sizes() == it->second.sizes() && at::equal(t, it->second), name.c_str());
    }
}

// The fixture's state dict as float32 / int64 tensors, names as in the file.
std::vector<std::pair<std::string, at::Tensor>> readFixture() {
    checkpoint::TorchFile f = checkpoint::TorchFile::open(kDir / "tiny_48_17.pth");
    const checkpoint::StateDict sd = checkpoint::findStateDict(f);
    std::vector<std::pair<std::string, at::Tensor>> out;
    for (const auto& e : sd.entries) {
        at::Tensor t;
        if (checkpoint::isFloating(e.tensor.type)) {
            t = at::empty(e.tensor.sizes, at::kFloat);
            f.readFloat(e.tensor, t.data_ptr<float>());
        } else {
            t = at::empty(e.tensor.sizes, at::kLong);
            f.readInt64(e.tensor, t.data_ptr<int64_t>());
        }
        out.emplace_back(e.name, t);
    }
    return out;
}

void writeVariant(const fs::path& path, const std::vector<std::pair<std::string, at::Tensor>>& sd,
                  bool bare, const std::string& prefix = "") {
    std::vector<checkpoint::TensorToWrite> w;
    for (const auto& [name, t] : sd)
        w.push_back({prefix + name,
                     t.scalar_type() == at::kLong ? checkpoint::ElementType::Int64
                                                  : checkpoint::ElementType::Float32,
                     t.sizes().vec(), t.data_ptr()});
    checkpoint::writeLegacyCheckpoint(path, w, nlohmann::json{{"CLASSES", {"bus", "dog"}}}, {},
                                      bare);
}

}  // namespace

class TestReferenceImport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { at::set_num_threads(2); }

    void importsThePublishedLayout() {
        QTemporaryDir dir;
        const fs::path out = fs::path(dir.path().toStdString()) / "bundle";
        std::vector<double> fractions;
        auto o = options(kDir / "tiny_48_17.pth", out);
        o.progress = [&](double f, const std::string&) { fractions.push_back(f); };
        const io::ReferenceImportReport r = io::importReferenceCheckpoint(o);
        QCOMPARE(QString::fromStdString(r.format), QString("legacy"));
        QCOMPARE(r.numSeen, 48);
        QCOMPARE(r.numUnseen, 17);
        QCOMPARE(r.vocSize, 40);
        QCOMPARE(r.tensors, std::size_t(178));
        QVERIFY2(r.warnings.empty(), r.warnings.empty() ? "" : r.warnings.front().c_str());
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        QCOMPARE(fractions.back(), 1.0);
        const io::BundleInfo info = io::readBundleInfo(out);
        QCOMPARE(info.seenClasses.front(), std::string("person"));
        QCOMPARE(info.defaultUnseen.size(), std::size_t(17));
        QCOMPARE(info.defaultUnseen.front(), std::string("bus"));
        QCOMPARE(info.classColumnsFile, std::string("class_vectors.txt"));
        QVERIFY(fs::exists(out / "class_vectors.txt") && fs::exists(out / "classes.txt"));
        QCOMPARE(info.embedding["file"].get<std::string>(),
                 std::string("GoogleNews-vectors-negative300.bin"));
        QCOMPARE(info.embedding["normalisation"].get<std::string>(), std::string("norm:0.7666"));
        QVERIFY(info.config.inference.scoring == ScoringRule::Reference);
        QVERIFY(!info.config.inference.maskSync.zsi);
        // The weights are the file's: a strided float16 view (conv_vec) read through its strides.
        const auto tensors = tensorsOf(out);
        for (const auto& [name, t] : readFixture()) {
            QVERIFY2(tensors.count(name), name.c_str());
            QVERIFY2(at::equal(tensors.at(name), t), name.c_str());
        }
        // The semantic inputs come from the vector and VOC files.
        QCOMPARE(tensors.at("zsi.seen").sizes(), (at::IntArrayRef{300, 48}));
        QVERIFY(at::allclose(tensors.at("mask_head.conv_vec.weight").flatten(1).slice(0, 1),
                             tensors.at("zsi.seen").t(), 0, 1e-3));
    }

    // zip format (LibTorch's pickle_save writes what torch.save >= 1.6 writes), a bare state
    // dict with DataParallel's "module." prefix, and mmcv's {meta, state_dict}: the same model.
    void everyLayoutGivesTheSameBundle() {
        QTemporaryDir dir;
        const fs::path d(dir.path().toStdString());
        io::importReferenceCheckpoint(options(kDir / "tiny_48_17.pth", d / "a"));
        const auto expected = tensorsOf(d / "a");
        const auto sd = readFixture();

        writeVariant(d / "bare_module.pth", sd, true, "module.");
        writeVariant(d / "mmcv.pth", sd, false);
        c10::Dict<std::string, at::Tensor> inner;
        for (const auto& [name, t] : sd) inner.insert(name, t);
        c10::Dict<std::string, c10::Dict<std::string, at::Tensor>> outer;
        outer.insert("state_dict", inner);
        {
            const std::vector<char> zip = torch::jit::pickle_save(c10::IValue(outer));
            std::ofstream(d / "zip.pth", std::ios::binary)
                .write(zip.data(), static_cast<std::streamsize>(zip.size()));
        }
        for (const char* name : {"bare_module.pth", "mmcv.pth", "zip.pth"}) {
            io::ReferenceImportReport r;
            try {
                r = io::importReferenceCheckpoint(
                    options(d / name, d / (std::string(name) + ".bundle")));
            } catch (const std::exception& e) {
                QFAIL((std::string(name) + ": " + e.what()).c_str());
            }
            if (std::string(name) == "bare_module.pth") QVERIFY(r.strippedModulePrefix);
            if (std::string(name) == "zip.pth")
                QCOMPARE(QString::fromStdString(r.format), QString("zip"));
            requireEqual(expected, tensorsOf(d / (std::string(name) + ".bundle")));
        }
    }

    void damagedAndMismatchedCheckpointsAreNamed() {
        QTemporaryDir dir;
        const fs::path d(dir.path().toStdString());
        const auto sd = readFixture();
        // Truncated in the storage section.
        {
            std::ifstream in(kDir / "tiny_48_17.pth", std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
            bytes.resize(bytes.size() / 2);
            std::ofstream(d / "cut.pth", std::ios::binary) << bytes;
            const Error e =
                errorOf([&] { io::importReferenceCheckpoint(options(d / "cut.pth", d / "b1")); });
            QCOMPARE(e.code(), ErrorCode::CheckpointInvalid);
            QVERIFY2(std::string(e.what()).find("truncated at byte " +
                                                std::to_string(bytes.size())) != std::string::npos,
                     e.what());
            QVERIFY(!fs::exists(d / "b1"));
        }
        // A wrong shape, a missing key and an unexpected key: each named.
        {
            auto bad = sd;
            for (auto& [name, t] : bad)
                if (name == "bbox_head.fc_semantic.weight") t = t.slice(0, 0, 299).contiguous();
            writeVariant(d / "shape.pth", bad, true);
            const Error e =
                errorOf([&] { io::importReferenceCheckpoint(options(d / "shape.pth", d / "b2")); });
            QCOMPARE(e.code(), ErrorCode::CheckpointInvalid);
            QCOMPARE(e.arg("key"), std::string("bbox_head.fc_semantic.weight"));
            QCOMPARE(e.arg("expected"), std::string("(300, 32)"));
            QCOMPARE(e.arg("found"), std::string("(299, 32)"));
        }
        {
            auto bad = sd;
            bad.erase(
                std::remove_if(bad.begin(), bad.end(),
                               [](const auto& p) { return p.first == "rpn_head.vec_fb.weight"; }),
                bad.end());
            bad.emplace_back("bbox_head.extra.weight", at::zeros({2}));
            writeVariant(d / "keys.pth", bad, true);
            const Error e =
                errorOf([&] { io::importReferenceCheckpoint(options(d / "keys.pth", d / "b3")); });
            QCOMPARE(e.code(), ErrorCode::CheckpointInvalid);
            const std::string what = e.what();
            QVERIFY2(what.find("missing keys: rpn_head.vec_fb.weight") != std::string::npos,
                     what.c_str());
            QVERIFY2(what.find("unexpected keys: bbox_head.extra.weight") != std::string::npos,
                     what.c_str());
        }
        // BatchNorm counters absent (checkpoints of torch < 0.4.1) are tolerated.
        {
            auto old = sd;
            old.erase(std::remove_if(old.begin(), old.end(),
                                     [](const auto& p) {
                                         return p.first.find("num_batches_tracked") !=
                                                std::string::npos;
                                     }),
                      old.end());
            writeVariant(d / "old.pth", old, true);
            const io::ReferenceImportReport r =
                io::importReferenceCheckpoint(options(d / "old.pth", d / "b4"));
            QVERIFY(!r.tolerated.empty());
        }
        // The other split's preset.
        {
            auto o = options(kDir / "tiny_48_17.pth", d / "b5");
            o.config.clear();
            o.preset = "65_15";
            const Error e = errorOf([&] { io::importReferenceCheckpoint(o); });
            QCOMPARE(e.code(), ErrorCode::CheckpointInvalid);
            QVERIFY2(std::string(e.what()).find("48 seen classes") != std::string::npos &&
                         std::string(e.what()).find("--preset 48_17") != std::string::npos,
                     e.what());
        }
        // VOC missing or of the wrong size; vectors of the wrong dimension.
        {
            auto o = options(kDir / "tiny_48_17.pth", d / "b6");
            o.voc.clear();
            QCOMPARE(errorOf([&] { io::importReferenceCheckpoint(o); }).code(),
                     ErrorCode::InvalidArgument);
            o.voc = o.vectors;  // 300 x 66 instead of 300 x 40
            const Error e = errorOf([&] { io::importReferenceCheckpoint(o); });
            QCOMPARE(e.code(), ErrorCode::DimensionMismatch);
            QCOMPARE(e.arg("found"), std::string("300 x 66"));
            o.voc = kDir / "voc_stand_in_k40.txt";
            o.vectors = o.voc;
            QCOMPARE(errorOf([&] { io::importReferenceCheckpoint(o); }).code(),
                     ErrorCode::DimensionMismatch);
            QVERIFY(!fs::exists(d / "b6"));
        }
        // Not a checkpoint at all.
        {
            std::ofstream(d / "text.pth") << "hello";
            QCOMPARE(errorOf([&] {
                         io::importReferenceCheckpoint(options(d / "text.pth", d / "b7"));
                     }).code(),
                     ErrorCode::CheckpointInvalid);
        }
    }

    void cancelWritesNothing() {
        QTemporaryDir dir;
        const fs::path out = fs::path(dir.path().toStdString()) / "bundle";
        std::atomic<bool> cancel{false};
        auto o = options(kDir / "tiny_48_17.pth", out);
        o.cancel = &cancel;
        o.progress = [&](double f, const std::string&) {
            if (f > 0.3) cancel = true;
        };
        QCOMPARE(errorOf([&] { io::importReferenceCheckpoint(o); }).code(), ErrorCode::Cancelled);
        QVERIFY(!fs::exists(out));
    }

    // import -> export (legacy format, reference keys, mmcv layout) -> import: identical.
    void exportRoundTrip() {
        QTemporaryDir dir;
        const fs::path d(dir.path().toStdString());
        io::importReferenceCheckpoint(options(kDir / "tiny_48_17.pth", d / "a"));
        io::ReferenceExportOptions e;
        e.bundle = d / "a";
        e.out = d / "exported.pth";
        const io::ReferenceExportReport r = io::exportReferenceCheckpoint(e);
        QCOMPARE(r.tensors, std::size_t(178));
        QCOMPARE(r.classes.size(),
                 std::size_t(17));  // meta.CLASSES: the unseen names, as mmdet records them
        checkpoint::TorchFile f = checkpoint::TorchFile::open(e.out);
        QCOMPARE(f.format(), checkpoint::FileFormat::Legacy);
        const checkpoint::StateDict sd = checkpoint::findStateDict(f);
        QVERIFY(sd.hadMeta);
        QCOMPARE(sd.classNames.front(), std::string("bus"));
        std::set<std::string> names;
        for (const auto& x : sd.entries) names.insert(x.name);
        std::set<std::string> fixtureNames;
        for (const auto& [name, t] : readFixture()) fixtureNames.insert(name);
        QCOMPARE(names, fixtureNames);
        io::importReferenceCheckpoint(options(e.out, d / "b"));
        requireEqual(tensorsOf(d / "a"), tensorsOf(d / "b"));
    }
};

ZSI_TEST_SUITE(TestReferenceImport)
#include "test_reference_import.moc"
