#pragma once
#include <QColor>

namespace zsi {

// A stable, distinguishable colour per class index (golden-angle hue walk), so a class keeps
// its colour across images, sessions and the similarity chart.
QColor classColor(int classIndex);

}  // namespace zsi
