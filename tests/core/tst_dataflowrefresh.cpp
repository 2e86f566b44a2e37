// Dataflow refreshes through the core, against the sandbox over real HTTP: the history mapped to
// plain states, a trigger found in the history and followed to Completed or Failed, cancel by
// transaction id, the schedule, and the refusals — service principals (in words, with the way
// out) and Viewers.

#include "SandboxFixture.h"
#include "WireClient.h"

#include "EntraDemo.h"
#include "api/PowerBiClient.h"
#include "auth/UsernamePasswordCredential.h"
#include "refresh/DataflowRefresh.h"

#include <QSignalSpy>
#include <QTest>

using namespace pbi;
using namespace pbi::refresh;

namespace {

DataflowRefreshFollower::Options fastPolling()
{
    DataflowRefreshFollower::Options o;
    o.firstPoll = std::chrono::milliseconds(150);
    o.maxPoll = std::chrono::milliseconds(400);
    o.visibilityGrace = std::chrono::milliseconds(15000);
    return o;
}

template <typename T>
std::optional<Result<T>> wait(const std::function<void(std::function<void(Result<T>)>)>& call)
{
    std::optional<Result<T>> out;
    call([&out](Result<T> r) { out.emplace(std::move(r)); });
    (void)QTest::qWaitFor([&] { return out.has_value(); }, 20000);
    return out;
}

} // namespace

class TestDataflowRefresh : public QObject {
    Q_OBJECT

    std::unique_ptr<SandboxFixture> f;
    std::unique_ptr<UsernamePasswordCredential> megan; ///< Member of every workspace
    std::unique_ptr<PowerBiClient> client;
    QString groupId;
    QString dataflowId;

    std::unique_ptr<UsernamePasswordCredential> user(const char* upn)
    {
        return std::make_unique<UsernamePasswordCredential>(
            &f->transport, &f->clock, f->cloud(), f->tenantId(), QString::fromLatin1(sandbox::demo::kPublicClientId),
            QString::fromLatin1(upn), QString::fromLatin1(sandbox::demo::kUserPassword));
    }

    void force(const nlohmann::json& outcome)
    {
        nlohmann::json body = outcome;
        body["dataflowId"] = dataflowId.toStdString();
        const WireReply r = wireSend("POST", f->url(QStringLiteral("/sandbox/control/refresh-outcomes")),
                                     {{"Content-Type", "application/json"}}, QByteArray::fromStdString(body.dump()));
        QVERIFY2(r.status == 200, r.body.constData());
    }

    std::vector<DataflowTransaction> history(PowerBiClient& c)
    {
        const auto r = wait<std::vector<DataflowTransaction>>(
            [&](auto cb) { c.dataflowTransactions(groupId, dataflowId, this, cb); });
        if (!r || !*r) {
            qWarning("history failed: %s", r ? qPrintable(r->error().details()) : "no answer");
            return {};
        }
        return r->value();
    }

    std::optional<TriggeredDataflowRefresh> trigger(const QString& notify = QStringLiteral("NoNotification"))
    {
        DataflowRefreshRequest req;
        req.notifyOption = notify;
        const auto t = wait<TriggeredDataflowRefresh>(
            [&](auto cb) { triggerDataflowRefresh(client.get(), groupId, dataflowId, req, this, cb); });
        if (!t || !*t) {
            qWarning("trigger failed: %s", t ? qPrintable(t->error().details()) : "no answer");
            return std::nullopt;
        }
        return t->value();
    }

    int requests(const QByteArray& method, const QString& suffix) const
    {
        int n = 0;
        for (const auto& e : f->log.entries())
            n += e.method == method && e.url.path().endsWith(suffix);
        return n;
    }

private Q_SLOTS:
    void init()
    {
        sandbox::SandboxOptions o;
        o.refreshSchedules = false; // the demo's scheduled dataflows stay quiet
        o.refreshDurationMs = 1200;
        o.refreshVisibilityDelayMs = 500;
        f = std::make_unique<SandboxFixture>(o);
        megan = user("megan@contoso-sandbox.onmicrosoft.com");
        client = std::make_unique<PowerBiClient>(&f->transport, megan.get(), f->cloud());
        const auto ws = wait<std::vector<Workspace>>([&](auto cb) { client->listWorkspaces(this, cb); });
        QVERIFY(ws && *ws);
        for (const auto& w : ws->value())
            if (w.name == QLatin1String("Supply Chain [Prod]"))
                groupId = w.id;
        QVERIFY(!groupId.isEmpty());
        const auto flows = wait<std::vector<Dataflow>>([&](auto cb) { client->listDataflows(groupId, this, cb); });
        QVERIFY(flows && *flows && !flows->value().empty());
        dataflowId = flows->value().front().id;
    }
    void cleanup()
    {
        client.reset();
        megan.reset();
        f.reset();
    }

