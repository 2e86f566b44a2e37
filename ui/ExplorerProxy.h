#pragma once

#include "inventory/Snapshot.h"

#include <QSet>
#include <QSortFilterProxyModel>

namespace pbi::ui {

class WorkspaceTreeModel;

/// The explorer's view of the tree: sorted by name with each workspace's folders in their fixed
/// order, filtered while keeping the ancestors of every match. The filter is the text (a
/// case-insensitive substring of a node's name or id) plus the kinds of item shown (any
/// combination), the workspace type, the capacity, "on dedicated capacity only" and "semantic
/// models whose last refresh failed". The window and the explorer benchmark use this one class.
class ExplorerProxy final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    /// The kinds of item shown (their folders and items); workspaces are the containers.
    enum Kind {
        Reports = 0x01,
        SemanticModels = 0x02,
        Dashboards = 0x04,
        Dataflows = 0x08,
        Members = 0x10,
        AllKinds = 0x1f,
    };
    Q_DECLARE_FLAGS(Kinds, Kind)
    enum class WorkspaceType {
        Any,
        Shared,   ///< collaborative workspaces (type "Workspace", or absent at member scope)
        Personal, ///< "My workspace" of a user (type "PersonalGroup" or "Personal")
    };

    explicit ExplorerProxy(QObject* parent = nullptr);

    void setTreeModel(WorkspaceTreeModel* model);
    /// The filter as typed: a case-insensitive substring of a node's name or id.
    void setFilterText(const QString& text);
    QString filterText() const { return m_text; }
    /// With a restriction, only these kinds' folders and items are shown; a workspace then
    /// stays for its matching contents (and, with no text, as the place to expand).
    void setKinds(Kinds kinds);
    Kinds kinds() const { return m_kinds; }
    void setWorkspaceType(WorkspaceType type);
    WorkspaceType workspaceType() const { return m_type; }
    void setDedicatedOnly(bool on);
    bool dedicatedOnly() const { return m_dedicatedOnly; }
    /// Only workspaces on this capacity (its id; compared without regard to case, as the service
    /// spells ids in either case), or on shared capacity for sharedCapacity(); empty: any.
    /// `label` names it in describe().
    void setCapacity(const QString& capacityId, const QString& label = {});
    QString capacity() const { return m_capacity; }
    /// The capacity value that stands for "shared capacity" (no capacity).
    static QString sharedCapacity();
    /// The semantic models whose last refresh failed (ids), as a refresh sweep found them; the
    /// filter below keeps these. Replacing the set re-filters when that filter is on.
    void setFailedModels(QSet<QString> datasetIds);
    const QSet<QString>& failedModels() const { return m_failedModels; }
    /// Only semantic models in failedModels(), under their workspaces.
    void setFailedRefreshOnly(bool on);
    bool failedRefreshOnly() const { return m_failedOnly; }
    /// Back to everything (text included).
    void clearFilters();
    /// Whether anything is filtered out at all.
    bool isFiltering() const;
    /// The filter in words, for the status bar and export files: "text “sales” · reports ·
    /// dedicated capacity"; empty when nothing is filtered.
    QString describe() const;

    /// What the view shows, in the view's order: every workspace and loaded item that passes
    /// the filter (folders are structure, not rows), expanded or not.
    std::vector<pbi::InventoryRow> visibleRows() const;

Q_SIGNALS:
    /// Any part of the filter changed (the window keeps its filter widgets in step).
    void criteriaChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    void refilter();
    void collect(const QModelIndex& proxyParent, const QString& workspace,
                 std::vector<pbi::InventoryRow>& rows) const;

    WorkspaceTreeModel* m_tree = nullptr;
    QString m_text;
    Kinds m_kinds = AllKinds;
    WorkspaceType m_type = WorkspaceType::Any;
    bool m_dedicatedOnly = false;
    QString m_capacity;
    QString m_capacityLabel;
    QSet<QString> m_failedModels;
    bool m_failedOnly = false;
};

Q_DECLARE_OPERATORS_FOR_FLAGS(ExplorerProxy::Kinds)

} // namespace pbi::ui
