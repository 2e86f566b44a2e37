// The sandbox's Power BI REST emulation at member scope: routes, envelopes, permissions and
// error bodies, checked over loopback against reference/api-digest.md.

#include "PowerBiTestTenant.h"

#include <QTest>

using nlohmann::json;
using namespace pbi::sandbox;

namespace {

std::string str(const json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

bool isPbiError(const WireReply& r, const std::string& code) {
    const json j = r.json();
    return j.is_object() && j.contains("error") && str(j["error"], "code") == code &&
           j["error"].contains("pbi.error") && str(j["error"]["pbi.error"], "code") == code;
}

} // namespace

class TestPowerBi : public QObject {
    Q_OBJECT

    std::unique_ptr<PowerBiTestTenant> f;
    QByteArray console; ///< the console's service principal
    QByteArray etl;     ///< the ETL service principal (Prod workspaces only)

    QString groupPath(const std::string& workspace, const QString& rest = {}) const {
        return QStringLiteral("/groups/") + qs(f->workspace(workspace).id) + rest;
    }
    const Dataset& firstRefreshable(const std::string& workspace) const {
        for (const auto& d : f->workspace(workspace).datasets)
            if (d.isRefreshable)
                return d;
        throw std::runtime_error("no refreshable model");
    }

private Q_SLOTS:
    void initTestCase() {
        f = std::make_unique<PowerBiTestTenant>(makeDemoTenant());
        console = f->appBearer(f->tenant().apps[0]);
        etl = f->appBearer(f->tenant().apps[1]);
        QVERIFY(!console.isEmpty());
        QVERIFY(!etl.isEmpty());
    }
    void cleanupTestCase() { f.reset(); }

    void appOnlyTokensCarryTheirApplicationPermissionsAsRoles() {
        // The bearer is "Bearer <jwt>"; its payload is the second part.
        const auto claimsOf = [](const QByteArray& bearer) {
            const QList<QByteArray> parts = bearer.mid(bearer.indexOf(' ') + 1).split('.');
            return nlohmann::json::parse(QByteArray::fromBase64(
                parts.value(1), QByteArray::Base64UrlEncoding).toStdString());
        };
        // The ETL app holds Tenant.Read.All with admin consent: Entra says so in `roles`.
        const nlohmann::json etlClaims = claimsOf(etl);
        QVERIFY(etlClaims.contains("roles"));
        QVERIFY(etlClaims["roles"] == nlohmann::json::array({"Tenant.Read.All"}));
        // The console's app has none, so the claim is absent, as for most Power BI principals.
        QVERIFY(!claimsOf(console).contains("roles"));
    }

    void collectionsHaveTheODataEnvelope_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("idField");
        const QString g = qs(f->workspace("Sales [Dev]").id);
        QTest::newRow("groups") << QStringLiteral("/groups") << QStringLiteral("$metadata#groups")
                                << QStringLiteral("id");
        QTest::newRow("users") << QStringLiteral("/groups/%1/users").arg(g)
                               << QStringLiteral("groups/%1/$metadata#users").arg(g)
                               << QStringLiteral("identifier");
        QTest::newRow("reports") << QStringLiteral("/groups/%1/reports").arg(g)
                                 << QStringLiteral("groups/%1/$metadata#reports").arg(g)
                                 << QStringLiteral("id");
        QTest::newRow("datasets") << QStringLiteral("/groups/%1/datasets").arg(g)
                                  << QStringLiteral("groups/%1/$metadata#datasets").arg(g)
                                  << QStringLiteral("id");
        QTest::newRow("dataflows")
            << QStringLiteral("/groups/%1/dataflows").arg(g)
            << QStringLiteral("groups/%1/$metadata#dataflows").arg(g) << QStringLiteral("objectId");
        QTest::newRow("capacities")
            << QStringLiteral("/capacities") << QStringLiteral("$metadata#capacities")
            << QStringLiteral("id");
        QTest::newRow("gateways") << QStringLiteral("/gateways")
                                  << QStringLiteral("$metadata#gateways") << QStringLiteral("id");
        QTest::newRow("pipelines") << QStringLiteral("/pipelines")
                                   << QStringLiteral("$metadata#pipelines") << QStringLiteral("id");
    }
    void collectionsHaveTheODataEnvelope() {
        QFETCH(QString, path);
        QFETCH(QString, context);
        QFETCH(QString, idField);
        const WireReply r = f->get(console, path);
        QCOMPARE(r.status, 200);
        QVERIFY(!r.header("RequestId").isEmpty());
        QVERIFY(r.header("Content-Type").startsWith("application/json"));
        const json j = r.json();
        QVERIFY2(qs(str(j, "@odata.context")).endsWith(QStringLiteral("/v1.0/myorg/") + context),
                 j.dump().c_str());
        QVERIFY(j["value"].is_array());
        QVERIFY2(!j["value"].empty(), qPrintable(path));
        for (const auto& item : j["value"]) {
            QVERIFY(item[idField.toStdString()].is_string());
            // Optional fields are omitted, never null (api-digest §0).
            for (const auto& [k, v] : item.items())
                QVERIFY2(!v.is_null(), k.c_str());
        }
    }

