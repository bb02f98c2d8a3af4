// The synthetic benchmark generator (see synth.h). Only zsi::Rng, integer rasterisation and
// plain loops touch the pixels: no std:: distributions, no SIMD-dispatched OpenCV filters,
// so a seed gives the same bytes on every run of a build.
#include "data/synth.h"

#include "data/coco_io.h"
#include "data/synth_scene_p.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/random.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace zsi::synth {
namespace {

using namespace scene;

constexpr double kPi = 3.14159265358979323846;
constexpr uint8_t kNone = 255;  // label map: no object

const std::vector<cv::Vec3b> kClassRgb = {{215, 35, 35},  {35, 165, 60},  {40, 85, 215},
                                          {240, 215, 35}, {245, 135, 25}, {135, 45, 175}};

const cv::Vec3b kPlainBackground{128, 128, 128};

using Poly = std::vector<cv::Point2d>;
struct UnitShape {
    std::vector<Poly> fill, cut;  // unit coordinates in about [-1, 1]
};

Poly circle(double r, double cx = 0, double cy = 0, int n = 72) {
    Poly p;
    for (int i = 0; i < n; ++i) {
        const double a = 2 * kPi * i / n;
        p.push_back({cx + r * std::cos(a), cy + r * std::sin(a)});
    }
    return p;
}

Poly regular(int n, double r, double phase) {
    Poly p;
    for (int i = 0; i < n; ++i) {
        const double a = phase + 2 * kPi * i / n;
        p.push_back({r * std::cos(a), r * std::sin(a)});
    }
    return p;
}

UnitShape unitShape(size_t shape) {
    switch (shape) {
        case 0:
            return {{circle(1)}, {}};
        case 1:
            return {{regular(4, 1.2, kPi / 4)}, {}};
        case 2:
            return {{regular(3, 1.1, -kPi / 2)}, {}};
        case 3: {
            Poly p;
            for (int i = 0; i < 10; ++i) {
                const double a = -kPi / 2 + kPi * i / 5, r = i % 2 ? 0.45 : 1.1;
                p.push_back({r * std::cos(a), r * std::sin(a)});
            }
            return {{p}, {}};
        }
        case 4: {
            Poly p;
            for (int i = 0; i < 72; ++i) {
                const double t = 2 * kPi * i / 72, s = std::sin(t);
                const double x = 16 * s * s * s;
                const double y = -(13 * std::cos(t) - 5 * std::cos(2 * t) - 2 * std::cos(3 * t) -
                                   std::cos(4 * t));
                p.push_back({x / 16.5, (y + 2.5) / 16.5});
            }
            return {{p}, {}};
        }
        case 5: {
            const double w = 0.34;
            return {{{{-w, -1},
                      {w, -1},
                      {w, -w},
                      {1, -w},
                      {1, w},
                      {w, w},
                      {w, 1},
                      {-w, 1},
                      {-w, w},
                      {-1, w},
                      {-1, -w},
                      {-w, -w}}},
                    {}};
        }
        case 6:
            return {{regular(6, 1.05, 0)}, {}};
        case 7:
            return {{circle(1)}, {circle(0.55)}};
        default:
            return {{circle(1)}, {circle(0.85, 0.5, -0.05)}};
    }
}

struct Placement {
    double cx = 0, cy = 0, half = 0, aspect = 1, theta = 0;
};

// Rasterises a shape as a binary mask (0 / 1) of the whole image: the one source of truth
// for both the mask and the painted pixels.
cv::Mat rasterise(const UnitShape& s, const Placement& pl, int size) {
    cv::Mat m = cv::Mat::zeros(size, size, CV_8U);
    const double sx = pl.half * std::sqrt(pl.aspect), sy = pl.half / std::sqrt(pl.aspect);
    const double c = std::cos(pl.theta), sn = std::sin(pl.theta);
    constexpr int kShift = 3;  // sub-pixel vertices, 1/8 px
    auto toPoints = [&](const Poly& p) {
        std::vector<cv::Point> out;
        out.reserve(p.size());
        for (const auto& q : p) {
            const double x = q.x * sx, y = q.y * sy;
            out.emplace_back(int(std::lround((pl.cx + c * x - sn * y) * (1 << kShift))),
                             int(std::lround((pl.cy + sn * x + c * y) * (1 << kShift))));
        }
        return out;
    };
    std::vector<std::vector<cv::Point>> fill, cut;
    for (const auto& p : s.fill) fill.push_back(toPoints(p));
    for (const auto& p : s.cut) cut.push_back(toPoints(p));
    cv::fillPoly(m, fill, cv::Scalar(1), cv::LINE_8, kShift);
    if (!cut.empty()) cv::fillPoly(m, cut, cv::Scalar(0), cv::LINE_8, kShift);
    return m;
}

// Paints one object's colour through its mask with shading and texture.
void paintObject(Rng& r, cv::Mat& rgb, const cv::Mat& mask, const Placement& pl, cv::Vec3b base,
                 bool plain) {
    const cv::Rect box = cv::boundingRect(mask);
    if (plain) {
        rgb(box).setTo(cv::Scalar(base[0], base[1], base[2]), mask(box));
        return;
    }
    const cv::Vec3b colour = jitter(r, base, 14);
    const double g = r.uniform(0.0, 0.3), phi = r.uniform(0, 2 * kPi);
    const double gc = std::cos(phi), gs = std::sin(phi);
    const int texture = int(r.uniformInt(0, 2));  // 0 none, 1 noise, 2 stripes
    const double period = r.uniform(5, 14), psi = r.uniform(0, kPi);
    const double pc = std::cos(psi), ps = std::sin(psi);
    for (int y = box.y; y < box.y + box.height; ++y) {
        const uint8_t* m = mask.ptr<uint8_t>(y);
        auto* p = rgb.ptr<cv::Vec3b>(y);
        for (int x = box.x; x < box.x + box.width; ++x) {
            if (!m[x]) continue;
            double f = 1 + g * ((x - pl.cx) * gc + (y - pl.cy) * gs) / std::max(1.0, pl.half);
            if (texture == 1) f += 0.05 * (r.uniform() - 0.5);
            if (texture == 2) f *= 1 + 0.08 * std::sin(2 * kPi * (x * pc + y * ps) / period);
            f = std::clamp(f, 0.65, 1.3);
            for (int k = 0; k < 3; ++k) p[x][k] = clampU8(colour[k] * f);
        }
    }
}

}  // namespace

