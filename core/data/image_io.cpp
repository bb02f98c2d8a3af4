#include "data/image_io.h"

#include "util/atomic_file.h"
#include "util/error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstring>

namespace zsi {
namespace {

uint32_t be32(const unsigned char* p) {
    return (uint32_t(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}
uint16_t be16(const unsigned char* p) {
    return uint16_t((p[0] << 8) | p[1]);
}
uint16_t le16(const unsigned char* p) {
    return uint16_t(p[0] | (p[1] << 8));
}
int32_t le32(const unsigned char* p) {
    return int32_t(p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t(p[3]) << 24));
}

ImageSize probeJpeg(const unsigned char* d, size_t n) {
    size_t i = 2;
    while (i + 10 < n) {
        if (d[i] != 0xFF) return {};
        const unsigned char marker = d[i + 1];
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            i += 2;
            continue;
        }
        const uint16_t len = be16(d + i + 2);
        // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC) carry the frame size.
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
            return {be16(d + i + 7), be16(d + i + 5), d[i + 9]};
        i += 2 + len;
    }
    return {};
}

[[noreturn]] void decodeFailed(const std::string& name, const std::string& reason) {
    throw Error(ErrorCode::ImageDecodeFailed, "cannot decode image " + name + ": " + reason,
                {{"path", name}, {"reason", reason}});
}

}  // namespace

ImageSize probeImageSize(std::string_view bytes) {
    const auto* d = reinterpret_cast<const unsigned char*>(bytes.data());
    const size_t n = bytes.size();
    if (n >= 26 && !std::memcmp(d, "\x89PNG\r\n\x1a\n", 8)) {
        static const int pngChannels[7] = {1, 0, 3, 3, 2, 0, 4};  // by IHDR colour type
        return {int(be32(d + 16)), int(be32(d + 20)), d[25] <= 6 ? pngChannels[d[25]] : 0};
    }
    if (n >= 4 && d[0] == 0xFF && d[1] == 0xD8) return probeJpeg(d, n);
    if (n >= 26 && d[0] == 'B' && d[1] == 'M')
        return {std::abs(le32(d + 18)), std::abs(le32(d + 22))};
    if (n >= 10 && !std::memcmp(d, "GIF8", 4)) return {le16(d + 6), le16(d + 8)};
    if (n >= 30 && !std::memcmp(d, "RIFF", 4) && !std::memcmp(d + 8, "WEBP", 4)) {
        if (!std::memcmp(d + 12, "VP8 ", 4)) return {le16(d + 26) & 0x3FFF, le16(d + 28) & 0x3FFF};
        if (!std::memcmp(d + 12, "VP8L", 4)) {
            const uint32_t b =
                uint32_t(d[21]) | (d[22] << 8) | (d[23] << 16) | (uint32_t(d[24]) << 24);
            return {int((b & 0x3FFF) + 1), int(((b >> 14) & 0x3FFF) + 1)};
        }
        if (!std::memcmp(d + 12, "VP8X", 4))
            return {int((d[24] | (d[25] << 8) | (d[26] << 16)) + 1),
                    int((d[27] | (d[28] << 8) | (d[29] << 16)) + 1)};
    }
    return {};
}

LoadedImage decodeImage(std::string_view bytes, const std::string& name,
                        const ImageLoadOptions& options) {
    if (bytes.empty()) decodeFailed(name, "the file is empty");
    const ImageSize probed = probeImageSize(bytes);
    int reduce = 1;  // JPEG-only reduced decoding factor
    auto tooLarge = [&](int w, int h) {
        throw Error(ErrorCode::ImageTooLarge,
                    "image " + name + " is " + std::to_string(w) + " x " + std::to_string(h) +
                        " pixels, above the limit of " + std::to_string(options.maxPixels) +
                        " pixels (enable downscaling to process it reduced)",
                    {{"path", name},
                     {"width", std::to_string(w)},
                     {"height", std::to_string(h)},
                     {"limit", std::to_string(options.maxPixels)}});
    };
    const bool isJpeg = bytes.size() > 2 && uint8_t(bytes[0]) == 0xFF && uint8_t(bytes[1]) == 0xD8;
    if (probed.width > 0 && int64_t(probed.width) * probed.height > options.maxPixels) {
        if (!options.downscaleHuge) tooLarge(probed.width, probed.height);
        if (isJpeg)
            while (reduce < 8 &&
                   int64_t(probed.width / reduce) * (probed.height / reduce) > options.maxPixels)
                reduce *= 2;
    }

    // IMREAD_COLOR|ANYDEPTH applies the EXIF orientation and keeps 16-bit depth; gray and
    // RGBA become 3-channel BGR (alpha dropped).
    const cv::Mat buf(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char*>(bytes.data()));
    int flags = cv::IMREAD_COLOR | cv::IMREAD_ANYDEPTH;
    if (reduce == 2) flags = cv::IMREAD_REDUCED_COLOR_2;
    if (reduce == 4) flags = cv::IMREAD_REDUCED_COLOR_4;
    if (reduce == 8) flags = cv::IMREAD_REDUCED_COLOR_8;
    cv::Mat decoded;
    try {
        decoded = cv::imdecode(buf, flags);
    } catch (const cv::Exception& e) {
        decodeFailed(name, e.what());
    }
    if (decoded.empty()) decodeFailed(name, "unknown format or truncated data");

    LoadedImage out;
    out.sourceWidth = probed.width > 0 ? probed.width : decoded.cols * reduce;
    out.sourceHeight = probed.height > 0 ? probed.height : decoded.rows * reduce;
    out.sourceBitDepth = decoded.depth() == CV_16U ? 16 : 8;
    out.sourceChannels = probed.channels > 0 ? probed.channels : decoded.channels();

    if (decoded.depth() == CV_16U)
        decoded.convertTo(decoded, CV_8U, 1.0 / 257.0);
    else if (decoded.depth() == CV_32F)
        decoded.convertTo(decoded, CV_8U, 255.0);
    else if (decoded.depth() != CV_8U)
        decoded.convertTo(decoded, CV_8U);

    const int64_t pixels = int64_t(decoded.cols) * decoded.rows;
    if (pixels > options.maxPixels) {
        if (!options.downscaleHuge) tooLarge(decoded.cols, decoded.rows);
        const double s = std::sqrt(double(options.maxPixels) / double(pixels));
        cv::resize(decoded, decoded, cv::Size(), s, s, cv::INTER_AREA);
    }
    if (decoded.cols < options.minSide || decoded.rows < options.minSide)
        throw Error(ErrorCode::ImageTooSmall,
                    "image " + name + " is " + std::to_string(decoded.cols) + " x " +
                        std::to_string(decoded.rows) + " pixels; at least " +
                        std::to_string(options.minSide) + " pixels per side are needed",
                    {{"path", name},
                     {"width", std::to_string(decoded.cols)},
                     {"height", std::to_string(decoded.rows)}});
    cv::cvtColor(decoded, out.rgb, cv::COLOR_BGR2RGB);
    // Decoders fill a cut-off file with grey and say nothing; the end markers tell.
    const std::string_view tail = bytes.substr(bytes.size() > 64 ? bytes.size() - 64 : 0);
    const bool isPng = bytes.size() > 8 && bytes.substr(1, 3) == "PNG";
    if ((isJpeg && tail.find("\xFF\xD9") == std::string_view::npos) ||
        (isPng && tail.find("IEND") == std::string_view::npos))
        out.warnings.push_back("image " + name +
                               " is truncated (the file ends before its end-of-image marker); the "
                               "missing part decodes as grey");
    // Orientation may swap the sides; compare like with like.
    const int orientedW = (decoded.cols >= decoded.rows) == (out.sourceWidth >= out.sourceHeight)
                              ? out.sourceWidth
                              : out.sourceHeight;
    out.scale = orientedW > 0 ? double(out.rgb.cols) / orientedW : 1.0;
    return out;
}

LoadedImage loadImage(const std::filesystem::path& path, const ImageLoadOptions& options) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw Error(ErrorCode::FileUnreadable,
                    path.string() +
                        " is a folder, not an image (to run every image of a folder, use "
                        "zsi export --images or File > Open Folder)",
                    {{"path", path.string()}, {"reason", "is a folder"}});
    const std::string bytes = readFileBytes(path);
    return decodeImage(bytes, path.string(), options);
}

bool isImageFileName(const std::filesystem::path& path) {
    static const std::array<const char*, 14> exts = {".png", ".jpg", ".jpeg", ".jpe",  ".bmp",
                                                     ".dib", ".tif", ".tiff", ".webp", ".pbm",
                                                     ".pgm", ".ppm", ".pnm",  ".jp2"};
    std::string e = path.extension().string();
    std::transform(e.begin(), e.end(), e.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return std::find(exts.begin(), exts.end(), e) != exts.end();
}

}  // namespace zsi