    void itemsOfAWorkspaceMatchTheTenant() {
        const Workspace& w = f->workspace("Sales [Dev]");
        const json reports =
            f->get(console, groupPath("Sales [Dev]", QStringLiteral("/reports"))).json()["value"];
        QCOMPARE(reports.size(), w.reports.size());
        for (std::size_t i = 0; i < w.reports.size(); ++i) {
            QCOMPARE(str(reports[i], "id"), w.reports[i].id);
            QCOMPARE(str(reports[i], "reportType"), w.reports[i].reportType);
            QVERIFY(!reports[i].contains("workspaceId")); // admin APIs only
            QCOMPARE(reports[i].contains("datasetId"), !w.reports[i].datasetId.empty());
        }
        const json models =
            f->get(console, groupPath("Sales [Dev]", QStringLiteral("/datasets"))).json()["value"];
        QCOMPARE(models.size(), w.datasets.size());
        for (std::size_t i = 0; i < w.datasets.size(); ++i) {
            const Dataset& d = w.datasets[i];
            QCOMPARE(str(models[i], "name"), d.name);
            QCOMPARE(models[i]["isRefreshable"].get<bool>(), d.isRefreshable);
            QCOMPARE(models[i]["isEffectiveIdentityRequired"].get<bool>(), !d.roles.empty());
            QCOMPARE(str(models[i], "configuredBy"), d.configuredBy);
            QCOMPARE(str(models[i], "targetStorageMode"), d.targetStorageMode);
        }
        const json one = f->get(console, groupPath("Sales [Dev]", QStringLiteral("/datasets/") +
                                                                      qs(w.datasets[0].id)))
                             .json();
        QCOMPARE(str(one, "id"), w.datasets[0].id);
        QVERIFY(
            qs(str(one, "@odata.context"))
                .endsWith(QStringLiteral("/groups/%1/$metadata#datasets/$entity").arg(qs(w.id))));
    }

    void dashboardsAndTiles() {
        const Workspace& w = f->workspace("Sales [Test]");
        QVERIFY(!w.dashboards.empty());
        const Dashboard& d = w.dashboards[0];
        const json list = f->get(console, groupPath("Sales [Test]", QStringLiteral("/dashboards")))
                              .json()["value"];
        QCOMPARE(list.size(), w.dashboards.size());
        QCOMPARE(str(list[0], "displayName"), d.displayName);
        QVERIFY(qs(str(list[0], "embedUrl"))
                    .contains(QStringLiteral("dashboardEmbed?dashboardId=") + qs(d.id)));
        const json tiles =
            f->get(console,
                   groupPath("Sales [Test]", QStringLiteral("/dashboards/%1/tiles").arg(qs(d.id))))
                .json()["value"];
        QCOMPARE(tiles.size(), d.tiles.size());
        const WireReply tile = f->get(
            console,
            groupPath("Sales [Test]",
                      QStringLiteral("/dashboards/%1/tiles/%2").arg(qs(d.id), qs(d.tiles[1].id))));
        QCOMPARE(tile.status, 200);
        QCOMPARE(str(tile.json(), "title"), d.tiles[1].title);
    }