std::optional<SynthSet> parseSet(const std::string& name) {
    if (name == "train") return SynthSet::Train;
    if (name == "zsi-test") return SynthSet::ZsiTest;
    if (name == "gzsi-test") return SynthSet::GzsiTest;
    return std::nullopt;
}

std::string setName(SynthSet set) {
    switch (set) {
        case SynthSet::Train:
            return "train";
        case SynthSet::ZsiTest:
            return "zsi-test";
        case SynthSet::GzsiTest:
            return "gzsi-test";
    }
    return "train";
}

const std::vector<std::string>& colourNames() {
    static const std::vector<std::string> v = {"red",    "green",  "blue",
                                               "yellow", "orange", "purple"};
    return v;
}

const std::vector<std::string>& shapeNames() {
    static const std::vector<std::string> v = {"circle", "square",  "triangle", "star",    "heart",
                                               "cross",  "hexagon", "ring",     "crescent"};
    return v;
}

cv::Vec3b colourRgb(size_t colourIndex) {
    return kClassRgb.at(colourIndex);
}

std::optional<std::pair<size_t, size_t>> parseClassName(const std::string& name) {
    const auto sp = name.find(' ');
    if (sp == std::string::npos) return std::nullopt;
    const std::string c = name.substr(0, sp), s = name.substr(sp + 1);
    const auto& cs = colourNames();
    const auto& ss = shapeNames();
    const auto ci = std::find(cs.begin(), cs.end(), c);
    const auto si = std::find(ss.begin(), ss.end(), s);
    if (ci == cs.end() || si == ss.end()) return std::nullopt;
    return std::make_pair(size_t(ci - cs.begin()), size_t(si - ss.begin()));
}

