#pragma once
// Bar chart of one instance's similarity to every class (seen, unseen and background in
// different colours), sorted, with the scoring rule named. Shows as many of the strongest
// classes as fit the widget's height with readable labels (one row per class, never two
// labels on one row); "Show all" lists every class in a scrollable chart.
#include "data/instance.h"

#include <QWidget>

#include <string>
#include <vector>

class QCheckBox;
class QCustomPlot;
class QLabel;
class QScrollArea;

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

    // Shows the entries sorted by decreasing value: the strongest that fit, or all.
    void setSimilarities(std::vector<SimilarityEntry> entries, const QString& ruleName,
                         const QString& title);
    void clear();
    void setShowAll(bool all);
    bool showAll() const;

    // The order currently shown (for tests and tooltips).
    const std::vector<SimilarityEntry>& shown() const { return shown_; }
    QCustomPlot* plot() const { return plot_; }
    // Pixels per class row (a label's height plus spacing).
    int rowHeight() const;

    static QColor kindColor(ClassKind kind);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuild();
    int rowsThatFit() const;

    QCustomPlot* plot_ = nullptr;
    QScrollArea* scroll_ = nullptr;
    QLabel* caption_ = nullptr;
    QCheckBox* all_ = nullptr;
    std::vector<SimilarityEntry> entries_;  // sorted, every class
    std::vector<SimilarityEntry> shown_;
    QString rule_;
};

}  // namespace zsi
