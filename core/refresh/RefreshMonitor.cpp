#include "refresh/RefreshMonitor.h"

#include "http/Transport.h"

#include <algorithm>

namespace pbi::refresh {

namespace {
constexpr int kAdminPage = 1000;
} // namespace

bool matches(const MonitorRow& row, const MonitorFilter& f, const QDateTime& now)
{
    const State s = stateOf(row.refresh);
    if (f.failedOnly && s != State::Failed)
        return false;
    if (f.runningOnly && s != State::Running)
        return false;
    if (f.withinHours > 0) {
        const std::optional<QDateTime>& at = row.refresh.endTime ? row.refresh.endTime : row.refresh.startTime;
        if (s != State::Running && (!at || at->secsTo(now) > qint64(f.withinHours) * 3600))
            return false;
    }
    if (!f.text.isEmpty()) {
        const auto failure = decodeFailure(row.refresh.serviceExceptionJson);
        const bool hit = row.workspaceName.contains(f.text, Qt::CaseInsensitive) ||
                         row.datasetName.contains(f.text, Qt::CaseInsensitive) ||
                         (failure && failure->errorCode.contains(f.text, Qt::CaseInsensitive));
        if (!hit)
            return false;
    }
    return true;
}

RefreshMonitor::RefreshMonitor(PowerBiClient* client, QObject* parent)
    : QObject(parent)
    , m_client(client)
{
}

RefreshMonitor::~RefreshMonitor()
{
    cancel();
}

void RefreshMonitor::start()
{
    if (m_running)
        return;
    m_running = true;
    ++m_generation;
    m_done = 0;
    m_total = 0;
    m_pending.clear();
    m_pendingProblems.clear();
    m_callIds.clear();
    m_active = 0;
    if (m_scope == MonitorScope::Admin)
        adminPage(0);
    else
        memberSweep();
}

void RefreshMonitor::cancel()
{
    if (!m_running)
        return;
    m_running = false;
    ++m_generation;
    m_queue.clear();
    m_active = 0;
    const QSet<quint64> ids = std::exchange(m_callIds, {});
    for (quint64 id : ids)
        if (m_client)
            m_client->transport()->cancel(id);
}

void RefreshMonitor::enqueue(std::function<quint64()> job)
{
    ++m_total;
    m_queue.push_back(std::move(job));
}

void RefreshMonitor::pump()
{
    while (m_running && !m_queue.empty() && m_active < m_parallel) {
        auto job = std::move(m_queue.front());
        m_queue.pop_front();
        ++m_active;
        m_callIds.insert(job());
    }
    if (!m_running)
        return;
    Q_EMIT progress(m_done, m_total);
    if (m_queue.empty() && m_active == 0)
        finish();
}

void RefreshMonitor::jobDone()
{
    --m_active;
    ++m_done;
    pump();
}

void RefreshMonitor::memberSweep()
{
    const quint64 gen = m_generation;
    ++m_total;
    ++m_active;
    const quint64 id = m_client->listWorkspaces(this, [this, gen](Result<std::vector<Workspace>> r) {
        if (gen != m_generation)
            return;
        --m_active;
        if (!r) {
            m_running = false;
            Q_EMIT sweepFailed(r.error());
            return;
        }
        ++m_done;
        for (const Workspace& w : r.value()) {
            enqueue([this, gen, w]() {
                return m_client->listDatasets(w.id, this, [this, gen, w](Result<std::vector<Dataset>> ds) {
                    if (gen != m_generation)
                        return;
                    if (!ds) {
                        m_pendingProblems.push_back({w.name, QString(), ds.error()});
                    } else {
                        for (const Dataset& d : ds.value()) {
                            if (!d.isRefreshable)
                                continue;
                            enqueue([this, gen, w, d]() {
                                return m_client->refreshHistory(
                                    w.id, d.id, m_depth, this, [this, gen, w, d](Result<std::vector<Refresh>> h) {
                                        if (gen != m_generation)
                                            return;
                                        if (!h) {
                                            m_pendingProblems.push_back({w.name, d.name, h.error()});
                                        } else {
                                            for (Refresh& entry : h.value())
                                                m_pending.push_back({w.id, w.name, d.id, d.name, QString(),
                                                                     std::move(entry)});
                                        }
                                        jobDone();
                                    });
                            });
                        }
                    }
                    jobDone();
                });
            });
        }
        pump();
    });
    m_callIds.insert(id);
}

void RefreshMonitor::adminPage(int skip)
{
    const quint64 gen = m_generation;
    AdminRefreshablesQuery q;
    q.top = kAdminPage;
    q.skip = skip;
    ++m_total;
    ++m_active;
    const quint64 id = m_client->adminRefreshables(q, this, [this, gen, skip](Result<std::vector<Refreshable>> r) {
        if (gen != m_generation)
            return;
        --m_active;
        if (!r) {
            m_running = false;
            Q_EMIT sweepFailed(r.error());
            return;
        }
        ++m_done;
        for (Refreshable& item : r.value()) {
            if (!item.lastRefresh)
                continue;
            m_pending.push_back({item.groupId, item.groupName, item.id, item.name, item.capacityName,
                                 std::move(*item.lastRefresh)});
        }
        if (int(r.value().size()) == kAdminPage)
            return adminPage(skip + kAdminPage);
        pump();
    });
    m_callIds.insert(id);
}

void RefreshMonitor::finish()
{
    m_running = false;
    std::stable_sort(m_pending.begin(), m_pending.end(), [](const MonitorRow& a, const MonitorRow& b) {
        const QDateTime ta = a.refresh.startTime.value_or(QDateTime());
        const QDateTime tb = b.refresh.startTime.value_or(QDateTime());
        return ta > tb;
    });
    m_rows = std::move(m_pending);
    m_problems = std::move(m_pendingProblems);
    m_pending.clear();
    m_pendingProblems.clear();
    m_lastSweep = QDateTime::currentDateTimeUtc();
    Q_EMIT sweepFinished();
}

} // namespace pbi::refresh
