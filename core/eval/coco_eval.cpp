// COCOeval, step for step (pycocotools/cocoeval.py). Comments name the Python they mirror.
#include "eval/coco_eval.h"

#include "util/error.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <thread>
#include <unordered_map>

namespace zsi::eval {

std::vector<double> linspace(double start, double stop, int num) {
    // numpy: step = (stop - start) / (num - 1); y = arange(num) * step + start; y[-1] = stop.
    std::vector<double> y(static_cast<size_t>(std::max(0, num)));
    if (num == 1) y[0] = start;
    if (num < 2) return y;
    const double step = (stop - start) / (num - 1);
    for (int i = 0; i < num; ++i) y[i] = i * step + start;
    y.back() = stop;
    return y;
}

std::vector<double> defaultIouThresholds() {
    return linspace(0.5, 0.95, 10);
}
std::vector<double> defaultRecallThresholds() {
    return linspace(0.0, 1.0, 101);
}
std::vector<AreaRange> defaultAreaRanges() {
    return {{"all", 0, 1e5 * 1e5},
            {"small", 0, 32 * 32},
            {"medium", 32 * 32, 96 * 96},
            {"large", 96 * 96, 1e5 * 1e5}};
}

namespace {

struct GtEntry {
    double area = 0;
    bool crowd = false;
    BoxXywh box{};
    Rle mask;
};

struct DtEntry {
    double area = 0;
    double score = 0;
    BoxXywh box{};
    Rle mask;
};

// One evaluateImg() result (per category, area range, image).
struct EvalImg {
    bool valid = false;
    std::vector<double> dtScores;    // D, sorted by score
    std::vector<uint8_t> dtMatched;  // T x D
    std::vector<uint8_t> dtIgnore;   // T x D
    std::vector<uint8_t> gtIgnore;   // G
};

template <typename F>
void parallelFor(size_t n, int threads, F f) {
    unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    const size_t nt = std::min<size_t>(n, threads > 0 ? size_t(threads) : size_t(hw));
    if (nt <= 1) {
        for (size_t i = 0; i < n; ++i) f(i);
        return;
    }
    std::atomic<size_t> next{0};
    std::vector<std::thread> pool;
    for (size_t t = 0; t < nt; ++t)
        pool.emplace_back([&] {
            for (size_t i = next++; i < n; i = next++) f(i);
        });
    for (auto& th : pool) th.join();
}

std::vector<size_t> stableOrderByScoreDesc(const std::vector<double>& s) {
    std::vector<size_t> idx(s.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return -s[a] < -s[b]; });
    return idx;
}

}  // namespace

double CocoEvalResult::ap(size_t t, size_t k, std::optional<size_t> a,
                          std::optional<size_t> m) const {
    const size_t ai = a.value_or(0), mi = m.value_or(M - 1);
    double sum = 0;
    size_t n = 0;
    for (size_t r = 0; r < R; ++r) {
        const double p = precisionAt(t, r, k, ai, mi);
        if (p > -1) {
            sum += p;
            ++n;
        }
    }
    return n ? sum / double(n) : -1.0;
}

double CocoEvalResult::ar(size_t t, size_t k, std::optional<size_t> a,
                          std::optional<size_t> m) const {
    return recallAt(t, k, a.value_or(0), m.value_or(M - 1));
}

std::optional<size_t> CocoEvalResult::catIndex(int64_t catId) const {
    for (size_t k = 0; k < params.catIds.size(); ++k)
        if (params.catIds[k] == catId) return k;
    return std::nullopt;
}

std::optional<size_t> CocoEvalResult::iouIndex(double thr) const {
    for (size_t t = 0; t < params.iouThrs.size(); ++t)
        if (std::abs(params.iouThrs[t] - thr) < 1e-9) return t;
    return std::nullopt;
}

double CocoEvalResult::summarize(bool isAp, std::optional<double> iouThr, const std::string& area,
                                 int maxDets) const {
    std::vector<size_t> ts;
    for (size_t t = 0; t < T; ++t)
        if (!iouThr || params.iouThrs[t] == *iouThr) ts.push_back(t);
    std::vector<size_t> as, ms;
    for (size_t a = 0; a < A; ++a)
        if (params.areaRanges[a].label == area) as.push_back(a);
    for (size_t m = 0; m < M; ++m)
        if (params.maxDets[m] == maxDets) ms.push_back(m);
    double sum = 0;
    size_t n = 0;
    for (size_t t : ts)
        for (size_t k = 0; k < K; ++k)
            for (size_t a : as)
                for (size_t m : ms) {
                    if (isAp) {
                        for (size_t r = 0; r < R; ++r) {
                            const double v = precisionAt(t, r, k, a, m);
                            if (v > -1) sum += v, ++n;
                        }
                    } else {
                        const double v = recallAt(t, k, a, m);
                        if (v > -1) sum += v, ++n;
                    }
                }
    return n ? sum / double(n) : -1.0;
}

