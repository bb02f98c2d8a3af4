#include "main_window.h"
#include "getting_started_dialog.h"
#include "import_reference_dialog.h"
#include "notice_banner.h"
#include "suggest_names_panel.h"

#include "background_dock.h"
#include "classes_panel.h"
#include "engine/batch_export.h"
#include "error_text.h"
#include "export_task.h"
#include "image_canvas.h"
#include "image_list.h"
#include "instance_overlay.h"
#include "instances_panel.h"
#include "preferences_dialog.h"
#include "review_request.h"
#include "runtime/runtime.h"
#include "shortcuts_dialog.h"
#include "similarity_chart.h"
#include "studio_settings.h"
#include "util/error.h"
#include "util/version.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QGraphicsScene>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressDialog>
#include <QSettings>
#include <QSlider>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

#include <filesystem>

namespace zsi {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("ZSI Studio"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/zsi-studio.png")));
    auto* central = new QWidget(this);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    banner_ = new NoticeBanner(central);
    canvas_ = new ImageCanvas(central);
    centralLayout->addWidget(banner_);
    centralLayout->addWidget(canvas_, 1);
    setCentralWidget(central);
    overlay_ = new InstanceOverlay;
    overlay_->setZValue(1);
    canvas_->scene()->addItem(overlay_);
    // Under the document's overlay and not interactive: it shows, it is never edited.
    provisional_ = new InstanceOverlay;
    provisional_->setZValue(0.9);
    provisional_->setAcceptedMouseButtons(Qt::NoButton);
    provisional_->setAcceptHoverEvents(false);
    provisional_->setVisible(false);
    // Drawn fainter than the full result, so the two are not mistaken for each other.
    provisional_->setOpacity(0.6);
    canvas_->scene()->addItem(provisional_);
    inference_ = new InferenceController(this);
    inference_->setQuickFirstResult(StudioSettings::load().quickFirstResult);
    session_ = new ReviewSession(this);
    exportTask_ = new ExportTask(this);

    const RuntimeInfo info = runtimeInfo();
    runtimeLabel_ = new QLabel(tr("LibTorch %1 | %2 threads | %3")
                                   .arg(QString::fromStdString(info.torchVersion))
                                   .arg(info.intraOpThreads)
                                   .arg(info.cudaAvailable ? tr("CUDA") : tr("CPU")),
                               this);
    inferenceLabel_ = new QLabel(this);
    statusBar()->addPermanentWidget(inferenceLabel_);
    statusBar()->addPermanentWidget(runtimeLabel_);
    statusBar()->showMessage(tr("Ready"));

    setAcceptDrops(true);
    createDocks();
    createActions();
    restoreSettings();

    connect(inference_, &InferenceController::modelOpened, this, &MainWindow::onModelOpened);
    connect(inference_, &InferenceController::modelFailed, this,
            [this](const QString& message, int) {
                statusBar()->showMessage(tr("Cannot load the model: %1").arg(message));
            });
    connect(inference_, &InferenceController::resultReady, this, &MainWindow::onResult);
    connect(inference_, &InferenceController::provisionalReady, this, &MainWindow::onProvisional);
    connect(inference_, &InferenceController::requestFailed, this,
            [this](const QString& path, const QString& message, int) {
                statusBar()->showMessage(
                    tr("Cannot segment %1: %2").arg(QFileInfo(path).fileName(), message));
            });
    connect(inference_, &InferenceController::busyChanged, this,
            [this](bool busy, const QString& what) {
                if (busy) statusBar()->showMessage(what + QStringLiteral("..."));
            });
    connect(inference_, &InferenceController::loadProgress, this,
            [this](const QString& what, int percent) {
                statusBar()->showMessage(tr("%1: %2%").arg(what).arg(percent));
            });
    connect(session_, &ReviewSession::classesChanged, this, &MainWindow::rescore);
    connect(session_, &ReviewSession::settingsChanged, this, &MainWindow::rescore);
    connect(session_, &ReviewSession::rowsChanged, this, &MainWindow::refreshImage);
    connect(classes_, &ClassesPanel::visibilityChanged, this,
            [this] { overlay_->setHiddenClasses(classes_->hiddenSeenClasses()); });
    connect(overlay_, &InstanceOverlay::selectionChanged, this, &MainWindow::onSelection);
    connect(inference_, &InferenceController::suggestReady, this,
            [this](std::shared_ptr<const SuggestResult> r) {
                if (r->imagePath != session_->currentImage()) return;
                if (!r->error.isEmpty()) {
                    suggest_->setError(r->error);
                    return;
                }
                std::vector<std::pair<QString, float>> words;
                for (const auto& n : r->names)
                    words.emplace_back(QString::fromStdString(n.word), n.score);
                suggest_->setSuggestions(words, r->what, r->ms);
            });
}

MainWindow::~MainWindow() {
    // The session's undo stack clears itself when deleted and would signal into a
    // half-destroyed window.
    session_->disconnect(this);
}

void MainWindow::createDocks() {
    auto* imagesDock = new QDockWidget(tr("Images"), this);
    imagesDock->setObjectName(QStringLiteral("imagesDock"));
    images_ = new ImageList(imagesDock);
    imagesDock->setWidget(images_);
    addDockWidget(Qt::LeftDockWidgetArea, imagesDock);
    connect(images_, &ImageList::currentPathChanged, this,
            [this](const QString& path) { openImage(path); });

    auto* classesDock = new QDockWidget(tr("Classes"), this);
    classesDock->setObjectName(QStringLiteral("classesDock"));
    classes_ = new ClassesPanel(session_, classesDock);
    classesDock->setWidget(classes_);
    addDockWidget(Qt::RightDockWidgetArea, classesDock);

    auto* simDock = new QDockWidget(tr("Similarity"), this);
    simDock->setObjectName(QStringLiteral("similarityDock"));
    auto* simPane = new QWidget(simDock);
    auto* simLayout = new QVBoxLayout(simPane);
    simLayout->setContentsMargins(0, 0, 0, 0);
    similarity_ = new SimilarityChart(simPane);
    suggest_ = new SuggestNamesPanel(simPane);
    simLayout->addWidget(similarity_, 1);
    simLayout->addWidget(suggest_);
    simDock->setWidget(simPane);
    connect(suggest_, &SuggestNamesPanel::suggestRequested, this, &MainWindow::requestSuggestions);
    connect(suggest_, &SuggestNamesPanel::addClassRequested, this, [this](const QString& name) {
        if (classes_->addClass(name))
            statusBar()->showMessage(tr("Added the class \"%1\"").arg(name));
        else
            statusBar()->showMessage(classes_->lastMessage());
    });
    addDockWidget(Qt::RightDockWidgetArea, simDock);

    auto* instancesDock = new QDockWidget(tr("Instances"), this);
    instancesDock->setObjectName(QStringLiteral("instancesDock"));
    instancesPanel_ = new InstancesPanel(instancesDock);
    // Before the window's own rowsChanged slot, which restores the selection in both views.
    instancesPanel_->setSession(session_);
    instancesDock->setWidget(instancesPanel_);
    addDockWidget(Qt::LeftDockWidgetArea, instancesDock);

    // Background views: V_b plots, p(bg) heatmap and the what-if table, tabbed
    // behind the similarity chart.
    backgroundDock_ = new BackgroundDock(inference_, session_, canvas_, overlay_, this);
    addDockWidget(Qt::RightDockWidgetArea, backgroundDock_);
    tabifyDockWidget(simDock, backgroundDock_);
    simDock->raise();
}

void MainWindow::createActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Image..."), this, &MainWindow::chooseImage);
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open &Folder..."), this, &MainWindow::chooseFolder)
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    openModelAction_ = file->addAction(tr("Open &Model..."), this, &MainWindow::chooseModel);
    importAction_ = file->addAction(tr("&Import Reference Checkpoint..."), this,
                                    &MainWindow::importReferenceCheckpoint);
    recentMenu_ = file->addMenu(tr("Recent &Folders"));
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(tr("&Preferences..."), this, &MainWindow::showPreferences)
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    createDocumentActions(file, edit);
    createReviewActions(edit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Zoom &In"), canvas_, &ImageCanvas::zoomIn)
        ->setShortcut(QKeySequence::ZoomIn);
    view->addAction(tr("Zoom &Out"), canvas_, &ImageCanvas::zoomOut)
        ->setShortcut(QKeySequence::ZoomOut);
    view->addAction(tr("&Fit to Window"), canvas_, &ImageCanvas::zoomToFit)
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    view->addAction(tr("&Actual Size"), canvas_, &ImageCanvas::zoomActualSize)
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    onlySelectedClass_ = view->addAction(tr("Show Only the Selected &Class"));
    onlySelectedClass_->setCheckable(true);
    onlySelectedClass_->setShortcut(QKeySequence(Qt::Key_O));
    onlySelectedClass_->setToolTip(
        tr("Hide every instance whose class differs from the selected one"));
    connect(onlySelectedClass_, &QAction::toggled, this, [this](bool on) {
        const int cls = on ? overlay_->classOf(overlay_->selected()) : -1;
        if (on && cls < 0) {
            statusBar()->showMessage(tr("Select an instance first."));
            const QSignalBlocker block(onlySelectedClass_);
            onlySelectedClass_->setChecked(false);
        }
        overlay_->setOnlyClass(cls);
    });
    view->addSeparator();
    view->addAction(backgroundDock_->toggleViewAction());
    view->addAction(tr("&Next Image"), this,
                    [this] {
                        if (images_->currentRow() + 1 < images_->count())
                            images_->setCurrentRow(images_->currentRow() + 1);
                    })
        ->setShortcut(QKeySequence(Qt::Key_PageDown));
    view->addAction(tr("&Previous Image"), this,
                    [this] {
                        if (images_->currentRow() > 0)
                            images_->setCurrentRow(images_->currentRow() - 1);
                    })
        ->setShortcut(QKeySequence(Qt::Key_PageUp));

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(tr("Run &All Images"), this, &MainWindow::runAll)
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    run->addAction(tr("Next &Unreviewed Image"), images_, &ImageList::selectNextUnreviewed)
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_U));

    QToolBar* tools = addToolBar(tr("View"));
    tools->setObjectName(QStringLiteral("viewToolBar"));
    tools->addWidget(new QLabel(tr("Mask opacity "), tools));
    opacity_ = new QSlider(Qt::Horizontal, tools);
    opacity_->setRange(0, 100);
    opacity_->setValue(45);
    opacity_->setMaximumWidth(160);
    tools->addWidget(opacity_);
    connect(opacity_, &QSlider::valueChanged, this,
            [this](int v) { overlay_->setOpacityLevel(v / 100.0); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Getting Started"), this, &MainWindow::showGettingStarted);
    help->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts)
        ->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About ZSI Studio"), this, &MainWindow::showAbout);

    banner_->addAction(importAction_);
    banner_->addAction(openModelAction_);
}

