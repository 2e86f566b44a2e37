// Semantic-model refreshes in the sandbox: trigger (standard and enhanced), the asynchronous
// states, execution details, cancel, schedule updates, the service's limits and refusals,
// forced outcomes and the time scale (reference/api-digest.md §3, docs/sandbox-control.md).
//
// The main fixture freezes the sandbox clock (timeScale 0) and moves it with advanceClock(),
// so no check races a running refresh; only timeScaleSpeedsRefreshesTokensAndThrottling runs
// a real-time clock, with generous QTRY timeouts.

#include "PowerBiTestTenant.h"

#include "EntraDemo.h"

#include <QTest>

#include <set>

using nlohmann::json;
using namespace pbi::sandbox;

namespace {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;

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

QString errorMessage(const WireReply& r)
{
    const json j = r.json();
    return QString::fromStdString(j.is_object() && j.contains("error") ? str(j["error"], "message")
                                                                       : std::string());
}

SandboxOptions frozenOptions()
{
    SandboxOptions o;
    o.timeScale = 0; // only advanceClock moves time
    o.refreshVisibilityDelayMs = 0;
    o.refreshSchedules = false;
    o.tokenLifetimeSeconds = 30 * 24 * 3600; // the tests move the clock by days
    o.throttleScale = 0;
    return o;
}

} // namespace

class TestRefresh : public QObject {
    Q_OBJECT

    std::unique_ptr<PowerBiTestTenant> f;
    QByteArray console; ///< the console's service principal
    QByteArray adele;   ///< a user who is Viewer everywhere
    QByteArray megan;   ///< a user who is Member everywhere and owns the Test/Prod models

    struct Model {
        QString path; ///< "/groups/<g>/datasets/<d>"
        std::string id;
        std::string groupId;
        const Dataset* dataset;
    };

    Model model(const std::string& workspace, const std::string& name) const
    {
        const Workspace& w = f->workspace(workspace);
        for (const auto& d : w.datasets)
            if (d.name == name)
                return {QStringLiteral("/groups/%1/datasets/%2").arg(qs(w.id), qs(d.id)), d.id,
                        w.id, &d};
        throw std::runtime_error("no model " + name + " in " + workspace);
    }

    WireReply send(const QByteArray& method, const QByteArray& bearer, const QString& path,
                   const QByteArray& body = {}) const
    {
        QList<QPair<QByteArray, QByteArray>> h;
        if (!bearer.isEmpty())
            h.append(qMakePair(QByteArray("Authorization"), bearer));
        if (!body.isEmpty())
            h.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        return wireSend(method, f->url(QStringLiteral("/v1.0/myorg") + path), h, body);
    }
    WireReply trigger(const Model& m, const json& body = json::object(),
                      const QByteArray& bearer = {}) const
    {
        return send("POST", bearer.isEmpty() ? console : bearer,
                    m.path + QStringLiteral("/refreshes"), QByteArray::fromStdString(body.dump()));
    }
    WireReply details(const Model& m, const std::string& requestId) const
    {
        return send("GET", console, m.path + QStringLiteral("/refreshes/") + qs(requestId));
    }
    WireReply cancel(const Model& m, const QString& refreshId) const
    {
        return send("DELETE", console, m.path + QStringLiteral("/refreshes/") + refreshId);
    }
    WireReply patchSchedule(const Model& m, const json& value, const QByteArray& bearer = {}) const
    {
        return send("PATCH", bearer.isEmpty() ? console : bearer,
                    m.path + QStringLiteral("/refreshSchedule"),
                    QByteArray::fromStdString(json{{"value", value}}.dump()));
    }
    json history(const Model& m) const
    {
        return send("GET", console, m.path + QStringLiteral("/refreshes")).json()["value"];
    }
    json schedule(const Model& m) const
    {
        return send("GET", console, m.path + QStringLiteral("/refreshSchedule")).json();
    }
    /// The history entry of a refresh, or null when the history does not list it.
    json entry(const Model& m, const std::string& requestId) const
    {
        for (const auto& e : history(m))
            if (str(e, "requestId") == requestId)
                return e;
        return nullptr;
    }
    WireReply control(const QByteArray& method, const QString& what, const json& body) const
    {
        return wireSend(method, f->url(QStringLiteral("/sandbox/control/") + what),
                        {qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))},
                        QByteArray::fromStdString(body.dump()));
    }
    /// The next refresh of `m` ends with `outcome` after `durationMs` of sandbox time.
    void force(const Model& m, const std::string& outcome, std::int64_t durationMs,
               const std::string& code = {}) const
    {
        json body = {{"datasetId", m.id}, {"outcome", outcome}, {"durationMs", durationMs}};
        if (!code.empty())
            body["errorCode"] = code;
        const WireReply r = control("POST", QStringLiteral("refresh-outcomes"), body);
        if (r.status != 200)
            throw std::runtime_error("forcing an outcome failed: " + r.body.toStdString());
    }
    void advance(std::int64_t ms) const { f->sandbox().advanceClock(ms); }
    std::string started(const WireReply& r) const { return r.header("RequestId").toStdString(); }

