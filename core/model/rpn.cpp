#include "model/rpn.h"

#include "model/box_coder.h"

#include <torch/nn/init.h>

namespace zsi::model {
namespace {

torch::nn::Conv2d makeConv(int in, int out, int k, int pad, bool bias) {
    auto c = torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k).padding(pad).bias(bias));
    torch::NoGradGuard g;
    torch::nn::init::normal_(c->weight, 0.0, 0.01);
    if (bias) c->bias.zero_();
    return c;
}

// (N, 2A, H, W) -> (N, H, W, A, 2) softmax over the (bg, fg) pair.
torch::Tensor pairSoftmax(const torch::Tensor& logits) {
    const auto n = logits.size(0), h = logits.size(2), w = logits.size(3);
    return logits.permute({0, 2, 3, 1}).reshape({n, h, w, -1, 2}).softmax(-1);
}

}  // namespace

BackgroundAwareRpnImpl::BackgroundAwareRpnImpl(int inChannels, int featChannels, int semanticDim,
                                               int numAnchors)
    : numAnchors_(numAnchors) {
    rpn_conv = register_module("rpn_conv", makeConv(inChannels, featChannels, 3, 1, true));
    rpn_cls_conv_T =
        register_module("rpn_cls_conv_T", makeConv(featChannels, semanticDim, 1, 0, true));
    rpn_reg = register_module("rpn_reg", makeConv(featChannels, 4 * numAnchors, 1, 0, true));
    vec_fb = register_module("vec_fb", makeConv(semanticDim, 2 * numAnchors, 1, 0, false));
}

BackgroundAwareRpnImpl::Output BackgroundAwareRpnImpl::forward(
    const std::vector<torch::Tensor>& features) {
    Output out;
    // Without gradients T and W_bf (two 1x1 convs, no nonlinearity between them) fold into
    // one 1x1 conv to 2A channels: the D-channel intermediate is never materialised.
    const bool fold = !is_training() && !at::GradMode::is_enabled();
    torch::Tensor foldedW, foldedB;
    if (fold) {
        const torch::Tensor wfb = vec_fb->weight.flatten(1);  // (2A, D)
        foldedW = wfb.mm(rpn_cls_conv_T->weight.flatten(1))   // (2A, C)
                      .view({wfb.size(0), -1, 1, 1});
        foldedB = wfb.mv(rpn_cls_conv_T->bias);
    }
    for (const auto& f : features) {
        const torch::Tensor x = rpn_conv->forward(f).relu_();
        out.logits.push_back(fold ? at::conv2d(x, foldedW, foldedB)
                                  : vec_fb->forward(rpn_cls_conv_T->forward(x)));
        out.deltas.push_back(rpn_reg->forward(x));
    }
    return out;
}

torch::Tensor BackgroundAwareRpnImpl::backgroundVector() const {
    torch::NoGradGuard g;
    const torch::Tensor w = vec_fb->weight.detach().flatten(1);  // (2A, D)
    return w.slice(0, 0, w.size(0), 2).mean(0);
}

void BackgroundAwareRpnImpl::initBackgroundRows(const torch::Tensor& background) {
    torch::NoGradGuard g;
    torch::Tensor w = vec_fb->weight.view({vec_fb->weight.size(0), -1});
    for (int64_t r = 0; r < w.size(0); r += 2) w[r].copy_(background.to(w.dtype()));
}

std::vector<torch::Tensor> backgroundProbabilityMaps(const std::vector<torch::Tensor>& logits) {
    std::vector<torch::Tensor> maps;
    for (const auto& l : logits) maps.push_back(std::get<0>(pairSoftmax(l).select(-1, 0).max(-1)));
    return maps;
}

Proposals generateProposals(const BackgroundAwareRpnImpl::Output& out,
                            const std::vector<torch::Tensor>& anchorsPerLevel, int64_t n,
                            const ProposalConfig& config, int imageH, int imageW,
                            GeometryVariant geometry) {
    std::vector<torch::Tensor> boxes, scores;
    const DeltaCoding coding;  // RPN: means 0, stds 1
    for (size_t l = 0; l < out.logits.size(); ++l) {
        torch::Tensor s = pairSoftmax(out.logits[l][n].unsqueeze(0)).select(-1, 1).reshape(-1);
        torch::Tensor d = out.deltas[l][n].permute({1, 2, 0}).reshape({-1, 4});
        torch::Tensor a = anchorsPerLevel[l];
        if (config.preNmsPerLevel > 0 && s.size(0) > config.preNmsPerLevel) {
            const auto top = s.topk(config.preNmsPerLevel);
            const torch::Tensor idx = std::get<1>(top);
            s = std::get<0>(top);
            d = d.index_select(0, idx);
            a = a.index_select(0, idx);
        }
        torch::Tensor b = decodeDeltas(a, d, coding, imageH, imageW, geometry);
        if (config.minBoxSize > 0) {
            const double one = geometry == GeometryVariant::Reference ? 1.0 : 0.0;
            const torch::Tensor w = b.select(1, 2) - b.select(1, 0) + one;
            const torch::Tensor h = b.select(1, 3) - b.select(1, 1) + one;
            const torch::Tensor valid =
                torch::nonzero((w >= config.minBoxSize) & (h >= config.minBoxSize)).view(-1);
            b = b.index_select(0, valid);
            s = s.index_select(0, valid);
        }
        torch::Tensor keep = ops::nms(b, s, config.nmsIou, toOpsGeometry(geometry));
        if (config.postNmsPerLevel > 0 && keep.size(0) > config.postNmsPerLevel)
            keep = keep.slice(0, 0, config.postNmsPerLevel);
        boxes.push_back(b.index_select(0, keep));
        scores.push_back(s.index_select(0, keep));
    }
    Proposals p{torch::cat(boxes), torch::cat(scores)};
    const int64_t num = std::min<int64_t>(config.maxTotal, p.objectness.size(0));
    const torch::Tensor idx = std::get<1>(p.objectness.topk(num));
    p.boxes = p.boxes.index_select(0, idx);
    p.objectness = p.objectness.index_select(0, idx);
    return p;
}

}  // namespace zsi::model
