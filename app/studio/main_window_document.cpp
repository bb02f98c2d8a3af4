// MainWindow: the review document (open, save, autosave, recovery, export) and the review
// tools (undo stack, instances panel, canvas brush / eraser / new instance). The document
// is the COCO instances file of the batch export with its review fields.
#include "error_text.h"
#include "main_window.h"

#include "classes_panel.h"
#include "export_dialog.h"
#include "image_canvas.h"
#include "image_list.h"
#include "instance_overlay.h"
#include "instances_panel.h"
#include "review_commands.h"
#include "similarity_chart.h"
#include "studio_settings.h"

#include "util/error.h"

#include <QAction>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QMenu>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>

namespace fs = std::filesystem;

namespace zsi {
namespace {

fs::path untitledAutosave() {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return fs::path(dir.toStdString()) / "untitled.autosave.json";
}

// Interactive prompts would hang offscreen runs (tests, screenshots, reports).
bool interactive() {
    return QGuiApplication::platformName() != QStringLiteral("offscreen");
}

}  // namespace

void MainWindow::createDocumentActions(QMenu* file, QMenu* edit) {
    undo_ = new QUndoStack(this);
    notifier_ = new DocumentNotifier(this);
    connect(notifier_, &DocumentNotifier::annotationsChanged, this,
            [this](qint64 imageId, const QList<qint64>&) { onAnnotationsChanged(imageId); });
    connect(undo_, &QUndoStack::cleanChanged, this, [this] { updateTitle(); });
    connect(undo_, &QUndoStack::indexChanged, this, [this] { updateTitle(); });

    QAction* openDoc = new QAction(tr("Open &Annotations..."), this);
    openDoc->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O));
    connect(openDoc, &QAction::triggered, this, &MainWindow::chooseDocument);
    QAction* save = new QAction(tr("&Save Annotations"), this);
    save->setShortcut(QKeySequence::Save);
    connect(save, &QAction::triggered, this, &MainWindow::save);
    QAction* saveAs = new QAction(tr("Save Annotations &As..."), this);
    saveAs->setShortcut(QKeySequence::SaveAs);
    connect(saveAs, &QAction::triggered, this, &MainWindow::saveAs);
    QAction* exportAct = new QAction(tr("&Export..."), this);
    exportAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(exportAct, &QAction::triggered, this, &MainWindow::exportDocument);
    QAction* firstExisting = file->actions().value(3);  // after Open Image / Folder / Model
    file->insertActions(firstExisting, {openDoc, save, saveAs, exportAct});
    file->insertSeparator(firstExisting);

    QAction* undo = undo_->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = undo_->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();

    autosaveTimer_ = new QTimer(this);
    connect(autosaveTimer_, &QTimer::timeout, this, &MainWindow::autosave);
    const int seconds = StudioSettings::load().autosaveSeconds;
    if (seconds > 0) autosaveTimer_->start(seconds * 1000);
    updateTitle();
}

