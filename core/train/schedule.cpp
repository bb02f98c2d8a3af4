#include "train/schedule.h"

#include <cmath>

namespace zsi::train {

double LrSchedule::at(int iteration) const {
    double lr = baseLr;
    for (int s : steps)
        if (iteration >= s) lr *= gamma;
    if (iteration < warmupIterations && warmupIterations > 0) {
        // mmcv: k = (1 - it / warmup_iters) * (1 - ratio); lr = regular_lr * (1 - k).
        const double k =
            (1.0 - static_cast<double>(iteration) / warmupIterations) * (1.0 - warmupRatio);
        lr *= 1.0 - k;
    }
    return lr;
}

}  // namespace zsi::train