    void refreshHistoryIsNewestFirstWithServiceExceptionJson() {
        // Procurement [Prod]: the gateway was offline for the two newest scheduled runs.
        const Dataset& d = firstRefreshable("Procurement [Prod]");
        const WireReply r =
            f->get(console, groupPath("Procurement [Prod]",
                                      QStringLiteral("/datasets/%1/refreshes").arg(qs(d.id))));
        QCOMPARE(r.status, 200);
        const json v = r.json()["value"];
        QCOMPARE(v.size(), std::min<std::size_t>(60, d.refreshes.size()));
        QVERIFY(v.size() >= 20);
        for (std::size_t i = 1; i < v.size(); ++i)
            QVERIFY(str(v[i - 1], "startTime") > str(v[i], "startTime"));
        QCOMPARE(str(v[0], "status"), std::string("Failed"));
        // serviceExceptionJson is a string holding JSON (api-digest §3).
        QVERIFY(v[0]["serviceExceptionJson"].is_string());
        const json error = json::parse(str(v[0], "serviceExceptionJson"));
        QCOMPARE(str(error, "errorCode"), std::string("DM_GWPipeline_Client_GatewayUnreachable"));
        QVERIFY(v[0]["refreshAttempts"].size() >= 1);
        for (const auto& e : v) {
            QCOMPARE(e.contains("serviceExceptionJson"), str(e, "status") == "Failed");
            QVERIFY(e.contains("endTime"));
            QVERIFY(qs(str(e, "requestId")).size() == 36);
        }
        const json top =
            f->get(console,
                   groupPath("Procurement [Prod]",
                             QStringLiteral("/datasets/%1/refreshes?$top=3").arg(qs(d.id))))
                .json()["value"];
        QCOMPARE(top.size(), std::size_t(3));
        QVERIFY(top[0] == v[0]);
    }

    void refreshScheduleAndDatasourcesAndParameters() {
        const Dataset& d = firstRefreshable("Sales [Test]");
        QVERIFY(d.schedule.has_value());
        const json s =
            f->get(console, groupPath("Sales [Test]",
                                      QStringLiteral("/datasets/%1/refreshSchedule").arg(qs(d.id))))
                .json();
        QVERIFY(s["days"] == json(d.schedule->days));
        QVERIFY(s["times"] == json(d.schedule->times));
        QCOMPARE(s["enabled"].get<bool>(), d.schedule->enabled);
        QCOMPARE(str(s, "localTimeZoneId"), d.schedule->localTimeZoneId);
        const json sources =
            f->get(console, groupPath("Sales [Test]",
                                      QStringLiteral("/datasets/%1/datasources").arg(qs(d.id))))
                .json()["value"];
        QCOMPARE(sources.size(), d.datasources.size());
        QCOMPARE(str(sources[0], "datasourceType"), d.datasources[0].datasourceType);
        QVERIFY(sources[0]["connectionDetails"].is_object());
        QCOMPARE(str(sources[0], "gatewayId"), d.datasources[0].gatewayId);
        const json params =
            f->get(console, groupPath("Sales [Test]",
                                      QStringLiteral("/datasets/%1/parameters").arg(qs(d.id))))
                .json()["value"];
        QCOMPARE(params.size(), d.parameters.size());
        QCOMPARE(str(params[0], "name"), d.parameters[0].name);
        QVERIFY(params[0]["isRequired"].is_boolean());
    }

    void credentialFailuresDisableTheSchedule() {
        // Four failures in a row disable scheduled refresh (refresh-data.md); Marketing [Prod]
        // shows it. The console's SP is only a Viewer there, so use the ETL app (Member).
        const Dataset& d = firstRefreshable("Marketing [Prod]");
        const json s =
            f->get(etl, groupPath("Marketing [Prod]",
                                  QStringLiteral("/datasets/%1/refreshSchedule").arg(qs(d.id))))
                .json();
        QCOMPARE(s["enabled"].get<bool>(), false);
        const json v =
            f->get(etl, groupPath("Marketing [Prod]",
                                  QStringLiteral("/datasets/%1/refreshes?$top=4").arg(qs(d.id))))
                .json()["value"];
        QCOMPARE(v.size(), std::size_t(4));
        for (const auto& e : v)
            QCOMPARE(str(json::parse(str(e, "serviceExceptionJson")), "errorCode"),
                     std::string("DMTS_OAuthTokenRefreshFailedError"));
    }

