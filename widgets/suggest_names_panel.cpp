#include "suggest_names_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace zsi {

SuggestNamesPanel::SuggestNamesPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    suggest_ = new QPushButton(tr("Suggest Names"), this);
    suggest_->setToolTip(
        tr("Rank every word of the word vectors by the score the model would give the selected "
           "object if that word were a class: the model's own guesses of its name"));
    add_ = new QPushButton(tr("Add as Class"), this);
    add_->setToolTip(tr("Type the chosen word as an unseen class"));
    row->addWidget(suggest_);
    row->addWidget(add_);
    row->addStretch(1);
    caption_ = new QLabel(this);
    caption_->setWordWrap(true);
    list_ = new QListWidget(this);
    list_->setMaximumHeight(200);
    layout->addLayout(row);
    layout->addWidget(caption_);
    layout->addWidget(list_);
    connect(suggest_, &QPushButton::clicked, this, &SuggestNamesPanel::suggestRequested);
    auto addCurrent = [this] {
        if (list_->currentRow() >= 0) Q_EMIT addClassRequested(wordAt(list_->currentRow()));
    };
    connect(add_, &QPushButton::clicked, this, addCurrent);
    connect(list_, &QListWidget::itemDoubleClicked, this, addCurrent);
    connect(list_, &QListWidget::currentRowChanged, this,
            [this](int r) { add_->setEnabled(r >= 0); });
    setInstanceAvailable(false);
    clear();
}

void SuggestNamesPanel::setInstanceAvailable(bool available) {
    suggest_->setEnabled(available);
    if (!available) clear();
}

void SuggestNamesPanel::clear() {
    list_->clear();
    list_->hide();
    add_->setEnabled(false);
    caption_->setText(tr("Select an instance, then Suggest Names."));
}

void SuggestNamesPanel::setBusy() {
    list_->clear();
    add_->setEnabled(false);
    caption_->setText(tr("Ranking the words..."));
}

void SuggestNamesPanel::setError(const QString& message) {
    list_->clear();
    add_->setEnabled(false);
    caption_->setText(message);
}

void SuggestNamesPanel::setSuggestions(const std::vector<std::pair<QString, float>>& words,
                                       const QString& what, double ms) {
    list_->clear();
    for (const auto& [w, score] : words) {
        auto* item =
            new QListWidgetItem(QStringLiteral("%1    %2").arg(w).arg(score, 0, 'f', 3), list_);
        item->setData(Qt::UserRole, w);
        item->setToolTip(tr("Double-click to add \"%1\" as a class").arg(w));
    }
    caption_->setText(tr("Names the model would give %1 (%2 ms):").arg(what).arg(ms, 0, 'f', 0));
    list_->setVisible(list_->count() > 0);
    if (list_->count() > 0) list_->setCurrentRow(0);
}

int SuggestNamesPanel::count() const {
    return list_->count();
}

QString SuggestNamesPanel::wordAt(int row) const {
    const QListWidgetItem* item = list_->item(row);
    return item ? item->data(Qt::UserRole).toString() : QString();
}

}  // namespace zsi
