// Dataflow refreshes in the sandbox: the transactions history of the demo tenant, trigger with
// its notifyOption and processType checks, the run on the sandbox clock to Success or Failed,
// cancel and its statuses, the schedule, the refusal of service principals and Viewers, and the
// control endpoint's dataflow outcomes (docs/sandbox-powerbi.md "Dataflow refreshes").
//
// The sandbox clock is frozen: only advanceClock() moves refreshes on.

#include "PowerBiTestTenant.h"

#include "EntraDemo.h"

#include <QRegularExpression>
#include <QTest>
#include <QUrl>

using nlohmann::json;
using namespace pbi::sandbox;

namespace {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kDay = 24 * 60 * kMinute;

std::string str(const json& j, const char* key)
{
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                                  : std::string();
}

std::string errorCode(const WireReply& r)
{
    const json j = r.json();
    return j.is_object() && j.contains("error") ? str(j["error"], "code") : std::string();
}

SandboxOptions frozenOptions()
{
    SandboxOptions o;
    o.timeScale = 0;
    o.refreshVisibilityDelayMs = 0;
    o.refreshSchedules = false;
    o.tokenLifetimeSeconds = 30 * 24 * 3600;
    o.throttleScale = 0;
    return o;
}

const QRegularExpression& idShape()
{
    static const QRegularExpression re(QStringLiteral(
        R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z@[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\$(\d+)$)"));
    return re;
}

} // namespace

class TestDataflowTransactions : public QObject {
    Q_OBJECT

    std::unique_ptr<PowerBiTestTenant> f;
    QByteArray console; ///< the console's service principal (Member of Supply Chain [Prod])
    QByteArray megan;   ///< Member everywhere
    QByteArray adele;   ///< Viewer everywhere

    struct Flow {
        QString path;   ///< "/groups/<g>/dataflows/<d>"
        QString group;  ///< "/groups/<g>"
        std::string id;
    };

    Flow flow(const std::string& workspace) const
    {
        const Workspace& w = f->workspace(workspace);
        if (w.dataflows.empty())
            throw std::runtime_error("no dataflow in " + workspace);
        const Dataflow& d = w.dataflows.front();
        return {QStringLiteral("/groups/%1/dataflows/%2").arg(qs(w.id), qs(d.objectId)),
                QStringLiteral("/groups/%1").arg(qs(w.id)), d.objectId};
    }
    WireReply send(const QByteArray& method, const QByteArray& bearer, const QString& path,
                   const QByteArray& body = {}) const
    {
        QList<QPair<QByteArray, QByteArray>> h;
        if (!bearer.isEmpty())
            h.append(qMakePair(QByteArray("Authorization"), bearer));
        if (!body.isNull())
            h.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        QUrl url = f->url(QStringLiteral("/v1.0/myorg"));
        url.setPath(url.path() + path.section(QLatin1Char('?'), 0, 0), QUrl::TolerantMode);
        if (path.contains(QLatin1Char('?')))
            url.setQuery(path.section(QLatin1Char('?'), 1));
        return wireSend(method, url, h, body);
    }
    WireReply trigger(const Flow& d, const json& body = {{"notifyOption", "NoNotification"}},
                      const QString& query = {}) const
    {
        return send("POST", megan, d.path + QStringLiteral("/refreshes") + query,
                    QByteArray::fromStdString(body.dump()));
    }
    json transactions(const Flow& d, const QByteArray& bearer = {}) const
    {
        return send("GET", bearer.isEmpty() ? megan : bearer, d.path + QStringLiteral("/transactions"))
            .json()["value"];
    }
    WireReply cancel(const Flow& d, const std::string& transactionId) const
    {
        return send("POST", megan,
                    d.group + QStringLiteral("/dataflows/transactions/") +
                        QString::fromLatin1(QUrl::toPercentEncoding(qs(transactionId))) +
                        QStringLiteral("/cancel"),
                    QByteArray(""));
    }
    WireReply control(const QByteArray& method, const QString& what, const json& body) const
    {
        return wireSend(method, f->url(QStringLiteral("/sandbox/control/") + what),
                        {qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))},
                        QByteArray::fromStdString(body.dump()));
    }
    void force(const Flow& d, const std::string& outcome, std::int64_t durationMs) const
    {
        const WireReply r = control("POST", QStringLiteral("refresh-outcomes"),
                                    {{"dataflowId", d.id}, {"outcome", outcome}, {"durationMs", durationMs}});
        if (r.status != 200)
            throw std::runtime_error("forcing an outcome failed: " + r.body.toStdString());
    }
    void advance(std::int64_t ms) const { f->sandbox().advanceClock(ms); }
    /// The newest transaction, which a trigger has just added.
    json newest(const Flow& d) const
    {
        const json list = transactions(d);
        return list.empty() ? json() : list[0];
    }

private Q_SLOTS:
    void initTestCase()
    {
        f = std::make_unique<PowerBiTestTenant>(makeDemoTenant(), frozenOptions());
        console = f->appBearer(f->tenant().apps[0]);
        const QString client = QString::fromLatin1(demo::kPublicClientId);
        megan = f->userBearer(f->tenant().users[1], client);
        adele = f->userBearer(f->tenant().users[3], client);
        QVERIFY(!console.isEmpty() && !megan.isEmpty() && !adele.isEmpty());
    }
    void cleanupTestCase() { f.reset(); }

