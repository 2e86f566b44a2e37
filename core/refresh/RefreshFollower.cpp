#include "refresh/RefreshFollower.h"

#include "http/Transport.h"

#include <algorithm>

namespace pbi::refresh {

namespace {
constexpr int kHistoryDepth = 10;
/// Without a request id, a history entry counts as ours if it started this close to the 202.
constexpr qint64 kMatchWindowMs = 60'000;
} // namespace

RefreshFollower::RefreshFollower(PowerBiClient* client, QString groupId, QString datasetId,
                                 TriggeredRefresh triggered, QObject* parent)
    : RefreshFollower(client, std::move(groupId), std::move(datasetId), std::move(triggered), Options{}, parent)
{
}

RefreshFollower::RefreshFollower(PowerBiClient* client, QString groupId, QString datasetId,
                                 TriggeredRefresh triggered, Options options, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_groupId(std::move(groupId))
    , m_datasetId(std::move(datasetId))
    , m_triggered(std::move(triggered))
    , m_options(options)
    , m_backoff(options.firstPoll, options.maxPoll, options.growth)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &RefreshFollower::poll);
    m_latest.requestId = m_triggered.requestId;
    m_latest.refreshType = m_triggered.enhanced ? QStringLiteral("ViaEnhancedApi") : QStringLiteral("ViaApi");
    m_latest.startTime = m_triggered.acceptedAt;
}

RefreshFollower::~RefreshFollower()
{
    stop();
}

void RefreshFollower::start()
{
    if (m_following)
        return;
    m_following = true;
    m_polls = 0;
    m_backoff.reset();
    m_since.start();
    poll();
}

void RefreshFollower::stop()
{
    m_following = false;
    m_timer.stop();
    if (m_inFlight && m_client)
        m_client->transport()->cancel(m_inFlight);
    m_inFlight = 0;
}

void RefreshFollower::schedule()
{
    if (!m_following)
        return;
    m_timer.start(m_backoff.take());
}

void RefreshFollower::poll()
{
    if (!m_following || m_inFlight || !m_client)
        return;
    ++m_polls;
    if (m_triggered.enhanced && !m_triggered.requestId.isEmpty()) {
        m_inFlight = m_client->refreshExecution(m_groupId, m_datasetId, m_triggered.requestId, this,
                                                [this](Result<RefreshExecution> r) { onExecution(std::move(r)); });
    } else {
        m_inFlight = m_client->refreshHistory(m_groupId, m_datasetId, kHistoryDepth, this,
                                              [this](Result<std::vector<Refresh>> r) { onHistory(std::move(r)); });
    }
}

void RefreshFollower::onExecution(Result<RefreshExecution> r)
{
    m_inFlight = 0;
    if (!m_following)
        return;
    if (!r) {
        if (r.error().httpStatus == 404)
            return notVisible();
        if (r.error().kind == ErrorKind::Throttled || r.error().kind == ErrorKind::Network ||
            r.error().kind == ErrorKind::Timeout) {
            // The transport already retried; keep following at the slower pace.
            return schedule();
        }
        m_following = false;
        Q_EMIT followFailed(r.error());
        return;
    }
    m_visible = true;
    RefreshExecution e = std::move(r).value();
    m_latest.startTime = e.startTime ? e.startTime : m_latest.startTime;
    m_latest.endTime = e.endTime;
    m_latest.status = e.status;
    m_latest.extendedStatus = e.extendedStatus;
    m_latest.serviceExceptionJson = e.serviceExceptionJson;
    m_latest.refreshAttempts = e.refreshAttempts;
    if (stateOf(e) == State::Cancelled)
        m_latest.status = QStringLiteral("Cancelled");
    m_execution = std::move(e);
    apply(stateOf(*m_execution));
}

void RefreshFollower::onHistory(Result<std::vector<Refresh>> r)
{
    m_inFlight = 0;
    if (!m_following)
        return;
    if (!r) {
        if (r.error().kind == ErrorKind::Throttled || r.error().kind == ErrorKind::Network ||
            r.error().kind == ErrorKind::Timeout)
            return schedule();
        m_following = false;
        Q_EMIT followFailed(r.error());
        return;
    }
    const Refresh* mine = nullptr;
    for (const Refresh& entry : r.value()) {
        if (!m_triggered.requestId.isEmpty()) {
            if (entry.requestId && entry.requestId->compare(m_triggered.requestId, Qt::CaseInsensitive) == 0) {
                mine = &entry;
                break;
            }
            continue;
        }
        // No id to match by: the newest API refresh that started around the 202.
        if (entry.startTime && m_triggered.acceptedAt.isValid() &&
            std::abs(entry.startTime->msecsTo(m_triggered.acceptedAt)) <= kMatchWindowMs &&
            entry.refreshType.value_or(QString()).startsWith(QLatin1String("Via"))) {
            mine = &entry;
            break;
        }
    }
    if (!mine)
        return notVisible();
    m_visible = true;
    m_latest = *mine;
    if (m_latest.requestId && m_triggered.requestId.isEmpty())
        m_triggered.requestId = *m_latest.requestId;
    apply(stateOf(m_latest));
}

void RefreshFollower::notVisible()
{
    const qint64 waited = m_since.elapsed();
    if (waited > m_options.visibilityGrace.count()) {
        m_following = false;
        Error e;
        e.kind = ErrorKind::Service;
        e.sentence = QStringLiteral("The service accepted the refresh but has not listed it after %1 s.")
                         .arg(waited / 1000);
        e.hint = QStringLiteral("The service drops refreshes sent in a burst; look at the model's history, "
                                "and trigger again if it is not there.");
        e.requestId = m_triggered.requestId;
        Q_EMIT followFailed(e);
        return;
    }
    Q_EMIT waitingForVisibility(int(waited / 1000));
    schedule();
}

void RefreshFollower::apply(State state)
{
    m_state = state;
    Q_EMIT updated();
    if (isFinished(state)) {
        m_following = false;
        m_timer.stop();
        Q_EMIT finished(state);
        return;
    }
    schedule();
}

void RefreshFollower::cancelRefresh()
{
    if (m_cancelling)
        return;
    if (m_triggered.requestId.isEmpty()) {
        Error e;
        e.kind = ErrorKind::Refused;
        e.sentence = QStringLiteral("This refresh has no request id yet, so it cannot be cancelled.");
        e.hint = QStringLiteral("Wait until the service lists it, then cancel.");
        Q_EMIT cancelFailed(e);
        return;
    }
    m_cancelling = true;
    m_client->cancelRefresh(m_groupId, m_datasetId, m_triggered.requestId, this, [this](Result<Done> r) {
        m_cancelling = false;
        if (!r) {
            Q_EMIT cancelFailed(r.error());
            return;
        }
        Q_EMIT cancelAccepted();
        if (m_following) {
            // Look again soon: the end of the refresh follows the cancel.
            m_backoff.reset();
            m_timer.stop();
            if (!m_inFlight)
                schedule();
        }
    });
}

} // namespace pbi::refresh
