#include "WorkspaceTreeModel.h"

#include "api/PowerBiClient.h"

#include <QApplication>
#include <QBrush>
#include <QColor>
#include <QIcon>
#include <QStyle>
#include <QTimer>

#include <iterator>

namespace pbi::ui {

struct WorkspaceTreeModel::Node {
    NodeKind kind = NodeKind::Workspace;
    FolderKind folder = FolderKind::Reports;
    Node* parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Node>> children;
    LoadState state = LoadState::NotLoaded;
    std::optional<Error> error;
    Payload payload;
    quint64 loadToken = 0; ///< bumps per load of this folder: older answers are dropped

    QString id() const
    {
        return std::visit(
            [](const auto& v) -> QString {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, std::monostate>)
                    return {};
                else if constexpr (std::is_same_v<T, GroupUser>)
                    return v.identifier;
                else
                    return v.id;
            },
            payload);
    }
    QString name() const;
    const Node* workspace() const
    {
        const Node* n = this;
        while (n && n->kind != NodeKind::Workspace)
            n = n->parent;
        return n;
    }
};

namespace {

constexpr WorkspaceTreeModel::FolderKind kFolders[] = {
    WorkspaceTreeModel::FolderKind::Reports, WorkspaceTreeModel::FolderKind::SemanticModels,
    WorkspaceTreeModel::FolderKind::Dashboards, WorkspaceTreeModel::FolderKind::Dataflows,
    WorkspaceTreeModel::FolderKind::Members};

QString folderName(WorkspaceTreeModel::FolderKind f)
{
    switch (f) {
    case WorkspaceTreeModel::FolderKind::Reports: return WorkspaceTreeModel::tr("Reports");
    case WorkspaceTreeModel::FolderKind::SemanticModels: return WorkspaceTreeModel::tr("Semantic models");
    case WorkspaceTreeModel::FolderKind::Dashboards: return WorkspaceTreeModel::tr("Dashboards");
    case WorkspaceTreeModel::FolderKind::Dataflows: return WorkspaceTreeModel::tr("Dataflows");
    case WorkspaceTreeModel::FolderKind::Members: return WorkspaceTreeModel::tr("Members");
    }
    return {};
}

template <typename T>
WorkspaceTreeModel::NodeKind kindOf()
{
    using K = WorkspaceTreeModel::NodeKind;
    if constexpr (std::is_same_v<T, Report>)
        return K::Report;
    else if constexpr (std::is_same_v<T, Dataset>)
        return K::SemanticModel;
    else if constexpr (std::is_same_v<T, Dashboard>)
        return K::Dashboard;
    else if constexpr (std::is_same_v<T, Dataflow>)
        return K::Dataflow;
    else
        return K::Member;
}

template <typename T>
QString itemName(const T& v)
{
    if constexpr (std::is_same_v<T, GroupUser>)
        return v.displayName.value_or(v.identifier);
    else if constexpr (std::is_same_v<T, Dashboard>)
        return v.displayName;
    else
        return v.name;
}

QIcon iconFor(WorkspaceTreeModel::NodeKind kind)
{
    QStyle* s = QApplication::style();
    switch (kind) {
    case WorkspaceTreeModel::NodeKind::Workspace: return s->standardIcon(QStyle::SP_DirIcon);
    case WorkspaceTreeModel::NodeKind::Folder: return s->standardIcon(QStyle::SP_DirOpenIcon);
    case WorkspaceTreeModel::NodeKind::Report: return s->standardIcon(QStyle::SP_FileDialogDetailedView);
    case WorkspaceTreeModel::NodeKind::SemanticModel: return s->standardIcon(QStyle::SP_DriveHDIcon);
    case WorkspaceTreeModel::NodeKind::Dashboard: return s->standardIcon(QStyle::SP_DesktopIcon);
    case WorkspaceTreeModel::NodeKind::Dataflow: return s->standardIcon(QStyle::SP_BrowserReload);
    case WorkspaceTreeModel::NodeKind::Member: return s->standardIcon(QStyle::SP_DialogYesButton);
    }
    return {};
}

} // namespace

