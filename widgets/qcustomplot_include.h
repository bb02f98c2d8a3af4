#pragma once
// QCustomPlot's header uses Qt's lower-case keywords (signals, slots, emit, foreach), which
// the project turns off (QT_NO_KEYWORDS keeps Qt code compatible with torch headers). Map
// them for the duration of this one include.
#if defined(QT_NO_KEYWORDS)
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
#else
#include <qcustomplot.h>
#endif
