// Ports of pycocotools' maskApi.c (BSD, Piotr Dollar and Tsung-Yi Lin): the string codec,
// bbox, merge, IoU and polygon rasterisation follow the C source step by step so that the
// results are identical, quirks included.
#include "data/rle.h"

#include "util/error.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace zsi::rle {
namespace {

// Appends runs while scanning pixels in column-major order.
struct RunBuilder {
    std::vector<uint32_t> counts;
    uint8_t value = 0;
    uint32_t run = 0;

    void add(uint8_t v, uint32_t n) {
        if (n == 0) return;
        if (v != value) {
            counts.push_back(run);
            run = 0;
            value = v;
        }
        run += n;
    }
    std::vector<uint32_t> finish() {
        counts.push_back(run);
        return std::move(counts);
    }
};

void encodeRows(const cv::Mat& transposed, RunBuilder& b) {
    // `transposed` holds one image column per row, so a row-major scan is column-major.
    for (int r = 0; r < transposed.rows; ++r) {
        const uint8_t* p = transposed.ptr<uint8_t>(r);
        for (int c = 0; c < transposed.cols; ++c) b.add(p[c] ? 1 : 0, 1);
    }
}

cv::Mat toU8(const cv::Mat& m) {
    if (m.type() == CV_8UC1) return m;
    if (m.channels() != 1)
        throw Error(ErrorCode::InvalidArgument, "mask must have one channel",
                    {{"name", "mask"}, {"reason", "channels=" + std::to_string(m.channels())}});
    cv::Mat u;
    cv::Mat nz = m != 0;  // 0 / 255
    nz.copyTo(u);
    return u;
}

}  // namespace

Rle encode(const cv::Mat& mask) {
    Rle r;
    if (mask.empty()) {
        r.counts = {0};
        return r;
    }
    const cv::Mat m = toU8(mask);
    r.height = m.rows;
    r.width = m.cols;
    cv::Mat t;
    cv::transpose(m, t);
    RunBuilder b;
    encodeRows(t, b);
    r.counts = b.finish();
    return r;
}

Rle encodeCropped(const cv::Mat& crop, cv::Point origin, int imageHeight, int imageWidth) {
    Rle r;
    r.height = imageHeight;
    r.width = imageWidth;
    RunBuilder b;
    const uint32_t h = static_cast<uint32_t>(std::max(0, imageHeight));
    const int x0 = std::clamp(origin.x, 0, std::max(0, imageWidth));
    const int x1 =
        std::clamp(origin.x + (crop.empty() ? 0 : crop.cols), 0, std::max(0, imageWidth));
    const int y0 = std::clamp(origin.y, 0, std::max(0, imageHeight));
    const int y1 =
        std::clamp(origin.y + (crop.empty() ? 0 : crop.rows), 0, std::max(0, imageHeight));
    if (x1 <= x0 || y1 <= y0) {
        b.add(0, h * static_cast<uint32_t>(std::max(0, imageWidth)));
        r.counts = b.finish();
        return r;
    }
    const cv::Mat m = toU8(crop);
    cv::Mat t;
    cv::transpose(m(cv::Rect(x0 - origin.x, y0 - origin.y, x1 - x0, y1 - y0)), t);
    b.add(0, h * static_cast<uint32_t>(x0));
    for (int c = 0; c < t.rows; ++c) {
        b.add(0, static_cast<uint32_t>(y0));
        const uint8_t* p = t.ptr<uint8_t>(c);
        for (int i = 0; i < t.cols; ++i) b.add(p[i] ? 1 : 0, 1);
        b.add(0, h - static_cast<uint32_t>(y1));
    }
    b.add(0, h * static_cast<uint32_t>(imageWidth - x1));
    r.counts = b.finish();
    return r;
}

