#include "settings/inference_settings.h"

#include "util/error.h"
#include "util/json_fields.h"

#include <nlohmann/json.hpp>

namespace zsi {
namespace {

using nlohmann::json;

using json_fields::EnumName;
using json_fields::enumName;
using json_fields::enumParse;
using json_fields::Reader;

constexpr EnumName<InferenceMode> kModes[] = {
    {InferenceMode::Zsi, "zsi"}, {InferenceMode::Gzsi, "gzsi"}, {InferenceMode::Seen, "seen"}};
constexpr EnumName<ScoringRule> kRules[] = {{ScoringRule::Reference, "reference"},
                                            {ScoringRule::Direct, "direct"}};
constexpr EnumName<BoxRegressionRule> kBoxRules[] = {
    {BoxRegressionRule::ReferenceIndex, "reference_index"},
    {BoxRegressionRule::PWeighted, "p_weighted"}};
constexpr EnumName<BackgroundChoice> kBackgrounds[] = {
    {BackgroundChoice::Model, "model"},
    {BackgroundChoice::Learned, "learned"},
    {BackgroundChoice::Initial, "initial"},
    {BackgroundChoice::Zero, "zero"},
    {BackgroundChoice::MeanOfUnseen, "mean_of_unseen"},
    {BackgroundChoice::Custom, "custom"}};

// "<what> <source>" and "<prefix>.<field>" of error messages.
std::string origin(const JsonContext& c) {
    return c.what + (c.source.empty() ? "" : " " + c.source);
}
std::string fieldPath(const JsonContext& c, const std::string& field) {
    return c.prefix.empty() ? field : c.prefix + "." + field;
}

[[noreturn]] void invalid(const std::string& field, const std::string& reason) {
    throw Error(ErrorCode::ConfigInvalid, "inference settings: " + field + ": " + reason,
                {{"field", field}, {"reason", reason}});
}

}  // namespace

void InferenceSettings::validate() const {
    if (!(scoreThreshold >= 0 && scoreThreshold <= 1))
        invalid("score_threshold", "must be in [0, 1]");
    if (!(maskThreshold >= 0 && maskThreshold <= 1)) invalid("mask_threshold", "must be in [0, 1]");
    if (!(nmsIou > 0 && nmsIou <= 1)) invalid("nms_iou", "must be in (0, 1]");
    if (!(oneLabelMaskIou > 0 && oneLabelMaskIou <= 1))
        invalid("one_label_mask_iou", "must be in (0, 1]");
    if (maxDetections < 1) invalid("max_detections", "must be positive");
}

InferenceSettings InferenceOverrides::appliedTo(InferenceSettings base) const {
    if (mode) base.mode = *mode;
    if (scoring) base.scoring = *scoring;
    if (boxRule) base.boxRule = *boxRule;
    if (scoreThreshold) base.scoreThreshold = *scoreThreshold;
    if (maskThreshold) base.maskThreshold = *maskThreshold;
    if (oneLabelPerObject) base.oneLabelPerObject = *oneLabelPerObject;
    return base;
}

std::string toString(InferenceMode v) {
    return enumName(kModes, v);
}
std::string toString(ScoringRule v) {
    return enumName(kRules, v);
}
std::string toString(BoxRegressionRule v) {
    return enumName(kBoxRules, v);
}
std::string toString(BackgroundChoice v) {
    return enumName(kBackgrounds, v);
}
InferenceMode parseInferenceMode(const std::string& s) {
    return enumParse(kModes, s, "mode");
}
ScoringRule parseScoringRule(const std::string& s) {
    return enumParse(kRules, s, "scoring");
}
BoxRegressionRule parseBoxRegressionRule(const std::string& s) {
    return enumParse(kBoxRules, s, "box rule");
}
BackgroundChoice parseBackgroundChoice(const std::string& s) {
    return enumParse(kBackgrounds, s, "background");
}

nlohmann::json toJson(const InferenceSettings& s) {
    return {{"mode", toString(s.mode)},
            {"scoring", toString(s.scoring)},
            {"box_rule", toString(s.boxRule)},
            {"score_threshold", s.scoreThreshold},
            {"nms_iou", s.nmsIou},
            {"max_detections", s.maxDetections},
            {"mask_threshold", s.maskThreshold},
            {"sync_background", s.syncBackground},
            {"mask_sync_background",
             {{"zsi", s.maskSync.zsi}, {"gzsi", s.maskSync.gzsi}, {"seen", s.maskSync.seen}}},
            {"background", toString(s.background)},
            {"one_label_per_object", s.oneLabelPerObject},
            {"one_label_mask_iou", s.oneLabelMaskIou}};
}

InferenceSettings inferenceSettingsFromJson(const nlohmann::json& j, InferenceSettings s,
                                            const JsonContext& context) {
    const Reader r(j, context.what, context.source, context.prefix);
    if (!j.is_object()) {
        throw Error(ErrorCode::JsonSchema,
                    origin(context) + ": field '" + context.prefix + "': expected an object",
                    {{"path", context.source},
                     {"field", context.prefix},
                     {"reason", "expected an object"}});
    }
    r.getEnum("mode", kModes, s.mode);
    r.getEnum("scoring", kRules, s.scoring);
    r.getEnum("box_rule", kBoxRules, s.boxRule);
    r.get("score_threshold", s.scoreThreshold);
    r.get("nms_iou", s.nmsIou);
    r.get("max_detections", s.maxDetections);
    r.get("mask_threshold", s.maskThreshold);
    r.get("sync_background", s.syncBackground);
    const Reader ms = r.child("mask_sync_background");
    ms.get("zsi", s.maskSync.zsi);
    ms.get("gzsi", s.maskSync.gzsi);
    ms.get("seen", s.maskSync.seen);
    r.getEnum("background", kBackgrounds, s.background);
    r.get("one_label_per_object", s.oneLabelPerObject);
    r.get("one_label_mask_iou", s.oneLabelMaskIou);
    try {
        s.validate();
    } catch (const Error& e) {
        const std::string field = fieldPath(context, e.arg("field"));
        throw Error(ErrorCode::ConfigInvalid,
                    origin(context) + ": " + field + ": " + e.arg("reason"),
                    {{"field", field}, {"reason", e.arg("reason")}});
    }
    return s;
}

}  // namespace zsi
