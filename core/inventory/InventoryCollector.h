#pragma once

#include "inventory/Snapshot.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace pbi {

class PowerBiClient;
class Clock;

/// Takes a member-scope inventory: the workspaces the identity sees, then each workspace's
/// reports, semantic models, dashboards, dataflows and members, a few workspaces at a time
/// (the transport's limits and retries apply). Stops at the first failure rather than save a
/// snapshot with holes that a later comparison would read as deletions.
class InventoryCollector : public QObject {
    Q_OBJECT
public:
    InventoryCollector(PowerBiClient* client, const Clock* clock, QObject* parent = nullptr);

    void setConnectionName(const QString& name) { m_snapshot.connection = name; }
    /// Workspaces loaded at once (five requests each); 1–16.
    void setParallelWorkspaces(int n) { m_parallel = std::clamp(n, 1, 16); }

    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    const InventorySnapshot& snapshot() const { return m_snapshot; }

Q_SIGNALS:
    void progress(int workspacesDone, int workspacesTotal);
    void finished();
    void failed(const pbi::Error& error);

private:
    void next();
    void fail(Error error, const QString& workspace);
    void partDone(std::size_t index);

    QPointer<PowerBiClient> m_client;
    const Clock* m_clock;
    InventorySnapshot m_snapshot;
    std::vector<int> m_pending; ///< parts still missing per workspace
    std::size_t m_nextWorkspace = 0;
    int m_inFlight = 0;
    int m_done = 0;
    int m_parallel = 4;
    bool m_running = false;
    quint64 m_run = 0; ///< answers of a cancelled run are dropped
};

} // namespace pbi
