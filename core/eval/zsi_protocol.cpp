#include "eval/zsi_protocol.h"

#include "util/error.h"

#include <cmath>
#include <set>

namespace zsi::eval {

double harmonicMean(double s, double u) {
    if (s < 0 || u < 0) return -1;
    if (s + u == 0) return 0;
    return 2 * s * u / (s + u);
}

double ProtocolResult::mapAt50(const GroupScores& g) const {
    for (size_t t = 0; t < iouThrs.size(); ++t)
        if (std::abs(iouThrs[t] - 0.5) < 1e-9) return t < g.ap.size() ? g.ap[t] : -1;
    return -1;
}

namespace {
double meanOver(const std::vector<ClassScores>& cs, bool unseen, bool ap, size_t t) {
    double sum = 0;
    size_t n = 0;
    for (const auto& c : cs) {
        if (c.unseen != unseen) continue;
        const double v = ap ? c.ap[t] : c.recall[t];
        if (v > -1) sum += v, ++n;
    }
    return n ? sum / double(n) : -1.0;
}
}  // namespace

ProtocolResult evaluateProtocol(const coco::Dataset& gt, const std::vector<coco::Detection>& dt,
                                const Split& split, Protocol protocol,
                                const ProtocolOptions& options) {
    validateSplit(split);
    ProtocolResult out;
    out.protocol = protocol;
    out.iouType = options.iouType;
    const bool box = options.iouType == IouType::Bbox;
    out.name = protocol == Protocol::Zsi ? (box ? "ZSD" : "ZSI") : (box ? "GZSD" : "GZSI");
    out.iouThrs = options.iouThrs;
    out.maxDets = options.maxDets;

    // Classes in split order, matched by name.
    std::vector<std::string> names = protocol == Protocol::Zsi ? split.unseen : split.all();
    std::set<int64_t> unseenIds;
    for (const auto& n : names) {
        const coco::Category* c = gt.findCategory(n);
        if (!c)
            throw Error(ErrorCode::InvalidArgument,
                        "class '" + n + "' of the split is not a category of the ground truth",
                        {{"name", n}, {"reason", "not in ground truth"}});
        ClassScores cs;
        cs.name = n;
        cs.categoryId = c->id;
        cs.unseen = split.isUnseen(n);
        if (cs.unseen) unseenIds.insert(c->id);
        out.classes.push_back(std::move(cs));
    }

    CocoEvalParams p;
    p.iouType = options.iouType;
    p.iouThrs = options.iouThrs;
    p.maxDets = {options.maxDets};
    p.areaRanges = {defaultAreaRanges()[0]};
    p.threads = options.threads;
    for (const auto& c : out.classes) p.catIds.push_back(c.categoryId);
    if (protocol == Protocol::Zsi) {
        std::set<int64_t> imgs;
        for (const auto& a : gt.annotations)
            if (unseenIds.count(a.categoryId)) imgs.insert(a.imageId);
        p.imgIds.assign(imgs.begin(), imgs.end());
        if (p.imgIds.empty())
            throw Error(ErrorCode::InvalidArgument, "no ground-truth image holds an unseen object",
                        {{"name", "gt"}, {"reason", "no unseen objects"}});
    } else {
        for (const auto& im : gt.images) p.imgIds.push_back(im.id);
    }
    const CocoEvalResult r = evaluate(gt, dt, p);
    out.numImages = r.params.imgIds.size();
    for (auto& c : out.classes) {
        const size_t k = *r.catIndex(c.categoryId);
        c.numGt = r.numGt[k * r.A];
        for (size_t t = 0; t < r.T; ++t) {
            c.ap.push_back(r.ap(t, k));
            c.recall.push_back(r.ar(t, k));
        }
    }
    for (size_t t = 0; t < out.iouThrs.size(); ++t) {
        out.unseen.ap.push_back(meanOver(out.classes, true, true, t));
        out.unseen.recall.push_back(meanOver(out.classes, true, false, t));
        if (protocol == Protocol::Gzsi) {
            out.seen.ap.push_back(meanOver(out.classes, false, true, t));
            out.seen.recall.push_back(meanOver(out.classes, false, false, t));
            out.harmonic.ap.push_back(harmonicMean(out.seen.ap[t], out.unseen.ap[t]));
            out.harmonic.recall.push_back(harmonicMean(out.seen.recall[t], out.unseen.recall[t]));
        }
    }
    return out;
}

}  // namespace zsi::eval
