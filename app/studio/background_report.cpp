#include "background_report.h"

#include "analysis/background_analysis.h"
#include "analysis/heatmap.h"
#include "analysis/training_log.h"
#include "background_cosine_chart.h"
#include "class_map_plot.h"
#include "data/image_io.h"
#include "engine/background_whatif.h"
#include "engine/class_setup.h"
#include "instance_overlay.h"
#include "training_curves_plot.h"
#include "util/atomic_file.h"
#include "util/error.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QGraphicsPixmapItem>
#include <QGraphicsScene>
#include <QPainter>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace zsi {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& message, const std::string& path) {
    throw Error(ErrorCode::FileWriteFailed, message, {{"path", path}, {"reason", message}});
}

// Lays a widget out at a fixed size offscreen and saves what it paints.
void saveWidget(QWidget& w, const QSize& size, const QString& file) {
    w.setAttribute(Qt::WA_DontShowOnScreen);
    w.resize(size);
    w.show();
    QApplication::processEvents();
    if (!w.grab().save(file)) fail("cannot write " + file.toStdString(), file.toStdString());
}

QImage toQImage(const cv::Mat& rgb) {
    return QImage(rgb.data, rgb.cols, rgb.rows, int(rgb.step), QImage::Format_RGB888).copy();
}

// The image with one setting's instances, as the canvas would show them, captioned.
// Small images are drawn at least 480 px wide so the caption and tags stay readable.
QImage renderInstances(const QImage& image, const WhatIfOutcome& o, const QString& title) {
    QGraphicsScene scene;
    scene.addPixmap(QPixmap::fromImage(image))->setTransformationMode(Qt::SmoothTransformation);
    auto* overlay = new InstanceOverlay;
    overlay->setZValue(1);
    if (o.available) overlay->setInstances(o.result.instances);
    overlay->setShowLabels(o.instances <= 15);  // a hundred tags would hide the image
    scene.addItem(overlay);
    scene.setSceneRect(0, 0, image.width(), image.height());
    const double scale = std::max(1.0, 480.0 / std::max(1, image.width()));
    const int w = int(std::lround(image.width() * scale)),
              h = int(std::lround(image.height() * scale));
    const int captionH = 30;
    QImage out(w, h + captionH, QImage::Format_RGB32);
    out.fill(Qt::white);
    QPainter p(&out);
    p.setRenderHint(QPainter::Antialiasing);
    scene.render(&p, QRectF(0, captionH, w, h), scene.sceneRect());
    p.setPen(Qt::black);
    p.drawText(QRect(4, 0, w - 8, captionH), Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap,
               title);
    return out;
}

QString settingTitle(const WhatIfOutcome& o) {
    QString name;
    switch (o.setting) {
        case BackgroundChoice::Learned:
            name = QApplication::translate("BackgroundReport", "learned V_b (Sync-bg on)");
            break;
        case BackgroundChoice::Initial:
            name = QApplication::translate("BackgroundReport", "initial (Sync-bg off)");
            break;
        case BackgroundChoice::Zero:
            name = QApplication::translate("BackgroundReport", "zero");
            break;
        default:
            name = QApplication::translate("BackgroundReport", "mean of the unseen classes");
            break;
    }
    if (!o.available) return QApplication::translate("BackgroundReport", "%1: n/a").arg(name);
    return QApplication::translate("BackgroundReport", "%1: %2 instances, mean score %3")
        .arg(name)
        .arg(o.instances)
        .arg(o.meanScore, 0, 'f', 3);
}

QString findDemoImage(const QString& dataDir) {
    if (dataDir.isEmpty()) return {};
    QDir dir(dataDir + QStringLiteral("/demo/images"));
    for (const QString& f : dir.entryList(QDir::Files, QDir::Name))
        if (isImageFileName(fs::path(dir.filePath(f).toStdString()))) return dir.filePath(f);
    return {};
}