    void rolesGateWhatACallerMayDo_data() {
        QTest::addColumn<QString>("workspace");
        QTest::addColumn<QString>("what");
        QTest::addColumn<int>("status");
        // The console's service principal: Admin in Sales [Dev], Member in Sales [Test],
        // Contributor in Sales [Prod], Viewer in Finance [Prod].
        for (const char* w : {"Sales [Dev]", "Sales [Test]", "Sales [Prod]"}) {
            QTest::newRow((std::string(w) + " datasources").c_str())
                << QString::fromLatin1(w) << QStringLiteral("datasources") << 200;
            QTest::newRow((std::string(w) + " refreshes").c_str())
                << QString::fromLatin1(w) << QStringLiteral("refreshes") << 200;
        }
        // "Caller must have Write permissions on the dataset."
        QTest::newRow("viewer datasources")
            << QStringLiteral("Finance [Prod]") << QStringLiteral("datasources") << 401;
        QTest::newRow("viewer refreshes")
            << QStringLiteral("Finance [Prod]") << QStringLiteral("refreshes") << 401;
        QTest::newRow("viewer schedule")
            << QStringLiteral("Finance [Prod]") << QStringLiteral("refreshSchedule") << 401;
        QTest::newRow("viewer parameters")
            << QStringLiteral("Finance [Prod]") << QStringLiteral("parameters") << 200;
        QTest::newRow("viewer model") << QStringLiteral("Finance [Prod]") << QString() << 200;
    }
    void rolesGateWhatACallerMayDo() {
        QFETCH(QString, workspace);
        QFETCH(QString, what);
        QFETCH(int, status);
        const Dataset& d = firstRefreshable(workspace.toStdString());
        QString path = QStringLiteral("/datasets/") + qs(d.id);
        if (!what.isEmpty())
            path += QLatin1Char('/') + what;
        const WireReply r = f->get(console, groupPath(workspace.toStdString(), path));
        QCOMPARE(r.status, status);
        if (status == 401)
            QVERIFY2(isPbiError(r, "PowerBINotAuthorizedException"), r.body.constData());
    }

    void viewersGetLimitedModelContent() {
        const Dataset& d = firstRefreshable("Finance [Prod]");
        const json viewer =
            f->get(console, groupPath("Finance [Prod]", QStringLiteral("/datasets/") + qs(d.id)))
                .json();
        const json member =
            f->get(etl, groupPath("Finance [Prod]", QStringLiteral("/datasets/") + qs(d.id)))
                .json();
        QVERIFY(!viewer.contains("configuredBy"));
        QCOMPARE(str(member, "configuredBy"), d.configuredBy);
        QVERIFY(viewer["id"] == member["id"]);
    }

    void viewerIsReadOnlyInGroups() {
        const json v = f->get(console, QStringLiteral("/groups")).json()["value"];
        for (const auto& g : v) {
            const std::string name = str(g, "name");
            if (name == "Finance [Prod]")
                QCOMPARE(g["isReadOnly"].get<bool>(), true);
            if (name == "Sales [Dev]")
                QCOMPARE(g["isReadOnly"].get<bool>(), false);
        }
    }

    void inaccessibleAndUnknownWorkspacesLookTheSame_data() {
        QTest::addColumn<QString>("group");
        QTest::newRow("not a member") << qs(f->workspace("HR Analytics [Prod]").id);
        QTest::newRow("does not exist") << QStringLiteral("0f0f0f0f-1111-4222-8333-444455556666");
        QTest::newRow("not a guid") << QStringLiteral("not-a-guid");
        QTest::newRow("deleted") << qs(f->workspace("Old Sales Archive").id);
    }
    void inaccessibleAndUnknownWorkspacesLookTheSame() {
        QFETCH(QString, group);
        for (const QString& rest :
             {QString(), QStringLiteral("/reports"), QStringLiteral("/datasets"),
              QStringLiteral("/users"), QStringLiteral("/dashboards")}) {
            const WireReply r = f->get(console, QStringLiteral("/groups/") + group + rest);
            QCOMPARE(r.status, 401);
            QCOMPARE(r.header("X-PowerBI-Error-Info"), QByteArray("GroupNotAccessible"));
            QVERIFY(isPbiError(r, "PowerBINotAuthorizedException"));
            QVERIFY(!r.header("RequestId").isEmpty());
        }
    }

    void unknownItemsAre404_data() {
        QTest::addColumn<QString>("rest");
        QTest::newRow("report") << QStringLiteral("/reports/0f0f0f0f-1111-4222-8333-444455556666");
        QTest::newRow("dataset") << QStringLiteral("/datasets/nope");
        QTest::newRow("datasources") << QStringLiteral("/datasets/nope/datasources");
        QTest::newRow("refreshes") << QStringLiteral("/datasets/nope/refreshes");
        QTest::newRow("dashboard")
            << QStringLiteral("/dashboards/0f0f0f0f-1111-4222-8333-444455556666");
        QTest::newRow("tiles") << QStringLiteral(
            "/dashboards/0f0f0f0f-1111-4222-8333-444455556666/tiles");
        // A model that exists, but in another workspace: as unknown as any other id.
        QTest::newRow("other workspace")
            << QStringLiteral("/datasets/") + qs(firstRefreshable("Sales [Test]").id);
    }
    void unknownItemsAre404() {
        QFETCH(QString, rest);
        const WireReply r = f->get(console, groupPath("Sales [Dev]", rest));
        QCOMPARE(r.status, 404);
        QVERIFY2(isPbiError(r, "PowerBIEntityNotFound"), r.body.constData());
    }

