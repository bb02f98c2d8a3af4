#include "model/model_config.h"

#include "util/error.h"
#include "util/json_fields.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace zsi {
namespace {

using nlohmann::json;

using json_fields::EnumName;
using json_fields::enumName;
using json_fields::enumParse;
using json_fields::Reader;

constexpr EnumName<NormKind> kNorms[] = {{NormKind::None, "none"},
                                         {NormKind::FrozenBatchNorm, "frozen_bn"},
                                         {NormKind::GroupNorm, "group_norm"},
                                         {NormKind::BatchNorm, "bn"}};
constexpr EnumName<GeometryVariant> kGeometries[] = {{GeometryVariant::Modern, "modern"},
                                                     {GeometryVariant::Reference, "reference"}};
json proposalToJson(const ProposalConfig& p) {
    return {{"pre_nms_per_level", p.preNmsPerLevel},
            {"nms_iou", p.nmsIou},
            {"post_nms_per_level", p.postNmsPerLevel},
            {"max_total", p.maxTotal},
            {"min_box_size", p.minBoxSize}};
}

void readProposal(const Reader& r, ProposalConfig& p) {
    r.get("pre_nms_per_level", p.preNmsPerLevel);
    r.get("nms_iou", p.nmsIou);
    r.get("post_nms_per_level", p.postNmsPerLevel);
    r.get("max_total", p.maxTotal);
    r.get("min_box_size", p.minBoxSize);
}

[[noreturn]] void invalid(const std::string& field, const std::string& reason) {
    throw Error(ErrorCode::ConfigInvalid, "model config: " + field + ": " + reason,
                {{"field", field}, {"reason", reason}});
}

}  // namespace

std::string toString(NormKind v) {
    return enumName(kNorms, v);
}
std::string toString(GeometryVariant v) {
    return enumName(kGeometries, v);
}
GeometryVariant parseGeometryVariant(const std::string& s) {
    return enumParse(kGeometries, s, "geometry");
}
NormKind parseNormKind(const std::string& s) {
    return enumParse(kNorms, s, "norm");
}

void ModelConfig::validate() const {
    const int d = backbone.depth;
    if (d != 18 && d != 34 && d != 50 && d != 101)
        invalid("backbone.depth", "must be 18, 34, 50 or 101, not " + std::to_string(d));
    if (backbone.baseWidth < 1) invalid("backbone.base_width", "must be positive");
    if (backbone.frozenStages < -1 || backbone.frozenStages > 4)
        invalid("backbone.frozen_stages", "must be in -1..4");
    if (backbone.norm == NormKind::None) invalid("backbone.norm", "the backbone needs a norm");
    auto checkGroups = [&](NormKind n, int channels, const char* field) {
        if (n == NormKind::GroupNorm &&
            (backbone.groupNormGroups < 1 || channels % backbone.groupNormGroups != 0))
            invalid(field, "channels (" + std::to_string(channels) +
                               ") must be a multiple of group_norm_groups");
    };
    checkGroups(backbone.norm, backbone.baseWidth, "backbone.base_width");
    checkGroups(neck.norm, neck.outChannels, "neck.out_channels");
    checkGroups(maskHead.norm, maskHead.convChannels, "mask_head.conv_channels");
    if (neck.outChannels < 1) invalid("neck.out_channels", "must be positive");
    if (neck.numOutputs < 4) invalid("neck.num_outputs", "must be at least 4 (P2..P5)");
    if (semanticDim < 1) invalid("semantic_dim", "must be positive");
    if (numSeen < 1) invalid("num_seen", "must be positive");
    if (vocSize < 0) invalid("voc_size", "must be >= 0");
    if (anchors.scales.empty() || anchors.ratios.empty())
        invalid("anchors", "scales and ratios must not be empty");
    if (static_cast<int>(anchors.strides.size()) != neck.numOutputs)
        invalid("anchors.strides",
                "needs one stride per FPN output (" + std::to_string(neck.numOutputs) + ")");
    if (rpn.featChannels < 1) invalid("rpn.feat_channels", "must be positive");
    if (roi.boxSize < 1 || roi.maskSize < 1) invalid("roi", "sizes must be positive");
    if (roi.finestScale <= 0) invalid("roi.finest_scale", "must be positive");
    if (boxHead.numSharedFcs < 1 || boxHead.fcDim < 1)
        invalid("box_head", "needs at least one shared FC of positive width");
    if (boxHead.targetMeans.size() != 4 || boxHead.targetStds.size() != 4)
        invalid("box_head.target_stds", "means and stds need 4 values");
    if (maskHead.numConvs < 1 || maskHead.convChannels < 1)
        invalid("mask_head", "needs at least one conv of positive width");
    if (preprocess.mean.size() != 3 || preprocess.std.size() != 3)
        invalid("preprocess.mean", "mean and std need 3 values");
    for (double s : preprocess.std)
        if (s <= 0) invalid("preprocess.std", "must be positive");
    if (preprocess.maxLongSide < 1 || preprocess.maxShortSide < 1 || preprocess.padDivisor < 1)
        invalid("preprocess", "sizes must be positive");
    try {
        inference.validate();
    } catch (const Error& e) {
        invalid("inference." + e.arg("field"), e.arg("reason"));
    }
}

