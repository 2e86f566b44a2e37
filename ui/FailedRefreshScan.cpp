#include "FailedRefreshScan.h"

#include "api/PowerBiClient.h"
#include "refresh/RefreshMonitor.h"
#include "refresh/RefreshRules.h"

#include <QHash>

namespace pbi::ui {

FailedRefreshScan::FailedRefreshScan(QObject* parent)
    : QObject(parent)
{}

FailedRefreshScan::~FailedRefreshScan() = default;

void FailedRefreshScan::setClient(pbi::PowerBiClient* client, bool adminScope)
{
    if (client == m_client && adminScope == m_admin && m_monitor)
        return;
    if (m_monitor) {
        m_monitor->disconnect(this);
        m_monitor->cancel();
        m_monitor->deleteLater();
        m_monitor = nullptr;
    }
    m_client = client;
    m_admin = adminScope;
    m_failed.clear();
    m_workspaces.clear();
    m_problems.clear();
    m_seen = 0;
    m_finishedAt = {};
    if (!client)
        return;
    m_monitor = new pbi::refresh::RefreshMonitor(client, this);
    m_monitor->setScope(adminScope ? pbi::refresh::MonitorScope::Admin
                                   : pbi::refresh::MonitorScope::Member);
    // Two entries per model: when the newest is still running, the one before it says how the
    // last finished refresh ended.
    m_monitor->setHistoryDepth(2);
    // The refresh-history calls share the tenant's per-user limits with everything else the
    // console does: a few at a time.
    m_monitor->setParallelism(4);
    connect(m_monitor, &pbi::refresh::RefreshMonitor::progress, this, &FailedRefreshScan::progress);
    connect(m_monitor, &pbi::refresh::RefreshMonitor::sweepFinished, this, [this] {
        collect();
        Q_EMIT finished();
    });
    connect(m_monitor, &pbi::refresh::RefreshMonitor::sweepFailed, this, &FailedRefreshScan::failed);
}

void FailedRefreshScan::start()
{
    if (!m_monitor || m_monitor->isRunning())
        return;
    m_monitor->start();
}

void FailedRefreshScan::cancel()
{
    if (!m_monitor || !m_monitor->isRunning())
        return;
    m_monitor->cancel();
    Q_EMIT cancelled();
}

bool FailedRefreshScan::isRunning() const
{
    return m_monitor && m_monitor->isRunning();
}

void FailedRefreshScan::collect()
{
    m_failed.clear();
    m_workspaces.clear();
    m_problems.clear();
    // The rows come newest first: the first finished refresh of a model decides.
    QHash<QString, bool> decided;
    for (const auto& row : m_monitor->rows()) {
        if (decided.contains(row.datasetId))
            continue;
        const auto state = pbi::refresh::stateOf(row.refresh);
        if (!pbi::refresh::isFinished(state))
            continue;
        const bool failedNow = state == pbi::refresh::State::Failed;
        decided.insert(row.datasetId, failedNow);
        if (failedNow) {
            m_failed.insert(row.datasetId);
            m_workspaces.insert(row.workspaceId);
        }
    }
    m_seen = int(decided.size());
    for (const auto& p : m_monitor->problems())
        m_problems << (p.datasetName.isEmpty()
                           ? tr("%1: %2").arg(p.workspaceName, p.error.summary())
                           : tr("%1 / %2: %3").arg(p.workspaceName, p.datasetName, p.error.summary()));
    m_finishedAt = QDateTime::currentDateTimeUtc();
}

} // namespace pbi::ui
