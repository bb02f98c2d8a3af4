#pragma once
// Shared QCustomPlot set-up of the app's charts.
class QCustomPlot;

namespace zsi {

// Puts the legend in its own row under the axes, entries side by side: bars and curves may
// run anywhere in the axis rect, so an inset legend would cover some of them.
void placeLegendBelow(QCustomPlot* plot);

}  // namespace zsi
