#pragma once
// The instances panel: a table of the current image's instances (class, score, area, source,
// review state) with a class filter and a minimum-score filter, and the review actions
// (accept, reject, relabel, delete, accept all above a score). It shows value rows and emits
// requests. Given a ReviewSession (setSession) it is a view of the session's current image:
// its rows follow the session and its requests become the session's undoable edits. The main
// window binds the actions' keys.
//
// Indices are positions in the list given to setRows() (the overlay's order), whatever the
// filters hide.
#include "data/annotation_document.h"

#include <QList>
#include <QString>
#include <QWidget>

#include <optional>
#include <vector>

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QTableWidget;

namespace zsi {

class ReviewSession;

struct InstanceRow {
    qint64 id = 0;  // annotation id
    qint64 categoryId = 0;
    QString className;
    std::optional<double> score;  // none for hand-drawn instances
    int area = 0;
    AnnotationSource source = AnnotationSource::Model;
    ReviewState review = ReviewState::Pending;
    // The other classes the model gave this object (one label per object), best first: the
    // relabel choice offers the first of them.
    QStringList alternatives;
};

// Rows of one image of a document, in annotation order.
std::vector<InstanceRow> instanceRows(const AnnotationDocument& doc, int64_t imageId);

class InstancesPanel : public QWidget {
    Q_OBJECT
public:
    explicit InstancesPanel(QWidget* parent = nullptr);

    // Makes the panel a view of `session` (rows of its current image; edits go to it).
    void setSession(ReviewSession* session);

    void setRows(const std::vector<InstanceRow>& rows);
    const std::vector<InstanceRow>& rows() const { return rows_; }
    // The classes offered by the class filter and the relabel chooser: (category id, name).
    void setClasses(const QList<QPair<qint64, QString>>& classes);

    // Filters (also set by the user in the panel). Category 0 = all classes.
    void setClassFilter(qint64 categoryId);
    void setMinimumScore(double score);
    // Row indices the filters let through, in order.
    QList<int> visibleIndices() const;
    bool isVisibleIndex(int index) const;

    int currentIndex() const;            // -1 when none
    QList<int> selectedIndices() const;  // in row order
    double acceptAboveThreshold() const;
    void setAcceptAboveThreshold(double t);
    qint64 relabelCategory() const;  // the chooser's category id, 0 when none

    QAction* acceptAction() const { return accept_; }
    QAction* rejectAction() const { return reject_; }
    QAction* relabelAction() const { return relabel_; }
    QAction* deleteAction() const { return delete_; }
    QAction* acceptAboveAction() const { return acceptAbove_; }

public Q_SLOTS:
    // Selects the row of `index` (-1 clears) without emitting instanceSelected.
    void selectInstance(int index);

Q_SIGNALS:
    void instanceSelected(int index);  // -1 when the selection is cleared
    void acceptRequested(const QList<int>& indices);
    void rejectRequested(const QList<int>& indices);
    void relabelRequested(const QList<int>& indices, qint64 categoryId);
    void deleteRequested(const QList<int>& indices);
    void acceptAboveRequested(double threshold);
    void filtersChanged();

private:
    void rebuild();
    void showSession();
    void updateActions();
    void onSelectionChanged();
    QList<int> targets() const;

    ReviewSession* session_ = nullptr;
    std::vector<InstanceRow> rows_;
    QTableWidget* table_ = nullptr;
    QComboBox* classFilter_ = nullptr;
    QDoubleSpinBox* minScore_ = nullptr;
    QComboBox* relabelChooser_ = nullptr;
    QDoubleSpinBox* acceptAboveSpin_ = nullptr;
    QAction* accept_ = nullptr;
    QAction* reject_ = nullptr;
    QAction* relabel_ = nullptr;
    QAction* delete_ = nullptr;
    QAction* acceptAbove_ = nullptr;
    bool updating_ = false;
};

}  // namespace zsi
