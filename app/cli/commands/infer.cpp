// zsi infer: segment images with typed unseen classes; print a table, write JSON and overlays.
#include "command_registry.h"
#include "common_options.h"
#include "model_options.h"

#include "data/image_io.h"
#include "data/overlay.h"
#include "data/rle.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <iostream>

namespace fs = std::filesystem;

namespace zsi::cli {
namespace {

const char* kindName(ClassKind k) {
    switch (k) {
        case ClassKind::Background:
            return "background";
        case ClassKind::Seen:
            return "seen";
        case ClassKind::Unseen:
            return "unseen";
    }
    return "?";
}

nlohmann::json instanceJson(const Instance& inst, const InferenceResult& r) {
    const Rle rle = rle::encodeCropped(inst.mask, {inst.maskOriginX, inst.maskOriginY},
                                       r.imageHeight, r.imageWidth);
    nlohmann::json sim = nlohmann::json::object();
    for (size_t k = 0; k < inst.similarity.size() && k < r.similarityNames.size(); ++k)
        sim[r.similarityNames[k]] = inst.similarity[k];
    const BoxXywh bb = rle::toBbox(rle);
    nlohmann::json j = {
        {"class", inst.className},
        {"class_index", inst.classIndex},
        {"kind", kindName(inst.classKind)},
        {"score", inst.score},
        {"box", {inst.x1, inst.y1, inst.x2, inst.y2}},
        {"bbox", {bb[0], bb[1], bb[2], bb[3]}},
        {"area", rle::area(rle)},
        {"segmentation", {{"size", {rle.height, rle.width}}, {"counts", rle::toString(rle)}}},
        {"similarity", sim}};
    if (!inst.alternatives.empty()) {
        nlohmann::json alts = nlohmann::json::array();
        for (const auto& a : inst.alternatives)
            alts.push_back({{"class", a.className}, {"score", a.score}});
        j["alternatives"] = std::move(alts);
    }
    return j;
}

fs::path overlayPathFor(const std::string& overlay, const fs::path& image, bool many) {
    if (!many) return overlay;
    return fs::path(overlay) / (image.stem().string() + ".overlay.png");
}

int runInfer(const std::vector<std::string>& images, const ModelOptions& mo,
             const std::string& jsonOut, const std::string& overlay, const GlobalOptions& global) {
    ModelSession s = openModelSession(mo, global);
    const ModelSummary& m = s.engine->summary();
    std::printf("model %s (%s), %zu seen classes, D=%d, device %s\n", m.name.c_str(),
                m.bundlePath.string().c_str(), m.seenClasses.size(), m.semanticDim,
                m.device.c_str());
    std::printf("mode %s, scoring %s, box rule %s, %zu unseen classes\n",
                toString(s.request.mode).c_str(), toString(s.request.scoring).c_str(),
                toString(s.request.boxRule).c_str(), s.request.unseenNames.size());

    nlohmann::json out = {{"model", {{"name", m.name}, {"bundle", m.bundlePath.string()}}},
                          {"inference", toJson(static_cast<const InferenceSettings&>(s.request))},
                          {"unseen_classes", s.request.unseenNames},
                          {"images", nlohmann::json::array()}};
    int failures = 0;
    const bool many = images.size() > 1;
    for (const std::string& path : images) {
        LoadedImage img;
        try {
            img = loadImage(path);
        } catch (const Error& e) {
            std::cerr << "skipped " << path << ": " << e.what() << "\n";
            out["images"].push_back(
                {{"file", path}, {"error", e.what()}, {"error_code", errorCodeName(e.code())}});
            ++failures;
            continue;
        }
        for (const auto& w : img.warnings) std::cerr << "warning: " << w << "\n";
        const InferenceResult r = s.engine->run(img, s.request);
        std::printf("\n%s  %d x %d  %zu instances  (features %.0f ms, scoring %.0f ms)\n",
                    path.c_str(), r.imageWidth, r.imageHeight, r.instances.size(), r.prepareMs,
                    r.scoreMs);
        std::printf("  %-3s %-28s %-7s %6s %7s  %s\n", "#", "class", "kind", "score", "area",
                    "box x1,y1,x2,y2");
        nlohmann::json ij = {{"file", path},
                             {"width", r.imageWidth},
                             {"height", r.imageHeight},
                             {"prepare_ms", r.prepareMs},
                             {"score_ms", r.scoreMs},
                             {"instances", nlohmann::json::array()}};
        for (size_t i = 0; i < r.instances.size(); ++i) {
            const Instance& inst = r.instances[i];
            std::printf("  %-3zu %-28s %-7s %6.3f %7d  %.0f,%.0f,%.0f,%.0f\n", i,
                        inst.className.c_str(), kindName(inst.classKind), inst.score, inst.area(),
                        inst.x1, inst.y1, inst.x2, inst.y2);
            ij["instances"].push_back(instanceJson(inst, r));
        }
        out["images"].push_back(std::move(ij));
        if (!overlay.empty()) {
            const fs::path op = overlayPathFor(overlay, path, many);
            cv::Mat bgr;
            cv::cvtColor(drawInstances(img.rgb, r.instances), bgr, cv::COLOR_RGB2BGR);
            std::vector<uchar> png;
            cv::imencode(".png", bgr, png);
            writeFileAtomic(
                op, std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
            std::printf("  overlay: %s\n", op.string().c_str());
        }
    }
    if (!jsonOut.empty()) {
        writeFileAtomic(jsonOut, out.dump(1));
        std::printf("\nresults: %s\n", jsonOut.c_str());
    }
    return failures == 0 ? 0 : 2;
}

struct InferArgs {
    std::vector<std::string> images;
    ModelOptions model;
    std::string json;
    std::string overlay;
};

RegisterCommand reg(
    "infer",
    "Segment images with typed (unseen) class names\n"
    "  zsi infer resources/demo/images/synth-000003.png --unseen \"green star, purple heart\" "
    "--json out.json",
    [](CLI::App& sub, GlobalOptions& g) {
        auto a = std::make_shared<InferArgs>();
        sub.add_option("images", a->images, "Image files")->required();
        addModelOptions(sub, a->model);
        sub.add_option("--json", a->json,
                       "Write the instances (RLE masks, similarities) to this JSON file");
        sub.add_option("--overlay", a->overlay,
                       "Write the image with masks drawn (a folder when several images)");
        return [a, &g]() { return runInfer(a->images, a->model, a->json, a->overlay, g); };
    });

}  // namespace
}  // namespace zsi::cli