void MainWindow::restoreSettings() {
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1500, 920);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

void MainWindow::openModel(const QString& bundleDir, const QString& embeddings) {
    statusBar()->showMessage(tr("Loading model %1...").arg(bundleDir));
    inference_->setDevice(StudioSettings::load().device);
    inference_->openModel(bundleDir, embeddings, dataDir_);
}

void MainWindow::onModelOpened(const ModelInfo& info) {
    session_->setModel({info.name, info.embeddingsPath, info.seenClasses, info.seenVectors,
                        info.semanticDim, info.embedder});
    // The model's defaults with what Preferences sets (thresholds) on top.
    InferenceSettings s = StudioSettings::load().scoring.appliedTo(info.defaults);
    // One label per object helps annotation; a model imported from the reference code keeps
    // the reference's behaviour (several classes per object) unless the user switches it on.
    s.oneLabelPerObject = !info.referenceBehaviour;
    session_->setSettings(s);
    for (const QString& name : std::as_const(pendingClasses_)) classes_->addClass(name);
    pendingClasses_.clear();
    // A model that names default classes gets them when none are typed: masks appear at once.
    if (session_->unseenClasses().isEmpty())
        for (const QString& name : info.defaultUnseen) classes_->addClass(name);
    updateDemoBanner(info);
    QString msg = tr("Model %1: %2 seen classes, D = %3, %4")
                      .arg(info.name)
                      .arg(info.seenClasses.size())
                      .arg(info.semanticDim)
                      .arg(info.device);
    if (!info.embeddingWarning.isEmpty()) msg += QStringLiteral(" | ") + info.embeddingWarning;
    statusBar()->showMessage(msg);
    rescore();
}

