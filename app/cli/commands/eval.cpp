// zsi eval: COCO evaluation of a results file against ground truth (pycocotools-exact), or
// the zero-shot protocols: zsi (ZSI/ZSD, unseen classes on images with unseen objects) and
// gzsi (GZSI/GZSD: seen, unseen and harmonic means), at IoU 0.4/0.5/0.6 by default.
#include "command_registry.h"
#include "common_options.h"

#include "data/coco_io.h"
#include "data/split.h"
#include "eval/coco_eval.h"
#include "eval/zsi_protocol.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <memory>

namespace {

namespace fs = std::filesystem;
using namespace zsi;
using namespace zsi::eval;
using ordered_json = nlohmann::ordered_json;

struct EvalCliOptions {
    std::string gt, dt, iouType = "segm", protocol = "coco", split, json;
    std::vector<double> iouThrs;
    int maxDets = 100;
};

void printCoco(const CocoEvalResult& r, const coco::Dataset& gt, const std::string& iouType) {
    static const char* names[12] = {
        "Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]",
        "Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ]",
        "Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ]",
        "Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ]",
        "Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ]",
        "Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ]",
        "Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ]",
        "Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ]",
        "Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]",
        "Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ]",
        "Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ]",
        "Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ]"};
    const auto s = r.stats();
    std::printf("COCO %s evaluation, %zu images, %zu categories\n", iouType.c_str(),
                r.params.imgIds.size(), r.K);
    for (int i = 0; i < 12; ++i) std::printf(" %s = %.3f\n", names[i], s[size_t(i)]);
    std::printf("\n%-28s %7s %7s %7s %6s\n", "category", "AP", "AP50", "AR100", "GT");
    const auto t50 = r.iouIndex(0.5);
    for (size_t k = 0; k < r.K; ++k) {
        const auto* c = gt.findCategory(r.params.catIds[k]);
        double ap = 0, ar = 0;
        int n = 0;
        for (size_t t = 0; t < r.T; ++t) {
            const double a = r.ap(t, k, 0, r.M - 1);
            if (a > -1) ap += a, ar += r.ar(t, k, 0, r.M - 1), ++n;
        }
        std::printf("%-28s %7.3f %7.3f %7.3f %6d\n", c ? c->name.c_str() : "?", n ? ap / n : -1.0,
                    t50 ? r.ap(*t50, k, 0, r.M - 1) : -1.0, n ? ar / n : -1.0, r.numGt[k * r.A]);
    }
}

ordered_json cocoJson(const CocoEvalResult& r, const coco::Dataset& gt,
                      const std::string& iouType) {
    static const char* keys[12] = {"AP",  "AP50", "AP75",  "APs", "APm", "APl",
                                   "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"};
    ordered_json j;
    j["protocol"] = "coco";
    j["iou_type"] = iouType;
    j["num_images"] = r.params.imgIds.size();
    const auto s = r.stats();
    ordered_json st;
    for (int i = 0; i < 12; ++i) st[keys[i]] = s[size_t(i)];
    j["stats"] = st;
    ordered_json cats = ordered_json::array();
    for (size_t k = 0; k < r.K; ++k) {
        const auto* c = gt.findCategory(r.params.catIds[k]);
        ordered_json cj;
        cj["id"] = r.params.catIds[k];
        cj["name"] = c ? c->name : "";
        cj["num_gt"] = r.numGt[k * r.A];
        ordered_json ap = ordered_json::array(), ar = ordered_json::array();
        for (size_t t = 0; t < r.T; ++t) {
            ap.push_back(r.ap(t, k, 0, r.M - 1));
            ar.push_back(r.ar(t, k, 0, r.M - 1));
        }
        cj["ap"] = ap;
        cj["recall"] = ar;
        cats.push_back(cj);
    }
    j["iou_thresholds"] = r.params.iouThrs;
    j["categories"] = cats;
    return j;
}

void printProtocol(const ProtocolResult& r) {
    std::printf("%s (%s), %zu images, %zu classes, maxDets %d\n", r.name.c_str(),
                r.iouType == IouType::Segm ? "mask IoU" : "box IoU", r.numImages, r.classes.size(),
                r.maxDets);
    std::printf("%-24s %-6s %5s", "class", "split", "GT");
    for (double t : r.iouThrs) std::printf("  AP@%.2f R@%.2f", t, t);
    std::printf("\n");
    for (const auto& c : r.classes) {
        std::printf("%-24s %-6s %5d", c.name.c_str(), c.unseen ? "unseen" : "seen", c.numGt);
        for (size_t t = 0; t < r.iouThrs.size(); ++t)
            std::printf("  %7.3f %6.3f", c.ap[t], c.recall[t]);
        std::printf("\n");
    }
    auto row = [&](const char* name, const GroupScores& g) {
        if (g.ap.empty()) return;
        std::printf("%-37s", name);
        for (size_t t = 0; t < r.iouThrs.size(); ++t)
            std::printf("  %7.3f %6.3f", g.ap[t], g.recall[t]);
        std::printf("\n");
    };
    std::printf("\n");
    row("seen mean", r.seen);
    row("unseen mean", r.unseen);
    row("harmonic mean", r.harmonic);
    std::printf("\nmAP@0.5: ");
    if (r.protocol == Protocol::Gzsi)
        std::printf("seen %.3f  unseen %.3f  HM %.3f\n", r.mapAt50(r.seen), r.mapAt50(r.unseen),
                    r.mapAt50(r.harmonic));
    else
        std::printf("%.3f\n", r.mapAt50(r.unseen));
    std::printf("Recall@%d:", r.maxDets);
    for (size_t t = 0; t < r.iouThrs.size(); ++t)
        std::printf("  IoU %.2f: %.3f%s", r.iouThrs[t],
                    r.protocol == Protocol::Gzsi ? r.harmonic.recall[t] : r.unseen.recall[t],
                    r.protocol == Protocol::Gzsi ? " (HM)" : "");
    std::printf("\n");
}

ordered_json protocolJson(const ProtocolResult& r) {
    ordered_json j;
    j["protocol"] = r.name;
    j["iou_type"] = r.iouType == IouType::Segm ? "segm" : "bbox";
    j["iou_thresholds"] = r.iouThrs;
    j["max_dets"] = r.maxDets;
    j["num_images"] = r.numImages;
    auto group = [](const GroupScores& g) {
        ordered_json o;
        o["ap"] = g.ap;
        o["recall"] = g.recall;
        return o;
    };
    if (r.protocol == Protocol::Gzsi) {
        j["seen"] = group(r.seen);
        j["unseen"] = group(r.unseen);
        j["harmonic"] = group(r.harmonic);
        j["map50"] = {{"seen", r.mapAt50(r.seen)},
                      {"unseen", r.mapAt50(r.unseen)},
                      {"harmonic", r.mapAt50(r.harmonic)}};
    } else {
        j["unseen"] = group(r.unseen);
        j["map50"] = {{"unseen", r.mapAt50(r.unseen)}};
    }
    ordered_json cs = ordered_json::array();
    for (const auto& c : r.classes) {
        ordered_json cj;
        cj["name"] = c.name;
        cj["id"] = c.categoryId;
        cj["unseen"] = c.unseen;
        cj["num_gt"] = c.numGt;
        cj["ap"] = c.ap;
        cj["recall"] = c.recall;
        cs.push_back(cj);
    }
    j["classes"] = cs;
    return j;
}

static cli::RegisterCommand reg(
    "eval",
    "Evaluate detection / segmentation results (COCO, ZSI/ZSD, GZSI/GZSD)\n"
    "  zsi eval --gt test/instances.json --dt results.json --iou-type segm --protocol zsi --split "
    "split.json",
    [](CLI::App& sub, cli::GlobalOptions& g) -> cli::CommandRun {
        auto o = std::make_shared<EvalCliOptions>();
        sub.add_option("--gt", o->gt, "Ground truth COCO instances JSON")->required();
        sub.add_option("--dt", o->dt,
                       "Results JSON: [{image_id, category_id, bbox, segmentation, score}]")
            ->required();
        sub.add_option("--iou-type", o->iouType, "bbox or segm")
            ->check(CLI::IsMember({"bbox", "segm"}))
            ->capture_default_str();
        sub.add_option("--protocol", o->protocol,
                       "coco | zsi (unseen only) | gzsi (seen, unseen, harmonic mean)")
            ->check(CLI::IsMember({"coco", "zsi", "gzsi"}))
            ->capture_default_str();
        sub.add_option("--split", o->split, "Split JSON (needed by zsi and gzsi)");
        sub.add_option("--iou", o->iouThrs,
                       "IoU thresholds (default coco 0.50:0.05:0.95, zsi/gzsi 0.4 0.5 0.6)");
        sub.add_option("--max-dets", o->maxDets, "Detections per image for the zsi/gzsi recall")
            ->capture_default_str();
        sub.add_option("--json", o->json, "Write the results as JSON here");
        return [o, &g]() -> int {
            const IouType iou = o->iouType == "bbox" ? IouType::Bbox : IouType::Segm;
            const auto t0 = std::chrono::steady_clock::now();
            const coco::Dataset gt = coco::readInstances(o->gt);
            const std::vector<coco::Detection> dt = coco::readResults(o->dt);
            const auto t1 = std::chrono::steady_clock::now();
            ordered_json j;
            if (o->protocol == "coco") {
                CocoEvalParams p;
                p.iouType = iou;
                p.threads = g.threads;
                if (!o->iouThrs.empty()) p.iouThrs = o->iouThrs;
                const CocoEvalResult r = evaluate(gt, dt, p);
                printCoco(r, gt, o->iouType);
                j = cocoJson(r, gt, o->iouType);
            } else {
                if (o->split.empty())
                    throw Error(ErrorCode::InvalidArgument,
                                "--protocol " + o->protocol + " needs --split",
                                {{"name", "--split"}, {"reason", "missing"}});
                const Split split = readSplit(o->split);
                ProtocolOptions po;
                po.iouType = iou;
                po.maxDets = o->maxDets;
                po.threads = g.threads;
                if (!o->iouThrs.empty()) po.iouThrs = o->iouThrs;
                const ProtocolResult r = evaluateProtocol(
                    gt, dt, split, o->protocol == "zsi" ? Protocol::Zsi : Protocol::Gzsi, po);
                printProtocol(r);
                j = protocolJson(r);
            }
            const auto t2 = std::chrono::steady_clock::now();
            std::printf("\nread %.2f s, evaluated %.2f s (%zu results)\n",
                        std::chrono::duration<double>(t1 - t0).count(),
                        std::chrono::duration<double>(t2 - t1).count(), dt.size());
            if (!o->json.empty()) {
                writeFileAtomic(o->json, j.dump(2) + "\n");
                std::printf("wrote %s\n", o->json.c_str());
            }
            return 0;
        };
    });

}  // namespace
