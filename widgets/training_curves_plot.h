#pragma once
// "How it was learned": V_b over the training iterations from the model's training log: its
// cosine to the initial background vector and to its nearest class (left axis), its norm
// (right axis), and the nearest class's name wherever it changes.
#include "analysis/training_log.h"

#include <QWidget>

#include <vector>

class QCustomPlot;
class QLabel;

namespace zsi {

class TrainingCurvesPlot : public QWidget {
    Q_OBJECT
public:
    explicit TrainingCurvesPlot(QWidget* parent = nullptr);

    void setSeries(const std::vector<analysis::BackgroundSeriesPoint>& series);
    // No curves; `message` says why (no log, unreadable log...).
    void clear(const QString& message = QString());

    const std::vector<analysis::BackgroundSeriesPoint>& series() const { return series_; }
    // Iterations at which the nearest class changes (the first point included): the labels.
    std::vector<int> nearestChanges() const;
    QString caption() const;
    QCustomPlot* plot() const { return plot_; }

private:
    QCustomPlot* plot_ = nullptr;
    QLabel* caption_ = nullptr;
    std::vector<analysis::BackgroundSeriesPoint> series_;
};

}  // namespace zsi