QString WorkspaceTreeModel::Node::name() const
{
    return std::visit(
        [](const auto& v) -> QString {
            if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::monostate>)
                return {};
            else
                return itemName(v);
        },
        payload);
}

QString nodeKindName(WorkspaceTreeModel::NodeKind kind)
{
    switch (kind) {
    case WorkspaceTreeModel::NodeKind::Workspace: return WorkspaceTreeModel::tr("Workspace");
    case WorkspaceTreeModel::NodeKind::Folder: return WorkspaceTreeModel::tr("Folder");
    case WorkspaceTreeModel::NodeKind::Report: return WorkspaceTreeModel::tr("Report");
    case WorkspaceTreeModel::NodeKind::SemanticModel: return WorkspaceTreeModel::tr("Semantic model");
    case WorkspaceTreeModel::NodeKind::Dashboard: return WorkspaceTreeModel::tr("Dashboard");
    case WorkspaceTreeModel::NodeKind::Dataflow: return WorkspaceTreeModel::tr("Dataflow");
    case WorkspaceTreeModel::NodeKind::Member: return WorkspaceTreeModel::tr("Member");
    }
    return {};
}

WorkspaceTreeModel::WorkspaceTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

bool WorkspaceTreeModel::matches(int row, const QModelIndex& parent, const QString& needle) const
{
    const Node* n = nullptr;
    if (!parent.isValid()) {
        if (row >= 0 && row < int(m_root.size()))
            n = m_root[std::size_t(row)].get();
    } else if (const Node* p = nodeAt(parent); p && row >= 0 && row < int(p->children.size())) {
        n = p->children[std::size_t(row)].get();
    }
    if (!n || n->kind == NodeKind::Folder)
        return false;
    return n->name().contains(needle, Qt::CaseInsensitive) || n->id().contains(needle, Qt::CaseInsensitive);
}

WorkspaceTreeModel::~WorkspaceTreeModel() = default;

void WorkspaceTreeModel::setClient(pbi::PowerBiClient* client)
{
    m_client = client;
    setWorkspaces({});
}

void WorkspaceTreeModel::setWorkspaces(std::vector<pbi::Workspace> workspaces)
{
    beginResetModel();
    ++m_generation;
    m_root.clear();
    m_root.reserve(workspaces.size());
    for (auto& w : workspaces) {
        auto node = std::make_unique<Node>();
        node->kind = NodeKind::Workspace;
        node->row = int(m_root.size());
        const bool expanded = !w.reports.empty() || !w.datasets.empty() || !w.dashboards.empty() ||
                              !w.dataflows.empty() || !w.users.empty();
        node->payload = std::move(w);
        Node* raw = node.get();
        m_root.push_back(std::move(node));
        // Folders exist from the start (no request needed); admin $expand fills them at once.
        createFolders(raw, expanded);
    }
    endResetModel();
}

void WorkspaceTreeModel::createFolders(Node* workspace, bool loaded)
{
    // Called inside a reset only.
    auto& w = std::get<Workspace>(workspace->payload);
    for (FolderKind f : kFolders) {
        auto folder = std::make_unique<Node>();
        folder->kind = NodeKind::Folder;
        folder->folder = f;
        folder->parent = workspace;
        folder->row = int(workspace->children.size());
        if (loaded) {
            folder->state = LoadState::Loaded;
            auto add = [&](auto& items) {
                using T = typename std::decay_t<decltype(items)>::value_type;
                for (auto& item : items) {
                    auto child = std::make_unique<Node>();
                    child->kind = kindOf<T>();
                    child->parent = folder.get();
                    child->row = int(folder->children.size());
                    child->state = LoadState::Loaded;
                    child->payload = std::move(item);
                    folder->children.push_back(std::move(child));
                }
                items.clear();
            };
            switch (f) {
            case FolderKind::Reports: add(w.reports); break;
            case FolderKind::SemanticModels: add(w.datasets); break;
            case FolderKind::Dashboards: add(w.dashboards); break;
            case FolderKind::Dataflows: add(w.dataflows); break;
            case FolderKind::Members: add(w.users); break;
            }
        }
        workspace->children.push_back(std::move(folder));
    }
    workspace->state = LoadState::Loaded;
}

