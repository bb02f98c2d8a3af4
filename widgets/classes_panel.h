#pragma once
// The classes panel: the model's seen classes (visibility toggles), the unseen classes the
// user types (Enter adds; rename by editing; remove; synonyms with '|'), each showing whether
// its words were found in the word vectors and its nearest seen classes; mode, scoring rule
// and thresholds. Emits settingsChanged() on any change that should re-score the image.
#include "model/model_config.h"
#include "semantics/class_embedder.h"
#include "semantics/class_vocabulary.h"

#include <QWidget>

#include <memory>

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
    explicit ClassesPanel(QWidget* parent = nullptr);

    // A new model: its seen classes (vectors S x D row-major) and the embedder for typed names.
    void setModel(const QStringList& seenClasses, const std::vector<float>& seenVectors, int dim,
                  std::shared_ptr<const semantics::ClassEmbedder> embedder);
    bool hasModel() const { return embedder_ != nullptr; }

    // Adds an unseen class; returns false and shows the reason inline when it is refused
    // (duplicate, equal to a seen class, unknown words).
    bool addClass(const QString& name);
    bool renameClass(int index, const QString& name);
    void removeClass(int index);
    QStringList unseenClasses() const;

    const semantics::ClassVocabulary& vocabulary() const { return vocabulary_; }
    // The settings last given to setSettings() with the ones the panel edits (mode, scoring
    // rule, thresholds, one label per object) as the user has them now.
    InferenceSettings settings() const;
    void setSettings(const InferenceSettings& s);
    // Seen class indices the user has hidden.
    std::vector<int> hiddenSeenClasses() const;
    // The message shown under the input (the last refusal), for tests.
    QString lastMessage() const;

Q_SIGNALS:
    void settingsChanged();
    void visibilityChanged();

private:
    void refreshUnseenList();
    QString describe(const semantics::ClassEmbedding& e) const;

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
    std::shared_ptr<const semantics::ClassEmbedder> embedder_;
    semantics::ClassVocabulary vocabulary_;
    std::vector<semantics::ClassEmbedding> analyses_;  // per unseen class, for display
    InferenceSettings settings_;  // what the panel does not show travels through unchanged
    bool updating_ = false;
};

}  // namespace zsi
