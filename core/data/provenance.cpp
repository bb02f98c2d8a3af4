#include "data/provenance.h"

#include <nlohmann/json.hpp>

namespace zsi {

using nlohmann::json;

json provenanceToJson(const Provenance& p) {
    json z = {{"app", p.app},
              {"model", p.model},
              {"model_sha256", p.modelSha256},
              {"embeddings", p.embeddings},
              {"embeddings_sha256", p.embeddingsSha256},
              {"inference", toJson(p.inference)},
              {"unseen_classes", p.unseenClasses}};
    if (!p.appVersion.empty()) z["app_version"] = p.appVersion;
    if (!p.segmentation.empty()) z["segmentation"] = p.segmentation;
    return z;
}

Provenance provenanceFromJson(const json& z, const std::string& source) {
    Provenance p;
    if (!z.is_object()) return p;
    auto str = [&](const char* key, std::string& out) {
        if (z.contains(key) && z[key].is_string()) out = z[key].get<std::string>();
    };
    str("app", p.app);
    str("app_version", p.appVersion);
    str("model", p.model);
    str("model_sha256", p.modelSha256);
    str("embeddings", p.embeddings);
    str("embeddings_sha256", p.embeddingsSha256);
    str("segmentation", p.segmentation);
    if (z.contains("unseen_classes") && z["unseen_classes"].is_array())
        for (const auto& u : z["unseen_classes"])
            if (u.is_string()) p.unseenClasses.push_back(u.get<std::string>());
    if (z.contains("inference")) {
        p.inference = inferenceSettingsFromJson(z["inference"], {},
                                                {"provenance", source, "info.zsi.inference"});
    } else {
        json legacy = json::object();
        for (const char* key : {"mode", "scoring", "box_rule"})
            if (z.contains(key) && z[key].is_string()) legacy[key] = z[key];
        for (const char* key : {"score_threshold", "mask_threshold", "nms_iou"})
            if (z.contains(key) && z[key].is_number()) legacy[key] = z[key];
        if (z.contains("max_detections") && z["max_detections"].is_number_integer())
            legacy["max_detections"] = z["max_detections"];
        for (const char* key : {"sync_background", "one_label_per_object"})
            if (z.contains(key) && z[key].is_boolean()) legacy[key] = z[key];
        p.inference = inferenceSettingsFromJson(legacy, {}, {"provenance", source, "info.zsi"});
    }
    return p;
}

const std::vector<std::string>& provenanceIdentityKeys() {
    static const std::vector<std::string> keys = {"model_sha256",
                                                  "embeddings_sha256",
                                                  "inference",
                                                  "unseen_classes",
                                                  "segmentation",
                                                  "mode",
                                                  "scoring",
                                                  "box_rule",
                                                  "score_threshold",
                                                  "mask_threshold",
                                                  "one_label_per_object"};
    return keys;
}

}  // namespace zsi
