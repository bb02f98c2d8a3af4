#include "engine/engine_p.h"

#include "model/scoring.h"
#include "ops/ops.h"
#include "runtime/device.h"
#include "util/error.h"

#include <torch/cuda.h>
#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <cstring>

namespace zsi {
namespace {

double msSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

ops::Geometry opsGeometry(GeometryVariant g) {
    return g == GeometryVariant::Reference ? ops::Geometry::Reference : ops::Geometry::Modern;
}

std::vector<float> toVector(const at::Tensor& t) {
    const at::Tensor c = t.detach().to(at::kCPU, at::kFloat).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

at::Tensor vectorTensor(const std::vector<float>& v, int dim, const std::string& what) {
    if (static_cast<int>(v.size()) != dim)
        throw Error(ErrorCode::DimensionMismatch,
                    what + " has " + std::to_string(v.size()) + " values, the model expects " +
                        std::to_string(dim),
                    {{"what", what},
                     {"expected", std::to_string(dim)},
                     {"found", std::to_string(v.size())}});
    return at::tensor(v, at::kFloat);
}

cv::Mat mapToMat(const at::Tensor& map) {
    const at::Tensor c = map.detach().to(at::kCPU, at::kFloat).contiguous();
    cv::Mat m(static_cast<int>(c.size(0)), static_cast<int>(c.size(1)), CV_32F);
    std::memcpy(m.data, c.data_ptr<float>(), sizeof(float) * static_cast<size_t>(c.numel()));
    return m;
}

}  // namespace

// ---------------------------------------------------------------- ScoringRequest
void ScoringRequest::addUnseen(std::string name, const std::vector<float>& vector) {
    unseenNames.push_back(std::move(name));
    unseenVectors.insert(unseenVectors.end(), vector.begin(), vector.end());
}

// ---------------------------------------------------------------- PreparedImage
PreparedImage::PreparedImage(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PreparedImage::~PreparedImage() = default;
int PreparedImage::width() const {
    return impl_->input.originalW;
}
int PreparedImage::height() const {
    return impl_->input.originalH;
}
double PreparedImage::prepareMs() const {
    return impl_->prepareMs;
}
double PreparedImage::resolution() const {
    return impl_->resolution;
}
int PreparedImage::proposalCount() const {
    return impl_->rpn.proposals.defined() ? static_cast<int>(impl_->rpn.proposals.size(0)) : 0;
}
int PreparedImage::cachedMaskMaps() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return static_cast<int>(impl_->maskMaps.size());
}

std::size_t PreparedImage::memoryBytes() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const Impl& p = *impl_;
    std::size_t bytes = 0;
    const auto add = [&bytes](const at::Tensor& t) {
        if (t.defined()) bytes += t.nbytes();
    };
    add(p.input.image);
    for (const at::Tensor& f : p.features) add(f);
    add(p.rpn.proposals);
    add(p.rpn.objectness);
    for (const at::Tensor& m : p.rpn.backgroundProbMaps) add(m);
    add(p.box.e);
    add(p.box.seenProbs);
    add(p.box.deltas);
    add(p.box.agnosticBoxes);
    bytes += p.maskMapBytes;
    for (const auto& [proposal, m] : p.lastMasks) bytes += m.mask.total() * m.mask.elemSize();
    return bytes;
}

std::vector<cv::Mat> PreparedImage::backgroundProbabilityMaps() const {
    std::vector<cv::Mat> out;
    const auto& in = impl_->input;
    const int padH = static_cast<int>(in.image.size(2)), padW = static_cast<int>(in.image.size(3));
    for (const at::Tensor& m : impl_->rpn.backgroundProbMaps) {
        // Crop the padded border: only the part that covers image content is meaningful.
        const int h = static_cast<int>(m.size(0)), w = static_cast<int>(m.size(1));
        const int ch = std::max(1, std::min(h, (in.resizedH * h + padH - 1) / padH));
        const int cw = std::max(1, std::min(w, (in.resizedW * w + padW - 1) / padW));
        out.push_back(mapToMat(m.slice(0, 0, ch).slice(1, 0, cw)));
    }
    return out;
}

const at::Tensor* PreparedImage::Impl::findMap(int64_t proposal, const float* b) const {
    auto [lo, hi] = maskMaps.equal_range(proposal);
    for (auto it = lo; it != hi; ++it)
        if (std::memcmp(it->second.box, b, sizeof it->second.box) == 0) return &it->second.map;
    return nullptr;
}

const PreparedImage::Impl::CachedMask* PreparedImage::Impl::findMask(
    int64_t proposal, const float* b, const float* filter, int64_t dim, double threshold) const {
    auto [lo, hi] = lastMasks.equal_range(proposal);
    for (auto it = lo; it != hi; ++it) {
        const CachedMask& c = it->second;
        if (c.threshold == threshold && std::memcmp(c.box, b, sizeof c.box) == 0 &&
            static_cast<int64_t>(c.filter.size()) == dim &&
            std::memcmp(c.filter.data(), filter, sizeof(float) * size_t(dim)) == 0)
            return &c;
    }
    return nullptr;
}

// ---------------------------------------------------------------- Engine
Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

std::unique_ptr<Engine> EngineAccess::make(model::ZsiDetector detector, ModelSummary summary,
                                           const EngineOptions& options) {
    auto impl = std::make_unique<Engine::Impl>();
    impl->device = resolveDevice(options.device);
    impl->maskMapBudget = options.maskMapBudgetBytes;
    detector->eval();
    detector->to(impl->device);
    {
        torch::NoGradGuard noGrad;
        // The class vectors are plain tensors, not registered buffers (the reference key list
        // has no place for them), so to(device) does not move them.
        if (impl->device.type() != at::kCPU)
            detector->setSeenClassVectors(detector->seenClassVectors().to(impl->device),
                                          detector->initialBackground().to(impl->device));
    }
    summary.device = impl->device.str();
    summary.semanticDim = detector->config().semanticDim;
    summary.parameterCount = model::parameterCount(*detector);  // of the model as trained
    if (options.foldBatchNorm) detector->foldBatchNormsForInference();
    summary.config = detector->config();
    impl->detector = std::move(detector);
    impl->summary = std::move(summary);
    return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

model::ZsiDetector& EngineAccess::detector(Engine& engine) {
    return engine.impl_->detector;
}

model::ScoringVocabulary requestVocabulary(const Engine::Impl& engine,
                                           const ScoringRequest& request) {
    const auto& det = engine.detector;
    const int D = det->config().semanticDim;
    const int U = static_cast<int>(request.unseenNames.size());
    if (static_cast<int64_t>(request.unseenVectors.size()) != int64_t(U) * D)
        throw Error(ErrorCode::DimensionMismatch,
                    "unseen class vectors have " + std::to_string(request.unseenVectors.size()) +
                        " values for " + std::to_string(U) + " classes of dimension " +
                        std::to_string(D),
                    {{"what", "unseen vectors"},
                     {"expected", std::to_string(int64_t(U) * D)},
                     {"found", std::to_string(request.unseenVectors.size())}});
    model::ScoringVocabulary vocab;
    vocab.unseen = U > 0
                       ? at::tensor(request.unseenVectors, at::kFloat).view({U, D}).t().contiguous()
                       : at::zeros({D, 0}, at::kFloat);
    // The model's own rule (the usual case) needs no vector here: the detector applies it.
    if (request.background != BackgroundChoice::Model)
        vocab.background = scoring::chooseBackground(
            request.background, det->backgroundVector().to(at::kCPU),
            det->initialBackground().to(at::kCPU), vocab.unseen,
            request.background == BackgroundChoice::Custom
                ? vectorTensor(request.customBackground, D, "background vector")
                : at::Tensor());
    vocab.unseen = vocab.unseen.to(engine.device);
    if (vocab.background.defined()) vocab.background = vocab.background.to(engine.device);

    return vocab;
}

const ModelSummary& Engine::summary() const {
    return impl_->summary;
}

ScoringRequest Engine::defaultRequest() const {
    ScoringRequest r;
    static_cast<InferenceSettings&>(r) = impl_->summary.config.inference;
    return r;
}

std::vector<float> Engine::learnedBackground() const {
    return toVector(impl_->detector->backgroundVector());
}
std::vector<float> Engine::initialBackground() const {
    return toVector(impl_->detector->initialBackground());
}
std::vector<float> Engine::seenVectors() const {
    return toVector(impl_->detector->seenClassVectors().t().contiguous());
}

std::shared_ptr<PreparedImage> Engine::prepare(const LoadedImage& image) {
    return prepare(image, PrepareOptions{});
}

std::shared_ptr<PreparedImage> Engine::prepare(const LoadedImage& image,
                                               const PrepareOptions& options) {
    const double resolution = options.resolution;
    if (!(resolution > 0.0 && resolution <= 1.0))
        throw Error(ErrorCode::InvalidArgument, "resolution must be in (0, 1]",
                    {{"name", "resolution"}, {"reason", std::to_string(resolution)}});
    if (options.maxProposals < 0)
        throw Error(ErrorCode::InvalidArgument, "maxProposals must be 0 (the model's) or more",
                    {{"name", "maxProposals"}, {"reason", std::to_string(options.maxProposals)}});
    torch::NoGradGuard noGrad;
    const auto t0 = std::chrono::steady_clock::now();
    auto p = std::make_unique<PreparedImage::Impl>();
    auto& det = impl_->detector;
    p->resolution = resolution;
    p->maskMapBudget = impl_->maskMapBudget;
    p->input = det->preprocess(image.rgb, resolution);
    p->input.image = p->input.image.to(impl_->device);
    p->features = det->features(p->input.image);
    p->rpn = det->rpn(p->features, p->input.resizedH, p->input.resizedW, options.maxProposals);
    p->box = det->boxSemantics(p->features, p->rpn.proposals, p->input.resizedH, p->input.resizedW);
    p->prepareMs = msSince(t0);
    return std::shared_ptr<PreparedImage>(new PreparedImage(std::move(p)));
}

namespace {

// The names of a result's labels and similarity columns: [seen..., unseen...] and
// [background, seen..., unseen...].
void nameClasses(InferenceResult& result, const std::vector<std::string>& seen,
                 const std::vector<std::string>& unseen) {
    result.classNames = seen;
    result.classNames.insert(result.classNames.end(), unseen.begin(), unseen.end());
    result.similarityNames.push_back("background");
    result.similarityKinds.push_back(ClassKind::Background);
    for (const auto& s : seen) {
        result.similarityNames.push_back(s);
        result.similarityKinds.push_back(ClassKind::Seen);
    }
    for (const auto& u : unseen) {
        result.similarityNames.push_back(u);
        result.similarityKinds.push_back(ClassKind::Unseen);
    }
}

// Over budget: keep only the maps of this score()'s detections (the tensors handed out stay
// alive through their own references).
void dropUnusedMaps(PreparedImage::Impl& p, const int64_t* pptr, const float* bptr,
                    const std::vector<int64_t>& which) {
    std::multimap<int64_t, PreparedImage::Impl::CachedMap> kept;
    std::size_t bytes = 0;
    for (const int64_t i : which) {
        auto [lo, hi] = p.maskMaps.equal_range(pptr[i]);
        for (auto it = lo; it != hi; ++it) {
            if (std::memcmp(it->second.box, bptr + 4 * i, sizeof it->second.box) != 0) continue;
            bytes += it->second.map.nbytes();
            kept.emplace(it->first, std::move(it->second));
            p.maskMaps.erase(it);
            break;
        }
    }
    p.maskMaps = std::move(kept);
    p.maskMapBytes = bytes;
}

// Mask encoder features (the mask head's output before kernel_semantic, which is linear and
// folded into the class filters) of the detections `which`: taken from the prepared image's
// cache where an earlier vocabulary computed them, the rest computed now and cached.
at::Tensor maskEncoderMaps(model::ZsiDetectorImpl& det, PreparedImage::Impl& p,
                           const model::Detections& d, const float* bptr, const int64_t* pptr,
                           const std::vector<int64_t>& which, InferenceResult& result) {
    std::vector<at::Tensor> maps(which.size());
    std::vector<size_t> missing;
    for (size_t k = 0; k < which.size(); ++k) {
        const int64_t i = which[k];
        if (const at::Tensor* m = p.findMap(pptr[i], bptr + 4 * i))
            maps[k] = *m;
        else
            missing.push_back(k);
    }
    if (!missing.empty()) {
        std::vector<int64_t> rows;
        for (size_t k : missing) rows.push_back(which[k]);
        const at::Tensor idx = at::tensor(rows, at::kLong).to(d.resizedBoxes.device());
        const at::Tensor fresh =
            det.maskEncoderFeatures(p.features, d.resizedBoxes.index_select(0, idx));
        for (size_t q = 0; q < missing.size(); ++q) {
            const int64_t i = rows[q];
            PreparedImage::Impl::CachedMap entry;
            std::memcpy(entry.box, bptr + 4 * i, sizeof entry.box);
            entry.map = fresh[static_cast<int64_t>(q)];
            maps[missing[q]] = entry.map;
            p.maskMapBytes += entry.map.nbytes();
            p.maskMaps.emplace(pptr[i], std::move(entry));
        }
        if (p.maskMapBytes > p.maskMapBudget) dropUnusedMaps(p, pptr, bptr, which);
    }
    result.maskMapsComputed = static_cast<int>(missing.size());
    return at::stack(maps);
}

// Torch-free instances: boxes in original pixels, masks pasted at the mask RoIs divided by
// the scale (as torchvision and mmdet v1 do) and binarised strictly above the threshold (as
// mmdet's get_seg_masks and torchvision's evaluation code do), similarity rows. A mask whose
// box, class filter and threshold equal the last score()'s comes from the prepared image's
// cache; the others are computed for these detections only.
void toInstances(model::ZsiDetectorImpl& det, PreparedImage::Impl& p, const model::Detections& d,
                 const model::ScoringVocabulary& vocab, const InferenceSettings& settings,
                 int numSeen, InferenceResult& result) {
    const int64_t n = d.size();
    const double scale = p.input.scale;
    const ops::Geometry geometry = opsGeometry(det.config().geometry);
    const at::Tensor boxes = d.boxes.to(at::kCPU, at::kFloat).contiguous();
    const at::Tensor resized = d.resizedBoxes.to(at::kCPU, at::kFloat).contiguous();
    const at::Tensor pasteBoxes = (d.resizedBoxes / scale).to(at::kCPU, at::kFloat).contiguous();
    const at::Tensor scores = d.scores.to(at::kCPU, at::kFloat).contiguous();
    const at::Tensor labels = d.labels.to(at::kCPU).contiguous();
    const at::Tensor sim = d.similarity.to(at::kCPU, at::kFloat).contiguous();
    const at::Tensor prop = d.proposalIndex.to(at::kCPU).contiguous();
    const at::Tensor filters = det.maskFilters(d.labels, vocab, settings);
    const at::Tensor filtersCpu = filters.to(at::kCPU, at::kFloat).contiguous();
    const int64_t D = filtersCpu.size(1);
    const float* rb = resized.data_ptr<float>();
    const int64_t* pp = prop.data_ptr<int64_t>();
    const float* fp = filtersCpu.data_ptr<float>();
    const double threshold = settings.maskThreshold;

    std::vector<const PreparedImage::Impl::CachedMask*> cached(static_cast<size_t>(n));
    std::vector<int64_t> missing;
    for (int64_t i = 0; i < n; ++i) {
        cached[size_t(i)] = p.findMask(pp[i], rb + 4 * i, fp + D * i, D, threshold);
        if (!cached[size_t(i)]) missing.push_back(i);
    }
    at::Tensor probs;
    if (!missing.empty()) {
        const auto t0 = std::chrono::steady_clock::now();
        const at::Tensor maps = maskEncoderMaps(det, p, d, rb, pp, missing, result);
        result.stages.maskMapsMs = msSince(t0);
        const at::Tensor idx = at::tensor(missing, at::kLong).to(filters.device());
        probs = det.maskProbabilitiesFromFilters(maps, filters.index_select(0, idx)).to(at::kCPU);
    }
    result.maskMapsReused = static_cast<int>(n) - result.maskMapsComputed;

    std::multimap<int64_t, PreparedImage::Impl::CachedMask> next;
    result.instances.reserve(static_cast<size_t>(n));
    for (int64_t i = 0, k = 0; i < n; ++i) {
        Instance inst;
        const float* b = boxes.data_ptr<float>() + 4 * i;
        inst.x1 = b[0];
        inst.y1 = b[1];
        inst.x2 = b[2];
        inst.y2 = b[3];
        inst.classIndex = static_cast<int>(labels.data_ptr<int64_t>()[i]);
        inst.classKind = inst.classIndex < numSeen ? ClassKind::Seen : ClassKind::Unseen;
        if (inst.classIndex >= 0 && inst.classIndex < static_cast<int>(result.classNames.size()))
            inst.className = result.classNames[size_t(inst.classIndex)];
        inst.score = scores.data_ptr<float>()[i];
        PreparedImage::Impl::CachedMask entry;
        if (const auto* c = cached[size_t(i)]) {
            entry = *c;  // cv::Mat shares the pixels; masks are never written in place
        } else {
            const ops::PastedMask pasted = ops::pasteMask(
                probs[k++], pasteBoxes[i], result.imageHeight, result.imageWidth, geometry);
            if (pasted.probs.defined() && pasted.probs.numel() > 0) {
                const at::Tensor bin = (pasted.probs > threshold).to(at::kByte).contiguous();
                entry.mask =
                    cv::Mat(static_cast<int>(bin.size(0)), static_cast<int>(bin.size(1)), CV_8U);
                std::memcpy(entry.mask.data, bin.data_ptr<uint8_t>(),
                            static_cast<size_t>(bin.numel()));
                entry.originX = pasted.originX;
                entry.originY = pasted.originY;
            }
            std::memcpy(entry.box, rb + 4 * i, sizeof entry.box);
            entry.filter.assign(fp + D * i, fp + D * (i + 1));
            entry.threshold = threshold;
        }
        inst.mask = entry.mask;
        inst.maskOriginX = entry.originX;
        inst.maskOriginY = entry.originY;
        next.emplace(pp[i], std::move(entry));
        const float* s = sim.data_ptr<float>() + i * sim.size(1);
        inst.similarity.assign(s, s + sim.size(1));
        result.instances.push_back(std::move(inst));
    }
    p.lastMasks = std::move(next);
}

}  // namespace

// Scoring a prepared image: vocabulary -> detections (scores, boxes, NMS) -> mask maps
// (cached per proposal) -> mask probabilities for the labels -> instances -> one label per
// object or score order.
InferenceResult Engine::score(PreparedImage& prepared, const ScoringRequest& request) {
    torch::NoGradGuard noGrad;
    const auto t0 = std::chrono::steady_clock::now();
    auto& det = impl_->detector;
    auto& p = prepared.impl();
    std::lock_guard<std::mutex> lock(p.mutex);
    const model::ScoringVocabulary vocab = requestVocabulary(*impl_, request);
    const InferenceSettings& settings = request;

    const model::Detections d = det->scoreDetections(
        p.box, p.rpn.proposals, vocab, settings, p.input.resizedH, p.input.resizedW, p.input.scale);

    InferenceResult result;
    result.stages.detectionsMs = msSince(t0);
    result.imageWidth = p.input.originalW;
    result.imageHeight = p.input.originalH;
    nameClasses(result, impl_->summary.seenClasses, request.unseenNames);
    if (d.size() > 0) {
        auto t = std::chrono::steady_clock::now();
        toInstances(*det, p, d, vocab, settings,
                    static_cast<int>(impl_->summary.seenClasses.size()), result);
        result.stages.masksMs = msSince(t) - result.stages.maskMapsMs;
        t = std::chrono::steady_clock::now();
        if (settings.oneLabelPerObject)
            keepOneLabelPerObject(result.instances, settings.oneLabelMaskIou);
        else
            std::stable_sort(
                result.instances.begin(), result.instances.end(),
                [](const Instance& a, const Instance& b) { return a.score > b.score; });
        result.stages.labelsMs = msSince(t);
    }
    result.scoreMs = msSince(t0);
    return result;
}

InferenceResult Engine::run(const LoadedImage& image, const ScoringRequest& request) {
    auto prepared = prepare(image);
    InferenceResult r = score(*prepared, request);
    r.prepareMs = prepared->prepareMs();
    return r;
}

}  // namespace zsi
