// RoIAlign: CPU forward/backward kernels, the autograd wrapper, and the public entry point.
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#include <mutex>
#include <string>

#include "ops/ops_detail.h"
#include "ops/roi_align_geometry.h"
#include "util/error.h"

namespace zsi::ops {
namespace detail {
namespace {

void checkRoiArgs(const at::Tensor& features, const at::Tensor& rois, int outH, int outW) {
    if (features.dim() != 4)
        throw Error(ErrorCode::InvalidArgument, "roiAlign: features must be (N, C, H, W)",
                    {{"name", "features"}, {"reason", "expected 4 dimensions"}});
    if (rois.dim() != 2 || rois.size(1) != 5)
        throw Error(ErrorCode::InvalidArgument, "roiAlign: rois must be (K, 5)",
                    {{"name", "rois"}, {"reason", "expected shape (K, 5)"}});
    if (outH <= 0 || outW <= 0)
        throw Error(ErrorCode::InvalidArgument, "roiAlign: output size must be positive",
                    {{"name", "outputSize"},
                     {"reason", std::to_string(outH) + "x" + std::to_string(outW)}});
    if (!at::isFloatingType(features.scalar_type()))
        throw Error(ErrorCode::InvalidArgument, "roiAlign: features must be floating point",
                    {{"name", "features"}, {"reason", "integer dtype"}});
}

constexpr double kChannelsLastSamplesPerPixel = 0.1;

void checkBatchIndex(int64_t batch, int64_t n) {
    if (batch < 0 || batch >= n)
        throw Error(ErrorCode::InvalidArgument, "roiAlign: roi batch index out of range",
                    {{"name", "rois"}, {"reason", "batch index " + std::to_string(batch)}});
}

template <typename T>
void forwardImpl(const at::Tensor& features, const at::Tensor& rois, T scale, int outH, int outW,
                 int samplingRatio, Geometry geometry, at::Tensor& output) {
    const int64_t n = features.size(0), channels = features.size(1);
    const int64_t height = features.size(2), width = features.size(3);
    const int64_t numRois = rois.size(0);
    const T* in = features.data_ptr<T>();
    const T* roiData = rois.data_ptr<T>();
    T* out = output.data_ptr<T>();
    const int64_t plane = height * width, bins = static_cast<int64_t>(outH) * outW;
    for (int64_t k = 0; k < numRois; ++k) checkBatchIndex(static_cast<int64_t>(roiData[k * 5]), n);

    at::parallel_for(0, numRois, 1, [&](int64_t begin, int64_t end) {
        std::vector<BilinearTap<T>> taps;
        for (int64_t k = begin; k < end; ++k) {
            const auto s =
                roiSampling<T>(roiData + k * 5, scale, outH, outW, samplingRatio, geometry);
            roiTaps<T>(s, height, width, outH, outW, taps);
            T* outRoi = out + k * channels * bins;
            if (taps.empty()) {
                std::fill(outRoi, outRoi + channels * bins, T(0));
                continue;
            }
            const int64_t perBin = static_cast<int64_t>(s.gridH) * s.gridW;
            for (int64_t c = 0; c < channels; ++c) {
                const T* src = in + (s.batch * channels + c) * plane;
                T* dst = outRoi + c * bins;
                const BilinearTap<T>* t = taps.data();
                for (int64_t b = 0; b < bins; ++b) {
                    T acc = 0;
                    for (int64_t i = 0; i < perBin; ++i, ++t)
                        acc += t->w1 * src[t->p1] + t->w2 * src[t->p2] + t->w3 * src[t->p3] +
                               t->w4 * src[t->p4];
                    dst[b] = acc / s.count;
                }
            }
        }
    });
}

template <typename T>
void backwardImpl(const at::Tensor& grad, const at::Tensor& rois, T scale, int outH, int outW,
                  int samplingRatio, Geometry geometry, at::Tensor& gradInput) {
    const int64_t channels = gradInput.size(1);
    const int64_t height = gradInput.size(2), width = gradInput.size(3);
    const int64_t numRois = rois.size(0);
    const T* g = grad.data_ptr<T>();
    const T* roiData = rois.data_ptr<T>();
    T* gi = gradInput.data_ptr<T>();
    const int64_t plane = height * width, bins = static_cast<int64_t>(outH) * outW;
    for (int64_t k = 0; k < numRois; ++k)
        checkBatchIndex(static_cast<int64_t>(roiData[k * 5]), gradInput.size(0));

    // Threads own disjoint channel ranges, so the scatter needs no atomics; each thread
    // recomputes the (cheap) taps of every roi.
    at::parallel_for(0, channels, 1, [&](int64_t cBegin, int64_t cEnd) {
        std::vector<BilinearTap<T>> taps;
        for (int64_t k = 0; k < numRois; ++k) {
            const auto s =
                roiSampling<T>(roiData + k * 5, scale, outH, outW, samplingRatio, geometry);
            roiTaps<T>(s, height, width, outH, outW, taps);
            if (taps.empty()) continue;
            const int64_t perBin = static_cast<int64_t>(s.gridH) * s.gridW;
            for (int64_t c = cBegin; c < cEnd; ++c) {
                T* dst = gi + (s.batch * channels + c) * plane;
                const T* gRoi = g + (k * channels + c) * bins;
                const BilinearTap<T>* t = taps.data();
                for (int64_t b = 0; b < bins; ++b) {
                    const T gb = gRoi[b] / s.count;
                    for (int64_t i = 0; i < perBin; ++i, ++t) {
                        dst[t->p1] += gb * t->w1;
                        dst[t->p2] += gb * t->w2;
                        dst[t->p3] += gb * t->w3;
                        dst[t->p4] += gb * t->w4;
                    }
                }
            }
        }
    });
}

// (N, C, H, W) -> contiguous (N, H, W, C) with a cache-blocked transpose; ATen's generic
// permute().contiguous() copy is several times slower for this shape.
// The transposed copy goes to a reused scratch buffer: a fresh allocation of a P2-sized map
// (~70 MB) costs more in page faults than the transpose itself (measured 280 ms vs 10 ms on
// the project's VMs). One caller at a time uses it; concurrent callers allocate.
std::mutex gScratchMutex;
// Never destroyed: a static tensor's destructor could run after the allocator's at exit.
at::Tensor& scratch() {
    static auto* t = new at::Tensor();
    return *t;
}

template <typename T>
at::Tensor toChannelsLast(const at::Tensor& nchw, std::unique_lock<std::mutex>& lease) {
    const auto src = nchw.contiguous();
    const int64_t n = src.size(0), channels = src.size(1), hw = src.size(2) * src.size(3);
    at::Tensor dst;
    lease = std::unique_lock<std::mutex>(gScratchMutex, std::try_to_lock);
    if (lease.owns_lock()) {
        auto& buf = scratch();
        if (!buf.defined() || buf.scalar_type() != src.scalar_type() || buf.numel() < src.numel())
            buf = at::empty({src.numel()}, src.options());
        dst = buf.slice(0, 0, src.numel()).view({n, src.size(2), src.size(3), channels});
    } else {
        dst = at::empty({n, src.size(2), src.size(3), channels}, src.options());
    }
    const T* in = src.data_ptr<T>();
    T* out = dst.data_ptr<T>();
    constexpr int64_t kBlock = 32;
    const int64_t pixelBlocks = (hw + kBlock - 1) / kBlock;
    at::parallel_for(0, n * pixelBlocks, 16, [&](int64_t begin, int64_t end) {
        for (int64_t job = begin; job < end; ++job) {
            const int64_t b = job / pixelBlocks, p0 = (job % pixelBlocks) * kBlock;
            const int64_t p1 = std::min(hw, p0 + kBlock);
            const T* inB = in + b * channels * hw;
            T* outB = out + b * channels * hw;
            for (int64_t c0 = 0; c0 < channels; c0 += kBlock) {
                const int64_t c1 = std::min(channels, c0 + kBlock);
                for (int64_t p = p0; p < p1; ++p)
                    for (int64_t c = c0; c < c1; ++c) outB[p * channels + c] = inB[c * hw + p];
            }
        }
    });
    return dst;
}

// Inverse of toChannelsLast.
template <typename T>
at::Tensor toPlanar(const at::Tensor& nhwc) {
    const int64_t n = nhwc.size(0), h = nhwc.size(1), w = nhwc.size(2), channels = nhwc.size(3);
    const int64_t hw = h * w;
    auto dst = at::empty({n, channels, h, w}, nhwc.options());
    const T* in = nhwc.data_ptr<T>();
    T* out = dst.data_ptr<T>();
    constexpr int64_t kBlock = 32;
    const int64_t pixelBlocks = (hw + kBlock - 1) / kBlock;
    at::parallel_for(0, n * pixelBlocks, 16, [&](int64_t begin, int64_t end) {
        for (int64_t job = begin; job < end; ++job) {
            const int64_t b = job / pixelBlocks, p0 = (job % pixelBlocks) * kBlock;
            const int64_t p1 = std::min(hw, p0 + kBlock);
            const T* inB = in + b * channels * hw;
            T* outB = out + b * channels * hw;
            for (int64_t c0 = 0; c0 < channels; c0 += kBlock) {
                const int64_t c1 = std::min(channels, c0 + kBlock);
                for (int64_t c = c0; c < c1; ++c)
                    for (int64_t p = p0; p < p1; ++p) outB[c * hw + p] = inB[p * channels + c];
            }
        }
    });
    return dst;
}

// Channels-last forward: features are (N, H, W, C). Per roi, accumulate (bins, C) with
// contiguous channel sweeps, then write the (C, bins) output block.
template <typename T>
void forwardChannelsLast(const at::Tensor& nhwc, const at::Tensor& rois, T scale, int outH,
                         int outW, int samplingRatio, Geometry geometry, at::Tensor& output) {
    const int64_t height = nhwc.size(1), width = nhwc.size(2), channels = nhwc.size(3);
    const int64_t numRois = rois.size(0);
    const T* in = nhwc.data_ptr<T>();
    const T* roiData = rois.data_ptr<T>();
    T* out = output.data_ptr<T>();
    const int64_t bins = static_cast<int64_t>(outH) * outW;
    for (int64_t k = 0; k < numRois; ++k)
        checkBatchIndex(static_cast<int64_t>(roiData[k * 5]), nhwc.size(0));

    at::parallel_for(0, numRois, 1, [&](int64_t begin, int64_t end) {
        std::vector<BilinearTap<T>> taps;
        std::vector<T> acc(static_cast<size_t>(bins * channels));
        for (int64_t k = begin; k < end; ++k) {
            const auto s =
                roiSampling<T>(roiData + k * 5, scale, outH, outW, samplingRatio, geometry);
            roiTaps<T>(s, height, width, outH, outW, taps);
            T* outRoi = out + k * channels * bins;
            if (taps.empty()) {
                std::fill(outRoi, outRoi + channels * bins, T(0));
                continue;
            }
            const T* base = in + s.batch * height * width * channels;
            const int64_t perBin = static_cast<int64_t>(s.gridH) * s.gridW;
            const BilinearTap<T>* t = taps.data();
            for (int64_t b = 0; b < bins; ++b) {
                T* a = acc.data() + b * channels;
                std::fill(a, a + channels, T(0));
                for (int64_t i = 0; i < perBin; ++i, ++t) {
                    const T *v1 = base + t->p1 * channels, *v2 = base + t->p2 * channels;
                    const T *v3 = base + t->p3 * channels, *v4 = base + t->p4 * channels;
                    const T w1 = t->w1, w2 = t->w2, w3 = t->w3, w4 = t->w4;
                    for (int64_t c = 0; c < channels; ++c)
                        a[c] += w1 * v1[c] + w2 * v2[c] + w3 * v3[c] + w4 * v4[c];
                }
            }
            for (int64_t c = 0; c < channels; ++c)
                for (int64_t b = 0; b < bins; ++b)
                    outRoi[c * bins + b] = acc[b * channels + c] / s.count;
        }
    });
}

// Channels-last backward into an (N, H, W, C) gradient; threads own channel ranges.
template <typename T>
void backwardChannelsLast(const at::Tensor& grad, const at::Tensor& rois, T scale, int outH,
                          int outW, int samplingRatio, Geometry geometry, at::Tensor& gradNhwc) {
    const int64_t height = gradNhwc.size(1), width = gradNhwc.size(2);
    const int64_t channels = gradNhwc.size(3);
    const int64_t numRois = rois.size(0);
    const T* g = grad.data_ptr<T>();
    const T* roiData = rois.data_ptr<T>();
    T* gi = gradNhwc.data_ptr<T>();
    const int64_t bins = static_cast<int64_t>(outH) * outW;
    for (int64_t k = 0; k < numRois; ++k)
        checkBatchIndex(static_cast<int64_t>(roiData[k * 5]), gradNhwc.size(0));
    // Channel blocks of at least 16 keep the sweeps vectorised.
    at::parallel_for(0, channels, 16, [&](int64_t cBegin, int64_t cEnd) {
        std::vector<BilinearTap<T>> taps;
        std::vector<T> gb(static_cast<size_t>(cEnd - cBegin));
        for (int64_t k = 0; k < numRois; ++k) {
            const auto s =
                roiSampling<T>(roiData + k * 5, scale, outH, outW, samplingRatio, geometry);
            roiTaps<T>(s, height, width, outH, outW, taps);
            if (taps.empty()) continue;
            T* base = gi + s.batch * height * width * channels + cBegin;
            const T* gRoi = g + k * channels * bins;
            const int64_t perBin = static_cast<int64_t>(s.gridH) * s.gridW;
            const int64_t nc = cEnd - cBegin;
            const BilinearTap<T>* t = taps.data();
            for (int64_t b = 0; b < bins; ++b) {
                for (int64_t c = 0; c < nc; ++c) gb[c] = gRoi[(cBegin + c) * bins + b] / s.count;
                for (int64_t i = 0; i < perBin; ++i, ++t) {
                    T *d1 = base + t->p1 * channels, *d2 = base + t->p2 * channels;
                    T *d3 = base + t->p3 * channels, *d4 = base + t->p4 * channels;
                    const T w1 = t->w1, w2 = t->w2, w3 = t->w3, w4 = t->w4;
                    for (int64_t c = 0; c < nc; ++c) d1[c] += gb[c] * w1;
                    for (int64_t c = 0; c < nc; ++c) d2[c] += gb[c] * w2;
                    for (int64_t c = 0; c < nc; ++c) d3[c] += gb[c] * w3;
                    for (int64_t c = 0; c < nc; ++c) d4[c] += gb[c] * w4;
                }
            }
        }
    });
}

// Channels-last pays a transpose of the whole feature map; it wins once the bilinear
// samples exceed about a tenth of the feature pixels (bench_ops: 100 rois of 7x7x2x2 on a
// 200x336 map, ratio 0.29, run 2x faster channels-last; the planar kernel costs ~10x more
// per sample-channel than the transpose per element).
template <typename T>
bool preferChannelsLast(const at::Tensor& rois, at::IntArrayRef featureSizes, T scale, int outH,
                        int outW, int samplingRatio, Geometry geometry) {
    const T* r = rois.data_ptr<T>();
    double samples = 0;
    for (int64_t k = 0; k < rois.size(0); ++k) {
        const auto s = roiSampling<T>(r + k * 5, scale, outH, outW, samplingRatio, geometry);
        if (s.gridH > 0 && s.gridW > 0) samples += static_cast<double>(s.gridH) * s.gridW;
    }
    samples *= static_cast<double>(outH) * outW;
    const double pixels = static_cast<double>(featureSizes[0]) * featureSizes[2] * featureSizes[3];
    return featureSizes[1] >= 8 && samples > kChannelsLastSamplesPerPixel * pixels;
}

class RoiAlignFunction : public torch::autograd::Function<RoiAlignFunction> {
public:
    static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& features,
                              const at::Tensor& rois, double spatialScale, int64_t outH,
                              int64_t outW, int64_t samplingRatio, int64_t geometry) {
        ctx->save_for_backward({rois});
        ctx->saved_data["sizes"] = features.sizes().vec();
        ctx->saved_data["scale"] = spatialScale;
        ctx->saved_data["outH"] = outH;
        ctx->saved_data["outW"] = outW;
        ctx->saved_data["sr"] = samplingRatio;
        ctx->saved_data["geometry"] = geometry;
        return roiAlignCpuForward(features, rois, spatialScale, static_cast<int>(outH),
                                  static_cast<int>(outW), static_cast<int>(samplingRatio),
                                  static_cast<Geometry>(geometry));
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads) {
        const auto rois = ctx->get_saved_variables()[0];
        const auto sizes = ctx->saved_data["sizes"].toIntVector();
        auto gradFeatures = roiAlignCpuBackward(
            grads[0].contiguous(), rois, sizes, ctx->saved_data["scale"].toDouble(),
            static_cast<int>(ctx->saved_data["outH"].toInt()),
            static_cast<int>(ctx->saved_data["outW"].toInt()),
            static_cast<int>(ctx->saved_data["sr"].toInt()),
            static_cast<Geometry>(ctx->saved_data["geometry"].toInt()));
        return {gradFeatures, at::Tensor(), at::Tensor(), at::Tensor(),
                at::Tensor(), at::Tensor(), at::Tensor()};
    }
};

}  // namespace

at::Tensor roiAlignCpuForward(const at::Tensor& features, const at::Tensor& rois,
                              double spatialScale, int outH, int outW, int samplingRatio,
                              Geometry geometry, CpuLayout layout) {
    checkRoiArgs(features, rois, outH, outW);
    const auto r = rois.to(features.scalar_type()).contiguous();
    auto output = at::empty({r.size(0), features.size(1), outH, outW}, features.options());
    if (r.size(0) == 0 || output.numel() == 0) return output.zero_();
    if (features.size(2) == 0 || features.size(3) == 0) return output.zero_();
    AT_DISPATCH_FLOATING_TYPES(features.scalar_type(), "zsi_roi_align_forward", [&] {
        const auto scale = static_cast<scalar_t>(spatialScale);
        const bool channelsLast = layout == CpuLayout::ChannelsLast ||
                                  (layout == CpuLayout::Auto &&
                                   preferChannelsLast<scalar_t>(r, features.sizes(), scale, outH,
                                                                outW, samplingRatio, geometry));
        if (channelsLast) {
            std::unique_lock<std::mutex> lease;
            const auto nhwc = toChannelsLast<scalar_t>(features, lease);
            forwardChannelsLast<scalar_t>(nhwc, r, scale, outH, outW, samplingRatio, geometry,
                                          output);
        } else {
            forwardImpl<scalar_t>(features.contiguous(), r, scale, outH, outW, samplingRatio,
                                  geometry, output);
        }
    });
    return output;
}

at::Tensor roiAlignCpuBackward(const at::Tensor& gradOutput, const at::Tensor& rois,
                               at::IntArrayRef featureSizes, double spatialScale, int outH,
                               int outW, int samplingRatio, Geometry geometry, CpuLayout layout) {
    const auto grad = gradOutput.contiguous();
    const auto r = rois.to(grad.scalar_type()).contiguous();
    if (r.size(0) == 0 || c10::multiply_integers(featureSizes) == 0)
        return at::zeros(featureSizes, grad.options());
    at::Tensor gradInput;
    AT_DISPATCH_FLOATING_TYPES(grad.scalar_type(), "zsi_roi_align_backward", [&] {
        const auto scale = static_cast<scalar_t>(spatialScale);
        const bool channelsLast = layout == CpuLayout::ChannelsLast ||
                                  (layout == CpuLayout::Auto &&
                                   preferChannelsLast<scalar_t>(r, featureSizes, scale, outH, outW,
                                                                samplingRatio, geometry));
        if (channelsLast) {
            auto nhwc =
                at::zeros({featureSizes[0], featureSizes[2], featureSizes[3], featureSizes[1]},
                          grad.options());
            backwardChannelsLast<scalar_t>(grad, r, scale, outH, outW, samplingRatio, geometry,
                                           nhwc);
            gradInput = toPlanar<scalar_t>(nhwc);
        } else {
            gradInput = at::zeros(featureSizes, grad.options());
            backwardImpl<scalar_t>(grad, r, scale, outH, outW, samplingRatio, geometry, gradInput);
        }
    });
    return gradInput;
}

}  // namespace detail

void releaseScratchMemory() {
    std::lock_guard<std::mutex> lock(detail::gScratchMutex);
    detail::scratch() = at::Tensor();
}

at::Tensor roiAlign(const at::Tensor& features, const at::Tensor& rois, double spatialScale,
                    int outH, int outW, int samplingRatio, Geometry geometry) {
    detail::checkRoiArgs(features, rois, outH, outW);
    if (!features.is_cpu())
        return detail::roiAlignAten(features, rois, spatialScale, outH, outW, samplingRatio,
                                    geometry);
    const auto st = features.scalar_type();
    if (st != at::kFloat && st != at::kDouble) {
        // Half/bfloat16 on the CPU: compute in float, hand back the input's dtype.
        return roiAlign(features.to(at::kFloat), rois, spatialScale, outH, outW, samplingRatio,
                        geometry)
            .to(st);
    }
    return detail::RoiAlignFunction::apply(features, rois.to(at::kCPU).to(st).contiguous(),
                                           spatialScale, outH, outW, samplingRatio,
                                           static_cast<int64_t>(geometry));
}

}  // namespace zsi::ops