    void demoHistoryIsNewestFirstWithAFailure()
    {
        const Flow d = flow("Supply Chain [Prod]");
        const WireReply r = send("GET", megan, d.path + QStringLiteral("/transactions"));
        QCOMPARE(r.status, 200);
        const json j = r.json();
        QVERIFY(str(j, "@odata.context").ends_with("/$metadata#transactions"));
        const json& list = j["value"];
        QVERIFY(list.size() >= 5);
        // The scheduled dataflow's newest run failed; a manual retry followed an older failure.
        QCOMPARE(str(list[0], "status"), std::string("Failed"));
        QCOMPARE(str(list[0], "refreshType"), std::string("Scheduled"));
        bool onDemand = false;
        std::string previous = "9999";
        long long lastSequence = 1LL << 40;
        for (const auto& t : list) {
            const auto m = idShape().match(qs(str(t, "id")));
            QVERIFY2(m.hasMatch(), str(t, "id").c_str());
            QVERIFY(m.captured(1).toLongLong() < lastSequence);
            lastSequence = m.captured(1).toLongLong();
            QVERIFY(str(t, "startTime") < previous);
            previous = str(t, "startTime");
            QVERIFY(t.contains("endTime"));
            QVERIFY(str(t, "status") == "Success" || str(t, "status") == "Failed");
            onDemand = onDemand || str(t, "refreshType") == "OnDemand";
            // The id begins with the start time, as the service's do.
            QCOMPARE(str(t, "id").substr(0, 19), str(t, "startTime").substr(0, 19));
        }
        QVERIFY(onDemand);
        // An unscheduled dataflow: on-demand runs only, one of them failed.
        const json dev = transactions(flow("Sales [Dev]"));
        QVERIFY(!dev.empty());
        int failed = 0;
        for (const auto& t : dev) {
            QCOMPARE(str(t, "refreshType"), std::string("OnDemand"));
            failed += str(t, "status") == "Failed";
        }
        QCOMPARE(failed, 1);
    }

    void servicePrincipalsAreRefusedOnEveryRoute()
    {
        const Flow d = flow("Supply Chain [Prod]");
        const json last = transactions(d)[0];
        const QList<std::pair<QByteArray, QString>> routes = {
            {"GET", d.path + QStringLiteral("/transactions")},
            {"POST", d.path + QStringLiteral("/refreshes")},
            {"POST", d.group + QStringLiteral("/dataflows/transactions/") +
                         QString::fromLatin1(QUrl::toPercentEncoding(qs(str(last, "id")))) +
                         QStringLiteral("/cancel")},
            {"PATCH", d.path + QStringLiteral("/refreshSchedule")},
        };
        for (const auto& [method, path] : routes) {
            const WireReply r = send(method, console, path,
                                     method == "GET" ? QByteArray() : QByteArray(R"({"notifyOption":"NoNotification","value":{"enabled":false}})"));
            QCOMPARE(r.status, 401);
            QCOMPARE(str(r.json(), "Message"), std::string("API is not accessible for application"));
            QVERIFY(!r.header("RequestId").isEmpty());
        }
        // The dataflow list itself stays open to the app.
        QCOMPARE(send("GET", console, d.group + QStringLiteral("/dataflows")).status, 200);
        QCOMPARE(transactions(d).size(), transactions(d, megan).size()); // nothing was started
    }