cv::Mat decode(const Rle& r) {
    if (r.height <= 0 || r.width <= 0)
        return cv::Mat(std::max(0, r.height), std::max(0, r.width), CV_8U);
    const size_t total = static_cast<size_t>(r.height) * static_cast<size_t>(r.width);
    cv::Mat t(r.width, r.height, CV_8U, cv::Scalar(0));  // column-major buffer
    uint8_t* p = t.ptr<uint8_t>(0);
    size_t pos = 0;
    uint8_t v = 0;
    for (uint32_t c : r.counts) {
        const size_t n = std::min<size_t>(c, total - pos);
        if (v) std::fill(p + pos, p + pos + n, uint8_t(1));
        pos += n;
        v = !v;
        if (pos >= total) break;
    }
    cv::Mat m;
    cv::transpose(t, m);
    return m;
}

// Runs are column-major, so only the columns of roi are visited.
cv::Mat decodeRegion(const Rle& r, cv::Rect roi) {
    cv::Mat out = cv::Mat::zeros(std::max(roi.height, 0), std::max(roi.width, 0), CV_8U);
    if (roi.empty() || r.height <= 0) return out;
    // Filled transposed (one row per image column), so each run is one memset; then turned.
    cv::Mat t = cv::Mat::zeros(roi.width, roi.height, CV_8U);
    const int64_t h = r.height;
    const int64_t end = int64_t(roi.x + roi.width) * h;
    int64_t p = 0;
    bool one = false;
    for (uint32_t c : r.counts) {
        if (p >= end) break;
        if (one && c > 0) {
            const int64_t s = p, e = p + c;  // pixels [s, e)
            const int64_t x0 = s / h, x1 = (e - 1) / h;
            const int64_t xa = std::max<int64_t>(x0, roi.x),
                          xb = std::min<int64_t>(x1, roi.x + roi.width - 1);
            for (int64_t x = xa; x <= xb; ++x) {
                int64_t ys = x == x0 ? s % h : 0;
                int64_t ye = x == x1 ? (e - 1) % h + 1 : h;
                ys = std::max<int64_t>(ys, roi.y);
                ye = std::min<int64_t>(ye, roi.y + roi.height);
                if (ye > ys)
                    std::memset(t.ptr<uint8_t>(int(x - roi.x)) + (ys - roi.y), 1, size_t(ye - ys));
            }
        }
        p += c;
        one = !one;
    }
    cv::transpose(t, out);
    return out;
}

std::string toString(const Rle& r) {
    std::string s;
    s.reserve(r.counts.size() * 2);
    const size_t m = r.counts.size();
    for (size_t i = 0; i < m; ++i) {
        int64_t x = static_cast<int64_t>(r.counts[i]);
        if (i > 2) x -= static_cast<int64_t>(r.counts[i - 2]);
        bool more = true;
        while (more) {
            char c = static_cast<char>(x & 0x1f);
            x >>= 5;  // arithmetic shift, as in the C source
            more = (c & 0x10) ? x != -1 : x != 0;
            if (more) c |= 0x20;
            c += 48;
            s.push_back(c);
        }
    }
    return s;
}

Rle fromString(std::string_view s, int height, int width) {
    Rle r;
    r.height = height;
    r.width = width;
    size_t p = 0;
    while (p < s.size()) {
        int64_t x = 0;
        int k = 0;
        bool more = true;
        while (more) {
            if (p >= s.size())
                throw Error(ErrorCode::InvalidArgument, "truncated compressed RLE string",
                            {{"name", "counts"}, {"reason", "ends inside a run"}});
            const int c = static_cast<unsigned char>(s[p]) - 48;
            if (c < 0 || c > 63)
                throw Error(
                    ErrorCode::InvalidArgument, "invalid character in compressed RLE string",
                    {{"name", "counts"}, {"reason", std::string("character '") + s[p] + "'"}});
            x |= static_cast<int64_t>(c & 0x1f) << (5 * k);
            more = (c & 0x20) != 0;
            ++p;
            ++k;
            if (!more && (c & 0x10)) x |= static_cast<int64_t>(-1) * (int64_t(1) << (5 * k));
        }
        const size_t m = r.counts.size();
        if (m > 2) x += static_cast<int64_t>(r.counts[m - 2]);
        r.counts.push_back(static_cast<uint32_t>(x));
    }
    return r;
}

