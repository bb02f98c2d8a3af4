#include "background_dock.h"
#include "error_text.h"

#include "analysis/training_log.h"
#include "background_cosine_chart.h"
#include "class_map_plot.h"
#include "heatmap_overlay.h"
#include "image_canvas.h"
#include "instance_overlay.h"
#include "review_request.h"
#include "training_curves_plot.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGraphicsScene>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace zsi {
namespace {

QString settingName(BackgroundChoice s) {
    switch (s) {
        case BackgroundChoice::Learned:
            return BackgroundDock::tr("Learned V_b (Sync-bg on)");
        case BackgroundChoice::Initial:
            return BackgroundDock::tr("Initial vector (Sync-bg off)");
        case BackgroundChoice::Zero:
            return BackgroundDock::tr("Zero");
        case BackgroundChoice::MeanOfUnseen:
            return BackgroundDock::tr("Mean of the unseen classes");
        default:
            return BackgroundDock::tr("Model default");
    }
}

}  // namespace

BackgroundDock::BackgroundDock(InferenceController* inference, ReviewSession* session,
                               ImageCanvas* canvas, InstanceOverlay* mainOverlay, QWidget* parent)
    : QDockWidget(tr("Background"), parent),
      inference_(inference),
      session_(session),
      canvas_(canvas),
      mainOverlay_(mainOverlay) {
    setObjectName(QStringLiteral("backgroundDock"));
    tabs_ = new QTabWidget(this);
    cosines_ = new BackgroundCosineChart(tabs_);
    classMap_ = new ClassMapPlot(tabs_);
    training_ = new TrainingCurvesPlot(tabs_);
    tabs_->addTab(cosines_, tr("Where V_b sits"));
    tabs_->addTab(classMap_, tr("Class map"));
    tabs_->addTab(training_, tr("Training"));
    tabs_->addTab(createImageTab(), tr("This image"));
    setWidget(tabs_);

    // Above the image, under the instance masks (z 1); the what-if masks replace the model's.
    heatmap_ = new HeatmapOverlay;
    heatmap_->setZValue(0.5);
    heatmap_->setVisible(false);
    heatmap_->setOpacityLevel(heatOpacity_->value() / 100.0);
    canvas_->scene()->addItem(heatmap_);
    whatIfOverlay_ = new InstanceOverlay;
    whatIfOverlay_->setZValue(1.5);
    whatIfOverlay_->setVisible(false);
    canvas_->scene()->addItem(whatIfOverlay_);

    connect(inference_, &InferenceController::modelOpened, this, &BackgroundDock::onModelOpened);
    // The session's classes follow a new model too (their vectors are embedded again).
    connect(session_, &ReviewSession::classesChanged, this, &BackgroundDock::refreshVocabulary);
    connect(session_, &ReviewSession::settingsChanged, this, [this] { whatIfStale_ = true; });
    connect(inference_, &InferenceController::resultReady, this, &BackgroundDock::onResult);
    connect(inference_, &InferenceController::whatIfReady, this, &BackgroundDock::onWhatIf);
    connect(inference_, &InferenceController::whatIfFailed, this,
            [this](const QString&, const QString& message) {
                whatIfStatus_->setText(tr("What if failed: %1").arg(message));
            });
    // The what-if re-scoring runs only while someone looks at the dock.
    connect(this, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible && whatIfStale_) requestWhatIf();
    });
}

BackgroundDock::~BackgroundDock() = default;

