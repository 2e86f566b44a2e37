#include "refresh/DataflowRefresh.h"

#include "http/Transport.h"

#include <algorithm>

namespace pbi::refresh {

namespace {

bool is(const QString& value, std::initializer_list<const char*> names)
{
    for (const char* n : names)
        if (value.compare(QLatin1String(n), Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace

State stateOf(const DataflowTransaction& t)
{
    const QString s = t.status.value_or(QString());
    if (is(s, {"Success", "Succeeded", "Completed"}))
        return State::Completed;
    if (is(s, {"Failed", "Failure", "Error"}))
        return State::Failed;
    if (is(s, {"Cancelled", "Canceled"}))
        return State::Cancelled;
    // InProgress, NotStarted, PendingExecution…: running while there is no end time.
    if (!t.endTime)
        return State::Running;
    return State::Unknown;
}

std::optional<qint64> durationMs(const DataflowTransaction& t, const QDateTime& now)
{
    if (!t.startTime)
        return std::nullopt;
    return std::max<qint64>(0, t.startTime->msecsTo(t.endTime ? *t.endTime : now));
}

Refresh asRefresh(const DataflowTransaction& t)
{
    Refresh r;
    r.requestId = t.id.isEmpty() ? std::optional<QString>() : t.id;
    r.refreshType = t.refreshType;
    r.startTime = t.startTime;
    r.endTime = t.endTime;
    const State state = stateOf(t);
    r.status = state == State::Running ? QStringLiteral("Unknown") : stateName(state);
    r.extendedStatus = t.status;
    return r;
}

bool isServicePrincipalRefusal(const Error& e)
{
    return e.httpStatus == 401 &&
           e.message.contains(QLatin1String("not accessible for application"), Qt::CaseInsensitive);
}

std::vector<Problem> validate(const DataflowRefreshRequest& r, const Target& target)
{
    std::vector<Problem> out;
    if (target.servicePrincipal)
        out.push_back({QStringLiteral("identity"),
                       QStringLiteral("The service does not let a service principal refresh dataflows: sign "
                                      "in as a user (device code or interactive sign-in).")});
    if (r.notifyOption.compare(QLatin1String("MailOnCompletion"), Qt::CaseInsensitive) == 0)
        out.push_back({QStringLiteral("notifyOption"),
                       QStringLiteral("Dataflow refreshes cannot mail on completion; use NoNotification or "
                                      "MailOnFailure.")});
    else if (!is(r.notifyOption, {"NoNotification", "MailOnFailure"}))
        out.push_back({QStringLiteral("notifyOption"),
                       QStringLiteral("'%1' is not a notify option; use NoNotification or MailOnFailure.")
                           .arg(r.notifyOption)});
    if (r.processType && !is(*r.processType, {"default", "processFull"}))
        out.push_back({QStringLiteral("processType"),
                       QStringLiteral("'%1' is not a process type; use default or processFull.").arg(*r.processType)});
    return out;
}

QString describeCancel(const DataflowCancelResult& result, bool* ok)
{
    const QString& s = result.status;
    bool taken = true;
    QString sentence;
    if (is(s, {"SuccessfullyMarked"}))
        sentence = QStringLiteral("The service marked the refresh for cancellation.");
    else if (is(s, {"AlreadyConcluded"}))
        sentence = QStringLiteral("The refresh had already ended; there was nothing to cancel.");
    else if (is(s, {"NotFound"})) {
        taken = false;
        sentence = QStringLiteral("The service knows no such transaction in this workspace.");
    } else if (is(s, {"Invalid"})) {
        taken = false;
        sentence = QStringLiteral("The service calls the transaction id invalid.");
    } else {
        taken = false;
        sentence = QStringLiteral("The service answered the cancel with an unknown status '%1'.").arg(s);
    }
    if (ok)
        *ok = taken;
    return sentence;
}

void triggerDataflowRefresh(PowerBiClient* client, const QString& groupId, const QString& dataflowId,
                            const DataflowRefreshRequest& request, QObject* context,
                            std::function<void(Result<TriggeredDataflowRefresh>)> callback)
{
    const QPointer<PowerBiClient> guard(client);
    client->dataflowTransactions(
        groupId, dataflowId, context,
        [guard, groupId, dataflowId, request, context,
         callback = std::move(callback)](Result<std::vector<DataflowTransaction>> history) {
            // Without the history the new transaction cannot be told apart: do not trigger.
            if (!history)
                return callback(history.error());
            if (!guard) {
                Error e;
                e.kind = ErrorKind::Cancelled;
                e.sentence = QStringLiteral("The connection closed before the refresh was sent.");
                return callback(e);
            }
            QStringList known;
            for (const DataflowTransaction& t : history.value())
                known << t.id;
            guard->refreshDataflow(groupId, dataflowId, request, context,
                                   [known, callback](Result<TriggeredDataflowRefresh> r) {
                                       if (!r)
                                           return callback(r.error());
                                       TriggeredDataflowRefresh t = std::move(r).value();
                                       t.knownTransactionIds = known;
                                       callback(std::move(t));
                                   });
        });
}

DataflowRefreshFollower::DataflowRefreshFollower(PowerBiClient* client, QString groupId, QString dataflowId,
                                                 TriggeredDataflowRefresh triggered, Options options,
                                                 QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_groupId(std::move(groupId))
    , m_dataflowId(std::move(dataflowId))
    , m_triggered(std::move(triggered))
    , m_options(options)
    , m_backoff(options.firstPoll, options.maxPoll, options.growth)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &DataflowRefreshFollower::poll);
    m_latest.id = m_triggered.transactionId;
    m_latest.refreshType = QStringLiteral("OnDemand");
    m_latest.startTime = m_triggered.acceptedAt;
    m_latest.status = QStringLiteral("InProgress");
}

DataflowRefreshFollower::~DataflowRefreshFollower()
{
    stop();
}

void DataflowRefreshFollower::start()
{
    if (m_following)
        return;
    m_following = true;
    m_polls = 0;
    m_backoff.reset();
    m_since.start();
    poll();
}

void DataflowRefreshFollower::stop()
{
    m_following = false;
    m_timer.stop();
    if (m_inFlight && m_client)
        m_client->transport()->cancel(m_inFlight);
    m_inFlight = 0;
}

void DataflowRefreshFollower::schedule()
{
    if (!m_following)
        return;
    m_timer.start(m_backoff.take());
}

void DataflowRefreshFollower::poll()
{
    if (!m_following || m_inFlight || !m_client)
        return;
    ++m_polls;
    m_inFlight = m_client->dataflowTransactions(
        m_groupId, m_dataflowId, this,
        [this](Result<std::vector<DataflowTransaction>> r) { onHistory(std::move(r)); });
}

void DataflowRefreshFollower::onHistory(Result<std::vector<DataflowTransaction>> r)
{
    m_inFlight = 0;
    if (!m_following)
        return;
    if (!r) {
        const ErrorKind k = r.error().kind;
        if (k == ErrorKind::Throttled || k == ErrorKind::Network || k == ErrorKind::Timeout)
            return schedule(); // the transport already retried; keep following, slower
        m_following = false;
        Q_EMIT followFailed(r.error());
        return;
    }
    const DataflowTransaction* mine = nullptr;
    if (!m_triggered.transactionId.isEmpty()) {
        for (const DataflowTransaction& t : r.value())
            if (t.id == m_triggered.transactionId)
                mine = &t;
    } else {
        // New since the trigger: the newest, a refresh started by hand before a scheduled one.
        for (const DataflowTransaction& t : r.value()) {
            if (m_triggered.knownTransactionIds.contains(t.id))
                continue;
            const bool scheduled = t.refreshType.value_or(QString()) == QLatin1String("Scheduled");
            const bool mineScheduled = mine && mine->refreshType.value_or(QString()) == QLatin1String("Scheduled");
            const bool newer = mine && t.startTime && mine->startTime && *t.startTime > *mine->startTime;
            if (!mine || (mineScheduled && !scheduled) || (scheduled == mineScheduled && newer))
                mine = &t;
        }
    }
    if (!mine)
        return notVisible();
    m_visible = true;
    m_latest = *mine;
    m_triggered.transactionId = mine->id;
    m_state = stateOf(m_latest);
    Q_EMIT updated();
    if (isFinished(m_state)) {
        m_following = false;
        m_timer.stop();
        Q_EMIT finished(m_state);
        return;
    }
    schedule();
}

void DataflowRefreshFollower::notVisible()
{
    const qint64 waited = m_since.elapsed();
    if (waited > m_options.visibilityGrace.count()) {
        m_following = false;
        Error e;
        e.kind = ErrorKind::Service;
        e.sentence = QStringLiteral("The service accepted the dataflow refresh but has not listed it after %1 s.")
                         .arg(waited / 1000);
        e.hint = QStringLiteral("Look at the dataflow's refresh history, and trigger again if the refresh is "
                                "not there.");
        Q_EMIT followFailed(e);
        return;
    }
    Q_EMIT waitingForVisibility(int(waited / 1000));
    schedule();
}

void DataflowRefreshFollower::cancelRefresh()
{
    if (m_cancelling || !m_client)
        return;
    if (m_triggered.transactionId.isEmpty()) {
        Error e;
        e.kind = ErrorKind::Refused;
        e.sentence = QStringLiteral("The service has not listed this refresh yet, so its transaction id is "
                                    "unknown and it cannot be cancelled.");
        e.hint = QStringLiteral("Wait until it shows in the history, then cancel.");
        Q_EMIT cancelFailed(e);
        return;
    }
    m_cancelling = true;
    m_client->cancelDataflowTransaction(
        m_groupId, m_triggered.transactionId, this, [this](Result<DataflowCancelResult> r) {
            m_cancelling = false;
            if (!r) {
                Q_EMIT cancelFailed(r.error());
                return;
            }
            bool ok = false;
            const QString sentence = describeCancel(r.value(), &ok);
            if (!ok) {
                Error e;
                e.kind = ErrorKind::Service;
                e.httpStatus = 200;
                e.code = r.value().status;
                e.sentence = sentence;
                Q_EMIT cancelFailed(e);
                return;
            }
            Q_EMIT cancelAccepted(sentence);
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
