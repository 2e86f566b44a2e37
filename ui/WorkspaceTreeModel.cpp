#include "WorkspaceTreeModel.h"

#include "KindIcons.h"

#include "api/PowerBiClient.h"

#include <QBrush>
#include <QColor>
#include <QIcon>
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
    /// "name\nid" lower-cased in UTF-8, built on the first filter keystroke: a case-sensitive
    /// byte search over it is several times faster than a case-insensitive QString search.
    mutable QByteArray searchKey;
    /// The answer to the previous filter text, valid while `matchStamp` is the model's.
    mutable quint32 matchStamp = 0;
    mutable bool matched = false;

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

QString nodeKindNoun(WorkspaceTreeModel::NodeKind kind)
{
    switch (kind) {
    case WorkspaceTreeModel::NodeKind::Workspace:
        return QStringLiteral("workspace");
    case WorkspaceTreeModel::NodeKind::Folder:
        return QStringLiteral("folder");
    case WorkspaceTreeModel::NodeKind::Report:
        return QStringLiteral("report");
    case WorkspaceTreeModel::NodeKind::SemanticModel:
        return QStringLiteral("semantic model");
    case WorkspaceTreeModel::NodeKind::Dashboard:
        return QStringLiteral("dashboard");
    case WorkspaceTreeModel::NodeKind::Dataflow:
        return QStringLiteral("dataflow");
    case WorkspaceTreeModel::NodeKind::Member:
        return QStringLiteral("member");
    }
    return {};
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
    if (needle != m_needle) {
        // Typing on narrows the matches and erasing widens them: the previous answers decide
        // most rows without reading their text again.
        const QByteArray key = needle.toLower().toUtf8();
        m_narrowing = !m_needleKey.isEmpty() && key.contains(m_needleKey);
        m_widening = !key.isEmpty() && m_needleKey.contains(key);
        m_previousStamp = m_stamp;
        ++m_stamp;
        m_needle = needle;
        m_needleKey = key;
    }
    if (n->matchStamp == m_stamp)
        return n->matched;
    const bool known = n->matchStamp == m_previousStamp && m_previousStamp != 0;
    bool result;
    if (known && m_narrowing && !n->matched) {
        result = false;
    } else if (known && m_widening && n->matched) {
        result = true;
    } else {
        if (n->searchKey.isEmpty())
            n->searchKey = QString(n->name() + QLatin1Char('\n') + n->id()).toLower().toUtf8();
        result = n->searchKey.contains(m_needleKey);
    }
    n->matchStamp = m_stamp;
    n->matched = result;
    return result;
}

WorkspaceTreeModel::RowFacts WorkspaceTreeModel::factsAt(int row, const QModelIndex& parent) const
{
    const Node* n = nullptr;
    if (!parent.isValid()) {
        if (row >= 0 && row < int(m_root.size()))
            n = m_root[std::size_t(row)].get();
    } else if (const Node* p = nodeAt(parent); p && row >= 0 && row < int(p->children.size())) {
        n = p->children[std::size_t(row)].get();
    }
    RowFacts facts;
    if (!n)
        return facts;
    facts.kind = n->kind;
    facts.folder = n->folder;
    const Node* w = n->workspace();
    facts.workspace = w ? std::get_if<Workspace>(&w->payload) : nullptr;
    return facts;
}

QModelIndex WorkspaceTreeModel::folderOf(const QModelIndex& workspace, FolderKind kind) const
{
    const Node* n = nodeAt(workspace);
    const Node* w = n ? n->workspace() : nullptr;
    if (!w || int(kind) >= int(w->children.size()))
        return {};
    return indexOf(w->children[std::size_t(kind)].get());
}

QModelIndex WorkspaceTreeModel::findItem(NodeKind kind, const QString& id,
                                         const QString& workspaceId) const
{
    if (id.isEmpty())
        return {};
    FolderKind folder = FolderKind::Reports;
    switch (kind) {
    case NodeKind::Report:
        folder = FolderKind::Reports;
        break;
    case NodeKind::SemanticModel:
        folder = FolderKind::SemanticModels;
        break;
    case NodeKind::Dashboard:
        folder = FolderKind::Dashboards;
        break;
    case NodeKind::Dataflow:
        folder = FolderKind::Dataflows;
        break;
    case NodeKind::Member:
        folder = FolderKind::Members;
        break;
    case NodeKind::Workspace:
        for (const auto& w : m_root)
            if (std::get<Workspace>(w->payload).id == id)
                return indexOf(w.get());
        return {};
    case NodeKind::Folder:
        return {};
    }
    auto searchIn = [&](const Node* w) -> const Node* {
        if (int(folder) >= int(w->children.size()))
            return nullptr;
        for (const auto& item : w->children[std::size_t(folder)]->children)
            if (item->id() == id)
                return item.get();
        return nullptr;
    };
    const Node* preferred = nullptr;
    if (!workspaceId.isEmpty()) {
        for (const auto& w : m_root)
            if (std::get<Workspace>(w->payload).id == workspaceId) {
                preferred = w.get();
                if (const Node* hit = searchIn(preferred))
                    return indexOf(hit);
                break;
            }
    }
    for (const auto& w : m_root)
        if (w.get() != preferred)
            if (const Node* hit = searchIn(w.get()))
                return indexOf(hit);
    return {};
}

