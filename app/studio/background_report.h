#pragma once
// `zsi-studio --report background [--model BUNDLE] [--image IMG] [--unseen "a,b"] --out DIR`
// The background dock's views rendered offscreen for papers and checks.
// Writes into DIR: cosines.png, class_map.png, training.png, heatmap_P<l>.png (the image
// with the p(background) overlay of each FPN level), whatif.png (the instances of every
// background setting) and background.json (every number behind the plots). Needs a
// QApplication (the offscreen platform is fine).
#include <QString>
#include <QStringList>

namespace zsi {

struct BackgroundReportOptions {
    QString model;       // bundle folder
    QString image;       // empty: the first demo image when there is one, else no image views
    QStringList unseen;  // typed unseen classes
    QString out;         // output folder (created)
    QString dataDir;     // where the demo assets and word vectors are looked up
};

// Runs the report; prints what it wrote (stdout) or the error (stderr). Returns the exit code:
// 0 on success, 1 on any error (no model, unknown words, unwritable folder...).
int runBackgroundReport(const BackgroundReportOptions& options);

}  // namespace zsi
