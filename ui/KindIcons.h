#pragma once

#include "WorkspaceTreeModel.h"

#include <QColor>
#include <QIcon>

namespace pbi::ui {

/// The explorer's icon for a kind of node: a small drawn glyph on a mid-tone colour that stays
/// readable on light and dark palettes alike (no image files, no theme dependency). Folders use
/// the style's own folder icon.
QIcon kindIcon(WorkspaceTreeModel::NodeKind kind);
/// The colour of a kind's glyph: chosen to contrast with both a white and a near-black view.
QColor kindColor(WorkspaceTreeModel::NodeKind kind);

} // namespace pbi::ui
