#pragma once

#include "api/Refresh.h"
#include "refresh/RefreshRules.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace pbi {
class Clock;
}

namespace pbi::ui {

/// The refresh history of one semantic model as a table, newest first as the service sends it.
/// A refresh being followed after "Refresh now" shows on top before the service lists it, and
/// replaces its history row once it does. Running rows' durations move with the clock (tick()).
class RefreshHistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        StatusColumn,
        TypeColumn,
        StartColumn,
        EndColumn,
        DurationColumn,
        AttemptsColumn,
        ErrorColumn,
        ColumnCount
    };
    enum Role {
        StateRole = Qt::UserRole + 1, ///< refresh::State as int
        SortRole,                     ///< a value that sorts right: times as ms, durations as ms
        RequestIdRole,
        PendingRole, ///< true for the followed refresh the service does not list yet
    };

    explicit RefreshHistoryModel(const pbi::Clock* clock, QObject* parent = nullptr);

    /// Replaces the history (a reset): the followed refresh, if any, stays on top.
    void setRefreshes(std::vector<pbi::Refresh> refreshes);
    void clear();
    /// The refresh being followed: merged into its row once the service lists it (`listed`),
    /// otherwise an extra row on top. nullopt removes it.
    void setFollowed(std::optional<pbi::Refresh> refresh, bool listed);

    /// The refresh at `row` (null out of range).
    const pbi::Refresh* refreshAt(int row) const;
    /// The decoded failure at `row`, if the refresh failed with a serviceExceptionJson.
    const std::optional<pbi::refresh::Failure>& failureAt(int row) const;
    pbi::refresh::State stateAt(int row) const;
    bool isPending(int row) const { return m_pending && row == 0; }
    /// The row of the refresh with this requestId, or -1.
    int rowOfRequestId(const QString& requestId) const;
    bool hasRunning() const;
    /// Lets running rows' durations move on (the panel calls it every second).
    void tick();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row {
        pbi::Refresh refresh;
        std::optional<pbi::refresh::Failure> failure;
        pbi::refresh::State state = pbi::refresh::State::Unknown;
    };
    static Row makeRow(pbi::Refresh refresh);
    const Row* rowAt(int row) const;
    int historyIndexOf(const QString& requestId) const;

    const pbi::Clock* m_clock;
    std::vector<Row> m_history;
    std::optional<Row> m_followed;
    bool m_pending = false; ///< m_followed is shown as row 0 (not listed yet)
};

} // namespace pbi::ui
