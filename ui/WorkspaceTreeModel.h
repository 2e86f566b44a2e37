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
    /// loaded; the others load when expanded. `itemsIncluded`: the list was read with every
    /// item list expanded, so a workspace with none is loaded and empty, not unloaded (member
    /// calls for a workspace the identity is not in would only be refused).
    void setWorkspaces(std::vector<pbi::Workspace> workspaces, bool itemsIncluded = false);
    /// Adds workspaces after the present ones (a page of the admin inventory): rows are
    /// inserted, nothing already shown is reset or copied.
    void appendWorkspaces(std::vector<pbi::Workspace> workspaces, bool itemsIncluded = false);
    /// Loads the five folders of a workspace that are not loaded yet (the view calls this
    /// when a workspace is expanded).
    void loadWorkspace(const QModelIndex& index);
    /// Loads a workspace's (or one folder's) contents again, after an error or to see changes.
    void reload(const QModelIndex& index);
    /// Replaces the workspace with this id, items included, with `workspace` as read again
    /// (admin $expand): its folders' rows are removed and inserted, nothing else changes.
    /// False when no workspace has that id.
    bool replaceWorkspace(const QString& id, pbi::Workspace workspace);
    /// Marks a workspace's folders loading (true) while it is read again elsewhere, or shows
    /// an error on the workspace itself, keeping what it held.
    void setWorkspaceLoading(const QString& id, bool loading);
    void setWorkspaceError(const QString& id, const pbi::Error& error);

    const pbi::Workspace* workspaceAt(const QModelIndex& index) const;
    const Payload* payloadAt(const QModelIndex& index) const;
    NodeKind kindAt(const QModelIndex& index) const;
    std::optional<pbi::Error> errorAt(const QModelIndex& index) const;
    int workspaceCount() const { return int(m_root.size()); }

    /// What the explorer's filter needs to know of a row besides its text, read straight from
    /// the node: no QVariant, no string built. `workspace` is the row's own workspace (itself
    /// for a workspace row); null for a row that does not exist.
    struct RowFacts {
        NodeKind kind = NodeKind::Workspace;
        FolderKind folder = FolderKind::Reports; ///< for a folder
        const pbi::Workspace* workspace = nullptr;
    };
    RowFacts factsAt(int row, const QModelIndex& parent) const;

    /// The loaded item of `kind` with `id`, searched in `workspaceId` first (when given) and
    /// then in every loaded workspace; invalid when no loaded node has it.
    QModelIndex findItem(NodeKind kind, const QString& id, const QString& workspaceId = {}) const;
    /// The loaded reports built on the semantic model `datasetId`, in any workspace.
    QModelIndexList reportsOfModel(const QString& datasetId) const;
    /// The loaded semantic models that read the dataflow `dataflowId`, in any workspace.
    QModelIndexList modelsReadingDataflow(const QString& dataflowId) const;
    /// The folder of `kind` of the workspace at `workspace` (any index in that workspace).
    QModelIndex folderOf(const QModelIndex& workspace, FolderKind kind) const;
    /// Whether every folder of every workspace is loaded (nothing pending, nothing failed).
    bool isFullyLoaded() const;
    /// The workspaces with the items the tree holds: what a snapshot of this view saves. A copy
    /// of the whole tree, so for explicit saves only.
    std::vector<pbi::Workspace> workspacesWithItems() const;
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
    std::unique_ptr<Node> makeWorkspaceNode(pbi::Workspace w, int row, bool itemsIncluded);
    void scheduleLoad(Node* folder);
    void loadFolder(Node* folder);
    template <typename T>
    void fillFolder(Node* folder, quint64 generation, pbi::Result<std::vector<T>> result);
    void refreshWorkspaceError(Node* workspace);

    std::vector<std::unique_ptr<Node>> m_root;
    QPointer<pbi::PowerBiClient> m_client;
    // The last filter text matches() saw, lower-cased in UTF-8 (see Node::searchKey).
    mutable QString m_needle;
    mutable QByteArray m_needleKey;
    mutable quint32 m_stamp = 0;         ///< bumps per new filter text
    mutable quint32 m_previousStamp = 0;
    mutable bool m_narrowing = false;    ///< the new text contains the previous one
    mutable bool m_widening = false;     ///< the previous text contains the new one
    quint64 m_generation = 0; ///< bumps on every reset: answers for older trees are dropped
};

QString nodeKindName(WorkspaceTreeModel::NodeKind kind);
/// The kind as the snapshot and export files name it: "workspace", "report", "semantic model"…
QString nodeKindNoun(WorkspaceTreeModel::NodeKind kind);

} // namespace pbi::ui
