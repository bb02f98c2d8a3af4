#pragma once
// The BA-RPN background probability of one FPN level drawn over the canvas image:
// a QGraphicsItem for ImageCanvas's scene, stretched to the image, coloured by
// analysis::heatmapRgba() (low p(bg) blue, high red), with a level choice and an opacity.
#include <QGraphicsItem>
#include <QImage>

#include <opencv2/core/mat.hpp>

#include <vector>

namespace zsi {

class HeatmapOverlay : public QGraphicsItem {
public:
    explicit HeatmapOverlay(QGraphicsItem* parent = nullptr);

    // p(background) per FPN level (CV_32F in [0, 1], each covering the image) and the image size.
    void setMaps(const std::vector<cv::Mat>& maps, int imageWidth, int imageHeight);
    void clear();
    int levelCount() const { return static_cast<int>(maps_.size()); }

    void setLevel(int level);  // clamped to the levels there are
    int level() const { return level_; }
    void setOpacityLevel(double alpha);  // 0..1
    double opacityLevel() const { return alpha_; }

    // The coloured map of the current level at image size (RGBA, alpha 255), null without maps.
    const QImage& image() const { return image_; }

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    void rebuild();

    std::vector<cv::Mat> maps_;
    QSize imageSize_;
    QImage image_;
    int level_ = 0;
    double alpha_ = 0.5;
};

}  // namespace zsi