void MainWindow::createReviewActions(QMenu* edit) {
    // Single-key review keys: the panel's actions, bound window-wide (no text field takes
    // plain letters except the class input, which has focus only while typing).
    auto bind = [this, edit](QAction* a, const QKeySequence& key) {
        a->setShortcut(key);
        a->setShortcutContext(Qt::WindowShortcut);
        addAction(a);
        edit->addAction(a);
    };
    bind(instancesPanel_->acceptAction(), QKeySequence(Qt::Key_A));
    bind(instancesPanel_->rejectAction(), QKeySequence(Qt::Key_R));
    bind(instancesPanel_->relabelAction(), QKeySequence(Qt::Key_L));
    bind(instancesPanel_->deleteAction(), QKeySequence::Delete);
    bind(instancesPanel_->acceptAboveAction(), QKeySequence(Qt::SHIFT | Qt::Key_A));
    edit->addSeparator();
    auto tool = [this, edit](const QString& name, const QKeySequence& key, CanvasTool t) {
        QAction* a = edit->addAction(name, this, [this, t] { canvas_->setTool(t); });
        a->setShortcut(key);
        addAction(a);
    };
    tool(tr("&Brush"), QKeySequence(Qt::Key_B), CanvasTool::Brush);
    tool(tr("&Eraser"), QKeySequence(Qt::Key_E), CanvasTool::Eraser);
    tool(tr("New Instance by &Polygon"), QKeySequence(Qt::Key_P), CanvasTool::Polygon);
    tool(tr("New Instance by Bo&x"), QKeySequence(Qt::Key_X), CanvasTool::Box);
    tool(tr("&Select (No Tool)"), QKeySequence(Qt::Key_Escape), CanvasTool::None);
    QAction* smaller = edit->addAction(tr("Smaller Brush"), this, [this] {
        canvas_->setBrushRadius(canvas_->brushRadius() / 1.25);
    });
    smaller->setShortcut(QKeySequence(Qt::Key_BracketLeft));
    addAction(smaller);
    QAction* larger = edit->addAction(tr("Larger Brush"), this, [this] {
        canvas_->setBrushRadius(canvas_->brushRadius() * 1.25);
    });
    larger->setShortcut(QKeySequence(Qt::Key_BracketRight));
    addAction(larger);

    connect(
        instancesPanel_, &InstancesPanel::acceptRequested, this, [this](const QList<int>& rows) {
            undo_->push(new SetReviewCommand(&doc_, notifier_, idsOf(rows), ReviewState::Accepted));
        });
    connect(
        instancesPanel_, &InstancesPanel::rejectRequested, this, [this](const QList<int>& rows) {
            undo_->push(new SetReviewCommand(&doc_, notifier_, idsOf(rows), ReviewState::Rejected));
        });
    connect(instancesPanel_, &InstancesPanel::relabelRequested, this,
            [this](const QList<int>& rows, qint64 cat) {
                undo_->push(new RelabelCommand(&doc_, notifier_, idsOf(rows), cat));
            });
    connect(instancesPanel_, &InstancesPanel::deleteRequested, this,
            [this](const QList<int>& rows) {
                undo_->push(new DeleteAnnotationsCommand(&doc_, notifier_, idsOf(rows)));
            });
    connect(instancesPanel_, &InstancesPanel::acceptAboveRequested, this, [this](double t) {
        if (QUndoCommand* c = makeAcceptAllAbove(&doc_, notifier_, currentImageId_, t))
            undo_->push(c);
    });
    connect(instancesPanel_, &InstancesPanel::instanceSelected, overlay_,
            &InstanceOverlay::setSelected);

    connect(canvas_, &ImageCanvas::strokeFinished, this,
            [this](const QVector<QPointF>& points, double radius, bool erase) {
                const int64_t id = selectedAnnotation();
                if (!id) {
                    statusBar()->showMessage(
                        tr("Select an instance first: the brush and eraser edit its mask."));
                    return;
                }
                const CroppedMask m = strokeMask(points, radius, canvas_->image().size());
                if (m.mask.empty()) return;
                auto* c = new MaskStrokeCommand(&doc_, notifier_, id, m, !erase);
                undo_->push(c);
            });
    auto addNew = [this](AddAnnotationCommand* c) {
        if (!c) return;
        undo_->push(c);
        const auto it = std::find(rowIds_.begin(), rowIds_.end(), c->annotationId());
        if (it != rowIds_.end()) overlay_->setSelected(int(it - rowIds_.begin()));
        canvas_->setTool(CanvasTool::Brush);  // refine the new mask
    };
    auto newCategory = [this]() -> int64_t {
        if (const qint64 c = instancesPanel_->relabelCategory()) return c;
        return doc_.categories().empty() ? 0 : doc_.categories().back().id;
    };
    connect(canvas_, &ImageCanvas::polygonFinished, this,
            [this, addNew, newCategory](const QPolygonF& poly) {
                if (!currentImageId_ || !newCategory()) return;
                std::vector<double> xy;
                for (const QPointF& p : poly) xy.insert(xy.end(), {p.x(), p.y()});
                addNew(makeNewPolygon(&doc_, notifier_, currentImageId_, newCategory(), xy));
            });
    connect(canvas_, &ImageCanvas::boxFinished, this, [this, addNew, newCategory](const QRectF& r) {
        if (!currentImageId_ || !newCategory()) return;
        addNew(makeNewBox(&doc_, notifier_, currentImageId_, newCategory(),
                          {r.x(), r.y(), r.width(), r.height()}));
    });
}

QString MainWindow::relativeName(const QString& path) const {
    if (imageRoot_.isEmpty()) return QFileInfo(path).fileName();
    return QDir(imageRoot_).relativeFilePath(path);
}

std::vector<int64_t> MainWindow::idsOf(const QList<int>& rows) const {
    std::vector<int64_t> ids;
    for (int r : rows)
        if (r >= 0 && r < int(rowIds_.size())) ids.push_back(rowIds_[size_t(r)]);
    return ids;
}