void MainWindow::rescore() {
    clearProvisional();  // it answered an older request
    const QString image = session_->currentImage();
    if (image.isEmpty() || !inference_->hasModel()) return;
    const ScoringRequest r = scoringRequest(*session_);
    if (r.mode != InferenceMode::Seen && r.unseenNames.empty()) {
        overlay_->setInstances({});
        similarity_->clear();
        statusBar()->showMessage(
            tr("Type the name of a class to segment it (or choose seen classes only)."));
        return;
    }
    inference_->submit(image, r);
}

void MainWindow::clearProvisional() {
    provisional_->setInstances({});
    provisional_->setVisible(false);
}

// A first look while the full pass runs: drawn on its own layer, never applied to the
// session, so the document, the undo stack and the autosave never see it.
void MainWindow::onProvisional(std::shared_ptr<const WorkerResult> result) {
    if (result->imagePath != session_->currentImage()) return;
    const auto& r = result->result;
    provisional_->setInstances(r.instances);
    provisional_->setHiddenClasses(classes_->hiddenSeenClasses());
    provisional_->setVisible(true);
    inferenceLabel_->setText(
        tr("Provisional: %1 instances at reduced resolution (%2 ms) | full pass running...")
            .arg(r.instances.size())
            .arg(r.prepareMs + r.scoreMs, 0, 'f', 0));
}

