#include "admin/TenantScanner.h"

#include <algorithm>
#include <memory>

namespace pbi::admin {

struct TenantScanner::Batch {
    QStringList ids;
    QString scanId;
    std::chrono::milliseconds interval{0};
    QTimer timer;
};

TenantScanner::TenantScanner(PowerBiClient* client, QObject* parent)
    : QObject(parent)
    , m_client(client)
{
}

void TenantScanner::start(const QDateTime& since)
{
    cancel();
    m_running = true;
    const quint64 gen = ++m_generation;
    m_client->adminModifiedWorkspaces(since, m_options.excludePersonal, m_options.excludeInactive, this,
                                      [this, gen](Result<QStringList> r) {
        if (gen != m_generation)
            return;
        if (!r) {
            m_running = false;
            Q_EMIT failed(r.error());
            return;
        }
        m_running = false; // scan() starts again
        scan(r.value());
    });
}

void TenantScanner::scan(const QStringList& workspaceIds)
{
    if (m_running)
        cancel();
    const quint64 gen = ++m_generation;
    Q_UNUSED(gen);
    m_running = true;
    m_queue.clear();
    m_active = 0;
    m_result = {};
    m_seen.clear();
    m_problems.clear();
    QStringList unique;
    QSet<QString> dedupe;
    for (const QString& id : workspaceIds) {
        if (!dedupe.contains(id.toLower())) {
            dedupe.insert(id.toLower());
            unique << id;
        }
    }
    m_requested = int(unique.size());
    const int size = std::clamp(m_options.batchSize, 1, 100);
    for (int i = 0; i < unique.size(); i += size)
        m_queue.push_back(unique.mid(i, size));
    pump();
}

void TenantScanner::cancel()
{
    if (!m_running)
        return;
    m_running = false;
    ++m_generation;
    m_queue.clear();
    m_active = 0;
    for (const auto& b : std::exchange(m_batches, {})) {
        b->timer.stop();
        b->timer.disconnect();
    }
}

void TenantScanner::pump()
{
    if (!m_running)
        return;
    while (!m_queue.empty() && m_active < std::max(1, std::min(16, m_options.parallelScans))) {
        auto batch = std::make_shared<Batch>();
        batch->ids = m_queue.front();
        batch->interval = m_options.firstPoll;
        batch->timer.setSingleShot(true);
        m_queue.pop_front();
        ++m_active;
        m_batches.push_back(batch);
        const quint64 gen = m_generation;
        m_client->adminRequestScan(batch->ids, m_options.scan, this, [this, gen, batch](Result<ScanRequest> r) {
            if (gen != m_generation)
                return;
            if (!r)
                return batchDone(batch, r.error());
            batch->scanId = r.value().id;
            connect(&batch->timer, &QTimer::timeout, this, [this, batch] { poll(batch); });
            batch->timer.start(batch->interval);
        });
    }
    Q_EMIT progress(workspacesScanned(), m_requested);
    if (m_queue.empty() && m_active == 0) {
        m_running = false;
        Q_EMIT finished();
    }
}

void TenantScanner::poll(std::shared_ptr<Batch> batch)
{
    const quint64 gen = m_generation;
    m_client->adminScanStatus(batch->scanId, this, [this, gen, batch](Result<ScanRequest> r) {
        if (gen != m_generation)
            return;
        if (!r)
            return batchDone(batch, r.error());
        const QString& status = r.value().status;
        if (status == QLatin1String("Succeeded")) {
            m_client->adminScanResult(batch->scanId, this, [this, gen, batch](Result<ScanResult> result) {
                if (gen != m_generation)
                    return;
                if (!result)
                    return batchDone(batch, result.error());
                merge(std::move(result).value());
                batchDone(batch, std::nullopt);
            });
            return;
        }
        if (status == QLatin1String("Failed")) {
            Error e;
            e.kind = ErrorKind::Service;
            e.code = r.value().errorCode.value_or(QStringLiteral("ScanFailed"));
            e.message = r.value().errorMessage.value_or(QString());
            e.sentence = QStringLiteral("The service failed the scan of %1 workspaces.").arg(batch->ids.size());
            e.hint = QStringLiteral("Scan the batch again; if it keeps failing, scan its workspaces in smaller batches.");
            return batchDone(batch, e);
        }
        // NotStarted or Running: look again later, less often each time.
        batch->interval = std::min(m_options.maxPoll,
                                   std::chrono::milliseconds(qint64(double(batch->interval.count()) * 1.5)));
        batch->timer.start(batch->interval);
    });
}

void TenantScanner::batchDone(const std::shared_ptr<Batch>& batch, std::optional<Error> error)
{
    batch->timer.stop();
    batch->timer.disconnect(); // the connection holds the batch: break the cycle
    m_batches.erase(std::remove(m_batches.begin(), m_batches.end(), batch), m_batches.end());
    if (error)
        m_problems.push_back({batch->ids, *error});
    --m_active;
    pump();
}

void TenantScanner::merge(ScanResult&& part)
{
    QSet<QString> added;
    for (Workspace& w : part.workspaces) {
        const QString key = w.id.toLower();
        if (m_seen.contains(key))
            continue;
        m_seen.insert(key);
        added.insert(key);
        m_result.workspaces.push_back(std::move(w));
    }
    for (ScannedTable& t : part.tables)
        m_result.tables.push_back(std::move(t));
    m_result.datasourceInstanceCount += part.datasourceInstanceCount;
    m_result.misconfiguredDatasourceInstanceCount += part.misconfiguredDatasourceInstanceCount;
}

} // namespace pbi::admin
