#include "shortcuts_dialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace zsi {

ShortcutsDialog::ShortcutsDialog(QWidget* window, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Keyboard Shortcuts"));
    struct Row {
        QString name, keys;
    };
    std::vector<Row> rows;
    for (QAction* a : window->findChildren<QAction*>()) {
        if (a->shortcuts().isEmpty() || a->text().isEmpty()) continue;
        QStringList keys;
        for (const QKeySequence& k : a->shortcuts()) keys << k.toString(QKeySequence::NativeText);
        QString name = a->text();
        name.remove(QLatin1Char('&'));
        if (name.endsWith(QStringLiteral("..."))) name.chop(3);
        rows.push_back({name, keys.join(QStringLiteral(", "))});
    }
    std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) { return x.name < y.name; });
    rows.erase(std::unique(rows.begin(), rows.end(),
                           [](const Row& x, const Row& y) { return x.name == y.name; }),
               rows.end());
    auto* table = new QTableWidget(int(rows.size()), 2, this);
    table->setHorizontalHeaderLabels({tr("Action"), tr("Shortcut")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (size_t i = 0; i < rows.size(); ++i) {
        table->setItem(int(i), 0, new QTableWidgetItem(rows[i].name));
        table->setItem(int(i), 1, new QTableWidgetItem(rows[i].keys));
    }
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->resizeColumnToContents(1);
    rows_ = int(rows.size());
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(table);
    layout->addWidget(buttons);
    resize(460, 520);
}

int ShortcutsDialog::rowCount() const {
    return rows_;
}

}  // namespace zsi
