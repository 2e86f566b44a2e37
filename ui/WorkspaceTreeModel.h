#pragma once

#include "api/Items.h"
#include "api/Workspace.h"
#include "http/Error.h"
#include "http/Result.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QPointer>

#include <memory>
#include <optional>
#include <variant>
#include <vector>

namespace pbi {
class PowerBiClient;
}

namespace pbi::ui {

/// The workspace explorer's tree over core values: workspaces, then one folder per kind
/// (reports, semantic models, dashboards, dataflows, members), then the items. Lazy like
/// QFileSystemModel: a folder has children before anything is loaded; fetching marks it
/// loading before the request leaves, rows arrive with the answer, answers for an older
/// tenant view are dropped. Loading and failure are roles, never fake rows.
class WorkspaceTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, TypeColumn, DetailColumn, IdColumn, ColumnCount };
    enum Role {
        IdRole = Qt::UserRole + 1,
        KindRole,        ///< NodeKind as int
        StateRole,       ///< LoadState as int
        ErrorRole,       ///< the error's details, empty when none
        WorkspaceIdRole, ///< the workspace the node belongs to
        SearchTextRole,  ///< name and id, for the filter
    };
    enum class NodeKind { Workspace, Folder, Report, SemanticModel, Dashboard, Dataflow, Member };
    enum class FolderKind { Reports, SemanticModels, Dashboards, Dataflows, Members };
    enum class LoadState { NotLoaded, Loading, Loaded, Failed };

    using Payload = std::variant<std::monostate, pbi::Workspace, pbi::Report, pbi::Dataset,
                                 pbi::Dashboard, pbi::Dataflow, pbi::GroupUser>;

    explicit WorkspaceTreeModel(QObject* parent = nullptr);
    ~WorkspaceTreeModel() override;

    /// The client to load workspace contents with; null for a view without a connection.
    void setClient(pbi::PowerBiClient* client);
    /// Replaces the whole tree. Workspaces that carry their items (admin $expand) are shown
    /// loaded; the others load when expanded.
    void setWorkspaces(std::vector<pbi::Workspace> workspaces);
    /// Loads the five folders of a workspace that are not loaded yet (the view calls this
    /// when a workspace is expanded).
    void loadWorkspace(const QModelIndex& index);
    /// Loads a workspace's (or one folder's) contents again, after an error or to see changes.
    void reload(const QModelIndex& index);

    const pbi::Workspace* workspaceAt(const QModelIndex& index) const;
    const Payload* payloadAt(const QModelIndex& index) const;
    NodeKind kindAt(const QModelIndex& index) const;
    std::optional<pbi::Error> errorAt(const QModelIndex& index) const;
    int workspaceCount() const { return int(m_root.size()); }
    /// Whether the row's name or id contains `needle` (case-insensitive); folders never match by
    /// themselves. The explorer's filter calls this for every row on each keystroke, so it reads
    /// the values directly instead of going through data().
    bool matches(int row, const QModelIndex& parent, const QString& needle) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    /// A folder finished loading (ok or not): for status lines and tests.
    void folderLoaded(const QModelIndex& folder, bool ok);

private:
    struct Node;
    Node* nodeAt(const QModelIndex& index) const;
    QModelIndex indexOf(const Node* node, int column = 0) const;
    void createFolders(Node* workspace, bool loaded);
    void scheduleLoad(Node* folder);
    void loadFolder(Node* folder);
    template <typename T>
    void fillFolder(Node* folder, quint64 generation, pbi::Result<std::vector<T>> result);
    void refreshWorkspaceError(Node* workspace);

    std::vector<std::unique_ptr<Node>> m_root;
    QPointer<pbi::PowerBiClient> m_client;
    quint64 m_generation = 0; ///< bumps on every reset: answers for older trees are dropped
};

QString nodeKindName(WorkspaceTreeModel::NodeKind kind);

} // namespace pbi::ui
