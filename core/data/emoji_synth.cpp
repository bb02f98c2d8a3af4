// The emoji scene generator (see emoji_synth.h).
#include "data/emoji_synth.h"

#include "data/rle.h"
#include "data/synth_scene_p.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/random.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace zsi::synth {
namespace {

namespace fs = std::filesystem;
using namespace scene;

constexpr double kPi = 3.14159265358979323846;
constexpr uint8_t kNone = 255;

// Straight-alpha RGBA (from the PNG, BGRA order) -> premultiplied RGBA cropped to the alpha's
// bounding box (with a 1 px transparent margin so the warp's interpolation sees the edge).
cv::Mat loadSprite(const fs::path& file) {
    cv::Mat bgra = cv::imread(file.string(), cv::IMREAD_UNCHANGED);
    if (bgra.empty() || bgra.channels() != 4 || bgra.depth() != CV_8U)
        throw Error(ErrorCode::ImageDecodeFailed, "not an 8-bit RGBA drawing: " + file.string(),
                    {{"path", file.string()}});
    std::vector<cv::Mat> ch;
    cv::split(bgra, ch);
    const cv::Rect box = cv::boundingRect(ch[3] >= 128);
    if (box.area() == 0)
        throw Error(ErrorCode::ImageDecodeFailed,
                    "a drawing without opaque pixels: " + file.string(), {{"path", file.string()}});
    cv::Rect grown(box.x - 1, box.y - 1, box.width + 2, box.height + 2);
    grown &= cv::Rect(0, 0, bgra.cols, bgra.rows);
    cv::Mat crop = bgra(grown);
    cv::Mat out(crop.rows, crop.cols, CV_8UC4);
    for (int y = 0; y < crop.rows; ++y) {
        const auto* s = crop.ptr<cv::Vec4b>(y);
        auto* d = out.ptr<cv::Vec4b>(y);
        for (int x = 0; x < crop.cols; ++x) {
            const int a = s[x][3];
            // RGBA order, premultiplied, rounded.
            d[x] = {uint8_t((s[x][2] * a + 127) / 255), uint8_t((s[x][1] * a + 127) / 255),
                    uint8_t((s[x][0] * a + 127) / 255), uint8_t(a)};
        }
    }
    return out;
}

// A linear colour transform of premultiplied RGB: brightness, contrast around mid-grey,
// saturation (blend with luma) and a hue rotation (in YIQ), all linear, so they commute with
// premultiplication: rgb' = M rgb + offset * alpha.
struct ColourJitter {
    cv::Matx33d m = cv::Matx33d::eye();
    double offset = 0;  // per unit alpha, 0..255 scale
};

ColourJitter randomJitter(Rng& r) {
    const double brightness = r.uniform(0.8, 1.2), contrast = r.uniform(0.8, 1.2);
    const double saturation = r.uniform(0.6, 1.3), hue = r.uniform(-0.2, 0.2);  // radians
    const cv::Matx33d toYiq(0.299, 0.587, 0.114, 0.596, -0.274, -0.322, 0.211, -0.523, 0.312);
    const cv::Matx33d fromYiq = toYiq.inv();
    const double c = std::cos(hue), s = std::sin(hue);
    const cv::Matx33d rot(1, 0, 0, 0, c * saturation, -s * saturation, 0, s * saturation,
                          c * saturation);
    ColourJitter j;
    j.m = brightness * contrast * (fromYiq * rot * toYiq);
    j.offset = brightness * 128.0 * (1 - contrast);
    return j;
}

// Applies the jitter to a premultiplied RGBA sprite (a copy).
cv::Mat applyJitter(const cv::Mat& rgba, const ColourJitter& j) {
    cv::Mat out(rgba.size(), CV_8UC4);
    for (int y = 0; y < rgba.rows; ++y) {
        const auto* s = rgba.ptr<cv::Vec4b>(y);
        auto* d = out.ptr<cv::Vec4b>(y);
        for (int x = 0; x < rgba.cols; ++x) {
            const double a = s[x][3];
            for (int k = 0; k < 3; ++k) {
                const double v = j.m(k, 0) * s[x][0] + j.m(k, 1) * s[x][1] + j.m(k, 2) * s[x][2] +
                                 j.offset * a / 255.0;
                d[x][k] =
                    uint8_t(std::clamp(std::lround(v), 0l, long(a)));  // premultiplied: <= alpha
            }
            d[x][3] = s[x][3];
        }
    }
    return out;
}

struct Placement {
    double cx = 0, cy = 0, extent = 0;  // extent: longest side of the drawing in pixels
};

}  // namespace

