#pragma once
// File > Export: writes the reviewed document in a chosen format (COCO instances, COCO
// results, PNG maps, YOLO) through core's dataset export; the model does not run again.
#include "data/dataset_export.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace zsi {

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ExportDialog(const QString& suggestedBase, QWidget* parent = nullptr);
    DatasetExportOptions options() const;
    // A file for instances/results, a folder for png/yolo.
    QString target() const;

private:
    void formatChanged();

    QString base_;
    QComboBox* format_ = nullptr;
    QComboBox* segmentation_ = nullptr;
    QCheckBox* onlyAccepted_ = nullptr;
    QCheckBox* keepRejected_ = nullptr;
    QLineEdit* target_ = nullptr;
};

}  // namespace zsi