QModelIndexList WorkspaceTreeModel::reportsOfModel(const QString& datasetId) const
{
    QModelIndexList out;
    if (datasetId.isEmpty())
        return out;
    for (const auto& w : m_root)
        for (const auto& item : w->children[std::size_t(FolderKind::Reports)]->children)
            if (const auto* r = std::get_if<Report>(&item->payload); r && r->datasetId == datasetId)
                out << indexOf(item.get());
    return out;
}

QModelIndexList WorkspaceTreeModel::modelsReadingDataflow(const QString& dataflowId) const
{
    QModelIndexList out;
    if (dataflowId.isEmpty())
        return out;
    for (const auto& w : m_root)
        for (const auto& item : w->children[std::size_t(FolderKind::SemanticModels)]->children)
            if (const auto* d = std::get_if<Dataset>(&item->payload))
                for (const auto& up : d->upstreamDataflows)
                    if (up.targetDataflowId == dataflowId) {
                        out << indexOf(item.get());
                        break;
                    }
    return out;
}

bool WorkspaceTreeModel::isFullyLoaded() const
{
    for (const auto& w : m_root)
        for (const auto& f : w->children)
            if (f->state != LoadState::Loaded)
                return false;
    return true;
}

std::vector<pbi::Workspace> WorkspaceTreeModel::workspacesWithItems() const
{
    std::vector<Workspace> out;
    out.reserve(m_root.size());
    for (const auto& node : m_root) {
        Workspace w = std::get<Workspace>(node->payload);
        for (const auto& folder : node->children)
            for (const auto& item : folder->children) {
                if (const auto* r = std::get_if<Report>(&item->payload))
                    w.reports.push_back(*r);
                else if (const auto* d = std::get_if<Dataset>(&item->payload))
                    w.datasets.push_back(*d);
                else if (const auto* b = std::get_if<Dashboard>(&item->payload))
                    w.dashboards.push_back(*b);
                else if (const auto* f = std::get_if<Dataflow>(&item->payload))
                    w.dataflows.push_back(*f);
                else if (const auto* u = std::get_if<GroupUser>(&item->payload))
                    w.users.push_back(*u);
            }
        out.push_back(std::move(w));
    }
    return out;
}

WorkspaceTreeModel::~WorkspaceTreeModel() = default;

void WorkspaceTreeModel::setClient(pbi::PowerBiClient* client)
{
    m_client = client;
    setWorkspaces({});
}

void WorkspaceTreeModel::setWorkspaces(std::vector<pbi::Workspace> workspaces, bool itemsIncluded)
{
    beginResetModel();
    ++m_generation;
    m_root.clear();
    m_root.reserve(workspaces.size());
    for (auto& w : workspaces)
        m_root.push_back(makeWorkspaceNode(std::move(w), int(m_root.size()), itemsIncluded));
    endResetModel();
}

void WorkspaceTreeModel::appendWorkspaces(std::vector<pbi::Workspace> workspaces,
                                          bool itemsIncluded)
{
    if (workspaces.empty())
        return;
    const int first = int(m_root.size());
    beginInsertRows({}, first, first + int(workspaces.size()) - 1);
    m_root.reserve(m_root.size() + workspaces.size());
    for (auto& w : workspaces)
        m_root.push_back(makeWorkspaceNode(std::move(w), int(m_root.size()), itemsIncluded));
    endInsertRows();
}