    void servicePrincipalsAreRefusedWhereTheServiceRefusesThem_data() {
        QTest::addColumn<QString>("path");
        QTest::newRow("apps") << QStringLiteral("/apps");
        QTest::newRow("my reports") << QStringLiteral("/reports");
        QTest::newRow("my datasets") << QStringLiteral("/datasets");
        QTest::newRow("my dashboards") << QStringLiteral("/dashboards");
    }
    void servicePrincipalsAreRefusedWhereTheServiceRefusesThem() {
        QFETCH(QString, path);
        const WireReply r = f->get(console, path);
        QCOMPARE(r.status, 401);
        QVERIFY(r.json() == json({{"Message", "API is not accessible for application"}}));
    }

    void tenantSettingOffRefusesServicePrincipals() {
        Tenant t = makeDemoTenant();
        t.settings.servicePrincipalsCanUseApis = false;
        PowerBiTestTenant off(t);
        const WireReply r = off.get(off.appBearer(t.apps[0]), QStringLiteral("/groups"));
        QCOMPARE(r.status, 401);
        QVERIFY(r.json() == json({{"Message", "API is not accessible for application"}}));

        // Enabled for a security group only: members of the group pass, others do not.
        t.settings.servicePrincipalsCanUseApis = true;
        t.settings.servicePrincipalApiGroups = {t.groups[2].id}; // "Power BI Admin API Readers"
        PowerBiTestTenant scoped(t);
        QCOMPARE(scoped.get(scoped.appBearer(t.apps[0]), QStringLiteral("/groups")).status, 200);
        QCOMPARE(scoped.get(scoped.appBearer(t.apps[1]), QStringLiteral("/groups")).status, 401);
    }

    void securityGroupMembershipGrantsItsRole() {
        // A service principal added through a group sees the workspace with the group's role.
        Tenant t = makeDemoTenant();
        t.groups[0].memberIds.push_back(t.apps[1].servicePrincipalId); // ETL → "BI Developers"
        t.reindex();
        PowerBiTestTenant g(t);
        const QByteArray bearer = g.appBearer(t.apps[1]);
        const json v = g.get(bearer, QStringLiteral("/groups")).json()["value"];
        bool sawDev = false;
        for (const auto& w : v)
            sawDev = sawDev || str(w, "name") == "Sales [Dev]";
        QVERIFY(sawDev);
        // Contributor through the group: may read data sources.
        const Workspace& dev = g.workspace("Sales [Dev]");
        QCOMPARE(g.get(bearer, QStringLiteral("/groups/%1/datasets/%2/datasources")
                                   .arg(qs(dev.id), qs(dev.datasets[0].id)))
                     .status,
                 200);
    }

    void groupsFilterTopSkip() {
        const json all = f->get(console, QStringLiteral("/groups")).json()["value"];
        const json sales = f->get(console, QStringLiteral("/groups?$filter=contains(name,'sales')"))
                               .json()["value"];
        QVERIFY(sales.size() >= 3);
        for (const auto& g : sales)
            QVERIFY(qs(str(g, "name")).contains(QStringLiteral("Sales")));
        const json exact = f->get(console, QStringLiteral("/groups?$filter=name eq 'Sales [Prod]'"))
                               .json()["value"];
        QCOMPARE(exact.size(), std::size_t(1));
        const json dedicated =
            f->get(console,
                   QStringLiteral("/groups?$filter=isOnDedicatedCapacity eq false&$top=2&$skip=1"))
                .json()["value"];
        QCOMPARE(dedicated.size(), std::size_t(2));
        QVERIFY(!dedicated[0]["isOnDedicatedCapacity"].get<bool>());
        QVERIFY(all.size() > sales.size());
    }

