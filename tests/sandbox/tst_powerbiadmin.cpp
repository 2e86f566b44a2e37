// The sandbox's Power BI admin APIs (/v1.0/myorg/admin/…): who may call them (tenant
// settings, admin-consented permissions), $top/$skip/$filter/$expand, and workspaceId on items.

#include "PowerBiTestTenant.h"

#include "EntraDemo.h"

#include <QTest>

#include <set>

using nlohmann::json;
using namespace pbi::sandbox;

namespace {

std::string str(const json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

bool isPbiError(const WireReply& r, const std::string& code) {
    const json j = r.json();
    return j.is_object() && j.contains("error") && str(j["error"], "code") == code &&
           j["error"].contains("pbi.error");
}

} // namespace

class TestPowerBiAdmin : public QObject {
    Q_OBJECT

    std::unique_ptr<PowerBiTestTenant> f;
    QByteArray console;

private Q_SLOTS:
    void initTestCase() {
        SandboxOptions o;
        o.throttleScale = 0; // these tests call GetGroupsAsAdmin more than 15 times a minute
        f = std::make_unique<PowerBiTestTenant>(makeDemoTenant(), o);
        console = f->appBearer(f->tenant().apps[0]);
        QVERIFY(!console.isEmpty());
    }
    void cleanupTestCase() { f.reset(); }

    void whoMayCallAdminApis_data() {
        QTest::addColumn<int>("app");
        QTest::addColumn<bool>("settingOn");
        QTest::addColumn<bool>("inGroup");
        QTest::addColumn<bool>("consented");
        QTest::addColumn<int>("status");
        QTest::newRow("allowed") << 0 << true << true << false << 200;
        QTest::newRow("setting off") << 0 << false << true << false << 401;
        QTest::newRow("not in the enabled group") << 0 << true << false << false << 401;
        // The counter-intuitive one (api-digest §8, USERS.md #12): admin-consented Power BI
        // permissions make the admin APIs refuse the service principal.
        QTest::newRow("has Tenant.Read.All") << 0 << true << true << true << 401;
        QTest::newRow("etl app") << 1 << true << false << true << 401;
    }
    void whoMayCallAdminApis() {
        QFETCH(int, app);
        QFETCH(bool, settingOn);
        QFETCH(bool, inGroup);
        QFETCH(bool, consented);
        QFETCH(int, status);
        Tenant t = makeDemoTenant();
        t.settings.servicePrincipalsCanUseReadOnlyAdminApis = settingOn;
        if (!inGroup)
            t.groups[2].memberIds.clear();
        if (consented)
            t.adminConsentedPermissions[t.apps[app].clientId] = {"Tenant.Read.All"};
        t.reindex();
        PowerBiTestTenant s(t);
        const QByteArray bearer = s.appBearer(t.apps[app]);
        for (const QString& path :
             {QStringLiteral("/admin/groups?$top=10"), QStringLiteral("/admin/datasets"),
              QStringLiteral("/admin/capacities")}) {
            const WireReply r = s.get(bearer, path);
            QCOMPARE(r.status, status);
            if (status == 401)
                QVERIFY2(isPbiError(r, "PowerBINotAuthorizedException"), r.body.constData());
        }
    }

    void delegatedCallersNeedTheFabricAdminRole() {
        const QString client = QString::fromLatin1(demo::kPublicClientId);
        const QByteArray alex = f->userBearer(f->tenant().users[0], client); // Fabric admin
        const QByteArray megan = f->userBearer(f->tenant().users[1], client);
        QVERIFY(!alex.isEmpty() && !megan.isEmpty());
        QVERIFY(f->tenant().users[0].isFabricAdmin && !f->tenant().users[1].isFabricAdmin);
        QCOMPARE(f->get(alex, QStringLiteral("/admin/groups?$top=10")).status, 200);
        const WireReply refused = f->get(megan, QStringLiteral("/admin/groups?$top=10"));
        QCOMPARE(refused.status, 401);
        QVERIFY(isPbiError(refused, "PowerBINotAuthorizedException"));
        // Users may call what service principals may not: apps and My workspace.
        const json apps = f->get(megan, QStringLiteral("/apps")).json();
        QVERIFY(apps["value"].is_array());
        QVERIFY(f->get(alex, QStringLiteral("/apps")).json()["value"].size() ==
                f->tenant().workspaceApps.size());
        const json mine = f->get(alex, QStringLiteral("/reports")).json();
        QCOMPARE(mine["value"].size(), std::size_t(1));
        QCOMPARE(mine["value"][0]["name"].get<std::string>(), std::string("Expenses"));
        // Megan has no My workspace content.
        QVERIFY(f->get(megan, QStringLiteral("/datasets")).json()["value"].empty());
        // Megan is a Member everywhere: she reads refresh history; Adele (Viewer) may not.
        const QByteArray adele = f->userBearer(f->tenant().users[3], client);
        const Workspace& w = f->workspace("Sales [Prod]");
        const QString history =
            QStringLiteral("/groups/%1/datasets/%2/refreshes").arg(qs(w.id), qs(w.datasets[0].id));
        QCOMPARE(f->get(megan, history).status, 200);
        QCOMPARE(f->get(adele, history).status, 401);
    }

