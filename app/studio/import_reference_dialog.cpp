#include "import_reference_dialog.h"

#include "error_text.h"
#include "io/reference_checkpoint.h"
#include "util/error.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace zsi {

ImportReferenceDialog::ImportReferenceDialog(const QString& dataDir, QWidget* parent)
    : QDialog(parent), dataDir_(dataDir) {
    setWindowTitle(tr("Import Reference Checkpoint"));
    auto* intro =
        new QLabel(tr("Turns a published ZSI checkpoint (MMDetection v1, ResNet-101, COCO 48/17 or "
                      "65/15) into a "
                      "model bundle. Besides the .pth file it needs the class vectors the model "
                      "was trained with "
                      "and, for the box head, the VOC matrix; both come with the reference code."),
                   this);
    intro->setWordWrap(true);
    auto* form = new QFormLayout;
    checkpoint_ =
        addPathRow(form, tr("Checkpoint:"), tr("The .pth file (torch < 1.6 legacy or zip format)"),
                   false, false, tr("Checkpoints (*.pth *.pt);;All files (*)"));
    preset_ = new QComboBox(this);
    preset_->addItem(tr("COCO 48/17 (48 seen, 17 unseen)"), QStringLiteral("48_17"));
    preset_->addItem(tr("COCO 65/15 (65 seen, 15 unseen)"), QStringLiteral("65_15"));
    preset_->addItem(tr("Other architecture (model config file)"), QString());
    preset_->setToolTip(tr("The split the checkpoint was trained on"));
    form->addRow(tr("Split:"), preset_);
    config_ = addPathRow(form, tr("Model config:"),
                         tr("A model config JSON describing the checkpoint's architecture"), false,
                         false, tr("JSON (*.json);;All files (*)"));
    config_->setEnabled(false);
    connect(preset_, &QComboBox::currentIndexChanged, this, [this] {
        config_->setEnabled(preset_->currentData().toString().isEmpty());
        updateOk();
    });
    vectors_ = addPathRow(form, tr("Class vectors:"),
                          tr("word_w2v_withbg_48_17.txt or _65_15.txt (300 x classes)"), false,
                          false, tr("Text (*.txt);;All files (*)"));
    classes_ = addPathRow(form, tr("Class names (optional):"),
                          tr("One name per vector column; default: the split's COCO names"), false,
                          false, tr("Text (*.txt);;All files (*)"));
    voc_ = addPathRow(form, tr("VOC matrix:"),
                      tr("vocabulary_w2v.txt (300 x 4717), from the PL-ZSD code"), false, false,
                      tr("Text (*.txt);;All files (*)"));
    embeddings_ = addPathRow(form, tr("Word vectors (optional):"),
                             tr("GoogleNews-vectors-negative300.bin: needed to type names other "
                                "than the split's classes"),
                             false, false, tr("Word vectors (*.bin *.vec *.txt);;All files (*)"));
    out_ = addPathRow(form, tr("Save bundle as:"), tr("A new folder for the model bundle"), true,
                      true, QString());
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    progress_->setVisible(false);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Import"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addWidget(buttons_);
    connect(buttons_, &QDialogButtonBox::accepted, this, &ImportReferenceDialog::startImport);
    connect(buttons_, &QDialogButtonBox::rejected, this, &ImportReferenceDialog::reject);
    for (QLineEdit* e : {checkpoint_, vectors_, voc_, out_, config_})
        connect(e, &QLineEdit::textChanged, this, &ImportReferenceDialog::updateOk);
    // A sensible bundle name next to the checkpoint.
    connect(checkpoint_, &QLineEdit::textChanged, this, [this](const QString& t) {
        if (!out_->isModified() && !t.isEmpty()) {
            const QFileInfo f(t);
            out_->setText(
                f.absoluteDir().filePath(f.completeBaseName() + QStringLiteral("-bundle")));
        }
    });
    updateOk();
    resize(640, sizeHint().height());
}

ImportReferenceDialog::~ImportReferenceDialog() {
    cancel_->store(true);
    if (worker_.joinable()) worker_.join();
}

QLineEdit* ImportReferenceDialog::addPathRow(QFormLayout* form, const QString& label,
                                             const QString& tip, bool folder, bool save,
                                             const QString& filter) {
    auto* edit = new QLineEdit(this);
    edit->setToolTip(tip);
    edit->setPlaceholderText(tip);
    auto* browse = new QPushButton(tr("Browse..."), this);
    auto* row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(browse);
    form->addRow(label, row);
    connect(browse, &QPushButton::clicked, this, [this, edit, folder, save, filter, label] {
        QString p;
        if (folder && save)
            p = QFileDialog::getSaveFileName(this, label, edit->text());
        else if (folder)
            p = QFileDialog::getExistingDirectory(this, label, edit->text());
        else
            p = QFileDialog::getOpenFileName(this, label, edit->text(), filter);
        if (!p.isEmpty()) {
            edit->setText(p);
            edit->setModified(true);
        }
    });
    return edit;
}

