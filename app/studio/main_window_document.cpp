// MainWindow: the review document (open, save, autosave, recovery, export) and the review
// tools (undo stack, instances panel, canvas brush / eraser / new instance). The document
// is the COCO instances file of the batch export with its review fields.
#include "error_text.h"
#include "main_window.h"

#include "classes_panel.h"
#include "export_dialog.h"
#include "export_task.h"
#include "image_canvas.h"
#include "image_list.h"
#include "instance_overlay.h"
#include "instances_panel.h"
#include "similarity_chart.h"
#include "studio_settings.h"

#include "util/error.h"

#include <QAction>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QMenu>
#include <QMessageBox>
#include <QProgressDialog>
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
    connect(session_, &ReviewSession::annotationsChanged, this,
            [this](qint64 imageId, const QList<qint64>&) { showImageStatus(imageId); });
    connect(session_, &ReviewSession::modifiedChanged, this, [this] { updateTitle(); });

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

    QAction* undo = session_->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = session_->undoStack()->createRedoAction(this, tr("&Redo"));
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
                session_->stroke(id, strokeMask(points, radius, canvas_->image().size()), !erase);
            });
    auto selectNew = [this](int64_t id) {
        if (!id) return;
        if (const int row = session_->rowOf(id); row >= 0) overlay_->setSelected(row);
        canvas_->setTool(CanvasTool::Brush);  // refine the new mask
    };
    auto newCategory = [this]() -> int64_t {
        if (const qint64 c = instancesPanel_->relabelCategory()) return c;
        const auto& categories = session_->document().categories();
        return categories.empty() ? 0 : categories.back().id;
    };
    connect(canvas_, &ImageCanvas::polygonFinished, this,
            [this, selectNew, newCategory](const QPolygonF& poly) {
                std::vector<double> xy;
                for (const QPointF& p : poly) xy.insert(xy.end(), {p.x(), p.y()});
                selectNew(session_->addPolygon(newCategory(), xy));
            });
    connect(canvas_, &ImageCanvas::boxFinished, this,
            [this, selectNew, newCategory](const QRectF& r) {
                selectNew(session_->addBox(newCategory(), {r.x(), r.y(), r.width(), r.height()}));
            });
}

int64_t MainWindow::selectedAnnotation() const {
    const int row = overlay_->selected();
    const auto& ids = session_->rowIds();
    return row >= 0 && row < int(ids.size()) ? ids[size_t(row)] : 0;
}

// The session's rows of the current image on the overlay (the instances panel follows the
// session itself).
void MainWindow::refreshImage() {
    const AnnotationDocument& doc = session_->document();
    std::vector<Instance> shown;
    for (const int64_t id : session_->rowIds()) {
        Instance inst = doc.toInstance(*doc.annotation(id));
        // Rejected instances stay listed (to be un-rejected) but are not drawn.
        if (doc.review(id) == ReviewState::Rejected) inst.mask = cv::Mat();
        shown.push_back(std::move(inst));
    }
    const int selected = overlay_->selected();
    overlay_->setInstances(shown);
    overlay_->setHiddenClasses(classes_->hiddenSeenClasses());
    if (selected >= 0 && selected < int(shown.size())) {
        overlay_->setSelected(selected);
        instancesPanel_->selectInstance(selected);
    }
    updateTitle();
}

void MainWindow::showImageStatus(qint64 imageId) {
    const AnnotationDocument& doc = session_->document();
    if (const coco::Image* im = doc.image(imageId))
        if (const QString path = session_->imagePath(im->fileName); !path.isEmpty())
            images_->setStatus(path, doc.imageStatus(imageId));
}

void MainWindow::updateTitle() {
    const AnnotationDocument& doc = session_->document();
    const QString currentImage = session_->currentImage();
    if (doc.path().empty() && currentImage.isEmpty() && !doc.isDirty()) {
        setWindowTitle(tr("ZSI Studio"));
        return;
    }
    const QString name = doc.path().empty()
                             ? tr("Untitled")
                             : QString::fromStdString(doc.path().filename().string());
    const QString image = currentImage.isEmpty()
                              ? QString()
                              : QFileInfo(currentImage).fileName() + QStringLiteral(" - ");
    setWindowTitle(tr("%1%2%3 - ZSI Studio")
                       .arg(image, name, doc.isDirty() ? QStringLiteral("*") : QString()));
}

bool MainWindow::saveDocument(const QString& path) {
    try {
        session_->save(path);
    } catch (const Error& e) {
        QMessageBox::warning(this, tr("Save Annotations"),
                             tr("Cannot save %1: %2").arg(path, errorText(e)));
        return false;
    }
    std::error_code ec;
    fs::remove(untitledAutosave(), ec);
    statusBar()->showMessage(tr("Saved %1").arg(path));
    updateTitle();
    return true;
}

