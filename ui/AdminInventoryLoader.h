#pragma once

#include "http/Error.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

#include <optional>

namespace pbi {
class AdminWorkspacePager;
class PowerBiClient;
} // namespace pbi

namespace pbi::ui {

class WorkspaceTreeModel;

/// Loads the whole tenant into the explorer with the admin APIs: GET admin/groups with every
/// item list expanded, page by page (AdminWorkspacePager), each page's new workspaces appended
/// to the tree as it arrives, so the tenant can be browsed while the rest comes. A page that
/// finally fails (throttled beyond the transport's longest wait, cancelled, refused) stops the
/// run with what was gathered still shown; resume() goes on from that page.
class AdminInventoryLoader : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Running, Failed, Finished };
    Q_ENUM(State)

    explicit AdminInventoryLoader(WorkspaceTreeModel* model, QObject* parent = nullptr);
    ~AdminInventoryLoader() override;

    /// The $expand of every page: each workspace with its members and items.
    static QString expand();

    /// Another connection (or none): a running load is cancelled and forgotten.
    void setClient(pbi::PowerBiClient* client);
    /// Workspaces per page ($top, 1–5000). The service allows 50 GetGroupsAsAdmin calls an
    /// hour, so the default is the largest page; tests use small ones to see several pages.
    void setPageSize(int pageSize) { m_pageSize = pageSize; }
    int pageSize() const { return m_pageSize; }

    /// Empties the tree and loads the tenant from the first page.
    void start();
    /// Stops the page in flight; the run ends Failed with a Cancelled error and can resume.
    void cancel();
    /// After a failure: asks again for the page that failed, keeping what is shown.
    void resume();
    /// Reads one workspace of the inventory again (GET admin/groups?$filter=id eq '…' with the
    /// same $expand) and replaces it in the tree; on failure the error shows on its node and
    /// what it held stays. workspaceReloaded() says how it ended.
    void reloadWorkspace(const QString& workspaceId);

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    bool canResume() const { return m_state == State::Failed; }
    int workspacesSoFar() const { return m_fed; }
    int pagesFetched() const { return m_pages; }
    std::optional<pbi::Error> lastError() const { return m_error; }
    QDateTime finishedAt() const { return m_finishedAt; }

Q_SIGNALS:
    void stateChanged(pbi::ui::AdminInventoryLoader::State state);
    void progress(int workspacesSoFar);
    void finished(int workspaces);
    void failed(const pbi::Error& error);
    /// A reloadWorkspace() ended; `error` is set when it failed (or the workspace is gone).
    void workspaceReloaded(const QString& workspaceId, const std::optional<pbi::Error>& error);

private:
    void feed();
    void setState(State state);
    void dropPager();

    WorkspaceTreeModel* m_model;
    QPointer<pbi::PowerBiClient> m_client;
    pbi::AdminWorkspacePager* m_pager = nullptr;
    int m_pageSize = 5000;
    int m_fed = 0; ///< the pager's workspaces already in the tree
    int m_pages = 0;
    State m_state = State::Idle;
    std::optional<pbi::Error> m_error;
    QDateTime m_finishedAt;
    quint64 m_run = 0; ///< bumps per start() and client change: older single reloads are dropped
};

} // namespace pbi::ui