    void statesInPlainWords_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<bool>("ended");
        QTest::addColumn<int>("state");
        QTest::newRow("Success") << QStringLiteral("Success") << true << int(State::Completed);
        QTest::newRow("succeeded") << QStringLiteral("succeeded") << true << int(State::Completed);
        QTest::newRow("Failed") << QStringLiteral("Failed") << true << int(State::Failed);
        QTest::newRow("Cancelled") << QStringLiteral("Cancelled") << true << int(State::Cancelled);
        QTest::newRow("Canceled") << QStringLiteral("Canceled") << true << int(State::Cancelled);
        QTest::newRow("InProgress") << QStringLiteral("InProgress") << false << int(State::Running);
        QTest::newRow("PendingExecution") << QStringLiteral("PendingExecution") << false << int(State::Running);
        QTest::newRow("no status, running") << QString() << false << int(State::Running);
        QTest::newRow("unknown, ended") << QStringLiteral("Weird") << true << int(State::Unknown);
    }
    void statesInPlainWords()
    {
        QFETCH(QString, status);
        QFETCH(bool, ended);
        QFETCH(int, state);
        DataflowTransaction t;
        t.id = QStringLiteral("x");
        if (!status.isEmpty())
            t.status = status;
        t.startTime = QDateTime(QDate(2026, 3, 2), QTime(10, 0), Qt::UTC);
        if (ended)
            t.endTime = t.startTime->addSecs(75);
        QCOMPARE(int(stateOf(t)), state);
        const Refresh r = asRefresh(t);
        QCOMPARE(int(stateOf(r)), state); // the history table reads the same state
        QCOMPARE(r.requestId.value(), t.id);
        QCOMPARE(r.extendedStatus, t.status);
        QCOMPARE(durationMs(t, t.startTime->addSecs(10)).value(), ended ? 75000 : 10000);
    }

    void checksBeforeTriggering()
    {
        DataflowRefreshRequest r;
        Target user;
        QVERIFY(validate(r, user).empty());
        r.notifyOption = QStringLiteral("noNotification");
        QVERIFY(validate(r, user).empty()); // any case, as the service reads it
        r.notifyOption = QStringLiteral("MailOnCompletion");
        QCOMPARE(validate(r, user).size(), std::size_t(1));
        QCOMPARE(validate(r, user).front().field, QStringLiteral("notifyOption"));
        r.notifyOption = QStringLiteral("MailOnFailure");
        r.processType = QStringLiteral("everything");
        QCOMPARE(validate(r, user).front().field, QStringLiteral("processType"));
        r.processType = QStringLiteral("processFull");
        Target app;
        app.servicePrincipal = true;
        const auto problems = validate(r, app);
        QCOMPARE(problems.size(), std::size_t(1));
        QVERIFY(problems.front().message.contains(QStringLiteral("device code")));
    }

    void historyMapsToPlainStates()
    {
        const auto list = history(*client);
        QVERIFY(list.size() >= 5);
        // The demo's scheduled dataflow failed last night, and succeeded before.
        QCOMPARE(stateOf(list.front()), State::Failed);
        QCOMPARE(asRefresh(list.front()).status, QStringLiteral("Failed"));
        QCOMPARE(typeName(list.front().refreshType.value()), QStringLiteral("Scheduled"));
        int completed = 0;
        for (const auto& t : list) {
            QVERIFY(t.id.contains(QLatin1Char('@')) && t.id.contains(QLatin1Char('$')));
            QVERIFY(t.startTime && t.endTime);
            completed += stateOf(t) == State::Completed;
        }
        QVERIFY(completed >= 3);
    }

    void triggerIsFollowedToCompleted()
    {
        force({{"outcome", "Completed"}, {"durationMs", 1500}});
        const auto before = history(*client);
        const auto t = trigger(QStringLiteral("MailOnFailure"));
        QVERIFY(t);
        QVERIFY(t->acceptedAt.isValid());
        QCOMPARE(t->knownTransactionIds.size(), qsizetype(before.size()));
        QVERIFY(t->transactionId.isEmpty()); // the answer names none
        QCOMPARE(requests("POST", QStringLiteral("/refreshes")), 1);

        DataflowRefreshFollower follower(client.get(), groupId, dataflowId, *t, fastPolling());
        QSignalSpy waiting(&follower, &DataflowRefreshFollower::waitingForVisibility);
        QSignalSpy updated(&follower, &DataflowRefreshFollower::updated);
        QSignalSpy finished(&follower, &DataflowRefreshFollower::finished);
        QSignalSpy failed(&follower, &DataflowRefreshFollower::followFailed);
        follower.start();
        QVERIFY(follower.isFollowing());
        QVERIFY(finished.wait(20000));
        QCOMPARE(failed.size(), 0);
        QCOMPARE(finished.at(0).at(0).value<State>(), State::Completed);
        // The sandbox lists a new run only after a moment: the follower said it was waiting.
        QVERIFY(waiting.size() >= 1);
        QVERIFY(updated.size() >= 1);
        QVERIFY(follower.isVisible());
        QVERIFY(!follower.isFollowing());
        QVERIFY(!follower.transactionId().isEmpty());
        QVERIFY(!t->knownTransactionIds.contains(follower.transactionId()));
        QCOMPARE(follower.latest().status.value(), QStringLiteral("Success"));
        QCOMPARE(follower.latest().refreshType.value(), QStringLiteral("OnDemand"));
        QVERIFY(follower.latest().endTime.has_value());
        QCOMPARE(history(*client).front().id, follower.transactionId());
        // Polls grew apart instead of hammering the service.
        QVERIFY(follower.nextInterval() > fastPolling().firstPoll);
    }

    void aFailureIsFollowedToFailed()
    {
        force({{"outcome", "Failed"}, {"durationMs", 800}});
        const auto t = trigger();
        QVERIFY(t);
        DataflowRefreshFollower follower(client.get(), groupId, dataflowId, *t, fastPolling());
        QSignalSpy finished(&follower, &DataflowRefreshFollower::finished);
        follower.start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(0).at(0).value<State>(), State::Failed);
        QCOMPARE(follower.latest().status.value(), QStringLiteral("Failed"));
    }

    void cancelByTransactionId()
    {
        force({{"outcome", "Completed"}, {"durationMs", 120000}});
        const auto t = trigger();
        QVERIFY(t);
        DataflowRefreshFollower follower(client.get(), groupId, dataflowId, *t, fastPolling());
        QSignalSpy finished(&follower, &DataflowRefreshFollower::finished);
        QSignalSpy accepted(&follower, &DataflowRefreshFollower::cancelAccepted);
        QSignalSpy refused(&follower, &DataflowRefreshFollower::cancelFailed);
        // Before the service lists it there is no id to cancel with: refused in words.
        follower.cancelRefresh();
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused.at(0).at(0).value<Error>().kind, ErrorKind::Refused);
        follower.start();
        QTRY_VERIFY_WITH_TIMEOUT(follower.isVisible(), 20000);
        QCOMPARE(follower.state(), State::Running);
        follower.cancelRefresh();
        QVERIFY(accepted.wait(20000));
        QVERIFY(accepted.at(0).at(0).toString().contains(QStringLiteral("marked")));
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(0).at(0).value<State>(), State::Cancelled);
        QCOMPARE(requests("POST", QStringLiteral("/cancel")), 1);
        // The URL carried the id encoded (it holds ':', '@' and '$').
        for (const auto& e : f->log.entries())
            if (e.url.path().endsWith(QStringLiteral("/cancel")))
                QVERIFY(e.url.toString(QUrl::FullyEncoded).contains(QStringLiteral("%24")));

        // Cancelling what has ended: the service says so, and that is no failure.
        const auto again = wait<DataflowCancelResult>([&](auto cb) {
            client->cancelDataflowTransaction(groupId, follower.transactionId(), this, cb);
        });
        QVERIFY(again && *again);
        bool ok = false;
        QVERIFY(describeCancel(again->value(), &ok).contains(QStringLiteral("already ended")));
        QVERIFY(ok);
        const auto unknown = wait<DataflowCancelResult>([&](auto cb) {
            client->cancelDataflowTransaction(groupId, QStringLiteral("nonsense"), this, cb);
        });
        QVERIFY(unknown && *unknown);
        describeCancel(unknown->value(), &ok);
        QVERIFY(!ok);
    }

    void followingAKnownTransaction()
    {
        // "Follow live" of a run already in the history: by its id, not by a trigger.
        force({{"outcome", "Completed"}, {"durationMs", 1500}});
        const auto t = trigger();
        QVERIFY(t);
        QTest::qWait(600); // listed now
        TriggeredDataflowRefresh known;
        known.transactionId = history(*client).front().id;
        QVERIFY(!t->knownTransactionIds.contains(known.transactionId));
        DataflowRefreshFollower follower(client.get(), groupId, dataflowId, known, fastPolling());
        QSignalSpy finished(&follower, &DataflowRefreshFollower::finished);
        QSignalSpy waiting(&follower, &DataflowRefreshFollower::waitingForVisibility);
        follower.start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(waiting.size(), 0);
        QCOMPARE(finished.at(0).at(0).value<State>(), State::Completed);
        QCOMPARE(follower.transactionId(), known.transactionId);
    }

    void servicePrincipalsAreRefusedInWords()
    {
        auto [credential, app] = f->servicePrincipal();
        const auto r = wait<std::vector<DataflowTransaction>>(
            [&](auto cb) { app->dataflowTransactions(groupId, dataflowId, this, cb); });
        QVERIFY(r && !*r);
        const Error& e = r->error();
        QCOMPARE(e.kind, ErrorKind::Service);
        QCOMPARE(e.httpStatus, 401);
        QVERIFY(isServicePrincipalRefusal(e));
        QVERIFY2(e.sentence.contains(QStringLiteral("service principal")), qPrintable(e.sentence));
        QVERIFY(e.hint.contains(QStringLiteral("device code")));
        QVERIFY(e.hint.contains(QStringLiteral("interactive")));
        QVERIFY(!e.requestId.isEmpty());
        // The trigger reads the history first: refused there, nothing is POSTed.
        DataflowRefreshRequest req;
        req.notifyOption = QStringLiteral("NoNotification");
        const auto t = wait<TriggeredDataflowRefresh>(
            [&](auto cb) { triggerDataflowRefresh(app.get(), groupId, dataflowId, req, this, cb); });
        QVERIFY(t && !*t && isServicePrincipalRefusal(t->error()));
        QCOMPARE(requests("POST", QStringLiteral("/refreshes")), 0);
        // The POST and the PATCH themselves are refused the same way.
        const auto post = wait<TriggeredDataflowRefresh>(
            [&](auto cb) { app->refreshDataflow(groupId, dataflowId, req, this, cb); });
        QVERIFY(post && !*post && isServicePrincipalRefusal(post->error()));
        RefreshScheduleUpdate u;
        u.enabled = false;
        const auto patch = wait<Done>(
            [&](auto cb) { app->updateDataflowRefreshSchedule(groupId, dataflowId, u, this, cb); });
        QVERIFY(patch && !*patch && isServicePrincipalRefusal(patch->error()));
        QVERIFY(patch->error().hint.contains(QStringLiteral("Contributor")));
    }

    void viewersAreRefused()
    {
        auto adele = user("adele@contoso-sandbox.onmicrosoft.com");
        PowerBiClient viewer(&f->transport, adele.get(), f->cloud());
        DataflowRefreshRequest req;
        const auto r = wait<TriggeredDataflowRefresh>(
            [&](auto cb) { viewer.refreshDataflow(groupId, dataflowId, req, this, cb); });
        QVERIFY(r && !*r);
        QCOMPARE(r->error().kind, ErrorKind::Service);
        QCOMPARE(r->error().httpStatus, 401);
        QCOMPARE(r->error().code, QStringLiteral("PowerBINotAuthorizedException"));
        QVERIFY(!isServicePrincipalRefusal(r->error()));
        QVERIFY(history(*client).front().refreshType.value() == QLatin1String("Scheduled")); // none started
    }

    void aSecondTriggerIsRefusedWhileOneRuns()
    {
        force({{"outcome", "Completed"}, {"durationMs", 5000}});
        QVERIFY(trigger());
        DataflowRefreshRequest req;
        req.notifyOption = QStringLiteral("NoNotification");
        const auto again = wait<TriggeredDataflowRefresh>(
            [&](auto cb) { client->refreshDataflow(groupId, dataflowId, req, this, cb); });
        QVERIFY(again && !*again);
        QCOMPARE(again->error().httpStatus, 400);
        QCOMPARE(again->error().code, QStringLiteral("InvalidRequest"));
        QVERIFY(again->error().message.contains(QStringLiteral("already in progress")));
    }

    void theScheduleIsSent()
    {
        RefreshScheduleUpdate u;
        u.days = QStringList{QStringLiteral("Monday"), QStringLiteral("Friday")};
        u.times = QStringList{QStringLiteral("06:30")};
        u.enabled = true;
        u.localTimeZoneId = QStringLiteral("UTC");
        u.notifyOption = QStringLiteral("NoNotification");
        auto done = wait<Done>([&](auto cb) { client->updateDataflowRefreshSchedule(groupId, dataflowId, u, this, cb); });
        QVERIFY(done && *done);
        u.times = QStringList{QStringLiteral("06:15")}; // minutes 00 or 30 only
        done = wait<Done>([&](auto cb) { client->updateDataflowRefreshSchedule(groupId, dataflowId, u, this, cb); });
        QVERIFY(done && !*done);
        QCOMPARE(done->error().httpStatus, 400);
        QVERIFY(done->error().message.contains(QStringLiteral("06:15")));
    }
};

QTEST_GUILESS_MAIN(TestDataflowRefresh)
#include "tst_dataflowrefresh.moc"