uint64_t area(const Rle& r) {
    uint64_t a = 0;
    for (size_t j = 1; j < r.counts.size(); j += 2) a += r.counts[j];
    return a;
}

BoxXywh toBbox(const Rle& r) {
    const uint32_t h = static_cast<uint32_t>(r.height), w = static_cast<uint32_t>(r.width);
    const size_t m = (r.counts.size() / 2) * 2;
    if (m == 0 || h == 0) return {0, 0, 0, 0};
    uint32_t xs = w, ys = h, xe = 0, ye = 0, cc = 0, xp = 0;
    for (size_t j = 0; j < m; ++j) {
        cc += r.counts[j];
        const uint32_t t = cc - static_cast<uint32_t>(j % 2);
        const uint32_t y = t % h, x = (t - y) / h;
        if (j % 2 == 0)
            xp = x;
        else if (xp < x) {
            ys = 0;
            ye = h - 1;
        }
        xs = std::min(xs, x);
        xe = std::max(xe, x);
        ys = std::min(ys, y);
        ye = std::max(ye, y);
    }
    return {double(xs), double(ys), double(xe) - double(xs) + 1, double(ye) - double(ys) + 1};
}

Rle merge(const std::vector<Rle>& masks, bool intersect) {
    if (masks.empty()) return Rle{};
    if (masks.size() == 1) return masks[0];
    int h = masks[0].height, w = masks[0].width;
    std::vector<uint32_t> cnts = masks[0].counts;
    for (size_t i = 1; i < masks.size(); ++i) {
        const Rle& B = masks[i];
        if (B.height != h || B.width != w) return Rle{};
        const std::vector<uint32_t> A = std::move(cnts);
        cnts.clear();
        if (A.empty() || B.counts.empty()) return Rle{h, w, {}};
        uint32_t ca = A[0], cb = B.counts[0], cc = 0, ct = 1;
        bool v = false, va = false, vb = false;
        size_t a = 1, b = 1;
        while (ct > 0) {
            const uint32_t c = std::min(ca, cb);
            cc += c;
            ct = 0;
            ca -= c;
            if (!ca && a < A.size()) {
                ca = A[a++];
                va = !va;
            }
            ct += ca;
            cb -= c;
            if (!cb && b < B.counts.size()) {
                cb = B.counts[b++];
                vb = !vb;
            }
            ct += cb;
            const bool vp = v;
            v = intersect ? (va && vb) : (va || vb);
            if (v != vp || ct == 0) {
                cnts.push_back(cc);
                cc = 0;
            }
        }
    }
    return Rle{h, w, std::move(cnts)};
}

namespace {
double boxIou(const BoxXywh& D, const BoxXywh& G, bool crowd) {
    const double w = std::fmin(D[2] + D[0], G[2] + G[0]) - std::fmax(D[0], G[0]);
    if (w <= 0) return 0;
    const double h = std::fmin(D[3] + D[1], G[3] + G[1]) - std::fmax(D[1], G[1]);
    if (h <= 0) return 0;
    const double i = w * h;
    const double da = D[2] * D[3], ga = G[2] * G[3];
    const double u = crowd ? da : da + ga - i;
    return i / u;
}

// rleIou's inner loop, entered only when the boxes overlap.
double rleIouKnownOverlap(const Rle& d, const Rle& g, bool crowd) {
    if (d.height != g.height || d.width != g.width) return -1;
    if (d.counts.empty() || g.counts.empty()) return 0;
    uint32_t ca = d.counts[0], cb = g.counts[0], i = 0, u = 0, ct = 1;
    const size_t ka = d.counts.size(), kb = g.counts.size();
    size_t a = 1, b = 1;
    bool va = false, vb = false;
    while (ct > 0) {
        const uint32_t c = std::min(ca, cb);
        if (va || vb) {
            u += c;
            if (va && vb) i += c;
        }
        ct = 0;
        ca -= c;
        if (!ca && a < ka) {
            ca = d.counts[a++];
            va = !va;
        }
        ct += ca;
        cb -= c;
        if (!cb && b < kb) {
            cb = g.counts[b++];
            vb = !vb;
        }
        ct += cb;
    }
    if (i == 0)
        u = 1;
    else if (crowd)
        u = static_cast<uint32_t>(area(d));
    return static_cast<double>(i) / static_cast<double>(u);
}
}  // namespace

