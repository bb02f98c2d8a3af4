// Unit tests of core/checkpoint: torch.save files of every layout written by Debian's
// python3-torch (tests/make_checkpoint_fixtures.py; expected values in expected.json),
// damaged files, and the legacy writer read back by our reader.
#include "checkpoint/pickle.h"
#include "checkpoint/torch_file.h"
#include "checkpoint/torch_file_writer.h"
#include "test_registry.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace zsi;
using namespace zsi::checkpoint;

namespace {

const fs::path kDir = fs::path(ZSI_FIXTURES_DIR) / "checkpoint";

nlohmann::json expected() {
    std::ifstream in(kDir / "expected.json");
    return nlohmann::json::parse(in);
}

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeAll(const fs::path& p, const std::string& s) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << s;
}

template <typename F>
Error errorOf(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    return Error(ErrorCode::Unknown, "no error");
}

}  // namespace

class TestTorchFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyLayoutReadsTheSameValues_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        for (const char* f : {"mmcv_legacy.pth", "published_legacy.pth", "bare_module_fp16.pth",
                              "cuda_tagged_legacy.pth", "parameters_legacy.pth"})
            QTest::newRow(f) << f << "legacy";
        for (const char* f :
             {"mmcv_zip.pth", "bare_fp64_zip.pth", "bf16_zip.pth", "cuda_tagged_zip.pth"})
            QTest::newRow(f) << f << "zip";
    }
    void everyLayoutReadsTheSameValues() {
        QFETCH(QString, file);
        QFETCH(QString, format);
        const auto want = expected()[file.toStdString()];
        TorchFile tf = TorchFile::open(kDir / file.toStdString());
        QCOMPARE(QString(formatName(tf.format())), format);
        const StateDict sd = findStateDict(tf);
        QCOMPARE(sd.entries.size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i) {
            const auto& w = want[i];
            const StateDictEntry& e = sd.entries[i];
            QCOMPARE(QString::fromStdString(e.name),
                     QString::fromStdString(w["name"].get<std::string>()));
            QCOMPARE(e.tensor.sizes, w["shape"].get<std::vector<std::int64_t>>());
            const auto values = w["values"].get<std::vector<double>>();
            QCOMPARE(static_cast<std::size_t>(e.tensor.numel()), values.size());
            if (isFloating(e.tensor.type)) {
                std::vector<float> got(values.size());
                tf.readFloat(e.tensor, got.data());
                for (std::size_t k = 0; k < values.size(); ++k)
                    QCOMPARE(static_cast<double>(got[k]),
                             static_cast<double>(static_cast<float>(values[k])));
            } else {
                std::vector<std::int64_t> got(values.size());
                tf.readInt64(e.tensor, got.data());
                for (std::size_t k = 0; k < values.size(); ++k)
                    QCOMPARE(got[k], static_cast<std::int64_t>(values[k]));
            }
        }
        if (file.contains("module")) QVERIFY(sd.strippedModulePrefix);
        if (file.startsWith("mmcv")) {
            QVERIFY(sd.hadOptimizer);
            QVERIFY(sd.hadMeta);
            QCOMPARE(sd.classNames,
                     (std::vector<std::string>{"person", "bicycle", "traffic light"}));
        }
        if (file.startsWith("cuda")) QCOMPARE(sd.locations, std::vector<std::string>{"cuda:0"});
    }

    void stridedViewsAndOffsetsAreHonoured() {
        TorchFile tf = TorchFile::open(kDir / "mmcv_legacy.pth");
        const StateDict sd = findStateDict(tf);
        for (const auto& e : sd.entries) {
            if (e.name == "head.view") {
                QVERIFY(!e.tensor.contiguous());
                QCOMPARE(e.tensor.strides, (std::vector<std::int64_t>{1, 6}));
            }
            if (e.name == "head.offset_view") QCOMPARE(e.tensor.offset, std::int64_t(7));
        }
        // The two views share one storage.
        std::size_t a = 99, b = 98;
        for (const auto& e : sd.entries) {
            if (e.name == "head.view") a = e.tensor.storage;
            if (e.name == "head.offset_view") b = e.tensor.storage;
        }
        QCOMPARE(a, b);
    }

    void notCheckpointsAreNamed() {
        auto e = errorOf([] { findStateDict(TorchFile::open(kDir / "a_list.pth")); });
        QCOMPARE(e.code(), ErrorCode::CheckpointInvalid);
        QVERIFY2(std::string(e.what()).find("not a checkpoint") != std::string::npos, e.what());
        e = errorOf([] { findStateDict(TorchFile::open(kDir / "no_tensors.pth")); });
        QVERIFY2(std::string(e.what()).find("no tensors") != std::string::npos, e.what());
        QTemporaryDir dir;
        const fs::path p = fs::path(dir.path().toStdString()) / "x.pth";
        for (const std::string& bytes :
             {std::string(), std::string("hello world, not a checkpoint"),
              std::string("\x80\x02K\x05.", 5), std::string("PK\x03\x04garbage", 11)}) {
            writeAll(p, bytes);
            e = errorOf([&] { findStateDict(TorchFile::open(p)); });
            QVERIFY2(e.code() == ErrorCode::CheckpointInvalid, e.what());
        }
        e = errorOf([&] { TorchFile::open(fs::path(dir.path().toStdString()) / "missing.pth"); });
        QCOMPARE(e.code(), ErrorCode::FileNotFound);
    }

    // Every prefix of a real file fails with a named error (never a crash), and cuts in the
    // storage section say "truncated at byte N".
    void truncationAtEveryLengthIsAnError() {
        QTemporaryDir dir;
        const fs::path p = fs::path(dir.path().toStdString()) / "cut.pth";
        for (const char* name : {"mmcv_legacy.pth", "mmcv_zip.pth"}) {
            const std::string whole = readAll(kDir / name);
            int truncatedMessages = 0;
            for (std::size_t n = 0; n < whole.size(); n += (n < 200 ? 1 : 7)) {
                writeAll(p, whole.substr(0, n));
                const Error e = errorOf([&] {
                    TorchFile tf = TorchFile::open(p);
                    const StateDict sd = findStateDict(tf);
                    std::vector<float> buf;
                    for (const auto& x : sd.entries) {
                        buf.resize(static_cast<std::size_t>(x.tensor.numel()));
                        tf.readFloat(x.tensor, buf.data());
                    }
                });
                QVERIFY2(e.code() == ErrorCode::CheckpointInvalid,
                         (std::string(name) + " cut at " + std::to_string(n)).c_str());
                if (std::string(e.what()).find("truncated at byte " + std::to_string(n)) !=
                    std::string::npos)
                    ++truncatedMessages;
            }
            QVERIFY(truncatedMessages > 10);
        }
    }

    void flippedBytesNeverCrash() {
        QTemporaryDir dir;
        const fs::path p = fs::path(dir.path().toStdString()) / "flip.pth";
        const std::string whole = readAll(kDir / "mmcv_legacy.pth");
        for (std::size_t i = 0; i < whole.size(); i += 3) {
            std::string b = whole;
            b[i] = static_cast<char>(b[i] ^ 0x5a);
            writeAll(p, b);
            fuzzTorchFile(reinterpret_cast<const std::uint8_t*>(b.data()), b.size());
        }
    }

    // The fuzz entry point over the corpus (every checkpoint fixture, each also cut in half):
    // it must return normally whatever the input.
    void fuzzEntryOverTheCorpus() {
        int files = 0;
        for (const auto& dir : {kDir, fs::path(ZSI_FIXTURES_DIR) / "reference"})
            for (const auto& e : fs::directory_iterator(dir)) {
                const std::string bytes = readAll(e.path());
                QCOMPARE(fuzzTorchFile(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                       bytes.size()),
                         0);
                QCOMPARE(fuzzTorchFile(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                       bytes.size() / 2),
                         0);
                ++files;
            }
        QVERIFY(files > 10);
    }

    void writerRoundTrip() {
        QTemporaryDir dir;
        const fs::path p = fs::path(dir.path().toStdString()) / "out.pth";
        std::vector<float> w(2 * 3 * 4);
        for (std::size_t i = 0; i < w.size(); ++i) w[i] = 0.25f * static_cast<float>(i) - 1.f;
        std::vector<std::int64_t> n{123456789012LL};
        std::vector<float> scalar{3.5f};
        std::vector<TensorToWrite> sd{{"a.weight", ElementType::Float32, {2, 3, 4}, w.data()},
                                      {"a.num_batches_tracked", ElementType::Int64, {}, n.data()},
                                      {"b.scalar", ElementType::Float32, {1}, scalar.data()},
                                      {"c.empty", ElementType::Float32, {0, 5}, nullptr}};
        const nlohmann::json meta = {
            {"CLASSES", {"person", "dog"}}, {"epoch", 12}, {"lr", 0.01}, {"flag", true}};
        writeLegacyCheckpoint(p, sd, meta);
        TorchFile tf = TorchFile::open(p);
        QCOMPARE(tf.format(), FileFormat::Legacy);
        const StateDict back = findStateDict(tf);
        QCOMPARE(back.entries.size(), sd.size());
        QCOMPARE(back.classNames, (std::vector<std::string>{"person", "dog"}));
        QVERIFY(!back.hadOptimizer);
        std::vector<float> got(w.size());
        tf.readFloat(back.entries[0].tensor, got.data());
        QCOMPARE(got, w);
        std::int64_t m = 0;
        QVERIFY(back.entries[1].tensor.sizes.empty());
        tf.readInt64(back.entries[1].tensor, &m);
        QCOMPARE(m, n[0]);
        QCOMPARE(back.entries[3].tensor.numel(), std::int64_t(0));
        // The meta values come back as Python values.
        const pickle::Value* metaV = tf.root().find("meta");
        QVERIFY(metaV);
        QCOMPARE(metaV->find("epoch")->i, std::int64_t(12));
        QCOMPARE(metaV->find("lr")->f, 0.01);
        QVERIFY(metaV->find("flag")->b);
    }

    void pickleCyclesAndDeepNestingAreSafe() {
        // A list appended to itself, then STOP.
        const std::string cyc(
            "\x80\x02]q\x00"
            "h\x00"
            "a.",
            9);
        const pickle::Pickle p = pickle::Pickle::parse(cyc);
        QCOMPARE(p.root().items.size(), std::size_t(1));
        QCOMPARE(p.root().items[0], &p.root());
        // 100k nested empty lists via MARK ... LIST.
        std::string deep("\x80\x02", 2);
        for (int i = 0; i < 100000; ++i) deep += "(";
        for (int i = 0; i < 100000; ++i) deep += "l";
        deep += ".";
        const pickle::Pickle d = pickle::Pickle::parse(deep);
        QCOMPARE(d.root().kind, pickle::Kind::List);
        // Bad memo index, unknown opcode, over-long string claim.
        for (const std::string& bad :
             {std::string("\x80\x02h\x05.", 5), std::string("\x80\x02\xff.", 4),
              std::string("\x80\x02X\xff\xff\xff\x7f", 8)}) {
            bool threw = false;
            try {
                pickle::Pickle::parse(bad);
            } catch (const pickle::PickleError&) {
                threw = true;
            }
            QVERIFY(threw);
        }
    }
};

ZSI_TEST_SUITE(TestTorchFile)
#include "test_torch_file.moc"
