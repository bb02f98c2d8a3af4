#pragma once
// "Name this object": a button that asks for the words the model scores highest for the
// selected instance, the list of them with their scores, and "Add as class" for the chosen
// word. The ranking is done elsewhere (the engine, on the worker); this widget only shows it.
#include <QString>
#include <QWidget>

#include <utility>
#include <vector>

class QLabel;
class QListWidget;
class QPushButton;

namespace zsi {

class SuggestNamesPanel : public QWidget {
    Q_OBJECT
public:
    explicit SuggestNamesPanel(QWidget* parent = nullptr);

    // Whether an instance is selected (the button needs one).
    void setInstanceAvailable(bool available);
    // Shows the ranked words (best first) for `what` (e.g. "instance 3: red star").
    void setSuggestions(const std::vector<std::pair<QString, float>>& words, const QString& what,
                        double ms);
    void setBusy();
    void setError(const QString& message);
    void clear();
    int count() const;
    QString wordAt(int row) const;

Q_SIGNALS:
    void suggestRequested();
    void addClassRequested(const QString& name);

private:
    QPushButton* suggest_ = nullptr;
    QPushButton* add_ = nullptr;
    QLabel* caption_ = nullptr;
    QListWidget* list_ = nullptr;
};

}  // namespace zsi
