// Backgrounds and seeds shared by the synthetic scene generators (see synth_scene_p.h).
#include "data/synth_scene_p.h"

#include "util/error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace zsi::synth::scene {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Background colours: greys, browns, beige, slate - none close to a class colour.
const std::vector<cv::Vec3b> kNeutralRgb = {{90, 90, 90},    {130, 130, 130}, {170, 170, 170},
                                            {205, 205, 200}, {60, 60, 65},    {120, 95, 70},
                                            {150, 125, 95},  {200, 185, 160}, {95, 100, 110},
                                            {175, 165, 150}, {230, 228, 220}, {40, 38, 36}};

bool isImageFile(const std::filesystem::path& p) {
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return e == ".png" || e == ".jpg" || e == ".jpeg" || e == ".bmp" || e == ".tif" ||
           e == ".tiff" || e == ".webp";
}

}  // namespace

uint8_t clampU8(double v) {
    return static_cast<uint8_t>(std::clamp(std::lround(v), 0l, 255l));
}

cv::Vec3b jitter(Rng& r, cv::Vec3b c, int amount) {
    return {clampU8(c[0] + r.uniformInt(-amount, amount)),
            clampU8(c[1] + r.uniformInt(-amount, amount)),
            clampU8(c[2] + r.uniformInt(-amount, amount))};
}

cv::Vec3b neutral(Rng& r) {
    return jitter(r, kNeutralRgb[size_t(r.uniformInt(0, int64_t(kNeutralRgb.size()) - 1))], 10);
}

void addNoise(Rng& r, cv::Mat& rgb, int amount) {
    for (int y = 0; y < rgb.rows; ++y) {
        auto* p = rgb.ptr<cv::Vec3b>(y);
        for (int x = 0; x < rgb.cols; ++x) {
            const int n = int(r.uniformInt(-amount, amount));
            for (int k = 0; k < 3; ++k) p[x][k] = clampU8(p[x][k] + n);
        }
    }
}

namespace {

cv::Mat backgroundGradient(Rng& r, int S) {
    const cv::Vec3b a = neutral(r), b = neutral(r);
    const double phi = r.uniform(0, 2 * kPi), c = std::cos(phi), s = std::sin(phi);
    cv::Mat m(S, S, CV_8UC3);
    for (int y = 0; y < S; ++y)
        for (int x = 0; x < S; ++x) {
            const double t =
                std::clamp(((x - S / 2.0) * c + (y - S / 2.0) * s) / (S * 0.71) + 0.5, 0.0, 1.0);
            auto& p = m.at<cv::Vec3b>(y, x);
            for (int k = 0; k < 3; ++k) p[k] = clampU8(a[k] * (1 - t) + b[k] * t);
        }
    addNoise(r, m, 3);
    return m;
}

cv::Mat backgroundNoise(Rng& r, int S) {
    // Low-frequency noise: a coarse grid of neutral colours, bilinearly upsampled by hand.
    const int g = int(r.uniformInt(3, 9));
    std::vector<cv::Vec3b> grid(size_t((g + 1) * (g + 1)));
    for (auto& v : grid) v = neutral(r);
    cv::Mat m(S, S, CV_8UC3);
    for (int y = 0; y < S; ++y) {
        const double gy = double(y) * g / S;
        const int y0 = int(gy);
        const double fy = gy - y0;
        for (int x = 0; x < S; ++x) {
            const double gx = double(x) * g / S;
            const int x0 = int(gx);
            const double fx = gx - x0;
            const auto& a = grid[size_t(y0 * (g + 1) + x0)];
            const auto& b = grid[size_t(y0 * (g + 1) + x0 + 1)];
            const auto& c = grid[size_t((y0 + 1) * (g + 1) + x0)];
            const auto& d = grid[size_t((y0 + 1) * (g + 1) + x0 + 1)];
            auto& p = m.at<cv::Vec3b>(y, x);
            for (int k = 0; k < 3; ++k)
                p[k] = clampU8((a[k] * (1 - fx) + b[k] * fx) * (1 - fy) +
                               (c[k] * (1 - fx) + d[k] * fx) * fy);
        }
    }
    addNoise(r, m, 8);
    return m;
}

cv::Mat backgroundTexture(Rng& r, int S) {
    const cv::Vec3b a = neutral(r), b = neutral(r);
    const bool checker = r.bernoulli(0.5);
    const double period = r.uniform(8, 30), phi = r.uniform(0, kPi), c = std::cos(phi),
                 s = std::sin(phi);
    cv::Mat m(S, S, CV_8UC3);
    for (int y = 0; y < S; ++y)
        for (int x = 0; x < S; ++x) {
            const double u = (x * c + y * s) / period, v = (-x * s + y * c) / period;
            const bool on = checker ? ((int(std::floor(u)) + int(std::floor(v))) & 1)
                                    : (std::sin(2 * kPi * u) > 0);
            m.at<cv::Vec3b>(y, x) = on ? a : b;
        }
    addNoise(r, m, 5);
    return m;
}

cv::Mat backgroundClutter(Rng& r, int S) {
    cv::Mat m = backgroundGradient(r, S);
    const int n = int(r.uniformInt(8, 25));
    for (int i = 0; i < n; ++i) {
        const cv::Vec3b c = neutral(r);
        const cv::Scalar col(c[0], c[1], c[2]);
        const cv::Point p(int(r.uniformInt(0, S - 1)), int(r.uniformInt(0, S - 1)));
        const int t = int(r.uniformInt(1, 3));
        switch (r.uniformInt(0, 3)) {
            case 0:
                cv::line(m, p, {int(r.uniformInt(0, S - 1)), int(r.uniformInt(0, S - 1))}, col, t,
                         cv::LINE_8);
                break;
            case 1:
                cv::circle(m, p, int(r.uniformInt(3, S / 8)), col, t, cv::LINE_8);
                break;
            case 2:
                cv::rectangle(
                    m, cv::Rect(p.x, p.y, int(r.uniformInt(3, S / 8)), int(r.uniformInt(3, S / 8))),
                    col, cv::FILLED);
                break;
            default:
                cv::ellipse(m, p, {int(r.uniformInt(2, S / 10)), int(r.uniformInt(2, S / 10))},
                            r.uniform(0, 180), 0, 360, col, cv::FILLED, cv::LINE_8);
        }
    }
    return m;
}

}  // namespace

