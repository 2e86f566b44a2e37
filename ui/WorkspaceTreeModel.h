#pragma once

#include "api/Workspace.h"

#include <QAbstractItemModel>

#include <vector>

namespace pbi::ui {

/// The workspace tree over core values. Workspaces are the top level; their contents come
/// with the lazy explorer (issue #6).
class WorkspaceTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, CapacityColumn, IdColumn, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1, KindRole };

    explicit WorkspaceTreeModel(QObject* parent = nullptr);

    void setWorkspaces(std::vector<pbi::Workspace> workspaces);
    const pbi::Workspace* workspaceAt(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<pbi::Workspace> m_workspaces;
};

} // namespace pbi::ui