    void viewersMayNotRefreshNorReadTheHistory()
    {
        const Flow d = flow("Supply Chain [Prod]");
        QCOMPARE(send("GET", adele, d.path + QStringLiteral("/transactions")).status, 401);
        const WireReply r = send("POST", adele, d.path + QStringLiteral("/refreshes"),
                                 R"({"notifyOption":"NoNotification"})");
        QCOMPARE(r.status, 401);
        QCOMPARE(errorCode(r), std::string("PowerBINotAuthorizedException"));
        QCOMPARE(send("PATCH", adele, d.path + QStringLiteral("/refreshSchedule"),
                      R"({"value":{"enabled":false}})")
                     .status,
                 401);
        // An unknown dataflow in a workspace of the caller: 404.
        const WireReply unknown = send("GET", megan, d.group +
                                                         QStringLiteral("/dataflows/00000000-0000-4000-8000-000000000000/transactions"));
        QCOMPARE(unknown.status, 404);
        QCOMPARE(errorCode(unknown), std::string("PowerBIEntityNotFound"));
    }

    void aRefreshRunsThenSucceeds()
    {
        const Flow d = flow("Supply Chain [Prod]");
        const json before = newest(d);
        force(d, "Completed", 5 * kSecond);
        const WireReply r = trigger(d, {{"notifyOption", "MailOnFailure"}}, QStringLiteral("?processType=default"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.isEmpty()); // the answer names no transaction
        json t = newest(d);
        QVERIFY(str(t, "id") != str(before, "id"));
        QCOMPARE(str(t, "status"), std::string("InProgress"));
        QCOMPARE(str(t, "refreshType"), std::string("OnDemand"));
        QVERIFY(!t.contains("endTime"));
        const auto m = idShape().match(qs(str(t, "id")));
        QVERIFY(m.hasMatch());
        QCOMPARE(m.captured(1).toLongLong(),
                 idShape().match(qs(str(before, "id"))).captured(1).toLongLong() + 1);
        advance(4 * kSecond);
        QCOMPARE(str(newest(d), "status"), std::string("InProgress"));
        advance(1 * kSecond);
        t = newest(d);
        QCOMPARE(str(t, "status"), std::string("Success"));
        QVERIFY(t.contains("endTime"));
    }

    void aForcedFailureFails()
    {
        const Flow d = flow("Sales [Prod]");
        force(d, "Failed", 20 * kSecond);
        QCOMPARE(trigger(d).status, 200);
        advance(20 * kSecond);
        const json t = newest(d);
        QCOMPARE(str(t, "status"), std::string("Failed"));
        QCOMPARE(str(t, "refreshType"), std::string("OnDemand"));
    }

    void oneRefreshAtATime()
    {
        const Flow d = flow("Supply Chain [Dev]");
        force(d, "Completed", kMinute);
        QCOMPARE(trigger(d).status, 200);
        const WireReply again = trigger(d);
        QCOMPARE(again.status, 400);
        QCOMPARE(errorCode(again), std::string("InvalidRequest"));
        QVERIFY(again.body.contains("already in progress"));
        advance(kMinute);
        QCOMPARE(str(newest(d), "status"), std::string("Success"));
        QCOMPARE(trigger(d).status, 200); // free again
        advance(kMinute);
    }

    void theRequestIsChecked_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QByteArray>("words");
        QTest::newRow("no body") << QByteArray() << QString() << QByteArray("'notifyOption' is required");
        QTest::newRow("empty object") << QByteArray("{}") << QString() << QByteArray("'notifyOption' is required");
        QTest::newRow("not JSON") << QByteArray("{\"notifyOption\": ") << QString() << QByteArray("not a valid JSON");
        QTest::newRow("mail on completion")
            << QByteArray(R"({"notifyOption":"MailOnCompletion"})") << QString() << QByteArray("MailOnCompletion");
        QTest::newRow("unknown option")
            << QByteArray(R"({"notifyOption":"Pigeon"})") << QString() << QByteArray("Invalid NotifyOption value 'Pigeon'");
        QTest::newRow("number") << QByteArray(R"({"notifyOption":3})") << QString() << QByteArray("Invalid NotifyOption value '3'");
        QTest::newRow("process type")
            << QByteArray(R"({"notifyOption":"NoNotification"})") << QStringLiteral("?processType=everything")
            << QByteArray("'processType' must be default or processFull");
    }
    void theRequestIsChecked()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, query);
        QFETCH(QByteArray, words);
        const Flow d = flow("Data Platform - Shared Models");
        const std::size_t count = transactions(d).size();
        const WireReply r = send("POST", megan, d.path + QStringLiteral("/refreshes") + query, body);
        QCOMPARE(r.status, 400);
        QCOMPARE(errorCode(r), std::string("InvalidRequest"));
        QVERIFY2(r.body.contains(words), r.body.constData());
        QCOMPARE(transactions(d).size(), count); // nothing started
    }

    void enumValuesInAnyCaseAndProcessFull()
    {
        const Flow d = flow("Data Platform - Shared Models");
        force(d, "Completed", kSecond);
        QCOMPARE(trigger(d, {{"notifyOption", "mailonfailure"}}, QStringLiteral("?processType=ProcessFull")).status,
                 200);
        advance(kSecond);
        QCOMPARE(str(newest(d), "status"), std::string("Success"));
    }

    void cancelMarksThenConcludes()
    {
        const Flow d = flow("Supply Chain [Prod]");
        force(d, "Completed", 10 * kMinute);
        QCOMPARE(trigger(d).status, 200);
        const std::string id = str(newest(d), "id");
        advance(kMinute);
        WireReply r = cancel(d, id);
        QCOMPARE(r.status, 200);
        QCOMPARE(str(r.json(), "status"), std::string("SuccessfullyMarked"));
        QCOMPARE(str(r.json(), "transactionId"), id);
        const json t = newest(d);
        QCOMPARE(str(t, "id"), id);
        QCOMPARE(str(t, "status"), std::string("Cancelled"));
        QVERIFY(t.contains("endTime"));
        r = cancel(d, id);
        QCOMPARE(str(r.json(), "status"), std::string("AlreadyConcluded"));
        advance(10 * kMinute); // the planned end passes: it stays cancelled
        QCOMPARE(str(newest(d), "status"), std::string("Cancelled"));
        // Ids the workspace does not know, and ids of the wrong shape.
        QCOMPARE(str(cancel(d, "2020-08-27T16:07:47.2487692Z@8dbd8c92-4d16-4947-8329-4172f04f4f93$2").json(), "status"),
                 std::string("NotFound"));
        QCOMPARE(str(cancel(d, "not a transaction").json(), "status"), std::string("Invalid"));
        // A transaction of another workspace's dataflow is not this workspace's to cancel.
        const Flow other = flow("Sales [Prod]");
        force(other, "Completed", 10 * kMinute);
        QCOMPARE(trigger(other).status, 200);
        const std::string foreign = str(newest(other), "id");
        QCOMPARE(str(cancel(d, foreign).json(), "status"), std::string("NotFound"));
        QCOMPARE(str(newest(other), "status"), std::string("InProgress"));
        advance(10 * kMinute);
    }

    void aNewRunIsListedAfterAMoment()
    {
        const Flow d = flow("Sales [Dev]");
        QCOMPARE(control("PUT", QStringLiteral("refresh-settings"), {{"visibilityDelayMs", 2000}}).status, 200);
        force(d, "Completed", 10 * kSecond);
        const std::string before = str(newest(d), "id");
        QCOMPARE(trigger(d).status, 200);
        QCOMPARE(str(newest(d), "id"), before); // accepted, not listed yet
        // …but it runs: a second trigger is refused.
        QCOMPARE(trigger(d).status, 400);
        advance(2 * kSecond);
        QVERIFY(str(newest(d), "id") != before);
        QCOMPARE(str(newest(d), "status"), std::string("InProgress"));
        QCOMPARE(control("PUT", QStringLiteral("refresh-settings"), {{"visibilityDelayMs", 0}}).status, 200);
        advance(10 * kSecond);
    }

    void theScheduleFiresAndCanBeDisabled()
    {
        const Flow d = flow("Sales [Dev]");
        QCOMPARE(control("PUT", QStringLiteral("refresh-settings"), {{"schedules", true}}).status, 200);
        const json value = {{"days", {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}},
                            {"times", {"10:00", "16:00"}},
                            {"enabled", true},
                            {"localTimeZoneId", "UTC"},
                            {"notifyOption", "NoNotification"}};
        WireReply r = send("PATCH", megan, d.path + QStringLiteral("/refreshSchedule"),
                           QByteArray::fromStdString(json{{"value", value}}.dump()));
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.isEmpty());
        const std::size_t before = transactions(d).size();
        advance(kDay);
        const json after = transactions(d);
        QCOMPARE(after.size(), before + 2);
        QCOMPARE(str(after[0], "refreshType"), std::string("Scheduled"));
        // The spec's own disable example carries times and a time zone: accepted for dataflows.
        r = send("PATCH", megan, d.path + QStringLiteral("/refreshSchedule"),
                 R"({"value":{"enabled":false,"times":[],"localTimeZoneId":"UTC"}})");
        QCOMPARE(r.status, 200);
        advance(kDay);
        QCOMPARE(transactions(d).size(), before + 2);
        // The schedule rules of models apply.
        r = send("PATCH", megan, d.path + QStringLiteral("/refreshSchedule"), R"({"value":{"times":["10:15"]}})");
        QCOMPARE(r.status, 400);
        QVERIFY(r.body.contains("10:15"));
        r = send("PATCH", megan, d.path + QStringLiteral("/refreshSchedule"), R"({"days":["Monday"]})");
        QCOMPARE(r.status, 400);
        QCOMPARE(control("PUT", QStringLiteral("refresh-settings"), {{"schedules", false}}).status, 200);
    }

    void theControlEndpointScriptsDataflows()
    {
        const Flow d = flow("Sales [Dev]");
        const auto refused = [this](const json& body) {
            return control("POST", QStringLiteral("refresh-outcomes"), body).status;
        };
        QCOMPARE(refused({{"dataflowId", d.id}, {"datasetId", d.id}}), 400);
        QCOMPARE(refused({{"outcome", "Failed"}}), 400);
        QCOMPARE(refused({{"dataflowId", d.id}, {"outcome", "TimedOut"}}), 400);
        QCOMPARE(refused({{"dataflowId", d.id}, {"outcome", "Failed"}, {"errorCode", "X"}}), 400);
        QCOMPARE(refused({{"dataflowId", "00000000-0000-4000-8000-000000000000"}}), 400);
        // Two forced outcomes (count), shown pending with the dataflow's id, used in order.
        const WireReply r = control("POST", QStringLiteral("refresh-outcomes"),
                                    {{"dataflowId", d.id}, {"outcome", "Failed"}, {"durationMs", 1000}, {"count", 2}});
        QCOMPARE(r.status, 200);
        const json state = r.json();
        int pending = 0;
        for (const auto& p : state["pending"])
            pending += str(p, "dataflowId") == d.id;
        QCOMPARE(pending, 2);
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(trigger(d).status, 200);
            const json running = control("GET", QStringLiteral("refresh-outcomes"), json()).json();
            bool listed = false;
            for (const auto& x : running["running"])
                listed = listed || str(x, "dataflowId") == d.id;
            QVERIFY(listed);
            advance(1000);
            QCOMPARE(str(newest(d), "status"), std::string("Failed"));
        }
        QCOMPARE(trigger(d).status, 200); // no forced outcome left: the default
        advance(kMinute);
        QCOMPARE(str(newest(d), "status"), std::string("Success"));
    }
};

QTEST_GUILESS_MAIN(TestDataflowTransactions)
#include "tst_dataflowtransactions.moc"