QWidget* BackgroundDock::createImageTab() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* form = new QFormLayout;
    showHeatmap_ = new QCheckBox(tr("Show p(background) of the BA-RPN"), page);
    level_ = new QComboBox(page);
    heatOpacity_ = new QSlider(Qt::Horizontal, page);
    heatOpacity_->setRange(0, 100);
    heatOpacity_->setValue(55);
    form->addRow(showHeatmap_);
    form->addRow(tr("FPN level"), level_);
    form->addRow(tr("Heatmap opacity"), heatOpacity_);
    layout->addLayout(form);
    auto* legend = new QLabel(
        tr("Blue: the BA-RPN sees an object; red: it sees background (max over anchors)."), page);
    legend->setWordWrap(true);
    layout->addWidget(legend);

    layout->addWidget(new QLabel(tr("What if the background column were...")));
    table_ = new QTableWidget(0, 3, page);
    table_->setHorizontalHeaderLabels({tr("Setting"), tr("Instances"), tr("Mean score")});
    table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table_->verticalHeader()->setVisible(false);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(table_, 1);
    modelResult_ = new QPushButton(tr("Show the model's result"), page);
    layout->addWidget(modelResult_);
    whatIfStatus_ = new QLabel(page);
    whatIfStatus_->setWordWrap(true);
    layout->addWidget(whatIfStatus_);

    connect(showHeatmap_, &QCheckBox::toggled, this, &BackgroundDock::setHeatmapVisible);
    connect(level_, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (i >= 0) heatmap_->setLevel(i);
    });
    connect(heatOpacity_, &QSlider::valueChanged, this,
            [this](int v) { heatmap_->setOpacityLevel(v / 100.0); });
    connect(table_, &QTableWidget::itemSelectionChanged, this, [this] {
        const auto rows = table_->selectionModel()->selectedRows();
        showWhatIf(rows.isEmpty() ? -1 : rows.front().row());
    });
    connect(modelResult_, &QPushButton::clicked, this, [this] { table_->clearSelection(); });
    return page;
}

void BackgroundDock::setHeatmapVisible(bool visible) {
    if (showHeatmap_->isChecked() != visible) showHeatmap_->setChecked(visible);
    heatmap_->setVisible(visible);
}

void BackgroundDock::onModelOpened(const ModelInfo& info) {
    model_ = info;
    hasModel_ = true;
    whatIf_.reset();
    table_->setRowCount(0);
    loadTrainingLog();
    // No refresh here: the session's classesChanged follows once it has the new model's
    // vectors (refreshing now would mix the old model's unseen vectors with the new model).
}

void BackgroundDock::loadTrainingLog() {
    log_.reset();
    logMessage_.clear();
    const auto path = analysis::findTrainingLog(model_.bundlePath.toStdString());
    if (!path) {
        logMessage_ = tr("This model bundle has no training log (train_log.jsonl).");
        return;
    }
    try {
        log_ = analysis::readTrainingLog(*path);
        if (log_->background.empty())
            logMessage_ = tr("The training log has no background vectors yet.");
    } catch (const std::exception& e) {
        logMessage_ = tr("Cannot read the training log: %1").arg(errorText(e));
    }
}

void BackgroundDock::refreshVocabulary() {
    // The session's classes belong to the dock's model only once the session has it.
    if (!hasModel_ || session_->model().dim != model_.semanticDim) return;
    analysis::BackgroundInput in;
    in.dim = model_.semanticDim;
    for (const QString& s : std::as_const(model_.seenClasses))
        in.seenNames.push_back(s.toStdString());
    in.seenVectors = model_.seenVectors;
    for (const auto& c : session_->vocabulary().unseen()) {
        in.unseenNames.push_back(c.name);
        in.unseenVectors.insert(in.unseenVectors.end(), c.vector.begin(), c.vector.end());
    }
    in.learned = model_.learnedBackground;
    in.initial = model_.initialBackground;
    try {
        analysis_ = analysis::analyseBackground(in);
        cosines_->setAnalysis(analysis_);
        classMap_->setAnalysis(analysis_);
    } catch (const std::exception& e) {
        cosines_->clear();
        classMap_->clear();
        whatIfStatus_->setText(errorText(e));
        return;
    }
    if (!log_ || log_->background.empty()) {
        training_->clear(logMessage_);
    } else {
        std::vector<std::string> names = in.seenNames;
        names.insert(names.end(), in.unseenNames.begin(), in.unseenNames.end());
        std::vector<float> vectors = in.seenVectors;
        vectors.insert(vectors.end(), in.unseenVectors.begin(), in.unseenVectors.end());
        try {
            training_->setSeries(
                analysis::backgroundSeries(*log_, in.dim, names, vectors, in.initial));
        } catch (const std::exception& e) {
            training_->clear(tr("Cannot read the training log: %1").arg(errorText(e)));
        }
    }
    whatIfStale_ = true;
}