bool MainWindow::openDocument(const QString& path) {
    const fs::path p = path.toStdString();
    AnnotationDocument doc;
    try {
        if (AnnotationDocument::detectRecovery(p)) {
            const bool recover =
                !interactive() ||
                QMessageBox::question(this, tr("Recover Annotations"),
                                      tr("%1 has unsaved changes from a session that did not end "
                                         "normally. Recover them?")
                                          .arg(QFileInfo(path).fileName())) == QMessageBox::Yes;
            if (recover)
                doc = AnnotationDocument::recover(p);
            else {
                AnnotationDocument::discardAutosave(p);
                doc = AnnotationDocument::open(p);
            }
        } else {
            doc = AnnotationDocument::open(p);
        }
    } catch (const Error& e) {
        statusBar()->showMessage(tr("Cannot open %1: %2").arg(path, errorText(e)));
        return false;
    }
    // The session continues as it was saved: every setting, its classes, its images.
    session_->replaceDocument(std::move(doc));
    const QString root = session_->imageRoot();
    // openFolder() lists the images and gives each its status from the document.
    if (!root.isEmpty() && QFileInfo(root).isDir()) openFolder(root);
    const AnnotationDocument& opened = session_->document();
    statusBar()->showMessage(tr("Opened %1: %2 images, %3 annotations")
                                 .arg(path)
                                 .arg(opened.images().size())
                                 .arg(opened.annotationCount()));
    updateTitle();
    return true;
}

void MainWindow::save() {
    const fs::path& path = session_->document().path();
    if (path.empty())
        saveAs();
    else
        saveDocument(QString::fromStdString(path.string()));
}

void MainWindow::saveAs() {
    const QString root = session_->imageRoot();
    const QString start = root.isEmpty() ? QString() : root + QStringLiteral("/annotations.json");
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save Annotations"), start, tr("COCO JSON (*.json)"));
    if (!path.isEmpty()) saveDocument(path);
}

void MainWindow::chooseDocument() {
    if (!maybeSave()) return;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Annotations"), session_->imageRoot(), tr("COCO JSON (*.json)"));
    if (!path.isEmpty()) openDocument(path);
}

void MainWindow::exportDocument() {
    if (exportTask_->isRunning()) {
        statusBar()->showMessage(tr("An export is already running."));
        return;
    }
    const fs::path& docPath = session_->document().path();
    const QString root = session_->imageRoot();
    const QString base =
        docPath.empty() ? (root.isEmpty() ? QDir::homePath() : root) + QStringLiteral("/export")
                        : QString::fromStdString((docPath.parent_path() / docPath.stem()).string());
    ExportDialog d(base, this);
    if (d.exec() == QDialog::Accepted) startExport(d.target(), d.options());
}

bool MainWindow::startExport(const QString& target, const DatasetExportOptions& options) {
    if (exportTask_->isRunning()) return false;
    // A snapshot: reviewing goes on while the export runs on its own thread.
    coco::Dataset snapshot = session_->document().toDataset();
    const int images = int(snapshot.images.size());
    auto* progress = new QProgressDialog(tr("Exporting %1 images...").arg(images), tr("Cancel"), 0,
                                         std::max(1, images), this);
    progress->setWindowTitle(tr("Export"));
    progress->setMinimumDuration(1000);  // short exports show no dialog
    progress->setAttribute(Qt::WA_DeleteOnClose);
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    auto conns = std::make_shared<QList<QMetaObject::Connection>>();
    auto done = [progress, conns] {
        for (const auto& c : std::as_const(*conns)) QObject::disconnect(c);
        progress->close();
    };
    *conns << connect(progress, &QProgressDialog::canceled, exportTask_, &ExportTask::cancel);
    *conns << connect(exportTask_, &ExportTask::progress, progress,
                      [progress, clock](int n, int total) {
                          progress->setValue(n);
                          const double perImage = clock->elapsed() / 1000.0 / std::max(1, n);
                          const int eta = int(perImage * (total - n) + 0.5);
                          progress->setLabelText(tr("Exported %1 of %2 images, about %3:%4 left")
                                                     .arg(n)
                                                     .arg(total)
                                                     .arg(eta / 60)
                                                     .arg(eta % 60, 2, 10, QLatin1Char('0')));
                      });
    *conns << connect(exportTask_, &ExportTask::finished, this,
                      [this, target, done](const DatasetExportReport& r) {
                          done();
                          QString msg = tr("Exported %1 instances of %2 images to %3")
                                            .arg(r.annotations)
                                            .arg(r.images)
                                            .arg(target);
                          if (r.polygonsWithHoles)
                              msg +=
                                  tr(" (%1 masks lost holes as polygons)").arg(r.polygonsWithHoles);
                          statusBar()->showMessage(msg);
                      });
    *conns << connect(exportTask_, &ExportTask::failed, this,
                      [this, done](const QString& message, bool cancelled) {
                          done();
                          if (cancelled) {
                              statusBar()->showMessage(tr("Export cancelled."));
                              return;
                          }
                          if (interactive())
                              QMessageBox::warning(this, tr("Export"),
                                                   tr("Cannot export: %1").arg(message));
                          statusBar()->showMessage(tr("Cannot export: %1").arg(message));
                      });
    return exportTask_->start(std::move(snapshot), target, options);
}

void MainWindow::autosave() {
    if (!session_->isModified()) return;
    try {
        session_->saveAutosave(QString::fromStdString(untitledAutosave().string()));
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
    if (!session_->isModified() || !interactive()) return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved Annotations"), tr("The annotations have unsaved changes. Save them?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Cancel) return false;
    if (answer == QMessageBox::Save) {
        save();
        return !session_->isModified();
    }
    return true;
}

}  // namespace zsi
