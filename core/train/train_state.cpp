#include "train/train_state.h"

#include "util/error.h"

#include <nlohmann/json.hpp>

namespace zsi::train {

std::string toString(Ablation a) {
    switch (a) {
        case Ablation::None:
            return "none";
        case Ablation::NoBaRpn:
            return "no-barpn";
        case Ablation::NoSyncBg:
            return "no-syncbg";
        case Ablation::NoDecoders:
            return "no-decoders";
    }
    return "none";
}

Ablation parseAblation(const std::string& s) {
    for (Ablation a : {Ablation::None, Ablation::NoBaRpn, Ablation::NoSyncBg, Ablation::NoDecoders})
        if (toString(a) == s) return a;
    throw Error(ErrorCode::InvalidArgument,
                "unknown ablation '" + s + "' (none, no-barpn, no-syncbg, no-decoders)",
                {{"name", "ablation"}, {"reason", s}});
}

TrainOptions resolveOptions(TrainOptions o) {
    if (o.lrSteps.empty() && o.iterations > 0)
        o.lrSteps = {o.iterations * 2 / 3, o.iterations * 11 / 12};
    return o;
}

nlohmann::json optionsToJson(const TrainOptions& o) {
    return {{"annotations", o.annotations.string()},
            {"images", o.images.string()},
            {"split", o.split.string()},
            {"embeddings", o.embeddings.string()},
            {"normalisation", o.normalisation},
            {"iterations", o.iterations},
            {"batch_size", o.batchSize},
            {"lr", o.lr},
            {"warmup_iterations", o.warmupIterations},
            {"warmup_ratio", o.warmupRatio},
            {"lr_steps", o.lrSteps},
            {"gamma", o.gamma},
            {"momentum", o.momentum},
            {"weight_decay", o.weightDecay},
            {"grad_clip", o.gradClip},
            {"rpn_samples", o.rpnSamples},
            {"rpn_pos_fraction", o.rpnPosFraction},
            {"roi_samples", o.roiSamples},
            {"roi_pos_fraction", o.roiPosFraction},
            {"mask_rois_per_image", o.maskRoisPerImage},
            {"flip", o.flip},
            {"ablation", toString(o.ablation)},
            {"seed", o.seed}};
}

void optionsFromJson(const nlohmann::json& j, TrainOptions& o, const std::string& source) {
    auto get = [&](const char* key, auto& value) {
        if (!j.contains(key))
            throw Error(ErrorCode::JsonSchema, source + ": missing field " + key,
                        {{"path", source}, {"field", key}, {"reason", "missing"}});
        try {
            j.at(key).get_to(value);
        } catch (const nlohmann::json::exception& e) {
            throw Error(ErrorCode::JsonSchema, source + ": field " + key + ": " + e.what(),
                        {{"path", source}, {"field", key}, {"reason", e.what()}});
        }
    };
    std::string s, ablation;
    get("annotations", s);
    o.annotations = s;
    get("images", s);
    o.images = s;
    get("split", s);
    o.split = s;
    get("embeddings", s);
    o.embeddings = s;
    get("normalisation", o.normalisation);
    get("iterations", o.iterations);
    get("batch_size", o.batchSize);
    get("lr", o.lr);
    get("warmup_iterations", o.warmupIterations);
    get("warmup_ratio", o.warmupRatio);
    get("lr_steps", o.lrSteps);
    get("gamma", o.gamma);
    get("momentum", o.momentum);
    get("weight_decay", o.weightDecay);
    get("grad_clip", o.gradClip);
    get("rpn_samples", o.rpnSamples);
    get("rpn_pos_fraction", o.rpnPosFraction);
    get("roi_samples", o.roiSamples);
    get("roi_pos_fraction", o.roiPosFraction);
    get("mask_rois_per_image", o.maskRoisPerImage);
    get("flip", o.flip);
    get("ablation", ablation);
    o.ablation = parseAblation(ablation);
    get("seed", o.seed);
}

}  // namespace zsi::train
