#pragma once
// The zero-shot protocols of the ZSI paper (see docs zsi-reference.md, "Evaluation
// protocol"): COCO evaluation at IoU {0.4, 0.5, 0.6} with 100 detections per image,
// Recall@100 (COCO AR at each IoU, averaged over categories) and mAP at IoU 0.5.
//   ZSD / ZSI:   unseen classes only, on the images that contain unseen objects.
//   GZSD / GZSI: every class on every image; seen mean, unseen mean, harmonic mean.
// Classes are reported in the split's order (seen, then unseen), matched to ground-truth
// categories by name, never by sorted ids.
#include "data/coco.h"
#include "data/split.h"
#include "eval/coco_eval.h"

#include <string>
#include <vector>

namespace zsi::eval {

enum class Protocol { Zsi, Gzsi };  // with IouType::Bbox these are ZSD and GZSD

struct ProtocolOptions {
    IouType iouType = IouType::Segm;
    std::vector<double> iouThrs = {0.4, 0.5, 0.6};
    int maxDets = 100;
    int threads = 0;
};

struct ClassScores {
    std::string name;
    int64_t categoryId = 0;
    bool unseen = false;
    int numGt = 0;
    std::vector<double> ap;      // per IoU threshold; -1 when the class has no ground truth
    std::vector<double> recall;  // per IoU threshold (Recall@maxDets); -1 likewise
};

// Means over classes with ground truth (pycocotools' "> -1" rule); -1 when none.
struct GroupScores {
    std::vector<double> ap, recall;  // per IoU threshold
};

struct ProtocolResult {
    Protocol protocol = Protocol::Zsi;
    IouType iouType = IouType::Segm;
    std::string name;  // "ZSI", "ZSD", "GZSI", "GZSD"
    std::vector<double> iouThrs;
    int maxDets = 100;
    size_t numImages = 0;
    std::vector<ClassScores> classes;    // split order (ZSI: unseen classes only)
    GroupScores seen, unseen, harmonic;  // ZSI fills `unseen` only
    // mAP at IoU 0.5 of a group, -1 if 0.5 is not among the thresholds.
    double mapAt50(const GroupScores& g) const;
};

// Harmonic mean 2SU / (S + U); 0 when S + U = 0, -1 when either is -1.
double harmonicMean(double s, double u);

// Throws Error(InvalidArgument) when a split class is not a ground-truth category.
ProtocolResult evaluateProtocol(const coco::Dataset& gt, const std::vector<coco::Detection>& dt,
                                const Split& split, Protocol protocol,
                                const ProtocolOptions& options = {});

}  // namespace zsi::eval
