// The tenant model: the demo scenario's content, the deterministic generator, and scenario
// files (docs/scenario-format.md).

#include "PowerBiTestTenant.h"

#include "DemoContent.h"
#include "Scenario.h"
#include "ScenarioSamples.h"
#include "TenantGenerator.h"

#include <QElapsedTimer>
#include <QTest>

#include <set>

using nlohmann::json;
using namespace pbi::sandbox;

namespace {
constexpr UnixMs kNow = 1795000000000; // a fixed "now", so that two tenants compare equal
}

class TestTenant : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void demoKeepsItsWorkspacesAndServicePrincipalRoles() {
        const Tenant t = makeDemoTenant();
        int named = 0;
        std::map<std::string, std::string> spRole;
        for (const auto& w : t.workspaces) {
            if (w.type == "Workspace" && w.state == "Active")
                ++named;
            for (const auto& m : w.members)
                if (m.principalId == t.apps[0].servicePrincipalId)
                    spRole[w.name] = m.accessRight;
        }
        QCOMPARE(named, 25);
        QCOMPARE(spRole["Sales [Dev]"], std::string("Admin"));
        QCOMPARE(spRole["Sales [Test]"], std::string("Member"));
        QCOMPARE(spRole["Sales [Prod]"], std::string("Contributor"));
        QCOMPARE(spRole["Finance [Prod]"], std::string("Viewer"));
        QVERIFY(!spRole.count("HR Analytics [Prod]"));
        QVERIFY(!spRole.count("Legal [Prod]"));
    }

    void demoHasEverythingTheConsoleShows() {
        const Tenant t = makeDemoTenant();
        std::set<std::string> principalTypes, roles, storage, failureCodes, refreshTypes, skus;
        bool rls = false, noRls = false, shared = false, dedicated = false,
             disabledSchedule = false;
        std::size_t tiles = 0, dataflows = 0, paginated = 0, maxHistory = 0;
        for (const auto& w : t.workspaces) {
            (w.capacityId ? dedicated : shared) = true;
            for (const auto& m : w.members) {
                principalTypes.insert(m.principalType);
                roles.insert(m.accessRight);
            }
            dataflows += w.dataflows.size();
            for (const auto& d : w.dashboards)
                tiles += d.tiles.size();
            for (const auto& r : w.reports)
                paginated += r.reportType == "PaginatedReport";
            for (const auto& d : w.datasets) {
                (d.roles.empty() ? noRls : rls) = true;
                storage.insert(d.storageMode);
                maxHistory = std::max(maxHistory, d.refreshes.size());
                disabledSchedule = disabledSchedule || (d.schedule && !d.schedule->enabled);
                for (const auto& e : d.refreshes) {
                    refreshTypes.insert(e.refreshType);
                    QCOMPARE(e.serviceExceptionJson.empty(), e.status != "Failed");
                    if (!e.serviceExceptionJson.empty())
                        failureCodes.insert(
                            json::parse(e.serviceExceptionJson)["errorCode"].get<std::string>());
                    QVERIFY(e.endTime && *e.endTime > e.startTime);
                }
                for (std::size_t i = 1; i < d.refreshes.size(); ++i)
                    QVERIFY(d.refreshes[i - 1].startTime <
                            d.refreshes[i].startTime); // oldest first
            }
        }
        for (const char* type : {"User", "Group", "App"})
            QVERIFY2(principalTypes.count(type), type);
        for (const char* role : {"Admin", "Member", "Contributor", "Viewer"})
            QVERIFY2(roles.count(role), role);
        QVERIFY(rls && noRls && shared && dedicated && disabledSchedule);
        for (const char* mode : {"Import", "DirectQuery", "Push"})
            QVERIFY2(storage.count(mode), mode);
        // Credentials expired, gateway offline, timeout, out of memory, never configured.
        for (const char* code :
             {"DMTS_OAuthTokenRefreshFailedError", "DM_GWPipeline_Client_GatewayUnreachable",
              "ModelRefresh_ShortMessage_ProcessingError",
              "ModelRefreshFailed_CredentialsNotSpecified"})
            QVERIFY2(failureCodes.count(code), code);
        QVERIFY(refreshTypes.count("Scheduled") && refreshTypes.count("OnDemand"));
        QCOMPARE(maxHistory, std::size_t(60)); // months of daily history, capped like the service
        QVERIFY(tiles > 10 && dataflows >= 3 && paginated >= 3);
        QVERIFY(!t.gateways.empty() && t.workspaceApps.size() >= 3 && t.pipelines.size() >= 3);
        for (const auto& p : t.pipelines)
            QCOMPARE(p.stages.size(), std::size_t(3));
        QVERIFY(t.settings.servicePrincipalsCanUseReadOnlyAdminApis);
        QVERIFY(!t.adminConsentedPermissions.at(t.apps[1].clientId).empty());
    }

    void demoIsDeterministic() {
        const json a = scenarioFromTenant(makeDemoTenant(7, kNow));
        const json b = scenarioFromTenant(makeDemoTenant(7, kNow));
        QVERIFY(a == b);
        const json c = scenarioFromTenant(makeDemoTenant(8, kNow));
        QVERIFY(a["workspaces"][0]["id"] != c["workspaces"][0]["id"]);
    }

    void generatorMakesTheRequestedSizes_data() {
        QTest::addColumn<int>("workspaces");
        QTest::addColumn<int>("items");
        QTest::newRow("empty") << 0 << 0;
        QTest::newRow("no items") << 5 << 0;
        QTest::newRow("1x1") << 1 << 1;
        QTest::newRow("100x10") << 100 << 10;
        QTest::newRow("1000x7") << 1000 << 7;
    }
    void generatorMakesTheRequestedSizes() {
        QFETCH(int, workspaces);
        QFETCH(int, items);
        const Tenant t = generateTenant({workspaces, items, 3, kNow, 8});
        QCOMPARE(int(t.workspaces.size()), workspaces);
        std::set<std::string> ids;
        for (const auto& w : t.workspaces) {
            QCOMPARE(int(w.reports.size() + w.datasets.size() + w.dashboards.size() +
                         w.dataflows.size()),
                     items);
            QVERIFY(ids.insert(w.id).second);
            QCOMPARE(t.findWorkspace(w.id), &w);
            for (const auto& d : w.datasets) {
                QVERIFY(ids.insert(d.id).second);
                const auto ref = t.findDataset(d.id);
                QVERIFY(ref && &t.workspaces[ref->workspace].datasets[ref->item] == &d);
                QVERIFY(d.refreshes.size() <= 8);
            }
            for (const auto& r : w.reports)
                QVERIFY(ids.insert(r.id).second);
        }
    }

    void generatorIsDeterministic() {
        const GeneratorOptions o{50, 10, 11, kNow, 8};
        const Tenant a = generateTenant(o);
        QVERIFY(scenarioFromTenant(a) == scenarioFromTenant(generateTenant(o)));
        GeneratorOptions other = o;
        other.seed = 12;
        QVERIFY(generateTenant(other).workspaces[0].id != a.workspaces[0].id);
    }

    void generatedTenantIsServedQuickly() {
        // 10,000 workspaces, 100,000 items (short histories, to keep this Debug test quick):
        // built and indexed; a member-scope list, an admin page and a lookup by id answer
        // without a tenant scan per item. Release figures: docs/scenario-format.md.
        QElapsedTimer timer;
        timer.start();
        SandboxOptions o;
        o.throttleScale = 0;
        PowerBiTestTenant f(generateTenant({10000, 10, 7, kNow, 1}), o);
        const qint64 built = timer.elapsed();
        const QByteArray bearer = f.appBearer(f.tenant().apps[0]);
        timer.restart();
        const WireReply groups = f.get(bearer, QStringLiteral("/groups"));
        QCOMPARE(groups.status, 200);
        QVERIFY(groups.json()["value"].size() > 5000);
        const WireReply page = f.get(bearer, QStringLiteral("/admin/groups?$top=5000&$skip=5000"));
        QCOMPARE(page.status, 200);
        QCOMPARE(page.json()["value"].size(), std::size_t(5000));
        const Workspace& w = f.tenant().workspaces[9876];
        QCOMPARE(f.get(bearer, QStringLiteral("/admin/groups/%1/datasets").arg(qs(w.id))).status,
                 200);
        qInfo("built in %lld ms (Debug, with the copy for the test), three calls in %lld ms", built,
              timer.elapsed());
        QVERIFY2(timer.elapsed() < 10000, "serving a big tenant must not be slow");
    }

    void scenarioRoundTrips() {
        const Tenant demo = makeDemoTenant(7, kNow);
        const json doc = scenarioFromTenant(demo);
        std::string error;
        const auto back = tenantFromScenario(doc, &error);
        QVERIFY2(back.has_value(), error.c_str());
        QVERIFY(scenarioFromTenant(*back) == doc);
        // What the format does not describe comes back from the demo base.
        QCOMPARE(back->apps.size(), demo.apps.size());
        for (std::size_t i = 0; i < demo.apps.size(); ++i) {
            QCOMPARE(back->apps[i].certificates, demo.apps[i].certificates);
            QCOMPARE(back->apps[i].consentedScopes, demo.apps[i].consentedScopes);
            QCOMPARE(back->apps[i].isPublicClient, demo.apps[i].isPublicClient);
        }
        QCOMPARE(back->findWorkspace(demo.workspaces[3].id)->name, demo.workspaces[3].name);
    }

    void scenarioErrorsNameTheField_data() {
        QTest::addColumn<QByteArray>("doc");
        QTest::addColumn<QString>("where");
        for (const auto& [name, doc, where] : badScenarios())
            QTest::newRow(name) << QByteArray(doc) << QString::fromLatin1(where);
    }
    void scenarioErrorsNameTheField() {
        QFETCH(QByteArray, doc);
        QFETCH(QString, where);
        std::string error;
        const auto t = tenantFromScenario(json::parse(doc.toStdString()), &error);
        QVERIFY(!t.has_value());
        QVERIFY2(QString::fromStdString(error).startsWith(where + QStringLiteral(": ")),
                 error.c_str());
    }

    void scenarioFileIsServed() {
        // A hand-written scenario over the demo identities: ids, times and principals are
        // filled in or resolved (members by UPN).
        const json doc = json::parse(handWrittenScenario());
        std::string text = doc.dump();
        const std::string sp = makeDemoTenant().apps[0].servicePrincipalId;
        text.replace(text.find("CONSOLE_SP"), 10, sp);
        std::string error;
        auto t = tenantFromScenario(json::parse(text), &error);
        QVERIFY2(t.has_value(), error.c_str());
        QCOMPARE(t->workspaces.size(), std::size_t(1));
        QCOMPARE(t->workspaces[0].members[0].principalId, t->users[0].objectId);

        PowerBiTestTenant f(*t);
        const QByteArray bearer = f.appBearer(t->apps[0]);
        const json groups = f.get(bearer, QStringLiteral("/groups")).json()["value"];
        QCOMPARE(groups.size(), std::size_t(1));
        QCOMPARE(groups[0]["name"].get<std::string>(), std::string("Scenario [Prod]"));
        const Workspace& w = t->workspaces[0];
        const json history = f.get(bearer, QStringLiteral("/groups/%1/datasets/%2/refreshes")
                                               .arg(qs(w.id), qs(w.datasets[0].id)))
                                 .json()["value"];
        QCOMPARE(history.size(), std::size_t(2));
        QCOMPARE(history[0]["status"].get<std::string>(), std::string("Failed"));
        QCOMPARE(history[1]["endTime"].get<std::string>(), std::string("2026-11-02T07:31:00.250Z"));
    }
};

QTEST_GUILESS_MAIN(TestTenant)
#include "tst_tenant.moc"
