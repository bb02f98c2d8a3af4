#pragma once
// The background dock: what the background word vector V_b is, how it was learned
// and what it does to the current image. Tabs: "Where V_b sits" (cosine bars), "Class map"
// (PCA), "Training" (V_b over the iterations, from the bundle's training log) and "This image"
// (the BA-RPN p(background) overlay per FPN level and the "what if" table: the image
// re-scored from its cached features with the background column set to the learned V_b, the
// initial vector, zero or the mean of the typed unseen classes; choosing a row shows that
// setting's instances on the canvas).
#include "analysis/background_analysis.h"
#include "analysis/training_log.h"
#include "inference_controller.h"

#include <QDockWidget>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSlider;
class QTabWidget;
class QTableWidget;

namespace zsi {

class BackgroundCosineChart;
class ClassMapPlot;
class HeatmapOverlay;
class ImageCanvas;
class InstanceOverlay;
class ReviewSession;
class TrainingCurvesPlot;

class BackgroundDock : public QDockWidget {
    Q_OBJECT
public:
    // A view of `session` (its classes and settings). The dock adds its heatmap and what-if
    // overlays to the canvas's scene; `mainOverlay` (the model's result) is hidden while a
    // what-if row is shown.
    BackgroundDock(InferenceController* inference, ReviewSession* session, ImageCanvas* canvas,
                   InstanceOverlay* mainOverlay, QWidget* parent = nullptr);
    ~BackgroundDock() override;

    BackgroundCosineChart* cosineChart() const { return cosines_; }
    ClassMapPlot* classMap() const { return classMap_; }
    TrainingCurvesPlot* trainingPlot() const { return training_; }
    HeatmapOverlay* heatmap() const { return heatmap_; }
    QTableWidget* whatIfTable() const { return table_; }
    QTabWidget* tabs() const { return tabs_; }
    const analysis::BackgroundAnalysis& analysis() const { return analysis_; }
    const WhatIfResult* lastWhatIf() const { return whatIf_.get(); }

public Q_SLOTS:
    // The classes changed: recompute the cosines and the map (typed classes appear at once).
    void refreshVocabulary();
    // Shows what-if row `row` on the canvas (-1: back to the model's result).
    void showWhatIf(int row);
    void setHeatmapVisible(bool visible);

private:
    void onModelOpened(const ModelInfo& info);
    void onResult(std::shared_ptr<const WorkerResult> result);
    void onWhatIf(std::shared_ptr<const WhatIfResult> result);
    void requestWhatIf();
    void fillTable();
    void loadTrainingLog();
    QWidget* createImageTab();

    InferenceController* inference_;
    ReviewSession* session_;
    ImageCanvas* canvas_;
    InstanceOverlay* mainOverlay_;

    QTabWidget* tabs_ = nullptr;
    BackgroundCosineChart* cosines_ = nullptr;
    ClassMapPlot* classMap_ = nullptr;
    TrainingCurvesPlot* training_ = nullptr;
    QCheckBox* showHeatmap_ = nullptr;
    QComboBox* level_ = nullptr;
    QSlider* heatOpacity_ = nullptr;
    QTableWidget* table_ = nullptr;
    QPushButton* modelResult_ = nullptr;
    QLabel* whatIfStatus_ = nullptr;
    HeatmapOverlay* heatmap_ = nullptr;
    InstanceOverlay* whatIfOverlay_ = nullptr;

    ModelInfo model_;
    bool hasModel_ = false;
    analysis::BackgroundAnalysis analysis_;
    std::optional<analysis::TrainingLog>
        log_;             // parsed once per model; nearest classes follow the vocabulary
    QString logMessage_;  // why there are no curves
    QString imagePath_;
    QSize imageSize_;
    bool whatIfStale_ = true;  // the image or vocabulary changed since the last what-if
    std::shared_ptr<const WhatIfResult> whatIf_;
};

}  // namespace zsi
