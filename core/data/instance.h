#pragma once
// Torch-free results of the model, shared by the CLI, widgets, app and export code.
#include <opencv2/core/mat.hpp>

#include <string>
#include <vector>

namespace zsi {

enum class ClassKind { Background, Seen, Unseen };

// Another class the same object was detected as (one label per object keeps the best and
// lists the others here, best first).
struct ClassAlternative {
    int classIndex = -1;
    std::string className;
    ClassKind classKind = ClassKind::Seen;
    float score = 0.f;
};

// One detected (or hand-drawn) instance. The mask is kept cropped to its box: a full-image
// mask of every instance of an 8k image would be gigabytes; fullMask() expands on demand.
struct Instance {
    // Box in image pixels, [x1, y1, x2, y2] (x2/y2 exclusive for masks; the model's float box).
    float x1 = 0, y1 = 0, x2 = 0, y2 = 0;
    int classIndex = -1;  // index into the vocabulary's class list (seen, then unseen)
    std::string className;
    ClassKind classKind = ClassKind::Seen;
    float score = 0.f;
    // Binary mask (CV_8U, 0/1) covering maskOriginX/Y .. + cols/rows in image pixels. The
    // engine's masks share their pixels with its re-score cache: never draw into one in place
    // (clone() it, as the review tools do).
    cv::Mat mask;
    int maskOriginX = 0;
    int maskOriginY = 0;
    // Similarity of this instance to every class: [background, seen..., unseen...] under the
    // scoring rule that produced it (see similarityNames in the result).
    std::vector<float> similarity;
    std::vector<ClassAlternative> alternatives;

    // Pixel count of the mask.
    int area() const;
    // The mask placed in a full image of the given size (CV_8U 0/1).
    cv::Mat fullMask(int imageH, int imageW) const;
};

// Intersection over union of two instances' masks (0 when either is empty).
double maskIou(const Instance& a, const Instance& b);

// One label per object, for annotation: the paper's outputs (and COCO evaluation) keep every
// class an object scores above the threshold, so one object carries several instances of
// different classes. This keeps the best-scoring instance of each group whose masks overlap
// by at least `minIou` (class-agnostic, greedy in score order) and moves the others into its
// `alternatives` (one entry per class, best score). The result is sorted by score.
void keepOneLabelPerObject(std::vector<Instance>& instances, double minIou = 0.5);

}  // namespace zsi
