#pragma once

#include "api/Workspace.h"
#include "http/Result.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <vector>

namespace pbi {

/// What a tenant held at one moment: its workspaces with their items, saved to a file so
/// that two moments can be compared.
struct InventorySnapshot {
    QDateTime takenAt; ///< UTC
    QString connection; ///< the connection's name, for the reader
    QString scope;      ///< "member" or "admin"
    std::vector<Workspace> workspaces; ///< with reports, datasets, dashboards, dataflows, users
};

/// One difference between two snapshots.
struct InventoryChange {
    enum class Kind { Added, Removed, Changed };
    Kind kind = Kind::Changed;
    QString itemKind; ///< "workspace", "report", "semantic model", "dashboard", "dataflow", "member"
    QString id;
    QString name;
    QString workspace; ///< the workspace's name (for a workspace, its own)
    /// For Changed: "field: before → after", one per changed field.
    QStringList details;
};

/// One row of an exported explorer view: what the tree shows for a workspace or an item.
struct InventoryRow {
    QString workspace; ///< the workspace's name (for a workspace, its own)
    QString kind; ///< "workspace", "report", "semantic model", "dashboard", "dataflow", "member"
    QString name;
    QString id;
    QString details; ///< the view's type and detail text, e.g. "Dedicated capacity · Deleted"
};

/// An exported explorer view: the rows that passed the filter, in the view's order.
struct InventoryView {
    QDateTime exportedAt; ///< UTC
    QString connection;
    QString scope;  ///< "member" or "admin"
    QString filter; ///< the filter as the user set it, in words; empty when none
    std::vector<InventoryRow> rows;
};

namespace Snapshot {

/// The snapshot file: {"format":"pbi-console-inventory/1", …}. Never holds a secret.
QByteArray toJson(const InventorySnapshot& snapshot);
/// Reads a snapshot file; a wrong or damaged file is a Parse error naming what is wrong.
Result<InventorySnapshot> fromJson(const QByteArray& data);
/// What changed from `before` to `after`: items matched by kind and id, so a rename is a
/// change and a move to another workspace is a change of "workspace".
std::vector<InventoryChange> diff(const InventorySnapshot& before, const InventorySnapshot& after);
/// Every item of the snapshot as CSV (RFC 4180): kind, workspace, name, id, details.
QByteArray toCsv(const InventorySnapshot& snapshot);
QString changeKindName(InventoryChange::Kind kind);

/// An explorer view as CSV (RFC 4180, UTF-8): workspace, kind, name, id, details. Cells a
/// spreadsheet would run as a formula get a leading apostrophe.
QByteArray viewToCsv(const InventoryView& view);
/// An explorer view as JSON: {"format":"pbi-console-view/1", "exportedAt", "connection",
/// "scope", "filter", "rows":[{"workspace","kind","name","id","details"}]}.
QByteArray viewToJson(const InventoryView& view);
/// Differences as CSV: change, kind, workspace, name, id, what changed ("; " between fields).
QByteArray changesToCsv(const std::vector<InventoryChange>& changes);

} // namespace Snapshot
} // namespace pbi
