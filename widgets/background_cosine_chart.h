#pragma once
// "Where V_b sits": bar chart of the cosine of the learned background vector V_b and of the
// initial background vector to every seen and typed unseen class (seen / unseen in their
// similarity-chart colours; learned solid, initial pale), sorted by the learned cosine, with
// both norms in the caption.
#include "analysis/background_analysis.h"

#include <QColor>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QLabel;

namespace zsi {

class BackgroundCosineChart : public QWidget {
    Q_OBJECT
public:
    explicit BackgroundCosineChart(QWidget* parent = nullptr);

    void setAnalysis(const analysis::BackgroundAnalysis& analysis);
    void clear();
    void setMaxBars(int n) { maxBars_ = n; }

    // Classes in the order shown (top first), for tests and tooltips.
    const std::vector<analysis::ClassCosine>& shown() const { return shown_; }
    QString caption() const;
    QCustomPlot* plot() const { return plot_; }

    // Bar colour of a class kind, for the learned (solid) or initial (pale) vector.
    static QColor barColor(bool unseen, bool learned);

private:
    QCustomPlot* plot_ = nullptr;
    QLabel* caption_ = nullptr;
    std::vector<analysis::ClassCosine> shown_;
    int maxBars_ = 40;
};

}  // namespace zsi
