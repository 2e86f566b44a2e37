#pragma once

#include "inventory/Snapshot.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <vector>

namespace pbi::ui {

/// The differences between two inventory snapshots as a table: change, kind, workspace, name,
/// what changed, id. A flat list over core values; the dialog filters it with
/// SnapshotDiffProxy.
class SnapshotDiffModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        ChangeColumn,
        KindColumn,
        WorkspaceColumn,
        NameColumn,
        DetailsColumn,
        IdColumn,
        ColumnCount
    };
    enum Role {
        ChangeKindRole = Qt::UserRole + 1, ///< InventoryChange::Kind as int
        ItemKindRole,                      ///< "report", "semantic model"…
    };

    explicit SnapshotDiffModel(QObject* parent = nullptr);

    void setChanges(std::vector<pbi::InventoryChange> changes);
    const std::vector<pbi::InventoryChange>& changes() const { return m_changes; }
    const pbi::InventoryChange* changeAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<pbi::InventoryChange> m_changes;
};

/// Filters the differences by change (added, removed, changed), item kind and text (name,
/// workspace, id or what changed).
class SnapshotDiffProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit SnapshotDiffProxy(QObject* parent = nullptr);

    void setDiffModel(SnapshotDiffModel* model);
    /// -1: every change; else an InventoryChange::Kind.
    void setChangeKind(int kind);
    /// Empty: every kind; else "report", "semantic model"…
    void setItemKind(const QString& kind);
    void setText(const QString& text);
    /// The changes shown, in the view's order.
    std::vector<pbi::InventoryChange> shownChanges() const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    SnapshotDiffModel* m_model = nullptr;
    int m_changeKind = -1;
    QString m_itemKind;
    QString m_text;
};

} // namespace pbi::ui
