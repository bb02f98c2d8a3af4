#include "class_map_plot.h"

#include "similarity_chart.h"

#include <QLabel>
#include <QToolTip>
#include <QVBoxLayout>
#include "qcustomplot_include.h"

#include <cmath>

namespace zsi {
namespace {

using analysis::PointKind;

QColor pointColor(PointKind k) {
    switch (k) {
        case PointKind::Seen:
            return SimilarityChart::kindColor(ClassKind::Seen);
        case PointKind::Unseen:
            return SimilarityChart::kindColor(ClassKind::Unseen);
        case PointKind::LearnedBackground:
            return QColor(219, 68, 55);
        case PointKind::InitialBackground:
            return QColor(90, 90, 90);
    }
    return Qt::black;
}

QCPScatterStyle pointStyle(PointKind k) {
    switch (k) {
        case PointKind::Seen:
            return QCPScatterStyle(QCPScatterStyle::ssDisc, pointColor(k), 7);
        case PointKind::Unseen:
            return QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(pointColor(k), 2),
                                   pointColor(k), 10);
        case PointKind::LearnedBackground:
            return QCPScatterStyle(QCPScatterStyle::ssStar, QPen(pointColor(k), 2.5), Qt::NoBrush,
                                   16);
        case PointKind::InitialBackground:
            return QCPScatterStyle(QCPScatterStyle::ssCrossCircle, QPen(pointColor(k), 2),
                                   Qt::NoBrush, 14);
    }
    return {};
}

}  // namespace

ClassMapPlot::ClassMapPlot(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    caption_ = new QLabel(this);
    caption_->setWordWrap(true);
    plot_ = new QCustomPlot(this);
    plot_->setMinimumHeight(200);
    plot_->setMouseTracking(true);
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->legend->setVisible(false);
    connect(plot_, &QCustomPlot::mouseMove, this, &ClassMapPlot::onMouseMove);
    layout->addWidget(caption_);
    layout->addWidget(plot_, 1);
    clear();
}

void ClassMapPlot::clear() {
    projection_ = {};
    classes_.clear();
    plot_->clearGraphs();
    plot_->clearItems();
    caption_->setText(tr("Load a model to see its class map."));
    plot_->setVisible(false);
}

void ClassMapPlot::setShowLabels(bool show) {
    showLabels_ = show;
    for (int i = 0; i < plot_->itemCount(); ++i) plot_->item(i)->setVisible(show);
    plot_->replot();
}

int ClassMapPlot::labelCount() const {
    return plot_->itemCount();
}

void ClassMapPlot::setAnalysis(const analysis::BackgroundAnalysis& a) {
    projection_ = a.projection;
    classes_ = a.classes;
    plot_->clearGraphs();
    plot_->clearItems();
    const PointKind kinds[] = {PointKind::Seen, PointKind::Unseen, PointKind::InitialBackground,
                               PointKind::LearnedBackground};
    const QString kindNames[] = {tr("seen classes"), tr("unseen classes"), tr("initial background"),
                                 tr("learned V_b")};
    double xlo = 0, xhi = 0, ylo = 0, yhi = 0;
    for (int k = 0; k < 4; ++k) {
        QVector<double> xs, ys;
        for (const auto& p : projection_.points)
            if (p.kind == kinds[k]) {
                xs << p.x;
                ys << p.y;
            }
        if (xs.isEmpty()) continue;
        QCPGraph* g = plot_->addGraph();
        g->setName(kindNames[k]);
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(pointStyle(kinds[k]));
        g->setData(xs, ys);  // unsorted on purpose: the data are points, not a curve
    }
    for (const auto& p : projection_.points) {
        xlo = std::min(xlo, p.x);
        xhi = std::max(xhi, p.x);
        ylo = std::min(ylo, p.y);
        yhi = std::max(yhi, p.y);
        auto* label = new QCPItemText(plot_);
        label->position->setCoords(p.x, p.y);
        const bool bg =
            p.kind == PointKind::LearnedBackground || p.kind == PointKind::InitialBackground;
        // The two background vectors often sit on top of each other: learned above, initial below.
        const bool below = p.kind == PointKind::InitialBackground;
        label->setPositionAlignment(Qt::AlignLeft | (below ? Qt::AlignTop : Qt::AlignBottom));
        label->setPadding(below ? QMargins(8, 2, 0, 0) : QMargins(6, 0, 0, 2));
        label->setText(
            bg ? (p.kind == PointKind::LearnedBackground ? tr("V_b learned") : tr("V_b initial"))
               : QString::fromStdString(p.name));
        QFont f = plot_->font();
        f.setPointSizeF(f.pointSizeF() * 0.85);
        f.setBold(bg);
        label->setFont(f);
        label->setColor(pointColor(p.kind));
        label->setVisible(showLabels_);
    }
    const double px = 0.12 * std::max(1e-6, xhi - xlo), py = 0.12 * std::max(1e-6, yhi - ylo);
    plot_->xAxis->setRange(xlo - px, xhi + 2 * px);  // room for the labels on the right
    plot_->yAxis->setRange(ylo - py, yhi + py);
    plot_->xAxis->setLabel(
        tr("PC 1 (%1% of the variance)").arg(100 * projection_.explained[0], 0, 'f', 0));
    plot_->yAxis->setLabel(tr("PC 2 (%1%)").arg(100 * projection_.explained[1], 0, 'f', 0));
    plot_->legend->setVisible(true);
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    caption_->setText(projection_.normalised
                          ? tr("PCA of the class vectors and both background vectors, each scaled "
                               "to unit length.")
                          : tr("PCA of the class vectors and both background vectors."));
    plot_->setVisible(true);
    plot_->replot();
}

QPointF ClassMapPlot::pixelOf(int i) const {
    if (i < 0 || i >= int(projection_.points.size())) return {};
    const auto& p = projection_.points[size_t(i)];
    return {plot_->xAxis->coordToPixel(p.x), plot_->yAxis->coordToPixel(p.y)};
}

int ClassMapPlot::pointAt(const QPointF& pixel) const {
    int best = -1;
    double bestD = 8.0;  // pixels
    for (int i = 0; i < int(projection_.points.size()); ++i) {
        const QPointF d = pixelOf(i) - pixel;
        const double dist = std::hypot(d.x(), d.y());
        if (dist <= bestD) {
            bestD = dist;
            best = i;
        }
    }
    return best;
}

QString ClassMapPlot::tooltipFor(int i) const {
    if (i < 0 || i >= int(projection_.points.size())) return {};
    const auto& p = projection_.points[size_t(i)];
    if (i < int(classes_.size())) {
        const auto& c = classes_[size_t(i)];
        return tr("%1 (%2)\ncos to learned V_b: %3\ncos to initial: %4\nnorm: %5")
            .arg(QString::fromStdString(c.name), c.unseen ? tr("unseen") : tr("seen"))
            .arg(c.cosLearned, 0, 'f', 3)
            .arg(c.cosInitial, 0, 'f', 3)
            .arg(c.norm, 0, 'f', 3);
    }
    return p.kind == PointKind::LearnedBackground ? tr("learned background vector V_b")
                                                  : tr("initial background vector");
}

void ClassMapPlot::onMouseMove(QMouseEvent* event) {
    const int i = pointAt(event->position());
    if (i < 0)
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), tooltipFor(i), plot_);
}

}  // namespace zsi