std::optional<EmojiLabels> parseEmojiLabels(const std::string& name) {
    if (name == "coco") return EmojiLabels::Coco;
    if (name == "class") return EmojiLabels::Class;
    return std::nullopt;
}

EmojiPack EmojiPack::load(const fs::path& dir) {
    const fs::path manifest = dir / "manifest.json";
    if (!fs::exists(manifest))
        throw Error(ErrorCode::FileNotFound,
                    "no emoji pack at " + dir.string() + " (manifest.json missing)",
                    {{"path", manifest.string()}});
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(readFileBytes(manifest));
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(ErrorCode::JsonMalformed, manifest.string() + ": " + e.what(),
                    {{"path", manifest.string()}, {"reason", e.what()}});
    }
    auto schema = [&](const std::string& field) {
        return Error(
            ErrorCode::JsonSchema,
            manifest.string() + ": field '" + field + "' missing or mistyped",
            {{"path", manifest.string()}, {"field", field}, {"reason", "missing or mistyped"}});
    };
    if (!j.is_object() || !j.contains("entries") || !j["entries"].is_array())
        throw schema("entries");
    EmojiPack pack;
    pack.dir_ = dir;
    for (const auto& e : j["entries"]) {
        if (!e.is_object()) throw schema("entries[]");
        EmojiDrawing d;
        try {
            d.style = e.at("style").get<std::string>();
            d.id = e.at("id").get<std::string>();
            d.emojiName = e.value("short_name", std::string());
            d.className = e.at("class").get<std::string>();
            d.coco = e.contains("coco") && e["coco"].is_string() ? e["coco"].get<std::string>()
                                                                 : std::string();
            d.file = dir / e.at("file").get<std::string>();
        } catch (const nlohmann::json::exception&) {
            throw schema("entries[].style/id/class/file");
        }
        pack.drawings_.push_back(std::move(d));
    }
    return pack;
}

std::vector<std::string> EmojiPack::styles() const {
    std::vector<std::string> out;
    for (const auto& d : drawings_)
        if (std::find(out.begin(), out.end(), d.style) == out.end()) out.push_back(d.style);
    return out;
}

std::vector<const EmojiDrawing*> EmojiPack::drawingsOf(
    const std::string& name, EmojiLabels labels, const std::vector<std::string>& styles) const {
    std::vector<const EmojiDrawing*> out;
    for (const auto& d : drawings_) {
        if (!styles.empty() && std::find(styles.begin(), styles.end(), d.style) == styles.end())
            continue;
        if ((labels == EmojiLabels::Coco ? d.coco : d.className) == name) out.push_back(&d);
    }
    return out;
}

EmojiSynthGenerator::EmojiSynthGenerator(Split split, const EmojiPack& pack,
                                         EmojiSynthOptions options)
    : split_(std::move(split)), options_(std::move(options)) {
    validateSplit(split_);
    auto bad = [](const std::string& name, const std::string& reason) {
        return Error(ErrorCode::InvalidArgument, name + ": " + reason,
                     {{"name", name}, {"reason", reason}});
    };
    if (options_.imageSize < 32 || options_.imageSize > 4096)
        throw bad("size", "image size must be 32..4096");
    if (options_.minObjects < 1 || options_.maxObjects < options_.minObjects ||
        options_.maxObjects > 64)
        throw bad("objects", "need 1 <= min <= max <= 64 objects");
    if (!(options_.minObjectFraction > 0) ||
        options_.maxObjectFraction < options_.minObjectFraction || options_.maxObjectFraction > 1)
        throw bad("object size", "need 0 < min <= max <= 1");
    const auto packStyles = pack.styles();
    for (const auto& s : options_.styles)
        if (std::find(packStyles.begin(), packStyles.end(), s) == packStyles.end())
            throw bad("style", "no style '" + s + "' in the emoji pack");
    classes_ = split_.all();
    std::vector<std::string> missing;
    for (size_t i = 0; i < classes_.size(); ++i) {
        std::vector<EmojiDrawing> ds;
        for (const EmojiDrawing* d : pack.drawingsOf(classes_[i], options_.labels, options_.styles))
            ds.push_back(*d);
        if (ds.empty()) missing.push_back(classes_[i]);
        drawings_.push_back(std::move(ds));
        (i < split_.seen.size() ? seenIdx_ : unseenIdx_).push_back(i);
    }
    if (!missing.empty()) {
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
        throw Error(ErrorCode::InvalidClassName,
                    "no emoji drawing for: " + list + " (in the chosen styles)",
                    {{"name", list}, {"reason", "no drawing"}});
    }
    if (options_.set == SynthSet::Train && seenIdx_.empty())
        throw bad("set", "train needs seen classes");
    if (options_.set != SynthSet::Train && unseenIdx_.empty())
        throw bad("set", setName(options_.set) + " needs unseen classes");
    // Sprites of the classes a set can contain (a train set never decodes unseen drawings).
    sprites_.resize(classes_.size());
    for (size_t i = 0; i < classes_.size(); ++i) {
        const bool unseen = i >= split_.seen.size();
        if (options_.set == SynthSet::Train && unseen) continue;
        for (const auto& d : drawings_[i]) sprites_[i].push_back({loadSprite(d.file)});
    }
    if (!options_.backgroundsDir.empty()) photos_ = loadPhotos(options_.backgroundsDir);
}

