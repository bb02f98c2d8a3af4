#include "inference_worker.h"
#include "error_text.h"

#include "data/image_io.h"
#include "engine/batch_export.h"
#include "engine/class_setup.h"
#include "runtime/runtime.h"
#include "util/error.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <filesystem>

namespace zsi {
namespace {
int codeOf(const std::exception& e) {
    if (auto* ze = dynamic_cast<const Error*>(&e)) return static_cast<int>(ze->code());
    return static_cast<int>(ErrorCode::Unknown);
}
}  // namespace

InferenceWorker::InferenceWorker(std::shared_ptr<std::atomic<quint64>> latest,
                                 std::shared_ptr<RequestSlot> slot, QObject* parent)
    : QObject(parent), latest_(std::move(latest)), slot_(std::move(slot)) {}

InferenceWorker::~InferenceWorker() = default;

void InferenceWorker::setThreads(int threads) {
    setTorchThreads(threads);
}

void InferenceWorker::clearCache() {
    cache_.clear();
}

void InferenceWorker::openModel(const QString& bundleDir, const QString& embeddingsFile,
                                const QString& dataDir) {
    batchCancel_ = true;  // a batch in progress was set up for the old model
    Q_EMIT busyChanged(true, tr("Loading model"));
    try {
        auto engine = Engine::open(bundleDir.toStdString(), EngineOptions{device_.toStdString()});
        std::optional<std::filesystem::path> emb;
        if (!embeddingsFile.isEmpty()) emb = embeddingsFile.toStdString();
        // Large vector files (a 7 GB fastText model) take a while: report progress, at most
        // once per percent so the queued signals stay few.
        semantics::LoadOptions loadOptions;
        int lastPercent = -1;
        loadOptions.progress = [this, &lastPercent](std::uint64_t done, std::uint64_t total) {
            const int percent = total ? int(100 * done / total) : 0;
            if (percent != lastPercent) {
                lastPercent = percent;
                Q_EMIT loadProgress(tr("Loading word vectors"), percent);
            }
        };
        EmbeddingChoice choice =
            openEmbeddingForModel(engine->summary(), emb, dataDir.toStdString(), loadOptions);
        ModelInfo info;
        const ModelSummary& s = engine->summary();
        info.name = QString::fromStdString(s.name);
        info.bundlePath = bundleDir;
        info.embeddingsPath = QString::fromStdString(choice.path.string());
        if (choice.warning) info.embeddingWarning = QString::fromStdString(*choice.warning);
        info.device = QString::fromStdString(s.device);
        for (const auto& c : s.seenClasses) info.seenClasses << QString::fromStdString(c);
        info.semanticDim = s.semanticDim;
        info.parameterCount = s.parameterCount;
        info.defaults = engine->defaultRequest();
        info.embedder = choice.embedder;
        info.learnedBackground = engine->learnedBackground();
        info.initialBackground = engine->initialBackground();
        info.seenVectors = engine->seenVectors();
        for (const auto& c : s.defaultUnseen) info.defaultUnseen << QString::fromStdString(c);
        info.demo = s.demo;
        info.description = QString::fromStdString(s.description);
        info.demoImage = QString::fromStdString(s.demoImage);
        info.referenceBehaviour = s.config.geometry == GeometryVariant::Reference;
        engine_ = std::move(engine);
        embedder_ = choice.embedder;
        embeddingsPath_ = info.embeddingsPath;
        cache_.clear();
        Q_EMIT modelOpened(info);
    } catch (const std::exception& e) {
        Q_EMIT modelFailed(errorText(e), codeOf(e));
    }
    Q_EMIT busyChanged(false, QString());
    Q_EMIT requestDone(0);
}

std::shared_ptr<PreparedImage> InferenceWorker::cachedPrepared(const QString& path) {
    for (auto it = cache_.begin(); it != cache_.end(); ++it) {
        if (it->first == path) {
            cache_.splice(cache_.begin(), cache_, it);
            return cache_.front().second;
        }
    }
    return nullptr;
}

std::shared_ptr<PreparedImage> InferenceWorker::prepareAndCache(const QString& path,
                                                                const LoadedImage& image) {
    auto prepared = engine_->prepare(image);
    cache_.emplace_front(path, prepared);
    trimCache();
    return prepared;
}

std::size_t InferenceWorker::cachedBytes() const {
    std::size_t bytes = 0;
    for (const auto& [path, prepared] : cache_) bytes += prepared->memoryBytes();
    return bytes;
}

void InferenceWorker::trimCache() {
    // The newest stays whatever it costs: it is the image on screen.
    while (cache_.size() > 1 &&
           (static_cast<int>(cache_.size()) > cacheSize_ || cachedBytes() > cacheBytes_))
        cache_.pop_back();
}

std::shared_ptr<PreparedImage> InferenceWorker::preparedFor(const QString& path) {
    if (auto p = cachedPrepared(path)) return p;
    return prepareAndCache(path, loadImage(path.toStdString()));
}

void InferenceWorker::processSlot() {
    if (auto request = slot_->take()) score(*request);
    Q_EMIT requestDone(0);
}

void InferenceWorker::score(const WorkerRequest& request) {
    // Latest request wins: a request overtaken while it waited never starts.
    if (request.id < latest_->load()) return;
    if (!engine_) {
        Q_EMIT requestFailed(request.id, request.imagePath, tr("No model is loaded."),
                             static_cast<int>(ErrorCode::FileNotFound));
        return;
    }
    Q_EMIT busyChanged(true, tr("Segmenting %1").arg(QFileInfo(request.imagePath).fileName()));
    try {
        auto out = std::make_shared<WorkerResult>();
        out->id = request.id;
        out->imagePath = request.imagePath;
        auto prepared = cachedPrepared(request.imagePath);
        out->featuresCached = prepared != nullptr;
        if (!prepared) {
            const LoadedImage image = loadImage(request.imagePath.toStdString());
            const double resolution = provisionalResolution_.load();
            if (resolution > 0 && resolution < 1) {
                // Something on screen early: the same request on a smaller input, fewer
                // detections. Its prepared image is not kept (the full one replaces it).
                auto first = std::make_shared<WorkerResult>();
                first->id = request.id;
                first->imagePath = request.imagePath;
                first->provisional = true;
                ScoringRequest quick = request.scoring;
                quick.maxDetections = std::min(quick.maxDetections, provisionalDetections_.load());
                PrepareOptions fast = PrepareOptions::provisional();
                fast.resolution = resolution;
                auto small = engine_->prepare(image, fast);
                first->result = engine_->score(*small, quick);
                first->result.prepareMs = small->prepareMs();
                Q_EMIT provisionalReady(first);
                if (request.id < latest_->load()) {
                    Q_EMIT busyChanged(false, QString());
                    return;
                }
            }
            prepared = prepareAndCache(request.imagePath, image);
        }
        // Checked again after the expensive part: a class typed while the image was being
        // prepared wins, and this request's scoring (with the old vocabulary) is skipped. The
        // prepared image stays cached for the newer request.
        if (request.id < latest_->load()) {
            Q_EMIT busyChanged(false, QString());
            return;
        }
        out->result = engine_->score(*prepared, request.scoring);
        trimCache();  // scoring adds mask maps to the prepared image
        out->result.prepareMs = out->featuresCached ? 0.0 : prepared->prepareMs();
        out->backgroundMaps = prepared->backgroundProbabilityMaps();
        Q_EMIT resultReady(out);
    } catch (const std::exception& e) {
        Q_EMIT requestFailed(request.id, request.imagePath, errorText(e), codeOf(e));
    }
    Q_EMIT busyChanged(false, QString());
}

namespace {

// The journal's place for a folder: one per image root, so a run of another folder never
// meets it, and the same folder's interrupted run is found again.
std::filesystem::path batchOutput(const BatchJob& job) {
    const QByteArray key = QCryptographicHash::hash(QDir(job.imageRoot).absolutePath().toUtf8(),
                                                    QCryptographicHash::Sha1)
                               .toHex()
                               .left(16);
    QDir().mkpath(job.workFolder);
    return std::filesystem::path(
        QDir(job.workFolder).filePath(QString::fromLatin1(key)).toStdString() + ".json");
}

}  // namespace

void InferenceWorker::runBatch(quint64 id, const BatchJob& batch) {
    batchCancel_ = false;
    if (!engine_) {
        Q_EMIT batchFinished(id, true);
        Q_EMIT requestDone(id);
        return;
    }
    Q_EMIT busyChanged(true, tr("Segmenting all images"));
    ExportJob job;
    job.imagesDir = batch.imageRoot.toStdString();
    job.out = batchOutput(batch);
    job.format = ExportFormat::Instances;
    job.resume = true;
    job.embeddingsFile = embeddingsPath_.toStdString();
    ExportCallbacks callbacks;
    callbacks.cancel = &batchCancel_;
    callbacks.replayResumed = true;
    callbacks.image = [&](const ExportedImage& e) {
        const QString path =
            QDir(batch.imageRoot).filePath(QString::fromStdString(e.file.generic_string()));
        if (!e.instances) {
            Q_EMIT batchFailed(id, path, QString::fromStdString(e.error));
            return;
        }
        auto out = std::make_shared<WorkerResult>();
        out->id = id;
        out->imagePath = path;
        out->resumed = e.resumed;
        if (e.result)
            out->result = *e.result;
        else
            out->result.instances = *e.instances;
        out->result.imageWidth = e.width;
        out->result.imageHeight = e.height;
        Q_EMIT batchResult(out);
    };
    int ranHere = 0;
    callbacks.progress = [&](const ExportProgress& p) {
        Q_EMIT batchProgress(id, int(p.done), int(p.total), p.etaSeconds);
        if (batch.stopAfter > 0 && ++ranHere >= batch.stopAfter) batchCancel_ = true;
    };
    // The interactive request waiting in the slot runs here, between two batch images.
    callbacks.between = [this] {
        if (auto request = slot_->take()) score(*request);
        Q_EMIT busyChanged(true, tr("Segmenting all images"));
    };
    bool cancelled = false;
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            const ExportSummary summary = runExport(*engine_, batch.scoring, job, callbacks);
            cancelled = summary.cancelled;
            // The results are in the document: the assembled file is not needed.
            if (!cancelled) std::filesystem::remove(summary.output);
            break;
        } catch (const Error& e) {
            // A journal of another run of this folder (other classes or settings): that run
            // cannot be continued with these; start over.
            if (attempt == 0 && e.code() == ErrorCode::InvalidArgument &&
                e.arg("name") == "resume") {
                std::error_code ec;
                std::filesystem::remove(exportJournalPath(job), ec);
                continue;
            }
            Q_EMIT batchFailed(id, batch.imageRoot, errorText(e));
            cancelled = true;
            break;
        } catch (const std::exception& e) {
            Q_EMIT batchFailed(id, batch.imageRoot, errorText(e));
            cancelled = true;
            break;
        }
    }
    Q_EMIT busyChanged(false, QString());
    Q_EMIT batchFinished(id, cancelled);
    Q_EMIT requestDone(id);
}

