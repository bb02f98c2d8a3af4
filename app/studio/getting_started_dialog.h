#pragma once
// Help > Getting Started: what the model is, seen and unseen classes, the three modes, how to
// review and export, in one page.
#include <QDialog>

namespace zsi {

class GettingStartedDialog : public QDialog {
    Q_OBJECT
public:
    explicit GettingStartedDialog(QWidget* parent = nullptr);
    static QString html();
};

}  // namespace zsi
