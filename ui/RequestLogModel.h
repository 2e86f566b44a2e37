#pragma once

#include "http/RequestLog.h"

#include <QAbstractTableModel>
#include <QPointer>

#include <deque>

namespace pbi::ui {

/// The request log as a table, newest last. Mirrors the core's log as entries arrive (bounded,
/// oldest dropped first) so rows never change under a view.
class RequestLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, MethodColumn, PathColumn, StatusColumn, DurationColumn, RetriesColumn, RequestIdColumn, ColumnCount };

    explicit RequestLogModel(QObject* parent = nullptr, std::size_t capacity = 2000);

    /// Follows this log from now on, starting with what it already holds.
    void setLog(pbi::RequestLog* log);
    const pbi::RequestLogEntry* entryAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void append(const pbi::RequestLogEntry& entry);

    QPointer<pbi::RequestLog> m_log;
    std::deque<pbi::RequestLogEntry> m_entries;
    std::size_t m_capacity;
};

} // namespace pbi::ui
