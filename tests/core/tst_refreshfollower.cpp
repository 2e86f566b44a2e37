// Following a refresh the way support staff need it: triggered, not listed yet, running, then
// Completed, Failed (with the service's error decoded) or Cancelled — against the sandbox's
// refresh engine over real HTTP.

#include "SandboxFixture.h"
#include "WireClient.h"

#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"
#include "refresh/RefreshFollower.h"

#include <QSignalSpy>
#include <QTest>

using namespace pbi;
using namespace pbi::refresh;

namespace {

RefreshFollower::Options fastPolling()
{
    RefreshFollower::Options o;
    o.firstPoll = std::chrono::milliseconds(150);
    o.maxPoll = std::chrono::milliseconds(400);
    o.visibilityGrace = std::chrono::milliseconds(15000);
    return o;
}

} // namespace

class TestRefreshFollower : public QObject {
    Q_OBJECT

    std::unique_ptr<SandboxFixture> f;
    std::unique_ptr<ClientSecretCredential> cred;
    std::unique_ptr<PowerBiClient> client;
    QString groupId;
    QString datasetId;

    /// Sales [Prod] (Premium; the console's principal is a Contributor) and its Sales Targets model.
    void findModel()
    {
        std::tie(groupId, datasetId) =
            SandboxFixture::findModel(*client, QStringLiteral("Sales [Prod]"), QStringLiteral("Sales Targets"));
        QVERIFY(!groupId.isEmpty());
        QVERIFY(!datasetId.isEmpty());
    }

    void forceNext(const nlohmann::json& outcome)
    {
        nlohmann::json body = outcome;
        body["datasetId"] = datasetId.toStdString();
        const WireReply r = wireSend("POST", f->url(QStringLiteral("/sandbox/control/refresh-outcomes")),
                                     {{"Content-Type", "application/json"}}, QByteArray::fromStdString(body.dump()));
        QVERIFY2(r.status == 200, r.body.constData());
    }

    TriggeredRefresh trigger(const RefreshRequest& request)
    {
        std::optional<Result<TriggeredRefresh>> t;
        client->triggerRefresh(groupId, datasetId, request, this, [&](Result<TriggeredRefresh> r) { t = std::move(r); });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(t.has_value(), 20000); }();
        if (!t || !*t) {
            qWarning("trigger failed: %s", t ? qPrintable(t->error().details()) : "no answer");
            return {};
        }
        return t->value();
    }

