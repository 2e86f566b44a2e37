#include "ExplorerProxy.h"

#include "WorkspaceTreeModel.h"

namespace pbi::ui {

namespace {

using K = WorkspaceTreeModel::NodeKind;
using F = WorkspaceTreeModel::FolderKind;

ExplorerProxy::Kind kindFlag(F folder)
{
    switch (folder) {
    case F::Reports:
        return ExplorerProxy::Reports;
    case F::SemanticModels:
        return ExplorerProxy::SemanticModels;
    case F::Dashboards:
        return ExplorerProxy::Dashboards;
    case F::Dataflows:
        return ExplorerProxy::Dataflows;
    case F::Members:
        return ExplorerProxy::Members;
    }
    return ExplorerProxy::AllKinds;
}

ExplorerProxy::Kind kindFlag(K kind)
{
    switch (kind) {
    case K::Report:
        return ExplorerProxy::Reports;
    case K::SemanticModel:
        return ExplorerProxy::SemanticModels;
    case K::Dashboard:
        return ExplorerProxy::Dashboards;
    case K::Dataflow:
        return ExplorerProxy::Dataflows;
    case K::Member:
        return ExplorerProxy::Members;
    case K::Workspace:
    case K::Folder:
        break;
    }
    return ExplorerProxy::AllKinds;
}

bool isPersonal(const pbi::Workspace& w)
{
    return w.type &&
           (*w.type == QLatin1String("PersonalGroup") || *w.type == QLatin1String("Personal"));
}

} // namespace

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
    refilter();
}

void ExplorerProxy::setKinds(Kinds kinds)
{
    kinds &= AllKinds;
    if (!kinds)
        kinds = AllKinds; // nothing at all would be an empty tree nobody asked for
    if (kinds == m_kinds)
        return;
    m_kinds = kinds;
    refilter();
}

void ExplorerProxy::setWorkspaceType(WorkspaceType type)
{
    if (type == m_type)
        return;
    m_type = type;
    refilter();
}

void ExplorerProxy::setDedicatedOnly(bool on)
{
    if (on == m_dedicatedOnly)
        return;
    m_dedicatedOnly = on;
    refilter();
}

void ExplorerProxy::setCapacity(const QString& capacityId, const QString& label)
{
    m_capacityLabel = label;
    if (capacityId == m_capacity)
        return;
    m_capacity = capacityId;
    refilter();
}

QString ExplorerProxy::sharedCapacity()
{
    return QStringLiteral("shared"); // capacity ids are GUIDs: no clash
}

void ExplorerProxy::setFailedModels(QSet<QString> datasetIds)
{
    // Ids compared without regard to case: the admin and member APIs do not always agree on it.
    m_failedModels.clear();
    for (const QString& id : std::as_const(datasetIds))
        m_failedModels.insert(id.toLower());
    if (m_failedOnly)
        refilter();
}

void ExplorerProxy::setFailedRefreshOnly(bool on)
{
    if (on == m_failedOnly)
        return;
    m_failedOnly = on;
    refilter();
}

void ExplorerProxy::clearFilters()
{
    if (!isFiltering())
        return;
    m_text.clear();
    m_kinds = AllKinds;
    m_type = WorkspaceType::Any;
    m_dedicatedOnly = false;
    m_capacity.clear();
    m_capacityLabel.clear();
    m_failedOnly = false;
    refilter();
}

void ExplorerProxy::refilter()
{
    // Re-evaluates every row once; the model answers from its own values, without building a
    // QVariant or a string per row.
    invalidateFilter();
    Q_EMIT criteriaChanged();
}

bool ExplorerProxy::isFiltering() const
{
    return !m_text.isEmpty() || m_kinds != AllKinds || m_type != WorkspaceType::Any ||
           m_dedicatedOnly || !m_capacity.isEmpty() || m_failedOnly;
}

QString ExplorerProxy::describe() const
{
    QStringList parts;
    if (!m_text.isEmpty())
        parts << tr("text “%1”").arg(m_text);
    if (m_kinds != AllKinds) {
        QStringList kinds;
        if (m_kinds & Reports)
            kinds << tr("reports");
        if (m_kinds & SemanticModels)
            kinds << tr("semantic models");
        if (m_kinds & Dashboards)
            kinds << tr("dashboards");
        if (m_kinds & Dataflows)
            kinds << tr("dataflows");
        if (m_kinds & Members)
            kinds << tr("members");
        parts << kinds.join(QStringLiteral(", "));
    }
    if (m_type == WorkspaceType::Shared)
        parts << tr("shared workspaces");
    else if (m_type == WorkspaceType::Personal)
        parts << tr("personal workspaces");
    if (m_dedicatedOnly)
        parts << tr("on dedicated capacity");
    if (m_capacity == sharedCapacity())
        parts << tr("shared capacity");
    else if (!m_capacity.isEmpty())
        parts << tr("capacity %1").arg(m_capacityLabel.isEmpty() ? m_capacity : m_capacityLabel);
    if (m_failedOnly)
        parts << tr("last refresh failed");
    return parts.join(QStringLiteral(" · "));
}

