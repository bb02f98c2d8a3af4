#pragma once
// Help > Keyboard Shortcuts: every action of a window that has a shortcut, read from the
// actions themselves so the list is always what the app really binds.
#include <QDialog>

namespace zsi {

class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ShortcutsDialog(QWidget* window, QWidget* parent = nullptr);
    int rowCount() const;

private:
    int rows_ = 0;
};

}  // namespace zsi
