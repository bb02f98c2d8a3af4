#include "inference_worker.h"
#include "error_text.h"

#include "data/image_io.h"
#include "engine/class_setup.h"
#include "runtime/runtime.h"
#include "util/error.h"

#include <QElapsedTimer>
#include <QFileInfo>

namespace zsi {
namespace {
int codeOf(const std::exception& e) {
    if (auto* ze = dynamic_cast<const Error*>(&e)) return static_cast<int>(ze->code());
    return static_cast<int>(ErrorCode::Unknown);
}
}  // namespace

InferenceWorker::InferenceWorker(std::shared_ptr<std::atomic<quint64>> latest, QObject* parent)
    : QObject(parent), latest_(std::move(latest)) {}

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
        cache_.clear();
        Q_EMIT modelOpened(info);
    } catch (const std::exception& e) {
        Q_EMIT modelFailed(errorText(e), codeOf(e));
    }
    Q_EMIT busyChanged(false, QString());
    Q_EMIT requestDone(0);
}

std::shared_ptr<PreparedImage> InferenceWorker::preparedFor(const QString& path, bool& cached) {
    for (auto it = cache_.begin(); it != cache_.end(); ++it) {
        if (it->first == path) {
            cache_.splice(cache_.begin(), cache_, it);
            cached = true;
            return cache_.front().second;
        }
    }
    cached = false;
    const LoadedImage image = loadImage(path.toStdString());
    auto prepared = engine_->prepare(image);
    cache_.emplace_front(path, prepared);
    while (static_cast<int>(cache_.size()) > cacheSize_) cache_.pop_back();
    return prepared;
}

void InferenceWorker::process(const WorkerRequest& request) {
    // Latest request wins: a request overtaken while it waited in the queue never starts.
    if (request.id < latest_->load()) {
        Q_EMIT requestDone(request.id);
        return;
    }
    if (!engine_) {
        Q_EMIT requestFailed(request.id, request.imagePath, tr("No model is loaded."),
                             static_cast<int>(ErrorCode::FileNotFound));
        Q_EMIT requestDone(request.id);
        return;
    }
    Q_EMIT busyChanged(true, tr("Segmenting %1").arg(QFileInfo(request.imagePath).fileName()));
    try {
        auto out = std::make_shared<WorkerResult>();
        out->id = request.id;
        out->imagePath = request.imagePath;
        auto prepared = preparedFor(request.imagePath, out->featuresCached);
        // Checked again after the expensive part: a class typed while the image was being
        // prepared wins, and this request's scoring (with the old vocabulary) is skipped. The
        // prepared image stays cached for the newer request.
        if (request.id < latest_->load()) {
            Q_EMIT busyChanged(false, QString());
            Q_EMIT requestDone(request.id);
            return;
        }
        out->result = engine_->score(*prepared, request.scoring);
        out->result.prepareMs = out->featuresCached ? 0.0 : prepared->prepareMs();
        out->backgroundMaps = prepared->backgroundProbabilityMaps();
        Q_EMIT resultReady(out);
    } catch (const std::exception& e) {
        Q_EMIT requestFailed(request.id, request.imagePath, errorText(e), codeOf(e));
    }
    Q_EMIT busyChanged(false, QString());
    Q_EMIT requestDone(request.id);
}

void InferenceWorker::runBatch(quint64 id, const QStringList& paths,
                               const ScoringRequest& scoring) {
    batchCancel_ = false;
    if (!engine_) {
        Q_EMIT batchFinished(id, true);
        Q_EMIT requestDone(id);
        return;
    }
    Q_EMIT busyChanged(true, tr("Segmenting all images"));
    batchStep(std::make_shared<Batch>(Batch{id, paths, scoring, 0}));
}

void InferenceWorker::batchStep(const std::shared_ptr<Batch>& b) {
    const int total = int(b->paths.size());
    if (batchCancel_ || !engine_ || b->next >= total) {
        Q_EMIT busyChanged(false, QString());
        Q_EMIT batchFinished(b->id, b->next < total);
        Q_EMIT requestDone(b->id);
        return;
    }
    const QString path = b->paths[b->next++];
    try {
        auto out = std::make_shared<WorkerResult>();
        out->id = b->id;
        out->imagePath = path;
        out->result = engine_->run(loadImage(path.toStdString()), b->scoring);
        Q_EMIT batchResult(out);
    } catch (const std::exception& e) {
        Q_EMIT batchFailed(b->id, path, errorText(e));
    }
    Q_EMIT batchProgress(b->id, b->next, total);
    // The next image goes to the back of the queue, behind whatever arrived meanwhile.
    QMetaObject::invokeMethod(
        this, [this, b] { batchStep(b); }, Qt::QueuedConnection);
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
        bool cached = false;
        auto prepared = preparedFor(request.imagePath, cached);
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
            bool cached = false;
            auto prepared = preparedFor(request.imagePath, cached);
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
