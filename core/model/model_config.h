#pragma once
// Everything that shapes a ZSI network, as plain data (torch-free: the app and widgets may
// include this). Defaults are the reference model (ResNet-FPN Mask R-CNN, MMDetection v1);
// nothing in the model code is hard-wired to D = 300, S = 48 or 65 classes.
#include "settings/inference_settings.h"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace zsi {

// frozen_bn: BatchNorm with frozen statistics (pretrained / reference checkpoints);
// group_norm: GroupNorm (training from scratch); bn: ordinary trainable BatchNorm;
// none: no normalisation (FPN and heads of the reference model).
enum class NormKind { None, FrozenBatchNorm, GroupNorm, BatchNorm };

// Modern: torchvision semantics (no "+1"); Reference: MMDetection v1 ("+1" pixel sizes).
enum class GeometryVariant { Modern, Reference };

struct BackboneConfig {
    int depth = 50;      // 18, 34 (BasicBlock) or 50, 101 (Bottleneck)
    int baseWidth = 64;  // stem / first stage width (torchvision: 64)
    NormKind norm = NormKind::FrozenBatchNorm;
    int groupNormGroups = 32;  // for NormKind::GroupNorm
    int frozenStages = 1;      // -1 none, 0 stem, 1 stem + layer1, ...
};

struct NeckConfig {
    int outChannels = 256;
    int numOutputs = 5;  // P2..P5 + extra levels by max-pool(k=1, s=2)
    NormKind norm = NormKind::None;
};

struct AnchorConfig {
    std::vector<double> scales{8.0};
    std::vector<double> ratios{0.5, 1.0, 2.0};
    std::vector<int> strides{4, 8, 16, 32, 64};
    int numAnchors() const { return static_cast<int>(scales.size() * ratios.size()); }
};

struct ProposalConfig {
    int preNmsPerLevel = 1000;
    double nmsIou = 0.7;
    int postNmsPerLevel = 1000;
    int maxTotal = 1000;
    double minBoxSize = 0.0;
};

struct RpnConfig {
    int featChannels = 256;  // rpn_conv output channels
    ProposalConfig train{2000, 0.7, 2000, 2000, 0.0};
    ProposalConfig test{1000, 0.7, 1000, 1000, 0.0};
};

struct RoiConfig {
    int boxSize = 7;
    int maskSize = 14;
    int samplingRatio = 2;
    double finestScale = 56.0;
};

struct BoxHeadConfig {
    int numSharedFcs = 2;
    int fcDim = 1024;
    std::vector<double> targetMeans{0.0, 0.0, 0.0, 0.0};
    std::vector<double> targetStds{0.1, 0.1, 0.2, 0.2};
};

struct MaskHeadConfig {
    int numConvs = 4;
    int convChannels = 256;
    NormKind norm = NormKind::None;
    // false reproduces the reference quirk: every conv is applied to the RoI feature, so only
    // the last one affects the output; true chains them (Mask R-CNN's intent).
    bool chainConvs = false;
};

struct PreprocessConfig {
    std::vector<double> mean{123.675, 116.28, 103.53};  // RGB order, 0..255 scale
    std::vector<double> std{58.395, 57.12, 57.375};
    bool rgb = true;         // false: the network expects BGR channel order
    int maxLongSide = 1333;  // keep-ratio resize into maxLongSide x maxShortSide
    int maxShortSide = 800;
    int padDivisor = 32;
};

struct ModelConfig {
    std::string name = "zsi";
    BackboneConfig backbone;
    NeckConfig neck;
    int semanticDim = 300;  // D
    int numSeen = 48;       // S (background excluded)
    int vocSize = 0;        // K; 0 = VOC-free variant (see SemanticBoxHead)
    AnchorConfig anchors;
    RpnConfig rpn;
    RoiConfig roi;
    BoxHeadConfig boxHead;
    MaskHeadConfig maskHead;
    GeometryVariant geometry = GeometryVariant::Reference;
    PreprocessConfig preprocess;
    InferenceSettings inference;  // the defaults every request starts from

    // Throws Error(ConfigInvalid, field, reason) for inconsistent values.
    void validate() const;
};

nlohmann::json modelConfigToJson(const ModelConfig& config);
// Missing fields keep their defaults; wrong types / unknown enum values throw
// Error(JsonSchema) naming the field; validate() runs at the end.
ModelConfig modelConfigFromJson(const nlohmann::json& json, const std::string& source = "");
// Reads a config file; JsonMalformed on a parse error.
ModelConfig loadModelConfig(const std::filesystem::path& path);

// Enum <-> config strings ("frozen_bn", "modern"; the inference enums are in
// settings/inference_settings.h). Parsing throws Error(InvalidArgument) for unknown names.
std::string toString(NormKind v);
std::string toString(GeometryVariant v);
GeometryVariant parseGeometryVariant(const std::string& s);
NormKind parseNormKind(const std::string& s);

}  // namespace zsi
