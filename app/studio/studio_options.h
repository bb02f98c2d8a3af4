#pragma once
// Command-line options of zsi-studio.
#include <QString>
#include <QStringList>

namespace zsi {

struct StudioOptions {
    QString dataDir;     // --data-dir
    QString screenshot;  // --screenshot FILE
    bool quit = false;   // --quit (after the screenshot / report)
    QString image;       // --image IMG
    QStringList unseen;  // --unseen "a,b"
    int select = -1;     // --select N
    QString report;      // --report background
    QString out;         // --out DIR
    QString model;       // --model BUNDLE
    QStringList files;   // positional: images or folders to open
};

// Parses QCoreApplication::arguments(); exits the process on --help / --version / errors.
StudioOptions parseStudioOptions();

// True when argv asks for an offscreen job (screenshot or report), checked before the
// QApplication exists so the offscreen platform can be chosen.
bool wantsOffscreen(int argc, char** argv);

}  // namespace zsi
