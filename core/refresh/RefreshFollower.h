#pragma once

#include "api/PowerBiClient.h"
#include "refresh/RefreshRules.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <optional>

namespace pbi::refresh {

/// Growing waits between polls — first, then ×growth each time up to a cap — so a follower
/// never polls in a tight loop; reset() after something that makes an end likely soon.
class PollBackoff {
public:
    PollBackoff(std::chrono::milliseconds first, std::chrono::milliseconds cap, double growth)
        : m_first(first), m_cap(cap), m_growth(growth), m_next(first)
    {
    }
    void reset() { m_next = m_first; }
    /// The wait before the next poll.
    std::chrono::milliseconds next() const { return m_next; }
    /// Returns the wait for this poll; the one after it grows.
    std::chrono::milliseconds take()
    {
        const auto now = m_next;
        m_next = std::min(std::chrono::milliseconds(qint64(double(now.count()) * m_growth)), m_cap);
        return now;
    }

private:
    std::chrono::milliseconds m_first;
    std::chrono::milliseconds m_cap;
    double m_growth;
    std::chrono::milliseconds m_next;
};

/// Follows one triggered refresh until it ends: polls with growing intervals (never a tight
/// loop), tolerates the moment when the service does not list a just-accepted refresh yet, and
/// cancels with the refresh's requestId. Enhanced refreshes are followed through their execution
/// details (per-object progress), plain ones through the history.
class RefreshFollower : public QObject {
    Q_OBJECT
public:
    struct Options {
        std::chrono::milliseconds firstPoll{2000};
        std::chrono::milliseconds maxPoll{30000};
        double growth = 1.5;
        /// How long a refresh may stay invisible after the 202 before following gives up.
        std::chrono::milliseconds visibilityGrace{120000};
    };

    RefreshFollower(PowerBiClient* client, QString groupId, QString datasetId, TriggeredRefresh triggered,
                    QObject* parent = nullptr);
    RefreshFollower(PowerBiClient* client, QString groupId, QString datasetId, TriggeredRefresh triggered,
                    Options options, QObject* parent = nullptr);
    ~RefreshFollower() override;

    void start();
    /// Stops following (the refresh itself goes on).
    void stop();
    /// Asks the service to cancel the refresh (DELETE with the requestId), then keeps following
    /// until the service reports the end.
    void cancelRefresh();

    const TriggeredRefresh& triggered() const { return m_triggered; }
    const QString& groupId() const { return m_groupId; }
    const QString& datasetId() const { return m_datasetId; }
    bool isFollowing() const { return m_following; }
    bool isVisible() const { return m_visible; }
    State state() const { return m_state; }
    /// The refresh as last seen (history entry, or built from the execution details).
    const Refresh& latest() const { return m_latest; }
    /// The execution details as last seen (enhanced refreshes).
    const std::optional<RefreshExecution>& execution() const { return m_execution; }
    int polls() const { return m_polls; }
    std::chrono::milliseconds nextInterval() const { return m_backoff.next(); }

Q_SIGNALS:
    /// The refresh's state, progress or details changed.
    void updated();
    /// Accepted but not listed yet; following goes on.
    void waitingForVisibility(int secondsSinceAccepted);
    /// The refresh ended (Completed, Failed, Cancelled or Disabled).
    void finished(pbi::refresh::State state);
    /// Following stopped on an error (the refresh may still be running).
    void followFailed(const pbi::Error& error);
    void cancelAccepted();
    void cancelFailed(const pbi::Error& error);

private:
    void schedule();
    void poll();
    void onHistory(Result<std::vector<Refresh>> result);
    void onExecution(Result<RefreshExecution> result);
    void notVisible();
    void apply(State state);

    QPointer<PowerBiClient> m_client; ///< the session may end first: never call a dead client
    QString m_groupId;
    QString m_datasetId;
    TriggeredRefresh m_triggered;
    Options m_options;
    QTimer m_timer;
    QElapsedTimer m_since;
    PollBackoff m_backoff;
    bool m_following = false;
    bool m_visible = false;
    bool m_cancelling = false;
    State m_state = State::Running;
    Refresh m_latest;
    std::optional<RefreshExecution> m_execution;
    int m_polls = 0;
    quint64 m_inFlight = 0;
};

} // namespace pbi::refresh
