#pragma once
// One colour per class index, shared by the CLI's overlays and the GUI (widgets convert it
// to QColor), so a class has the same colour everywhere.
#include <array>
#include <cstdint>

namespace zsi {

// RGB, 0..255. Golden-angle hue walk: any number of classes spread evenly around the wheel;
// alternating brightness keeps neighbours apart for people with weaker colour vision.
std::array<uint8_t, 3> classColorRgb(int classIndex);

}  // namespace zsi
