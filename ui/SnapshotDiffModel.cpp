#include "SnapshotDiffModel.h"

#include "KindIcons.h"
#include "WorkspaceTreeModel.h"

#include <QBrush>
#include <QColor>

namespace pbi::ui {

namespace {

WorkspaceTreeModel::NodeKind nodeKindOf(const QString& noun)
{
    using K = WorkspaceTreeModel::NodeKind;
    for (K k : {K::Workspace, K::Report, K::SemanticModel, K::Dashboard, K::Dataflow, K::Member})
        if (nodeKindNoun(k) == noun)
            return k;
    return K::Folder;
}

QString changeWord(pbi::InventoryChange::Kind kind)
{
    switch (kind) {
    case pbi::InventoryChange::Kind::Added:
        return SnapshotDiffModel::tr("Added");
    case pbi::InventoryChange::Kind::Removed:
        return SnapshotDiffModel::tr("Removed");
    case pbi::InventoryChange::Kind::Changed:
        return SnapshotDiffModel::tr("Changed");
    }
    return {};
}

} // namespace

SnapshotDiffModel::SnapshotDiffModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

void SnapshotDiffModel::setChanges(std::vector<pbi::InventoryChange> changes)
{
    beginResetModel();
    m_changes = std::move(changes);
    endResetModel();
}

const pbi::InventoryChange* SnapshotDiffModel::changeAt(int row) const
{
    return row >= 0 && row < int(m_changes.size()) ? &m_changes[std::size_t(row)] : nullptr;
}

int SnapshotDiffModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_changes.size());
}

int SnapshotDiffModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SnapshotDiffModel::data(const QModelIndex& index, int role) const
{
    const pbi::InventoryChange* c = index.isValid() ? changeAt(index.row()) : nullptr;
    if (!c)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ChangeColumn:
            return changeWord(c->kind);
        case KindColumn:
            return c->itemKind;
        case WorkspaceColumn:
            return c->workspace;
        case NameColumn:
            return c->name;
        case DetailsColumn:
            return c->details.join(QStringLiteral("; "));
        case IdColumn:
            return c->id;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == DetailsColumn && !c->details.isEmpty())
            return c->details.join(QLatin1Char('\n'));
        return {};
    case Qt::DecorationRole:
        if (index.column() == KindColumn) {
            const auto k = nodeKindOf(c->itemKind);
            if (k != WorkspaceTreeModel::NodeKind::Folder)
                return kindIcon(k);
        }
        return {};
    case Qt::ForegroundRole:
        // Mid-tone colours (as the kind icons) that read on light and dark rows; the word says
        // it too, so colour is never the only sign.
        if (index.column() != ChangeColumn)
            return {};
        switch (c->kind) {
        case pbi::InventoryChange::Kind::Added:
            return QBrush(QColor(0x2e, 0x8b, 0x3e));
        case pbi::InventoryChange::Kind::Removed:
            return QBrush(QColor(0xd0, 0x3a, 0x2f));
        case pbi::InventoryChange::Kind::Changed:
            return QBrush(QColor(0xb2, 0x6a, 0x00));
        }
        return {};
    case ChangeKindRole:
        return int(c->kind);
    case ItemKindRole:
        return c->itemKind;
    }
    return {};
}

QVariant SnapshotDiffModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ChangeColumn:
        return tr("Change");
    case KindColumn:
        return tr("Kind");
    case WorkspaceColumn:
        return tr("Workspace");
    case NameColumn:
        return tr("Name");
    case DetailsColumn:
        return tr("What changed");
    case IdColumn:
        return tr("Id");
    }
    return {};
}

SnapshotDiffProxy::SnapshotDiffProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void SnapshotDiffProxy::setDiffModel(SnapshotDiffModel* model)
{
    m_model = model;
    setSourceModel(model);
}

void SnapshotDiffProxy::setChangeKind(int kind)
{
    if (kind == m_changeKind)
        return;
    m_changeKind = kind;
    invalidateFilter();
}

void SnapshotDiffProxy::setItemKind(const QString& kind)
{
    if (kind == m_itemKind)
        return;
    m_itemKind = kind;
    invalidateFilter();
}

void SnapshotDiffProxy::setText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateFilter();
}

bool SnapshotDiffProxy::filterAcceptsRow(int sourceRow, const QModelIndex&) const
{
    const pbi::InventoryChange* c = m_model ? m_model->changeAt(sourceRow) : nullptr;
    if (!c)
        return false;
    if (m_changeKind >= 0 && int(c->kind) != m_changeKind)
        return false;
    if (!m_itemKind.isEmpty() && c->itemKind != m_itemKind)
        return false;
    if (m_text.isEmpty())
        return true;
    auto has = [this](const QString& v) { return v.contains(m_text, Qt::CaseInsensitive); };
    if (has(c->name) || has(c->workspace) || has(c->id))
        return true;
    for (const QString& d : c->details)
        if (has(d))
            return true;
    return false;
}

std::vector<pbi::InventoryChange> SnapshotDiffProxy::shownChanges() const
{
    std::vector<pbi::InventoryChange> out;
    if (!m_model)
        return out;
    out.reserve(std::size_t(rowCount()));
    for (int r = 0; r < rowCount(); ++r)
        if (const auto* c = m_model->changeAt(mapToSource(index(r, 0)).row()))
            out.push_back(*c);
    return out;
}

} // namespace pbi::ui
