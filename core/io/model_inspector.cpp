#include "io/model_inspector.h"

#include "io/model_bundle.h"
#include "model/detector.h"
#include "util/error.h"
#include "util/random.h"

#include <torch/torch.h>

#include <chrono>
#include <sstream>

namespace zsi::io {

struct ModelInspector::Impl {
    std::shared_ptr<model::ZsiDetectorImpl> detector;
    BundleInfo info;
};

namespace {

std::string onOff(bool b) {
    return b ? "on" : "off";
}

void printSummary(const model::ZsiDetectorImpl& m, std::ostream& out) {
    const ModelConfig& c = m.config();
    out << "model: " << c.name << "\n"
        << "backbone: ResNet-" << c.backbone.depth << " (base width " << c.backbone.baseWidth
        << ", norm " << toString(c.backbone.norm) << ", frozen stages " << c.backbone.frozenStages
        << ")\n"
        << "neck: FPN, " << c.neck.outChannels << " channels, " << c.neck.numOutputs
        << " outputs, norm " << toString(c.neck.norm) << "\n"
        << "semantic dim D: " << c.semanticDim << ", seen classes S: " << c.numSeen
        << ", VOC size K: " << c.vocSize << (c.vocSize == 0 ? " (VOC-free)" : "") << "\n"
        << "anchors: " << c.anchors.numAnchors() << " per location, strides";
    for (int s : c.anchors.strides) out << " " << s;
    out << "\n"
        << "RPN test proposals: " << c.rpn.test.preNmsPerLevel << " pre-NMS per level, NMS "
        << c.rpn.test.nmsIou << ", " << c.rpn.test.maxTotal << " total\n"
        << "box head: " << c.boxHead.numSharedFcs << " shared FCs x " << c.boxHead.fcDim << ", RoI "
        << c.roi.boxSize << "x" << c.roi.boxSize << "\n"
        << "mask head: " << c.maskHead.numConvs << " convs x " << c.maskHead.convChannels
        << (c.maskHead.chainConvs ? " (chained)" : " (reference quirk: only the last conv counts)")
        << ", RoI " << c.roi.maskSize << "x" << c.roi.maskSize << "\n"
        << "geometry: " << toString(c.geometry) << "; input: keep-ratio into "
        << c.preprocess.maxLongSide << "x" << c.preprocess.maxShortSide << ", pad to "
        << c.preprocess.padDivisor << "\n"
        << "defaults: mode " << toString(c.inference.mode) << ", scoring "
        << toString(c.inference.scoring) << ", box rule " << toString(c.inference.boxRule)
        << ", score " << c.inference.scoreThreshold << ", NMS " << c.inference.nmsIou << ", "
        << c.inference.maxDetections << " detections, mask " << c.inference.maskThreshold
        << ", Sync-bg " << onOff(c.inference.syncBackground) << "\n";
    int64_t trainable = 0;
    for (const auto& p : m.parameters())
        if (p.requires_grad()) trainable += p.numel();
    out << "parameters: " << model::parameterCount(m) << " (trainable " << trainable << ")\n";
    for (const auto& child : m.named_children())
        out << "  " << child.key() << ": " << model::parameterCount(*child.value()) << "\n";
}

// Times the stages on a random image with random class vectors (weights as loaded).
void timeStages(model::ZsiDetectorImpl& m, int h, int w, int repeat, std::ostream& out) {
    const ModelConfig& c = m.config();
    torch::manual_seed(0);
    if (m.seenClassVectors().abs().sum().item<double>() == 0.0)
        m.setSeenClassVectors(at::randn({c.semanticDim, c.numSeen}), at::randn({c.semanticDim}));
    cv::Mat img(h, w, CV_8UC3);
    Rng rng(1);
    for (size_t i = 0; i < img.total() * 3; ++i) img.data[i] = uint8_t(rng.uniformInt(0, 255));
    model::ScoringVocabulary v;
    v.unseen = at::randn({c.semanticDim, std::min(c.numSeen, 17)});
    const InferenceSettings& opts = c.inference;
    m.eval();
    torch::NoGradGuard g;
    using clock = std::chrono::steady_clock;
    auto ms = [](clock::time_point a, clock::time_point b) {
        return std::chrono::duration<double, std::milli>(b - a).count();
    };
    (void)m.detect(img, v, opts);  // warm-up
    double tPre = 0, tFeat = 0, tRpn = 0, tBox = 0, tScore = 0, tMask = 0;
    int64_t dets = 0;
    for (int r = 0; r < repeat; ++r) {
        const auto t0 = clock::now();
        const model::PreparedInput in = m.preprocess(img);
        const auto t1 = clock::now();
        const auto f = m.features(in.image);
        const auto t2 = clock::now();
        const model::RpnResult rp = m.rpn(f, in.resizedH, in.resizedW);
        const auto t3 = clock::now();
        const model::BoxSemantics b = m.boxSemantics(f, rp.proposals, in.resizedH, in.resizedW);
        const auto t4 = clock::now();
        model::Detections d =
            m.scoreDetections(b, rp.proposals, v, opts, in.resizedH, in.resizedW, in.scale);
        const auto t5 = clock::now();
        d.masks = m.maskProbabilitiesFromEncoder(m.maskEncoderFeatures(f, d.resizedBoxes), d.labels,
                                                 v, opts);
        const auto t6 = clock::now();
        tPre += ms(t0, t1), tFeat += ms(t1, t2), tRpn += ms(t2, t3), tBox += ms(t3, t4);
        tScore += ms(t4, t5), tMask += ms(t5, t6);
        dets = d.size();
    }
    const double n = repeat;
    out << "forward " << h << "x" << w << " (" << at::get_num_threads() << " threads, mean of "
        << repeat << "): total " << (tPre + tFeat + tRpn + tBox + tScore + tMask) / n
        << " ms; preprocess " << tPre / n << ", backbone+FPN " << tFeat / n << ", RPN " << tRpn / n
        << ", box head " << tBox / n << ", scoring+NMS " << tScore / n << ", masks " << tMask / n
        << " (" << dets << " detections)\n";
}

}  // namespace

ModelInspector ModelInspector::fromBundle(const std::filesystem::path& folder) {
    ModelInspector m;
    m.impl_ = std::make_shared<Impl>();
    ModelBundle b = readModelBundle(folder);
    m.impl_->detector = b.detector;
    m.impl_->info = b.info;
    return m;
}

ModelInspector ModelInspector::fromConfig(const std::filesystem::path& configJson) {
    ModelInspector m;
    m.impl_ = std::make_shared<Impl>();
    m.impl_->detector = model::ZsiDetector(loadModelConfig(configJson)).ptr();
    return m;
}

std::string ModelInspector::summary() const {
    std::ostringstream out;
    printSummary(*impl_->detector, out);
    const BundleInfo& info = impl_->info;
    if (!info.seenClasses.empty()) {
        out << "seen classes:";
        for (const auto& n : info.seenClasses) out << " " << n << ";";
        out << "\nembedding: " << info.embedding.dump() << "\n"
            << "provenance: " << info.provenance.dump() << "\n";
    }
    return out.str();
}

std::vector<std::string> ModelInspector::keys() const {
    std::vector<std::string> out;
    for (const auto& [name, t] : model::stateEntries(*impl_->detector))
        out.push_back(model::formatStateEntry(name, t));
    return out;
}

std::string ModelInspector::timeForward(int h, int w, int repeat) const {
    if (h < 1 || w < 1 || static_cast<int64_t>(h) * w > 40'000'000)
        throw Error(ErrorCode::InvalidArgument, "image size out of range for timing",
                    {{"name", "--time"}, {"reason", std::to_string(h) + "x" + std::to_string(w)}});
    std::ostringstream out;
    timeStages(*impl_->detector, h, w, repeat, out);
    return out.str();
}

}  // namespace zsi::io
