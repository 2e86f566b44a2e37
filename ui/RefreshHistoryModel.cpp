#include "RefreshHistoryModel.h"

#include "RefreshStatus.h"

#include "Clock.h"

#include <QFont>
#include <QSet>

#include <limits>

namespace pbi::ui {

using pbi::refresh::State;

namespace {

QString localTime(const std::optional<QDateTime>& t)
{
    // Minutes are enough in the table; the tooltip has the exact UTC time.
    return t ? t->toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}

/// Data and Query attempts share an attemptId: count the tries, not the entries.
int attemptCount(const pbi::Refresh& r)
{
    QSet<int> ids;
    int withoutId = 0;
    for (const auto& a : r.refreshAttempts) {
        if (a.attemptId)
            ids.insert(*a.attemptId);
        else
            ++withoutId;
    }
    return int(ids.size()) + withoutId;
}

} // namespace

RefreshHistoryModel::RefreshHistoryModel(const pbi::Clock* clock, QObject* parent)
    : QAbstractTableModel(parent)
    , m_clock(clock)
{}

RefreshHistoryModel::Row RefreshHistoryModel::makeRow(pbi::Refresh refresh)
{
    Row row;
    row.state = pbi::refresh::stateOf(refresh);
    row.failure = pbi::refresh::decodeFailure(refresh.serviceExceptionJson);
    row.refresh = std::move(refresh);
    return row;
}

int RefreshHistoryModel::historyIndexOf(const QString& requestId) const
{
    if (requestId.isEmpty())
        return -1;
    for (std::size_t i = 0; i < m_history.size(); ++i) {
        const auto& id = m_history[i].refresh.requestId;
        if (id && id->compare(requestId, Qt::CaseInsensitive) == 0)
            return int(i);
    }
    return -1;
}

void RefreshHistoryModel::setRefreshes(std::vector<pbi::Refresh> refreshes)
{
    beginResetModel();
    m_history.clear();
    m_history.reserve(refreshes.size());
    for (auto& r : refreshes)
        m_history.push_back(makeRow(std::move(r)));
    m_pending = false;
    if (m_followed) {
        const int i = historyIndexOf(m_followed->refresh.requestId.value_or(QString()));
        if (i < 0)
            m_pending = true;
        else if (!isFinished(m_history[std::size_t(i)].state))
            m_history[std::size_t(i)] = *m_followed; // the follower's view is the fresher one
    }
    endResetModel();
}

void RefreshHistoryModel::clear()
{
    beginResetModel();
    m_history.clear();
    m_followed.reset();
    m_pending = false;
    endResetModel();
}

void RefreshHistoryModel::setFollowed(std::optional<pbi::Refresh> refresh, bool listed)
{
    if (!refresh) {
        m_followed.reset();
        if (m_pending) {
            beginRemoveRows({}, 0, 0);
            m_pending = false;
            endRemoveRows();
        }
        return;
    }
    Row row = makeRow(std::move(*refresh));
    const int i = listed ? historyIndexOf(row.refresh.requestId.value_or(QString())) : -1;
    if (i >= 0) {
        // Listed: its history row carries it from now on.
        Row& target = m_history[std::size_t(i)];
        if (!row.refresh.refreshType)
            row.refresh.refreshType = target.refresh.refreshType;
        if (row.refresh.refreshAttempts.empty())
            row.refresh.refreshAttempts = target.refresh.refreshAttempts;
        target = row;
        m_followed = std::move(row);
        if (m_pending) {
            beginRemoveRows({}, 0, 0);
            m_pending = false;
            endRemoveRows();
        }
        const int shown = i;
        Q_EMIT dataChanged(index(shown, 0), index(shown, ColumnCount - 1));
        return;
    }
    if (listed) {
        // The service lists it but this copy of the history predates it: it joins the history
        // on top (the same place a pending row takes).
        m_followed = row;
        if (m_pending) {
            m_pending = false;
            m_history.insert(m_history.begin(), std::move(row));
            Q_EMIT dataChanged(index(0, 0), index(0, ColumnCount - 1));
            return;
        }
        beginInsertRows({}, 0, 0);
        m_history.insert(m_history.begin(), std::move(row));
        endInsertRows();
        return;
    }
    m_followed = std::move(row);
    if (m_pending) {
        Q_EMIT dataChanged(index(0, 0), index(0, ColumnCount - 1));
        return;
    }
    beginInsertRows({}, 0, 0);
    m_pending = true;
    endInsertRows();
}

const RefreshHistoryModel::Row* RefreshHistoryModel::rowAt(int row) const
{
    if (row < 0)
        return nullptr;
    if (m_pending) {
        if (row == 0)
            return &*m_followed;
        --row;
    }
    return std::size_t(row) < m_history.size() ? &m_history[std::size_t(row)] : nullptr;
}

const pbi::Refresh* RefreshHistoryModel::refreshAt(int row) const
{
    const Row* r = rowAt(row);
    return r ? &r->refresh : nullptr;
}

const std::optional<pbi::refresh::Failure>& RefreshHistoryModel::failureAt(int row) const
{
    static const std::optional<pbi::refresh::Failure> none;
    const Row* r = rowAt(row);
    return r ? r->failure : none;
}

State RefreshHistoryModel::stateAt(int row) const
{
    const Row* r = rowAt(row);
    return r ? r->state : State::Unknown;
}

int RefreshHistoryModel::rowOfRequestId(const QString& requestId) const
{
    if (requestId.isEmpty())
        return -1;
    for (int row = 0; row < rowCount(); ++row) {
        const auto& id = rowAt(row)->refresh.requestId;
        if (id && id->compare(requestId, Qt::CaseInsensitive) == 0)
            return row;
    }
    return -1;
}

bool RefreshHistoryModel::hasRunning() const
{
    for (int row = 0; row < rowCount(); ++row)
        if (rowAt(row)->state == State::Running)
            return true;
    return false;
}

void RefreshHistoryModel::tick()
{
    for (int row = 0; row < rowCount(); ++row)
        if (rowAt(row)->state == State::Running)
            Q_EMIT dataChanged(index(row, DurationColumn), index(row, DurationColumn),
                               {Qt::DisplayRole, SortRole});
}

int RefreshHistoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_history.size()) + (m_pending ? 1 : 0);
}

int RefreshHistoryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RefreshHistoryModel::data(const QModelIndex& index, int role) const
{
    const Row* row = index.isValid() ? rowAt(index.row()) : nullptr;
    if (!row)
        return {};
    const pbi::Refresh& r = row->refresh;
    const bool pending = isPending(index.row());
    switch (role) {
    case StateRole:
        return int(row->state);
    case RequestIdRole:
        return r.requestId.value_or(QString());
    case PendingRole:
        return pending;
    default:
        break;
    }
    const auto duration = pbi::refresh::durationMs(r, m_clock->now());
    if (role == SortRole) {
        switch (Column(index.column())) {
        case StatusColumn:
            return int(row->state);
        case TypeColumn:
            return pbi::refresh::typeName(r.refreshType.value_or(QString()));
        case StartColumn:
            return r.startTime ? r.startTime->toMSecsSinceEpoch() : qint64(0);
        case EndColumn:
            // Running ones (no end) sort after every finished one.
            return r.endTime ? r.endTime->toMSecsSinceEpoch() : std::numeric_limits<qint64>::max();
        case DurationColumn:
            return duration ? *duration : qint64(-1);
        case AttemptsColumn:
            return attemptCount(r);
        case ErrorColumn:
            return row->failure ? row->failure->errorCode : QString();
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role == Qt::DisplayRole) {
        switch (Column(index.column())) {
        case StatusColumn:
            return pbi::refresh::stateName(row->state);
        case TypeColumn:
            return pbi::refresh::typeName(r.refreshType.value_or(QString()));
        case StartColumn:
            return localTime(r.startTime);
        case EndColumn:
            if (pending)
                return tr("not listed yet");
            if (!r.endTime)
                return QStringLiteral("—");
            // The same day as the start: the time says it all.
            if (r.startTime && r.startTime->toLocalTime().date() == r.endTime->toLocalTime().date())
                return r.endTime->toLocalTime().toString(QStringLiteral("HH:mm"));
            return localTime(r.endTime);
        case DurationColumn:
            return duration ? pbi::refresh::formatDuration(*duration) : QString();
        case AttemptsColumn: {
            const int n = attemptCount(r);
            return n ? QString::number(n) : QString();
        }
        case ErrorColumn:
            if (!row->failure)
                return QString();
            return row->failure->errorCode.isEmpty() ? tr("(no code)") : row->failure->errorCode;
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role == Qt::DecorationRole && index.column() == StatusColumn)
        return refreshStateIcon(row->state);
    if (role == Qt::ToolTipRole) {
        switch (Column(index.column())) {
        case StatusColumn:
        case EndColumn:
            if (pending)
                return tr(
                    "The service accepted this refresh but does not list it in the history yet; it "
                    "usually appears within seconds.");
            if (index.column() == EndColumn)
                return r.endTime ? r.endTime->toUTC().toString(Qt::ISODateWithMs) : QVariant();
            return refreshStateExplanation(row->state);
        case StartColumn:
            return r.startTime ? r.startTime->toUTC().toString(Qt::ISODateWithMs) : QVariant();
        case ErrorColumn:
            return row->failure ? row->failure->sentence : QVariant();
        default:
            break;
        }
        return {};
    }
    if (role == Qt::FontRole && pending) {
        QFont italic;
        italic.setItalic(true);
        return italic;
    }
    if (role == Qt::TextAlignmentRole &&
        (index.column() == DurationColumn || index.column() == AttemptsColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant RefreshHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case StatusColumn:
        return tr("Status");
    case TypeColumn:
        return tr("Type");
    case StartColumn:
        return tr("Start");
    case EndColumn:
        return tr("End");
    case DurationColumn:
        return tr("Duration");
    case AttemptsColumn:
        return tr("Attempts");
    case ErrorColumn:
        return tr("Error code");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace pbi::ui