WorkspaceTreeModel::Node* WorkspaceTreeModel::nodeAt(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<Node*>(index.internalPointer()) : nullptr;
}

QModelIndex WorkspaceTreeModel::indexOf(const Node* node, int column) const
{
    return node ? createIndex(node->row, column, const_cast<Node*>(node)) : QModelIndex();
}

QModelIndex WorkspaceTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    const auto& list = parent.isValid() ? nodeAt(parent)->children : m_root;
    if (row >= int(list.size()))
        return {};
    return createIndex(row, column, list[std::size_t(row)].get());
}

QModelIndex WorkspaceTreeModel::parent(const QModelIndex& child) const
{
    const Node* n = nodeAt(child);
    return n && n->parent ? indexOf(n->parent) : QModelIndex();
}

int WorkspaceTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return parent.isValid() ? int(nodeAt(parent)->children.size()) : int(m_root.size());
}

int WorkspaceTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

bool WorkspaceTreeModel::hasChildren(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return !m_root.empty();
    if (parent.column() != 0)
        return false;
    const Node* n = nodeAt(parent);
    switch (n->kind) {
    case NodeKind::Workspace: return true;
    case NodeKind::Folder: return n->state != LoadState::Loaded || !n->children.empty();
    default: return false;
    }
}

bool WorkspaceTreeModel::canFetchMore(const QModelIndex& parent) const
{
    const Node* n = nodeAt(parent);
    if (!n || parent.column() != 0 || !m_client)
        return false;
    return n->kind == NodeKind::Folder && n->state == LoadState::NotLoaded;
}

void WorkspaceTreeModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    scheduleLoad(nodeAt(parent));
}

void WorkspaceTreeModel::loadWorkspace(const QModelIndex& index)
{
    Node* n = nodeAt(index);
    if (!n || n->kind != NodeKind::Workspace || !m_client)
        return;
    // All five lists at once: the folders then show their counts without more clicks.
    for (auto& folder : n->children)
        if (folder->state == LoadState::NotLoaded)
            scheduleLoad(folder.get());
}

void WorkspaceTreeModel::scheduleLoad(Node* folder)
{
    // Marked loading before anything leaves, so a second expand sends nothing; the request
    // itself starts from the event loop, never inside a view's fetchMore() call.
    folder->state = LoadState::Loading;
    const quint64 generation = m_generation;
    const quint64 token = ++folder->loadToken;
    QTimer::singleShot(0, this, [this, folder, generation, token] {
        if (generation == m_generation && folder->loadToken == token)
            loadFolder(folder);
    });
}

void WorkspaceTreeModel::loadFolder(Node* folder)
{
    if (!m_client)
        return;
    folder->state = LoadState::Loading;
    folder->error.reset();
    const quint64 token = folder->loadToken;
    const QModelIndex idx = indexOf(folder);
    Q_EMIT dataChanged(idx, indexOf(folder, ColumnCount - 1));
    const QString groupId = std::get<Workspace>(folder->parent->payload).id;
    const quint64 generation = m_generation;
    auto guard = [this, folder, generation, token]() {
        return generation == m_generation && folder->loadToken == token;
    };
    switch (folder->folder) {
    case FolderKind::Reports:
        m_client->listReports(groupId, this, [this, folder, guard](Result<std::vector<Report>> r) {
            if (guard()) fillFolder(folder, m_generation, std::move(r));
        });
        break;
    case FolderKind::SemanticModels:
        m_client->listDatasets(groupId, this, [this, folder, guard](Result<std::vector<Dataset>> r) {
            if (guard()) fillFolder(folder, m_generation, std::move(r));
        });
        break;
    case FolderKind::Dashboards:
        m_client->listDashboards(groupId, this, [this, folder, guard](Result<std::vector<Dashboard>> r) {
            if (guard()) fillFolder(folder, m_generation, std::move(r));
        });
        break;
    case FolderKind::Dataflows:
        m_client->listDataflows(groupId, this, [this, folder, guard](Result<std::vector<Dataflow>> r) {
            if (guard()) fillFolder(folder, m_generation, std::move(r));
        });
        break;
    case FolderKind::Members:
        m_client->listWorkspaceUsers(groupId, this, [this, folder, guard](Result<std::vector<GroupUser>> r) {
            if (guard()) fillFolder(folder, m_generation, std::move(r));
        });
        break;
    }
}

