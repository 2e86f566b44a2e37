#include "ExplorerProxy.h"

#include "WorkspaceTreeModel.h"

namespace pbi::ui {

ExplorerProxy::ExplorerProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setFilterKeyColumn(WorkspaceTreeModel::NameColumn);
    setRecursiveFilteringEnabled(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void ExplorerProxy::setTreeModel(WorkspaceTreeModel* model)
{
    m_tree = model;
    setSourceModel(model);
}

void ExplorerProxy::setFilterText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    // Re-evaluates every row once; the model answers matches() from its own strings, without
    // building a QVariant per row.
    invalidateFilter();
}

bool ExplorerProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_text.isEmpty() || !m_tree)
        return true;
    return m_tree->matches(sourceRow, sourceParent, m_text);
}

bool ExplorerProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    using K = WorkspaceTreeModel::NodeKind;
    const auto lk = K(left.data(WorkspaceTreeModel::KindRole).toInt());
    const auto rk = K(right.data(WorkspaceTreeModel::KindRole).toInt());
    if (lk == K::Folder && rk == K::Folder)
        return sortOrder() == Qt::AscendingOrder ? left.row() < right.row() : left.row() > right.row();
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace pbi::ui
