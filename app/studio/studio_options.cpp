#include "studio_options.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstring>

namespace zsi {

bool wantsOffscreen(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        if (!std::strcmp(argv[i], "--screenshot") || !std::strcmp(argv[i], "--report")) return true;
    return false;
}

StudioOptions parseStudioOptions() {
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "StudioOptions", "ZSI Studio: zero-shot instance segmentation"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataDir(
        QStringLiteral("data-dir"),
        QCoreApplication::translate("StudioOptions", "Folder with the demo assets."),
        QStringLiteral("dir"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QCoreApplication::translate("StudioOptions", "Render the window to a PNG file."),
        QStringLiteral("file"));
    const QCommandLineOption quit(
        QStringLiteral("quit"),
        QCoreApplication::translate("StudioOptions", "Quit after the screenshot or report."));
    const QCommandLineOption image(
        QStringLiteral("image"),
        QCoreApplication::translate("StudioOptions", "Image to show first."),
        QStringLiteral("file"));
    const QCommandLineOption unseen(
        QStringLiteral("unseen"),
        QCoreApplication::translate("StudioOptions", "Comma-separated unseen class names."),
        QStringLiteral("names"));
    const QCommandLineOption select(
        QStringLiteral("select"),
        QCoreApplication::translate("StudioOptions", "Select instance N."), QStringLiteral("n"));
    const QCommandLineOption report(
        QStringLiteral("report"),
        QCoreApplication::translate("StudioOptions", "Write a report (background) and exit."),
        QStringLiteral("kind"));
    const QCommandLineOption out(
        QStringLiteral("out"),
        QCoreApplication::translate("StudioOptions", "Output folder of the report."),
        QStringLiteral("dir"));
    const QCommandLineOption model(
        QStringLiteral("model"),
        QCoreApplication::translate("StudioOptions", "Model bundle folder."),
        QStringLiteral("dir"));
    parser.addOptions({dataDir, screenshot, quit, image, unseen, select, report, out, model});
    parser.addPositionalArgument(
        QStringLiteral("paths"),
        QCoreApplication::translate("StudioOptions", "Images or folders to open."),
        QStringLiteral("[paths...]"));
    parser.process(QCoreApplication::arguments());

    StudioOptions o;
    o.dataDir = parser.value(dataDir);
    o.screenshot = parser.value(screenshot);
    o.quit = parser.isSet(quit);
    o.image = parser.value(image);
    if (parser.isSet(unseen))
        for (const QString& s : parser.value(unseen).split(QLatin1Char(','), Qt::SkipEmptyParts))
            o.unseen << s.trimmed();
    if (parser.isSet(select)) o.select = parser.value(select).toInt();
    o.report = parser.value(report);
    o.out = parser.value(out);
    o.model = parser.value(model);
    o.files = parser.positionalArguments();
    return o;
}

}  // namespace zsi
