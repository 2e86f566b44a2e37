// The admin scanner API in the sandbox (ScannerService): modified workspaces, the scan
// lifecycle NotStarted → Running → Succeeded, the WorkspaceInfoResponse, admin access,
// validation, the 16-scan and per-hour limits (reference/api-digest.md §7).

#include "PowerBiTestTenant.h"

#include "EntraDemo.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>

#include <set>

using nlohmann::json;
using namespace pbi::sandbox;

namespace {

std::string str(const json& j, const char* key)
{
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                                  : std::string();
}

std::string code(const WireReply& r)
{
    const json j = r.json();
    return j.is_object() && j.contains("error") ? str(j["error"], "code") : std::string();
}

QString isoAgo(qint64 seconds)
{
    return QDateTime::currentDateTimeUtc().addSecs(-seconds).toString(
        QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz0000Z"));
}

UnixMs lastModified(const Workspace& w)
{
    UnixMs last = 0;
    for (const auto& r : w.reports)
        last = std::max({last, r.createdDateTime, r.modifiedDateTime});
    for (const auto& d : w.datasets)
        last = std::max(last, d.createdDate);
    return last;
}

} // namespace

class TestScanner : public QObject {
    Q_OBJECT

    std::unique_ptr<PowerBiTestTenant> f;
    QByteArray console; ///< service principal allowed to use the read-only admin APIs
    QByteArray admin;   ///< delegated Fabric administrator

