#pragma once

#include "api/PowerBiClient.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <deque>
#include <memory>
#include <vector>

namespace pbi::admin {

/// A batch the scanner could not read; the other batches go on.
struct ScanProblem {
    QStringList workspaceIds;
    Error error;
};

/// The metadata scanner flow: workspaces/modified → getInfo in batches of up to 100 ids →
/// scanStatus polled with growing intervals → scanResult, with a few scans in flight (the
/// service allows 16), each workspace once in the result however batches overlap.
class TenantScanner : public QObject {
    Q_OBJECT
public:
    struct Options {
        ScanOptions scan;
        int batchSize = 100;
        int parallelScans = 4;
        std::chrono::milliseconds firstPoll{2000};
        std::chrono::milliseconds maxPoll{30000};
        bool excludePersonal = true;
        bool excludeInactive = false;
    };

    explicit TenantScanner(PowerBiClient* client, QObject* parent = nullptr);

    void setOptions(const Options& options) { m_options = options; }
    const Options& options() const { return m_options; }

    /// Scans the workspaces modified since `since` (every workspace when invalid).
    void start(const QDateTime& since = {});
    /// Scans exactly these workspaces.
    void scan(const QStringList& workspaceIds);
    void cancel();
    bool isRunning() const { return m_running; }

    const ScanResult& result() const { return m_result; }
    const std::vector<ScanProblem>& problems() const { return m_problems; }
    int workspacesRequested() const { return m_requested; }
    int workspacesScanned() const { return int(m_result.workspaces.size()); }

Q_SIGNALS:
    void progress(int scanned, int requested);
    void finished();
    /// The flow could not start (the modified call was refused).
    void failed(const pbi::Error& error);

private:
    struct Batch;
    void pump();
    void poll(std::shared_ptr<Batch> batch);
    void batchDone(const std::shared_ptr<Batch>& batch, std::optional<Error> error);
    void merge(ScanResult&& part);

    PowerBiClient* m_client;
    Options m_options;
    bool m_running = false;
    quint64 m_generation = 0;
    std::deque<QStringList> m_queue;
    std::vector<std::shared_ptr<Batch>> m_batches; ///< in flight
    int m_active = 0;
    int m_requested = 0;
    ScanResult m_result;
    QSet<QString> m_seen;
    std::vector<ScanProblem> m_problems;
};

} // namespace pbi::admin