    void badQueriesAre400_data() {
        QTest::addColumn<QString>("path");
        QTest::newRow("top not a number") << QStringLiteral("/groups?$top=abc");
        QTest::newRow("top negative") << QStringLiteral("/groups?$top=-1");
        QTest::newRow("top overflow") << QStringLiteral("/groups?$top=99999999999999999999");
        QTest::newRow("skip") << QStringLiteral("/groups?$skip=1.5");
        QTest::newRow("filter syntax") << QStringLiteral("/groups?$filter=name eq");
        QTest::newRow("filter function") << QStringLiteral("/groups?$filter=evil(name)");
        QTest::newRow("filter quote") << QStringLiteral("/groups?$filter=name eq 'x");
        QTest::newRow("filter deep") << QStringLiteral("/groups?$filter=") +
                                            QString(500, QLatin1Char('(')) +
                                            QStringLiteral("true") + QString(500, QLatin1Char(')'));
        QTest::newRow("filter not chain")
            << QStringLiteral("/groups?$filter=") + QStringLiteral("not ").repeated(300) +
                   QStringLiteral("true");
        QTest::newRow("refreshes top")
            << groupPath("Sales [Dev]", QStringLiteral("/datasets/x/refreshes?$top=x"));
        QTest::newRow("pipeline expand") << QStringLiteral("/pipelines/") +
                                                qs(f->tenant().pipelines[0].id) +
                                                QStringLiteral("?$expand=everything");
    }
    void badQueriesAre400() {
        QFETCH(QString, path);
        const WireReply r = f->get(console, path);
        QCOMPARE(r.status, 400);
        QCOMPARE(str(r.json()["error"], "code"), std::string("InvalidRequest"));
        QVERIFY(!str(r.json()["error"], "message").empty());
    }

    void capacitiesShowTheCallersRight() {
        const json v = f->get(console, QStringLiteral("/capacities")).json()["value"];
        QCOMPARE(v.size(), f->tenant().capacities.size());
        for (const auto& c : v) {
            const std::string sku = str(c, "sku");
            QCOMPARE(str(c, "capacityUserAccessRight"),
                     std::string(sku == "P1" ? "Assign" : "Admin"));
            QVERIFY(c["admins"].is_array());
            QCOMPARE(str(c, "state"), std::string("Active"));
        }
        // The ETL app has no capacity rights.
        QVERIFY(f->get(etl, QStringLiteral("/capacities")).json()["value"].empty());
    }

    void gatewaysForGatewayAdminsOnly() {
        const Gateway& gw = f->tenant().gateways.at(0);
        const json v = f->get(console, QStringLiteral("/gateways")).json()["value"];
        QCOMPARE(v.size(), std::size_t(1));
        QCOMPARE(str(v[0], "id"), gw.id);
        QVERIFY(v[0]["publicKey"].contains("modulus"));
        const json ds = f->get(console, QStringLiteral("/gateways/%1/datasources").arg(qs(gw.id)))
                            .json()["value"];
        QCOMPARE(ds.size(), gw.datasources.size());
        QVERIFY(ds[0]["connectionDetails"].is_string()); // a JSON string on the gateway side
        QVERIFY(f->get(etl, QStringLiteral("/gateways")).json()["value"].empty());
        QCOMPARE(f->get(etl, QStringLiteral("/gateways/") + qs(gw.id)).status, 404);
    }

    void pipelinesAndStages() {
        const Pipeline& p = f->tenant().pipelines.at(0); // Sales Deployment
        const json v = f->get(console, QStringLiteral("/pipelines")).json()["value"];
        QCOMPARE(v.size(), std::size_t(3)); // not the Finance one
        const json one =
            f->get(console, QStringLiteral("/pipelines/%1?$expand=stages").arg(qs(p.id))).json();
        QCOMPARE(one["stages"].size(), std::size_t(3));
        QCOMPARE(str(one["stages"][2], "workspaceName"), std::string("Sales [Prod]"));
        const json stages =
            f->get(console, QStringLiteral("/pipelines/%1/stages").arg(qs(p.id))).json()["value"];
        QCOMPARE(stages[0]["order"].get<int>(), 0);
        QCOMPARE(
            f->get(console, QStringLiteral("/pipelines/") + qs(f->tenant().pipelines[1].id)).status,
            404);
        const json users =
            f->get(console, QStringLiteral("/pipelines/%1/users").arg(qs(p.id))).json()["value"];
        QCOMPARE(users.size(), p.users.size());
    }

    void noTokenNoData() {
        const WireReply r =
            f->get(QByteArray(), groupPath("Sales [Dev]", QStringLiteral("/reports")));
        QCOMPARE(r.status, 403);
        QVERIFY(r.body.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPowerBi)
#include "tst_powerbi.moc"