private Q_SLOTS:
    void init()
    {
        sandbox::SandboxOptions o;
        o.refreshDurationMs = 1200;
        o.refreshVisibilityDelayMs = 600; // longer than the first poll: the race is exercised
        o.refreshSchedules = false;
        f = std::make_unique<SandboxFixture>(o);
        std::tie(cred, client) = f->servicePrincipal();
        findModel();
    }

    void cleanup()
    {
        client.reset();
        cred.reset();
        f.reset();
    }

    void plainRefreshIsFollowedThroughTheVisibilityRace()
    {
        RefreshRequest plain;
        plain.notifyOption = QStringLiteral("NoNotification");
        const TriggeredRefresh t = trigger(plain);
        QVERIFY(!t.requestId.isEmpty());
        QVERIFY(!t.enhanced);
        RefreshFollower follower(client.get(), groupId, datasetId, t, fastPolling());
        QSignalSpy waiting(&follower, &RefreshFollower::waitingForVisibility);
        QSignalSpy finished(&follower, &RefreshFollower::finished);
        QSignalSpy failed(&follower, &RefreshFollower::followFailed);
        follower.start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(failed.size(), 0);
        QCOMPARE(finished.first().first().value<State>(), State::Completed);
        QVERIFY2(waiting.size() >= 1, "the refresh was listed at once: the not-yet-visible case went untested");
        QVERIFY(follower.isVisible());
        QCOMPARE(follower.latest().requestId.value_or(QString()), t.requestId);
        QCOMPARE(follower.latest().refreshType.value_or(QString()), QStringLiteral("ViaApi"));
        QVERIFY(follower.latest().endTime.has_value());
        QVERIFY(!follower.isFollowing());
        // Polls grow: never a tight loop.
        QVERIFY(follower.nextInterval() > std::chrono::milliseconds(150));
    }

    void enhancedFailureIsDecoded()
    {
        forceNext({{"outcome", "Failed"},
                   {"errorCode", "DM_GWPipeline_Client_GatewayUnreachable"},
                   {"errorDescription", "Unable to connect to the on-premises data gateway."}});
        RefreshRequest enhanced;
        enhanced.type = QStringLiteral("Full");
        enhanced.commitMode = QStringLiteral("Transactional");
        enhanced.maxParallelism = 2;
        const TriggeredRefresh t = trigger(enhanced);
        QVERIFY(t.enhanced);
        QVERIFY(!t.requestId.isEmpty());
        RefreshFollower follower(client.get(), groupId, datasetId, t, fastPolling());
        QSignalSpy finished(&follower, &RefreshFollower::finished);
        QSignalSpy failed(&follower, &RefreshFollower::followFailed);
        follower.start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(failed.size(), 0);
        QCOMPARE(finished.first().first().value<State>(), State::Failed);
        QVERIFY(follower.execution().has_value());
        const auto failure = decodeFailure(follower.latest().serviceExceptionJson);
        QVERIFY2(failure.has_value(), "a failed refresh without serviceExceptionJson");
        QCOMPARE(failure->errorCode, QStringLiteral("DM_GWPipeline_Client_GatewayUnreachable"));
        QVERIFY(!failure->hint.isEmpty());
    }

    void cancelUsesTheRequestId()
    {
        const WireReply slow = wireSend("PUT", f->url(QStringLiteral("/sandbox/control/refresh-settings")),
                                        {{"Content-Type", "application/json"}}, R"({"durationMs":60000})");
        QVERIFY2(slow.status == 200, slow.body.constData());
        RefreshRequest enhanced;
        enhanced.type = QStringLiteral("Full");
        const TriggeredRefresh t = trigger(enhanced);
        QVERIFY(!t.requestId.isEmpty());
        RefreshFollower follower(client.get(), groupId, datasetId, t, fastPolling());
        QSignalSpy finished(&follower, &RefreshFollower::finished);
        QSignalSpy accepted(&follower, &RefreshFollower::cancelAccepted);
        QSignalSpy refused(&follower, &RefreshFollower::cancelFailed);
        follower.start();
        QTRY_VERIFY_WITH_TIMEOUT(follower.isVisible(), 15000);
        QCOMPARE(follower.state(), State::Running);
        follower.cancelRefresh();
        QVERIFY(accepted.wait(15000) || accepted.size() == 1);
        QCOMPARE(refused.size(), 0);
        QVERIFY(finished.wait(20000) || finished.size() == 1);
        QCOMPARE(finished.first().first().value<State>(), State::Cancelled);
    }

    void oneRefreshAtATime()
    {
        const WireReply slow = wireSend("PUT", f->url(QStringLiteral("/sandbox/control/refresh-settings")),
                                        {{"Content-Type", "application/json"}}, R"({"durationMs":60000})");
        QVERIFY(slow.status == 200);
        RefreshRequest plain;
        QVERIFY(!trigger(plain).requestId.isEmpty());
        std::optional<Result<TriggeredRefresh>> second;
        client->triggerRefresh(groupId, datasetId, plain, this, [&](Result<TriggeredRefresh> r) { second = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(second.has_value(), 20000);
        QVERIFY(!*second);
        const Error& e = second->error();
        QCOMPARE(e.httpStatus, 400);
        QCOMPARE(e.code, QStringLiteral("InvalidRequest"));
        QVERIFY2(e.message.contains(QStringLiteral("Another refresh request is already executing")), qPrintable(e.message));
        // The refused trigger was sent once: a retry would only be refused again.
        int posts = 0;
        for (const auto& entry : f->log.entries())
            posts += entry.method == "POST" && entry.url.path().endsWith(QLatin1String("/refreshes")) ? 1 : 0;
        QCOMPARE(posts, 2);
    }

    void neverListedGivesUpWithAnExplanation()
    {
        TriggeredRefresh ghost;
        ghost.requestId = QStringLiteral("0b2f9a43-0000-4000-8000-000000000000");
        ghost.acceptedAt = f->clock.now();
        RefreshFollower::Options o = fastPolling();
        o.visibilityGrace = std::chrono::milliseconds(1200);
        RefreshFollower follower(client.get(), groupId, datasetId, ghost, o);
        QSignalSpy failed(&follower, &RefreshFollower::followFailed);
        follower.start();
        QVERIFY(failed.wait(15000));
        const auto e = failed.first().first().value<Error>();
        QVERIFY2(e.sentence.contains(QStringLiteral("has not listed it")), qPrintable(e.sentence));
        QVERIFY(!e.hint.isEmpty());
        QVERIFY(!follower.isFollowing());
    }

    void scheduleChangesAreSentAndRefusalsExplained()
    {
        std::optional<Result<RefreshSchedule>> before;
        client->refreshSchedule(groupId, datasetId, this, [&](Result<RefreshSchedule> r) { before = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(before.has_value(), 20000);
        QVERIFY2(*before, *before ? "" : qPrintable(before->error().details()));

        RefreshScheduleUpdate ok;
        ok.times = QStringList{QStringLiteral("06:00"), QStringLiteral("18:30")};
        ok.notifyOption = QStringLiteral("NoNotification");
        // Only the owner may change a schedule; the refusal says how to become one.
        std::optional<Result<Done>> notOwner;
        client->updateRefreshSchedule(groupId, datasetId, ok, this, [&](Result<Done> r) { notOwner = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(notOwner.has_value(), 20000);
        QVERIFY(!*notOwner);
        QVERIFY2(notOwner->error().hint.contains(QStringLiteral("take the model over")), qPrintable(notOwner->error().details()));
        std::optional<Result<Done>> taken;
        client->takeOverDataset(groupId, datasetId, this, [&](Result<Done> r) { taken = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(taken.has_value(), 20000);
        QVERIFY2(*taken, *taken ? "" : qPrintable(taken->error().details()));
        std::optional<Result<Done>> saved;
        client->updateRefreshSchedule(groupId, datasetId, ok, this, [&](Result<Done> r) { saved = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(saved.has_value(), 20000);
        QVERIFY2(*saved, *saved ? "" : qPrintable(saved->error().details()));
        std::optional<Result<RefreshSchedule>> after;
        client->refreshSchedule(groupId, datasetId, this, [&](Result<RefreshSchedule> r) { after = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(after.has_value(), 20000);
        QVERIFY(*after);
        QCOMPARE(after->value().times, *ok.times);
        QCOMPARE(after->value().days, before->value().days); // untouched fields stay

        // Sent without the client's checks, the service refuses it too, in words.
        RefreshScheduleUpdate bad;
        bad.times = QStringList{QStringLiteral("06:15")};
        std::optional<Result<Done>> refused;
        client->updateRefreshSchedule(groupId, datasetId, bad, this, [&](Result<Done> r) { refused = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(refused.has_value(), 20000);
        QVERIFY(!*refused);
        QCOMPARE(refused->error().httpStatus, 400);
        QVERIFY(!refused->error().message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRefreshFollower)
#include "tst_refreshfollower.moc"
