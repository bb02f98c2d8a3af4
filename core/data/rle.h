#pragma once
// COCO run-length encoded masks, byte-exact with pycocotools (common/maskApi.c).
//
// Runs are counted in column-major order (down the first column, then the next), the first
// run counts zeros (it may be 0), runs alternate zeros / ones. Decoded masks are CV_8U with
// values 0 and 1. Torch-free and Qt-free: the model, the generator, the evaluator and the
// GUI all share this type.
#include <opencv2/core.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zsi {

struct Rle {
    int height = 0, width = 0;
    std::vector<uint32_t> counts;

    bool operator==(const Rle& o) const {
        return height == o.height && width == o.width && counts == o.counts;
    }
};

// COCO bbox [x, y, width, height].
using BoxXywh = std::array<double, 4>;

namespace rle {

// Encodes a row-major CV_8U mask (nonzero = 1); an empty Mat gives a 0x0 RLE.
Rle encode(const cv::Mat& mask);

// Encodes a mask that lives cropped to its box: `crop` (CV_8U, nonzero = 1) sits with its
// top-left pixel at `origin` inside an image of imageHeight x imageWidth. The full image is
// never materialised (8k images, hundreds of instances); parts of the crop outside the
// image are dropped.
Rle encodeCropped(const cv::Mat& crop, cv::Point origin, int imageHeight, int imageWidth);

// Decodes to a height x width CV_8U mask of 0 / 1.
cv::Mat decode(const Rle& r);
// The part of the mask inside `roi` (already clipped to the image), without materialising
// the full mask.
cv::Mat decodeRegion(const Rle& r, cv::Rect roi);

// pycocotools' compressed string ("counts" of a compressed RLE): 5 bits a character,
// offset 48, continuation bit 0x20, runs from index 3 on stored as the difference to the
// run two before.
std::string toString(const Rle& r);
// Inverse of toString. Throws Error(InvalidArgument) on characters outside '0'..'o'.
Rle fromString(std::string_view s, int height, int width);

// Number of pixels set (pycocotools rleArea).
uint64_t area(const Rle& r);

// Tight box [x, y, w, h] (pycocotools rleToBbox, including its quirks: an empty mask gives
// [0,0,0,0]; a run of ones that wraps into the next column spans the full height).
BoxXywh toBbox(const Rle& r);

// Union (intersect = false) or intersection of masks of one size (pycocotools rleMerge).
// Masks of different sizes give a 0x0 RLE, as in pycocotools.
Rle merge(const std::vector<Rle>& masks, bool intersect = false);

// IoU matrix between detections and ground truths, ious[d][g] (pycocotools rleIou): a
// crowd ground truth g uses intersection / area(d) instead; masks of different sizes give -1.
std::vector<std::vector<double>> iou(const std::vector<Rle>& dt, const std::vector<Rle>& gt,
                                     const std::vector<bool>& gtIsCrowd);
// Same for boxes (pycocotools bbIou).
std::vector<std::vector<double>> iou(const std::vector<BoxXywh>& dt, const std::vector<BoxXywh>& gt,
                                     const std::vector<bool>& gtIsCrowd);

// One pair; faster than the matrix form when only one IoU is needed.
double iouPair(const Rle& dt, const Rle& gt, bool gtIsCrowd = false);
double iouPair(const BoxXywh& dt, const BoxXywh& gt, bool gtIsCrowd = false);

// Rasterises one polygon [x0, y0, x1, y1, ...] exactly like pycocotools rleFrPoly
// (5x upsampled boundary, pixel centres).
Rle fromPolygon(const std::vector<double>& xy, int height, int width);
// Several polygons of one object, unioned (pycocotools frPyObjects + merge).
Rle fromPolygons(const std::vector<std::vector<double>>& polygons, int height, int width);
// A box as a 4-point polygon (pycocotools rleFrBbox).
Rle fromBbox(const BoxXywh& box, int height, int width);

// Mask -> COCO polygons via OpenCV contours (outer boundaries, vertices at pixel centres).
// COCO polygons are unioned, so holes cannot be represented; tiny parts (under 3 points)
// cannot either. Both losses are reported rather than silently dropped.
struct PolygonConversion {
    std::vector<std::vector<double>> polygons;
    int holesLost = 0;  // number of holes that the polygons fill in
    int partsLost = 0;  // parts too small to form a polygon (1-2 pixel lines, single pixels)
    bool lossless() const { return holesLost == 0 && partsLost == 0; }
};
PolygonConversion toPolygons(const Rle& r);

}  // namespace rle
}  // namespace zsi
