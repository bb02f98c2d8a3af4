#include "class_colors.h"

#include <cmath>

namespace zsi {

QColor classColor(int classIndex) {
    if (classIndex < 0) return QColor(160, 160, 160);
    // 137.5 degrees between neighbours spreads any number of classes evenly around the wheel;
    // alternating value keeps neighbours apart for people with weaker colour vision.
    const double hue = std::fmod(classIndex * 137.508, 360.0);
    const int value = (classIndex % 2) ? 230 : 190;
    return QColor::fromHsv(static_cast<int>(hue), 200, value);
}

}  // namespace zsi