void MainWindow::onResult(std::shared_ptr<const WorkerResult> result) {
    if (result->imagePath != session_->currentImage()) return;
    clearProvisional();
    result_ = std::move(result);
    const auto& r = result_->result;
    similarity_->clear();
    // The run becomes the image's pending model annotations; reviewed and hand-drawn ones stay.
    const PredictionMerge m =
        session_->applyPredictions(result_->imagePath, r.imageWidth, r.imageHeight, r.instances);
    resultIndex_.clear();
    for (size_t i = 0; i < m.annotationIds.size(); ++i)
        if (m.annotationIds[i]) resultIndex_[m.annotationIds[i]] = int(i);
    inferenceLabel_->setText(result_->featuresCached
                                 ? tr("%1 instances | re-scored in %2 ms (cached features)")
                                       .arg(r.instances.size())
                                       .arg(r.scoreMs, 0, 'f', 0)
                                 : tr("%1 instances | %2 ms (features %3 ms)")
                                       .arg(r.instances.size())
                                       .arg(r.prepareMs + r.scoreMs, 0, 'f', 0)
                                       .arg(r.prepareMs, 0, 'f', 0));
    statusBar()->showMessage(tr("Segmented %1").arg(QFileInfo(result_->imagePath).fileName()));
}

void MainWindow::selectInstance(int index) {
    overlay_->setSelected(index);
}

