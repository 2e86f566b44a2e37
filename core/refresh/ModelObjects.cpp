#include "refresh/ModelObjects.h"

#include "admin/TenantScanner.h"

#include <algorithm>

namespace pbi::refresh {

int ModelObjects::partitionCount() const
{
    int n = 0;
    for (const auto& t : tables)
        n += int(t.partitions.size());
    return n;
}

const KnownTable* ModelObjects::table(const QString& name) const
{
    for (const auto& t : tables) {
        if (t.name.compare(name, Qt::CaseInsensitive) == 0)
            return &t;
    }
    return nullptr;
}

void ModelObjects::add(const QString& table, const QString& partition, bool hidden)
{
    if (table.isEmpty())
        return;
    auto it = std::find_if(tables.begin(), tables.end(), [&](const KnownTable& t) {
        return t.name.compare(table, Qt::CaseInsensitive) == 0;
    });
    if (it == tables.end()) {
        // Kept in name order so pickers list them the same way each time.
        KnownTable t{table, {}, hidden};
        it = tables.insert(std::upper_bound(tables.begin(), tables.end(), t,
                                            [](const KnownTable& a, const KnownTable& b) {
                                                return a.name.compare(b.name, Qt::CaseInsensitive) < 0;
                                            }),
                           std::move(t));
    } else if (hidden) {
        it->hidden = true;
    }
    if (!partition.isEmpty() && !it->partitions.contains(partition, Qt::CaseInsensitive)) {
        it->partitions.append(partition);
        it->partitions.sort(Qt::CaseInsensitive);
    }
}

ModelObjectFinder::ModelObjectFinder(PowerBiClient* client, QString groupId, QString datasetId, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_groupId(std::move(groupId))
    , m_datasetId(std::move(datasetId))
{
}

ModelObjectFinder::~ModelObjectFinder() = default;

void ModelObjectFinder::findFromRefreshes()
{
    if (m_refreshesBusy)
        return;
    m_refreshesBusy = true;
    const quint64 generation = m_generation;
    m_client->refreshHistory(m_groupId, m_datasetId, m_options.historyTop, this,
                             [this, generation](Result<std::vector<Refresh>> r) {
                                 if (generation != m_generation)
                                     return;
                                 if (!r) {
                                     m_refreshesBusy = false;
                                     Q_EMIT refreshesFailed(r.error());
                                     return;
                                 }
                                 // Newest first, as the service lists them. Only enhanced
                                 // refreshes have execution details that name objects.
                                 m_pendingExecutions.clear();
                                 m_pendingStarts.clear();
                                 for (const auto& e : r.value()) {
                                     if (e.refreshType != QLatin1String("ViaEnhancedApi") || !e.requestId
                                         || e.requestId->isEmpty())
                                         continue;
                                     if (m_pendingExecutions.size() >= m_options.executionsToRead)
                                         break;
                                     m_pendingExecutions.append(*e.requestId);
                                     m_pendingStarts.push_back(e.startTime);
                                 }
                                 readNextExecution();
                             });
}

void ModelObjectFinder::readNextExecution()
{
    if (m_pendingExecutions.isEmpty()) {
        m_refreshesBusy = false;
        Q_EMIT refreshesSearched();
        return;
    }
    const QString requestId = m_pendingExecutions.takeFirst();
    const std::optional<QDateTime> started = m_pendingStarts.front();
    m_pendingStarts.erase(m_pendingStarts.begin());
    const quint64 generation = m_generation;
    m_client->refreshExecution(
        m_groupId, m_datasetId, requestId, this,
        [this, generation, started](Result<RefreshExecution> r) {
            if (generation != m_generation)
                return;
            if (!r) {
                // The history was readable, so a refusal here is about this one refresh (an
                // old one the service no longer keeps details of answers 404); go on with the
                // others, and report only if none could be read.
                if (m_pendingExecutions.isEmpty() && m_executionsRead == 0) {
                    m_refreshesBusy = false;
                    Q_EMIT refreshesFailed(r.error());
                    return;
                }
                readNextExecution();
                return;
            }
            ++m_executionsRead;
            bool named = false;
            for (const auto& o : r.value().objects) {
                m_objects.add(o.table, o.partition);
                named = named || !o.table.isEmpty();
            }
            const std::optional<QDateTime> when = r.value().startTime ? r.value().startTime : started;
            if (named && when && (!m_objects.fromRefreshAt || *when > *m_objects.fromRefreshAt))
                m_objects.fromRefreshAt = when;
            readNextExecution();
        });
}

void ModelObjectFinder::findWithScanner()
{
    if (m_scannerBusy)
        return;
    m_scannerBusy = true;
    auto* scanner = new admin::TenantScanner(m_client, this);
    m_scanner = scanner;
    admin::TenantScanner::Options options;
    options.scan.datasetSchema = true;
    options.scan.lineage = false;
    options.scan.datasourceDetails = false;
    options.parallelScans = 1;
    options.firstPoll = std::chrono::milliseconds(500);
    options.maxPoll = std::chrono::milliseconds(5000);
    scanner->setOptions(options);
    const quint64 generation = m_generation;
    connect(scanner, &admin::TenantScanner::failed, this, [this, scanner, generation](const Error& e) {
        scanner->deleteLater();
        if (generation != m_generation)
            return;
        m_scannerBusy = false;
        Q_EMIT scannerFailed(e);
    });
    connect(scanner, &admin::TenantScanner::finished, this, [this, scanner, generation] {
        scanner->deleteLater();
        if (generation != m_generation)
            return;
        m_scannerBusy = false;
        if (!scanner->problems().empty()) {
            Q_EMIT scannerFailed(scanner->problems().front().error);
            return;
        }
        m_scannedTables = 0;
        for (const auto& t : scanner->result().tables) {
            if (t.datasetId.compare(m_datasetId, Qt::CaseInsensitive) != 0)
                continue;
            m_objects.add(t.name, {}, t.isHidden);
            ++m_scannedTables;
        }
        m_objects.fromScanner = true;
        Q_EMIT scannerSearched();
    });
    scanner->scan({m_groupId});
}

void ModelObjectFinder::cancel()
{
    ++m_generation;
    m_refreshesBusy = false;
    m_scannerBusy = false;
    m_pendingExecutions.clear();
    m_pendingStarts.clear();
    if (m_scanner) {
        m_scanner->cancel();
        m_scanner->deleteLater();
    }
}

} // namespace pbi::refresh