    void delegatedTokensNeedTheOperationsScope() {
        // The desktop client without consent for Tenant.Read.All and Pipeline.Read.All: a
        // Fabric admin's token then opens neither the admin APIs nor the pipelines.
        Tenant t = makeDemoTenant();
        for (auto& app : t.apps)
            if (app.clientId == demo::kPublicClientId)
                std::erase_if(app.consentedScopes, [](const std::string& s) {
                    return s == "Tenant.Read.All" || s == "Tenant.ReadWrite.All" ||
                           s.rfind("Pipeline.", 0) == 0;
                });
        PowerBiTestTenant s(t);
        const QByteArray alex =
            s.userBearer(t.users[0], QString::fromLatin1(demo::kPublicClientId));
        QVERIFY(!alex.isEmpty());
        QCOMPARE(s.get(alex, QStringLiteral("/groups")).status, 200);
        for (const QString& path :
             {QStringLiteral("/admin/groups?$top=10"), QStringLiteral("/pipelines")}) {
            const WireReply r = s.get(alex, path);
            QCOMPARE(r.status, 401);
            QVERIFY(isPbiError(r, "PowerBINotAuthorizedException"));
        }
    }

    void adminGroupsRequiresTopUpTo5000_data() {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("status");
        QTest::newRow("missing") << QString() << 400;
        QTest::newRow("zero") << QStringLiteral("?$top=0") << 400;
        QTest::newRow("5001") << QStringLiteral("?$top=5001") << 400;
        QTest::newRow("huge") << QStringLiteral("?$top=100000000000") << 400;
        QTest::newRow("5000") << QStringLiteral("?$top=5000") << 200;
        QTest::newRow("1") << QStringLiteral("?$top=1") << 200;
        QTest::newRow("bad expand") << QStringLiteral("?$top=1&$expand=secrets") << 400;
        QTest::newRow("bad filter") << QStringLiteral("?$top=1&$filter=state eq") << 400;
    }
    void adminGroupsRequiresTopUpTo5000() {
        QFETCH(QString, query);
        QFETCH(int, status);
        const WireReply r = f->get(console, QStringLiteral("/admin/groups") + query);
        QCOMPARE(r.status, status);
        if (status == 400)
            QCOMPARE(str(r.json()["error"], "code"), std::string("InvalidRequest"));
    }

    void adminGroupsListsTheWholeTenant() {
        const json v = f->get(console, QStringLiteral("/admin/groups?$top=5000")).json()["value"];
        QCOMPARE(v.size(), f->tenant().workspaces.size());
        std::set<std::string> states, types;
        for (const auto& g : v) {
            states.insert(str(g, "state"));
            types.insert(str(g, "type"));
            QVERIFY(!g.contains("users")); // only with $expand
        }
        QVERIFY(states.count("Deleted") && states.count("Active"));
        QVERIFY(types.count("PersonalGroup") && types.count("Workspace"));
    }