void MainWindow::onSelection(int index) {
    instancesPanel_->selectInstance(index);
    // The similarity bars belong to the model run that produced the annotation.
    const auto& rows = session_->rowIds();
    const auto it = index >= 0 && index < int(rows.size()) ? resultIndex_.find(rows[size_t(index)])
                                                           : resultIndex_.end();
    if (!result_ || it == resultIndex_.end() ||
        it->second >= int(result_->result.instances.size())) {
        similarity_->clear();
        suggest_->setInstanceAvailable(index >= 0);
        return;
    }
    suggest_->setInstanceAvailable(true);
    suggest_->clear();
    index = it->second;
    const auto& r = result_->result;
    const Instance& inst = r.instances[size_t(index)];
    std::vector<SimilarityEntry> entries;
    for (size_t k = 0; k < inst.similarity.size() && k < r.similarityNames.size(); ++k)
        entries.push_back({QString::fromStdString(r.similarityNames[k]), inst.similarity[k],
                           r.similarityKinds[k]});
    const QString rule = session_->settings().scoring == ScoringRule::Reference
                             ? tr("reference rule")
                             : tr("direct rule");
    QString title = tr("Instance %1: %2 (%3)")
                        .arg(index)
                        .arg(QString::fromStdString(inst.className))
                        .arg(inst.score, 0, 'f', 2);
    if (!inst.alternatives.empty()) {
        QStringList alts;
        for (const auto& a : inst.alternatives)
            alts << QStringLiteral("%1 %2")
                        .arg(QString::fromStdString(a.className))
                        .arg(a.score, 0, 'f', 2);
        title += QStringLiteral("<br>") +
                 tr("Also detected as: %1").arg(alts.join(QStringLiteral(", ")));
    }
    similarity_->setSimilarities(std::move(entries), rule, title);
    if (onlySelectedClass_->isChecked())
        overlay_->setOnlyClass(overlay_->classOf(overlay_->selected()));
}

bool MainWindow::openImage(const QString& path) {
    QImageReader reader(path);
    reader.setAutoTransform(true);  // the same EXIF orientation the model sees
    const QImage image = reader.read();
    if (image.isNull()) {
        statusBar()->showMessage(tr("Cannot open %1: %2").arg(path, reader.errorString()));
        return false;
    }
    canvas_->setImage(image);
    similarity_->clear();
    result_.reset();
    resultIndex_.clear();
    // What the document already has for this image shows at once; the model run follows.
    session_->setCurrentImage(path);
    statusBar()->showMessage(
        tr("Opened %1 (%2 x %3)").arg(path).arg(image.width()).arg(image.height()));
    rescore();
    return true;
}

int MainWindow::openFolder(const QString& folder) {
    // The same list Run All's batch pipeline segments (hidden folders left out).
    QStringList files;
    try {
        for (const auto& rel : listImageFiles(folder.toStdString()))
            files << QDir(folder).filePath(QString::fromStdString(rel.generic_string()));
    } catch (const Error& e) {
        statusBar()->showMessage(tr("Cannot open %1: %2").arg(folder, errorText(e)));
        return 0;
    }
    session_->setImageRoot(folder);
    images_->setImages(files, folder);
    for (const auto& im : session_->document().images()) showImageStatus(im.id);
    batchSegmented_ = 0;
    StudioSettings settings = StudioSettings::load();
    settings.addRecentFolder(QDir(folder).absolutePath());
    rebuildRecentMenu();
    if (!files.isEmpty()) images_->selectPath(files.front());
    return int(files.size());
}

void MainWindow::rebuildRecentMenu() {
    if (!recentMenu_) return;
    recentMenu_->clear();
    const QStringList recent = StudioSettings::load().recentFolders;
    for (const QString& f : recent) recentMenu_->addAction(f, this, [this, f] { openFolder(f); });
    recentMenu_->setEnabled(!recent.isEmpty());
}

