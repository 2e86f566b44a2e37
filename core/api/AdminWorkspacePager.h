#pragma once

#include "api/PowerBiClient.h"
#include "api/Workspace.h"
#include "http/Error.h"

#include <QObject>
#include <QPointer>
#include <QSet>

#include <algorithm>
#include <deque>
#include <optional>
#include <vector>

namespace pbi {

/// Walks GET /admin/groups with $top/$skip until a short page: the whole tenant's workspaces.
///
/// Offset paging shifts when workspaces are created or deleted meanwhile (users report runs
/// that lose or double thousands: USERS.md #8). Every page after the first re-reads the last
/// `overlap` items of the previous one, and items are de-duplicated by id, so an item is
/// neither doubled nor lost as long as fewer than `overlap` items vanish before the cursor
/// between two pages. A retried page (the transport retries transient failures and waits out
/// Retry-After) is harmless for the same reason. When a page finally fails (throttled beyond
/// the transport's longest wait, cancelled, refused), the pager stops and resume() carries on
/// from the same page; nothing gathered is lost.
class AdminWorkspacePager : public QObject {
    Q_OBJECT
public:
    /// `pageSize` is $top (1–5000; the service's limits make large pages the wise choice:
    /// GetGroupsAsAdmin allows 50 calls an hour).
    AdminWorkspacePager(PowerBiClient* client, int pageSize = 5000, QObject* parent = nullptr);

    void setExpand(const QString& expand) { m_expand = expand; }
    void setFilter(const QString& filter) { m_filter = filter; }
    /// How many items of the previous page each request re-reads (default: a tenth, 1–100).
    void setOverlap(int overlap) { m_overlap = overlap; }
    int overlap() const;
    /// Pages in flight at once (default 1, at most 3 — the admin family's concurrency): with 2,
    /// the next page is asked for while this one is read, at the $skip it will have if this
    /// page is full, so the service builds it while the client parses. Costs at most
    /// depth − 1 extra requests at the end of the tenant (GetGroupsAsAdmin allows 50 an hour).
    void setDepth(int depth) { m_depth = std::clamp(depth, 1, 3); }

    /// Starts from the first page, forgetting anything gathered.
    void start();
    /// After failed(): requests the page that failed again, keeping what was gathered.
    void resume();
    /// Stops the page in flight; failed() reports a Cancelled error and resume() continues.
    void cancel();

    bool isRunning() const { return !m_inflight.empty(); }
    bool isFinished() const { return m_finished; }
    const std::vector<Workspace>& workspaces() const { return m_items; }
    int pagesFetched() const { return m_pages; }
    /// The $skip of the next request.
    int nextSkip() const;
    std::optional<Error> lastError() const { return m_error; }

Q_SIGNALS:
    void progress(int workspacesSoFar);
    void finished();
    void failed(const pbi::Error& error);

private:
    struct Pending {
        int skip = 0;
        quint64 requestId = 0;
        std::optional<Result<std::vector<Workspace>>> result;
    };
    void fetch();
    void send(int skip);
    void drain();
    void stopAll();

    QPointer<PowerBiClient> m_client;
    int m_pageSize;
    int m_overlap = -1;
    QString m_expand;
    QString m_filter;
    int m_walked = 0; ///< positions of the listing consumed so far
    int m_pages = 0;
    int m_depth = 1;
    quint64 m_generation = 0; ///< answers of a stopped walk are dropped
    std::deque<Pending> m_inflight; ///< in $skip order
    bool m_finished = false;
    std::optional<Error> m_error;
    std::vector<Workspace> m_items;
    QSet<QString> m_seen;
};

} // namespace pbi
