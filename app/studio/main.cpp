// zsi-studio: the desktop app.
#include "main_window.h"
#include "studio_options.h"
#include "translator_setup.h"

#include "util/runtime.h"
#include "util/version.h"

#include <QApplication>
#include <QDir>
#include <QSettings>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    // Screenshots and reports render offscreen whatever display there is.
    if (zsi::wantsOffscreen(argc, argv)) qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("ZSI Studio"));
    QApplication::setApplicationName(QStringLiteral("zsi-studio"));
    QApplication::setApplicationVersion(QString::fromStdString(zsi::appVersion()));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/zsi-studio.png")));

    // Leave the GUI thread a core: torch gets one thread fewer than the machine has.
    zsi::initTorchThreads(std::max(1, QThread::idealThreadCount() - 1));
    zsi::installTranslation(app, QSettings().value(QStringLiteral("language")).toString());

    const zsi::StudioOptions options = zsi::parseStudioOptions();
    zsi::MainWindow window;
    if (!options.image.isEmpty()) window.openImage(options.image);
    else if (!options.files.isEmpty()) window.openImage(options.files.front());
    window.show();

    if (!options.screenshot.isEmpty()) {
        QTimer::singleShot(0, &window, [&] {
            QApplication::processEvents();
            const bool ok = window.grab().save(options.screenshot);
            std::fprintf(ok ? stdout : stderr, "%s %s\n", ok ? "screenshot written to" : "cannot write",
                         qPrintable(QDir::toNativeSeparators(options.screenshot)));
            if (options.quit) QApplication::exit(ok ? 0 : 1);
        });
    } else if (options.quit) {
        QTimer::singleShot(0, &app, &QApplication::quit);
    }
    return app.exec();
}
