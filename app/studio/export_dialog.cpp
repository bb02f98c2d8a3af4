#include "export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace zsi {

ExportDialog::ExportDialog(const QString& suggestedBase, QWidget* parent)
    : QDialog(parent), base_(suggestedBase) {
    setWindowTitle(tr("Export"));
    format_ = new QComboBox(this);
    format_->addItem(tr("COCO instances (JSON)"), int(ExportFormat::Instances));
    format_->addItem(tr("COCO results list (JSON, for evaluation)"), int(ExportFormat::Results));
    format_->addItem(tr("PNG instance and class maps (folder)"), int(ExportFormat::Png));
    format_->addItem(tr("YOLO segmentation labels (folder)"), int(ExportFormat::Yolo));
    segmentation_ = new QComboBox(this);
    segmentation_->addItem(tr("Compressed RLE (exact)"), int(SegmentationForm::Rle));
    segmentation_->addItem(tr("Polygons (holes are filled)"), int(SegmentationForm::Polygon));
    onlyAccepted_ = new QCheckBox(tr("Only accepted and hand-drawn instances"), this);
    keepRejected_ = new QCheckBox(tr("Include rejected instances"), this);
    target_ = new QLineEdit(this);
    auto* browse = new QPushButton(tr("Browse..."), this);
    auto* targetRow = new QHBoxLayout;
    targetRow->addWidget(target_, 1);
    targetRow->addWidget(browse);

    auto* form = new QFormLayout;
    form->addRow(tr("Format:"), format_);
    form->addRow(tr("Masks as:"), segmentation_);
    form->addRow(QString(), onlyAccepted_);
    form->addRow(QString(), keepRejected_);
    form->addRow(tr("Write to:"), targetRow);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!target_->text().trimmed().isEmpty()) accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(format_, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);
    connect(browse, &QPushButton::clicked, this, [this] {
        const auto f = ExportFormat(format_->currentData().toInt());
        const QString p =
            (f == ExportFormat::Png || f == ExportFormat::Yolo)
                ? QFileDialog::getExistingDirectory(this, tr("Export folder"), target_->text())
                : QFileDialog::getSaveFileName(this, tr("Export file"), target_->text(),
                                               tr("JSON (*.json)"));
        if (!p.isEmpty()) target_->setText(p);
    });
    formatChanged();
}

void ExportDialog::formatChanged() {
    const auto f = ExportFormat(format_->currentData().toInt());
    segmentation_->setEnabled(f == ExportFormat::Instances);
    switch (f) {
        case ExportFormat::Instances:
            target_->setText(base_ + QStringLiteral("-instances.json"));
            break;
        case ExportFormat::Results:
            target_->setText(base_ + QStringLiteral("-results.json"));
            break;
        case ExportFormat::Png:
            target_->setText(base_ + QStringLiteral("-png"));
            break;
        case ExportFormat::Yolo:
            target_->setText(base_ + QStringLiteral("-yolo"));
            break;
    }
}

DatasetExportOptions ExportDialog::options() const {
    DatasetExportOptions o;
    o.format = ExportFormat(format_->currentData().toInt());
    o.segmentation = SegmentationForm(segmentation_->currentData().toInt());
    o.onlyAccepted = onlyAccepted_->isChecked();
    o.skipRejected = !keepRejected_->isChecked();
    return o;
}

QString ExportDialog::target() const {
    return target_->text().trimmed();
}

}  // namespace zsi
