// zsi-studio: the desktop app.
#include "background_report.h"
#include "image_list.h"
#include "main_window.h"
#include "studio_options.h"
#include "studio_settings.h"
#include "translator_setup.h"

#include "io/model_bundle.h"
#include "runtime/runtime.h"
#include "util/data_paths.h"
#include "util/error.h"
#include "util/version.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImageReader>
#include <QSettings>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <filesystem>

namespace {

// Renders the window once the worker is idle (model loaded, image segmented), then exits
// when asked to.
void screenshotWhenIdle(zsi::MainWindow& window, const zsi::StudioOptions& options) {
    auto* timer = new QTimer(&window);
    auto* clock = new QElapsedTimer;
    clock->start();
    QObject::connect(timer, &QTimer::timeout, &window, [&window, options, timer, clock] {
        const bool idle = window.inference()->isIdle();
        if (!idle && clock->elapsed() < 180000) return;
        timer->stop();
        delete clock;
        if (options.select >= 0) window.selectInstance(options.select);
        QApplication::processEvents();
        const bool ok = window.grab().save(options.screenshot);
        std::fprintf(ok ? stdout : stderr, "%s %s\n", ok ? "screenshot written to" : "cannot write",
                     qPrintable(QDir::toNativeSeparators(options.screenshot)));
        if (options.quit) QApplication::exit(ok ? 0 : 1);
    });
    timer->start(100);
}

}  // namespace

int main(int argc, char** argv) {
    // Screenshots and reports render offscreen whatever display there is.
    if (zsi::wantsOffscreen(argc, argv)) qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("ZSI Studio"));
    QApplication::setApplicationName(QStringLiteral("zsi-studio"));
    QApplication::setApplicationVersion(QString::fromStdString(zsi::appVersion()));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/zsi-studio.png")));

    // Leave the GUI thread a core: torch gets one thread fewer than the machine has (or what
    // Preferences say).
    const zsi::StudioSettings settings = zsi::StudioSettings::load();
    zsi::initTorchThreads(settings.effectiveThreads());
    // Qt refuses images above 256 MB by default; an 8k x 8k RGBA photo needs 256 MB and
    // annotators do open such images, so allow up to 1 GB (the core loader has its own limit).
    QImageReader::setAllocationLimit(1024);
    zsi::installTranslation(app, QSettings().value(QStringLiteral("language")).toString());

    const zsi::StudioOptions options = zsi::parseStudioOptions();
    // background views: --report background [--model] [--image] [--unseen] --out DIR
    if (!options.report.isEmpty()) {
        if (options.report != QStringLiteral("background")) {
            std::fprintf(stderr, "error: unknown report '%s' (known: background)\n",
                         qPrintable(options.report));
            return 2;
        }
        zsi::BackgroundReportOptions r;
        try {
            std::optional<std::filesystem::path> explicitDir;
            if (!options.dataDir.isEmpty()) explicitDir = options.dataDir.toStdString();
            r.dataDir = QString::fromStdString(
                zsi::findDataDir(explicitDir, zsi::executableDir(argv[0])).string());
        } catch (const zsi::Error& e) {
            std::fprintf(stderr, "warning: %s\n", e.what());
        }
        r.model =
            !options.model.isEmpty() ? options.model : r.dataDir + QStringLiteral("/demo/model");
        r.image = !options.image.isEmpty()
                      ? options.image
                      : (options.files.isEmpty() ? QString() : options.files.front());
        r.unseen = options.unseen;
        r.out = options.out;
        return zsi::runBackgroundReport(r);
    }
    zsi::MainWindow window;

    std::filesystem::path dataDir;
    try {
        std::optional<std::filesystem::path> explicitDir;
        if (!options.dataDir.isEmpty()) explicitDir = options.dataDir.toStdString();
        dataDir = zsi::findDataDir(explicitDir, zsi::executableDir(argv[0]));
        window.setDataDir(QString::fromStdString(dataDir.string()));
    } catch (const zsi::Error& e) {
        std::fprintf(stderr, "warning: %s\n", e.what());
    }
    const QString demo = QString::fromStdString((dataDir / "demo").string());
    // --model, else the model chosen in Preferences, else the demo model.
    const QString model = !options.model.isEmpty()          ? options.model
                          : !settings.modelBundle.isEmpty() ? settings.modelBundle
                                                            : demo + QStringLiteral("/model");
    if (!options.unseen.isEmpty()) window.setPendingClasses(options.unseen);
    if (QFileInfo::exists(model + QStringLiteral("/model.json")))
        window.openModel(model, options.model.isEmpty() ? settings.embeddings : QString());

    if (!options.image.isEmpty()) {
        // The image's folder fills the image list, with the image selected.
        const QFileInfo info(options.image);
        if (window.openFolder(info.absolutePath()) == 0 ||
            !window.imageList()->selectPath(info.absoluteFilePath()))
            window.openImage(options.image);
    } else if (!options.files.isEmpty()) {
        if (QFileInfo(options.files.front()).isDir())
            window.openFolder(options.files.front());
        else
            window.openImage(options.files.front());
    } else if (QFileInfo::exists(demo + QStringLiteral("/images"))) {
        // First start: the demo images, opened on one the model works on (its bundle names it);
        // the bundle's default classes are typed when it loads, so masks appear at once.
        window.openFolder(demo + QStringLiteral("/images"));
        try {
            const zsi::io::BundleInfo info = zsi::io::readBundleInfo(model.toStdString());
            if (!info.demoImage.empty())
                window.imageList()->selectPath(demo + QStringLiteral("/images/") +
                                               QString::fromStdString(info.demoImage));
        } catch (const zsi::Error&) {
            // Not a readable bundle: the model load reports it.
        }
    }
    window.show();

    if (options.screenshot.isEmpty() && !options.quit) window.offerRecovery();
    if (!options.screenshot.isEmpty())
        screenshotWhenIdle(window, options);
    else if (options.quit)
        QTimer::singleShot(0, &app, &QApplication::quit);
    return app.exec();
}
