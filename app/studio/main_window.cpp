#include "main_window.h"

#include "image_canvas.h"
#include "util/runtime.h"
#include "util/version.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QImageReader>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace zsi {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("ZSI Studio"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/zsi-studio.png")));
    canvas_ = new ImageCanvas(this);
    setCentralWidget(canvas_);

    const RuntimeInfo info = runtimeInfo();
    runtimeLabel_ = new QLabel(
        tr("LibTorch %1 | %2 threads | %3")
            .arg(QString::fromStdString(info.torchVersion))
            .arg(info.intraOpThreads)
            .arg(info.cudaAvailable ? tr("CUDA") : tr("CPU")),
        this);
    statusBar()->addPermanentWidget(runtimeLabel_);
    statusBar()->showMessage(tr("Ready"));

    createActions();
    restoreSettings();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Image..."), this, &MainWindow::chooseImage);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Zoom &In"), canvas_, &ImageCanvas::zoomIn)->setShortcut(QKeySequence::ZoomIn);
    view->addAction(tr("Zoom &Out"), canvas_, &ImageCanvas::zoomOut)->setShortcut(QKeySequence::ZoomOut);
    view->addAction(tr("&Fit to Window"), canvas_, &ImageCanvas::zoomToFit)
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    view->addAction(tr("&Actual Size"), canvas_, &ImageCanvas::zoomActualSize)
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About ZSI Studio"), this, &MainWindow::showAbout);
}

void MainWindow::restoreSettings() {
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1400, 900);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
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
    setWindowTitle(tr("%1 - ZSI Studio").arg(QFileInfo(path).fileName()));
    statusBar()->showMessage(tr("Opened %1 (%2 x %3)").arg(path).arg(image.width()).arg(image.height()));
    return true;
}

void MainWindow::chooseImage() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Image"), QString(), tr("Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp)"));
    if (!path.isEmpty()) openImage(path);
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