void BackgroundDock::onResult(std::shared_ptr<const WorkerResult> result) {
    const bool newImage = result->imagePath != imagePath_;
    imagePath_ = result->imagePath;
    imageSize_ = QSize(result->result.imageWidth, result->result.imageHeight);
    heatmap_->setMaps(result->backgroundMaps, imageSize_.width(), imageSize_.height());
    if (level_->count() != heatmap_->levelCount()) {
        const QSignalBlocker block(level_);
        level_->clear();
        for (int l = 0; l < heatmap_->levelCount(); ++l) level_->addItem(tr("P%1").arg(l + 2));
        level_->setCurrentIndex(heatmap_->level());
    }
    if (newImage) showWhatIf(-1);
    whatIfStale_ = true;
    if (isVisible()) requestWhatIf();
}

void BackgroundDock::requestWhatIf() {
    if (!hasModel_ || imagePath_.isEmpty()) return;
    ScoringRequest r = scoringRequest(*session_);
    if (r.mode != InferenceMode::Seen && r.unseenNames.empty()) {
        whatIfStatus_->setText(
            tr("Type an unseen class (or choose seen classes only) to compare the settings."));
        return;
    }
    whatIfStale_ = false;
    whatIfStatus_->setText(tr("Re-scoring..."));
    inference_->submitWhatIf(imagePath_, r);
}

void BackgroundDock::onWhatIf(std::shared_ptr<const WhatIfResult> result) {
    if (result->imagePath != imagePath_) return;
    const int selected =
        table_->selectionModel() && !table_->selectionModel()->selectedRows().isEmpty()
            ? table_->selectionModel()->selectedRows().front().row()
            : -1;
    whatIf_ = std::move(result);
    fillTable();
    whatIfStatus_->setText(
        tr("Re-scored from the cached features of %1.").arg(QFileInfo(imagePath_).fileName()));
    if (selected >= 0) {
        table_->selectRow(selected);
        showWhatIf(selected);  // the selection may not have changed: refresh the masks anyway
    }
}

void BackgroundDock::fillTable() {
    const QSignalBlocker block(table_);
    table_->setRowCount(0);
    if (!whatIf_) return;
    table_->setRowCount(int(whatIf_->outcomes.size()));
    for (int row = 0; row < int(whatIf_->outcomes.size()); ++row) {
        const WhatIfOutcome& o = whatIf_->outcomes[size_t(row)];
        auto* name = new QTableWidgetItem(settingName(o.setting));
        table_->setItem(row, 0, name);
        if (!o.available) {
            name->setToolTip(QString::fromStdString(o.error));
            table_->setItem(row, 1, new QTableWidgetItem(tr("n/a")));
            table_->setItem(row, 2, new QTableWidgetItem(tr("n/a")));
            continue;
        }
        auto* count = new QTableWidgetItem(QString::number(o.instances));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        auto* mean = new QTableWidgetItem(QString::number(o.meanScore, 'f', 3));
        mean->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table_->setItem(row, 1, count);
        table_->setItem(row, 2, mean);
    }
}

void BackgroundDock::showWhatIf(int row) {
    const bool valid = whatIf_ && row >= 0 && row < int(whatIf_->outcomes.size()) &&
                       whatIf_->outcomes[size_t(row)].available && whatIf_->imagePath == imagePath_;
    if (valid) {
        whatIfOverlay_->setInstances(whatIf_->outcomes[size_t(row)].result.instances);
        whatIfOverlay_->setOpacityLevel(mainOverlay_->opacityLevel());
    } else {
        whatIfOverlay_->setInstances({});
    }
    whatIfOverlay_->setVisible(valid);
    mainOverlay_->setVisible(!valid);
}

}  // namespace zsi