SynthGenerator::SynthGenerator(Split split, SynthOptions options)
    : split_(std::move(split)), options_(std::move(options)) {
    validateSplit(split_);
    classes_ = split_.all();
    for (size_t i = 0; i < classes_.size(); ++i) {
        const auto cs = parseClassName(classes_[i]);
        if (!cs)
            throw Error(ErrorCode::InvalidClassName,
                        "class '" + classes_[i] +
                            "' is not \"<colour> <shape>\" of the synthetic benchmark",
                        {{"name", classes_[i]}, {"reason", "unknown colour or shape"}});
        colourShape_.push_back(*cs);
        (i < split_.seen.size() ? seenIdx_ : unseenIdx_).push_back(i);
    }
    auto bad = [](const std::string& name, const std::string& reason) {
        return Error(ErrorCode::InvalidArgument, name + ": " + reason,
                     {{"name", name}, {"reason", reason}});
    };
    if (options_.imageSize < 32 || options_.imageSize > 4096)
        throw bad("size", "image size must be 32..4096");
    if (options_.minObjects < 1 || options_.maxObjects < options_.minObjects ||
        options_.maxObjects > 64)
        throw bad("objects", "need 1 <= min <= max <= 64 objects");
    if (options_.set == SynthSet::Train && seenIdx_.empty())
        throw bad("set", "train needs seen classes");
    if (options_.set != SynthSet::Train && unseenIdx_.empty())
        throw bad("set", setName(options_.set) + " needs unseen classes");
    if (!options_.backgroundsDir.empty()) photos_ = loadPhotos(options_.backgroundsDir);
}

std::vector<coco::Category> SynthGenerator::categories() const {
    std::vector<coco::Category> out;
    for (size_t i = 0; i < classes_.size(); ++i) {
        coco::Category c;
        c.id = int64_t(i) + 1;
        c.name = classes_[i];
        c.supercategory = shapeNames()[colourShape_[i].second];
        c.extra["colour"] = colourNames()[colourShape_[i].first];
        c.extra["shape"] = shapeNames()[colourShape_[i].second];
        out.push_back(std::move(c));
    }
    return out;
}

