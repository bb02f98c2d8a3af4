#include "preferences_dialog.h"

#include "runtime/runtime.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>

namespace zsi {

PreferencesDialog::PreferencesDialog(const StudioSettings& s, QWidget* parent)
    : QDialog(parent), base_(s) {
    setWindowTitle(tr("Preferences"));
    auto* form = new QFormLayout;

    QWidget* row = nullptr;
    model_ = pathRow(s.modelBundle, true, row);
    model_->setPlaceholderText(tr("the demo model"));
    form->addRow(tr("Model bundle:"), row);
    embeddings_ = pathRow(s.embeddings, false, row);
    embeddings_->setPlaceholderText(tr("the word vectors the model names"));
    form->addRow(tr("Word vectors:"), row);

    device_ = new QComboBox(this);
    device_->addItem(tr("Automatic"), QStringLiteral("auto"));
    device_->addItem(tr("CPU"), QStringLiteral("cpu"));
    if (runtimeInfo().cudaAvailable) device_->addItem(tr("CUDA GPU"), QStringLiteral("cuda"));
    device_->setCurrentIndex(std::max(0, device_->findData(s.device)));
    form->addRow(tr("Device:"), device_);

    threads_ = new QSpinBox(this);
    threads_->setRange(0, std::max(1, QThread::idealThreadCount()));
    threads_->setSpecialValueText(
        tr("automatic (%1)").arg(std::max(1, QThread::idealThreadCount() - 1)));
    threads_->setValue(s.threads);
    form->addRow(tr("CPU threads:"), threads_);

    score_ = new QDoubleSpinBox(this);
    score_->setRange(-0.01, 1.0);
    score_->setSingleStep(0.05);
    score_->setDecimals(2);
    score_->setSpecialValueText(tr("model default"));
    score_->setValue(s.scoring.scoreThreshold.value_or(-0.01));
    form->addRow(tr("Score threshold:"), score_);
    mask_ = new QDoubleSpinBox(this);
    mask_->setRange(-0.01, 1.0);
    mask_->setSingleStep(0.05);
    mask_->setDecimals(2);
    mask_->setSpecialValueText(tr("model default"));
    mask_->setValue(s.scoring.maskThreshold.value_or(-0.01));
    form->addRow(tr("Mask threshold:"), mask_);

    language_ = new QComboBox(this);
    language_->addItem(tr("System language"), QString());
    language_->addItem(QStringLiteral("English"), QStringLiteral("en"));
    language_->addItem(QStringLiteral("中文 (简体)"), QStringLiteral("zh_CN"));
    language_->setCurrentIndex(std::max(0, language_->findData(s.language)));
    form->addRow(tr("Language (after a restart):"), language_);

    autosave_ = new QSpinBox(this);
    autosave_->setRange(0, 3600);
    autosave_->setSuffix(tr(" s"));
    autosave_->setSpecialValueText(tr("off"));
    autosave_->setValue(s.autosaveSeconds);
    form->addRow(tr("Autosave every:"), autosave_);

    quickFirst_ = new QCheckBox(tr("Show a quick first result"), this);
    quickFirst_->setToolTip(
        tr("Masks from a reduced-resolution pass appear while a new image is segmented. They "
           "are replaced by the full result and never saved; the full result comes a little "
           "later."));
    quickFirst_->setChecked(s.quickFirstResult);
    form->addRow(tr("New images:"), quickFirst_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

QLineEdit* PreferencesDialog::pathRow(const QString& value, bool folder, QWidget*& row) {
    row = new QWidget(this);
    auto* h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    auto* edit = new QLineEdit(value, row);
    auto* browse = new QPushButton(tr("Browse..."), row);
    h->addWidget(edit, 1);
    h->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this, edit, folder] {
        const QString p =
            folder
                ? QFileDialog::getExistingDirectory(this, tr("Model bundle folder"), edit->text())
                : QFileDialog::getOpenFileName(this, tr("Word vectors"), edit->text(),
                                               tr("Word vectors (*.bin *.ftz *.vec *.txt)"));
        if (!p.isEmpty()) edit->setText(p);
    });
    return edit;
}

StudioSettings PreferencesDialog::settings() const {
    StudioSettings s = base_;
    s.modelBundle = model_->text().trimmed();
    s.embeddings = embeddings_->text().trimmed();
    s.device = device_->currentData().toString();
    s.threads = threads_->value();
    auto threshold = [](double v) { return v < 0 ? std::nullopt : std::optional<double>(v); };
    s.scoring.scoreThreshold = threshold(score_->value());
    s.scoring.maskThreshold = threshold(mask_->value());
    s.language = language_->currentData().toString();
    s.autosaveSeconds = autosave_->value();
    s.quickFirstResult = quickFirst_->isChecked();
    return s;
}

}  // namespace zsi