    void adminGroupsPagesWithoutLossOrDuplicates() {
        std::vector<std::string> ids;
        for (int skip = 0;; skip += 4) {
            const json v =
                f->get(console, QStringLiteral("/admin/groups?$top=4&$skip=%1").arg(skip))
                    .json()["value"];
            for (const auto& g : v)
                ids.push_back(str(g, "id"));
            if (v.size() < 4)
                break;
        }
        QCOMPARE(ids.size(), f->tenant().workspaces.size());
        QCOMPARE(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
    }

    void adminGroupsExpand() {
        const WireReply r = f->get(
            console,
            QStringLiteral(
                "/admin/"
                "groups?$top=5000&$expand=users,reports,dashboards,datasets,dataflows,workbooks"));
        QCOMPARE(r.status, 200);
        std::size_t reports = 0, datasets = 0;
        const json groups = r.json()["value"];
        for (const auto& g : groups) {
            for (const char* nav :
                 {"users", "reports", "dashboards", "datasets", "dataflows", "workbooks"})
                QVERIFY2(g[nav].is_array(), nav);
            for (const auto& rep : g["reports"])
                QCOMPARE(str(rep, "workspaceId"), str(g, "id"));
            for (const auto& u : g["users"])
                QVERIFY(u.contains("graphId")); // admin APIs only
            reports += g["reports"].size();
            datasets += g["datasets"].size();
        }
        std::size_t expectReports = 0, expectDatasets = 0;
        for (const auto& w : f->tenant().workspaces) {
            expectReports += w.reports.size();
            expectDatasets += w.datasets.size();
        }
        QCOMPARE(reports, expectReports);
        QCOMPARE(datasets, expectDatasets);
    }

    void adminGroupsFilters_data() {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QStringList>("names");
        QTest::newRow("deleted") << QStringLiteral("state eq 'Deleted'")
                                 << QStringList{QStringLiteral("Old Sales Archive")};
        // The spec's orphaned-workspace filter.
        QTest::newRow("orphaned")
            << QStringLiteral(
                   "(not users/any()) or (not users/any(u: u/groupUserAccessRight eq "
                   "Microsoft.PowerBI.ServiceContracts.Api.GroupUserAccessRight'Admin'))")
            << QStringList{QStringLiteral("Old Sales Archive")};
        QTest::newRow("tolower") << QStringLiteral("tolower(name) eq 'legal [prod]'")
                                 << QStringList{QStringLiteral("Legal [Prod]")};
        QTest::newRow("personal") << QStringLiteral("type eq 'PersonalGroup'")
                                  << QStringList{QStringLiteral("PersonalWorkspace Alex Admin")};
        QTest::newRow("contains and")
            << QStringLiteral("contains(name,'supply') and isOnDedicatedCapacity eq true")
            << QStringList{QStringLiteral("Supply Chain [Dev]"),
                           QStringLiteral("Supply Chain [Test]"),
                           QStringLiteral("Supply Chain [Prod]")};
    }
    void adminGroupsFilters() {
        QFETCH(QString, filter);
        QFETCH(QStringList, names);
        const WireReply r =
            f->get(console, QStringLiteral("/admin/groups?$top=5000&$filter=") +
                                QString::fromLatin1(QUrl::toPercentEncoding(filter)));
        QCOMPARE(r.status, 200);
        QStringList got;
        const json groups = r.json()["value"];
        for (const auto& g : groups) {
            got << qs(str(g, "name"));
            QVERIFY(!g.contains("users")); // referenced by the filter, but not expanded
        }
        QCOMPARE(got, names);
    }

    void adminItemListsCarryWorkspaceId_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("idField");
        QTest::newRow("reports") << QStringLiteral("/admin/reports") << QStringLiteral("id");
        QTest::newRow("datasets") << QStringLiteral("/admin/datasets") << QStringLiteral("id");
        QTest::newRow("dashboards")
            << QStringLiteral("/admin/dashboards?$expand=tiles") << QStringLiteral("id");
        QTest::newRow("dataflows")
            << QStringLiteral("/admin/dataflows") << QStringLiteral("objectId");
        QTest::newRow("apps") << QStringLiteral("/admin/apps?$top=100") << QStringLiteral("id");
    }
    void adminItemListsCarryWorkspaceId() {
        QFETCH(QString, path);
        QFETCH(QString, idField);
        const WireReply r = f->get(console, path);
        QCOMPARE(r.status, 200);
        const json v = r.json()["value"];
        QVERIFY(!v.empty());
        for (const auto& item : v) {
            QVERIFY(item[idField.toStdString()].is_string());
            QVERIFY(f->tenant().findWorkspace(str(item, "workspaceId")) != nullptr);
        }
        if (path.contains(QStringLiteral("tiles")))
            QVERIFY(v[0]["tiles"].is_array());
    }

