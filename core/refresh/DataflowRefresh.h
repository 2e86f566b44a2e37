#pragma once

// Dataflow refreshes in the console's terms: a transaction's status as a refresh::State, the
// checks before a trigger, the trigger that remembers what the history held, and a follower
// that finds the new transaction in the history and follows it to its end (reference/
// api-digest.md §2 "Dataflows"; the transaction values the service sends are not documented,
// see DataflowTransaction).

#include "api/PowerBiClient.h"
#include "refresh/RefreshFollower.h"
#include "refresh/RefreshRules.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <optional>
#include <vector>

namespace pbi::refresh {

/// InProgress (and anything still without an end) → Running; Success → Completed; Failed,
/// Cancelled as they say. Statuses are compared case-insensitively, with the spellings seen
/// from the service and its clients (Succeeded, Completed, Canceled…).
State stateOf(const DataflowTransaction& t);
std::optional<qint64> durationMs(const DataflowTransaction& t, const QDateTime& now);
/// The transaction as a history row (requestId = the transaction id, status in the model's
/// words, extendedStatus = the service's own status), so that the refresh table and chart show
/// dataflows and models alike.
Refresh asRefresh(const DataflowTransaction& t);

/// The answer the service gives a service principal on a dataflow route (401 "API is not
/// accessible for application").
bool isServicePrincipalRefusal(const Error& error);

/// The checks the service applies to POST …/dataflows/{id}/refreshes. A service principal is
/// refused outright.
std::vector<Problem> validate(const DataflowRefreshRequest& request, const Target& target);

/// How a cancel ended, in words ("the service marked it for cancellation"…); `ok` false when the
/// service did not take it (NotFound, Invalid, anything unknown).
QString describeCancel(const DataflowCancelResult& result, bool* ok = nullptr);

/// Reads the dataflow's history (the ids the new transaction must not be), then POSTs the
/// refresh: the value a DataflowRefreshFollower starts from. The caller validates first.
void triggerDataflowRefresh(PowerBiClient* client, const QString& groupId, const QString& dataflowId,
                            const DataflowRefreshRequest& request, QObject* context,
                            std::function<void(Result<TriggeredDataflowRefresh>)> callback);

/// Follows one dataflow refresh until it ends. The trigger answers with no id, so the follower
/// polls the transactions (with growing intervals) until one appears that the history did not
/// hold before the trigger — a refresh started by hand preferred over a scheduled one starting
/// at the same moment — and then follows that transaction by its id. Tolerates the moment when
/// the service does not list it yet; cancels with its transaction id.
class DataflowRefreshFollower : public QObject {
    Q_OBJECT
public:
    using Options = RefreshFollower::Options;

    DataflowRefreshFollower(PowerBiClient* client, QString groupId, QString dataflowId,
                            TriggeredDataflowRefresh triggered, Options options = {},
                            QObject* parent = nullptr);
    ~DataflowRefreshFollower() override;

    void start();
    /// Stops following (the refresh itself goes on).
    void stop();
    /// Asks the service to cancel the transaction, then keeps following until it ends.
    void cancelRefresh();

    const TriggeredDataflowRefresh& triggered() const { return m_triggered; }
    const QString& groupId() const { return m_groupId; }
    const QString& dataflowId() const { return m_dataflowId; }
    /// Empty until the transaction is found.
    const QString& transactionId() const { return m_triggered.transactionId; }
    bool isFollowing() const { return m_following; }
    bool isVisible() const { return m_visible; }
    State state() const { return m_state; }
    /// The transaction as last seen (before it is listed: its id empty, started at acceptance).
    const DataflowTransaction& latest() const { return m_latest; }
    int polls() const { return m_polls; }
    std::chrono::milliseconds nextInterval() const { return m_backoff.next(); }

Q_SIGNALS:
    void updated();
    /// Accepted but not listed yet; following goes on.
    void waitingForVisibility(int secondsSinceAccepted);
    /// The refresh ended (Completed, Failed or Cancelled).
    void finished(pbi::refresh::State state);
    /// Following stopped on an error (the refresh may still be running).
    void followFailed(const pbi::Error& error);
    /// The service took the cancel (`sentence` says how, e.g. it had already ended).
    void cancelAccepted(const QString& sentence);
    void cancelFailed(const pbi::Error& error);

private:
    void schedule();
    void poll();
    void onHistory(Result<std::vector<DataflowTransaction>> result);
    void notVisible();

    QPointer<PowerBiClient> m_client;
    QString m_groupId;
    QString m_dataflowId;
    TriggeredDataflowRefresh m_triggered;
    Options m_options;
    QTimer m_timer;
    QElapsedTimer m_since;
    PollBackoff m_backoff;
    bool m_following = false;
    bool m_visible = false;
    bool m_cancelling = false;
    State m_state = State::Running;
    DataflowTransaction m_latest;
    int m_polls = 0;
    quint64 m_inFlight = 0;
};

} // namespace pbi::refresh
