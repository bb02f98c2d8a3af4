#pragma once
// The emoji benchmark: scenes of real object categories drawn from emoji sets (Noto,
// Twemoji, Fluent: resources/emoji/, see its README for sources and licences). Unseen
// classes are new concepts ("cow", "umbrella") that the model must place in word-vector
// space from their seen neighbours, as in COCO 48/17, not new combinations of seen parts.
//
// Each scene holds 1-10 drawings of split classes, varied in scale (small objects too),
// rotation, flips, colour (brightness, contrast, saturation, hue) and blur, partly covering
// each other, over a procedural background or a crop of a photo. A drawing's mask is its
// alpha channel (>= 128) after the transform, minus what later drawings cover: masks are the
// visible part, and the pixels are composited through the same alpha, so they agree.
// Drawings come from chosen styles, so a model trained on some styles can be tested on
// another (style shift). Deterministic per (seed, image index) on a given build.
#include "data/synth.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace zsi::synth {

struct EmojiDrawing {
    std::string style;      // "noto", "twemoji", "fluent"
    std::string id;         // code points, e.g. "1f415"
    std::string emojiName;  // short name, e.g. "dog2"
    std::string className;  // class_map.tsv "class": a plain English name ("dog", "turkey")
    std::string coco;       // class_map.tsv "coco": the COCO 48/17 class, or empty ("bird")
    std::filesystem::path file;
};

// Which name a split's classes are matched against: the COCO 48/17 column (a turkey drawing
// is a "bird") or the fine class column (a turkey is a "turkey").
enum class EmojiLabels { Coco, Class };
std::optional<EmojiLabels> parseEmojiLabels(const std::string& name);  // "coco", "class"

// resources/emoji/manifest.json. Throws Error(FileNotFound / JsonMalformed / JsonSchema).
class EmojiPack {
public:
    static EmojiPack load(const std::filesystem::path& dir);
    const std::vector<EmojiDrawing>& drawings() const { return drawings_; }
    std::vector<std::string> styles() const;
    // The drawings of a class name in the given styles (all styles when empty).
    std::vector<const EmojiDrawing*> drawingsOf(const std::string& name, EmojiLabels labels,
                                                const std::vector<std::string>& styles) const;
    const std::filesystem::path& dir() const { return dir_; }

private:
    std::filesystem::path dir_;
    std::vector<EmojiDrawing> drawings_;
};

struct EmojiSynthOptions {
    SynthSet set = SynthSet::Train;
    uint64_t seed = 1;
    int imageSize = 256;
    int minObjects = 1, maxObjects = 10;
    // Object extent (longest side of the drawing) as a fraction of the image size, drawn
    // log-uniformly so that small objects are as common as large ones: 14-130 px on 256 px.
    double minObjectFraction = 14.0 / 256.0, maxObjectFraction = 130.0 / 256.0;
    double minVisibleFraction = 0.4;
    std::vector<std::string> styles;  // empty: every style of the pack
    EmojiLabels labels = EmojiLabels::Coco;
    std::filesystem::path backgroundsDir;  // photos; empty: procedural backgrounds only
    double photoFraction = 0.35;           // share of photo backgrounds when photos are given
};

class EmojiSynthGenerator : public SceneGenerator {
public:
    // Throws Error(InvalidClassName) naming every split class without a drawing in the chosen
    // styles, Error(InvalidArgument) for impossible options.
    EmojiSynthGenerator(Split split, const EmojiPack& pack, EmojiSynthOptions options);

    SynthImage generate(int64_t index) const override;
    std::vector<coco::Category> categories() const override;
    int imageSize() const override { return options_.imageSize; }
    nlohmann::json datasetInfo() const override;
    const Split& split() const { return split_; }
    // Drawings per class (in split order) in the chosen styles.
    const std::vector<std::vector<EmojiDrawing>>& drawingsPerClass() const { return drawings_; }

private:
    struct Sprite {
        cv::Mat rgba;  // premultiplied RGBA (CV_8UC4), cropped to the alpha's bounding box
    };
    Split split_;
    EmojiSynthOptions options_;
    std::vector<std::string> classes_;
    std::vector<std::vector<EmojiDrawing>> drawings_;  // per class
    std::vector<std::vector<Sprite>> sprites_;         // per class, same order
    std::vector<size_t> seenIdx_, unseenIdx_;
    std::vector<cv::Mat> photos_;  // background photos, decoded once
};

}  // namespace zsi::synth
