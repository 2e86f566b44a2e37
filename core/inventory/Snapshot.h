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

} // namespace Snapshot
} // namespace pbi
