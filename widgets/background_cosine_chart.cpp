#include "background_cosine_chart.h"

#include "similarity_chart.h"

#include <QLabel>
#include <QVBoxLayout>
#include "plot_util.h"
#include "qcustomplot_include.h"

#include <algorithm>

namespace zsi {

QColor BackgroundCosineChart::barColor(bool unseen, bool learned) {
    QColor c = SimilarityChart::kindColor(unseen ? ClassKind::Unseen : ClassKind::Seen);
    return learned ? c : c.lighter(160);
}

BackgroundCosineChart::BackgroundCosineChart(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    caption_ = new QLabel(this);
    caption_->setWordWrap(true);
    plot_ = new QCustomPlot(this);
    plot_->setMinimumHeight(160);
    plot_->yAxis->setRangeReversed(true);  // highest cosine on top
    placeLegendBelow(plot_);
    layout->addWidget(caption_);
    layout->addWidget(plot_, 1);
    clear();
}

QString BackgroundCosineChart::caption() const {
    return caption_->text();
}

void BackgroundCosineChart::clear() {
    shown_.clear();
    plot_->clearPlottables();
    caption_->setText(tr("Load a model to see where its background vector sits."));
    plot_->setVisible(false);
}

void BackgroundCosineChart::setAnalysis(const analysis::BackgroundAnalysis& a) {
    shown_ = a.classes;
    std::stable_sort(shown_.begin(), shown_.end(),
                     [](const analysis::ClassCosine& x, const analysis::ClassCosine& y) {
                         return x.cosLearned > y.cosLearned;
                     });
    if (int(shown_.size()) > maxBars_) shown_.resize(size_t(maxBars_));
    plot_->clearPlottables();

    // One series per (kind, vector): learned bars just above each tick, initial just below.
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    double lo = 0, hi = 0;
    for (size_t i = 0; i < shown_.size(); ++i) {
        ticker->addTick(double(i), QString::fromStdString(shown_[i].name));
        lo = std::min({lo, shown_[i].cosLearned, shown_[i].cosInitial});
        hi = std::max({hi, shown_[i].cosLearned, shown_[i].cosInitial});
    }
    const QString names[2][2] = {{tr("seen, initial"), tr("seen, learned V_b")},
                                 {tr("unseen, initial"), tr("unseen, learned V_b")}};
    for (int unseen = 0; unseen < 2; ++unseen)
        for (int learned = 1; learned >= 0; --learned) {
            QVector<double> keys, values;
            for (size_t i = 0; i < shown_.size(); ++i)
                if (shown_[i].unseen == bool(unseen)) {
                    keys << double(i) + (learned ? -0.19 : 0.19);
                    values << (learned ? shown_[i].cosLearned : shown_[i].cosInitial);
                }
            if (keys.isEmpty()) continue;
            auto* bars = new QCPBars(plot_->yAxis, plot_->xAxis);
            bars->setName(names[unseen][learned]);
            bars->setWidth(0.36);
            bars->setPen(Qt::NoPen);
            bars->setBrush(barColor(bool(unseen), bool(learned)));
            bars->setData(keys, values, true);
        }
    plot_->yAxis->setTicker(ticker);
    plot_->yAxis->setRange(-0.6, std::max<double>(1, shown_.size()) - 0.4);
    const double pad = 0.08 * std::max(1e-6, hi - lo);
    plot_->xAxis->setRange(std::min(0.0, lo - pad), std::max(0.0, hi + pad));
    plot_->xAxis->setLabel(tr("cosine to the background vector"));
    plot_->legend->setVisible(true);
    QString nearest;
    if (a.nearestToLearned >= 0)
        nearest = tr(" Nearest class: %1 (%2).")
                      .arg(QString::fromStdString(a.classes[size_t(a.nearestToLearned)].name))
                      .arg(a.classes[size_t(a.nearestToLearned)].cosLearned, 0, 'f', 3);
    caption_->setText(tr("|V_b| learned %1, initial %2; cos(learned, initial) %3.")
                          .arg(a.learnedNorm, 0, 'f', 3)
                          .arg(a.initialNorm, 0, 'f', 3)
                          .arg(a.cosLearnedInitial, 0, 'f', 3) +
                      nearest);
    plot_->setVisible(true);
    plot_->replot();
}

}  // namespace zsi
