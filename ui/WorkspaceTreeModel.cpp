#include "WorkspaceTreeModel.h"

#include <QApplication>
#include <QIcon>
#include <QStyle>

namespace pbi::ui {

WorkspaceTreeModel::WorkspaceTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

void WorkspaceTreeModel::setWorkspaces(std::vector<pbi::Workspace> workspaces)
{
    beginResetModel();
    m_workspaces = std::move(workspaces);
    endResetModel();
}

const pbi::Workspace* WorkspaceTreeModel::workspaceAt(const QModelIndex& index) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() >= int(m_workspaces.size()))
        return nullptr;
    return &m_workspaces[std::size_t(index.row())];
}

QModelIndex WorkspaceTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (parent.isValid() || row < 0 || row >= int(m_workspaces.size()) || column < 0 ||
        column >= ColumnCount)
        return {};
    return createIndex(row, column);
}

QModelIndex WorkspaceTreeModel::parent(const QModelIndex&) const
{
    return {};
}

int WorkspaceTreeModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_workspaces.size());
}

int WorkspaceTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant WorkspaceTreeModel::data(const QModelIndex& index, int role) const
{
    const pbi::Workspace* w = workspaceAt(index);
    if (!w)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return w->name;
        case CapacityColumn:
            return w->isOnDedicatedCapacity ? tr("Dedicated (%1)").arg(w->defaultDatasetStorageFormat.value_or(tr("Small")))
                                            : tr("Shared");
        case IdColumn: return w->id;
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == NameColumn)
            return QApplication::style()->standardIcon(QStyle::SP_DirIcon);
        break;
    case Qt::ToolTipRole: {
        QString tip = w->name + QLatin1Char('\n') + tr("Id: ") + w->id;
        if (w->capacityId)
            tip += QLatin1Char('\n') + tr("Capacity: ") + *w->capacityId;
        if (w->isReadOnly)
            tip += QLatin1Char('\n') + tr("Read-only for this identity");
        return tip;
    }
    case IdRole: return w->id;
    case KindRole: return QStringLiteral("workspace");
    }
    return {};
}

QVariant WorkspaceTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Name");
    case CapacityColumn: return tr("Capacity");
    case IdColumn: return tr("Id");
    }
    return {};
}

} // namespace pbi::ui
