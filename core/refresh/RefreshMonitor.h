#pragma once

#include "api/PowerBiClient.h"
#include "refresh/RefreshRules.h"

#include <QObject>
#include <QPointer>
#include <QSet>

#include <deque>
#include <functional>
#include <vector>

namespace pbi::refresh {

/// One refresh seen by the tenant refresh monitor.
struct MonitorRow {
    QString workspaceId;
    QString workspaceName;
    QString datasetId;
    QString datasetName;
    QString capacityName; ///< admin scope only
    Refresh refresh;
};

/// A workspace or model the sweep could not read; the rest of the sweep goes on.
struct MonitorProblem {
    QString workspaceName;
    QString datasetName; ///< empty: the workspace's model list failed
    Error error;
};

enum class MonitorScope {
    Member, ///< every refreshable model in the identity's workspaces, history per model
    Admin,  ///< GET /admin/capacities/refreshables: the last refresh of every model on a capacity
};

struct MonitorFilter {
    bool failedOnly = false;
    bool runningOnly = false;
    int withinHours = 0; ///< 0: any time
    QString text;        ///< matched against workspace and model names, error code
};

/// Whether a row passes the filter at `now`.
bool matches(const MonitorRow& row, const MonitorFilter& filter, const QDateTime& now);

/// Recent refreshes across the tenant, for support staff: one sweep reads every model in scope
/// (member scope: the history of each refreshable model, a few calls at a time so the tenant's
/// limits hold; admin scope: the refreshables pages). The rows of a sweep replace the previous
/// ones only when it ends, so a view never shows half a sweep.
class RefreshMonitor : public QObject {
    Q_OBJECT
public:
    explicit RefreshMonitor(PowerBiClient* client, QObject* parent = nullptr);
    ~RefreshMonitor() override;

    void setScope(MonitorScope scope) { m_scope = scope; }
    MonitorScope scope() const { return m_scope; }
    /// Member scope: history entries read per model ($top).
    void setHistoryDepth(int depth) { m_depth = depth; }
    /// Member scope: calls in flight at once.
    void setParallelism(int n) { m_parallel = std::max(1, n); }

    /// Starts a sweep; ignored while one runs.
    void start();
    void cancel();
    bool isRunning() const { return m_running; }

    /// Rows of the last finished sweep, newest refresh first.
    const std::vector<MonitorRow>& rows() const { return m_rows; }
    const std::vector<MonitorProblem>& problems() const { return m_problems; }
    QDateTime lastSweep() const { return m_lastSweep; }

Q_SIGNALS:
    void progress(int done, int total);
    void sweepFinished();
    /// The sweep could not start (e.g. the workspace list or the admin call was refused).
    void sweepFailed(const pbi::Error& error);

private:
    void enqueue(std::function<quint64()> job);
    void pump();
    void jobDone();
    void memberSweep();
    void adminPage(int skip);
    void finish();

    QPointer<PowerBiClient> m_client; ///< the session may end first: never call a dead client
    MonitorScope m_scope = MonitorScope::Member;
    int m_depth = 10;
    int m_parallel = 4;
    bool m_running = false;
    quint64 m_generation = 0;
    int m_done = 0;
    int m_total = 0;
    std::deque<std::function<quint64()>> m_queue;
    int m_active = 0;          ///< calls in flight
    QSet<quint64> m_callIds;   ///< every call of this sweep, for cancel()
    std::vector<MonitorRow> m_pending;
    std::vector<MonitorProblem> m_pendingProblems;
    std::vector<MonitorRow> m_rows;
    std::vector<MonitorProblem> m_problems;
    QDateTime m_lastSweep;
};

} // namespace pbi::refresh
