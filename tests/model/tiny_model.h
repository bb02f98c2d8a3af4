#pragma once
// A tiny ZSI configuration for fast tests (ResNet-18 layout at width 8, D = 6, 3 seen classes,
// 64 px images). Shared by tests/model and tests/io.
#include "model/model_config.h"

namespace zsi::test {

inline ModelConfig tinyConfig(int vocSize = 0) {
    ModelConfig c;
    c.name = "tiny";
    c.backbone.depth = 18;
    c.backbone.baseWidth = 8;
    c.backbone.norm = NormKind::GroupNorm;
    c.backbone.groupNormGroups = 4;
    c.backbone.frozenStages = -1;
    c.neck.outChannels = 16;
    c.semanticDim = 6;
    c.numSeen = 3;
    c.vocSize = vocSize;
    c.anchors.scales = {2.0};
    c.rpn.featChannels = 16;
    c.rpn.test = {100, 0.7, 50, 50, 0.0};
    c.boxHead.fcDim = 32;
    c.maskHead.numConvs = 2;
    c.maskHead.convChannels = 16;
    c.geometry = GeometryVariant::Modern;
    c.preprocess.maxLongSide = 64;
    c.preprocess.maxShortSide = 64;
    c.inference.scoring = ScoringRule::Direct;
    c.inference.boxRule = BoxRegressionRule::PWeighted;
    return c;
}

}  // namespace zsi::test
