#include "classes_panel.h"

#include "class_colors.h"
#include "semantics/class_name.h"
#include "util/error.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace zsi {

ClassesPanel::ClassesPanel(ReviewSession* session, QWidget* parent)
    : QWidget(parent), session_(session) {
    auto* layout = new QVBoxLayout(this);

    auto* unseenBox = new QGroupBox(tr("Unseen classes (typed)"), this);
    auto* ul = new QVBoxLayout(unseenBox);
    input_ = new QLineEdit(unseenBox);
    input_->setPlaceholderText(tr("Type a class name and press Enter (synonyms: couch | sofa)"));
    input_->setClearButtonEnabled(true);
    message_ = new QLabel(unseenBox);
    message_->setWordWrap(true);
    message_->setStyleSheet(QStringLiteral("color: #c62828;"));
    message_->hide();
    unseenList_ = new QListWidget(unseenBox);
    unseenList_->setEditTriggers(QAbstractItemView::DoubleClicked |
                                 QAbstractItemView::EditKeyPressed);
    removeButton_ = new QPushButton(tr("Remove"), unseenBox);
    removeButton_->setEnabled(false);
    ul->addWidget(input_);
    ul->addWidget(message_);
    ul->addWidget(unseenList_, 1);
    ul->addWidget(removeButton_, 0, Qt::AlignRight);

    auto* scoring = new QGroupBox(tr("Scoring"), this);
    auto* form = new QFormLayout(scoring);
    mode_ = new QComboBox(scoring);
    mode_->addItem(tr("ZSI: unseen classes only"), int(InferenceMode::Zsi));
    mode_->addItem(tr("GZSI: seen and unseen"), int(InferenceMode::Gzsi));
    mode_->addItem(tr("Seen classes only"), int(InferenceMode::Seen));
    rule_ = new QComboBox(scoring);
    rule_->addItem(tr("Reference (published code)"), int(ScoringRule::Reference));
    rule_->addItem(tr("Direct (paper text)"), int(ScoringRule::Direct));
    scoreThreshold_ = new QDoubleSpinBox(scoring);
    scoreThreshold_->setRange(0.0, 1.0);
    scoreThreshold_->setSingleStep(0.05);
    scoreThreshold_->setDecimals(2);
    scoreThreshold_->setValue(0.05);
    maskThreshold_ = new QDoubleSpinBox(scoring);
    maskThreshold_->setRange(0.05, 0.95);
    maskThreshold_->setSingleStep(0.05);
    maskThreshold_->setDecimals(2);
    maskThreshold_->setValue(0.5);
    oneLabel_ = new QCheckBox(tr("One label per object"), scoring);
    oneLabel_->setChecked(true);
    mode_->setToolTip(
        tr("ZSI finds only the classes you type. GZSI finds the model's seen classes and "
           "yours together. Seen only ignores typed classes."));
    rule_->setToolTip(
        tr("How detections are scored against class vectors. Reference: the published code "
           "(softmax over the seen classes, then projected onto yours); the published "
           "checkpoints need it. Direct: a softmax over your classes and the background "
           "(the paper's text); often better for new combinations of known words."));
    scoreThreshold_->setToolTip(tr("Detections scoring below this are not shown (0 to 1)."));
    maskThreshold_->setToolTip(
        tr("A pixel belongs to the mask when its probability is above this "
           "(0 to 1; lower grows the masks)."));
    oneLabel_->setToolTip(
        tr("Keep the best class of each object and list the others as its alternatives "
           "(for annotation). Off: every class an object scores is its own detection, "
           "as in the paper and COCO evaluation."));
    form->addRow(tr("Mode"), mode_);
    form->addRow(tr("Rule"), rule_);
    form->addRow(tr("Score threshold"), scoreThreshold_);
    form->addRow(tr("Mask threshold"), maskThreshold_);
    form->addRow(QString(), oneLabel_);

    auto* seenBox = new QGroupBox(tr("Seen classes (model)"), this);
    auto* sl = new QVBoxLayout(seenBox);
    seenList_ = new QListWidget(seenBox);
    sl->addWidget(seenList_);

    layout->addWidget(unseenBox, 3);
    layout->addWidget(scoring);
    layout->addWidget(seenBox, 2);

    connect(input_, &QLineEdit::returnPressed, this, [this] {
        if (addClass(input_->text())) input_->clear();
    });
    connect(input_, &QLineEdit::textEdited, this, [this] { message_->hide(); });
    connect(unseenList_, &QListWidget::itemSelectionChanged, this,
            [this] { removeButton_->setEnabled(!unseenList_->selectedItems().isEmpty()); });
    connect(removeButton_, &QPushButton::clicked, this, [this] {
        if (unseenList_->currentRow() >= 0) session_->removeClass(unseenList_->currentRow());
    });
    connect(unseenList_, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        if (updating_) return;
        const int row = unseenList_->row(item);
        // A refused name goes back to what it was.
        if (!renameClass(row, item->text())) refreshUnseenList();
    });
    connect(seenList_, &QListWidget::itemChanged, this, [this] {
        if (!updating_) Q_EMIT visibilityChanged();
    });
    for (QComboBox* c : {mode_, rule_})
        connect(c, qOverload<int>(&QComboBox::currentIndexChanged), this,
                &ClassesPanel::storeSettings);
    for (QDoubleSpinBox* s : {scoreThreshold_, maskThreshold_})
        connect(s, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
                &ClassesPanel::storeSettings);
    connect(oneLabel_, &QCheckBox::toggled, this, &ClassesPanel::storeSettings);

    connect(session_, &ReviewSession::classesChanged, this, [this] {
        refreshSeenList();
        refreshUnseenList();
    });
    connect(session_, &ReviewSession::settingsChanged, this, &ClassesPanel::showSettings);
    refreshSeenList();
    refreshUnseenList();
    showSettings();
}

