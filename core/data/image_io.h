#pragma once
// Image loading for the model and the exporters: decoded from the file's bytes (so paths
// with any characters work on every platform), EXIF orientation applied (the same view the
// GUI shows with QImageReader::setAutoTransform), every pixel format converted to 8-bit RGB.
#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace zsi {

struct ImageLoadOptions {
    // Images above this many pixels are refused (ErrorCode::ImageTooLarge) unless
    // downscaleHuge is set; 20000 x 20000 = 400 MP would need 1.2 GB just decoded.
    int64_t maxPixels = 100'000'000;
    // Downscale (by a power of two for JPEG, decoded reduced; area resize otherwise) instead
    // of refusing. The scale is reported so results can be mapped back.
    bool downscaleHuge = false;
    // Smaller sides are refused (ErrorCode::ImageTooSmall): nothing is detectable there.
    int minSide = 8;
};

struct LoadedImage {
    cv::Mat rgb;          // CV_8UC3, RGB order, EXIF orientation applied
    int sourceWidth = 0;  // as stored in the file (before orientation and downscale)
    int sourceHeight = 0;
    int sourceChannels = 0;  // 1 gray, 2 gray+alpha, 3 colour, 4 with alpha (alpha dropped)
    int sourceBitDepth = 8;  // 8 or 16 (16-bit is scaled to 8)
    double scale = 1.0;      // rgb size / oriented source size (< 1 when downscaled)
    // What the user should know although the image decoded, e.g. "truncated: the file ends
    // before its end-of-image marker; the missing part is grey".
    std::vector<std::string> warnings;
};

// Width and height from the header alone (PNG, JPEG, BMP, GIF, WebP); {0, 0} when the
// format is not recognised. Used to refuse huge images before decoding them.
struct ImageSize {
    int width = 0;
    int height = 0;
    int channels = 0;  // when the header says (PNG, JPEG); 0 otherwise
};
ImageSize probeImageSize(std::string_view bytes);

LoadedImage decodeImage(std::string_view bytes, const std::string& nameForErrors,
                        const ImageLoadOptions& options = {});
LoadedImage loadImage(const std::filesystem::path& path, const ImageLoadOptions& options = {});

// File extensions OpenCV decodes here (lower case, with dot), for folder scans.
bool isImageFileName(const std::filesystem::path& path);

}  // namespace zsi
