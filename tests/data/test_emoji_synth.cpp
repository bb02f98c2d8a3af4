// Unit tests of the emoji benchmark (core/data/emoji_synth): the pack and its licences, the
// split files and the class table's rules, the generator's determinism, masks that are the
// visible part of each drawing, and sets that keep unseen classes out of training.
#include "data/emoji_synth.h"
#include "data/rle.h"
#include "data/split.h"
#include "test_registry.h"
#include "util/error.h"

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using namespace zsi;
using namespace zsi::synth;

namespace {

const fs::path kEmoji = fs::path(ZSI_SOURCE_DIR) / "resources" / "emoji";

std::vector<std::string> words(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    std::string w;
    while (in >> w) out.push_back(w);
    return out;
}

std::vector<std::string> lines(const fs::path& p) {
    std::ifstream in(p);
    std::vector<std::string> out;
    std::string l;
    while (std::getline(in, l))
        if (!l.empty()) out.push_back(l);
    return out;
}

}  // namespace

class TestEmojiSynth : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void packHasItsLicencesAndFiles() {
        for (const char* f :
             {"LICENSES.md", "LICENSE-Apache-2.0.txt", "README.md", "class_map.tsv"})
            QVERIFY2(fs::exists(kEmoji / f), f);
        const EmojiPack pack = EmojiPack::load(kEmoji);
        QVERIFY(pack.drawings().size() > 1500);
        const auto styles = pack.styles();
        QVERIFY(styles.size() >= 2);
        const std::string licences = [&] {
            std::ifstream in(kEmoji / "LICENSES.md");
            return std::string((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        }();
        QVERIFY(licences.find("CC BY 4.0") != std::string::npos ||
                licences.find("CC-BY-4.0") != std::string::npos);
        QVERIFY(licences.find("Apache") != std::string::npos);
        for (const auto& d : pack.drawings()) QVERIFY2(fs::exists(d.file), d.file.string().c_str());
    }

    // emoji-coco-48-17 is the COCO 48/17 split (same order) minus classes without drawings;
    // emoji-wide keeps its unseen classes and adds hundreds of seen ones, none of them a
    // variant of an unseen class.
    void splitsFollowTheRules() {
        const auto coco =
            lines(fs::path(ZSI_SOURCE_DIR) / "resources" / "reference" / "classes_48_17.txt");
        const std::vector<std::string> cocoSeen(coco.begin(), coco.begin() + 48),
            cocoUnseen(coco.begin() + 48, coco.end());
        const Split a = readSplit(kEmoji / "splits" / "emoji-coco-48-17.json");
        QVERIFY(a.seen.size() >= 35 && a.unseen.size() >= 12);
        auto inOrder = [](const std::vector<std::string>& sub,
                          const std::vector<std::string>& all) {
            size_t k = 0;
            for (const auto& s : sub) {
                while (k < all.size() && all[k] != s) ++k;
                if (k == all.size()) return false;
            }
            return true;
        };
        QVERIFY(inOrder(a.seen, cocoSeen));
        QVERIFY(inOrder(a.unseen, cocoUnseen));
        const Split w = readSplit(kEmoji / "splits" / "emoji-wide.json");
        QCOMPARE(w.unseen, a.unseen);
        QVERIFY(w.seen.size() > 300);
        // Variants and synonyms of the unseen classes (as in scripts/emoji/check_class_map.py).
        const std::map<std::string, std::vector<std::string>> synonyms = {
            {"bus", {"minibus", "trolleybus", "autobus", "omnibus", "coach", "schoolbus"}},
            {"dog",
             {"puppy", "pup", "hound", "poodle", "terrier", "retriever", "bulldog", "spaniel",
              "husky", "pug", "corgi"}},
            {"cow", {"cattle", "ox", "oxen", "bull", "calf", "heifer"}},
            {"umbrella", {"parasol", "brolly"}},
            {"cup", {"mug", "teacup", "tumbler"}},
            {"knife", {"dagger", "cleaver", "machete", "knives"}},
            {"cake", {"cupcake", "cheesecake", "shortcake", "mooncake"}},
            {"couch", {"sofa", "settee", "loveseat", "futon"}},
            {"airplane", {"plane", "aeroplane", "aircraft", "jet", "airliner", "biplane"}},
            {"cat", {"kitten", "kitty", "tomcat"}},
        };
        for (const auto& s : w.seen)
            for (const auto& word : words(s))
                for (const auto& u : w.unseen) {
                    QVERIFY2(
                        word != u,
                        ("seen class '" + s + "' contains the unseen class '" + u + "'").c_str());
                    const auto it = synonyms.find(u);
                    if (it == synonyms.end()) continue;
                    for (const auto& v : it->second)
                        QVERIFY2(word != v,
                                 ("seen class '" + s + "' is a variant of the unseen '" + u + "'")
                                     .c_str());
                }
        // The table maps a fine class (turkey) to its COCO class (bird), never an unseen one
        // to anything else.
        std::ifstream tsv(kEmoji / "class_map.tsv");
        std::string line;
        std::getline(tsv, line);
        while (std::getline(tsv, line)) {
            std::vector<std::string> f;
            std::stringstream ss(line);
            std::string cell;
            while (std::getline(ss, cell, '\t')) f.push_back(cell);
            QVERIFY(f.size() >= 7);
            for (const auto& u : w.unseen)
                if (f[6] == u) QCOMPARE(QString::fromStdString(f[5]), QString::fromStdString(u));
        }
    }

    void deterministicAndMasksAreTheVisibleDrawings() {
        const EmojiPack pack = EmojiPack::load(kEmoji);
        const Split split = readSplit(kEmoji / "splits" / "emoji-coco-48-17.json");
        EmojiSynthOptions o;
        o.set = SynthSet::GzsiTest;
        o.seed = 5;
        o.styles = {"noto"};
        const EmojiSynthGenerator gen(split, pack, o);
        int objects = 0, small = 0;
        for (int i = 0; i < 12; ++i) {
            const SynthImage a = gen.generate(i), b = gen.generate(i);
            QCOMPARE(a.bgr.size(), cv::Size(256, 256));
            QCOMPARE(cv::norm(a.bgr, b.bgr, cv::NORM_INF), 0.0);
            QCOMPARE(a.objects.size(), b.objects.size());
            // Each mask is its drawing's alpha minus what the drawings painted after it cover.
            for (size_t k = 0; k < a.objects.size(); ++k) {
                cv::Mat later = cv::Mat::zeros(256, 256, CV_8U);
                for (size_t j = k + 1; j < a.objects.size(); ++j)
                    later |= rle::decode(a.objects[j].amodal);
                const cv::Mat expected = rle::decode(a.objects[k].amodal) & ~later;
                const cv::Mat got = rle::decode(a.objects[k].mask);
                QCOMPARE(cv::countNonZero(expected != got), 0);
                QVERIFY(cv::countNonZero(got) > 0);
                QCOMPARE(rle::toString(a.objects[k].mask), rle::toString(b.objects[k].mask));
                ++objects;
                if (a.objects[k].bbox[2] * a.objects[k].bbox[3] < 32 * 32) ++small;
            }
        }
        QVERIFY(objects > 30);
        QVERIFY2(small > 3, "small objects should be common");
        // Another seed, another image.
        EmojiSynthOptions o2 = o;
        o2.seed = 6;
        QVERIFY(cv::norm(EmojiSynthGenerator(split, pack, o2).generate(0).bgr, gen.generate(0).bgr,
                         cv::NORM_INF) > 0);
    }

    void trainSetsHaveNoUnseenObject() {
        const EmojiPack pack = EmojiPack::load(kEmoji);
        const Split split = readSplit(kEmoji / "splits" / "emoji-coco-48-17.json");
        EmojiSynthOptions o;
        o.set = SynthSet::Train;
        o.styles = {"twemoji"};
        const EmojiSynthGenerator gen(split, pack, o);
        for (int i = 0; i < 20; ++i)
            for (const auto& obj : gen.generate(i).objects) QVERIFY(!obj.unseen);
        o.set = SynthSet::ZsiTest;
        const EmojiSynthGenerator test(split, pack, o);
        for (int i = 0; i < 10; ++i) {
            const auto objs = test.generate(i).objects;
            QVERIFY(std::any_of(objs.begin(), objs.end(),
                                [](const SynthObject& x) { return x.unseen; }));
        }
    }

    void badOptionsAreNamed() {
        const EmojiPack pack = EmojiPack::load(kEmoji);
        Split split;
        split.seen = {"dog", "no such thing"};
        split.unseen = {"cat"};
        EmojiSynthOptions o;
        try {
            EmojiSynthGenerator(split, pack, o);
            QFAIL("expected an error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidClassName);
            QVERIFY(std::string(e.what()).find("no such thing") != std::string::npos);
        }
        o.styles = {"comic-sans"};
        split.seen = {"dog"};
        try {
            EmojiSynthGenerator(split, pack, o);
            QFAIL("expected an error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
        }
        try {
            EmojiPack::load("/nonexistent");
            QFAIL("expected an error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileNotFound);
        }
    }
};

ZSI_TEST_SUITE(TestEmojiSynth)
#include "test_emoji_synth.moc"
