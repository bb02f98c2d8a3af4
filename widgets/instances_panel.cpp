#include "instances_panel.h"

#include "data/export_formats.h"

#include "class_colors.h"
#include "review_session.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace zsi {

std::vector<InstanceRow> instanceRows(const AnnotationDocument& doc, int64_t imageId) {
    std::vector<InstanceRow> rows;
    for (const auto& a : doc.annotations(imageId)) {
        InstanceRow r;
        r.id = a.id;
        r.categoryId = a.categoryId;
        const coco::Category* c = doc.category(a.categoryId);
        r.className = c ? QString::fromStdString(c->name) : QString::number(a.categoryId);
        r.score = a.score;
        r.area = int(a.area);
        r.source = doc.source(a.id);
        r.review = doc.review(a.id);
        if (const auto it = a.extra.find(kZsiAlternatives); it != a.extra.end() && it->is_array())
            for (const auto& alt : *it)
                if (alt.is_object() && alt.contains("class") && alt["class"].is_string())
                    r.alternatives << QString::fromStdString(alt["class"].get<std::string>());
        rows.push_back(r);
    }
    return rows;
}

void InstancesPanel::setSession(ReviewSession* session) {
    session_ = session;
    connect(session, &ReviewSession::rowsChanged, this, &InstancesPanel::showSession);
    connect(this, &InstancesPanel::acceptRequested, session,
            [session](const QList<int>& rows) { session->setReview(rows, ReviewState::Accepted); });
    connect(this, &InstancesPanel::rejectRequested, session,
            [session](const QList<int>& rows) { session->setReview(rows, ReviewState::Rejected); });
    connect(this, &InstancesPanel::relabelRequested, session, &ReviewSession::relabel);
    connect(this, &InstancesPanel::deleteRequested, session, &ReviewSession::removeRows);
    connect(this, &InstancesPanel::acceptAboveRequested, session, &ReviewSession::acceptAllAbove);
    showSession();
}

void InstancesPanel::showSession() {
    const AnnotationDocument& doc = session_->document();
    QList<QPair<qint64, QString>> classes;
    for (const auto& c : doc.categories()) classes.append({c.id, QString::fromStdString(c.name)});
    setClasses(classes);
    const int64_t image = session_->currentImageId();
    setRows(image ? instanceRows(doc, image) : std::vector<InstanceRow>{});
}

namespace {

enum Column { ColClass, ColScore, ColArea, ColSource, ColReview, ColCount };

QToolButton* buttonFor(QAction* a, QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setDefaultAction(a);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return b;
}

}  // namespace

