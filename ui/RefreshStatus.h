#pragma once

// How a refresh's state looks everywhere in the UI: the same words, colours and shapes in the
// history table, the chart, the follow bar and the tenant monitor.

#include "refresh/RefreshRules.h"

#include <QColor>
#include <QIcon>
#include <QString>

namespace pbi::ui {

/// A colour per state, mid-tone so it reads on light and dark palettes alike.
QColor refreshStateColor(pbi::refresh::State state);
/// A filled disc in the state's colour with a shape that differs per state (tick, cross, dots,
/// square, bar), so the states stay apart without colour too.
QIcon refreshStateIcon(pbi::refresh::State state);
/// One sentence on what the state means, for tooltips: "Unknown" is explained, not repeated.
QString refreshStateExplanation(pbi::refresh::State state);

} // namespace pbi::ui
