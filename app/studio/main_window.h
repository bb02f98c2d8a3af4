#pragma once
#include <QMainWindow>

class QLabel;

namespace zsi {

class ImageCanvas;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    ImageCanvas* canvas() const { return canvas_; }
    // Opens one image; returns false (and shows the reason in the status bar) on failure.
    bool openImage(const QString& path);

protected:
    void closeEvent(QCloseEvent* event) override;

private Q_SLOTS:
    void chooseImage();
    void showAbout();

private:
    void createActions();
    void restoreSettings();

    ImageCanvas* canvas_ = nullptr;
    QLabel* runtimeLabel_ = nullptr;
};

}  // namespace zsi