InstancesPanel::InstancesPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto* filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Class:"), this));
    classFilter_ = new QComboBox(this);
    classFilter_->addItem(tr("All classes"), qint64(0));
    filters->addWidget(classFilter_, 1);
    filters->addWidget(new QLabel(tr("Min. score:"), this));
    minScore_ = new QDoubleSpinBox(this);
    minScore_->setRange(0.0, 1.0);
    minScore_->setSingleStep(0.05);
    minScore_->setDecimals(2);
    minScore_->setToolTip(tr("Hide model instances scoring below this value"));
    filters->addWidget(minScore_);
    layout->addLayout(filters);

    table_ = new QTableWidget(0, ColCount, this);
    table_->setHorizontalHeaderLabels(
        {tr("Class"), tr("Score"), tr("Area"), tr("Source"), tr("Review")});
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->setVisible(false);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->horizontalHeader()->setSectionResizeMode(ColClass, QHeaderView::Stretch);
    layout->addWidget(table_, 1);

    accept_ = new QAction(tr("Accept"), this);
    accept_->setToolTip(tr("Accept the selected instances"));
    reject_ = new QAction(tr("Reject"), this);
    reject_->setToolTip(tr("Reject the selected instances (kept in the file as rejected)"));
    delete_ = new QAction(tr("Delete"), this);
    delete_->setToolTip(tr("Remove the selected instances from the document"));
    relabel_ = new QAction(tr("Relabel"), this);
    relabel_->setToolTip(tr("Give the selected instances the chosen class"));
    acceptAbove_ = new QAction(tr("Accept all above"), this);
    acceptAbove_->setToolTip(
        tr("Accept every pending instance of this image scoring at least the threshold"));

    auto* review = new QHBoxLayout;
    review->addWidget(buttonFor(accept_, this));
    review->addWidget(buttonFor(reject_, this));
    review->addWidget(buttonFor(delete_, this));
    review->addStretch(1);
    layout->addLayout(review);

    auto* relabelRow = new QHBoxLayout;
    relabelChooser_ = new QComboBox(this);
    relabelChooser_->setToolTip(tr("Class for relabelling"));
    relabelRow->addWidget(relabelChooser_, 1);
    relabelRow->addWidget(buttonFor(relabel_, this));
    layout->addLayout(relabelRow);

    auto* aboveRow = new QHBoxLayout;
    acceptAboveSpin_ = new QDoubleSpinBox(this);
    acceptAboveSpin_->setRange(0.0, 1.0);
    acceptAboveSpin_->setSingleStep(0.05);
    acceptAboveSpin_->setDecimals(2);
    acceptAboveSpin_->setValue(0.8);
    aboveRow->addWidget(buttonFor(acceptAbove_, this));
    aboveRow->addWidget(acceptAboveSpin_);
    aboveRow->addStretch(1);
    layout->addLayout(aboveRow);

    connect(accept_, &QAction::triggered, this, [this] {
        if (const auto t = targets(); !t.isEmpty()) Q_EMIT acceptRequested(t);
    });
    connect(reject_, &QAction::triggered, this, [this] {
        if (const auto t = targets(); !t.isEmpty()) Q_EMIT rejectRequested(t);
    });
    connect(delete_, &QAction::triggered, this, [this] {
        if (const auto t = targets(); !t.isEmpty()) Q_EMIT deleteRequested(t);
    });
    connect(relabel_, &QAction::triggered, this, [this] {
        const auto t = targets();
        if (!t.isEmpty() && relabelCategory() != 0) Q_EMIT relabelRequested(t, relabelCategory());
    });
    connect(acceptAbove_, &QAction::triggered, this,
            [this] { Q_EMIT acceptAboveRequested(acceptAboveSpin_->value()); });
    connect(classFilter_, &QComboBox::currentIndexChanged, this, [this] {
        rebuild();
        Q_EMIT filtersChanged();
    });
    connect(minScore_, &QDoubleSpinBox::valueChanged, this, [this] {
        rebuild();
        Q_EMIT filtersChanged();
    });
    connect(table_, &QTableWidget::itemSelectionChanged, this, &InstancesPanel::onSelectionChanged);
    updateActions();
}

void InstancesPanel::setRows(const std::vector<InstanceRow>& rows) {
    // Keep the selection by annotation id across refreshes (an edit rebuilds the rows).
    QList<qint64> selectedIds;
    for (int i : selectedIndices()) selectedIds.append(rows_[size_t(i)].id);
    updating_ = true;
    table_->clearSelection();  // old indices mean nothing in the new rows
    updating_ = false;
    rows_ = rows;
    rebuild();
    updating_ = true;
    for (int r = 0; r < table_->rowCount(); ++r) {
        const int index = table_->item(r, ColClass)->data(Qt::UserRole).toInt();
        if (selectedIds.contains(rows_[size_t(index)].id)) table_->selectRow(r);
    }
    updating_ = false;
    updateActions();
}

void InstancesPanel::setClasses(const QList<QPair<qint64, QString>>& classes) {
    const qint64 filter = classFilter_->currentData().toLongLong();
    const qint64 relabel = relabelCategory();
    updating_ = true;
    {
        const QSignalBlocker b1(classFilter_), b2(relabelChooser_);
        classFilter_->clear();
        classFilter_->addItem(tr("All classes"), qint64(0));
        relabelChooser_->clear();
        for (const auto& [id, name] : classes) {
            classFilter_->addItem(name, id);
            relabelChooser_->addItem(name, id);
        }
        classFilter_->setCurrentIndex(std::max(0, classFilter_->findData(filter)));
        relabelChooser_->setCurrentIndex(std::max(0, relabelChooser_->findData(relabel)));
    }
    updating_ = false;
    rebuild();
    updateActions();
}

void InstancesPanel::setClassFilter(qint64 categoryId) {
    classFilter_->setCurrentIndex(std::max(0, classFilter_->findData(categoryId)));
}

void InstancesPanel::setMinimumScore(double score) {
    minScore_->setValue(score);
}

bool InstancesPanel::isVisibleIndex(int index) const {
    if (index < 0 || index >= int(rows_.size())) return false;
    const InstanceRow& r = rows_[size_t(index)];
    const qint64 cls = classFilter_->currentData().toLongLong();
    if (cls != 0 && r.categoryId != cls) return false;
    // Hand-drawn instances have no score; the score filter is about the model's guesses.
    if (r.score && *r.score < minScore_->value()) return false;
    return true;
}

