#include "analysis/background_analysis.h"

#include "util/error.h"

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include <cmath>

namespace zsi::analysis {
namespace {

void checkSize(const std::vector<float>& v, size_t expected, const char* what) {
    if (v.size() != expected)
        throw Error(ErrorCode::DimensionMismatch,
                    std::string(what) + " has " + std::to_string(v.size()) + " values, expected " +
                        std::to_string(expected),
                    {{"what", what},
                     {"expected", std::to_string(expected)},
                     {"found", std::to_string(v.size())}});
}

}  // namespace

int nearestRow(const std::vector<float>& rows, int dim, const float* v, double* cosOut) {
    int best = -1;
    double bestCos = -2;
    const int n = dim > 0 ? int(rows.size() / size_t(dim)) : 0;
    for (int r = 0; r < n; ++r) {
        const double c = cosine(rows.data() + size_t(r) * size_t(dim), v, dim);
        if (c > bestCos) {
            bestCos = c;
            best = r;
        }
    }
    if (cosOut) *cosOut = best >= 0 ? bestCos : 0.0;
    return best;
}

std::vector<std::pair<double, double>> pca2d(const std::vector<float>& rows, int dim,
                                             bool normalise, double explained[2]) {
    const int n = dim > 0 ? int(rows.size() / size_t(dim)) : 0;
    std::vector<std::pair<double, double>> out(size_t(n), {0.0, 0.0});
    if (explained) explained[0] = explained[1] = 0;
    if (n < 2 || dim < 1) return out;
    cv::Mat data(n, dim, CV_64F);
    for (int r = 0; r < n; ++r) {
        const float* v = rows.data() + size_t(r) * size_t(dim);
        const double s = normalise ? l2Norm(v, dim) : 1.0;
        for (int c = 0; c < dim; ++c) data.at<double>(r, c) = s > 0 ? v[c] / s : 0.0;
    }
    cv::Mat mean;
    cv::reduce(data, mean, 0, cv::REDUCE_AVG);
    cv::Mat centred = data - cv::repeat(mean, n, 1);
    const double total = cv::sum(centred.mul(centred))[0] / n;
    if (total <= 1e-18) return out;  // all points equal
    const int k = std::min({2, n - 1, dim});
    cv::PCA pca(data, mean, cv::PCA::DATA_AS_ROW, k);
    for (int a = 0; a < std::min(k, pca.eigenvectors.rows); ++a) {
        cv::Mat axis = pca.eigenvectors.row(a);
        cv::Point maxLoc;
        double lo = 0, hi = 0;
        cv::Point loLoc;
        cv::minMaxLoc(axis, &lo, &hi, &loLoc, &maxLoc);
        if (std::abs(lo) > std::abs(hi)) axis *= -1;  // largest-magnitude component positive
        const cv::Mat proj = centred * axis.t();      // n x 1
        double var = 0;
        for (int r = 0; r < n; ++r) {
            const double p = proj.at<double>(r, 0);
            (a == 0 ? out[size_t(r)].first : out[size_t(r)].second) = p;
            var += p * p;
        }
        if (explained) explained[a] = var / n / total;
    }
    return out;
}

BackgroundAnalysis analyseBackground(const BackgroundInput& in, bool normaliseProjection) {
    const int D = in.dim;
    if (D <= 0)
        throw Error(ErrorCode::DimensionMismatch, "the semantic dimension must be positive",
                    {{"what", "dimension"}, {"expected", "> 0"}, {"found", std::to_string(D)}});
    checkSize(in.seenVectors, in.seenNames.size() * size_t(D), "seen class vectors");
    checkSize(in.unseenVectors, in.unseenNames.size() * size_t(D), "unseen class vectors");
    checkSize(in.learned, size_t(D), "learned background vector");
    checkSize(in.initial, size_t(D), "initial background vector");

    BackgroundAnalysis a;
    a.dim = D;
    a.learnedNorm = l2Norm(in.learned.data(), D);
    a.initialNorm = l2Norm(in.initial.data(), D);
    a.cosLearnedInitial = cosine(in.learned.data(), in.initial.data(), D);

    std::vector<float> all;  // every class, then V_b learned and initial, for the map
    all.reserve((in.seenNames.size() + in.unseenNames.size() + 2) * size_t(D));
    auto addClass = [&](const std::string& name, const float* v, bool unseen) {
        ClassCosine c;
        c.name = name;
        c.unseen = unseen;
        c.norm = l2Norm(v, D);
        c.cosLearned = cosine(in.learned.data(), v, D);
        c.cosInitial = cosine(in.initial.data(), v, D);
        a.classes.push_back(std::move(c));
        all.insert(all.end(), v, v + D);
        a.projection.points.push_back({name, unseen ? PointKind::Unseen : PointKind::Seen, 0, 0});
    };
    for (size_t i = 0; i < in.seenNames.size(); ++i)
        addClass(in.seenNames[i], in.seenVectors.data() + i * size_t(D), false);
    for (size_t i = 0; i < in.unseenNames.size(); ++i)
        addClass(in.unseenNames[i], in.unseenVectors.data() + i * size_t(D), true);
    for (int i = 0; i < int(a.classes.size()); ++i) {
        if (a.nearestToLearned < 0 ||
            a.classes[size_t(i)].cosLearned > a.classes[size_t(a.nearestToLearned)].cosLearned)
            a.nearestToLearned = i;
        if (a.nearestToInitial < 0 ||
            a.classes[size_t(i)].cosInitial > a.classes[size_t(a.nearestToInitial)].cosInitial)
            a.nearestToInitial = i;
    }
    all.insert(all.end(), in.learned.begin(), in.learned.end());
    all.insert(all.end(), in.initial.begin(), in.initial.end());
    a.projection.points.push_back({"V_b (learned)", PointKind::LearnedBackground, 0, 0});
    a.projection.points.push_back({"V_b (initial)", PointKind::InitialBackground, 0, 0});
    a.projection.normalised = normaliseProjection;
    const auto xy = pca2d(all, D, normaliseProjection, a.projection.explained);
    for (size_t i = 0; i < xy.size(); ++i) {
        a.projection.points[i].x = xy[i].first;
        a.projection.points[i].y = xy[i].second;
    }
    return a;
}

const char* toString(PointKind kind) {
    switch (kind) {
        case PointKind::Seen:
            return "seen";
        case PointKind::Unseen:
            return "unseen";
        case PointKind::LearnedBackground:
            return "learned";
        case PointKind::InitialBackground:
            return "initial";
    }
    return "seen";
}

void to_json(nlohmann::json& j, const BackgroundAnalysis& a) {
    j = nlohmann::json::object();
    j["dim"] = a.dim;
    j["learned_norm"] = a.learnedNorm;
    j["initial_norm"] = a.initialNorm;
    j["cos_learned_initial"] = a.cosLearnedInitial;
    auto classes = nlohmann::json::array();
    for (const auto& c : a.classes)
        classes.push_back({{"name", c.name},
                           {"kind", c.unseen ? "unseen" : "seen"},
                           {"norm", c.norm},
                           {"cos_learned", c.cosLearned},
                           {"cos_initial", c.cosInitial}});
    j["classes"] = classes;
    j["nearest_to_learned"] = a.nearestToLearned >= 0
                                  ? nlohmann::json(a.classes[size_t(a.nearestToLearned)].name)
                                  : nlohmann::json();
    j["nearest_to_initial"] = a.nearestToInitial >= 0
                                  ? nlohmann::json(a.classes[size_t(a.nearestToInitial)].name)
                                  : nlohmann::json();
    auto points = nlohmann::json::array();
    for (const auto& p : a.projection.points)
        points.push_back({{"name", p.name}, {"kind", toString(p.kind)}, {"x", p.x}, {"y", p.y}});
    j["projection"] = {
        {"method", "pca"},
        {"normalised", a.projection.normalised},
        {"explained_variance", {a.projection.explained[0], a.projection.explained[1]}},
        {"points", points}};
}

}  // namespace zsi::analysis
