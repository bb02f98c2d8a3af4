#include "similarity_chart.h"

#include <QLabel>
#include <QVBoxLayout>
#include "plot_util.h"
#include "qcustomplot_include.h"

#include <algorithm>

namespace zsi {

QColor SimilarityChart::kindColor(ClassKind kind) {
    switch (kind) {
        case ClassKind::Background: return QColor(120, 120, 120);
        case ClassKind::Seen: return QColor(66, 133, 244);
        case ClassKind::Unseen: return QColor(244, 160, 0);
    }
    return Qt::black;
}

SimilarityChart::SimilarityChart(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    caption_ = new QLabel(this);
    caption_->setWordWrap(true);
    plot_ = new QCustomPlot(this);
    plot_->setMinimumHeight(160);
    plot_->yAxis->setRangeReversed(true);  // strongest on top
    placeLegendBelow(plot_);
    layout->addWidget(caption_);
    layout->addWidget(plot_, 1);
    clear();
}

void SimilarityChart::clear() {
    shown_.clear();
    plot_->clearPlottables();
    caption_->setText(tr("Select an instance to see its similarity to every class."));
    plot_->setVisible(false);  // empty axes would only show meaningless ticks
}

void SimilarityChart::setSimilarities(std::vector<SimilarityEntry> entries, const QString& ruleName,
                                      const QString& title) {
    std::stable_sort(entries.begin(), entries.end(),
                     [](const SimilarityEntry& a, const SimilarityEntry& b) { return a.value > b.value; });
    if (static_cast<int>(entries.size()) > maxBars_) entries.resize(static_cast<size_t>(maxBars_));
    shown_ = entries;
    plot_->clearPlottables();

    // One QCPBars per kind so the legend can name seen / unseen / background.
    const ClassKind kinds[] = {ClassKind::Seen, ClassKind::Unseen, ClassKind::Background};
    const QString kindNames[] = {tr("seen"), tr("unseen"), tr("background")};
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    double lo = 0, hi = 0;
    for (size_t i = 0; i < shown_.size(); ++i) {
        ticker->addTick(double(i), shown_[i].name);
        lo = std::min(lo, double(shown_[i].value));
        hi = std::max(hi, double(shown_[i].value));
    }
    for (int k = 0; k < 3; ++k) {
        QVector<double> keys, values;
        for (size_t i = 0; i < shown_.size(); ++i)
            if (shown_[i].kind == kinds[k]) {
                keys << double(i);
                values << shown_[i].value;
            }
        if (keys.isEmpty()) continue;
        auto* bars = new QCPBars(plot_->yAxis, plot_->xAxis);
        bars->setName(kindNames[k]);
        bars->setWidth(0.7);
        bars->setPen(Qt::NoPen);
        bars->setBrush(kindColor(kinds[k]));
        bars->setData(keys, values, true);
    }
    plot_->yAxis->setTicker(ticker);
    plot_->yAxis->setRange(-0.6, std::max<double>(1, shown_.size()) - 0.4);
    const double pad = 0.08 * std::max(1e-6, hi - lo);
    plot_->xAxis->setRange(std::min(0.0, lo - pad), std::max(0.0, hi + pad));
    plot_->xAxis->setLabel(tr("similarity (%1)").arg(ruleName));
    plot_->legend->setVisible(true);
    caption_->setText(title);
    plot_->setVisible(true);
    plot_->replot();
}

}  // namespace zsi
