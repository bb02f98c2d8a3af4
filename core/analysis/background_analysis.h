#pragma once
// Where the background word vector sits among the class vectors: cosine of the
// learned V_b (BA-RPN, synchronised into W_s by Sync-bg) and of the initial background vector
// to every seen and typed unseen class, their norms, and a 2-D PCA map of all of them.
// Torch-free and Qt-free: the studio's background dock, its widgets and the headless report
// all read these numbers, so the plots and background.json always agree.
#include "util/vector_math.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace zsi::analysis {

struct BackgroundInput {
    int dim = 0;                           // D
    std::vector<std::string> seenNames;    // S
    std::vector<float> seenVectors;        // S x D, row-major
    std::vector<std::string> unseenNames;  // U (typed classes)
    std::vector<float> unseenVectors;      // U x D, row-major
    std::vector<float> learned;            // V_b (D)
    std::vector<float> initial;            // the initial background vector (D)
};

struct ClassCosine {
    std::string name;
    bool unseen = false;
    double norm = 0;
    double cosLearned = 0;  // cos(V_b, class)
    double cosInitial = 0;  // cos(initial background, class)
};

enum class PointKind { Seen, Unseen, LearnedBackground, InitialBackground };

struct ProjectedPoint {
    std::string name;
    PointKind kind = PointKind::Seen;
    double x = 0, y = 0;
};

struct Projection {
    std::vector<ProjectedPoint> points;  // seen..., unseen..., V_b learned, V_b initial
    double explained[2] = {0, 0};        // fraction of the variance on each axis
    bool normalised = true;              // vectors scaled to unit length before PCA
};

struct BackgroundAnalysis {
    int dim = 0;
    double learnedNorm = 0;
    double initialNorm = 0;
    double cosLearnedInitial = 0;      // how far training moved V_b
    std::vector<ClassCosine> classes;  // seen..., unseen... (input order)
    int nearestToLearned = -1;         // index into classes (highest cosine), -1 without classes
    int nearestToInitial = -1;
    Projection projection;
};

// The class (row of an N x D matrix) with the highest cosine to v; -1 when N = 0.
int nearestRow(const std::vector<float>& rows, int dim, const float* v, double* cosOut = nullptr);

// 2-D PCA of N x D row-major points (cv::PCA). Axis signs are fixed (each principal axis'
// largest-magnitude component positive) so the map is deterministic. With fewer than 3
// points or D < 2 the missing coordinates are 0. normalise: unit-length rows first (the
// scoring compares directions; V_b's norm would otherwise dominate the map).
std::vector<std::pair<double, double>> pca2d(const std::vector<float>& rows, int dim,
                                             bool normalise, double explained[2] = nullptr);

// Throws Error(DimensionMismatch) when a vector's size disagrees with dim.
BackgroundAnalysis analyseBackground(const BackgroundInput& input, bool normaliseProjection = true);

// All the numbers behind the cosine chart and the class map.
void to_json(nlohmann::json& j, const BackgroundAnalysis& a);
const char* toString(PointKind kind);  // "seen", "unseen", "learned", "initial"

}  // namespace zsi::analysis
