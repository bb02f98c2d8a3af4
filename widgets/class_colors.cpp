#include "class_colors.h"

#include "data/palette.h"

namespace zsi {

QColor classColor(int classIndex) {
    const auto rgb = classColorRgb(classIndex);
    return QColor(rgb[0], rgb[1], rgb[2]);
}

}  // namespace zsi
