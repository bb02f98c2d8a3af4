#pragma once
#include "data/dataset_export.h"
#include "inference_controller.h"
#include "review_session.h"

#include <QMainWindow>

#include <map>
#include <memory>
#include <vector>

class QLabel;
class QListWidget;
class QMenu;
class QTimer;
class QProgressDialog;
class QSlider;

namespace zsi {
class NoticeBanner;
class SuggestNamesPanel;

class BackgroundDock;
class ExportTask;
class ClassesPanel;
class ImageCanvas;
class ImageList;
class InstancesPanel;
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
    // The provisional (reduced-resolution) result's layer: visible only until the full result.
    InstanceOverlay* provisionalOverlay() const { return provisional_; }
    SimilarityChart* similarityChart() const { return similarity_; }
    SuggestNamesPanel* suggestNamesPanel() const { return suggest_; }
    // The notice above the canvas (what a demo model knows); empty when hidden.
    QString bannerText() const;
    InferenceController* inference() const { return inference_; }
    const WorkerResult* lastResult() const { return result_.get(); }
    BackgroundDock* backgroundDock() const { return backgroundDock_; }

    // Opens one image and segments it; returns false (reason in the status bar) on failure.
    bool openImage(const QString& path);
    // Lists the images of a folder (sorted) and opens the first.
    int openFolder(const QString& folder);
    // Loads a model bundle on the worker (asynchronous; modelOpened / modelFailed follow).
    void openModel(const QString& bundleDir, const QString& embeddings = QString());
    // File > Import Reference Checkpoint: the dialog; the bundle opens when the import is done.
    void importReferenceCheckpoint();
    // Unseen classes to add once the model is loaded (command line --unseen).
    void setPendingClasses(const QStringList& names) { pendingClasses_ = names; }
    void selectInstance(int index);
    // The data directory (demo assets) in use.
    void setDataDir(const QString& dir) { dataDir_ = dir; }

    ImageList* imageList() const { return images_; }
    // "Run all": segments every image of the folder on the worker (core's journaled batch
    // pipeline), with a progress dialog; an interrupted run resumes. stopAfter > 0 stops it
    // as if cancelled after that many new images (tests).
    void runAll(int stopAfter = 0);
    // Images segmented by the last "Run all" (their results went into the document; none is
    // kept in memory), and how many of them an interrupted run had finished (from its journal).
    int batchSegmented() const { return batchSegmented_; }
    int batchResumed() const { return batchResumed_; }

    // The review session: document, undo stack, classes, settings, image under review. The
    // panels and this window are its views.
    ReviewSession* session() const { return session_; }
    InstancesPanel* instancesPanel() const { return instancesPanel_; }
    bool saveDocument(const QString& path);
    // File > Export after its dialog: the document's snapshot written on a thread (progress
    // dialog, cancel); false when an export is running.
    bool startExport(const QString& target, const DatasetExportOptions& options);
    ExportTask* exportTask() const { return exportTask_; }
    bool openDocument(const QString& path);
    // Offers to restore an untitled session's autosave left by a crash (called at start-up).
    void offerRecovery();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private Q_SLOTS:
    void chooseImage();
    void chooseFolder();
    void chooseModel();
    void showAbout();
    void showPreferences();
    void save();
    void saveAs();
    void chooseDocument();
    void exportDocument();
    void autosave();
    void showShortcuts();
    void rescore();
    void onModelOpened(const zsi::ModelInfo& info);
    void onResult(std::shared_ptr<const zsi::WorkerResult> result);
    void onProvisional(std::shared_ptr<const zsi::WorkerResult> result);
    void clearProvisional();
    void onSelection(int index);

private:
    void createActions();
    void createDocks();
    void restoreSettings();
    void rebuildRecentMenu();
    void createDocumentActions(QMenu* file, QMenu* edit);
    void createReviewActions(QMenu* edit);
    void refreshImage();
    void showImageStatus(qint64 imageId);
    bool maybeSave();
    void updateTitle();
    int64_t selectedAnnotation() const;

    void requestSuggestions();
    void showGettingStarted();
    void updateDemoBanner(const ModelInfo& info);

    ImageCanvas* canvas_ = nullptr;
    NoticeBanner* banner_ = nullptr;
    SuggestNamesPanel* suggest_ = nullptr;
    QAction* onlySelectedClass_ = nullptr;
    QAction* importAction_ = nullptr;
    QAction* openModelAction_ = nullptr;
    InstanceOverlay* overlay_ = nullptr;
    InstanceOverlay* provisional_ = nullptr;
    ClassesPanel* classes_ = nullptr;
    SimilarityChart* similarity_ = nullptr;
    ImageList* images_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QProgressDialog* batchDialog_ = nullptr;
    int batchSegmented_ = 0;
    int batchResumed_ = 0;
    QSlider* opacity_ = nullptr;
    QLabel* runtimeLabel_ = nullptr;
    QLabel* inferenceLabel_ = nullptr;
    InferenceController* inference_ = nullptr;
    std::shared_ptr<const WorkerResult> result_;
    QString dataDir_;
    QStringList pendingClasses_;
    BackgroundDock* backgroundDock_ = nullptr;

    ReviewSession* session_ = nullptr;
    InstancesPanel* instancesPanel_ = nullptr;
    QTimer* autosaveTimer_ = nullptr;
    ExportTask* exportTask_ = nullptr;
    std::map<int64_t, int> resultIndex_;  // annotation id -> index in result_'s instances
};

}  // namespace zsi