double iouPair(const BoxXywh& dt, const BoxXywh& gt, bool gtIsCrowd) {
    return boxIou(dt, gt, gtIsCrowd);
}

double iouPair(const Rle& dt, const Rle& gt, bool gtIsCrowd) {
    if (boxIou(toBbox(dt), toBbox(gt), gtIsCrowd) <= 0) return 0;
    return rleIouKnownOverlap(dt, gt, gtIsCrowd);
}

std::vector<std::vector<double>> iou(const std::vector<BoxXywh>& dt, const std::vector<BoxXywh>& gt,
                                     const std::vector<bool>& gtIsCrowd) {
    std::vector<std::vector<double>> o(dt.size(), std::vector<double>(gt.size(), 0.0));
    for (size_t d = 0; d < dt.size(); ++d)
        for (size_t g = 0; g < gt.size(); ++g)
            o[d][g] = boxIou(dt[d], gt[g], g < gtIsCrowd.size() && gtIsCrowd[g]);
    return o;
}

std::vector<std::vector<double>> iou(const std::vector<Rle>& dt, const std::vector<Rle>& gt,
                                     const std::vector<bool>& gtIsCrowd) {
    std::vector<BoxXywh> db(dt.size()), gb(gt.size());
    for (size_t d = 0; d < dt.size(); ++d) db[d] = toBbox(dt[d]);
    for (size_t g = 0; g < gt.size(); ++g) gb[g] = toBbox(gt[g]);
    auto o = iou(db, gb, gtIsCrowd);
    for (size_t d = 0; d < dt.size(); ++d)
        for (size_t g = 0; g < gt.size(); ++g)
            if (o[d][g] > 0)
                o[d][g] = rleIouKnownOverlap(dt[d], gt[g], g < gtIsCrowd.size() && gtIsCrowd[g]);
    return o;
}