private Q_SLOTS:
    void initTestCase()
    {
        f = std::make_unique<PowerBiTestTenant>(makeDemoTenant(), frozenOptions());
        console = f->appBearer(f->tenant().apps[0]);
        const QString client = QString::fromLatin1(demo::kPublicClientId);
        adele = f->userBearer(f->tenant().users[3], client);
        megan = f->userBearer(f->tenant().users[1], client);
        QVERIFY(!console.isEmpty());
        QVERIFY(!adele.isEmpty());
        QVERIFY(!megan.isEmpty());
    }
    void cleanupTestCase() { f.reset(); }

    void standardRefreshRunsUnknownThenCompleted()
    {
        const Model m = model("Sales [Test]", "Sales Analytics");
        force(m, "Completed", 5 * kSecond);
        const WireReply r = trigger(m, {{"notifyOption", "NoNotification"}});
        QCOMPARE(r.status, 202);
        QVERIFY(r.body.isEmpty());
        const std::string id = started(r);
        QVERIFY(!id.empty());
        // A standard refresh gets neither Location nor x-ms-request-id (spec: enhanced only).
        QVERIFY(r.header("Location").isEmpty());
        QVERIFY(r.header("x-ms-request-id").isEmpty());

        json e = entry(m, id);
        QVERIFY2(e.is_object(), "the new refresh is listed");
        QCOMPARE(str(e, "refreshType"), std::string("ViaApi"));
        QCOMPARE(str(e, "status"), std::string("Unknown"));
        QVERIFY(!e.contains("endTime"));
        QCOMPARE(str(history(m)[0], "requestId"), id); // newest first

        advance(4 * kSecond);
        QCOMPARE(str(entry(m, id), "status"), std::string("Unknown"));
        advance(1 * kSecond);
        e = entry(m, id);
        QCOMPARE(str(e, "status"), std::string("Completed"));
        QVERIFY(e.contains("endTime"));
        QVERIFY(!e.contains("serviceExceptionJson"));
        QCOMPARE(e["refreshAttempts"].size(), std::size_t(1));

        // Execution details of a standard refresh: no enhanced fields (2026 spec example).
        const WireReply d = details(m, id);
        QCOMPARE(d.status, 200);
        const json j = d.json();
        QCOMPARE(str(j, "status"), std::string("Completed"));
        QCOMPARE(str(j, "initiatedBy"), std::string("ViaApi"));
        QCOMPARE(j["numberOfAttempts"].get<int>(), 1);
        QVERIFY(!j.contains("type") && !j.contains("extendedStatus") && !j.contains("objects"));
    }

    void durationsComeFromTheSeed()
    {
        // Without a forced outcome a model's refresh takes a few seconds of sandbox time.
        const Model m = model("Sales [Test]", "Sales Targets");
        const std::string id = started(trigger(m));
        advance(2 * kSecond);
        QCOMPARE(str(entry(m, id), "status"), std::string("Unknown"));
        advance(8 * kSecond);
        QCOMPARE(str(entry(m, id), "status"), std::string("Completed"));
    }

    void forcedFailureCarriesServiceExceptionJson()
    {
        const Model m = model("Sales [Test]", "Sales Analytics");
        force(m, "Failed", 3 * kSecond, "DMTS_OAuthTokenRefreshFailedError");
        const std::string id = started(trigger(m));
        advance(3 * kSecond);
        const json e = entry(m, id);
        QCOMPARE(str(e, "status"), std::string("Failed"));
        // A string holding JSON, as the service sends it.
        const json error = json::parse(str(e, "serviceExceptionJson"), nullptr, false);
        QCOMPARE(str(error, "errorCode"), std::string("DMTS_OAuthTokenRefreshFailedError"));
        QVERIFY(!str(error, "errorDescription").empty());
        QVERIFY(!str(e["refreshAttempts"][0], "serviceExceptionJson").empty());

        // Without a code: the classic first-refresh failure.
        force(m, "Failed", 1 * kSecond);
        const std::string second = started(trigger(m));
        advance(1 * kSecond);
        QCOMPARE(str(json::parse(str(entry(m, second), "serviceExceptionJson")), "errorCode"),
                 std::string("ModelRefreshFailed_CredentialsNotSpecified"));

        // Missing credentials stay missing: the next refresh fails the same way by itself...
        const std::string third = started(trigger(m));
        advance(10 * kSecond);
        QCOMPARE(str(entry(m, third), "status"), std::string("Failed"));
        QCOMPARE(str(json::parse(str(entry(m, third), "serviceExceptionJson")), "errorCode"),
                 std::string("ModelRefreshFailed_CredentialsNotSpecified"));
        // ...until a refresh succeeds (here, forced to), and the ones after it do too.
        force(m, "Completed", 1 * kSecond);
        QCOMPARE(trigger(m).status, 202);
        advance(1 * kSecond);
        const std::string fifth = started(trigger(m));
        advance(10 * kSecond);
        QCOMPARE(str(entry(m, fifth), "status"), std::string("Completed"));
    }

    void persistentCausesFailTheNextRefreshToo()
    {
        // Credentials never entered, a gateway offline: until someone fixes it, every refresh
        // fails the way the last one did.
        const Model noCredentials = model("test ws do not use", "Copy of Sales Analytics");
        const Model offline = model("Procurement [Prod]", "Spend Analysis");
        const std::string a = started(trigger(noCredentials));
        const std::string b = started(trigger(offline));
        QVERIFY(!a.empty() && !b.empty());
        advance(10 * kSecond);
        QCOMPARE(
            str(json::parse(str(entry(noCredentials, a), "serviceExceptionJson")), "errorCode"),
            std::string("ModelRefreshFailed_CredentialsNotSpecified"));
        QCOMPARE(str(json::parse(str(entry(offline, b), "serviceExceptionJson")), "errorCode"),
                 std::string("DM_GWPipeline_Client_GatewayUnreachable"));
    }

    void oneRefreshAtATime()
    {
        const Model m = model("Supply Chain [Test]", "Logistics");
        force(m, "Completed", 10 * kSecond);
        QCOMPARE(trigger(m).status, 202);
        for (const json& body : {json::object(), json{{"type", "Full"}}}) {
            const WireReply again = trigger(m, body);
            QCOMPARE(again.status, 400);
            QCOMPARE(errorCode(again), std::string("InvalidRequest"));
            QCOMPARE(errorMessage(again),
                     QStringLiteral("Invalid dataset refresh request. Another refresh request is "
                                    "already executing"));
        }
        advance(10 * kSecond);
        QCOMPARE(trigger(m).status, 202);
        advance(10 * kSecond);
    }

    void sharedCapacityAllowsEightADay()
    {
        const Model m = model("Finance [Dev]", "General Ledger");
        QVERIFY(!f->workspace("Finance [Dev]").capacityId);
        // API and scheduled refreshes of the last 24 hours count (the demo history has some).
        const std::int64_t now = f->sandbox().clock().nowMs();
        int counted = 0;
        for (const auto& e : m.dataset->refreshes)
            if (e.startTime > now - 24 * kHour &&
                (e.refreshType == "ViaApi" || e.refreshType == "Scheduled"))
                ++counted;
        for (int i = counted; i < 8; ++i) {
            force(m, "Completed", 1 * kSecond);
            QCOMPARE(trigger(m).status, 202);
            advance(2 * kSecond);
        }
        const WireReply refused = trigger(m);
        QCOMPARE(refused.status, 400);
        QCOMPARE(errorMessage(refused),
                 QStringLiteral("Invalid dataset refresh request. Number of refresh requests in "
                                "last 24 hours exceeded limit"));
        // A rolling window: a day later the budget is back.
        advance(24 * kHour);
        QCOMPARE(trigger(m).status, 202);
        advance(10 * kSecond);

        // Premium capacity: API refreshes are limited only by the capacity's resources.
        const Model premium = model("Embedded Portal [Dev]", "Customer Portal Model");
        for (int i = 0; i < 10; ++i) {
            force(premium, "Completed", 1 * kSecond);
            QCOMPARE(trigger(premium).status, 202);
            advance(2 * kSecond);
        }
    }

    void enhancedRefreshRefusals_data()
    {
        QTest::addColumn<QString>("workspace");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        const QString premium = QStringLiteral("Supply Chain [Dev]");
        const QString logistics = QStringLiteral("Logistics");
        auto row = [&](const char* tag, const char* body, const char* message,
                       const QString& ws = {}, const QString& name = {}) {
            QTest::newRow(tag) << (ws.isEmpty() ? premium : ws)
                               << (name.isEmpty() ? logistics : name) << QByteArray(body)
                               << QString::fromUtf8(message);
        };
        row("shared capacity", R"({"type":"Full"})",
            "not supported for datasets on shared capacity", QStringLiteral("HR Analytics [Dev]"),
            QStringLiteral("Headcount"));
        row("notifyOption with enhanced", R"({"type":"Full","notifyOption":"NoNotification"})",
            "notifyOption is not supported for enhanced refresh");
        row("unknown type", R"({"type":"Sideways"})", "'Sideways' is not a refresh type");
        row("type Add", R"({"type":"Add"})", "'Add' is not supported");
        row("unknown commit mode", R"({"commitMode":"Eventually"})",
            "'Eventually' is not a commit mode");
        row("maxParallelism 0", R"({"maxParallelism":0})", "'maxParallelism' must be an integer");
        row("negative retryCount", R"({"retryCount":-1})", "'retryCount' must be an integer");
        row("retryCount not a number", R"({"retryCount":"often"})",
            "'retryCount' must be an integer");
        row("timeout over 23:59:59", R"({"timeout":"24:00:00"})", "'timeout' must be hh:mm:ss");
        row("timeout not hh:mm:ss", R"({"timeout":"5h"})", "'timeout' must be hh:mm:ss");
        row("timeout zero", R"({"timeout":"00:00:00"})", "longer than 00:00:00");
        row("objects not an array", R"({"objects":{"table":"Date"}})",
            "'objects' must be an array");
        row("object without table", R"({"objects":[{"partition":"Date"}]})", "must name a table");
        row("unknown table", R"({"objects":[{"table":"Nope"}]})", "Table 'Nope' does not exist");
        row("unknown partition", R"({"objects":[{"table":"Date","partition":"Nope"}]})",
            "Partition 'Nope' does not exist in table 'Date'");
        row("applyRefreshPolicy not boolean", R"({"applyRefreshPolicy":"maybe"})",
            "'applyRefreshPolicy' must be true or false");
        row("effectiveDate not a date", R"({"effectiveDate":"yesterday"})",
            "'effectiveDate' must be a date");
        row("not JSON", R"({"type":)", "not a valid JSON object");
        row("unknown notifyOption", R"({"notifyOption":"Sometimes"})",
            "Invalid NotifyOption value 'Sometimes'");
        row("service principal MailOnFailure", R"({"notifyOption":"MailOnFailure"})",
            "Invalid NotifyOption value 'MailOnFailure' for app only owner requests");
        row("service principal MailOnCompletion", R"({"notifyOption":"mailOnCompletion"})",
            "Invalid NotifyOption value 'MailOnCompletion' for app only owner requests");
        row("not refreshable", R"({})", "is not refreshable", QStringLiteral("Supply Chain [Prod]"),
            QStringLiteral("Inventory (DirectQuery)"));
    }
    void enhancedRefreshRefusals()
    {
        QFETCH(QString, workspace);
        QFETCH(QString, name);
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        const Model m = model(workspace.toStdString(), name.toStdString());
        const WireReply r = send("POST", console, m.path + QStringLiteral("/refreshes"), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(errorCode(r), std::string("InvalidRequest"));
        QVERIFY2(errorMessage(r).contains(message), qPrintable(errorMessage(r)));
        QVERIFY(!r.header("RequestId").isEmpty());
    }

    void enhancedRefreshAcceptsTheDocumentedForms()
    {
        // The docs' lower-case enums and the spec example's "applyRefreshPolicy": "false".
        const Model m = model("Data Platform - Shared Models", "Product Catalog");
        const json bodies[] = {
            json{{"type", "full"}, {"commitMode", "transactional"}, {"maxParallelism", 2}},
            json::parse(R"({"type":"Full","objects":[{"table":"Date","partition":"Date"}],
                            "applyRefreshPolicy":"false","timeout":"05:00:00"})"),
            json{{"retryCount", "1"}, {"effectiveDate", "2025-06-30"}},
        };
        for (const json& body : bodies) {
            force(m, "Completed", 2 * kSecond);
            const WireReply r = trigger(m, body);
            QVERIFY2(r.status == 202, r.body.constData());
            const std::string id = started(r);
            QCOMPARE(r.header("x-ms-request-id").toStdString(), id);
            QCOMPARE(r.header("Location"), f->url(QStringLiteral("/v1.0/myorg") + m.path +
                                                  QStringLiteral("/refreshes/") + qs(id))
                                               .toString()
                                               .toUtf8());
            advance(3 * kSecond);
            const json d = details(m, id).json();
            QCOMPARE(str(d, "status"), std::string("Completed"));
            QCOMPARE(str(entry(m, id), "refreshType"), std::string("ViaEnhancedApi"));
        }
        const json d = details(m, str(history(m)[1], "requestId")).json();
        QCOMPARE(str(d, "type"), std::string("Full"));
        QCOMPARE(d["objects"].size(), std::size_t(1));
        QCOMPARE(str(d["objects"][0], "partition"), std::string("Date"));
    }

    void refreshPolicyRulesFailTheRefresh()
    {
        // "Fact …" tables have an incremental refresh policy (several partitions, RangeStart):
        // the engine refuses PartialBatch with the policy applied, and a partition of such a
        // table while the policy is applied, once the refresh runs (spec example).
        const Model m = model("Data Platform - Shared Models", "Date & Calendar");
        std::string fact;
        for (const auto& t : m.dataset->tables)
            if (t.partitions.size() > 1)
                fact = t.name;
        QVERIFY(!fact.empty());
        struct Case {
            json body;
            std::string status;
            QString message;
        };
        const Case cases[] = {
            {json{{"type", "Full"}, {"commitMode", "PartialBatch"}}, "Failed",
             QStringLiteral("must have the property 'CommitMode' = 'Transactional' instead of "
                            "'PartialBatch'")},
            {json{{"type", "Full"},
                  {"objects", json::array({{{"table", fact}, {"partition", "Fact-2025"}}})}},
             "Failed", QStringLiteral("set 'applyRefreshPolicy' to false")},
            {json{{"type", "Full"},
                  {"commitMode", "PartialBatch"},
                  {"applyRefreshPolicy", false},
                  {"objects", json::array({{{"table", fact}, {"partition", "Fact-2025"}}})}},
             "Completed", QString()},
        };
        for (const Case& c : cases) {
            force(m, "Completed", 3 * kSecond);
            const WireReply r = trigger(m, c.body);
            QCOMPARE(r.status, 202);
            advance(10 * kSecond);
            const json d = details(m, started(r)).json();
            QCOMPARE(str(d, "status"), c.status);
            if (c.message.isEmpty()) {
                QVERIFY(!d.contains("messages"));
                continue;
            }
            QCOMPARE(str(d, "extendedStatus"), std::string("Failed"));
            QVERIFY2(QString::fromStdString(str(d["messages"][0], "message")).contains(c.message),
                     d.dump().c_str());
            QCOMPARE(str(d["messages"][0], "type"), std::string("Error"));
            QVERIFY(!str(d, "serviceExceptionJson").empty());
        }
        control("DELETE", QStringLiteral("refresh-outcomes"), json::object());
    }

    void executionDetailsShowProgress()
    {
        const Model m = model("Sales [Prod]", "Sales Targets"); // the app is a Contributor
        force(m, "Completed", 20 * kSecond);
        const WireReply r = trigger(m, {{"type", "Full"}, {"maxParallelism", 1}});
        QCOMPARE(r.status, 202);
        const std::string id = started(r);

        WireReply d = details(m, id);
        QCOMPARE(d.status, 202); // in progress
        json j = d.json();
        QCOMPARE(str(j, "status"), std::string("Unknown"));
        QCOMPARE(str(j, "extendedStatus"), std::string("NotStarted"));
        QCOMPARE(str(j, "type"), std::string("Full"));
        QCOMPARE(str(j, "commitMode"), std::string("Transactional"));
        QCOMPARE(str(j, "currentRefreshType"), std::string("Full"));
        QCOMPARE(str(j, "initiatedBy"), std::string("ViaEnhancedApi"));
        QCOMPARE(j["numberOfAttempts"].get<int>(), 0);
        QVERIFY(!j.contains("endTime"));
        const std::size_t objects = j["objects"].size();
        QVERIFY(objects >= 3);
        for (const auto& o : j["objects"])
            QCOMPARE(str(o, "status"), std::string("NotStarted"));
        QCOMPARE(str(entry(m, id), "extendedStatus"), std::string("NotStarted"));

        // One object at a time (maxParallelism 1): the first runs, the others wait.
        advance(3 * kSecond);
        j = details(m, id).json();
        QCOMPARE(str(j, "extendedStatus"), std::string("InProgress"));
        QCOMPARE(j["numberOfAttempts"].get<int>(), 1);
        QCOMPARE(str(j["objects"][0], "status"), std::string("InProgress"));
        QCOMPARE(str(j["objects"][objects - 1], "status"), std::string("NotStarted"));
        QVERIFY(!j["refreshAttempts"][0].contains("endTime"));

        advance(13 * kSecond);
        j = details(m, id).json();
        QCOMPARE(str(j["objects"][0], "status"), std::string("Completed"));
        QCOMPARE(str(j["objects"][objects - 1], "status"), std::string("InProgress"));

        advance(5 * kSecond);
        d = details(m, id);
        QCOMPARE(d.status, 200);
        j = d.json();
        QCOMPARE(str(j, "status"), std::string("Completed"));
        QCOMPARE(str(j, "extendedStatus"), std::string("Completed"));
        QVERIFY(j.contains("endTime"));
        for (const auto& o : j["objects"])
            QCOMPARE(str(o, "status"), std::string("Completed"));
        QCOMPARE(str(entry(m, id), "extendedStatus"), std::string("Completed"));
    }

    void retriesAndTimeoutsShowInAttempts()
    {
        const Model m = model("Sales [Prod]", "Sales Analytics");
        force(m, "Failed", 9 * kSecond, "DM_GWPipeline_Client_GatewayUnreachable");
        std::string id = started(trigger(m, {{"type", "Full"}, {"retryCount", 2}}));
        advance(10 * kSecond);
        json j = details(m, id).json();
        QCOMPARE(str(j, "status"), std::string("Failed"));
        QCOMPARE(str(j, "extendedStatus"), std::string("Failed"));
        QCOMPARE(j["numberOfAttempts"].get<int>(), 3);
        QCOMPARE(j["refreshAttempts"].size(), std::size_t(3));
        QVERIFY(!j["messages"].empty());
        QCOMPARE(str(json::parse(str(j, "serviceExceptionJson")), "errorCode"),
                 std::string("DM_GWPipeline_Client_GatewayUnreachable"));

        // Each attempt stops at the request's timeout; TimedOut after the last one.
        force(m, "Completed", 30 * kSecond);
        id = started(trigger(m, {{"type", "Full"}, {"timeout", "00:00:02"}, {"retryCount", 1}}));
        advance(7 * kSecond); // 2 s queued, then two attempts of 2 s
        j = details(m, id).json();
        QCOMPARE(str(j, "status"), std::string("Failed"));
        QCOMPARE(str(j, "extendedStatus"), std::string("TimedOut"));
        QCOMPARE(j["numberOfAttempts"].get<int>(), 2);
    }

    void cancelNeedsTheRequestId()
    {
        const Model m = model("Customer Success [Prod]", "Support Tickets");
        force(m, "Completed", 60 * kSecond);
        const WireReply r = trigger(m, {{"type", "Full"}});
        const std::string id = started(r);
        advance(5 * kSecond);

        // The history's numeric id is not the refresh id; an unknown GUID is not found.
        const json e = entry(m, id);
        QVERIFY(e["id"].is_number());
        const WireReply numeric = cancel(m, QString::number(e["id"].get<long long>()));
        QCOMPARE(numeric.status, 400);
        QCOMPARE(errorCode(numeric), std::string("InvalidRequest"));
        QCOMPARE(details(m, std::to_string(e["id"].get<long long>())).status, 400);
        const WireReply unknown = cancel(m, QStringLiteral("00000000-0000-4000-8000-000000000000"));
        QCOMPARE(unknown.status, 404);
        QCOMPARE(errorCode(unknown), std::string("PowerBIEntityNotFound"));

        const WireReply ok = cancel(m, qs(id));
        QCOMPARE(ok.status, 200);
        QVERIFY(ok.body.isEmpty());
        QCOMPARE(str(entry(m, id), "status"), std::string("Cancelled"));
        QVERIFY(entry(m, id).contains("endTime"));
        const json d = details(m, id).json();
        QCOMPARE(str(d, "extendedStatus"), std::string("Cancelled"));
        QCOMPARE(details(m, id).status, 200);

        // Finished refreshes cannot be cancelled; nor can scheduled ones.
        const WireReply again = cancel(m, qs(id));
        QCOMPARE(again.status, 400);
        QVERIFY2(errorMessage(again).contains(QStringLiteral("not in progress")),
                 qPrintable(errorMessage(again)));
        std::string scheduled;
        for (const auto& x : history(m))
            if (str(x, "refreshType") == "Scheduled")
                scheduled = str(x, "requestId");
        QVERIFY(!scheduled.empty());
        const WireReply refused = cancel(m, qs(scheduled));
        QCOMPARE(refused.status, 400);
        QVERIFY(errorMessage(refused).contains(QStringLiteral("cannot be cancelled")));

        // A standard API refresh can be cancelled, and the model is free again at once.
        force(m, "Completed", 60 * kSecond);
        const std::string standard = started(trigger(m));
        QCOMPARE(cancel(m, qs(standard)).status, 200);
        QCOMPARE(str(entry(m, standard), "status"), std::string("Cancelled"));
        force(m, "Completed", 1 * kSecond);
        QCOMPARE(trigger(m).status, 202);
        advance(2 * kSecond);
    }

    void newRefreshesAreListedAfterAMoment()
    {
        const Model m = model("Customer Success [Prod]", "NPS Survey");
        QCOMPARE(control("PUT", QStringLiteral("refresh-settings"), {{"visibilityDelayMs", 1500}})
                     .status,
                 200);
        force(m, "Completed", 10 * kSecond);
        const std::string id = started(trigger(m));
        // Accepted, running, refused a second time, its details readable, but not listed yet.
        QVERIFY(entry(m, id).is_null());
        QCOMPARE(trigger(m).status, 400);
        QCOMPARE(details(m, id).status, 202);
        advance(1500);
        QCOMPARE(str(entry(m, id), "status"), std::string("Unknown"));
        QCOMPARE(
            control("PUT", QStringLiteral("refresh-settings"), {{"visibilityDelayMs", 0}}).status,
            200);

        // Admin refreshables show the running refresh as the last one, then its end.
        const QString admin =
            QStringLiteral("/admin/capacities/refreshables?$top=100&$filter=id%20eq%20'%1'")
                .arg(qs(m.id));
        json x = send("GET", console, admin).json()["value"];
        QCOMPARE(x.size(), std::size_t(1));
        QCOMPARE(str(x[0]["lastRefresh"], "requestId"), id);
        QCOMPARE(str(x[0]["lastRefresh"], "status"), std::string("Unknown"));
        QVERIFY(!x[0]["lastRefresh"].contains("endTime"));
        advance(10 * kSecond);
        x = send("GET", console, admin).json()["value"];
        QCOMPARE(str(x[0]["lastRefresh"], "status"), std::string("Completed"));
    }

    void refreshNeedsWriteAccessToTheModel()
    {
        // Viewers read but may not refresh; a service principal outside the workspace gets the
        // workspace's 401 (api-digest §5).
        const Model viewerModel = model("Finance [Prod]", "General Ledger"); // app is Viewer
        WireReply r = trigger(viewerModel);
        QCOMPARE(r.status, 401);
        QCOMPARE(errorCode(r), std::string("PowerBINotAuthorizedException"));
        const Model m = model("Sales [Test]", "Sales Analytics");
        r = trigger(m, json::object(), adele);
        QCOMPARE(r.status, 401);
        QCOMPARE(errorCode(r), std::string("PowerBINotAuthorizedException"));
        QCOMPARE(send("PATCH", adele, m.path + QStringLiteral("/refreshSchedule"),
                      R"({"value":{"enabled":false}})")
                     .status,
                 401);
        QCOMPARE(send("POST", adele, m.path + QStringLiteral("/Default.TakeOver")).status, 401);
        const Model outside = model("HR Analytics [Prod]", "Headcount");
        r = trigger(outside);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.header("X-PowerBI-Error-Info"), QByteArray("GroupNotAccessible"));
        QCOMPARE(trigger(model("Sales [Test]", "Sales Analytics"), json::object(),
                         QByteArray("Bearer nonsense"))
                     .status,
                 403);

        // A user with write access may ask for mail (users have a mailbox).
        force(m, "Completed", 1 * kSecond);
        r = trigger(m, {{"notifyOption", "MailOnCompletion"}}, megan);
        QCOMPARE(r.status, 202);
        advance(2 * kSecond);
    }

    void scheduleUpdates()
    {
        const Model m = model("Marketing [Test]", "Campaign Performance"); // shared capacity
        const json wanted = {{"days", {"Monday", "Friday"}},
                             {"times", {"07:00", "19:30"}},
                             {"enabled", true},
                             {"localTimeZoneId", "Pacific Standard Time"},
                             {"notifyOption", "NoNotification"}};
        // Only the owner changes the schedule; the app takes the model over first.
        WireReply r = patchSchedule(m, wanted);
        QCOMPARE(r.status, 400);
        QCOMPARE(errorMessage(r),
                 QStringLiteral("This operation is only supported for the dataset owner"));
        QCOMPARE(send("POST", console, m.path + QStringLiteral("/Default.TakeOver")).status, 200);
        QCOMPARE(str(send("GET", console, m.path).json(), "configuredBy"),
                 std::string(demo::kAppClientId));

        r = patchSchedule(m, wanted);
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY(r.body.isEmpty());
        json s = schedule(m);
        for (const auto& [key, value] : wanted.items())
            QVERIFY2(s[key] == value, s.dump().c_str());

        // Partial updates keep the rest; a disable request changes nothing else.
        QCOMPARE(patchSchedule(m, {{"times", {"06:00"}}}).status, 200);
        s = schedule(m);
        QVERIFY2(s["times"] == json({"06:00"}), s.dump().c_str());
        QVERIFY2(s["days"] == wanted["days"], s.dump().c_str());
        QCOMPARE(patchSchedule(m, {{"enabled", false}}).status, 200);
        QCOMPARE(schedule(m)["enabled"].get<bool>(), false);
        QCOMPARE(patchSchedule(m, {{"enabled", true}}).status, 200);

        // Premium allows 48 slots a day: every half hour.
        const Model premium = model("Finance [Test]", "General Ledger");
        json every = json::array();
        for (int h = 0; h < 24; ++h)
            for (const char* mm : {"00", "30"})
                every.push_back((h < 10 ? "0" : "") + std::to_string(h) + ":" + mm);
        QCOMPARE(
            patchSchedule(premium, {{"times", every}, {"notifyOption", "NoNotification"}}, megan)
                .status,
            200);
        QCOMPARE(schedule(premium)["times"].size(), std::size_t(48));
    }

    void scheduleRefusals_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("message");
        auto row = [](const char* tag, const char* value, const char* message) {
            QTest::newRow(tag) << QByteArray(value) << QString::fromUtf8(message);
        };
        row("quarter past", R"({"times":["07:15"]})", "'07:15' is not a valid time");
        row("one-digit hour", R"({"times":["7:00"]})", "'7:00' is not a valid time");
        row("hour 24", R"({"times":["24:00"]})", "'24:00' is not a valid time");
        row("time twice", R"({"times":["07:00","07:00"]})", "07:00 is listed twice");
        row("nine slots on shared capacity",
            R"({"times":["00:00","01:00","02:00","03:00","04:00","05:00","06:00","07:00","08:00"]})",
            "9 refresh times a day exceed the limit of 8 on shared capacity");
        row("unknown day", R"({"days":["Funday"]})", "'Funday' is not a day");
        row("day twice", R"({"days":["Monday","monday"]})", "Monday is listed twice");
        row("no day", R"({"days":[]})", "At least one day must be specified");
        row("unknown time zone", R"({"localTimeZoneId":"Mars/Olympus Mons"})",
            "'Mars/Olympus Mons' is not a time zone id");
        row("IANA time zone", R"({"localTimeZoneId":"Europe/Berlin"})", "is not a time zone id");
        row("unknown notify option", R"({"notifyOption":"MailOnCompletion"})",
            "Invalid NotifyOption value 'MailOnCompletion'");
        row("service principal MailOnFailure", R"({"notifyOption":"MailOnFailure"})",
            "Invalid NotifyOption value 'MailOnFailure' for app only owner requests");
        row("disable with other changes", R"({"enabled":false,"times":["08:00"]})",
            "should contain no other changes");
        row("enabled not boolean", R"({"enabled":"yes"})", "'enabled' must be true or false");
    }
    void scheduleRefusals()
    {
        QFETCH(QByteArray, value);
        QFETCH(QString, message);
        const Model m = model("Marketing [Test]", "Campaign Performance"); // taken over above
        const json before = schedule(m);
        const WireReply r = send("PATCH", console, m.path + QStringLiteral("/refreshSchedule"),
                                 "{\"value\":" + value + "}");
        QCOMPARE(r.status, 400);
        QCOMPARE(errorCode(r), std::string("InvalidRequest"));
        QVERIFY2(errorMessage(r).contains(message), qPrintable(errorMessage(r)));
        QVERIFY(schedule(m) == before); // a refused request changes nothing
    }

    void scheduleBodyNeedsValue()
    {
        const Model m = model("Marketing [Test]", "Campaign Performance");
        for (const QByteArray& body :
             {QByteArray(R"({"days":["Monday"]})"), QByteArray("[]"), QByteArray("{")}) {
            const WireReply r =
                send("PATCH", console, m.path + QStringLiteral("/refreshSchedule"), body);
            QCOMPARE(r.status, 400);
            QCOMPARE(errorCode(r), std::string("InvalidRequest"));
        }
        // DirectQuery models have a directQueryRefreshSchedule instead.
        const Model dq = model("Supply Chain [Dev]", "Inventory (DirectQuery)");
        QCOMPARE(send("POST", console, dq.path + QStringLiteral("/Default.TakeOver")).status, 200);
        const WireReply r = patchSchedule(dq, {{"enabled", false}});
        QCOMPARE(r.status, 400);
        QVERIFY(errorMessage(r).contains(QStringLiteral("directQueryRefreshSchedule")));
    }

    void schedulesFireAndTurnOffAfterFourFailures()
    {
        SandboxOptions o = frozenOptions();
        o.refreshSchedules = true;
        PowerBiTestTenant t(makeDemoTenant(), o);
        const QByteArray app = t.appBearer(t.tenant().apps[0]);
        const Workspace& w = t.workspace("HR Analytics [Dev]"); // shared, the app is Admin
        const Dataset& d = w.datasets[0];
        const QString path = QStringLiteral("/groups/%1/datasets/%2").arg(qs(w.id), qs(d.id));
        auto call = [&](const QByteArray& method, const QString& rest, const QByteArray& body) {
            QList<QPair<QByteArray, QByteArray>> h = {qMakePair(QByteArray("Authorization"), app)};
            if (!body.isEmpty())
                h.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
            return wireSend(method, t.url(QStringLiteral("/v1.0/myorg") + path + rest), h, body);
        };
        QCOMPARE(call("POST", QStringLiteral("/Default.TakeOver"), {}).status, 200);
        const json value = {
            {"days",
             {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}},
            {"times", {"00:00", "06:00", "12:00", "18:00"}},
            {"enabled", true},
            {"localTimeZoneId", "UTC"},
            {"notifyOption", "NoNotification"}};
        QCOMPARE(call("PATCH", QStringLiteral("/refreshSchedule"),
                      QByteArray::fromStdString(json{{"value", value}}.dump()))
                     .status,
                 200);
        const WireReply forced =
            wireSend("POST", t.url(QStringLiteral("/sandbox/control/refresh-outcomes")),
                     {qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))},
                     QByteArray::fromStdString(json{
                         {"datasetId", d.id},
                         {"outcome", "Failed"},
                         {"errorCode", "DMTS_OAuthTokenRefreshFailedError"},
                         {"count", 4}}.dump()));
        QCOMPARE(forced.status, 200);
        QCOMPARE(forced.json()["pending"].size(), std::size_t(4));

        auto scheduled = [&] {
            std::vector<json> out;
            const json list = call("GET", QStringLiteral("/refreshes"), {}).json();
            for (const auto& e : list["value"])
                if (str(e, "refreshType") == "Scheduled")
                    out.push_back(e);
            return out;
        };
        QVERIFY(scheduled().empty()); // a Dev model: never scheduled before
        // One day of sandbox time: four slots, four failures, then the schedule is off.
        t.sandbox().advanceClock(24 * kHour + kMinute);
        const auto runs = scheduled();
        QCOMPARE(runs.size(), std::size_t(4));
        std::set<std::string> starts;
        for (const auto& e : runs) {
            QCOMPARE(str(e, "status"), std::string("Failed"));
            QCOMPARE(e["refreshAttempts"].size(), std::size_t(3)); // the service retries
            const std::string time = str(e, "startTime").substr(11, 5);
            starts.insert(time);
        }
        QCOMPARE(starts, (std::set<std::string>{"00:00", "06:00", "12:00", "18:00"}));
        const json s = call("GET", QStringLiteral("/refreshSchedule"), {}).json();
        QCOMPARE(s["enabled"].get<bool>(), false);
        t.sandbox().advanceClock(24 * kHour);
        QCOMPARE(scheduled().size(), std::size_t(4));
    }

    void scheduleSlotsFollowTheTimeZone()
    {
        // 07:00 Pacific is 15:00 UTC in winter and 14:00 UTC in summer (the sandbox clock
        // starts on a fixed date, the tenant's history ending there).
        for (const auto& [start, utc] :
             {std::pair<std::int64_t, std::string>{1768435200000, "2026-01-15T15:00"},
              std::pair<std::int64_t, std::string>{1784073600000, "2026-07-15T14:00"}}) {
            SandboxOptions o = frozenOptions();
            o.refreshSchedules = true;
            o.clockStartMs = start;
            PowerBiTestTenant t(makeDemoTenant(7, start), o);
            QCOMPARE(t.sandbox().clock().nowMs(), start);
            const QByteArray app = t.appBearer(t.tenant().apps[0]);
            QVERIFY(!app.isEmpty());
            const Workspace& w = t.workspace("HR Analytics [Dev]");
            const QString path = QStringLiteral("/v1.0/myorg/groups/%1/datasets/%2")
                                     .arg(qs(w.id), qs(w.datasets[0].id));
            const QList<QPair<QByteArray, QByteArray>> h = {
                qMakePair(QByteArray("Authorization"), app),
                qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))};
            QCOMPARE(wireSend("POST", t.url(path + QStringLiteral("/Default.TakeOver")), h).status,
                     200);
            const json value = {
                {"days",
                 {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}},
                {"times", {"07:00"}},
                {"enabled", true},
                {"localTimeZoneId", "Pacific Standard Time"},
                {"notifyOption", "NoNotification"}};
            QCOMPARE(wireSend("PATCH", t.url(path + QStringLiteral("/refreshSchedule")), h,
                              QByteArray::fromStdString(json{{"value", value}}.dump()))
                         .status,
                     200);
            t.sandbox().advanceClock(24 * kHour);
            std::string first;
            const json list = wireSend("GET", t.url(path + QStringLiteral("/refreshes")), h).json();
            for (const auto& e : list["value"])
                if (str(e, "refreshType") == "Scheduled")
                    first = str(e, "startTime");
            QCOMPARE(first.substr(0, 16), utc);
        }
    }

    void timeScaleSpeedsRefreshesTokensAndThrottling()
    {
        // A real-time clock 600 times as fast as the wall: an hour in six seconds.
        SandboxOptions o;
        o.timeScale = 600;
        o.tokenLifetimeSeconds = 3600; // a sandbox hour: six real seconds
        o.refreshVisibilityDelayMs = 0;
        o.refreshSchedules = false;
        o.throttleScale = 0;
        PowerBiTestTenant t(makeDemoTenant(), o);

        // The token's expires_in is in real seconds: the client renews in time.
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("client_id"), QString::fromLatin1(demo::kAppClientId));
        form.addQueryItem(QStringLiteral("client_secret"), QString::fromLatin1(demo::kAppSecret));
        form.addQueryItem(
            QStringLiteral("scope"),
            QStringLiteral("https%3A%2F%2Fanalysis.windows.net%2Fpowerbi%2Fapi%2F.default"));
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("client_credentials"));
        const WireReply token = wireSend(
            "POST",
            t.url(
                QStringLiteral("/%1/oauth2/v2.0/token").arg(QString::fromLatin1(demo::kTenantId))),
            {qMakePair(QByteArray("Content-Type"),
                       QByteArray("application/x-www-form-urlencoded"))},
            form.toString(QUrl::FullyEncoded).toLatin1());
        QCOMPARE(token.status, 200);
        QCOMPARE(token.json()["expires_in"].get<int>(), 6);
        const QByteArray app =
            "Bearer " + QByteArray::fromStdString(token.json()["access_token"].get<std::string>());

        // A refresh of 3–8 sandbox seconds finishes within milliseconds.
        const Workspace& w = t.workspace("Sales [Test]");
        const QString path = QStringLiteral("/v1.0/myorg/groups/%1/datasets/%2/refreshes")
                                 .arg(qs(w.id), qs(w.datasets[0].id));
        const QList<QPair<QByteArray, QByteArray>> h = {
            qMakePair(QByteArray("Authorization"), app)};
        const WireReply r = wireSend("POST", t.url(path), h, "{}");
        QCOMPARE(r.status, 202);
        const std::string id = r.header("RequestId").toStdString();
        auto status = [&] {
            const json list = wireSend("GET", t.url(path), h).json();
            for (const auto& e : list["value"])
                if (str(e, "requestId") == id)
                    return str(e, "status");
            return std::string();
        };
        QTRY_COMPARE_WITH_TIMEOUT(status(), std::string("Completed"), 3000);

        // Faster still (an hour in a tenth of a second): the token's hour runs out at once.
        QCOMPARE(wireSend("POST", t.url(QStringLiteral("/sandbox/control/clock")),
                          {qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))},
                          R"({"timeScale":36000})")
                     .status,
                 200);
        QTRY_COMPARE_WITH_TIMEOUT(wireSend("GET", t.url(path), h).header("X-PowerBI-Error-Info"),
                                  QByteArray("TokenExpired"), 8000);

        // The control endpoint changes the speed and jumps.
        const auto post = [&](const json& body) {
            return wireSend("POST", t.url(QStringLiteral("/sandbox/control/clock")),
                            {qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))},
                            QByteArray::fromStdString(body.dump()))
                .json();
        };
        const json frozen = post({{"timeScale", 0}});
        QCOMPARE(frozen["timeScale"].get<double>(), 0.0);
        const json later = post({{"advanceMs", 90 * kMinute}});
        QCOMPARE(later["nowMs"].get<std::int64_t>() - frozen["nowMs"].get<std::int64_t>(),
                 90 * kMinute);
        QCOMPARE(wireSend("POST", t.url(QStringLiteral("/sandbox/control/clock")),
                          {qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))},
                          R"({"timeScale":-1})")
                     .status,
                 400);
    }

    void throttlingWindowsFollowTheClock()
    {
        // GetGroupsAsAdmin allows 15 calls a minute; at 60× a minute is a real second, and
        // Retry-After counts real seconds.
        SandboxOptions o;
        o.timeScale = 60;
        o.refreshSchedules = false;
        PowerBiTestTenant t(makeDemoTenant(), o);
        const QByteArray app = t.appBearer(t.tenant().apps[0]);
        WireReply r;
        for (int i = 0; i < 40 && r.status != 429; ++i)
            r = t.get(app, QStringLiteral("/admin/groups?$top=1"));
        QCOMPARE(r.status, 429);
        QVERIFY2(r.header("Retry-After").toInt() >= 1 && r.header("Retry-After").toInt() <= 2,
                 r.header("Retry-After").constData());
        QTRY_COMPARE_WITH_TIMEOUT(t.get(app, QStringLiteral("/admin/groups?$top=1")).status, 200,
                                  5000);
    }

    void controlEndpointRefusesBadBodies()
    {
        const Model m = model("Sales [Test]", "Sales Analytics");
        const std::pair<const char*, json> bad[] = {
            {"refresh-outcomes", {{"datasetId", "nope"}, {"outcome", "Completed"}}},
            {"refresh-outcomes", {{"datasetId", m.id}, {"outcome", "Exploded"}}},
            {"refresh-outcomes",
             {{"datasetId", m.id}, {"outcome", "Completed"}, {"errorCode", "X"}}},
            {"refresh-outcomes", {{"datasetId", m.id}, {"durationMs", -5}}},
            {"refresh-outcomes", {{"datasetId", m.id}, {"outcom", "Failed"}}},
        };
        for (const auto& [what, body] : bad) {
            const WireReply r = control("POST", QString::fromLatin1(what), body);
            QVERIFY2(r.status == 400, body.dump().c_str());
            QCOMPARE(errorCode(r), std::string("InvalidRequest"));
        }
        QCOMPARE(control("PUT", QStringLiteral("refresh-settings"), {{"schedules", "yes"}}).status,
                 400);
        const json state =
            wireSend("GET", f->url(QStringLiteral("/sandbox/control/refresh-outcomes"))).json();
        QVERIFY(state["pending"].is_array());
        QCOMPARE(state["settings"]["visibilityDelayMs"].get<int>(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRefresh)
#include "tst_refresh.moc"
