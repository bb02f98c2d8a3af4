#pragma once
// The classes panel, a view of the ReviewSession's classes and settings: the model's seen
// classes (visibility toggles, a view setting of the panel's own), the unseen classes the user
// types (Enter adds; rename by editing; remove; synonyms with '|'), each showing whether its
// words were found in the word vectors and its nearest seen classes; mode, scoring rule and
// thresholds. Edits go to the session; the panel follows the session's signals.
#include "review_session.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace zsi {

class ClassesPanel : public QWidget {
    Q_OBJECT
public:
    explicit ClassesPanel(ReviewSession* session, QWidget* parent = nullptr);

    ReviewSession* session() const { return session_; }
    // Adds an unseen class as if typed; returns false and shows the reason inline when it is
    // refused (duplicate, equal to a seen class, unknown words, no model yet).
    bool addClass(const QString& name);
    bool renameClass(int index, const QString& name);
    // Seen class indices the user has hidden.
    std::vector<int> hiddenSeenClasses() const;
    // The message shown under the input (the last refusal), for tests.
    QString lastMessage() const;

Q_SIGNALS:
    void visibilityChanged();

private:
    void refreshSeenList();
    void refreshUnseenList();
    void showSettings();
    void storeSettings();
    bool refuse(const QString& name, const ClassEdit& edit);
    QString describe(const semantics::ClassEmbedding& e) const;

    ReviewSession* session_;
    QLineEdit* input_ = nullptr;
    QLabel* message_ = nullptr;
    QListWidget* unseenList_ = nullptr;
    QListWidget* seenList_ = nullptr;
    QPushButton* removeButton_ = nullptr;
    QComboBox* mode_ = nullptr;
    QComboBox* rule_ = nullptr;
    QDoubleSpinBox* scoreThreshold_ = nullptr;
    QDoubleSpinBox* maskThreshold_ = nullptr;
    QCheckBox* oneLabel_ = nullptr;
    QStringList shownSeen_;  // the seen classes the list shows (kept visibility on rename)
    bool updating_ = false;
};

}  // namespace zsi