template <typename T>
void WorkspaceTreeModel::fillFolder(Node* folder, quint64, pbi::Result<std::vector<T>> result)
{
    const QModelIndex idx = indexOf(folder);
    if (!result) {
        folder->state = LoadState::Failed;
        folder->error = result.error();
        Q_EMIT dataChanged(idx, indexOf(folder, ColumnCount - 1));
        refreshWorkspaceError(folder->parent);
        Q_EMIT folderLoaded(idx, false);
        return;
    }
    auto& items = result.value();
    std::sort(items.begin(), items.end(), [](const T& a, const T& b) {
        return itemName(a).compare(itemName(b), Qt::CaseInsensitive) < 0;
    });
    if (!items.empty()) {
        beginInsertRows(idx, 0, int(items.size()) - 1);
        for (auto& item : items) {
            auto child = std::make_unique<Node>();
            child->kind = kindOf<T>();
            child->parent = folder;
            child->row = int(folder->children.size());
            child->state = LoadState::Loaded;
            child->payload = std::move(item);
            folder->children.push_back(std::move(child));
        }
        folder->state = LoadState::Loaded;
        endInsertRows();
    } else {
        folder->state = LoadState::Loaded;
    }
    Q_EMIT dataChanged(idx, indexOf(folder, ColumnCount - 1));
    refreshWorkspaceError(folder->parent);
    Q_EMIT folderLoaded(idx, true);
}

void WorkspaceTreeModel::refreshWorkspaceError(Node* workspace)
{
    // The workspace shows the first failure of its folders, so a refusal is visible collapsed.
    std::optional<Error> first;
    for (const auto& f : workspace->children)
        if (f->error && !first)
            first = f->error;
    workspace->error = first;
    Q_EMIT dataChanged(indexOf(workspace), indexOf(workspace, ColumnCount - 1));
}

void WorkspaceTreeModel::reload(const QModelIndex& index)
{
    Node* n = nodeAt(index);
    while (n && n->kind != NodeKind::Workspace && n->kind != NodeKind::Folder)
        n = n->parent;
    if (!n || !m_client)
        return;
    std::vector<Node*> folders;
    if (n->kind == NodeKind::Folder) {
        folders.push_back(n);
    } else {
        for (auto& f : n->children)
            folders.push_back(f.get());
    }
    for (Node* f : folders) {
        if (!f->children.empty()) {
            beginRemoveRows(indexOf(f), 0, int(f->children.size()) - 1);
            f->children.clear();
            endRemoveRows();
        }
        scheduleLoad(f);
    }
}

const pbi::Workspace* WorkspaceTreeModel::workspaceAt(const QModelIndex& index) const
{
    const Node* n = nodeAt(index);
    const Node* w = n ? n->workspace() : nullptr;
    return w ? &std::get<Workspace>(w->payload) : nullptr;
}

const WorkspaceTreeModel::Payload* WorkspaceTreeModel::payloadAt(const QModelIndex& index) const
{
    const Node* n = nodeAt(index);
    return n ? &n->payload : nullptr;
}

WorkspaceTreeModel::NodeKind WorkspaceTreeModel::kindAt(const QModelIndex& index) const
{
    const Node* n = nodeAt(index);
    return n ? n->kind : NodeKind::Workspace;
}