void ImportReferenceDialog::setInputs(const QString& checkpoint, const QString& presetOrConfig,
                                      const QString& vectors, const QString& classes,
                                      const QString& voc, const QString& embeddings,
                                      const QString& out) {
    checkpoint_->setText(checkpoint);
    const int i = preset_->findData(presetOrConfig);
    if (i >= 0) {
        preset_->setCurrentIndex(i);
    } else {
        preset_->setCurrentIndex(preset_->findData(QString()));
        config_->setText(presetOrConfig);
    }
    vectors_->setText(vectors);
    classes_->setText(classes);
    voc_->setText(voc);
    embeddings_->setText(embeddings);
    out_->setText(out);
    out_->setModified(true);
}

QString ImportReferenceDialog::statusText() const {
    return status_->text();
}

void ImportReferenceDialog::updateOk() {
    const bool custom = preset_->currentData().toString().isEmpty();
    const bool ready = !checkpoint_->text().trimmed().isEmpty() &&
                       !vectors_->text().trimmed().isEmpty() && !voc_->text().trimmed().isEmpty() &&
                       !out_->text().trimmed().isEmpty() &&
                       (!custom || !config_->text().trimmed().isEmpty());
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(ready && !worker_.joinable());
}

void ImportReferenceDialog::startImport() {
    if (worker_.joinable()) return;
    io::ReferenceImportOptions o;
    o.checkpoint = checkpoint_->text().trimmed().toStdString();
    o.preset = preset_->currentData().toString().toStdString();
    if (o.preset.empty()) o.config = config_->text().trimmed().toStdString();
    o.vectors = vectors_->text().trimmed().toStdString();
    o.classes = classes_->text().trimmed().toStdString();
    o.voc = voc_->text().trimmed().toStdString();
    o.embeddings = embeddings_->text().trimmed().toStdString();
    o.out = out_->text().trimmed().toStdString();
    o.dataDir = dataDir_.toStdString();
    cancel_->store(false);
    o.cancel = cancel_.get();
    QPointer<ImportReferenceDialog> self(this);
    // Progress arrives on the worker thread; queue it to the GUI (the dialog may be gone:
    // QPointer, and the destructor joins the thread after cancelling).
    o.progress = [self](double f, const std::string& stage) {
        QMetaObject::invokeMethod(
            self.data(),
            [self, f, stage] {
                if (self) self->onProgress(f, QString::fromStdString(stage));
            },
            Qt::QueuedConnection);
    };
    progress_->setVisible(true);
    progress_->setValue(0);
    status_->setText(tr("Reading the checkpoint..."));
    for (QWidget* w : findChildren<QLineEdit*>()) w->setEnabled(false);
    preset_->setEnabled(false);
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(false);
    worker_ = std::thread([o, self]() {
        QString error, summary;
        try {
            const io::ReferenceImportReport r = io::importReferenceCheckpoint(o);
            summary = tr("Imported %1 tensors (%2 format) in %3 s: %4 seen and %5 unseen classes.")
                          .arg(r.tensors)
                          .arg(QString::fromStdString(r.format))
                          .arg(r.seconds, 0, 'f', 1)
                          .arg(r.numSeen)
                          .arg(r.numUnseen);
            for (const auto& w : r.warnings)
                summary += QStringLiteral("\n") + tr("Warning: %1").arg(QString::fromStdString(w));
        } catch (const std::exception& e) {
            error = errorText(e);
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, error, summary] {
                if (self) self->onFinished(error, summary);
            },
            Qt::QueuedConnection);
    });
}

void ImportReferenceDialog::onProgress(double fraction, const QString& stage) {
    progress_->setValue(static_cast<int>(fraction * 1000));
    if (stage == QStringLiteral("weights"))
        status_->setText(tr("Reading the weights..."));
    else if (stage == QStringLiteral("vectors"))
        status_->setText(tr("Reading the class vectors and the VOC matrix..."));
    else if (stage == QStringLiteral("writing"))
        status_->setText(tr("Writing the bundle..."));
}

void ImportReferenceDialog::onFinished(const QString& error, const QString& summary) {
    if (worker_.joinable()) worker_.join();
    if (cancel_->load()) {  // the user cancelled: nothing was written
        QDialog::reject();
        return;
    }
    for (QWidget* w : findChildren<QLineEdit*>()) w->setEnabled(true);
    preset_->setEnabled(true);
    config_->setEnabled(preset_->currentData().toString().isEmpty());
    updateOk();
    if (!error.isEmpty()) {
        progress_->setVisible(false);
        status_->setText(tr("The import failed: %1").arg(error));
        return;
    }
    progress_->setValue(1000);
    status_->setText(summary);
    bundle_ = out_->text().trimmed();
    Q_EMIT imported(bundle_);
    accept();
}

void ImportReferenceDialog::reject() {
    if (worker_.joinable()) {
        // Cancel, and close once the worker has stopped (it checks between tensors).
        cancel_->store(true);
        status_->setText(tr("Cancelling..."));
        return;
    }
    QDialog::reject();
}

}  // namespace zsi
