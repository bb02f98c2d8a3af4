#include "notice_banner.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace zsi {

NoticeBanner::NoticeBanner(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("noticeBanner"));
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(
        QStringLiteral("#noticeBanner { background: #fff8e1; border: 1px solid #f0c36d; }"
                       "#noticeBanner QLabel { color: #5d4200; }"));
    layout_ = new QHBoxLayout(this);
    layout_->setContentsMargins(8, 4, 8, 4);
    label_ = new QLabel(this);
    label_->setWordWrap(true);
    label_->setTextFormat(Qt::RichText);
    layout_->addWidget(label_, 1);
    hide();
}

void NoticeBanner::setMessage(const QString& text) {
    label_->setText(text);
    setVisible(!text.isEmpty());
}

QString NoticeBanner::message() const {
    return isHidden() ? QString() : label_->text();
}

void NoticeBanner::addAction(QAction* action) {
    auto* b = new QToolButton(this);
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    layout_->addWidget(b);
}

}  // namespace zsi