int64_t MainWindow::selectedAnnotation() const {
    const int row = overlay_->selected();
    return row >= 0 && row < int(rowIds_.size()) ? rowIds_[size_t(row)] : 0;
}

void MainWindow::syncClassesToDocument() {
    if (!inference_->hasModel()) return;
    std::vector<std::string> names;
    std::vector<ClassKind> kinds;
    for (const QString& n : inference_->model().seenClasses) {
        names.push_back(n.toStdString());
        kinds.push_back(ClassKind::Seen);
    }
    for (const auto& c : classes_->vocabulary().unseen()) {
        names.push_back(c.name);
        kinds.push_back(ClassKind::Unseen);
    }
    doc_.setClasses(names, kinds);
}

void MainWindow::refreshImage() {
    rowIds_.clear();
    std::vector<Instance> shown;
    if (currentImageId_) {
        for (const auto& a : doc_.annotations(currentImageId_)) {
            rowIds_.push_back(a.id);
            Instance inst = doc_.toInstance(a);
            // Rejected instances stay listed (to be un-rejected) but are not drawn.
            if (doc_.review(a.id) == ReviewState::Rejected) inst.mask = cv::Mat();
            shown.push_back(std::move(inst));
        }
    }
    const int selected = overlay_->selected();
    overlay_->setInstances(shown);
    overlay_->setHiddenClasses(classes_->hiddenSeenClasses());
    QList<QPair<qint64, QString>> classes;
    for (const auto& c : doc_.categories()) classes.append({c.id, QString::fromStdString(c.name)});
    instancesPanel_->setClasses(classes);
    instancesPanel_->setRows(currentImageId_ ? instanceRows(doc_, currentImageId_)
                                             : std::vector<InstanceRow>{});
    if (selected >= 0 && selected < int(shown.size())) {
        overlay_->setSelected(selected);
        instancesPanel_->selectInstance(selected);
    }
    updateTitle();
}

void MainWindow::onAnnotationsChanged(qint64 imageId) {
    if (imageId == currentImageId_) refreshImage();
    if (const coco::Image* im = doc_.image(imageId); im && !imageRoot_.isEmpty())
        images_->setStatus(QDir(imageRoot_).filePath(QString::fromStdString(im->fileName)),
                           doc_.imageStatus(imageId));
    updateTitle();
}

void MainWindow::updateTitle() {
    if (doc_.path().empty() && currentImage_.isEmpty() && !doc_.isDirty()) {
        setWindowTitle(tr("ZSI Studio"));
        return;
    }
    const QString name = doc_.path().empty()
                             ? tr("Untitled")
                             : QString::fromStdString(doc_.path().filename().string());
    const QString image = currentImage_.isEmpty()
                              ? QString()
                              : QFileInfo(currentImage_).fileName() + QStringLiteral(" - ");
    setWindowTitle(tr("%1%2%3 - ZSI Studio")
                       .arg(image, name, doc_.isDirty() ? QStringLiteral("*") : QString()));
}

bool MainWindow::saveDocument(const QString& path) {
    SessionSettings s = doc_.settings();
    const ModelInfo& m = inference_->model();
    s.model = m.name.toStdString();
    s.embeddings = QFileInfo(m.embeddingsPath).fileName().toStdString();
    s.inference = classes_->settings();
    s.unseenClasses.clear();
    for (const auto& c : classes_->vocabulary().unseen()) s.unseenClasses.push_back(c.name);
    if (!imageRoot_.isEmpty())
        s.imageRoot =
            QDir(QFileInfo(path).absolutePath()).relativeFilePath(imageRoot_).toStdString();
    doc_.setSettings(s);
    try {
        doc_.save(path.toStdString());
    } catch (const Error& e) {
        QMessageBox::warning(this, tr("Save Annotations"),
                             tr("Cannot save %1: %2").arg(path, errorText(e)));
        return false;
    }
    std::error_code ec;
    fs::remove(untitledAutosave(), ec);
    undo_->setClean();
    statusBar()->showMessage(tr("Saved %1").arg(path));
    updateTitle();
    return true;
}