std::unique_ptr<WorkspaceTreeModel::Node>
WorkspaceTreeModel::makeWorkspaceNode(pbi::Workspace w, int row, bool itemsIncluded)
{
    auto node = std::make_unique<Node>();
    node->kind = NodeKind::Workspace;
    node->row = row;
    const bool expanded = itemsIncluded || !w.reports.empty() || !w.datasets.empty() ||
                          !w.dashboards.empty() || !w.dataflows.empty() || !w.users.empty();
    node->payload = std::move(w);
    // Folders exist from the start (no request needed); admin $expand fills them at once.
    createFolders(node.get(), expanded);
    return node;
}

void WorkspaceTreeModel::createFolders(Node* workspace, bool loaded)
{
    // Called before the workspace node is in the tree (inside a reset or an insertion).
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

namespace {

template <typename Nodes>
auto* findWorkspaceNode(Nodes& root, const QString& id)
{
    for (auto& w : root)
        if (std::get<Workspace>(w->payload).id == id)
            return w.get();
    return static_cast<decltype(root.front().get())>(nullptr);
}

} // namespace

bool WorkspaceTreeModel::replaceWorkspace(const QString& id, pbi::Workspace workspace)
{
    Node* node = findWorkspaceNode(m_root, id);
    if (!node)
        return false;
    for (auto& folder : node->children) {
        ++folder->loadToken; // a member load still on its way is dropped
        if (!folder->children.empty()) {
            beginRemoveRows(indexOf(folder.get()), 0, int(folder->children.size()) - 1);
            folder->children.clear();
            endRemoveRows();
        }
    }
    auto fill = [&](Node* folder, auto& items) {
        using T = typename std::decay_t<decltype(items)>::value_type;
        std::sort(items.begin(), items.end(), [](const T& a, const T& b) {
            return itemName(a).compare(itemName(b), Qt::CaseInsensitive) < 0;
        });
        folder->state = LoadState::Loaded;
        folder->error.reset();
        if (!items.empty()) {
            beginInsertRows(indexOf(folder), 0, int(items.size()) - 1);
            for (auto& item : items) {
                auto child = std::make_unique<Node>();
                child->kind = kindOf<T>();
                child->parent = folder;
                child->row = int(folder->children.size());
                child->state = LoadState::Loaded;
                child->payload = std::move(item);
                folder->children.push_back(std::move(child));
            }
            endInsertRows();
        }
        items.clear();
        Q_EMIT dataChanged(indexOf(folder), indexOf(folder, ColumnCount - 1));
    };
    fill(node->children[std::size_t(FolderKind::Reports)].get(), workspace.reports);
    fill(node->children[std::size_t(FolderKind::SemanticModels)].get(), workspace.datasets);
    fill(node->children[std::size_t(FolderKind::Dashboards)].get(), workspace.dashboards);
    fill(node->children[std::size_t(FolderKind::Dataflows)].get(), workspace.dataflows);
    fill(node->children[std::size_t(FolderKind::Members)].get(), workspace.users);
    node->payload = std::move(workspace);
    node->error.reset();
    // Its name may have changed: the filter's cached text and answer for it are stale.
    node->searchKey.clear();
    node->matchStamp = 0;
    Q_EMIT dataChanged(indexOf(node), indexOf(node, ColumnCount - 1));
    return true;
}

void WorkspaceTreeModel::setWorkspaceLoading(const QString& id, bool loading)
{
    Node* node = findWorkspaceNode(m_root, id);
    if (!node)
        return;
    for (auto& folder : node->children) {
        if (loading)
            folder->state = LoadState::Loading;
        else if (folder->state == LoadState::Loading)
            folder->state = folder->error ? LoadState::Failed : LoadState::Loaded;
        Q_EMIT dataChanged(indexOf(folder.get()), indexOf(folder.get(), ColumnCount - 1));
    }
}

void WorkspaceTreeModel::setWorkspaceError(const QString& id, const pbi::Error& error)
{
    Node* node = findWorkspaceNode(m_root, id);
    if (!node)
        return;
    node->error = error;
    Q_EMIT dataChanged(indexOf(node), indexOf(node, ColumnCount - 1));
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
            if (const auto* w = std::get_if<Workspace>(&n->payload)) {
                // The admin API's types in words; an unknown one as the service spells it.
                if (!w->type || *w->type == QLatin1String("Workspace") ||
                    *w->type == QLatin1String("Group"))
                    return tr("Workspace");
                if (*w->type == QLatin1String("PersonalGroup") ||
                    *w->type == QLatin1String("Personal"))
                    return tr("Personal workspace");
                if (*w->type == QLatin1String("AdminWorkspace"))
                    return tr("Admin workspace");
                return *w->type;
            }
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
        return column == NameColumn ? QVariant(kindIcon(n->kind)) : QVariant();
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
