#pragma once
// The synthetic zero-shot benchmark: "colour shape" classes ("red square") whose names are
// real English words, so word vectors carry the zero-shot transfer (a class embeds as the
// mean of its two word vectors).
//
// Each image holds 1-8 objects with random size, aspect, rotation, shading and texture,
// partial occlusion (a mask is the visible part) and touching objects, over a procedural
// background (gradient, noise, texture, clutter in non-class colours) or a crop of a photo.
// Every object is rasterised once as its own binary mask (cv::fillPoly) and its colour is
// painted through that mask, so masks and pixels agree exactly.
//
// Determinism: everything is drawn from zsi::Rng seeded by (seed, image index), so the same
// seed gives the same pixels and JSON on the same build, whatever the thread count.
#include "data/coco.h"
#include "data/split.h"

#include <opencv2/core.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace zsi::synth {

enum class SynthSet {
    Train,     // seen classes only: no unseen object at all
    ZsiTest,   // every image holds at least one unseen object (seen ones may appear too)
    GzsiTest,  // seen and unseen objects mixed (each object unseen with probability 1/2)
};
std::optional<SynthSet> parseSet(const std::string& name);  // "train", "zsi-test", "gzsi-test"
std::string setName(SynthSet set);

const std::vector<std::string>& colourNames();  // red green blue yellow orange purple
const std::vector<std::string>&
shapeNames();  // circle square triangle star heart cross hexagon ring crescent
// The RGB value a colour is painted with (before shading).
cv::Vec3b colourRgb(size_t colourIndex);
// "red square" -> {colour index, shape index}; nullopt for other names.
std::optional<std::pair<size_t, size_t>> parseClassName(const std::string& name);

struct SynthOptions {
    SynthSet set = SynthSet::Train;
    uint64_t seed = 1;
    int imageSize = 256;
    int minObjects = 1, maxObjects = 8;
    // Object extent (longest side before rotation) as a fraction of the image size:
    // 24-110 px on 256 px images.
    double minObjectFraction = 24.0 / 256.0, maxObjectFraction = 110.0 / 256.0;
    // An object keeps at least this fraction of its pixels visible after occlusion.
    double minVisibleFraction = 0.4;
    std::filesystem::path backgroundsDir;  // empty: procedural backgrounds
    // Flat class colours on a flat grey background, no shading or texture (tests check
    // masks against pixels with it).
    bool plain = false;
};

struct SynthObject {
    size_t classIndex = 0;  // index in split.all() (category id = classIndex + 1)
    std::string className;
    bool unseen = false;
    Rle mask;    // visible pixels
    Rle amodal;  // the whole object, before later objects covered parts of it
    BoxXywh bbox{};
};

struct SynthImage {
    cv::Mat bgr;                       // CV_8UC3
    std::vector<SynthObject> objects;  // painting order, back to front
};

// What writeDataset() needs from a generator of synthetic scenes (colour shapes, emoji).
class SceneGenerator {
public:
    virtual ~SceneGenerator() = default;
    // Image `index` of the set; the same index gives the same image.
    virtual SynthImage generate(int64_t index) const = 0;
    // Categories 1..N in split order (seen, then unseen).
    virtual std::vector<coco::Category> categories() const = 0;
    virtual int imageSize() const = 0;
    // The dataset's info block (description, set, seed, ...).
    virtual nlohmann::json datasetInfo() const = 0;
};

class SynthGenerator : public SceneGenerator {
public:
    // Throws Error(InvalidClassName) for a split class that is not "colour shape", and
    // Error(InvalidArgument) for impossible options (e.g. a test set without unseen classes).
    SynthGenerator(Split split, SynthOptions options);

    SynthImage generate(int64_t index) const override;
    const Split& split() const { return split_; }
    const SynthOptions& options() const { return options_; }
    // Categories 1..N in split order (seen, then unseen), supercategory = shape.
    std::vector<coco::Category> categories() const override;
    int imageSize() const override { return options_.imageSize; }
    nlohmann::json datasetInfo() const override;

private:
    Split split_;
    SynthOptions options_;
    std::vector<std::string> classes_;  // split.all()
    std::vector<std::pair<size_t, size_t>> colourShape_;
    std::vector<size_t> seenIdx_, unseenIdx_;
    std::vector<cv::Mat> photos_;  // background photos, decoded once
};

// Writes DIR/images/000001.png ... and DIR/instances.json (file_name is relative to DIR,
// e.g. "images/000001.png"); returns the dataset written. `progress(done, total)` is called
// from the calling thread.
coco::Dataset writeDataset(const std::filesystem::path& outDir, int numImages,
                           const SceneGenerator& gen, int threads = 0,
                           const std::function<void(int, int)>& progress = {});

// The split rules for "colour shape" benchmarks: every colour and every shape among the
// seen classes, and no two unseen classes that are mirror images of the same seen
// neighbours (not both "red square" and "blue circle" when "red circle" and "blue square"
// are seen). `report` is a readable summary either way.
struct SplitCheck {
    bool ok = true;
    std::vector<std::string> problems;
    std::string report;
};
SplitCheck checkSplit(const Split& split);

}  // namespace zsi::synth