// Run All: the folder through core's journaled batch pipeline on the worker. Each image's
// result goes straight into the document (none is kept here); a class typed meanwhile is
// answered between two images; a run cut off (cancel, crash) resumes where it stopped when
// started again with the same classes and settings, its finished images replayed into the
// document from the journal.
void MainWindow::runAll(int stopAfter) {
    if (!inference_->hasModel() || images_->count() == 0 || batchDialog_ ||
        session_->imageRoot().isEmpty())
        return;
    BatchJob job;
    job.scoring = scoringRequest(*session_);
    if (job.scoring.mode != InferenceMode::Seen && job.scoring.unseenNames.empty()) {
        statusBar()->showMessage(
            tr("Type the name of a class to segment it (or choose seen classes only)."));
        return;
    }
    job.imageRoot = session_->imageRoot();
    job.stopAfter = stopAfter;
    job.workFolder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                     QStringLiteral("/run-all");
    const int total = images_->count();
    batchSegmented_ = 0;
    batchResumed_ = 0;
    batchDialog_ =
        new QProgressDialog(tr("Segmenting %1 images...").arg(total), tr("Cancel"), 0, total, this);
    batchDialog_->setWindowTitle(tr("Run All"));
    batchDialog_->setMinimumDuration(0);
    batchDialog_->setValue(0);
    auto conns = std::make_shared<QList<QMetaObject::Connection>>();
    *conns << connect(batchDialog_, &QProgressDialog::canceled, inference_,
                      &InferenceController::cancelBatch);
    *conns << connect(inference_, &InferenceController::batchResult, this,
                      [this](std::shared_ptr<const WorkerResult> res) {
                          ++batchSegmented_;
                          if (res->resumed) ++batchResumed_;
                          if (res->imagePath == session_->currentImage() && !res->resumed) {
                              onResult(res);
                              return;
                          }
                          const auto& r = res->result;
                          session_->applyPredictions(res->imagePath, r.imageWidth, r.imageHeight,
                                                     r.instances);
                      });
    *conns << connect(inference_, &InferenceController::batchFailed, this,
                      [this](const QString& path, const QString& m) {
                          statusBar()->showMessage(
                              tr("Cannot segment %1: %2").arg(QFileInfo(path).fileName(), m));
                      });
    *conns << connect(
        inference_, &InferenceController::batchProgress, this,
        [this](int done, int all, double eta) {
            if (!batchDialog_) return;
            batchDialog_->setMaximum(all);
            batchDialog_->setValue(done);
            const int left = eta < 0 ? -1 : int(eta + 0.5);
            batchDialog_->setLabelText(left < 0 ? tr("Segmented %1 of %2 images").arg(done).arg(all)
                                                : tr("Segmented %1 of %2 images, about %3:%4 left")
                                                      .arg(done)
                                                      .arg(all)
                                                      .arg(left / 60)
                                                      .arg(left % 60, 2, 10, QLatin1Char('0')));
        });
    *conns << connect(
        inference_, &InferenceController::batchFinished, this, [this, conns](bool cancelled) {
            for (const auto& c : std::as_const(*conns)) disconnect(c);
            batchDialog_->deleteLater();
            batchDialog_ = nullptr;
            QString msg = cancelled ? tr("Run all stopped: %1 images segmented; Run All "
                                         "again continues where it stopped")
                                          .arg(batchSegmented_)
                                    : tr("Segmented all %1 images").arg(batchSegmented_);
            if (batchResumed_) msg += tr(" (%1 from the interrupted run)").arg(batchResumed_);
            statusBar()->showMessage(msg);
        });
    inference_->startBatch(job);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty()) return;
    const QString path = urls.front().toLocalFile();
    if (QFileInfo(path).isDir())
        openFolder(path);
    else
        openImage(path);
    event->acceptProposedAction();
}

