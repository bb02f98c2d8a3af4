#include "training_curves_plot.h"

#include <QLabel>
#include <QVBoxLayout>
#include "qcustomplot_include.h"

#include <algorithm>

namespace zsi {

TrainingCurvesPlot::TrainingCurvesPlot(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    caption_ = new QLabel(this);
    caption_->setWordWrap(true);
    plot_ = new QCustomPlot(this);
    plot_->setMinimumHeight(180);
    plot_->yAxis2->setVisible(true);
    plot_->legend->setVisible(true);
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignLeft);
    layout->addWidget(caption_);
    layout->addWidget(plot_, 1);
    clear();
}

QString TrainingCurvesPlot::caption() const {
    return caption_->text();
}

void TrainingCurvesPlot::clear(const QString& message) {
    series_.clear();
    plot_->clearGraphs();
    plot_->clearItems();
    caption_->setText(message.isEmpty()
                          ? tr("No training log with background vectors for this model.")
                          : message);
    plot_->setVisible(false);
}

std::vector<int> TrainingCurvesPlot::nearestChanges() const {
    std::vector<int> out;
    for (size_t i = 0; i < series_.size(); ++i)
        if (i == 0 || series_[i].nearestClass != series_[i - 1].nearestClass)
            out.push_back(series_[i].iteration);
    return out;
}

void TrainingCurvesPlot::setSeries(const std::vector<analysis::BackgroundSeriesPoint>& series) {
    if (series.empty()) {
        clear();
        return;
    }
    series_ = series;
    plot_->clearGraphs();
    plot_->clearItems();
    QVector<double> it, cosInit, cosNear, norms;
    double nlo = series_.front().norm, nhi = nlo, clo = 1, chi = -1;
    for (const auto& p : series_) {
        it << p.iteration;
        cosInit << p.cosInitial;
        cosNear << p.nearestCos;
        norms << p.norm;
        nlo = std::min(nlo, p.norm);
        nhi = std::max(nhi, p.norm);
        clo = std::min({clo, p.cosInitial, p.nearestCos});
        chi = std::max({chi, p.cosInitial, p.nearestCos});
    }
    auto addLine = [&](const QVector<double>& y, QCPAxis* axis, const QColor& color,
                       const QString& name) {
        QCPGraph* g = plot_->addGraph(plot_->xAxis, axis);
        g->setName(name);
        g->setPen(QPen(color, 2));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
        g->setData(it, y, true);
        return g;
    };
    addLine(cosInit, plot_->yAxis, QColor(219, 68, 55), tr("cos to initial"));
    addLine(cosNear, plot_->yAxis, QColor(66, 133, 244), tr("cos to nearest class"));
    addLine(norms, plot_->yAxis2, QColor(90, 90, 90), tr("norm |V_b| (right axis)"));

    // Name the nearest class where it changes, so the plot tells which class V_b drifts to.
    for (size_t i = 0; i < series_.size(); ++i) {
        if (i > 0 && series_[i].nearestClass == series_[i - 1].nearestClass) continue;
        auto* label = new QCPItemText(plot_);
        label->position->setAxes(plot_->xAxis, plot_->yAxis);
        label->position->setCoords(series_[i].iteration, series_[i].nearestCos);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        label->setText(QString::fromStdString(series_[i].nearestName));
        label->setColor(QColor(66, 133, 244));
        label->setRotation(-30);
    }
    const double first = it.front(), last = std::max(it.back(), it.front() + 1);
    // Room on the left for the first class label, on the right for the last point.
    plot_->xAxis->setRange(first - 0.04 * (last - first), last + 0.08 * (last - first));
    const double cpad = 0.1 * std::max(1e-3, chi - clo);
    plot_->yAxis->setRange(clo - cpad, chi + 2 * cpad);
    const double npad = 0.1 * std::max(1e-3 * std::max(1.0, nhi), nhi - nlo);
    plot_->yAxis2->setRange(nlo - npad, nhi + npad);
    plot_->xAxis->setLabel(tr("iteration"));
    plot_->yAxis->setLabel(tr("cosine"));
    plot_->yAxis2->setLabel(tr("norm"));
    const auto& end = series_.back();
    caption_->setText(
        tr("%1 samples of V_b; at iteration %2: cos to initial %3, norm %4, nearest class %5 (%6).")
            .arg(series_.size())
            .arg(end.iteration)
            .arg(end.cosInitial, 0, 'f', 4)
            .arg(end.norm, 0, 'f', 3)
            .arg(QString::fromStdString(end.nearestName))
            .arg(end.nearestCos, 0, 'f', 3));
    plot_->setVisible(true);
    plot_->replot();
}

}  // namespace zsi
