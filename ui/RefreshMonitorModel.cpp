#include "RefreshMonitorModel.h"

#include "RefreshStatus.h"

#include "Clock.h"

namespace pbi::ui {

using pbi::refresh::State;

RefreshMonitorModel::RefreshMonitorModel(const pbi::Clock* clock, QObject* parent)
    : QAbstractTableModel(parent)
    , m_clock(clock)
{}

void RefreshMonitorModel::setRows(std::vector<pbi::refresh::MonitorRow> rows)
{
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(rows.size());
    for (auto& r : rows) {
        // Decoded once here: filters and sorting must not parse JSON per paint.
        const auto failure = pbi::refresh::decodeFailure(r.refresh.serviceExceptionJson);
        const State state = pbi::refresh::stateOf(r.refresh);
        m_rows.push_back({std::move(r), state, failure ? failure->errorCode : QString()});
    }
    endResetModel();
}

const pbi::refresh::MonitorRow* RefreshMonitorModel::rowAt(int row) const
{
    return row >= 0 && std::size_t(row) < m_rows.size() ? &m_rows[std::size_t(row)].row : nullptr;
}

int RefreshMonitorModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RefreshMonitorModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RefreshMonitorModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || std::size_t(index.row()) >= m_rows.size())
        return {};
    const Row& row = m_rows[std::size_t(index.row())];
    const pbi::Refresh& r = row.row.refresh;
    switch (role) {
    case StateRole:
        return int(row.state);
    case WorkspaceIdRole:
        return row.row.workspaceId;
    case DatasetIdRole:
        return row.row.datasetId;
    default:
        break;
    }
    const auto duration = pbi::refresh::durationMs(r, m_clock->now());
    const auto column = Column(index.column());
    if (role == SortRole || role == ExportRole) {
        switch (column) {
        case StartColumn:
            if (role == ExportRole)
                return r.startTime ? r.startTime->toUTC().toString(Qt::ISODate) : QString();
            return r.startTime ? r.startTime->toMSecsSinceEpoch() : qint64(0);
        case DurationColumn:
            if (role == ExportRole)
                return duration ? QString::number(*duration / 1000) : QString();
            return duration ? *duration : qint64(-1);
        case StatusColumn:
            if (role == SortRole)
                return int(row.state);
            break;
        default:
            break;
        }
        return data(index, Qt::DisplayRole);
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
        case WorkspaceColumn:
            return row.row.workspaceName;
        case ModelColumn:
            return row.row.datasetName;
        case StatusColumn:
            return pbi::refresh::stateName(row.state);
        case TypeColumn:
            return pbi::refresh::typeName(r.refreshType.value_or(QString()));
        case StartColumn:
            return r.startTime
                       ? r.startTime->toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                       : QString();
        case DurationColumn:
            return duration ? pbi::refresh::formatDuration(*duration) : QString();
        case ErrorColumn:
            return row.errorCode;
        case CapacityColumn:
            return row.row.capacityName;
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role == Qt::DecorationRole && column == StatusColumn)
        return refreshStateIcon(row.state);
    if (role == Qt::ToolTipRole) {
        if (column == StatusColumn)
            return refreshStateExplanation(row.state);
        if (column == ErrorColumn && !row.errorCode.isEmpty()) {
            const auto failure = pbi::refresh::decodeFailure(r.serviceExceptionJson);
            return failure ? failure->sentence : QVariant();
        }
        if (column == StartColumn && r.startTime)
            return r.startTime->toUTC().toString(Qt::ISODate);
        return {};
    }
    if (role == Qt::TextAlignmentRole && column == DurationColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant RefreshMonitorModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case WorkspaceColumn:
        return tr("Workspace");
    case ModelColumn:
        return tr("Semantic model");
    case StatusColumn:
        return tr("Status");
    case TypeColumn:
        return tr("Type");
    case StartColumn:
        return tr("Start");
    case DurationColumn:
        return tr("Duration");
    case ErrorColumn:
        return tr("Error code");
    case CapacityColumn:
        return tr("Capacity");
    case ColumnCount:
        break;
    }
    return {};
}

RefreshMonitorProxy::RefreshMonitorProxy(const pbi::Clock* clock, QObject* parent)
    : QSortFilterProxyModel(parent)
    , m_clock(clock)
{
    setSortRole(RefreshMonitorModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void RefreshMonitorProxy::setFilter(const pbi::refresh::MonitorFilter& filter)
{
    m_filter = filter;
    m_now = m_clock->now();
#if QT_VERSION >= QT_VERSION_CHECK(6, 9, 0)
    beginFilterChange();
    endFilterChange();
#else
    invalidateFilter();
#endif
}

bool RefreshMonitorProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const auto* model = static_cast<const RefreshMonitorModel*>(sourceModel());
    const pbi::refresh::MonitorRow* row = model->rowAt(sourceRow);
    return row && pbi::refresh::matches(*row, m_filter, m_now.isValid() ? m_now : m_clock->now());
}

} // namespace pbi::ui
