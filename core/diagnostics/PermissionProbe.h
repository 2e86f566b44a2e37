#pragma once

#include "api/PowerBiClient.h"

#include <QObject>

#include <functional>
#include <vector>

namespace pbi::diagnostics {

/// One call the probe tried, and what its answer means for the identity.
struct ProbeResult {
    QString area;     ///< "Workspaces", "Admin APIs", …
    QString check;    ///< "List workspaces", "Read the admin workspace list"…
    QString call;     ///< "GET /groups"
    bool allowed = false;
    bool skipped = false; ///< nothing to try it on (e.g. no workspace visible)
    QString detail;       ///< allowed: what was seen ("22 workspaces"); skipped: why
    std::optional<Error> error; ///< refused: the service's answer, with the likely fix
};

/// Which calls the connection's identity may make: a fixed set of read-only calls across the
/// API's areas (workspaces, items, refresh, capacities, gateways, apps, pipelines, admin APIs,
/// scanner, activity log), one after the other so the tenant's limits are respected. Each
/// refusal keeps the service's code and the likely fix.
class PermissionProbe : public QObject {
    Q_OBJECT
public:
    explicit PermissionProbe(PowerBiClient* client, QObject* parent = nullptr);

    /// Probes the admin APIs too (they are the ones a member-scope identity usually lacks).
    void setIncludeAdmin(bool on) { m_admin = on; }
    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    const std::vector<ProbeResult>& results() const { return m_results; }

Q_SIGNALS:
    void resultAdded(int index);
    void finished();

private:
    using Step = std::function<void()>;
    void next();
    void record(ProbeResult r);
    template <typename T>
    void probe(const QString& area, const QString& check, const QString& call,
               std::function<quint64(PowerBiClient::Callback<T>)> send,
               std::function<QString(const T&)> describe);

    PowerBiClient* m_client;
    bool m_admin = true;
    bool m_running = false;
    quint64 m_generation = 0;
    std::vector<Step> m_steps;
    std::size_t m_step = 0;
    std::vector<ProbeResult> m_results;
    // What earlier steps found, for later ones.
    Workspace m_workspace;
    Dataset m_dataset;
};

} // namespace pbi::diagnostics