std::vector<double> CocoEvalResult::stats() const {
    const int m0 = params.maxDets.size() > 0 ? params.maxDets[0] : 1;
    const int m1 = params.maxDets.size() > 1 ? params.maxDets[1] : 10;
    const int m2 = params.maxDets.size() > 2 ? params.maxDets[2] : 100;
    return {summarize(true),
            summarize(true, .5, "all", m2),
            summarize(true, .75, "all", m2),
            summarize(true, {}, "small", m2),
            summarize(true, {}, "medium", m2),
            summarize(true, {}, "large", m2),
            summarize(false, {}, "all", m0),
            summarize(false, {}, "all", m1),
            summarize(false, {}, "all", m2),
            summarize(false, {}, "small", m2),
            summarize(false, {}, "medium", m2),
            summarize(false, {}, "large", m2)};
}

CocoEvalResult evaluate(const coco::Dataset& gt, const std::vector<coco::Detection>& dts,
                        CocoEvalParams p) {
    // evaluate(): imgIds / catIds unique and sorted, maxDets sorted.
    if (p.imgIds.empty())
        for (const auto& im : gt.images) p.imgIds.push_back(im.id);
    if (p.catIds.empty())
        for (const auto& c : gt.categories) p.catIds.push_back(c.id);
    std::sort(p.imgIds.begin(), p.imgIds.end());
    p.imgIds.erase(std::unique(p.imgIds.begin(), p.imgIds.end()), p.imgIds.end());
    std::sort(p.catIds.begin(), p.catIds.end());
    p.catIds.erase(std::unique(p.catIds.begin(), p.catIds.end()), p.catIds.end());
    std::sort(p.maxDets.begin(), p.maxDets.end());
    if (p.maxDets.empty() || p.iouThrs.empty() || p.recThrs.empty() || p.areaRanges.empty())
        throw Error(ErrorCode::InvalidArgument,
                    "evaluation needs IoU thresholds, recall thresholds, area ranges and maxDets",
                    {{"name", "params"}, {"reason", "empty list"}});

    const size_t I = p.imgIds.size(), K = p.catIds.size(), A = p.areaRanges.size(),
                 M = p.maxDets.size();
    const size_t T = p.iouThrs.size(), R = p.recThrs.size();
    const bool segm = p.iouType == IouType::Segm;

    std::unordered_map<int64_t, const coco::Image*> allImages;
    for (const auto& im : gt.images) allImages.emplace(im.id, &im);
    std::unordered_map<int64_t, size_t> imgIndex, catIndex;
    for (size_t i = 0; i < I; ++i) imgIndex.emplace(p.imgIds[i], i);
    for (size_t k = 0; k < K; ++k) catIndex.emplace(p.catIds[k], k);

    // _prepare(): ground truths and detections grouped per (image, category), file order kept.
    std::vector<std::vector<GtEntry>> gts(K * I);
    std::vector<std::vector<DtEntry>> dtCells(K * I);
    for (const auto& a : gt.annotations) {
        auto ii = imgIndex.find(a.imageId);
        auto kk = catIndex.find(a.categoryId);
        if (ii == imgIndex.end() || kk == catIndex.end()) continue;
        GtEntry g;
        g.area = a.area;
        g.crowd = a.iscrowd;
        g.box = a.bbox;
        if (segm) {
            const coco::Image* im = allImages.at(a.imageId);
            g.mask = coco::toRle(a.segmentation, im->height, im->width);
        }
        gts[kk->second * I + ii->second].push_back(std::move(g));
    }
    // loadRes(): the first result decides whether areas come from boxes or masks.
    const bool boxMode = !dts.empty() && dts.front().hasBbox;
    for (const auto& d : dts) {
        auto imgIt = allImages.find(d.imageId);
        if (imgIt == allImages.end())
            throw Error(ErrorCode::InvalidArgument,
                        "results refer to image " + std::to_string(d.imageId) +
                            ", which the ground truth lacks",
                        {{"name", "image_id"}, {"reason", "not in ground truth"}});
        auto ii = imgIndex.find(d.imageId);
        auto kk = catIndex.find(d.categoryId);
        if (ii == imgIndex.end() || kk == catIndex.end()) continue;
        DtEntry e;
        e.score = d.score;
        if (boxMode) {
            if (!d.hasBbox)
                throw Error(ErrorCode::InvalidArgument,
                            "results mix entries with and without \"bbox\"",
                            {{"name", "bbox"}, {"reason", "missing"}});
            e.box = d.bbox;
            e.area = d.bbox[2] * d.bbox[3];
            if (segm)
                e.mask = d.mask
                             ? *d.mask
                             : rle::fromBbox(d.bbox, imgIt->second->height, imgIt->second->width);
        } else {
            if (!d.mask)
                throw Error(ErrorCode::InvalidArgument,
                            "a result has neither bbox nor segmentation",
                            {{"name", "segmentation"}, {"reason", "missing"}});
            e.area = double(rle::area(*d.mask));
            e.box = d.hasBbox ? d.bbox : rle::toBbox(*d.mask);
            if (segm) e.mask = *d.mask;
        }
        dtCells[kk->second * I + ii->second].push_back(std::move(e));
    }

    // computeIoU() + evaluateImg() for every (category, image); evalImgs indexed [k][a][i].
    std::vector<EvalImg> evalImgs(K * A * I);
    const int maxDet = p.maxDets.back();
    parallelFor(K * I, p.threads, [&](size_t cell) {
        const size_t k = cell / I, i = cell % I;
        const auto& g = gts[cell];
        const auto& dAll = dtCells[cell];
        if (g.empty() && dAll.empty()) return;
        // Detections sorted by score (stable, as numpy's mergesort), cut at maxDets[-1].
        std::vector<double> s(dAll.size());
        for (size_t j = 0; j < dAll.size(); ++j) s[j] = dAll[j].score;
        std::vector<size_t> order = stableOrderByScoreDesc(s);
        if (order.size() > size_t(maxDet)) order.resize(size_t(maxDet));
        const size_t D = order.size(), G = g.size();
        std::vector<double> ious(D * G, 0.0);  // [d][g]
        for (size_t d = 0; d < D; ++d) {
            const DtEntry& de = dAll[order[d]];
            for (size_t gi = 0; gi < G; ++gi)
                ious[d * G + gi] = segm ? rle::iouPair(de.mask, g[gi].mask, g[gi].crowd)
                                        : rle::iouPair(de.box, g[gi].box, g[gi].crowd);
        }
        for (size_t a = 0; a < A; ++a) {
            const AreaRange& ar = p.areaRanges[a];
            EvalImg& e = evalImgs[(k * A + a) * I + i];
            e.valid = true;
            // Ground truths: ignored ones (crowd or outside the area range) go last, stably.
            std::vector<uint8_t> ign(G);
            for (size_t gi = 0; gi < G; ++gi)
                ign[gi] = g[gi].crowd || g[gi].area < ar.lo || g[gi].area > ar.hi;
            std::vector<size_t> gtOrder(G);
            std::iota(gtOrder.begin(), gtOrder.end(), 0);
            std::stable_sort(gtOrder.begin(), gtOrder.end(),
                             [&](size_t x, size_t y) { return ign[x] < ign[y]; });
            e.gtIgnore.resize(G);
            for (size_t gi = 0; gi < G; ++gi) e.gtIgnore[gi] = ign[gtOrder[gi]];
            e.dtScores.resize(D);
            for (size_t d = 0; d < D; ++d) e.dtScores[d] = dAll[order[d]].score;
            e.dtMatched.assign(T * D, 0);
            e.dtIgnore.assign(T * D, 0);
            std::vector<uint8_t> gtm(T * G, 0);
            if (D > 0 && G > 0) {
                for (size_t t = 0; t < T; ++t) {
                    for (size_t d = 0; d < D; ++d) {
                        double best = std::min(p.iouThrs[t], 1 - 1e-10);
                        long m = -1;
                        for (size_t gi = 0; gi < G; ++gi) {
                            const bool crowd = g[gtOrder[gi]].crowd;
                            if (gtm[t * G + gi] && !crowd) continue;
                            if (m > -1 && e.gtIgnore[size_t(m)] == 0 && e.gtIgnore[gi] == 1) break;
                            const double v = ious[d * G + gtOrder[gi]];
                            if (v < best) continue;
                            best = v;
                            m = long(gi);
                        }
                        if (m == -1) continue;
                        e.dtIgnore[t * D + d] = e.gtIgnore[size_t(m)];
                        e.dtMatched[t * D + d] = 1;
                        gtm[t * G + size_t(m)] = 1;
                    }
                }
            }
            // Unmatched detections outside the area range are ignored.
            for (size_t d = 0; d < D; ++d) {
                const double da = dAll[order[d]].area;
                if (da < ar.lo || da > ar.hi)
                    for (size_t t = 0; t < T; ++t)
                        if (!e.dtMatched[t * D + d]) e.dtIgnore[t * D + d] = 1;
            }
        }
    });

    // accumulate()
    CocoEvalResult res;
    res.T = T, res.R = R, res.K = K, res.A = A, res.M = M;
    res.precision.assign(T * R * K * A * M, -1.0);
    res.recall.assign(T * K * A * M, -1.0);
    res.scores.assign(T * R * K * A * M, -1.0);
    res.numGt.assign(K * A, 0);
    const double eps = 2.220446049250313e-16;  // np.spacing(1)
    parallelFor(K, p.threads, [&](size_t k) {
        for (size_t a = 0; a < A; ++a) {
            int npig = 0;
            bool any = false;
            for (size_t i = 0; i < I; ++i) {
                const EvalImg& e = evalImgs[(k * A + a) * I + i];
                if (!e.valid) continue;
                any = true;
                for (uint8_t ig : e.gtIgnore) npig += ig == 0;
            }
            res.numGt[k * A + a] = npig;
            if (!any || npig == 0) continue;
            for (size_t m = 0; m < M; ++m) {
                const size_t md = size_t(p.maxDets[m]);
                // Concatenate the first maxDet detections of each image, in image order.
                std::vector<double> scores;
                std::vector<const EvalImg*> src;
                std::vector<size_t> srcIdx;
                for (size_t i = 0; i < I; ++i) {
                    const EvalImg& e = evalImgs[(k * A + a) * I + i];
                    if (!e.valid) continue;
                    const size_t n = std::min(md, e.dtScores.size());
                    for (size_t d = 0; d < n; ++d) {
                        scores.push_back(e.dtScores[d]);
                        src.push_back(&e);
                        srcIdx.push_back(d);
                    }
                }
                const std::vector<size_t> inds = stableOrderByScoreDesc(scores);
                const size_t nd = inds.size();
                for (size_t t = 0; t < T; ++t) {
                    std::vector<double> rc(nd), pr(nd);
                    double tp = 0, fp = 0;
                    for (size_t j = 0; j < nd; ++j) {
                        const EvalImg& e = *src[inds[j]];
                        const size_t D = e.dtScores.size(), d = srcIdx[inds[j]];
                        const bool matched = e.dtMatched[t * D + d],
                                   ignored = e.dtIgnore[t * D + d];
                        if (matched && !ignored) tp += 1;
                        if (!matched && !ignored) fp += 1;
                        rc[j] = tp / npig;
                        pr[j] = tp / (fp + tp + eps);
                    }
                    res.recall[((t * K + k) * A + a) * M + m] = nd ? rc[nd - 1] : 0.0;
                    for (size_t j = nd; j-- > 1;)
                        if (pr[j] > pr[j - 1]) pr[j - 1] = pr[j];
                    for (size_t r = 0; r < R; ++r) {
                        const size_t pi = size_t(
                            std::lower_bound(rc.begin(), rc.end(), p.recThrs[r]) - rc.begin());
                        const size_t at = (((t * R + r) * K + k) * A + a) * M + m;
                        // pycocotools fills q with zeros and stops at the first index past the end.
                        if (pi >= nd) {
                            for (size_t r2 = r; r2 < R; ++r2) {
                                const size_t at2 = (((t * R + r2) * K + k) * A + a) * M + m;
                                res.precision[at2] = 0.0;
                                res.scores[at2] = 0.0;
                            }
                            break;
                        }
                        res.precision[at] = pr[pi];
                        res.scores[at] = scores[inds[pi]];
                    }
                }
            }
        }
    });
    res.params = std::move(p);
    return res;
}

}  // namespace zsi::eval
