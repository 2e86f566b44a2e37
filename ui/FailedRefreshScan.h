#pragma once

#include "http/Error.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace pbi {
class PowerBiClient;
}
namespace pbi::refresh {
class RefreshMonitor;
}

namespace pbi::ui {

/// Which semantic models' last refresh failed, for the explorer's "has failed refresh" filter:
/// one sweep of the core's RefreshMonitor. Admin scope reads the refreshables of every capacity
/// (models on shared capacity are not in that list); member scope reads the recent history of
/// every refreshable model the identity can see, a few calls at a time so the tenant's limits
/// hold. A model counts as failed when its newest finished refresh failed (a refresh running
/// after a failure has not repaired anything yet).
class FailedRefreshScan : public QObject {
    Q_OBJECT
public:
    explicit FailedRefreshScan(QObject* parent = nullptr);
    ~FailedRefreshScan() override;

    /// Another connection or scope: a running sweep stops and the last result is forgotten.
    void setClient(pbi::PowerBiClient* client, bool adminScope);
    bool adminScope() const { return m_admin; }

    /// Starts a sweep (ignored while one runs or without a client).
    void start();
    /// Stops the sweep; cancelled() follows and the previous result (if any) stays.
    void cancel();
    bool isRunning() const;
    /// Whether a sweep has finished for this client and scope.
    bool hasResult() const { return m_finishedAt.isValid(); }
    QDateTime finishedAt() const { return m_finishedAt; }

    /// The ids of the models whose last finished refresh failed.
    const QSet<QString>& failedModels() const { return m_failed; }
    /// The ids of the workspaces that hold them.
    const QSet<QString>& failedWorkspaces() const { return m_workspaces; }
    /// How many models had a finished refresh to judge by.
    int modelsSeen() const { return m_seen; }
    /// Workspaces or models the sweep could not read (the rest of it went on), in words.
    QStringList problems() const { return m_problems; }

Q_SIGNALS:
    void progress(int done, int total);
    void finished();
    void failed(const pbi::Error& error);
    void cancelled();

private:
    void collect();

    QPointer<pbi::PowerBiClient> m_client;
    bool m_admin = false;
    pbi::refresh::RefreshMonitor* m_monitor = nullptr;
    QSet<QString> m_failed;
    QSet<QString> m_workspaces;
    QStringList m_problems;
    int m_seen = 0;
    QDateTime m_finishedAt;
};

} // namespace pbi::ui
