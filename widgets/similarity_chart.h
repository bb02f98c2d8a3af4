#pragma once
// Bar chart of one instance's similarity to every class (seen, unseen and background in
// different colours), sorted, with the scoring rule named.
#include "data/instance.h"

#include <QWidget>

#include <string>
#include <vector>

class QCustomPlot;
class QLabel;

namespace zsi {

struct SimilarityEntry {
    QString name;
    float value = 0.f;
    ClassKind kind = ClassKind::Seen;
};

class SimilarityChart : public QWidget {
    Q_OBJECT
public:
    explicit SimilarityChart(QWidget* parent = nullptr);

    // Shows the entries sorted by decreasing value (at most maxBars, the strongest).
    void setSimilarities(std::vector<SimilarityEntry> entries, const QString& ruleName, const QString& title);
    void clear();
    void setMaxBars(int n) { maxBars_ = n; }

    // The order currently shown (for tests and tooltips).
    const std::vector<SimilarityEntry>& shown() const { return shown_; }
    QCustomPlot* plot() const { return plot_; }

    static QColor kindColor(ClassKind kind);

private:
    QCustomPlot* plot_ = nullptr;
    QLabel* caption_ = nullptr;
    std::vector<SimilarityEntry> shown_;
    int maxBars_ = 25;
};

}  // namespace zsi
