#pragma once
// Pieces shared by the synthetic scene generators (colour shapes, emoji drawings): the
// procedural and photo backgrounds, per-image seeds and the photo list. Private to
// core/data (not API). Everything draws from zsi::Rng only, so a seed gives the same bytes.
#include "util/random.h"

#include <opencv2/core.hpp>

#include <cstdint>
#include <filesystem>
#include <vector>

namespace zsi::synth::scene {

uint8_t clampU8(double v);
cv::Vec3b jitter(Rng& r, cv::Vec3b c, int amount);
// A neutral background colour (greys, browns, beige, slate), jittered.
cv::Vec3b neutral(Rng& r);
void addNoise(Rng& r, cv::Mat& rgb, int amount);
// One of the procedural backgrounds (gradient, low-frequency noise, texture, clutter), RGB.
cv::Mat proceduralBackground(Rng& r, int size);
// A random square crop of a random photo (BGR, as decoded), resized to size x size, RGB.
cv::Mat backgroundPhoto(Rng& r, int size, const std::vector<cv::Mat>& photos);
// The image files of a folder, sorted and decoded once; throws Error(FileNotFound) when there
// are none, Error(ImageDecodeFailed) for a file that does not decode.
std::vector<cv::Mat> loadPhotos(const std::filesystem::path& dir);
// The seed of image `index` of a set with seed `seed`.
uint64_t imageSeed(uint64_t seed, int64_t index);

}  // namespace zsi::synth::scene