    void adminItemsFilterAndPage() {
        const Workspace& w = f->workspace("Finance [Prod]");
        const QString filter = QString::fromLatin1(
            QUrl::toPercentEncoding(QStringLiteral("workspaceId eq '%1'").arg(qs(w.id))));
        const json v =
            f->get(console, QStringLiteral("/admin/reports?$filter=") + filter).json()["value"];
        QCOMPARE(v.size(), w.reports.size());
        const json page =
            f->get(console, QStringLiteral("/admin/datasets?$top=3&$skip=2")).json()["value"];
        const json all = f->get(console, QStringLiteral("/admin/datasets")).json()["value"];
        QCOMPARE(page.size(), std::size_t(3));
        QVERIFY(page[0] == all[2]);
    }

    void adminSingleGroupAndUsers() {
        const Workspace& w = f->workspace("HR Analytics [Prod]"); // the SP is not a member
        const json g =
            f->get(console, QStringLiteral("/admin/groups/%1?$expand=users").arg(qs(w.id))).json();
        QCOMPARE(str(g, "name"), w.name);
        QCOMPARE(g["users"].size(), w.members.size());
        const json users =
            f->get(console, QStringLiteral("/admin/groups/%1/users").arg(qs(w.id))).json()["value"];
        QCOMPARE(users.size(), w.members.size());
        const json models =
            f->get(console, QStringLiteral("/admin/groups/%1/datasets").arg(qs(w.id)))
                .json()["value"];
        QCOMPARE(models.size(), w.datasets.size());
        const WireReply unknown =
            f->get(console, QStringLiteral("/admin/groups/0f0f0f0f-1111-4222-8333-444455556666"));
        QCOMPARE(unknown.status, 404);
        QVERIFY(isPbiError(unknown, "PowerBIEntityNotFound"));
    }

    void adminDatasourcesAndTiles() {
        const Workspace& w = f->workspace("Finance [Prod]");
        const json ds =
            f->get(console,
                   QStringLiteral("/admin/datasets/%1/datasources").arg(qs(w.datasets[0].id)))
                .json()["value"];
        QCOMPARE(ds.size(), w.datasets[0].datasources.size());
        const json tiles =
            f->get(console,
                   QStringLiteral("/admin/dashboards/%1/tiles").arg(qs(w.dashboards[0].id)))
                .json()["value"];
        QCOMPARE(tiles.size(), w.dashboards[0].tiles.size());
        QCOMPARE(f->get(console, QStringLiteral("/admin/datasets/nope/datasources")).status, 404);
    }

    void refreshablesSummariseHistory() {
        QCOMPARE(f->get(console, QStringLiteral("/admin/capacities/refreshables")).status,
                 400); // $top required
        const WireReply r = f->get(
            console,
            QStringLiteral("/admin/capacities/refreshables?$top=100&$expand=capacities,groups"));
        QCOMPARE(r.status, 200);
        const json v = r.json()["value"];
        QVERIFY(v.size() > 5);
        bool sawFailures = false;
        for (const auto& x : v) {
            QCOMPARE(str(x, "kind"), std::string("Dataset"));
            QVERIFY(x["capacity"].is_object());
            QVERIFY(x["group"].is_object());
            QVERIFY(x["refreshCount"].get<int>() >= x["refreshFailures"].get<int>());
            sawFailures = sawFailures || x["refreshFailures"].get<int>() > 0;
        }
        QVERIFY(sawFailures);
    }

    void adminPipelinesExpand() {
        const json v = f->get(console, QStringLiteral("/admin/pipelines?$expand=stages,users"))
                           .json()["value"];
        QCOMPARE(v.size(), f->tenant().pipelines.size());
        for (const auto& p : v) {
            QVERIFY(p["stages"].is_array());
            QVERIFY(p["users"].is_array());
        }
    }
};

QTEST_GUILESS_MAIN(TestPowerBiAdmin)
#include "tst_powerbiadmin.moc"