    WireReply getInfo(const json& body, const QString& query = {}) const
    {
        return wireSend("POST",
                        f->url(QStringLiteral("/v1.0/myorg/admin/workspaces/getInfo") + query),
                        {qMakePair(QByteArray("Authorization"), console),
                         qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))},
                        QByteArray::fromStdString(body.dump()));
    }
    WireReply scanner(const json& settings) const
    {
        return wireSend("PATCH", f->url(QStringLiteral("/sandbox/control/scanner")),
                        {qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))},
                        QByteArray::fromStdString(settings.dump()));
    }
    std::string startScan(const std::vector<std::string>& ids, const QString& query = {}) const
    {
        const WireReply r = getInfo({{"workspaces", ids}}, query);
        return r.status == 202 ? str(r.json(), "id") : std::string();
    }
    std::string status(const std::string& scanId) const
    {
        return str(
            f->get(console, QStringLiteral("/admin/workspaces/scanStatus/") + qs(scanId)).json(),
            "status");
    }
    /// Waits for a scan to end; the generous timeout is for slow CI machines only.
    bool waitDone(const std::string& scanId) const
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 10'000) {
            const std::string s = status(scanId);
            if (s == "Succeeded" || s == "Failed")
                return true;
            QTest::qWait(20);
        }
        return false;
    }
    std::vector<std::string> ids(std::initializer_list<const char*> names) const
    {
        std::vector<std::string> out;
        for (const char* n : names)
            out.push_back(f->workspace(n).id);
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        f = std::make_unique<PowerBiTestTenant>(makeDemoTenant());
        console = f->appBearer(f->tenant().apps[0]);
        admin = f->userBearer(f->tenant().users[0], QString::fromLatin1(demo::kPublicClientId));
        QVERIFY(!console.isEmpty() && !admin.isEmpty());
        QCOMPARE(scanner({{"queuedMs", 50}, {"runningMs", 100}}).status, 200);
    }
    void cleanupTestCase() { f.reset(); }

    void modifiedWorkspaces()
    {
        const Tenant& t = f->tenant();
        // No modifiedSince: every workspace, as a bare array of {"id"} (api-digest §0).
        WireReply r = f->get(console, QStringLiteral("/admin/workspaces/modified"));
        QCOMPARE(r.status, 200);
        json all = r.json();
        QVERIFY(all.is_array());
        QCOMPARE(all.size(), t.workspaces.size());
        for (const auto& item : all) {
            QCOMPARE(item.size(), std::size_t(1));
            QCOMPARE(qs(str(item, "id")).size(), 36);
        }
        // Since ten days ago: the workspaces whose items changed since then.
        const QString since = isoAgo(10 * 86400);
        r = f->get(console, QStringLiteral("/admin/workspaces/modified?modifiedSince=") + since +
                                QStringLiteral("&excludePersonalWorkspaces=true"
                                               "&excludeInActiveWorkspaces=true"));
        QCOMPARE(r.status, 200);
        const UnixMs sinceMs = QDateTime::fromString(since, Qt::ISODateWithMs).toMSecsSinceEpoch();
        std::set<std::string> expected;
        for (const auto& w : t.workspaces)
            if (lastModified(w) > sinceMs && w.type != "PersonalGroup" && w.state == "Active")
                expected.insert(w.id);
        std::set<std::string> got;
        for (const auto& item : r.json())
            got.insert(str(item, "id"));
        QVERIFY(!expected.empty());
        QVERIFY(expected.size() < t.workspaces.size());
        QVERIFY(got == expected);
    }

    void modifiedSinceMustBeWithin30Days_data()
    {
        QTest::addColumn<QString>("query");
        QTest::newRow("31 days ago") << QStringLiteral("modifiedSince=") + isoAgo(31 * 86400);
        QTest::newRow("10 minutes ago") << QStringLiteral("modifiedSince=") + isoAgo(600);
        QTest::newRow("not a date") << QStringLiteral("modifiedSince=yesterday");
        QTest::newRow("bad boolean") << QStringLiteral("excludePersonalWorkspaces=maybe");
    }
    void modifiedSinceMustBeWithin30Days()
    {
        QFETCH(QString, query);
        const WireReply r = f->get(console, QStringLiteral("/admin/workspaces/modified?") + query);
        QCOMPARE(r.status, 400);
        QCOMPARE(code(r), std::string("InvalidRequest"));
    }

    void onlyAdminsMayScan()
    {
        const Tenant& t = f->tenant();
        // The ETL app has admin-consented Tenant.Read.All: the admin APIs refuse it (§8).
        const QByteArray etl = f->appBearer(t.apps[1]);
        const QByteArray megan =
            f->userBearer(t.users[1], QString::fromLatin1(demo::kPublicClientId));
        for (const QByteArray& bearer : {etl, megan}) {
            const WireReply r = f->get(bearer, QStringLiteral("/admin/workspaces/modified"));
            QCOMPARE(r.status, 401);
            QCOMPARE(code(r), std::string("PowerBINotAuthorizedException"));
        }
        QCOMPARE(f->get(admin, QStringLiteral("/admin/workspaces/modified")).status, 200);
        QCOMPARE(f->get(QByteArray(), QStringLiteral("/admin/workspaces/modified")).status, 403);
    }

    void scanLifecycle()
    {
        const WireReply r = getInfo({{"workspaces", ids({"Sales [Test]", "Supply Chain [Prod]"})}},
                                    QStringLiteral("?lineage=true&datasourceDetails=true"));
        QCOMPARE(r.status, 202);
        const json j = r.json();
        const std::string id = str(j, "id");
        QCOMPARE(qs(id).size(), 36);
        QCOMPARE(str(j, "status"), std::string("NotStarted"));
        // "2020-06-15T16:46:28.0487687Z": seven fractional digits.
        QVERIFY(QRegularExpression(
                    QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}Z$"))
                    .match(qs(str(j, "createdDateTime")))
                    .hasMatch());
        QVERIFY(r.header("Location")
                    .endsWith(QByteArray(QByteArray("/v1.0/myorg/admin/workspaces/scanStatus/") +
                                         QByteArray::fromStdString(id))));
        // Statuses only move forward, and the scan ends Succeeded.
        const std::vector<std::string> order = {"NotStarted", "Running", "Succeeded"};
        std::size_t reached = 0;
        QElapsedTimer t;
        t.start();
        while (reached < 2 && t.elapsed() < 10'000) {
            const std::string s = status(id);
            const auto at = std::find(order.begin(), order.end(), s);
            QVERIFY2(at != order.end(), s.c_str());
            QVERIFY(std::size_t(at - order.begin()) >= reached);
            reached = std::size_t(at - order.begin());
            QTest::qWait(10);
        }
        QCOMPARE(reached, std::size_t(2));
        const WireReply st =
            f->get(console, QStringLiteral("/admin/workspaces/scanStatus/") + qs(id));
        QVERIFY(st.header("Location")
                    .endsWith(QByteArray(QByteArray("/v1.0/myorg/admin/workspaces/scanResult/") +
                                         QByteArray::fromStdString(id))));
        const WireReply result =
            f->get(console, QStringLiteral("/admin/workspaces/scanResult/") + qs(id));
        QCOMPARE(result.status, 200);
        QCOMPARE(result.json()["workspaces"].size(), std::size_t(2));
        // The result stays available (24 hours by default).
        QCOMPARE(f->get(console, QStringLiteral("/admin/workspaces/scanResult/") + qs(id)).status,
                 200);
    }

    void resultIsRefusedUntilTheScanSucceeded()
    {
        // Long timings make each state last: no race with the clock.
        QCOMPARE(scanner({{"queuedMs", 60'000}, {"runningMs", 60'000}}).status, 200);
        const std::string queued = startScan(ids({"Sales [Test]"}));
        QVERIFY(!queued.empty());
        QCOMPARE(status(queued), std::string("NotStarted"));
        QCOMPARE(scanner({{"queuedMs", 0}}).status, 200);
        const std::string running = startScan(ids({"Sales [Test]"}));
        QCOMPARE(status(running), std::string("Running"));
        for (const std::string& id : {queued, running}) {
            const WireReply r =
                f->get(console, QStringLiteral("/admin/workspaces/scanResult/") + qs(id));
            QCOMPARE(r.status, 400);
            QCOMPARE(code(r), std::string("InvalidRequest"));
            QVERIFY(qs(r.json()["error"]["message"].get<std::string>())
                        .contains(QStringLiteral("has not succeeded")));
        }
        // A scan that fails: status Failed with the error object, no result.
        QCOMPARE(scanner({{"queuedMs", 0}, {"runningMs", 0}, {"failNextScans", 1}}).status, 200);
        const std::string failed = startScan(ids({"Sales [Test]"}));
        QVERIFY(!failed.empty());
        QVERIFY(waitDone(failed));
        const json st =
            f->get(console, QStringLiteral("/admin/workspaces/scanStatus/") + qs(failed)).json();
        QCOMPARE(str(st, "status"), std::string("Failed"));
        QVERIFY(st["error"].contains("code") && st["error"].contains("message"));
        QCOMPARE(
            f->get(console, QStringLiteral("/admin/workspaces/scanResult/") + qs(failed)).status,
            400);
        // Unknown and malformed scan ids.
        const WireReply unknown = f->get(
            console,
            QStringLiteral("/admin/workspaces/scanStatus/00000000-0000-4000-8000-000000000000"));
        QCOMPARE(unknown.status, 404);
        QCOMPARE(code(unknown), std::string("PowerBIEntityNotFound"));
        QCOMPARE(f->get(console, QStringLiteral("/admin/workspaces/scanResult/nope")).status, 400);
        // Results expire (after 24 hours; here at once).
        QCOMPARE(scanner({{"resultLifetimeMs", 0}}).status, 200);
        const std::string expiring = startScan(ids({"Sales [Test]"}));
        QTRY_COMPARE_WITH_TIMEOUT(
            f->get(console, QStringLiteral("/admin/workspaces/scanResult/") + qs(expiring)).status,
            404, 10'000);
        QCOMPARE(scanner({{"queuedMs", 50}, {"runningMs", 100}, {"resultLifetimeMs", 86'400'000}})
                     .status,
                 200);
    }

    void getInfoValidation_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("query");
        const std::string id = f->workspace("Sales [Test]").id;
        json many = json::array();
        for (int i = 0; i < 101; ++i)
            many.push_back(id);
        QTest::newRow("no body") << QByteArray() << QString();
        QTest::newRow("no workspaces") << QByteArray("{}") << QString();
        QTest::newRow("empty list") << QByteArray(R"({"workspaces":[]})") << QString();
        QTest::newRow("101 ids") << QByteArray::fromStdString(json{{"workspaces", many}}.dump())
                                 << QString();
        QTest::newRow("not a GUID") << QByteArray(R"({"workspaces":["sales"]})") << QString();
        QTest::newRow("bad option") << QByteArray::fromStdString(json{{"workspaces", {id}}}.dump())
                                    << QStringLiteral("?lineage=yes");
    }
    void getInfoValidation()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, query);
        const WireReply r =
            wireSend("POST", f->url(QStringLiteral("/v1.0/myorg/admin/workspaces/getInfo") + query),
                     {qMakePair(QByteArray("Authorization"), console),
                      qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))},
                     body);
        QCOMPARE(r.status, 400);
        QCOMPARE(code(r), std::string("InvalidRequest"));
    }

    void resultFollowsTheOptionsAndSettings()
    {
        const Tenant& t = f->tenant();
        // Everything: lineage, data sources, schema, expressions, artifact users. The demo
        // tenant enables detailed metadata but not DAX and mashup expressions.
        const std::string full =
            startScan(ids({"Sales [Test]", "Sandbox - Megan", "Executive Dashboards"}),
                      QStringLiteral("?lineage=true&datasourceDetails=true&datasetSchema=true"
                                     "&datasetExpressions=true&getArtifactUsers=true"));
        // And nothing but the ids, with an id of no workspace, which is left out.
        const std::string bare = startScan(
            {t.workspaces[1].id, "00000000-0000-4000-8000-000000000000", t.workspaces[1].id});
        QVERIFY(!full.empty() && !bare.empty());
        QVERIFY(waitDone(full) && waitDone(bare));
        const json r =
            f->get(console, QStringLiteral("/admin/workspaces/scanResult/") + qs(full)).json();
        QCOMPARE(r["workspaces"].size(), std::size_t(3));
        const json& sales = r["workspaces"][0];
        const Workspace& w = f->workspace("Sales [Test]");
        QCOMPARE(str(sales, "id"), w.id);
        QCOMPARE(str(sales, "name"), w.name);
        QCOMPARE(str(sales, "state"), std::string("Active"));
        QCOMPARE(sales["isOnDedicatedCapacity"].get<bool>(), true);
        QCOMPARE(str(sales, "capacityId"), *w.capacityId);
        QCOMPARE(sales["reports"].size(), w.reports.size());
        QCOMPARE(sales["datasets"].size(), w.datasets.size());
        QCOMPARE(sales["dashboards"].size(), w.dashboards.size());
        QCOMPARE(sales["users"].size(), w.members.size());
        for (const auto& u : sales["users"])
            QVERIFY(u.contains("groupUserAccessRight"));
        for (const auto& rep : sales["reports"])
            QVERIFY(rep["users"].size() > 0 && rep["users"][0].contains("reportUserAccessRight"));
        QVERIFY(!sales["dashboards"][0]["tiles"].empty());
        // Data sources: every usage points at an instance of the result.
        std::set<std::string> instances;
        for (const auto& s : r["datasourceInstances"])
            instances.insert(str(s, "datasourceId"));
        QVERIFY(!instances.empty());
        QVERIFY(r["misconfiguredDatasourceInstances"].is_array());
        const json& analytics = sales["datasets"][0];
        QCOMPARE(str(analytics, "name"), w.datasets[0].name);
        QVERIFY(!analytics["datasourceUsages"].empty());
        for (const auto& u : analytics["datasourceUsages"])
            QVERIFY(instances.count(str(u, "datasourceInstanceId")));
        // Schema: tables, columns with types, roles; no DAX without the expressions setting.
        QCOMPARE(analytics["tables"].size(), w.datasets[0].tables.size());
        QVERIFY(str(analytics["tables"][0]["columns"][0], "dataType") != "");
        QVERIFY(!analytics["tables"][0].contains("measures"));
        QVERIFY(!analytics.contains("expressions"));
        QCOMPARE(str(analytics["roles"][0], "name"), std::string("Region Managers"));
        QVERIFY(!analytics["roles"][0]["tablePermissions"][0].contains("filterExpression"));
        // A push model has no schema to read.
        const json& streaming = r["workspaces"][1]["datasets"][0];
        QCOMPARE(str(streaming, "schemaRetrievalError"),
                 std::string("Unsupported request. RealTime dataset are not supported"));
        // Lineage across workspaces: the executive reports read the shared certified model.
        const json& exec = r["workspaces"][2]["reports"][0];
        QCOMPARE(str(exec, "datasetWorkspaceId"), f->workspace("Data Platform - Shared Models").id);

        const json b =
            f->get(console, QStringLiteral("/admin/workspaces/scanResult/") + qs(bare)).json();
        QCOMPARE(b["workspaces"].size(), std::size_t(1));
        QVERIFY(!b.contains("datasourceInstances"));
        for (const auto& d : b["workspaces"][0]["datasets"]) {
            QVERIFY(!d.contains("tables"));
            QVERIFY(!d.contains("users"));
            QVERIFY(!d.contains("datasourceUsages"));
        }
        for (const auto& d : b["workspaces"][0]["dashboards"])
            QVERIFY(!d.contains("tiles"));
    }

    void expressionsNeedBothTenantSettings()
    {
        Tenant t = makeDemoTenant();
        t.settings.enhanceAdminApisExpressions = true;
        t.reindex();
        PowerBiTestTenant s(t);
        const QByteArray sp = s.appBearer(t.apps[0]);
        wireSend("PATCH", s.url(QStringLiteral("/sandbox/control/scanner")),
                 {qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))},
                 R"({"queuedMs":0,"runningMs":0})");
        const Workspace& w = s.workspace("Sales [Test]");
        const WireReply r =
            wireSend("POST",
                     s.url(QStringLiteral("/v1.0/myorg/admin/workspaces/getInfo?datasetSchema=true"
                                          "&datasetExpressions=true")),
                     {qMakePair(QByteArray("Authorization"), sp),
                      qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))},
                     QByteArray::fromStdString(json{{"workspaces", {w.id}}}.dump()));
        QCOMPARE(r.status, 202);
        const QString path =
            QStringLiteral("/admin/workspaces/scanResult/") + qs(str(r.json(), "id"));
        QTRY_COMPARE_WITH_TIMEOUT(s.get(sp, path).status, 200, 10'000);
        const json d = s.get(sp, path).json()["workspaces"][0]["datasets"][0];
        const json& fact = d["tables"][0];
        QVERIFY(!fact["measures"].empty());
        QVERIFY(qs(str(fact["measures"][0], "expression")).startsWith(QStringLiteral("SUM(")));
        QVERIFY(!fact["source"].empty());
        QVERIFY(!d["expressions"].empty());
        QVERIFY(qs(str(d["expressions"][0], "expression"))
                    .contains(QStringLiteral("IsParameterQuery=true")));
        QVERIFY(d["roles"][0]["tablePermissions"][0].contains("filterExpression"));
    }

    void sixteenScansAtOnce()
    {
        QCOMPARE(scanner({{"queuedMs", 60'000}, {"runningMs", 0}}).status, 200);
        // Scans of the earlier tests may still be in flight; fill up to 16.
        int started = 0;
        WireReply r;
        for (int i = 0; i < 17; ++i) {
            r = getInfo({{"workspaces", ids({"Sales [Test]"})}});
            if (r.status != 202)
                break;
            ++started;
        }
        QVERIFY(started <= 16);
        QCOMPARE(r.status, 429);
        QVERIFY(r.header("Retry-After").toInt() >= 1);
        QVERIFY(str(r.json(), "message").find("Retry in") != std::string::npos);
        QCOMPARE(scanner({{"queuedMs", 50}, {"runningMs", 100}}).status, 200);
    }

    void throttledPerHour()
    {
        SandboxOptions o;
        o.throttleScale = 0.01; // an hour lasts 36 s: 30 calls fit easily, the 31st does not
        PowerBiTestTenant s(makeDemoTenant(), o);
        const QByteArray sp = s.appBearer(s.tenant().apps[0]);
        for (int i = 0; i < 30; ++i)
            QCOMPARE(s.get(sp, QStringLiteral("/admin/workspaces/modified")).status, 200);
        const WireReply r = s.get(sp, QStringLiteral("/admin/workspaces/modified"));
        QCOMPARE(r.status, 429);
        const int wait = r.header("Retry-After").toInt();
        QVERIFY2(wait >= 1 && wait <= 36, r.header("Retry-After").constData());
        // Each operation has its own budget.
        QCOMPARE(s.get(sp, QStringLiteral("/admin/workspaces/scanStatus/"
                                          "00000000-0000-4000-8000-000000000000"))
                     .status,
                 404);
    }

    void controlEndpointRefusesTypos()
    {
        QCOMPARE(scanner({{"queueMs", 1}}).status, 400);
        QCOMPARE(scanner({{"runningMs", -1}}).status, 400);
        const json state =
            wireSend("GET", f->url(QStringLiteral("/sandbox/control/scanner"))).json();
        QCOMPARE(state["runningMs"].get<int>(), 100);
    }
};

QTEST_GUILESS_MAIN(TestScanner)
#include "tst_scanner.moc"
