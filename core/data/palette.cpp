#include "data/palette.h"

#include <cmath>

namespace zsi {

std::array<uint8_t, 3> classColorRgb(int classIndex) {
    if (classIndex < 0) return {160, 160, 160};
    const double h = std::fmod(classIndex * 137.508, 360.0) / 60.0;
    const double s = 200.0 / 255.0;
    const double v = ((classIndex % 2) ? 230.0 : 190.0) / 255.0;
    const int i = static_cast<int>(std::floor(h)) % 6;
    const double f = h - std::floor(h);
    const double p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
    double r = 0, g = 0, b = 0;
    switch (i) {
        case 0: r = v, g = t, b = p; break;
        case 1: r = q, g = v, b = p; break;
        case 2: r = p, g = v, b = t; break;
        case 3: r = p, g = q, b = v; break;
        case 4: r = t, g = p, b = v; break;
        default: r = v, g = p, b = q; break;
    }
    auto u8 = [](double x) { return static_cast<uint8_t>(std::lround(x * 255.0)); };
    return {u8(r), u8(g), u8(b)};
}

}  // namespace zsi