QList<int> InstancesPanel::visibleIndices() const {
    QList<int> out;
    for (int i = 0; i < int(rows_.size()); ++i)
        if (isVisibleIndex(i)) out.append(i);
    return out;
}

void InstancesPanel::rebuild() {
    const QList<int> keep = selectedIndices();
    updating_ = true;
    table_->clearSelection();
    table_->clearContents();
    const QList<int> visible = visibleIndices();
    table_->setRowCount(int(visible.size()));
    for (int r = 0; r < visible.size(); ++r) {
        const InstanceRow& row = rows_[size_t(visible[r])];
        auto* cls = new QTableWidgetItem(row.className);
        cls->setData(Qt::UserRole, visible[r]);
        cls->setData(Qt::DecorationRole, classColor(int(row.categoryId - 1)));
        table_->setItem(r, ColClass, cls);
        auto* score = new QTableWidgetItem(row.score ? QString::number(*row.score, 'f', 3)
                                                     : QStringLiteral("—"));
        score->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table_->setItem(r, ColScore, score);
        auto* area = new QTableWidgetItem(QString::number(row.area));
        area->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table_->setItem(r, ColArea, area);
        table_->setItem(r, ColSource,
                        new QTableWidgetItem(row.source == AnnotationSource::Human ? tr("human")
                                                                                   : tr("model")));
        QString state;
        switch (row.review) {
            case ReviewState::Pending:
                state = tr("pending");
                break;
            case ReviewState::Accepted:
                state = tr("accepted");
                break;
            case ReviewState::Rejected:
                state = tr("rejected");
                break;
        }
        auto* review = new QTableWidgetItem(state);
        if (row.review == ReviewState::Rejected) review->setForeground(QColor(200, 60, 60));
        if (row.review == ReviewState::Accepted) review->setForeground(QColor(40, 150, 60));
        table_->setItem(r, ColReview, review);
        if (keep.contains(visible[r])) table_->selectRow(r);
    }
    updating_ = false;
    updateActions();
}

int InstancesPanel::currentIndex() const {
    const QList<int> s = selectedIndices();
    if (s.isEmpty()) return -1;
    const int r = table_->currentRow();
    if (r >= 0 && table_->item(r, ColClass)) {
        const int index = table_->item(r, ColClass)->data(Qt::UserRole).toInt();
        if (s.contains(index)) return index;
    }
    return s.first();
}

QList<int> InstancesPanel::selectedIndices() const {
    QList<int> out;
    if (!table_) return out;
    for (const QModelIndex& mi : table_->selectionModel()->selectedRows(ColClass))
        if (const QTableWidgetItem* it = table_->item(mi.row(), ColClass))
            out.append(it->data(Qt::UserRole).toInt());
    std::sort(out.begin(), out.end());
    return out;
}

QList<int> InstancesPanel::targets() const {
    return selectedIndices();
}

double InstancesPanel::acceptAboveThreshold() const {
    return acceptAboveSpin_->value();
}
void InstancesPanel::setAcceptAboveThreshold(double t) {
    acceptAboveSpin_->setValue(t);
}
qint64 InstancesPanel::relabelCategory() const {
    return relabelChooser_->currentData().toLongLong();
}

void InstancesPanel::selectInstance(int index) {
    updating_ = true;
    table_->clearSelection();
    for (int r = 0; r < table_->rowCount(); ++r)
        if (table_->item(r, ColClass)->data(Qt::UserRole).toInt() == index) {
            table_->selectRow(r);
            table_->scrollToItem(table_->item(r, ColClass));
        }
    updating_ = false;
    updateActions();
}

void InstancesPanel::onSelectionChanged() {
    updateActions();
    // Relabelling an object with alternatives most likely means its runner-up class.
    const int row = currentIndex();
    if (row >= 0 && row < int(rows_.size()) && !rows_[size_t(row)].alternatives.isEmpty()) {
        const int i = relabelChooser_->findText(rows_[size_t(row)].alternatives.front());
        if (i >= 0) relabelChooser_->setCurrentIndex(i);
    }
    if (updating_) return;
    Q_EMIT instanceSelected(currentIndex());
}

void InstancesPanel::updateActions() {
    const bool any = !selectedIndices().isEmpty();
    accept_->setEnabled(any);
    reject_->setEnabled(any);
    delete_->setEnabled(any);
    relabel_->setEnabled(any && relabelChooser_->count() > 0);
    acceptAbove_->setEnabled(!rows_.empty());
}

}  // namespace zsi
