#pragma once
// File > Import Reference Checkpoint: the inputs of `zsi import-reference` in a form, the
// import on a background thread (the files are ~280 MB) with a progress bar and Cancel, and
// the new bundle's folder handed back when it is done. The GUI thread never waits on it.
#include <QDialog>

#include <atomic>
#include <memory>
#include <thread>

class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;

namespace zsi {

class ImportReferenceDialog : public QDialog {
    Q_OBJECT
public:
    explicit ImportReferenceDialog(const QString& dataDir, QWidget* parent = nullptr);
    ~ImportReferenceDialog() override;

    // The bundle written by the last successful import (empty before).
    QString bundlePath() const { return bundle_; }

    // For tests: fill the form without file dialogs.
    // preset "48_17" / "65_15", or a model config file (other backbones).
    void setInputs(const QString& checkpoint, const QString& presetOrConfig, const QString& vectors,
                   const QString& classes, const QString& voc, const QString& embeddings,
                   const QString& out);
    QString statusText() const;
    bool running() const { return worker_.joinable(); }

public Q_SLOTS:
    void startImport();

Q_SIGNALS:
    void imported(const QString& bundlePath);

protected:
    void reject() override;

private:
    QLineEdit* addPathRow(QFormLayout* form, const QString& label, const QString& tip, bool folder,
                          bool save, const QString& filter);
    void updateOk();
    void onProgress(double fraction, const QString& stage);
    void onFinished(const QString& error, const QString& summary);

    QString dataDir_;
    QLineEdit* checkpoint_ = nullptr;
    QComboBox* preset_ = nullptr;
    QLineEdit* config_ = nullptr;
    QLineEdit* vectors_ = nullptr;
    QLineEdit* classes_ = nullptr;
    QLineEdit* voc_ = nullptr;
    QLineEdit* embeddings_ = nullptr;
    QLineEdit* out_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QDialogButtonBox* buttons_ = nullptr;
    std::thread worker_;
    std::shared_ptr<std::atomic<bool>> cancel_ = std::make_shared<std::atomic<bool>>(false);
    QString bundle_;
};

}  // namespace zsi
