#pragma once

#include <QSortFilterProxyModel>

namespace pbi::ui {

class WorkspaceTreeModel;

/// The explorer's view of the tree: sorted by name with each workspace's folders in their fixed
/// order, filtered on name and id while keeping the ancestors of every match. The window and the
/// explorer benchmark use this one class.
class ExplorerProxy final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ExplorerProxy(QObject* parent = nullptr);

    void setTreeModel(WorkspaceTreeModel* model);
    /// The filter as typed: a case-insensitive substring of a node's name or id.
    void setFilterText(const QString& text);
    QString filterText() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    WorkspaceTreeModel* m_tree = nullptr;
    QString m_text;
};

} // namespace pbi::ui