std::vector<coco::Category> EmojiSynthGenerator::categories() const {
    std::vector<coco::Category> out;
    for (size_t i = 0; i < classes_.size(); ++i) {
        coco::Category c;
        c.id = int64_t(i) + 1;
        c.name = classes_[i];
        c.supercategory = i < split_.seen.size() ? "seen" : "unseen";
        c.extra["drawings"] = drawings_[i].size();
        out.push_back(std::move(c));
    }
    return out;
}

nlohmann::json EmojiSynthGenerator::datasetInfo() const {
    std::vector<std::string> styles = options_.styles;
    if (styles.empty()) {
        std::set<std::string> all;
        for (const auto& ds : drawings_)
            for (const auto& d : ds) all.insert(d.style);
        styles.assign(all.begin(), all.end());
    }
    return {{"description", "ZSI Studio emoji zero-shot benchmark"},
            {"set", setName(options_.set)},
            {"seed", options_.seed},
            {"image_size", options_.imageSize},
            {"styles", styles},
            {"labels", options_.labels == EmojiLabels::Coco ? "coco" : "class"},
            {"drawings_licence",
             "resources/emoji/LICENSES.md (Noto: Apache-2.0, Twemoji: CC BY 4.0, Fluent: MIT)"},
            {"version", 1}};
}