SynthImage SynthGenerator::generate(int64_t index) const {
    Rng r(imageSeed(options_.seed, index));
    const int S = options_.imageSize;
    SynthImage out;
    cv::Mat rgb;
    if (options_.plain) {
        rgb = cv::Mat(S, S, CV_8UC3,
                      cv::Scalar(kPlainBackground[0], kPlainBackground[1], kPlainBackground[2]));
    } else if (!photos_.empty()) {
        rgb = backgroundPhoto(r, S, photos_);
    } else {
        rgb = proceduralBackground(r, S);
    }

    const int n = int(r.uniformInt(options_.minObjects, options_.maxObjects));
    const double minSize = options_.minObjectFraction * S, maxSize = options_.maxObjectFraction * S;
    const int minVisiblePixels = std::max(16, int(0.15 * minSize * minSize));
    cv::Mat label(S, S, CV_8U, cv::Scalar(kNone));
    std::vector<cv::Mat> masks;
    std::vector<Placement> places;
    std::vector<size_t> classOf;
    std::vector<int> amodalArea, visibleArea;

    for (int slot = 0; slot < n; ++slot) {
        bool unseen = false;
        if (options_.set == SynthSet::ZsiTest) unseen = slot == 0 || r.bernoulli(0.6);
        if (options_.set == SynthSet::GzsiTest) unseen = !unseenIdx_.empty() && r.bernoulli(0.5);
        const auto& pool = unseen ? unseenIdx_ : seenIdx_;
        if (pool.empty()) continue;
        const size_t cls = pool[size_t(r.uniformInt(0, int64_t(pool.size()) - 1))];
        const UnitShape shape = unitShape(colourShape_[cls].second);
        for (int attempt = 0; attempt < 25; ++attempt) {
            Placement pl;
            pl.half = r.uniform(minSize, maxSize) / 2;
            pl.aspect = std::exp(r.uniform(std::log(0.7), std::log(1.4)));
            pl.theta = r.uniform(0, 2 * kPi);
            const double lo = pl.half * 0.6, hi = S - pl.half * 0.6;
            if (!places.empty() && r.bernoulli(0.35)) {
                // Touching: next to an existing object, edges meeting or slightly overlapping.
                const Placement& o = places[size_t(r.uniformInt(0, int64_t(places.size()) - 1))];
                const double d = (o.half + pl.half) * r.uniform(0.7, 0.95),
                             a = r.uniform(0, 2 * kPi);
                pl.cx = std::clamp(o.cx + d * std::cos(a), lo, hi);
                pl.cy = std::clamp(o.cy + d * std::sin(a), lo, hi);
            } else {
                pl.cx = r.uniform(lo, hi);
                pl.cy = r.uniform(lo, hi);
            }
            cv::Mat m = rasterise(shape, pl, S);
            const int area = cv::countNonZero(m);
            if (area < minVisiblePixels) continue;
            // Pixels each earlier object would lose under the new one.
            std::vector<int> lost(masks.size(), 0);
            const cv::Rect box = cv::boundingRect(m);
            for (int y = box.y; y < box.y + box.height; ++y) {
                const uint8_t* mp = m.ptr<uint8_t>(y);
                const uint8_t* lp = label.ptr<uint8_t>(y);
                for (int x = box.x; x < box.x + box.width; ++x)
                    if (mp[x] && lp[x] != kNone) ++lost[lp[x]];
            }
            bool ok = true;
            for (size_t j = 0; j < masks.size() && ok; ++j) {
                const int left = visibleArea[j] - lost[j];
                ok =
                    left >= minVisiblePixels && left >= options_.minVisibleFraction * amodalArea[j];
            }
            if (!ok) continue;
            for (size_t j = 0; j < masks.size(); ++j) visibleArea[j] -= lost[j];
            label.setTo(cv::Scalar(double(masks.size())), m);
            masks.push_back(std::move(m));
            places.push_back(pl);
            classOf.push_back(cls);
            amodalArea.push_back(area);
            visibleArea.push_back(area);
            break;
        }
    }

    for (size_t i = 0; i < masks.size(); ++i)
        paintObject(r, rgb, masks[i], places[i], kClassRgb[colourShape_[classOf[i]].first],
                    options_.plain);

    for (size_t i = 0; i < masks.size(); ++i) {
        SynthObject o;
        o.classIndex = classOf[i];
        o.className = classes_[classOf[i]];
        o.unseen = classOf[i] >= split_.seen.size();
        o.mask = rle::encode(label == uint8_t(i));
        o.amodal = rle::encode(masks[i]);
        o.bbox = rle::toBbox(o.mask);
        out.objects.push_back(std::move(o));
    }
    cv::cvtColor(rgb, out.bgr, cv::COLOR_RGB2BGR);
    return out;
}

nlohmann::json SynthGenerator::datasetInfo() const {
    return {{"description", "ZSI Studio synthetic zero-shot benchmark"},
            {"set", setName(options_.set)},
            {"seed", options_.seed},
            {"image_size", options_.imageSize},
            {"version", 1}};
}

coco::Dataset writeDataset(const std::filesystem::path& outDir, int numImages,
                           const SceneGenerator& gen, int threads,
                           const std::function<void(int, int)>& progress) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(outDir / "images", ec);
    if (ec)
        throw Error(ErrorCode::FileWriteFailed, "cannot create " + (outDir / "images").string(),
                    {{"path", (outDir / "images").string()}, {"reason", ec.message()}});
    const int S = gen.imageSize();
    std::vector<std::vector<SynthObject>> objects(size_t(std::max(0, numImages)));
    auto name = [](int i) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "images/%06d.png", i + 1);
        return std::string(buf);
    };
    std::atomic<int> next{0}, done{0};
    std::mutex errMutex;
    std::exception_ptr error;
    auto work = [&](bool reports) {
        for (int i = next++; i < numImages; i = next++) {
            try {
                SynthImage im = gen.generate(i);
                std::vector<uchar> png;
                cv::imencode(".png", im.bgr, png);
                writeFileAtomic(
                    outDir / name(i),
                    std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
                objects[size_t(i)] = std::move(im.objects);
            } catch (...) {
                std::lock_guard<std::mutex> lock(errMutex);
                if (!error) error = std::current_exception();
                next = numImages;  // stop the others
            }
            const int d = ++done;
            if (reports && progress) progress(d, numImages);
        }
    };
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    const int nt = std::max(1, std::min(numImages, threads > 0 ? threads : int(hw)));
    std::vector<std::thread> pool;
    for (int t = 1; t < nt; ++t) pool.emplace_back(work, false);
    work(true);
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
    if (progress) progress(numImages, numImages);

    coco::Dataset d;
    d.info = gen.datasetInfo();
    d.categories = gen.categories();
    int64_t annId = 1;
    for (int i = 0; i < numImages; ++i) {
        d.images.push_back({i + 1, name(i), S, S, nlohmann::json::object()});
        for (const auto& o : objects[size_t(i)]) {
            const uint64_t area = rle::area(o.mask);
            if (area == 0) continue;
            coco::Annotation a;
            a.id = annId++;
            a.imageId = i + 1;
            a.categoryId = int64_t(o.classIndex) + 1;
            a.bbox = o.bbox;
            a.area = double(area);
            a.segmentation = coco::toCompressed(o.mask);
            d.annotations.push_back(std::move(a));
        }
    }
    coco::writeInstances(outDir / "instances.json", d);
    return d;
}