void ClassesPanel::refreshSeenList() {
    const QStringList& seen = session_->model().seenClasses;
    if (seen == shownSeen_) return;  // the same model's classes: keep the user's toggles
    shownSeen_ = seen;
    updating_ = true;
    seenList_->clear();
    for (int i = 0; i < seen.size(); ++i) {
        auto* item = new QListWidgetItem(seen[i], seenList_);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
        QPixmap swatch(12, 12);
        swatch.fill(classColor(i));
        item->setIcon(QIcon(swatch));
    }
    updating_ = false;
    Q_EMIT visibilityChanged();
}

QString ClassesPanel::describe(const semantics::ClassEmbedding& e) const {
    QStringList parts;
    const auto missing = e.missingWords();
    if (!missing.empty()) {
        QStringList words;
        for (const auto& w : missing) words << QString::fromStdString(w);
        parts << tr("unknown words: %1").arg(words.join(QStringLiteral(", ")));
    }
    const auto sub = e.subwordWords();
    if (!sub.empty()) {
        QStringList words;
        for (const auto& w : sub) words << QString::fromStdString(w);
        parts << tr("built from subwords: %1").arg(words.join(QStringLiteral(", ")));
    }
    if (e.ok()) {
        QStringList near;
        for (const auto& m : session_->vocabulary().nearestClasses(e.vector, 4))
            if (m.seen)
                near << QStringLiteral("%1 %2")
                            .arg(QString::fromStdString(m.name))
                            .arg(m.cosine, 0, 'f', 2);
        if (!near.isEmpty()) parts << tr("nearest seen: %1").arg(near.join(QStringLiteral(", ")));
    }
    return parts.join(QStringLiteral("; "));
}

bool ClassesPanel::refuse(const QString& rawName, const ClassEdit& e) {
    const QString name = rawName.trimmed();
    QString why;
    switch (e.refusal) {
        case ClassEdit::Refusal::None:
        case ClassEdit::Refusal::Empty:
            return e.ok();
        case ClassEdit::Refusal::NoModel:
            why = tr("No model is loaded yet.");
            break;
        case ClassEdit::Refusal::CannotEmbed:
            why = e.reason.isEmpty() ? tr("'%1' cannot be used: %2").arg(name, describe(e.analysis))
                                     : e.reason;
            break;
        case ClassEdit::Refusal::Rejected:
            why = tr("'%1' cannot be added: %2").arg(name, e.reason);
            break;
    }
    message_->setText(why);
    message_->show();
    return false;
}

bool ClassesPanel::addClass(const QString& name) {
    const ClassEdit e = session_->addClass(name);
    if (!e.ok()) return refuse(name, e);
    message_->hide();
    return true;
}

bool ClassesPanel::renameClass(int index, const QString& name) {
    const ClassEdit e = session_->renameClass(index, name);
    if (!e.ok()) return refuse(name, e);
    message_->hide();
    return true;
}

void ClassesPanel::refreshUnseenList() {
    const semantics::ClassVocabulary& vocabulary = session_->vocabulary();
    const auto& analyses = session_->unseenAnalyses();
    updating_ = true;
    unseenList_->clear();
    const int seenCount = int(vocabulary.seenCount());
    for (size_t i = 0; i < vocabulary.unseenCount(); ++i) {
        auto* item =
            new QListWidgetItem(QString::fromStdString(vocabulary.unseen()[i].name), unseenList_);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
        QPixmap swatch(12, 12);
        swatch.fill(classColor(seenCount + int(i)));
        item->setIcon(QIcon(swatch));
        if (i < analyses.size()) {
            const QString info = describe(analyses[i]);
            item->setToolTip(info);
            item->setStatusTip(info);
            if (analyses[i].builtFromSubwords()) item->setForeground(QColor(230, 124, 0));
        }
    }
    updating_ = false;
}

// The widgets edit part of the session's settings; the rest travels through unchanged.
void ClassesPanel::storeSettings() {
    InferenceSettings s = session_->settings();
    s.mode = InferenceMode(mode_->currentData().toInt());
    s.scoring = ScoringRule(rule_->currentData().toInt());
    s.scoreThreshold = scoreThreshold_->value();
    s.maskThreshold = maskThreshold_->value();
    s.oneLabelPerObject = oneLabel_->isChecked();
    session_->setSettings(s);
}

void ClassesPanel::showSettings() {
    const InferenceSettings& s = session_->settings();
    const QSignalBlocker b1(mode_), b2(rule_), b3(scoreThreshold_), b4(maskThreshold_),
        b5(oneLabel_);
    oneLabel_->setChecked(s.oneLabelPerObject);
    mode_->setCurrentIndex(mode_->findData(int(s.mode)));
    rule_->setCurrentIndex(rule_->findData(int(s.scoring)));
    scoreThreshold_->setValue(s.scoreThreshold);
    maskThreshold_->setValue(s.maskThreshold);
}

std::vector<int> ClassesPanel::hiddenSeenClasses() const {
    std::vector<int> out;
    for (int i = 0; i < seenList_->count(); ++i)
        if (seenList_->item(i)->checkState() != Qt::Checked) out.push_back(i);
    return out;
}

QString ClassesPanel::lastMessage() const {
    return message_->isVisible() || !message_->text().isEmpty() ? message_->text() : QString();
}

}  // namespace zsi