std::optional<pbi::Error> WorkspaceTreeModel::errorAt(const QModelIndex& index) const
{
    const Node* n = nodeAt(index);
    return n ? n->error : std::nullopt;
}

QVariant WorkspaceTreeModel::data(const QModelIndex& index, int role) const
{
    const Node* n = nodeAt(index);
    if (!n)
        return {};
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        if (n->kind == NodeKind::Folder) {
            if (column != NameColumn)
                return {};
            const QString name = folderName(n->folder);
            switch (n->state) {
            case LoadState::NotLoaded: return name;
            case LoadState::Loading: return tr("%1 · loading…").arg(name);
            case LoadState::Loaded: return QStringLiteral("%1 (%2)").arg(name).arg(n->children.size());
            case LoadState::Failed:
                return tr("%1 · failed: %2").arg(name, n->error->code.isEmpty() ? errorKindName(n->error->kind) : n->error->code);
            }
        }
        switch (column) {
        case NameColumn: return n->name();
        case IdColumn: return n->id();
        case TypeColumn:
            if (const auto* r = std::get_if<Report>(&n->payload))
                return r->reportType == QLatin1String("PaginatedReport") ? tr("Paginated report") : tr("Report");
            if (const auto* u = std::get_if<GroupUser>(&n->payload))
                return u->principalType;
            if (const auto* w = std::get_if<Workspace>(&n->payload))
                return w->type && *w->type != QLatin1String("Workspace") ? *w->type : tr("Workspace");
            return nodeKindName(n->kind);
        case DetailColumn:
            if (const auto* w = std::get_if<Workspace>(&n->payload)) {
                QString d = w->isOnDedicatedCapacity ? tr("Dedicated capacity") : tr("Shared capacity");
                if (w->state && *w->state != QLatin1String("Active"))
                    d += QStringLiteral(" · ") + *w->state;
                if (w->isReadOnly)
                    d += tr(" · read-only");
                return d;
            }
            if (const auto* d = std::get_if<Dataset>(&n->payload)) {
                QStringList parts;
                if (d->configuredBy)
                    parts << *d->configuredBy;
                if (d->isEffectiveIdentityRequired)
                    parts << tr("RLS");
                if (!d->isRefreshable)
                    parts << tr("not refreshable");
                return parts.join(QStringLiteral(" · "));
            }
            if (const auto* u = std::get_if<GroupUser>(&n->payload))
                return u->groupUserAccessRight;
            if (const auto* f = std::get_if<Dataflow>(&n->payload))
                return f->configuredBy.value_or(QString());
            if (const auto* b = std::get_if<Dashboard>(&n->payload))
                return b->isReadOnly ? tr("read-only") : QString();
            return {};
        }
        return {};
    case Qt::DecorationRole:
        return column == NameColumn ? QVariant(iconFor(n->kind)) : QVariant();
    case Qt::ForegroundRole:
        if (n->error && column == NameColumn)
            return QBrush(QColor(0xc6, 0x28, 0x28));
        return {};
    case Qt::ToolTipRole:
        if (n->error)
            return n->error->details();
        if (n->kind == NodeKind::Folder)
            return {};
        return QStringLiteral("%1: %2\n%3").arg(nodeKindName(n->kind), n->name(), n->id());
    case IdRole: return n->id();
    case KindRole: return int(n->kind);
    case StateRole: return int(n->state);
    case ErrorRole: return n->error ? n->error->details() : QString();
    case WorkspaceIdRole: {
        const Node* w = n->workspace();
        return w ? w->id() : QString();
    }
    case SearchTextRole: return QString(n->name() + QLatin1Char(' ') + n->id());
    }
    return {};
}

QVariant WorkspaceTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Name");
    case TypeColumn: return tr("Type");
    case DetailColumn: return tr("Details");
    case IdColumn: return tr("Id");
    }
    return {};
}

} // namespace pbi::ui
