#include "RequestLogModel.h"

#include <QBrush>
#include <QColor>

namespace pbi::ui {

RequestLogModel::RequestLogModel(QObject* parent, std::size_t capacity)
    : QAbstractTableModel(parent)
    , m_capacity(capacity)
{
}

void RequestLogModel::setLog(pbi::RequestLog* log)
{
    if (m_log)
        m_log->disconnect(this);
    beginResetModel();
    m_log = log;
    m_entries.clear();
    if (log) {
        const auto& existing = log->entries();
        const std::size_t skip = existing.size() > m_capacity ? existing.size() - m_capacity : 0;
        for (std::size_t i = skip; i < existing.size(); ++i)
            m_entries.push_back(existing[i]);
    }
    endResetModel();
    if (log)
        connect(log, &pbi::RequestLog::entryAdded, this, &RequestLogModel::append);
}

void RequestLogModel::append(const pbi::RequestLogEntry& entry)
{
    if (m_entries.size() >= m_capacity) {
        beginRemoveRows({}, 0, 0);
        m_entries.pop_front();
        endRemoveRows();
    }
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.push_back(entry);
    endInsertRows();
}

const pbi::RequestLogEntry* RequestLogModel::entryAt(int row) const
{
    return row >= 0 && row < int(m_entries.size()) ? &m_entries[std::size_t(row)] : nullptr;
}

int RequestLogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int RequestLogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RequestLogModel::data(const QModelIndex& index, int role) const
{
    const pbi::RequestLogEntry* e = entryAt(index.row());
    if (!e || !index.isValid())
        return {};
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case TimeColumn: return e->started.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
        case MethodColumn: return QString::fromLatin1(e->method);
        case PathColumn: {
            QString path = e->url.path();
            if (e->url.hasQuery())
                path += QLatin1Char('?') + e->url.query();
            return role == Qt::ToolTipRole ? e->url.toString() : path;
        }
        case StatusColumn:
            if (e->status == 0)
                return e->error.isEmpty() ? tr("—") : e->error;
            return e->note.isEmpty() ? QString::number(e->status)
                                     : QStringLiteral("%1 · %2").arg(e->status).arg(e->note);
        case DurationColumn: return QStringLiteral("%1 ms").arg(e->durationMs);
        case RetriesColumn: return e->retries == 0 ? QString() : QString::number(e->retries);
        case RequestIdColumn: return e->requestId;
        }
    }
    if (role == Qt::ForegroundRole && index.column() == StatusColumn) {
        if (e->status == 0 || e->status >= 500)
            return QBrush(QColor(0xc6, 0x28, 0x28));
        if (e->status == 429 || e->status >= 400)
            return QBrush(QColor(0xb2, 0x6a, 0x00));
    }
    if (role == Qt::TextAlignmentRole && (index.column() == DurationColumn || index.column() == RetriesColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant RequestLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case MethodColumn: return tr("Method");
    case PathColumn: return tr("Path");
    case StatusColumn: return tr("Status");
    case DurationColumn: return tr("Duration");
    case RetriesColumn: return tr("Retry");
    case RequestIdColumn: return tr("Request id");
    }
    return {};
}

} // namespace pbi::ui
