// Interactive latency during Run All: how long a user who types (or removes) a class while
// "Run all" works through a folder waits for the masks of the image on screen, against the
// same wait when the worker is idle, and the time the batch spends on one image.
//
//   bench_latency [BUNDLE] [IMAGE_DIR] [EDITS] [COPIES]
//
// Defaults: the demo model, resources/demo/images copied COPIES (4) times into a temporary
// folder, EDITS (6) class edits. Runs the real MainWindow offscreen. A class edit re-scores
// the cached image (no new features), so the idle figure is the re-score time plus the queue;
// during Run All the edit waits for the batch image in progress at most.
#include "classes_panel.h"
#include "main_window.h"
#include "review_session.h"
#include "runtime/runtime.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace zsi;

namespace {

// Runs the event loop until `signal` of `sender` fires (true) or `ms` pass (false).
template <typename Sender, typename Signal>
bool waitFor(Sender* sender, Signal signal, int ms = 120000) {
    QEventLoop loop;
    bool fired = false;
    const auto c = QObject::connect(sender, signal, &loop, [&] {
        fired = true;
        loop.quit();
    });
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
    QObject::disconnect(c);
    return fired;
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

double maxOf(const std::vector<double>& v) {
    return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}

// One class edit (remove the last typed class, or add it back) and the seconds until the
// image on screen has its new result.
double timedEdit(MainWindow& w, const QString& name, bool add) {
    QElapsedTimer t;
    t.start();
    if (add)
        w.classesPanel()->addClass(name);
    else
        w.session()->removeClass(int(w.session()->unseenClasses().size()) - 1);
    if (!waitFor(w.inference(), &InferenceController::resultReady)) return -1;
    return t.nsecsElapsed() / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("ZSI Studio Bench"));
    QApplication::setApplicationName(QStringLiteral("bench_latency"));
    QStandardPaths::setTestModeEnabled(true);
    const QString source = QStringLiteral(ZSI_SOURCE_DIR);
    const QStringList args = app.arguments();
    const QString bundle =
        args.size() > 1 ? args[1] : source + QStringLiteral("/resources/demo/model");
    const QString images =
        args.size() > 2 ? args[2] : source + QStringLiteral("/resources/demo/images");
    const int edits = args.size() > 3 ? args[3].toInt() : 6;
    const int copies = args.size() > 4 ? args[4].toInt() : 4;

    QTemporaryDir tmp;
    const QString folder = tmp.filePath(QStringLiteral("images"));
    QDir().mkpath(folder);
    int n = 0;
    for (int c = 0; c < copies; ++c)
        for (const QFileInfo& f : QDir(images).entryInfoList(
                 {QStringLiteral("*.png"), QStringLiteral("*.jpg")}, QDir::Files, QDir::Name))
            n += QFile::copy(f.filePath(),
                             QStringLiteral("%1/%2-%3").arg(folder).arg(c).arg(f.fileName()));
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
         QStringLiteral("/run-all"))
        .removeRecursively();

    MainWindow w;
    w.setDataDir(source + QStringLiteral("/resources"));
    w.openModel(bundle);
    if (!waitFor(w.inference(), &InferenceController::modelOpened)) {
        std::fprintf(stderr, "cannot open the model %s\n", qPrintable(bundle));
        return 1;
    }
    w.openFolder(folder);
    if (!waitFor(w.inference(), &InferenceController::resultReady)) return 1;
    const QStringList typed = w.session()->unseenClasses();
    if (typed.isEmpty()) {
        std::fprintf(stderr, "the model names no default unseen classes to edit\n");
        return 1;
    }
    const QString last = typed.back();

    // Idle: the worker has nothing else to do.
    std::vector<double> idle;
    for (int i = 0; i < edits; ++i) idle.push_back(timedEdit(w, last, i % 2 == 1));
    if (w.session()->unseenClasses().size() != typed.size()) timedEdit(w, last, true);

    // During Run All: an edit after every second batch image.
    std::vector<double> busy, perImage;
    int batchImages = 0;
    QElapsedTimer batchClock;
    QObject::connect(w.inference(), &InferenceController::batchResult, &w,
                     [&](std::shared_ptr<const WorkerResult>) {
                         if (batchImages > 0) perImage.push_back(batchClock.nsecsElapsed() / 1e9);
                         batchClock.start();
                         ++batchImages;
                     });
    QElapsedTimer total;
    total.start();
    w.runAll();
    bool finished = false;
    QObject::connect(w.inference(), &InferenceController::batchFinished, &w,
                     [&] { finished = true; });
    for (int i = 0; i < edits && !finished; ++i) {
        waitFor(w.inference(), &InferenceController::batchResult);
        waitFor(w.inference(), &InferenceController::batchResult);
        if (finished) break;
        busy.push_back(timedEdit(w, last, i % 2 == 1));
    }
    if (!finished) waitFor(w.inference(), &InferenceController::batchFinished, 600000);
    const double runAllSeconds = total.nsecsElapsed() / 1e9;

    std::printf("interactive latency: class edit -> masks of the image on screen\n");
    std::printf("model %s, %d images, %d torch thread(s)\n",
                qPrintable(w.inference()->model().name), n, runtimeInfo().intraOpThreads);
    std::printf("| situation | edits | median (s) | max (s) |\n|---|---|---|---|\n");
    std::printf("| worker idle (re-score of the cached image) | %zu | %.3f | %.3f |\n", idle.size(),
                median(idle), maxOf(idle));
    std::printf("| during Run All | %zu | %.3f | %.3f |\n", busy.size(), median(busy), maxOf(busy));
    std::printf("| one Run All image (for comparison) | %zu | %.3f | %.3f |\n", perImage.size(),
                median(perImage), maxOf(perImage));
    std::printf("Run All: %d images in %.1f s\n", batchImages, runAllSeconds);
    return 0;
}