bool MainWindow::openDocument(const QString& path) {
    const fs::path p = path.toStdString();
    try {
        if (AnnotationDocument::detectRecovery(p)) {
            const bool recover =
                !interactive() ||
                QMessageBox::question(this, tr("Recover Annotations"),
                                      tr("%1 has unsaved changes from a session that did not end "
                                         "normally. Recover them?")
                                          .arg(QFileInfo(path).fileName())) == QMessageBox::Yes;
            if (recover)
                doc_ = AnnotationDocument::recover(p);
            else {
                AnnotationDocument::discardAutosave(p);
                doc_ = AnnotationDocument::open(p);
            }
        } else {
            doc_ = AnnotationDocument::open(p);
        }
    } catch (const Error& e) {
        statusBar()->showMessage(tr("Cannot open %1: %2").arg(path, errorText(e)));
        return false;
    }
    undo_->clear();
    currentImageId_ = 0;
    // The session continues as it was saved: every setting, then its classes.
    classes_->setSettings(doc_.settings().inference);
    for (const std::string& name : doc_.settings().unseenClasses)
        classes_->addClass(QString::fromStdString(name));
    const QString root = QString::fromStdString(doc_.imageRootPath().string());
    // openFolder() lists the images and gives each its status from the document.
    if (QFileInfo(root).isDir()) openFolder(root);
    statusBar()->showMessage(tr("Opened %1: %2 images, %3 annotations")
                                 .arg(path)
                                 .arg(doc_.images().size())
                                 .arg(doc_.annotationCount()));
    updateTitle();
    return true;
}

void MainWindow::save() {
    if (doc_.path().empty())
        saveAs();
    else
        saveDocument(QString::fromStdString(doc_.path().string()));
}

void MainWindow::saveAs() {
    const QString start =
        imageRoot_.isEmpty() ? QString() : imageRoot_ + QStringLiteral("/annotations.json");
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save Annotations"), start, tr("COCO JSON (*.json)"));
    if (!path.isEmpty()) saveDocument(path);
}

void MainWindow::chooseDocument() {
    if (!maybeSave()) return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Annotations"), imageRoot_,
                                                      tr("COCO JSON (*.json)"));
    if (!path.isEmpty()) openDocument(path);
}

void MainWindow::exportDocument() {
    const QString base =
        doc_.path().empty()
            ? (imageRoot_.isEmpty() ? QDir::homePath() : imageRoot_) + QStringLiteral("/export")
            : QString::fromStdString((doc_.path().parent_path() / doc_.path().stem()).string());
    ExportDialog d(base, this);
    if (d.exec() != QDialog::Accepted) return;
    try {
        const DatasetExportReport r =
            exportDataset(doc_.toDataset(), d.target().toStdString(), d.options());
        QString msg = tr("Exported %1 instances of %2 images to %3")
                          .arg(r.annotations)
                          .arg(r.images)
                          .arg(d.target());
        if (r.polygonsWithHoles)
            msg += tr(" (%1 masks lost holes as polygons)").arg(r.polygonsWithHoles);
        statusBar()->showMessage(msg);
    } catch (const Error& e) {
        QMessageBox::warning(this, tr("Export"), tr("Cannot export: %1").arg(errorText(e)));
    }
}

void MainWindow::autosave() {
    if (!doc_.isDirty()) return;
    try {
        doc_.saveAutosave(doc_.path().empty() ? untitledAutosave() : fs::path());
    } catch (const Error& e) {
        statusBar()->showMessage(tr("Autosave failed: %1").arg(errorText(e)));
    }
}

void MainWindow::offerRecovery() {
    const fs::path p = untitledAutosave();
    if (!fs::exists(p) || !interactive()) return;
    if (QMessageBox::question(
            this, tr("Recover Annotations"),
            tr("An untitled session did not end normally. Recover its annotations?")) ==
        QMessageBox::Yes) {
        // The autosave becomes a named file beside it, so Save never writes into the
        // autosave slot and nothing is lost if this session crashes too.
        const QString stamp =
            QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
        const fs::path recovered = p.parent_path() / ("recovered-" + stamp.toStdString() + ".json");
        try {
            fs::rename(p, recovered);
            openDocument(QString::fromStdString(recovered.string()));
            statusBar()->showMessage(tr("Recovered annotations saved as %1")
                                         .arg(QString::fromStdString(recovered.string())));
            return;
        } catch (const std::exception& e) {
            statusBar()->showMessage(tr("Cannot recover: %1").arg(QString::fromUtf8(e.what())));
        }
    }
    std::error_code ec;
    fs::remove(p, ec);
}

bool MainWindow::maybeSave() {
    if (!doc_.isDirty() || !interactive()) return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved Annotations"), tr("The annotations have unsaved changes. Save them?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Cancel) return false;
    if (answer == QMessageBox::Save) {
        save();
        return !doc_.isDirty();
    }
    return true;
}

}  // namespace zsi