nlohmann::json modelConfigToJson(const ModelConfig& c) {
    json j;
    j["name"] = c.name;
    j["backbone"] = {{"depth", c.backbone.depth},
                     {"base_width", c.backbone.baseWidth},
                     {"norm", toString(c.backbone.norm)},
                     {"group_norm_groups", c.backbone.groupNormGroups},
                     {"frozen_stages", c.backbone.frozenStages}};
    j["neck"] = {{"out_channels", c.neck.outChannels},
                 {"num_outputs", c.neck.numOutputs},
                 {"norm", toString(c.neck.norm)}};
    j["semantic_dim"] = c.semanticDim;
    j["num_seen"] = c.numSeen;
    j["voc_size"] = c.vocSize;
    j["anchors"] = {
        {"scales", c.anchors.scales}, {"ratios", c.anchors.ratios}, {"strides", c.anchors.strides}};
    j["rpn"] = {{"feat_channels", c.rpn.featChannels},
                {"train", proposalToJson(c.rpn.train)},
                {"test", proposalToJson(c.rpn.test)}};
    j["roi"] = {{"box_size", c.roi.boxSize},
                {"mask_size", c.roi.maskSize},
                {"sampling_ratio", c.roi.samplingRatio},
                {"finest_scale", c.roi.finestScale}};
    j["box_head"] = {{"num_shared_fcs", c.boxHead.numSharedFcs},
                     {"fc_dim", c.boxHead.fcDim},
                     {"target_means", c.boxHead.targetMeans},
                     {"target_stds", c.boxHead.targetStds}};
    j["mask_head"] = {{"num_convs", c.maskHead.numConvs},
                      {"conv_channels", c.maskHead.convChannels},
                      {"norm", toString(c.maskHead.norm)},
                      {"chain_convs", c.maskHead.chainConvs}};
    j["geometry"] = toString(c.geometry);
    j["preprocess"] = {{"mean", c.preprocess.mean},
                       {"std", c.preprocess.std},
                       {"rgb", c.preprocess.rgb},
                       {"max_long_side", c.preprocess.maxLongSide},
                       {"max_short_side", c.preprocess.maxShortSide},
                       {"pad_divisor", c.preprocess.padDivisor}};
    j["inference"] = toJson(c.inference);
    return j;
}

ModelConfig modelConfigFromJson(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object())
        throw Error(ErrorCode::JsonSchema, "model config " + source + ": expected a JSON object",
                    {{"path", source}, {"field", ""}, {"reason", "expected an object"}});
    ModelConfig c;
    const Reader r(j, "model config", source, "");
    r.get("name", c.name);
    {
        const Reader b = r.child("backbone");
        b.get("depth", c.backbone.depth);
        b.get("base_width", c.backbone.baseWidth);
        b.getEnum("norm", kNorms, c.backbone.norm);
        b.get("group_norm_groups", c.backbone.groupNormGroups);
        b.get("frozen_stages", c.backbone.frozenStages);
    }
    {
        const Reader n = r.child("neck");
        n.get("out_channels", c.neck.outChannels);
        n.get("num_outputs", c.neck.numOutputs);
        n.getEnum("norm", kNorms, c.neck.norm);
    }
    r.get("semantic_dim", c.semanticDim);
    r.get("num_seen", c.numSeen);
    r.get("voc_size", c.vocSize);
    {
        const Reader a = r.child("anchors");
        a.get("scales", c.anchors.scales);
        a.get("ratios", c.anchors.ratios);
        a.get("strides", c.anchors.strides);
    }
    {
        const Reader p = r.child("rpn");
        p.get("feat_channels", c.rpn.featChannels);
        readProposal(p.child("train"), c.rpn.train);
        readProposal(p.child("test"), c.rpn.test);
    }
    {
        const Reader o = r.child("roi");
        o.get("box_size", c.roi.boxSize);
        o.get("mask_size", c.roi.maskSize);
        o.get("sampling_ratio", c.roi.samplingRatio);
        o.get("finest_scale", c.roi.finestScale);
    }
    {
        const Reader h = r.child("box_head");
        h.get("num_shared_fcs", c.boxHead.numSharedFcs);
        h.get("fc_dim", c.boxHead.fcDim);
        h.get("target_means", c.boxHead.targetMeans);
        h.get("target_stds", c.boxHead.targetStds);
    }
    {
        const Reader m = r.child("mask_head");
        m.get("num_convs", c.maskHead.numConvs);
        m.get("conv_channels", c.maskHead.convChannels);
        m.getEnum("norm", kNorms, c.maskHead.norm);
        m.get("chain_convs", c.maskHead.chainConvs);
    }
    r.getEnum("geometry", kGeometries, c.geometry);
    {
        const Reader p = r.child("preprocess");
        p.get("mean", c.preprocess.mean);
        p.get("std", c.preprocess.std);
        p.get("rgb", c.preprocess.rgb);
        p.get("max_long_side", c.preprocess.maxLongSide);
        p.get("max_short_side", c.preprocess.maxShortSide);
        p.get("pad_divisor", c.preprocess.padDivisor);
    }
    if (j.contains("inference"))
        c.inference = inferenceSettingsFromJson(j.at("inference"), c.inference,
                                                {"model config", source, "inference"});
    c.validate();
    return c;
}

ModelConfig loadModelConfig(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!std::filesystem::exists(path))
        throw Error(ErrorCode::FileNotFound, "model config not found: " + path.string(),
                    {{"path", path.string()}});
    if (!in)
        throw Error(ErrorCode::FileUnreadable, "cannot read model config " + path.string(),
                    {{"path", path.string()}, {"reason", "open failed"}});
    json j;
    try {
        j = json::parse(in);
    } catch (const json::parse_error& e) {
        throw Error(ErrorCode::JsonMalformed, "model config " + path.string() + ": " + e.what(),
                    {{"path", path.string()}, {"reason", e.what()}});
    }
    return modelConfigFromJson(j, path.string());
}

}  // namespace zsi
