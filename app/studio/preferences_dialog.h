#pragma once
// Preferences: model bundle, word vectors, device, threads, default thresholds, language,
// autosave. Edits a StudioSettings; the main window applies what changed.
#include "studio_settings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace zsi {

class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    explicit PreferencesDialog(const StudioSettings& settings, QWidget* parent = nullptr);
    StudioSettings settings() const;

private:
    QLineEdit* pathRow(const QString& value, bool folder, QWidget*& row);

    StudioSettings base_;
    QLineEdit* model_ = nullptr;
    QLineEdit* embeddings_ = nullptr;
    QComboBox* device_ = nullptr;
    QSpinBox* threads_ = nullptr;
    QDoubleSpinBox* score_ = nullptr;
    QDoubleSpinBox* mask_ = nullptr;
    QComboBox* language_ = nullptr;
    QSpinBox* autosave_ = nullptr;
    QCheckBox* quickFirst_ = nullptr;
};

}  // namespace zsi