SynthImage EmojiSynthGenerator::generate(int64_t index) const {
    Rng r(imageSeed(options_.seed ^ 0x656d6f6a69ull, index));  // "emoji": apart from the shape sets
    const int S = options_.imageSize;
    cv::Mat rgb = !photos_.empty() && r.bernoulli(options_.photoFraction)
                      ? backgroundPhoto(r, S, photos_)
                      : proceduralBackground(r, S);
    cv::Mat acc;  // float RGB canvas
    rgb.convertTo(acc, CV_32FC3);

    const int n = int(r.uniformInt(options_.minObjects, options_.maxObjects));
    const double minSize = options_.minObjectFraction * S, maxSize = options_.maxObjectFraction * S;
    const int minVisiblePixels = std::max(12, int(0.12 * minSize * minSize));
    cv::Mat label(S, S, CV_8U, cv::Scalar(kNone));
    std::vector<cv::Mat> amodal;  // per placed object: its mask (alpha >= 128) before occlusion
    std::vector<size_t> classOf;
    std::vector<Placement> places;
    std::vector<int> amodalArea, visibleArea;

    for (int slot = 0; slot < n; ++slot) {
        bool unseen = false;
        if (options_.set == SynthSet::ZsiTest) unseen = slot == 0 || r.bernoulli(0.6);
        if (options_.set == SynthSet::GzsiTest) unseen = r.bernoulli(0.5);
        const auto& pool = unseen ? unseenIdx_ : seenIdx_;
        if (pool.empty()) continue;
        const size_t cls = pool[size_t(r.uniformInt(0, int64_t(pool.size()) - 1))];
        const auto& sprites = sprites_[cls];
        const Sprite& sprite = sprites[size_t(r.uniformInt(0, int64_t(sprites.size()) - 1))];
        // Appearance, drawn once per object whatever the placement attempts.
        const ColourJitter jitter = randomJitter(r);
        const double angle = r.bernoulli(0.6) ? r.uniform(-25, 25) : 0.0;
        const bool flipH = r.bernoulli(0.5), flipV = r.bernoulli(0.05);
        const double aspect = std::exp(r.uniform(std::log(0.85), std::log(1.18)));
        const double blur = r.bernoulli(0.25) ? r.uniform(0.4, 1.2) : 0.0;
        const cv::Mat tinted = applyJitter(sprite.rgba, jitter);
        for (int attempt = 0; attempt < 25; ++attempt) {
            Placement pl;
            pl.extent = std::exp(r.uniform(std::log(minSize), std::log(maxSize)));
            const double lo = pl.extent * 0.25, hi = S - pl.extent * 0.25;
            if (!places.empty() && r.bernoulli(0.3)) {
                // Next to an existing object: touching or overlapping a little.
                const Placement& o = places[size_t(r.uniformInt(0, int64_t(places.size()) - 1))];
                const double d = (o.extent + pl.extent) * 0.5 * r.uniform(0.6, 0.95),
                             a = r.uniform(0, 2 * kPi);
                pl.cx = std::clamp(o.cx + d * std::cos(a), lo, hi);
                pl.cy = std::clamp(o.cy + d * std::sin(a), lo, hi);
            } else {
                pl.cx = r.uniform(lo, hi);
                pl.cy = r.uniform(lo, hi);
            }
            // Sprite -> image: centre, scale to the extent (with the aspect jitter), flip, rotate.
            const double scale = pl.extent / std::max(tinted.cols, tinted.rows);
            const double sx = scale * std::sqrt(aspect) * (flipH ? -1 : 1);
            const double sy = scale / std::sqrt(aspect) * (flipV ? -1 : 1);
            const double t = angle * kPi / 180, c = std::cos(t), s = std::sin(t);
            const double hx = tinted.cols / 2.0, hy = tinted.rows / 2.0;
            const cv::Matx23d m(c * sx, -s * sy, pl.cx - (c * sx * hx - s * sy * hy),  //
                                s * sx, c * sy, pl.cy - (s * sx * hx + c * sy * hy));
            cv::Mat warped;
            cv::warpAffine(tinted, warped, m, cv::Size(S, S), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                           cv::Scalar::all(0));
            if (blur > 0) cv::GaussianBlur(warped, warped, cv::Size(0, 0), blur);
            std::vector<cv::Mat> ch;
            cv::split(warped, ch);
            const cv::Mat mask = ch[3] >= 128;  // 0 / 255
            const int area = cv::countNonZero(mask);
            if (area < minVisiblePixels) continue;
            std::vector<int> lost(amodal.size(), 0);
            const cv::Rect box = cv::boundingRect(mask);
            for (int y = box.y; y < box.y + box.height; ++y) {
                const uint8_t* mp = mask.ptr<uint8_t>(y);
                const uint8_t* lp = label.ptr<uint8_t>(y);
                for (int x = box.x; x < box.x + box.width; ++x)
                    if (mp[x] && lp[x] != kNone) ++lost[lp[x]];
            }
            bool ok = true;
            for (size_t j = 0; j < amodal.size() && ok; ++j) {
                const int left = visibleArea[j] - lost[j];
                ok =
                    left >= minVisiblePixels && left >= options_.minVisibleFraction * amodalArea[j];
            }
            if (!ok) continue;
            for (size_t j = 0; j < amodal.size(); ++j) visibleArea[j] -= lost[j];
            label.setTo(cv::Scalar(double(amodal.size())), mask);
            // Composite the premultiplied drawing over the canvas.
            for (int y = 0; y < S; ++y) {
                const auto* w = warped.ptr<cv::Vec4b>(y);
                auto* p = acc.ptr<cv::Vec3f>(y);
                for (int x = 0; x < S; ++x) {
                    const float a = w[x][3] / 255.f;
                    if (w[x][3] == 0) continue;
                    for (int k = 0; k < 3; ++k) p[x][k] = float(w[x][k]) + p[x][k] * (1 - a);
                }
            }
            amodal.push_back(mask);
            classOf.push_back(cls);
            places.push_back(pl);
            amodalArea.push_back(area);
            visibleArea.push_back(area);
            break;
        }
    }

    SynthImage out;
    acc.convertTo(rgb, CV_8UC3);
    if (r.bernoulli(0.1)) addNoise(r, rgb, 6);
    cv::cvtColor(rgb, out.bgr, cv::COLOR_RGB2BGR);
    for (size_t i = 0; i < amodal.size(); ++i) {
        SynthObject o;
        o.classIndex = classOf[i];
        o.className = classes_[classOf[i]];
        o.unseen = classOf[i] >= split_.seen.size();
        o.mask = rle::encode(label == uint8_t(i));
        o.amodal = rle::encode(amodal[i] / 255);
        o.bbox = rle::toBbox(o.mask);
        out.objects.push_back(std::move(o));
    }
    return out;
}

}  // namespace zsi::synth