void MainWindow::showPreferences() {
    const StudioSettings before = StudioSettings::load();
    PreferencesDialog d(before, this);
    if (d.exec() != QDialog::Accepted) return;
    const StudioSettings after = d.settings();
    after.save();
    if (after.threads != before.threads) inference_->setThreads(after.effectiveThreads());
    if (after.quickFirstResult != before.quickFirstResult)
        inference_->setQuickFirstResult(after.quickFirstResult);
    if (after.modelBundle != before.modelBundle || after.embeddings != before.embeddings ||
        after.device != before.device) {
        const QString bundle = after.modelBundle.isEmpty()
                                   ? dataDir_ + QStringLiteral("/demo/model")
                                   : after.modelBundle;
        openModel(bundle, after.embeddings);
    }
    if (after.language != before.language)
        statusBar()->showMessage(tr("The language changes at the next start."));
}

void MainWindow::showShortcuts() {
    ShortcutsDialog d(this, this);
    d.exec();
}

void MainWindow::chooseImage() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open Image"), QString(),
                                     tr("Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp)"));
    if (!path.isEmpty()) openImage(path);
}

void MainWindow::chooseFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Folder"));
    if (!dir.isEmpty()) openFolder(dir);
}

void MainWindow::importReferenceCheckpoint() {
    auto* dialog = new ImportReferenceDialog(dataDir_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ImportReferenceDialog::imported, this, [this](const QString& bundle) {
        // The new model becomes the one the app opens from now on.
        StudioSettings prefs = StudioSettings::load();
        prefs.modelBundle = bundle;
        prefs.save();
        openModel(bundle);
    });
    dialog->open();
}

void MainWindow::chooseModel() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Model Bundle"));
    if (!dir.isEmpty()) openModel(dir);
}

QString MainWindow::bannerText() const {
    return banner_->message();
}

void MainWindow::updateDemoBanner(const ModelInfo& info) {
    if (!info.demo) {
        banner_->setMessage(QString());
        return;
    }
    const QString knows = info.description.isEmpty() ? tr("the classes it was trained on")
                                                     : info.description.toHtmlEscaped();
    banner_->setMessage(
        tr("<b>Demo model.</b> It knows only %1. On other images it can only guess with "
           "those. For real photos, import a published checkpoint or train on your data.")
            .arg(knows));
}

void MainWindow::showGettingStarted() {
    auto* d = new GettingStartedDialog(this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->show();
}

void MainWindow::requestSuggestions() {
    const int sel = overlay_->selected();
    if (sel < 0 || session_->currentImage().isEmpty() || !inference_->hasModel()) return;
    const std::vector<Instance> shown = session_->document().instances(session_->currentImageId());
    if (sel >= int(shown.size())) return;
    const Instance& inst = shown[size_t(sel)];
    SuggestRequest req;
    req.imagePath = session_->currentImage();
    req.box = {inst.x1, inst.y1, inst.x2, inst.y2};
    req.scoring = scoringRequest(*session_);
    for (const QString& c : inference_->model().seenClasses)
        req.exclude.push_back(c.toLower().toStdString());
    for (const QString& c : session_->unseenClasses())
        req.exclude.push_back(c.toLower().toStdString());
    req.what = tr("instance %1 (%2)").arg(sel).arg(QString::fromStdString(inst.className));
    suggest_->setBusy();
    inference_->submitSuggest(std::move(req));
}

void MainWindow::showAbout() {
    const RuntimeInfo info = runtimeInfo();
    QMessageBox::about(
        this, tr("About ZSI Studio"),
        tr("<h3>ZSI Studio %1</h3><p>Zero-shot instance segmentation (Zheng et al., CVPR 2021): "
           "type the names of classes the model never saw and get their masks.</p>"
           "<p>LibTorch %2, %3 threads.</p>")
            .arg(QString::fromStdString(appVersion()), QString::fromStdString(info.torchVersion))
            .arg(info.intraOpThreads));
}

}  // namespace zsi
