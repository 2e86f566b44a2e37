#pragma once

#include "refresh/RefreshMonitor.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <optional>
#include <vector>

namespace pbi {
class Clock;
}

namespace pbi::ui {

/// The rows of a tenant refresh sweep as a table: workspace, model, status, type, start,
/// duration, error code (and capacity at admin scope).
class RefreshMonitorModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        WorkspaceColumn,
        ModelColumn,
        StatusColumn,
        TypeColumn,
        StartColumn,
        DurationColumn,
        ErrorColumn,
        CapacityColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, ///< times and durations as ms
        StateRole,                   ///< refresh::State as int
        ExportRole,                  ///< the CSV form: ISO 8601 UTC times, durations in seconds
        WorkspaceIdRole,
        DatasetIdRole,
    };

    explicit RefreshMonitorModel(const pbi::Clock* clock, QObject* parent = nullptr);

    void setRows(std::vector<pbi::refresh::MonitorRow> rows);
    const pbi::refresh::MonitorRow* rowAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row {
        pbi::refresh::MonitorRow row;
        pbi::refresh::State state;
        QString errorCode;
    };
    const pbi::Clock* m_clock;
    std::vector<Row> m_rows;
};

/// Filters monitor rows with refresh::matches() at the clock's "now", and sorts by SortRole.
class RefreshMonitorProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit RefreshMonitorProxy(const pbi::Clock* clock, QObject* parent = nullptr);

    void setFilter(const pbi::refresh::MonitorFilter& filter);
    const pbi::refresh::MonitorFilter& filter() const { return m_filter; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    const pbi::Clock* m_clock;
    pbi::refresh::MonitorFilter m_filter;
    QDateTime m_now;
};

} // namespace pbi::ui
