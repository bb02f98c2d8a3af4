#include "model/resnet.h"

#include "model/nn_util.h"

#include <ATen/ATen.h>
#include <torch/nn/modules/linear.h>

namespace zsi::model {
namespace {

torch::nn::Conv2d conv(int in, int out, int k, int stride, int pad) {
    auto c = torch::nn::Conv2d(
        torch::nn::Conv2dOptions(in, out, k).stride(stride).padding(pad).bias(false));
    initConvKaiming(c);
    return c;
}

// Folds the BatchNorm `norm` (registered in `owner` as "bn<n>") into `conv` ("conv<n>"); the
// norm becomes an identity. False when `norm` is no BatchNorm.
bool foldPair(torch::nn::Module& owner, torch::nn::Conv2d& conv, torch::nn::AnyModule& norm,
              const std::string& n) {
    if (norm.is_empty()) return false;
    torch::nn::Conv2d folded = foldBatchNorm(*conv, *norm.ptr());
    if (!folded) return false;
    conv = owner.replace_module("conv" + n, folded);
    norm = torch::nn::AnyModule(torch::nn::Identity());
    owner.replace_module("bn" + n, norm.ptr());
    return true;
}

// One residual block. Basic: conv1 3x3 (stride), conv2 3x3. Bottleneck: conv1 1x1, conv2 3x3
// (stride), conv3 1x1 with 4x expansion.
class BlockImpl : public torch::nn::Module {
public:
    BlockImpl(bool bottleneck, int inplanes, int planes, int stride, NormKind norm, int groups)
        : bottleneck_(bottleneck) {
        const int expansion = bottleneck ? 4 : 1;
        if (bottleneck) {
            convs_.push_back(register_module("conv1", conv(inplanes, planes, 1, 1, 0)));
            norms_.push_back(makeNorm(norm, planes, groups));
            register_module("bn1", norms_.back().ptr());
            convs_.push_back(register_module("conv2", conv(planes, planes, 3, stride, 1)));
            norms_.push_back(makeNorm(norm, planes, groups));
            register_module("bn2", norms_.back().ptr());
            convs_.push_back(register_module("conv3", conv(planes, planes * 4, 1, 1, 0)));
            norms_.push_back(makeNorm(norm, planes * 4, groups));
            register_module("bn3", norms_.back().ptr());
        } else {
            convs_.push_back(register_module("conv1", conv(inplanes, planes, 3, stride, 1)));
            norms_.push_back(makeNorm(norm, planes, groups));
            register_module("bn1", norms_.back().ptr());
            convs_.push_back(register_module("conv2", conv(planes, planes, 3, 1, 1)));
            norms_.push_back(makeNorm(norm, planes, groups));
            register_module("bn2", norms_.back().ptr());
        }
        if (stride != 1 || inplanes != planes * expansion) {
            downsample_ = torch::nn::Sequential();
            downsample_->push_back(conv(inplanes, planes * expansion, 1, stride, 0));
            downsample_->push_back(makeNorm(norm, planes * expansion, groups));
            register_module("downsample", downsample_);
        }
    }

    torch::Tensor forward(const torch::Tensor& x) {
        torch::Tensor y = x;
        for (size_t i = 0; i < convs_.size(); ++i) {
            y = norms_[i].forward(convs_[i]->forward(y));
            if (i + 1 < convs_.size()) y = y.relu_();
        }
        const torch::Tensor identity = downsample_ ? downsample_->forward(x) : x;
        return (y + identity).relu_();
    }

    int foldBatchNorms() {
        int folded = 0;
        for (size_t i = 0; i < convs_.size(); ++i)
            folded += foldPair(*this, convs_[i], norms_[i], std::to_string(i + 1));
        if (downsample_ && downsample_->size() == 2) {
            auto conv = downsample_->ptr<torch::nn::Conv2dImpl>(0);
            torch::nn::Conv2d f =
                conv ? foldBatchNorm(*conv, *downsample_->ptr(1)) : torch::nn::Conv2d(nullptr);
            if (f) {
                torch::nn::Sequential plain;
                plain->push_back(f);
                downsample_ = replace_module("downsample", plain);
                ++folded;
            }
        }
        return folded;
    }

private:
    bool bottleneck_;
    std::vector<torch::nn::Conv2d> convs_;
    std::vector<torch::nn::AnyModule> norms_;
    torch::nn::Sequential downsample_{nullptr};
};
TORCH_MODULE(Block);

std::vector<int> blocksPerStage(int depth) {
    switch (depth) {
        case 18:
            return {2, 2, 2, 2};
        case 34:
            return {3, 4, 6, 3};
        case 50:
            return {3, 4, 6, 3};
        default:
            return {3, 4, 23, 3};
    }
}

}  // namespace

ResNetImpl::ResNetImpl(const BackboneConfig& config) : config_(config) {
    const bool bottleneck = config.depth >= 50;
    const int expansion = bottleneck ? 4 : 1;
    const int groups = config.groupNormGroups;
    const int w = config.baseWidth;
    conv1_ = register_module("conv1", conv(3, w, 7, 2, 3));
    bn1_ = makeNorm(config.norm, w, groups);
    register_module("bn1", bn1_.ptr());

    int inplanes = w;
    const auto counts = blocksPerStage(config.depth);
    for (int s = 0; s < 4; ++s) {
        const int planes = w << s;
        torch::nn::Sequential layer;
        for (int b = 0; b < counts[s]; ++b) {
            layer->push_back(Block(bottleneck, inplanes, planes, (b == 0 && s > 0) ? 2 : 1,
                                   config.norm, groups));
            inplanes = planes * expansion;
        }
        layers_.push_back(register_module("layer" + std::to_string(s + 1), layer));
        outChannels_.push_back(planes * expansion);
    }
    if (config.frozenStages >= 0) {
        freezeParameters(*conv1_);
        freezeParameters(*bn1_.ptr());
    }
    for (int s = 0; s < config.frozenStages && s < 4; ++s) freezeParameters(*layers_[s]);
    train(true);
}

std::vector<torch::Tensor> ResNetImpl::forward(const torch::Tensor& x) {
    torch::Tensor y = bn1_.forward(conv1_->forward(x)).relu_();
    y = at::max_pool2d(y, {3, 3}, {2, 2}, {1, 1});
    std::vector<torch::Tensor> outs;
    for (auto& layer : layers_) {
        y = layer->forward(y);
        outs.push_back(y);
    }
    return outs;
}

int ResNetImpl::foldBatchNorms() {
    int folded = foldPair(*this, conv1_, bn1_, "1");
    for (auto& layer : layers_)
        for (size_t b = 0; b < layer->size(); ++b)
            folded += layer->ptr<BlockImpl>(b)->foldBatchNorms();
    return folded;
}

void ResNetImpl::train(bool on) {
    torch::nn::Module::train(on);
    if (config_.norm == NormKind::FrozenBatchNorm) keepBatchNormsInEval(*this);
    // Frozen stages also keep their statistics (MMDetection's _freeze_stages).
    if (on && config_.norm == NormKind::BatchNorm && config_.frozenStages >= 0) {
        bn1_.ptr()->eval();
        for (int s = 0; s < config_.frozenStages && s < 4; ++s) layers_[s]->eval();
    }
}

}  // namespace zsi::model