void InferenceWorker::processWhatIf(const WorkerRequest& request) {
    if (request.id < whatIfLatest_->load() || !engine_) {
        Q_EMIT requestDone(request.id);
        return;
    }
    try {
        auto out = std::make_shared<WhatIfResult>();
        out->id = request.id;
        out->imagePath = request.imagePath;
        auto prepared = preparedFor(request.imagePath);
        out->outcomes = scoreBackgroundWhatIf(*engine_, *prepared, request.scoring);
        out->backgroundMaps = prepared->backgroundProbabilityMaps();
        Q_EMIT whatIfReady(out);
    } catch (const std::exception& e) {
        Q_EMIT whatIfFailed(request.id, request.imagePath, errorText(e));
    }
    Q_EMIT requestDone(request.id);
}

void InferenceWorker::suggest(const SuggestRequest& request) {
    auto out = std::make_shared<SuggestResult>();
    out->id = request.id;
    out->imagePath = request.imagePath;
    out->what = request.what;
    if (!engine_ || !embedder_) {
        out->error = tr("No model is loaded.");
    } else {
        try {
            QElapsedTimer t;
            t.start();
            auto prepared = preparedFor(request.imagePath);
            SuggestOptions o;
            o.exclude = request.exclude;
            out->names = engine_->suggestNames(*prepared, request.box, request.scoring,
                                               embedder_->model(), embedder_->normalisation(), o);
            out->ms = double(t.nsecsElapsed()) / 1e6;
        } catch (const std::exception& e) {
            out->error = errorText(e);
        }
    }
    Q_EMIT suggestReady(out);
    Q_EMIT requestDone(request.id);
}

}  // namespace zsi
