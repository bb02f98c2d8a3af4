#include "similarity_chart.h"

#include <QCheckBox>
#include <QFontMetrics>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>
#include "plot_util.h"
#include "qcustomplot_include.h"

#include <algorithm>

namespace zsi {

QColor SimilarityChart::kindColor(ClassKind kind) {
    switch (kind) {
        case ClassKind::Background:
            return QColor(120, 120, 120);
        case ClassKind::Seen:
            return QColor(66, 133, 244);
        case ClassKind::Unseen:
            return QColor(244, 160, 0);
    }
    return Qt::black;
}

namespace {
constexpr int kAxisMargins = 70;  // the value axis, its label and the legend below the bars
}

SimilarityChart::SimilarityChart(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    caption_ = new QLabel(this);
    caption_->setWordWrap(true);
    plot_ = new QCustomPlot;
    plot_->yAxis->setRangeReversed(true);  // strongest on top
    placeLegendBelow(plot_);
    scroll_ = new QScrollArea(this);
    scroll_->setWidget(plot_);
    scroll_->setWidgetResizable(true);
    scroll_->setFrameShape(QFrame::NoFrame);
    scroll_->setMinimumHeight(160);
    all_ = new QCheckBox(this);
    all_->setToolTip(
        tr("List every class in a scrollable chart instead of the strongest that fit"));
    layout->addWidget(caption_);
    layout->addWidget(scroll_, 1);
    layout->addWidget(all_);
    connect(all_, &QCheckBox::toggled, this, [this] { rebuild(); });
    clear();
}

int SimilarityChart::rowHeight() const {
    return QFontMetrics(plot_->yAxis->tickLabelFont()).height() + 4;
}

int SimilarityChart::rowsThatFit() const {
    // Before the widget is laid out on screen the viewport has no size yet: estimate it from
    // the widget's own height (minus the caption and the checkbox).
    const int available = isVisible() ? scroll_->viewport()->height() : height() - 60;
    return std::max(1, (available - kAxisMargins) / rowHeight());
}

void SimilarityChart::setShowAll(bool all) {
    all_->setChecked(all);
}
bool SimilarityChart::showAll() const {
    return all_->isChecked();
}

void SimilarityChart::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (!entries_.empty() && !all_->isChecked() &&
        int(shown_.size()) != std::min<int>(rowsThatFit(), int(entries_.size())))
        rebuild();
}

void SimilarityChart::clear() {
    entries_.clear();
    shown_.clear();
    plot_->clearPlottables();
    caption_->setText(tr("Select an instance to see its similarity to every class."));
    scroll_->setVisible(false);  // empty axes would only show meaningless ticks
    all_->setVisible(false);
}

void SimilarityChart::setSimilarities(std::vector<SimilarityEntry> entries, const QString& ruleName,
                                      const QString& title) {
    std::stable_sort(
        entries.begin(), entries.end(),
        [](const SimilarityEntry& a, const SimilarityEntry& b) { return a.value > b.value; });
    entries_ = std::move(entries);
    rule_ = ruleName;
    caption_->setText(title);
    scroll_->setVisible(true);
    all_->setVisible(true);
    rebuild();
}

void SimilarityChart::rebuild() {
    all_->setText(tr("Show all %1 classes").arg(entries_.size()));
    shown_ = entries_;
    if (all_->isChecked()) {
        // Every class on its own row: the chart grows and scrolls.
        plot_->setMinimumHeight(int(shown_.size()) * rowHeight() + kAxisMargins);
    } else {
        plot_->setMinimumHeight(0);
        if (int(shown_.size()) > rowsThatFit()) shown_.resize(size_t(rowsThatFit()));
    }
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
    plot_->xAxis->setLabel(tr("similarity (%1)").arg(rule_));
    plot_->legend->setVisible(true);
    plot_->replot();
}

}  // namespace zsi
