#pragma once
// A one-line notice above a view, with action buttons (e.g. "The demo model knows only
// coloured shapes" + Import / Open Model). Hidden until setMessage() is called.
#include <QFrame>

class QHBoxLayout;
class QLabel;

namespace zsi {

class NoticeBanner : public QFrame {
    Q_OBJECT
public:
    explicit NoticeBanner(QWidget* parent = nullptr);

    // Shows the banner with this (rich) text; buttons from addAction() follow it.
    void setMessage(const QString& text);
    QString message() const;
    // A button that triggers `action` (its text and enabled state follow the action).
    void addAction(QAction* action);

private:
    QLabel* label_ = nullptr;
    QHBoxLayout* layout_ = nullptr;
};

}  // namespace zsi