Rle fromPolygon(const std::vector<double>& xy, int height, int width) {
    const size_t h = static_cast<size_t>(std::max(0, height));
    const size_t w = static_cast<size_t>(std::max(0, width));
    size_t k = xy.size() / 2;
    if (k == 0) return Rle{height, width, {static_cast<uint32_t>(h * w)}};
    // Upsample and get discrete points densely along the entire boundary.
    const double scale = 5;
    std::vector<int> x(k + 1), y(k + 1);
    for (size_t j = 0; j < k; ++j) x[j] = static_cast<int>(scale * xy[j * 2 + 0] + .5);
    x[k] = x[0];
    for (size_t j = 0; j < k; ++j) y[j] = static_cast<int>(scale * xy[j * 2 + 1] + .5);
    y[k] = y[0];
    size_t m = 0;
    for (size_t j = 0; j < k; ++j)
        m +=
            static_cast<size_t>(std::max(std::abs(x[j] - x[j + 1]), std::abs(y[j] - y[j + 1]))) + 1;
    std::vector<int> u(m), v(m);
    m = 0;
    for (size_t j = 0; j < k; ++j) {
        int xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
        const int dx = std::abs(xe - xs), dy = std::abs(ys - ye);
        const bool flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
        if (flip) {
            std::swap(xs, xe);
            std::swap(ys, ye);
        }
        const double s =
            dx >= dy ? static_cast<double>(ye - ys) / dx : static_cast<double>(xe - xs) / dy;
        if (dx >= dy) {
            for (int d = 0; d <= dx; ++d) {
                const int t = flip ? dx - d : d;
                u[m] = t + xs;
                v[m] = static_cast<int>(ys + s * t + .5);
                ++m;
            }
        } else {
            for (int d = 0; d <= dy; ++d) {
                const int t = flip ? dy - d : d;
                v[m] = t + ys;
                u[m] = static_cast<int>(xs + s * t + .5);
                ++m;
            }
        }
    }
    // Get points along the y-boundary and downsample.
    k = m;
    m = 0;
    std::vector<int> bx(k), by(k);
    const double wMax = static_cast<double>(w - 1);  // size_t arithmetic as in the C source
    for (size_t j = 1; j < k; ++j) {
        if (u[j] == u[j - 1]) continue;
        double xd = static_cast<double>(u[j] < u[j - 1] ? u[j] : u[j] - 1);
        xd = (xd + .5) / scale - .5;
        if (std::floor(xd) != xd || xd < 0 || xd > wMax) continue;
        double yd = static_cast<double>(v[j] < v[j - 1] ? v[j] : v[j - 1]);
        yd = (yd + .5) / scale - .5;
        if (yd < 0)
            yd = 0;
        else if (yd > static_cast<double>(h))
            yd = static_cast<double>(h);
        yd = std::ceil(yd);
        bx[m] = static_cast<int>(xd);
        by[m] = static_cast<int>(yd);
        ++m;
    }
    // Compute the RLE given the y-boundary points.
    k = m;
    std::vector<uint32_t> a(k + 1);
    for (size_t j = 0; j < k; ++j)
        a[j] = static_cast<uint32_t>(bx[j] * static_cast<int>(h) + by[j]);
    a[k++] = static_cast<uint32_t>(h * w);
    std::sort(a.begin(), a.end());
    uint32_t p = 0;
    for (size_t j = 0; j < k; ++j) {
        const uint32_t t = a[j];
        a[j] -= p;
        p = t;
    }
    std::vector<uint32_t> b;
    b.reserve(k);
    size_t j = 0;
    b.push_back(a[j++]);
    while (j < k) {
        if (a[j] > 0) {
            b.push_back(a[j++]);
        } else {
            ++j;
            if (j < k) b.back() += a[j++];
        }
    }
    return Rle{height, width, std::move(b)};
}

Rle fromPolygons(const std::vector<std::vector<double>>& polygons, int height, int width) {
    std::vector<Rle> parts;
    parts.reserve(polygons.size());
    for (const auto& p : polygons) parts.push_back(fromPolygon(p, height, width));
    if (parts.empty()) {
        return Rle{height,
                   width,
                   {static_cast<uint32_t>(std::max(0, height)) *
                    static_cast<uint32_t>(std::max(0, width))}};
    }
    return merge(parts, false);
}

Rle fromBbox(const BoxXywh& bb, int height, int width) {
    const double xs = bb[0], xe = xs + bb[2], ys = bb[1], ye = ys + bb[3];
    return fromPolygon({xs, ys, xs, ye, xe, ye, xe, ys}, height, width);
}

PolygonConversion toPolygons(const Rle& r) {
    PolygonConversion out;
    cv::Mat m = decode(r);
    if (m.empty()) return out;
    std::vector<std::vector<cv::Point>> contours;
    std::vector<cv::Vec4i> hierarchy;
    cv::findContours(m, contours, hierarchy, cv::RETR_CCOMP, cv::CHAIN_APPROX_SIMPLE);
    for (size_t i = 0; i < contours.size(); ++i) {
        const bool isHole = hierarchy[i][3] >= 0;
        if (isHole) {
            ++out.holesLost;
            continue;
        }
        if (contours[i].size() < 3) {
            ++out.partsLost;
            continue;
        }
        std::vector<double> poly;
        poly.reserve(contours[i].size() * 2);
        for (const auto& p : contours[i]) {
            poly.push_back(p.x);
            poly.push_back(p.y);
        }
        out.polygons.push_back(std::move(poly));
    }
    return out;
}

}  // namespace zsi::rle