cv::Mat backgroundPhoto(Rng& r, int S, const std::vector<cv::Mat>& photos) {
    const cv::Mat& img = photos[size_t(r.uniformInt(0, int64_t(photos.size()) - 1))];
    const int side = std::min(img.cols, img.rows);
    const int crop = std::max(1, int(side * r.uniform(0.5, 1.0)));
    const int x = int(r.uniformInt(0, img.cols - crop)), y = int(r.uniformInt(0, img.rows - crop));
    cv::Mat out, rgb;
    cv::resize(img(cv::Rect(x, y, crop, crop)), out, cv::Size(S, S), 0, 0, cv::INTER_AREA);
    cv::cvtColor(out, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

cv::Mat proceduralBackground(Rng& r, int S) {
    switch (r.uniformInt(0, 3)) {
        case 0:
            return backgroundGradient(r, S);
        case 1:
            return backgroundNoise(r, S);
        case 2:
            return backgroundTexture(r, S);
        default:
            return backgroundClutter(r, S);
    }
}

std::vector<cv::Mat> loadPhotos(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> photos;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.is_regular_file() && isImageFile(e.path())) photos.push_back(e.path());
    if (ec)
        throw Error(ErrorCode::FileNotFound, "cannot read backgrounds folder " + dir.string(),
                    {{"path", dir.string()}});
    std::sort(photos.begin(), photos.end());  // directory order is not stable
    if (photos.empty())
        throw Error(ErrorCode::FileNotFound, "no images in backgrounds folder " + dir.string(),
                    {{"path", dir.string()}});
    std::vector<cv::Mat> images;
    for (const auto& path : photos) {
        cv::Mat img = cv::imread(path.string(), cv::IMREAD_COLOR);
        if (img.empty())
            throw Error(ErrorCode::ImageDecodeFailed,
                        "cannot decode background photo " + path.string(),
                        {{"path", path.string()}});
        images.push_back(std::move(img));
    }
    return images;
}

uint64_t imageSeed(uint64_t seed, int64_t index) {
    Rng base(seed);
    return base.nextU64() ^
           (static_cast<uint64_t>(index) * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull);
}

}  // namespace zsi::synth::scene