SplitCheck checkSplit(const Split& split) {
    SplitCheck c;
    const auto& cs = colourNames();
    const auto& ss = shapeNames();
    // grid[colour][shape]: 0 absent, 1 seen, 2 unseen
    std::vector<std::vector<int>> grid(cs.size(), std::vector<int>(ss.size(), 0));
    std::set<size_t> usedC, usedS, seenC, seenS;
    auto place = [&](const std::vector<std::string>& names, int v) {
        for (const auto& n : names) {
            const auto p = parseClassName(n);
            if (!p) {
                c.problems.push_back("'" + n + "' is not \"<colour> <shape>\"");
                continue;
            }
            grid[p->first][p->second] = v;
            usedC.insert(p->first);
            usedS.insert(p->second);
            if (v == 1) seenC.insert(p->first), seenS.insert(p->second);
        }
    };
    place(split.seen, 1);
    place(split.unseen, 2);
    for (size_t i : usedC)
        if (!seenC.count(i))
            c.problems.push_back("colour '" + cs[i] + "' appears in no seen class");
    for (size_t j : usedS)
        if (!seenS.count(j)) c.problems.push_back("shape '" + ss[j] + "' appears in no seen class");
    int mirrors = 0;
    for (size_t a = 0; a < cs.size(); ++a)
        for (size_t s = 0; s < ss.size(); ++s)
            for (size_t b = a + 1; b < cs.size(); ++b)
                for (size_t t = 0; t < ss.size(); ++t) {
                    if (s == t || grid[a][s] != 2 || grid[b][t] != 2) continue;
                    if (grid[a][t] == 1 && grid[b][s] == 1) {
                        ++mirrors;
                        c.problems.push_back("unseen '" + cs[a] + " " + ss[s] + "' and '" + cs[b] +
                                             " " + ss[t] + "' mirror the seen '" + cs[a] + " " +
                                             ss[t] + "' and '" + cs[b] + " " + ss[s] + "'");
                    }
                }
    c.ok = c.problems.empty();
    std::ostringstream os;
    os << split.seen.size() + split.unseen.size() << " classes: " << split.seen.size() << " seen, "
       << split.unseen.size() << " unseen; colours among seen " << seenC.size() << "/"
       << usedC.size() << ", shapes among seen " << seenS.size() << "/" << usedS.size()
       << ", mirror pairs " << mirrors << "\n";
    os << "          ";
    for (const auto& s : ss) os << s.substr(0, 4) << ' ';
    os << "\n";
    for (size_t i = 0; i < cs.size(); ++i) {
        os << cs[i] << std::string(10 - std::min<size_t>(9, cs[i].size()), ' ');
        for (size_t j = 0; j < ss.size(); ++j)
            os << "  "
               << ".SU"[grid[i][j]] << "  ";
        os << "\n";
    }
    for (const auto& p : c.problems) os << "problem: " << p << "\n";
    c.report = os.str();
    return c;
}

}  // namespace zsi::synth
