#pragma once
#include "inference_controller.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QListWidget;
class QSlider;

namespace zsi {

class ClassesPanel;
class ImageCanvas;
class InstanceOverlay;
class SimilarityChart;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    ImageCanvas* canvas() const { return canvas_; }
    ClassesPanel* classesPanel() const { return classes_; }
    InstanceOverlay* overlay() const { return overlay_; }
    SimilarityChart* similarityChart() const { return similarity_; }
    InferenceController* inference() const { return inference_; }
    const WorkerResult* lastResult() const { return result_.get(); }

    // Opens one image and segments it; returns false (reason in the status bar) on failure.
    bool openImage(const QString& path);
    // Lists the images of a folder (sorted) and opens the first.
    int openFolder(const QString& folder);
    // Loads a model bundle on the worker (asynchronous; modelOpened / modelFailed follow).
    void openModel(const QString& bundleDir, const QString& embeddings = QString());
    // Unseen classes to add once the model is loaded (command line --unseen).
    void setPendingClasses(const QStringList& names) { pendingClasses_ = names; }
    void selectInstance(int index);
    // The data directory (demo assets) in use.
    void setDataDir(const QString& dir) { dataDir_ = dir; }

protected:
    void closeEvent(QCloseEvent* event) override;

private Q_SLOTS:
    void chooseImage();
    void chooseFolder();
    void chooseModel();
    void showAbout();
    void rescore();
    void onModelOpened(const zsi::ModelInfo& info);
    void onResult(std::shared_ptr<const zsi::WorkerResult> result);
    void onSelection(int index);

private:
    void createActions();
    void createDocks();
    void restoreSettings();
    ScoringRequest currentRequest() const;

    ImageCanvas* canvas_ = nullptr;
    InstanceOverlay* overlay_ = nullptr;
    ClassesPanel* classes_ = nullptr;
    SimilarityChart* similarity_ = nullptr;
    QListWidget* images_ = nullptr;
    QSlider* opacity_ = nullptr;
    QLabel* runtimeLabel_ = nullptr;
    QLabel* inferenceLabel_ = nullptr;
    InferenceController* inference_ = nullptr;
    std::shared_ptr<const WorkerResult> result_;
    QString currentImage_;
    QString dataDir_;
    QStringList pendingClasses_;
};

}  // namespace zsi