bool ExplorerProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (!m_tree)
        return true;
    const bool kindsRestricted = m_kinds != AllKinds;
    if (!kindsRestricted && m_type == WorkspaceType::Any && !m_dedicatedOnly &&
        m_capacity.isEmpty() && !m_failedOnly)
        return m_text.isEmpty() || m_tree->matches(sourceRow, sourceParent, m_text);

    // One lookup of pointers, then plain compares: this runs for every row on every change.
    const WorkspaceTreeModel::RowFacts facts = m_tree->factsAt(sourceRow, sourceParent);
    const pbi::Workspace* w = facts.workspace;
    if (!w)
        return false;
    // Workspace criteria hide a workspace with everything in it.
    if (m_dedicatedOnly && !w->isOnDedicatedCapacity)
        return false;
    if (m_type != WorkspaceType::Any && isPersonal(*w) != (m_type == WorkspaceType::Personal))
        return false;
    if (!m_capacity.isEmpty()) {
        const bool shared = !w->capacityId || w->capacityId->isEmpty();
        if (m_capacity == sharedCapacity() ? !shared
                                           : shared || w->capacityId->compare(m_capacity, Qt::CaseInsensitive) != 0)
            return false;
    }
    if (m_failedOnly) {
        // Models only, and only those the sweep found failed; workspaces and folders stay for
        // them (recursive filtering), never on their own.
        if (facts.kind != K::SemanticModel || !(m_kinds & SemanticModels))
            return false;
        const QModelIndex source = m_tree->index(sourceRow, 0, sourceParent);
        if (!m_failedModels.contains(source.data(WorkspaceTreeModel::IdRole).toString().toLower()))
            return false;
        return m_text.isEmpty() || m_tree->matches(sourceRow, sourceParent, m_text);
    }
    if (kindsRestricted) {
        switch (facts.kind) {
        case K::Workspace:
            // Kept as the place to expand while no text is typed; with text, only for what it
            // holds (its own name matching would show a workspace of none of these kinds).
            return m_text.isEmpty();
        case K::Folder:
            // A folder never matches text by itself: with text it stays for its matches only.
            return (m_kinds & kindFlag(facts.folder)) && m_text.isEmpty();
        default:
            if (!(m_kinds & kindFlag(facts.kind)))
                return false;
            break;
        }
    }
    return m_text.isEmpty() || m_tree->matches(sourceRow, sourceParent, m_text);
}

bool ExplorerProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    // Kinds from the model's nodes, not through QVariant roles: sorting calls this n·log n times.
    const K lk = m_tree ? m_tree->kindAt(left) : K(left.data(WorkspaceTreeModel::KindRole).toInt());
    const K rk =
        m_tree ? m_tree->kindAt(right) : K(right.data(WorkspaceTreeModel::KindRole).toInt());
    if (lk == K::Folder && rk == K::Folder)
        return sortOrder() == Qt::AscendingOrder ? left.row() < right.row() : left.row() > right.row();
    return QSortFilterProxyModel::lessThan(left, right);
}

std::vector<pbi::InventoryRow> ExplorerProxy::visibleRows() const
{
    std::vector<pbi::InventoryRow> rows;
    collect({}, {}, rows);
    return rows;
}

void ExplorerProxy::collect(const QModelIndex& proxyParent, const QString& workspace,
                            std::vector<pbi::InventoryRow>& rows) const
{
    if (!m_tree)
        return;
    const int count = rowCount(proxyParent);
    for (int r = 0; r < count; ++r) {
        const QModelIndex index = this->index(r, WorkspaceTreeModel::NameColumn, proxyParent);
        const QModelIndex source = mapToSource(index);
        const K kind = m_tree->kindAt(source);
        QString workspaceName = workspace;
        if (kind != K::Folder) {
            pbi::InventoryRow row;
            row.name = source.data().toString();
            row.id = source.data(WorkspaceTreeModel::IdRole).toString();
            row.kind = nodeKindNoun(kind);
            if (kind == K::Workspace)
                workspaceName = row.name;
            row.workspace = workspaceName;
            // The view's own words: the type where it says more than the kind, then the details.
            QStringList details;
            const QString type =
                source.siblingAtColumn(WorkspaceTreeModel::TypeColumn).data().toString();
            if (!type.isEmpty() && type != nodeKindName(kind))
                details << type;
            const QString detail =
                source.siblingAtColumn(WorkspaceTreeModel::DetailColumn).data().toString();
            if (!detail.isEmpty())
                details << detail;
            row.details = details.join(QStringLiteral(" · "));
            rows.push_back(std::move(row));
        }
        collect(index, workspaceName, rows);
    }
}

} // namespace pbi::ui
