#pragma once
// "Class map": a 2-D PCA projection of every class vector (seen: circles, typed unseen:
// diamonds) with the learned V_b (red star) and the initial background vector (grey cross)
// highlighted, each point labelled, a tooltip on hover. Call setAnalysis() again whenever
// the classes change; the projection is recomputed by analysis::analyseBackground().
#include "analysis/background_analysis.h"

#include <QWidget>

class QCustomPlot;
class QLabel;
class QMouseEvent;

namespace zsi {

class ClassMapPlot : public QWidget {
    Q_OBJECT
public:
    explicit ClassMapPlot(QWidget* parent = nullptr);

    void setAnalysis(const analysis::BackgroundAnalysis& analysis);
    void clear();
    void setShowLabels(bool show);

    const analysis::Projection& projection() const { return projection_; }
    // The point under a widget position of the plot (within a few pixels), or -1.
    int pointAt(const QPointF& plotPixel) const;
    // Where a point is drawn, in the plot's pixel coordinates.
    QPointF pixelOf(int point) const;
    // The hover text of a point: name, kind, cosine to the learned and initial V_b.
    QString tooltipFor(int point) const;
    // Number of scatter series (one per kind present) and text labels, for tests.
    int labelCount() const;
    QCustomPlot* plot() const { return plot_; }

private:
    void onMouseMove(QMouseEvent* event);

    QCustomPlot* plot_ = nullptr;
    QLabel* caption_ = nullptr;
    analysis::Projection projection_;
    std::vector<analysis::ClassCosine> classes_;  // cosines, parallel to the class points
    bool showLabels_ = true;
};

}  // namespace zsi
