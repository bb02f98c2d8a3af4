#pragma once
// A square model instance for tests: its box and a full mask of side `size` with the top-left
// corner at (x, y); the suites add the class fields they need.
#include "data/instance.h"

namespace zsi::test {

inline Instance squareInstance(int x, int y, int size, float score) {
    Instance inst;
    inst.x1 = float(x), inst.y1 = float(y), inst.x2 = float(x + size), inst.y2 = float(y + size);
    inst.score = score;
    inst.mask = cv::Mat::ones(size, size, CV_8U);
    inst.maskOriginX = x;
    inst.maskOriginY = y;
    return inst;
}

}  // namespace zsi::test
