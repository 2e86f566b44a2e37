#include "inventory/InventoryCollector.h"

#include "Clock.h"
#include "api/PowerBiClient.h"

namespace pbi {

InventoryCollector::InventoryCollector(PowerBiClient* client, const Clock* clock, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_clock(clock)
{
    m_snapshot.scope = QStringLiteral("member");
}

void InventoryCollector::start()
{
    const quint64 run = ++m_run;
    m_running = true;
    m_snapshot.workspaces.clear();
    m_snapshot.takenAt = m_clock->now();
    m_pending.clear();
    m_nextWorkspace = 0;
    m_inFlight = 0;
    m_done = 0;
    m_client->listWorkspaces(this, [this, run](Result<std::vector<Workspace>> r) {
        if (run != m_run)
            return;
        if (!r)
            return fail(r.error(), QString());
        m_snapshot.workspaces = std::move(r).value();
        m_pending.assign(m_snapshot.workspaces.size(), 5);
        Q_EMIT progress(0, int(m_snapshot.workspaces.size()));
        if (m_snapshot.workspaces.empty()) {
            m_running = false;
            Q_EMIT finished();
            return;
        }
        next();
    });
}

void InventoryCollector::cancel()
{
    if (!m_running)
        return;
    ++m_run;
    m_running = false;
    Error e;
    e.kind = ErrorKind::Cancelled;
    e.sentence = QStringLiteral("The inventory was cancelled after %1 of %2 workspaces.")
                     .arg(m_done)
                     .arg(m_snapshot.workspaces.size());
    Q_EMIT failed(e);
}

void InventoryCollector::fail(Error error, const QString& workspace)
{
    if (!m_running)
        return;
    ++m_run;
    m_running = false;
    if (!workspace.isEmpty())
        error.sentence = QStringLiteral("Workspace \"%1\": %2").arg(workspace, error.sentence);
    Q_EMIT failed(error);
}

void InventoryCollector::partDone(std::size_t index)
{
    if (--m_pending[index] == 0) {
        --m_inFlight;
        ++m_done;
        Q_EMIT progress(m_done, int(m_snapshot.workspaces.size()));
        if (m_done == int(m_snapshot.workspaces.size())) {
            m_running = false;
            Q_EMIT finished();
            return;
        }
        next();
    }
}

void InventoryCollector::next()
{
    const quint64 run = m_run;
    while (m_running && m_inFlight < m_parallel && m_nextWorkspace < m_snapshot.workspaces.size()) {
        const std::size_t i = m_nextWorkspace++;
        ++m_inFlight;
        const QString id = m_snapshot.workspaces[i].id;
        const QString name = m_snapshot.workspaces[i].name;
        // Each answer lands in its own field of workspace i; the vector never grows meanwhile.
        auto store = [this, run, i, name](auto member) {
            return [this, run, i, name, member](auto result) {
                if (run != m_run)
                    return;
                if (!result)
                    return fail(result.error(), name);
                m_snapshot.workspaces[i].*member = std::move(result).value();
                partDone(i);
            };
        };
        m_client->listReports(id, this, store(&Workspace::reports));
        m_client->listDatasets(id, this, store(&Workspace::datasets));
        m_client->listDashboards(id, this, store(&Workspace::dashboards));
        m_client->listDataflows(id, this, store(&Workspace::dataflows));
        m_client->listWorkspaceUsers(id, this, store(&Workspace::users));
    }
}

} // namespace pbi