int run(const BackgroundReportOptions& opt) {
    if (opt.out.isEmpty())
        throw Error(ErrorCode::InvalidArgument, "--report background needs --out DIR",
                    {{"name", "out"}, {"reason", "missing"}});
    if (!QDir().mkpath(opt.out))
        fail("cannot create the folder " + opt.out.toStdString(), opt.out.toStdString());
    const QDir out(opt.out);
    QStringList written;
    nlohmann::json report;

    auto engine = Engine::open(opt.model.toStdString(), EngineOptions{"cpu"});
    const ModelSummary& summary = engine->summary();
    const int D = summary.semanticDim;
    report["model"] = {{"name", summary.name},
                       {"bundle", opt.model.toStdString()},
                       {"dim", D},
                       {"seen_classes", summary.seenClasses}};

    ScoringRequest request = engine->defaultRequest();
    request.boxRule = BoxRegressionRule::PWeighted;  // as the studio scores
    if (!opt.unseen.isEmpty()) {
        const EmbeddingChoice emb =
            openEmbeddingForModel(summary, std::nullopt, opt.dataDir.toStdString());
        std::vector<std::string> names;
        for (const QString& n : opt.unseen) names.push_back(n.toStdString());
        addUnseenClasses(request, *emb.embedder, names, summary.seenClasses);
        report["embeddings"] = emb.path.string();
    }
    report["unseen_classes"] = request.unseenNames;

    // Where V_b sits, and the class map.
    analysis::BackgroundInput in;
    in.dim = D;
    in.seenNames = summary.seenClasses;
    in.seenVectors = engine->seenVectors();
    in.unseenNames = request.unseenNames;
    in.unseenVectors = request.unseenVectors;
    in.learned = engine->learnedBackground();
    in.initial = engine->initialBackground();
    const analysis::BackgroundAnalysis a = analysis::analyseBackground(in);
    report["background"] = a;
    report["learned_background"] = in.learned;
    report["initial_background"] = in.initial;
    const int rows = int(a.classes.size());
    {
        BackgroundCosineChart chart;
        chart.setMaxBars(std::max(1, rows));
        chart.setAnalysis(a);
        saveWidget(chart, QSize(900, std::max(360, 90 + 26 * rows)),
                   out.filePath(QStringLiteral("cosines.png")));
        written << QStringLiteral("cosines.png");
    }
    {
        ClassMapPlot map;
        map.setAnalysis(a);
        saveWidget(map, QSize(900, 700), out.filePath(QStringLiteral("class_map.png")));
        written << QStringLiteral("class_map.png");
    }

    // How it was learned.
    {
        TrainingCurvesPlot plot;
        nlohmann::json training = {{"log", nullptr}};
        if (const auto path = analysis::findTrainingLog(opt.model.toStdString())) {
            const analysis::TrainingLog log = analysis::readTrainingLog(*path);
            std::vector<std::string> names = in.seenNames;
            names.insert(names.end(), in.unseenNames.begin(), in.unseenNames.end());
            std::vector<float> vectors = in.seenVectors;
            vectors.insert(vectors.end(), in.unseenVectors.begin(), in.unseenVectors.end());
            const auto series = analysis::backgroundSeries(log, D, names, vectors, in.initial);
            plot.setSeries(series);
            training = {{"log", path->string()},
                        {"last_iteration", log.lastIteration},
                        {"lines", log.lines},
                        {"skipped_lines", log.skipped},
                        {"series", series}};
        } else {
            plot.clear(QApplication::translate("BackgroundReport", "No training log in %1.")
                           .arg(opt.model));
        }
        report["training"] = training;
        saveWidget(plot, QSize(900, 480), out.filePath(QStringLiteral("training.png")));
        written << QStringLiteral("training.png");
    }

    // What it does to an image.
    const QString imagePath = !opt.image.isEmpty() ? opt.image : findDemoImage(opt.dataDir);
    report["image"] = nullptr;
    if (!imagePath.isEmpty()) {
        const LoadedImage img = loadImage(imagePath.toStdString());
        auto prepared = engine->prepare(img);
        const std::vector<cv::Mat> maps = prepared->backgroundProbabilityMaps();
        report["image"] = {
            {"path", imagePath.toStdString()}, {"width", img.rgb.cols}, {"height", img.rgb.rows}};
        nlohmann::json levels = nlohmann::json::array();
        analysis::HeatmapStyle style;
        style.opacity = 0.55;
        for (size_t l = 0; l < maps.size(); ++l) {
            const QString name = QStringLiteral("heatmap_P%1.png").arg(l + 2);
            const cv::Mat blended =
                analysis::blendRgba(img.rgb, analysis::heatmapRgba(maps[l], img.rgb.size(), style));
            if (!toQImage(blended).save(out.filePath(name)))
                fail("cannot write " + out.filePath(name).toStdString(),
                     out.filePath(name).toStdString());
            written << name;
            const analysis::MapStats s = analysis::mapStats(maps[l]);
            levels.push_back({{"level", "P" + std::to_string(l + 2)},
                              {"file", name.toStdString()},
                              {"width", s.width},
                              {"height", s.height},
                              {"min", s.min},
                              {"max", s.max},
                              {"mean", s.mean}});
        }
        report["heatmaps"] = levels;

        // Without typed classes only the seen classes can be compared.
        if (request.unseenNames.empty()) request.mode = InferenceMode::Seen;
        const auto outcomes = scoreBackgroundWhatIf(*engine, *prepared, request);
        nlohmann::json table = nlohmann::json::array();
        const QImage image = toQImage(img.rgb);
        std::vector<QImage> panels;
        for (const WhatIfOutcome& o : outcomes) {
            nlohmann::json row = {{"setting", o.key},
                                  {"available", o.available},
                                  {"instances", o.instances},
                                  {"mean_score", o.meanScore}};
            if (!o.available) row["error"] = o.error;
            nlohmann::json inst = nlohmann::json::array();
            for (const Instance& i : o.result.instances)
                inst.push_back({{"class", i.className},
                                {"score", i.score},
                                {"box", {i.x1, i.y1, i.x2, i.y2}}});
            row["detections"] = inst;
            table.push_back(row);
            panels.push_back(renderInstances(image, o, settingTitle(o)));
        }
        report["whatif"] = {{"mode", toString(request.mode)}, {"settings", table}};
        // 2 x 2 grid of the four settings.
        const int pw = panels.front().width(), ph = panels.front().height();
        QImage grid(2 * pw + 8, 2 * ph + 8, QImage::Format_RGB32);
        grid.fill(Qt::white);
        QPainter gp(&grid);
        for (size_t k = 0; k < panels.size(); ++k)
            gp.drawImage(QPoint(int(k % 2) * (pw + 8), int(k / 2) * (ph + 8)), panels[k]);
        gp.end();
        if (!grid.save(out.filePath(QStringLiteral("whatif.png"))))
            fail("cannot write whatif.png",
                 out.filePath(QStringLiteral("whatif.png")).toStdString());
        written << QStringLiteral("whatif.png");
    }

    written << QStringLiteral("background.json");
    std::vector<std::string> files;
    for (const QString& f : std::as_const(written)) files.push_back(f.toStdString());
    report["files"] = files;
    writeFileAtomic(out.filePath(QStringLiteral("background.json")).toStdString(),
                    report.dump(2) + "\n");
    for (const QString& f : std::as_const(written))
        std::printf("%s\n", qPrintable(QDir::toNativeSeparators(out.filePath(f))));
    std::printf("background report written to %s\n", qPrintable(QDir::toNativeSeparators(opt.out)));
    return 0;
}

}  // namespace

int runBackgroundReport(const BackgroundReportOptions& options) {
    try {
        return run(options);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}

}  // namespace zsi
