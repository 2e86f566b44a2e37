#pragma once

#include <QByteArray>
#include <QList>

class QAbstractItemModel;

namespace pbi::ui {

/// A table model's rows as CSV (RFC 4180, UTF-8, a header row from the horizontal headers):
/// each cell from `role`, falling back to the display text. Cells a spreadsheet would run as a
/// formula (=, +, -, @ first) get a leading apostrophe, so an exported name cannot execute.
/// `columns` empty: every column.
QByteArray tableToCsv(const QAbstractItemModel& model, int role, const QList<int>& columns = {});

} // namespace pbi::ui
