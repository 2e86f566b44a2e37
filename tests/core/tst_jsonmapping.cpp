// The JSON mapping against golden payloads (shapes from the spec's examples) and broken ones.

#include "TestPrinters.h"
#include "api/JsonMapping.h"

#include <QFile>
#include <QTest>

namespace {
/// A golden payload from tests/data/api/ (the spec's example response of that operation).
pbi::HttpResponse fixture(const QString& operation)
{
    QFile f(QFINDTESTDATA(QStringLiteral("data/api/") + operation + QStringLiteral(".json")));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(operation));
    pbi::HttpResponse r;
    r.status = 200;
    r.body = f.readAll();
    r.headers = {{"RequestId", "abcd-1234"}};
    r.url = QUrl(QStringLiteral("https://api.powerbi.com/v1.0/myorg/x"));
    return r;
}

pbi::HttpResponse response(const QByteArray& body)
{
    pbi::HttpResponse r;
    r.status = 200;
    r.body = body;
    r.headers = {{"RequestId", "abcd-1234"}};
    r.url = QUrl(QStringLiteral("https://api.powerbi.com/v1.0/myorg/groups"));
    return r;
}
// One line, and no single quotes: moc misreads multi-line raw strings holding "//" or quotes.
const QByteArray kActivityPage = R"({"activityEventEntities":[ {"Id":"41ce06d1-d81b-4ea0-bc6d-2ce3dd2f8e87","RecordType":20,"CreationTime":"2019-08-13T07:55:15", "Operation":"ViewReport","OrganizationId":"e43e3248-3d83-44aa-a94d-c836bd7f9b79","UserType":0, "UserKey":"779438769","Workload":"PowerBI","UserId":"john@contoso.com","ClientIP":"127.0.0.1", "Activity":"ViewReport","ItemName":"Sales","WorkSpaceName":"Sales [Prod]","WorkspaceId":"w1", "ArtifactName":"Sales Overview","ArtifactKind":"Report","IsSuccess":true}], "continuationUri":"https://api.powerbi.com/v1.0/myorg/admin/activityevents?continuationToken=%27%2BRID%3A244SAKlHY7YQAAAAAAAAAA%3D%3D%27", "continuationToken":"%2BRID%3A244SAKlHY7YQAAAAAAAAAA%3D%3D","lastResultSet":false})";

} // namespace

class TestJsonMapping : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void workspacesFromTheSpecExample()
    {
        // Groups_GetGroups example response in powerbi-rest-swagger.json.
        const QByteArray body = R"({"@odata.context":"http://wabi-us-east2-b-primary-redirect.analysis.windows.net/v1.0/myorg/$metadata#groups","value":[{"id":"f089354e-8366-4e18-aea3-4cb4a3a50b48","isReadOnly":false,"isOnDedicatedCapacity":false,"name":"sample group"},{"id":"3d9b93c6-7b6d-4801-a491-1738910904fd","isReadOnly":false,"isOnDedicatedCapacity":true,"capacityId":"0f084df7-c13d-451b-af5f-ed0c466403b2","defaultDatasetStorageFormat":"Large","name":"marketing group","dataflowStorageId":"d692ae06-708c-485e-9987-06ff0fbdbb1f"}]})";
        auto r = pbi::mapping::parseWorkspaces(response(body));
        QVERIFY(r.ok());
        QCOMPARE(r.value().size(), std::size_t(2));
        const auto& w = r.value()[1];
        QCOMPARE(w.name, QStringLiteral("marketing group"));
        QVERIFY(w.isOnDedicatedCapacity);
        QCOMPARE(w.capacityId.value(), QStringLiteral("0f084df7-c13d-451b-af5f-ed0c466403b2"));
        QCOMPARE(w.defaultDatasetStorageFormat.value(), QStringLiteral("Large"));
        QVERIFY(!r.value()[0].capacityId);
        QVERIFY(!r.value()[0].type);
    }

    void adminFieldsAndUnknownFields()
    {
        const QByteArray body = R"({"value":[{"id":"a","name":"n","type":"Workspace","state":"Deleted","description":"d","capacityMigrationStatus":"Migrated","users":[]}]})";
        auto r = pbi::mapping::parseWorkspaces(response(body));
        QVERIFY(r.ok());
        QCOMPARE(r.value()[0].state.value(), QStringLiteral("Deleted"));
        QCOMPARE(r.value()[0].type.value(), QStringLiteral("Workspace"));
    }

    void broken_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("what");
        QTest::newRow("not json") << QByteArray("{\"value\":[") << "not valid JSON";
        QTest::newRow("array body") << QByteArray("[]") << "not a JSON object";
        QTest::newRow("no value") << QByteArray(R"({"@odata.context":"x"})") << "'$.value'";
        QTest::newRow("value not array") << QByteArray(R"({"value":{}})") << "'$.value' is not an array";
        QTest::newRow("missing id") << QByteArray(R"({"value":[{"id":"a"},{"name":"b"}]})") << "'value[1].id' is missing";
        QTest::newRow("id not string") << QByteArray(R"({"value":[{"id":7}]})") << "'value[0].id' is not a string";
        QTest::newRow("bool mistyped") << QByteArray(R"({"value":[{"id":"a","isReadOnly":"no"}]})") << "'value[0].isReadOnly' is not a boolean";
        QTest::newRow("item not object") << QByteArray(R"({"value":[1]})") << "'value[0]' is not an object";
        QTest::newRow("empty") << QByteArray() << "not valid JSON";
    }
    void broken()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, what);
        auto r = pbi::mapping::parseWorkspaces(response(body));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, pbi::ErrorKind::Parse);
        QVERIFY2(r.error().sentence.contains(what), qPrintable(r.error().sentence));
        QCOMPARE(r.error().requestId, QStringLiteral("abcd-1234"));
    }

    void groupUsersFixture()
    {
        auto r = pbi::mapping::parseCollection<pbi::GroupUser>(fixture(QStringLiteral("Groups_GetGroupUsers")));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().sentence));
        QCOMPARE(r.value().size(), std::size_t(3));
        QCOMPARE(r.value()[0].identifier, QStringLiteral("john@contoso.com"));
        QCOMPARE(r.value()[0].groupUserAccessRight, QStringLiteral("Admin"));
        QCOMPARE(r.value()[2].principalType, QStringLiteral("App"));
        QVERIFY(!r.value()[2].emailAddress);
    }

    void reportsFixture()
    {
        auto r = pbi::mapping::parseCollection<pbi::Report>(fixture(QStringLiteral("Reports_GetReportsInGroup")));
        QVERIFY(r.ok());
        const pbi::Report& report = r.value().at(0);
        QCOMPARE(report.id, QStringLiteral("5b218778-e7a5-4d73-8187-f10824047715"));
        QCOMPARE(report.name, QStringLiteral("SalesMarketing"));
        QCOMPARE(report.datasetId.value(), QStringLiteral("cfafbeb1-8037-4d0c-896e-a46fb27ff229"));
        QVERIFY(report.embedUrl->startsWith(QStringLiteral("https://app.powerbi.com/reportEmbed")));
        QVERIFY(!report.workspaceId);
        auto admin = pbi::mapping::parseCollection<pbi::Report>(fixture(QStringLiteral("Reports_GetReportsAsAdmin")));
        QVERIFY(admin.ok());
        QVERIFY(admin.value().at(0).workspaceId.has_value());
    }

    void datasetsFixture()
    {
        auto r = pbi::mapping::parseCollection<pbi::Dataset>(fixture(QStringLiteral("Datasets_GetDatasetsInGroup")));
        QVERIFY(r.ok());
        const pbi::Dataset& d = r.value().at(0);
        QCOMPARE(d.id, QStringLiteral("cfafbeb1-8037-4d0c-896e-a46fb27ff229"));
        QCOMPARE(d.configuredBy.value(), QStringLiteral("john@contoso.com"));
        QVERIFY(d.isRefreshable);
        QVERIFY(!d.isEffectiveIdentityRequired);
        QVERIFY(!d.isOnPremGatewayRequired);
        QVERIFY(!d.targetStorageMode);
        // With Read permission only, the service sends just id and name (spec example).
        auto limited = pbi::mapping::parseCollection<pbi::Dataset>(response(
            R"({"value":[{"id":"cfafbeb1-8037-4d0c-896e-a46fb27ff229","name":"SalesMarketing"}]})"));
        QVERIFY(limited.ok());
        QVERIFY(!limited.value()[0].isRefreshable);
        QVERIFY(!limited.value()[0].configuredBy);
    }

    void dashboardsAndTilesFixtures()
    {
        auto d = pbi::mapping::parseCollection<pbi::Dashboard>(fixture(QStringLiteral("Dashboards_GetDashboardsInGroup")));
        QVERIFY(d.ok());
        QCOMPARE(d.value().at(0).displayName, QStringLiteral("SalesMarketing"));
        auto t = pbi::mapping::parseCollection<pbi::Tile>(fixture(QStringLiteral("Dashboards_GetTilesInGroup")));
        QVERIFY(t.ok());
        QCOMPARE(t.value().at(0).title.value(), QStringLiteral("SalesMarketingTile"));
        QCOMPARE(t.value().at(0).rowSpan.value(), 0);
        QCOMPARE(t.value().at(0).reportId.value(), QStringLiteral("5b218778-e7a5-4d73-8187-f10824047715"));
    }

    void dataflowsUseObjectId()
    {
        auto r = pbi::mapping::parseCollection<pbi::Dataflow>(fixture(QStringLiteral("Dataflows_GetDataflows")));
        QVERIFY(r.ok());
        QCOMPARE(r.value().at(0).id, QStringLiteral("bd32e5c0-363f-430b-a03b-5535a4804b9b"));
        QCOMPARE(r.value().at(0).name, QStringLiteral("AdventureWorks"));
        auto bad = pbi::mapping::parseCollection<pbi::Dataflow>(response(R"({"value":[{"id":"x","name":"n"}]})"));
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().sentence.contains(QStringLiteral("'value[0].objectId' is missing")));
    }

    void dataflowTransactionsFixture()
    {
        auto r = pbi::mapping::parseCollection<pbi::DataflowTransaction>(
            fixture(QStringLiteral("Dataflows_GetDataflowTransactions")));
        QVERIFY(r.ok());
        QCOMPARE(r.value().size(), std::size_t(4));
        const pbi::DataflowTransaction& running = r.value().at(0);
        QCOMPARE(running.id, QStringLiteral("2020-08-28T04:02:11.1930000Z@3f1e7a52-9d0c-4b6e-8a21-5c7d9e0f1a2b$4"));
        QCOMPARE(running.status.value(), QStringLiteral("InProgress"));
        QVERIFY(!running.endTime);
        const pbi::DataflowTransaction& failed = r.value().at(1);
        QCOMPARE(failed.refreshType.value(), QStringLiteral("Scheduled"));
        // Seven fractional digits, as the service writes them, read to the millisecond.
        QCOMPARE(failed.startTime.value(), QDateTime(QDate(2020, 8, 27), QTime(16, 7, 47, 248), Qt::UTC));
        QCOMPARE(failed.endTime.value(), QDateTime(QDate(2020, 8, 27), QTime(16, 8, 31, 500), Qt::UTC));
        // The spec's own example: an id and nothing else is a valid transaction.
        const pbi::DataflowTransaction& bare = r.value().at(3);
        QVERIFY(!bare.startTime && !bare.endTime && !bare.status);
        QCOMPARE(bare.refreshType.value(), QStringLiteral("OnDemand"));

        auto c = pbi::mapping::parseObject<pbi::DataflowCancelResult>(
            fixture(QStringLiteral("Dataflows_CancelDataflowTransaction")));
        QVERIFY(c.ok());
        QCOMPARE(c.value().status, QStringLiteral("SuccessfullyMarked"));
        QVERIFY(c.value().transactionId.endsWith(QStringLiteral("$1374282")));
    }

    void brokenDataflowTransactions_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("problem");
        QTest::newRow("no id") << QByteArray(R"({"value":[{"status":"Success"}]})")
                               << QStringLiteral("'value[0].id' is missing");
        QTest::newRow("id a number") << QByteArray(R"({"value":[{"id":12}]})")
                                     << QStringLiteral("'value[0].id' is not a string");
        QTest::newRow("status an object") << QByteArray(R"({"value":[{"id":"a","status":{"x":1}}]})")
                                          << QStringLiteral("'value[0].status' is not a string");
        QTest::newRow("bad start time") << QByteArray(R"({"value":[{"id":"a","startTime":"yesterday"}]})")
                                        << QStringLiteral("'value[0].startTime' is not a date-time");
        QTest::newRow("value not an array") << QByteArray(R"({"value":{"id":"a"}})")
                                            << QStringLiteral("'$.value' is not an array");
        QTest::newRow("not JSON") << QByteArray(R"({"value":[)") << QStringLiteral("not valid JSON");
    }
    void brokenDataflowTransactions()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, problem);
        auto r = pbi::mapping::parseCollection<pbi::DataflowTransaction>(response(body));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, pbi::ErrorKind::Parse);
        QCOMPARE(r.error().requestId, QStringLiteral("abcd-1234"));
        QVERIFY2(r.error().sentence.contains(problem), qPrintable(r.error().sentence));
        // A cancel answer without its status is as unreadable.
        QVERIFY(!pbi::mapping::parseObject<pbi::DataflowCancelResult>(response(R"({"transactionId":"a"})")).ok());
    }

    void dataflowRefreshBody()
    {
        pbi::DataflowRefreshRequest r;
        r.notifyOption = QStringLiteral("NoNotification");
        r.processType = QStringLiteral("processFull"); // a query option, not in the body
        QCOMPARE(pbi::mapping::toBody(r), QByteArray(R"({"notifyOption":"NoNotification"})"));
    }

    void datasourcesAndParametersFixtures()
    {
        auto s = pbi::mapping::parseCollection<pbi::Datasource>(fixture(QStringLiteral("Datasets_GetDatasourcesInGroup")));
        QVERIFY(s.ok());
        QCOMPARE(s.value().at(0).datasourceType.value(), QStringLiteral("Sql"));
        QCOMPARE(s.value().at(0).connectionDetails.server.value(), QStringLiteral("My-As-Server"));
        QCOMPARE(s.value().at(0).connectionDetails.database.value(), QStringLiteral("My-As-Database"));
        QVERIFY(s.value().at(0).gatewayId.has_value());
        auto p = pbi::mapping::parseCollection<pbi::MashupParameter>(fixture(QStringLiteral("Datasets_GetParametersInGroup")));
        QVERIFY(p.ok());
        QCOMPARE(p.value().at(0).name, QStringLiteral("ServerName"));
        QVERIFY(p.value().at(0).isRequired);
        QCOMPARE(p.value().at(0).currentValue.value(), QStringLiteral("MyTest.database.windows.net"));
    }

    void refreshHistoryKeepsRequestId()
    {
        auto r = pbi::mapping::parseCollection<pbi::Refresh>(fixture(QStringLiteral("Datasets_GetRefreshHistoryInGroup")));
        QVERIFY(r.ok());
        const pbi::Refresh& f = r.value().at(0);
        QCOMPARE(f.requestId.value(), QStringLiteral("11bf290a-346b-48b7-8973-c5df149337ff"));
        QCOMPARE(f.status, QStringLiteral("Failed"));
        QCOMPARE(f.startTime.value(), QDateTime(QDate(2017, 6, 13), QTime(9, 25, 43, 153), Qt::UTC));
        QVERIFY(f.serviceExceptionJson->contains(QStringLiteral("ModelRefreshFailed_CredentialsNotSpecified")));
        QCOMPARE(f.refreshAttempts.size(), std::size_t(1));
        QCOMPARE(f.refreshAttempts[0].type.value(), QStringLiteral("Data"));
        // In progress: no endTime, status Unknown.
        auto running = pbi::mapping::parseCollection<pbi::Refresh>(response(
            R"({"value":[{"refreshType":"ViaApi","startTime":"2017-06-13T09:25:43.153Z","status":"Unknown","requestId":"9399bb89-25d1-44f8-8576-136d7e9014b1"}]})"));
        QVERIFY(running.ok());
        QVERIFY(!running.value()[0].endTime);
        QCOMPARE(running.value()[0].status, QStringLiteral("Unknown"));
    }

    void dateForms_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QDateTime>("expected"); // invalid: a parse error
        const QDateTime base(QDate(2021, 12, 10), QTime(8, 40, 31, 570), Qt::UTC);
        QTest::newRow("Z, 3 digits") << "2021-12-10T08:40:31.570Z" << base;
        QTest::newRow("7 digits") << "2021-12-10T08:40:31.5700000Z" << base;
        QTest::newRow("no zone means UTC") << "2021-12-10T08:40:31.57" << base;
        QTest::newRow("offset") << "2021-12-10T10:40:31.57+02:00" << base;
        QTest::newRow("no fraction") << "2021-12-10T08:40:31Z" << QDateTime(QDate(2021, 12, 10), QTime(8, 40, 31), Qt::UTC);
        QTest::newRow("garbage") << "yesterday" << QDateTime();
        QTest::newRow("bad month") << "2021-13-10T08:40:31Z" << QDateTime();
    }
    void dateForms()
    {
        QFETCH(QString, text);
        QFETCH(QDateTime, expected);
        const QByteArray body = "{\"value\":[{\"requestId\":\"r\",\"startTime\":\"" + text.toUtf8() + "\"}]}";
        auto r = pbi::mapping::parseCollection<pbi::Refresh>(response(body));
        if (!expected.isValid()) {
            QVERIFY(!r.ok());
            QVERIFY2(r.error().sentence.contains(QStringLiteral("'value[0].startTime' is not a date-time")), qPrintable(r.error().sentence));
            return;
        }
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().sentence));
        QCOMPARE(r.value()[0].startTime.value(), expected);
    }

    void refreshScheduleFixture()
    {
        auto r = pbi::mapping::parseObject<pbi::RefreshSchedule>(fixture(QStringLiteral("Datasets_GetRefreshScheduleInGroup")));
        QVERIFY(r.ok());
        QCOMPARE(r.value().days, (QStringList{QStringLiteral("Sunday"), QStringLiteral("Friday"), QStringLiteral("Saturday")}));
        QCOMPARE(r.value().times.size(), 4);
        QVERIFY(r.value().enabled);
        QCOMPARE(r.value().localTimeZoneId.value(), QStringLiteral("UTC"));
        auto bad = pbi::mapping::parseObject<pbi::RefreshSchedule>(response(R"({"days":"Monday"})"));
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().sentence.contains(QStringLiteral("'$.days' is not an array")));
    }

    void tenantResourcesFixtures()
    {
        auto c = pbi::mapping::parseCollection<pbi::Capacity>(fixture(QStringLiteral("Capacities_GetCapacities")));
        QVERIFY(c.ok());
        QCOMPARE(c.value().at(0).sku, QStringLiteral("A1"));
        QCOMPARE(c.value().at(0).admins, QStringList{QStringLiteral("john@contoso.com")});
        QCOMPARE(c.value().at(0).capacityUserAccessRight, QStringLiteral("Admin"));
        auto g = pbi::mapping::parseCollection<pbi::Gateway>(fixture(QStringLiteral("Gateways_GetGateways")));
        QVERIFY(g.ok());
        QCOMPARE(g.value().at(0).publicKeyExponent.value(), QStringLiteral("AQAB"));
        auto a = pbi::mapping::parseCollection<pbi::App>(fixture(QStringLiteral("Apps_GetApps")));
        QVERIFY(a.ok());
        QCOMPARE(a.value().at(0).lastUpdate.value(), QDateTime(QDate(2019, 1, 13), QTime(7, 46, 53, 94), Qt::UTC));
        auto p = pbi::mapping::parseCollection<pbi::Pipeline>(fixture(QStringLiteral("Pipelines_GetPipelines")));
        QVERIFY(p.ok());
        QCOMPARE(p.value().at(0).displayName, QStringLiteral("Marketing Deployment Pipeline"));
        auto s = pbi::mapping::parseCollection<pbi::PipelineStage>(fixture(QStringLiteral("Pipelines_GetPipelineStages")));
        QVERIFY(s.ok());
        QCOMPARE(s.value().size(), std::size_t(3));
        QCOMPARE(s.value()[2].order, 2);
    }

    void adminGroupsWithExpansions()
    {
        auto r = pbi::mapping::parseCollection<pbi::Workspace>(fixture(QStringLiteral("Groups_GetGroupsAsAdmin")));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().sentence));
        QCOMPARE(r.value().size(), std::size_t(2));
        QCOMPARE(r.value()[0].users.size(), std::size_t(1));
        QCOMPARE(r.value()[0].users[0].identifier, QStringLiteral("john@contoso.com"));
        QCOMPARE(r.value()[0].hasWorkspaceLevelSettings.value(), false);
        QCOMPARE(r.value()[1].state.value(), QStringLiteral("Deleted"));
        const QByteArray expanded = R"({"value":[{"id":"w","name":"n","reports":[{"id":"r1","name":"R"}],"datasets":[{"id":"d1","name":"D"}],"dashboards":[{"id":"b1","displayName":"B","tiles":[{"id":"t"}]}],"dataflows":[{"objectId":"f1","name":"F"}],"workbooks":[{"name":"wb","datasetId":"d1"}]}]})";
        auto e = pbi::mapping::parseCollection<pbi::Workspace>(response(expanded));
        QVERIFY(e.ok());
        const pbi::Workspace& w = e.value()[0];
        QCOMPARE(w.reports.at(0).id, QStringLiteral("r1"));
        QCOMPARE(w.datasets.at(0).id, QStringLiteral("d1"));
        QCOMPARE(w.dashboards.at(0).tiles.size(), std::size_t(1));
        QCOMPARE(w.dataflows.at(0).id, QStringLiteral("f1"));
        QCOMPARE(w.workbooks.at(0).datasetId.value(), QStringLiteral("d1"));
    }

    void brokenNestedFields_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("what");
        QTest::newRow("nested report id") << QByteArray(R"({"value":[{"id":"w","reports":[{"name":"x"}]}]})") << "'value[0].reports[0].id' is missing";
        QTest::newRow("expansion not array") << QByteArray(R"({"value":[{"id":"w","users":{}}]})") << "'value[0].users' is not an array";
        QTest::newRow("user without identifier") << QByteArray(R"({"value":[{"id":"w","users":[{"groupUserAccessRight":"Admin"}]}]})") << "'value[0].users[0].identifier' is missing";
        QTest::newRow("user without right") << QByteArray(R"({"value":[{"id":"w","users":[{"identifier":"a"}]}]})") << "'value[0].users[0].groupUserAccessRight' is missing";
        QTest::newRow("tile span not int") << QByteArray(R"({"value":[{"id":"w","dashboards":[{"id":"b","tiles":[{"id":"t","rowSpan":"2"}]}]}]})") << "'value[0].dashboards[0].tiles[0].rowSpan' is not an integer";
        QTest::newRow("hasWorkspaceLevelSettings string") << QByteArray(R"({"value":[{"id":"w","hasWorkspaceLevelSettings":"no"}]})") << "'value[0].hasWorkspaceLevelSettings' is not a boolean";
    }
    void brokenNestedFields()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, what);
        auto r = pbi::mapping::parseCollection<pbi::Workspace>(response(body));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, pbi::ErrorKind::Parse);
        QVERIFY2(r.error().sentence.contains(what), qPrintable(r.error().sentence));
        QCOMPARE(r.error().requestId, QStringLiteral("abcd-1234"));
    }

    void brokenItems_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("what");
        QTest::newRow("parameter without type") << "parameter" << QByteArray(R"({"value":[{"name":"a","isRequired":true}]})") << "'value[0].type' is missing";
        QTest::newRow("parameter isRequired string") << "parameter" << QByteArray(R"({"value":[{"name":"a","type":"Text","isRequired":"yes"}]})") << "'value[0].isRequired' is not a boolean";
        QTest::newRow("suggested values mixed") << "parameter" << QByteArray(R"({"value":[{"name":"a","type":"Text","isRequired":true,"suggestedValues":["x",1]}]})") << "'value[0].suggestedValues[1]' is not a string";
        QTest::newRow("capacity without state") << "capacity" << QByteArray(R"({"value":[{"id":"c","capacityUserAccessRight":"Admin"}]})") << "'value[0].state' is missing";
        QTest::newRow("capacity admins not array") << "capacity" << QByteArray(R"({"value":[{"id":"c","state":"Active","capacityUserAccessRight":"Admin","admins":"a"}]})") << "'value[0].admins' is not an array";
        QTest::newRow("stage without order") << "stage" << QByteArray(R"({"value":[{"workspaceId":"w"}]})") << "'value[0].order' is missing";
        QTest::newRow("stage order huge") << "stage" << QByteArray(R"({"value":[{"order":99999999999}]})") << "'value[0].order' is not an integer";
        QTest::newRow("datasource details string") << "datasource" << QByteArray(R"({"value":[{"connectionDetails":"{}"}]})") << "'value[0].connectionDetails' is not an object";
        QTest::newRow("refresh attempt id string") << "refresh" << QByteArray(R"({"value":[{"refreshAttempts":[{"attemptId":"1"}]}]})") << "'value[0].refreshAttempts[0].attemptId' is not an integer";
        QTest::newRow("dataset upstream missing group") << "dataset" << QByteArray(R"({"value":[{"id":"d","upstreamDataflows":[{"targetDataflowId":"f"}]}]})") << "'value[0].upstreamDataflows[0].groupId' is missing";
    }
    void brokenItems()
    {
        QFETCH(QString, type);
        QFETCH(QByteArray, body);
        QFETCH(QString, what);
        const pbi::HttpResponse r = response(body);
        std::optional<pbi::Error> error;
        auto check = [&](const auto& result) {
            if (!result.ok())
                error = result.error();
        };
        if (type == QLatin1String("parameter"))
            check(pbi::mapping::parseCollection<pbi::MashupParameter>(r));
        else if (type == QLatin1String("capacity"))
            check(pbi::mapping::parseCollection<pbi::Capacity>(r));
        else if (type == QLatin1String("stage"))
            check(pbi::mapping::parseCollection<pbi::PipelineStage>(r));
        else if (type == QLatin1String("datasource"))
            check(pbi::mapping::parseCollection<pbi::Datasource>(r));
        else if (type == QLatin1String("refresh"))
            check(pbi::mapping::parseCollection<pbi::Refresh>(r));
        else if (type == QLatin1String("dataset"))
            check(pbi::mapping::parseCollection<pbi::Dataset>(r));
        QVERIFY(error.has_value());
        QCOMPARE(error->kind, pbi::ErrorKind::Parse);
        QVERIFY2(error->sentence.contains(what), qPrintable(error->sentence));
        QCOMPARE(error->requestId, QStringLiteral("abcd-1234"));
    }

    void adminScannerShapes()
    {
        const auto ids = pbi::mapping::parseModifiedWorkspaces(response(R"([{"id":"a"},{"id":"b"}])"));
        QVERIFY(ids);
        QCOMPARE(ids.value(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QVERIFY(!pbi::mapping::parseModifiedWorkspaces(response(R"({"value":[]})")));
        QVERIFY(!pbi::mapping::parseModifiedWorkspaces(response(R"([{"name":"no id"}])")));

        const auto scan = pbi::mapping::parseScanRequest(response(
            R"({"id":"e7d03602-4873-4760-b37e-1563ef5358e3","createdDateTime":"2020-06-15T16:46:28.0487687Z","status":"NotStarted"})"));
        QVERIFY(scan);
        QCOMPARE(scan.value().status, QStringLiteral("NotStarted"));
        QCOMPARE(scan.value().createdDateTime->time().msec(), 48);
        const auto failedScan = pbi::mapping::parseScanRequest(
            response(R"({"id":"x","status":"Failed","error":{"code":"ScanTimedOut","message":"took too long"}})"));
        QVERIFY(failedScan);
        QCOMPARE(failedScan.value().errorCode.value(), QStringLiteral("ScanTimedOut"));

        const auto result = pbi::mapping::parseScanResult(response(R"({"workspaces":[
            {"id":"w1","name":"Sales","type":"Workspace","state":"Active","isOnDedicatedCapacity":true,
             "reports":[{"id":"r1","name":"Overview","datasetId":"d1"}],
             "datasets":[{"id":"d1","name":"Sales","tables":[
                 {"name":"Orders","isHidden":false,"columns":[{"name":"a"},{"name":"b"}],"measures":[{"name":"m"}]},
                 {"name":"Date","isHidden":true}]}],
             "users":[{"identifier":"megan@contoso.com","principalType":"User","groupUserAccessRight":"Admin"}]}],
            "datasourceInstances":[{"datasourceType":"Sql"}],"misconfiguredDatasourceInstances":[]})"));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().details()));
        QCOMPARE(result.value().workspaces.size(), std::size_t(1));
        QCOMPARE(result.value().workspaces[0].reports.size(), std::size_t(1));
        QCOMPARE(result.value().tables.size(), std::size_t(2));
        QCOMPARE(result.value().tables[0].datasetId, QStringLiteral("d1"));
        QCOMPARE(result.value().tables[0].columnCount, 2);
        QCOMPARE(result.value().tables[0].measureCount, 1);
        QVERIFY(result.value().tables[1].isHidden);
        QCOMPARE(result.value().datasourceInstanceCount, 1);
        const auto bad = pbi::mapping::parseScanResult(response(R"({"workspaces":[{"id":"w","name":"x","datasets":[{"id":"d","tables":[{"isHidden":true}]}]}]})"));
        QVERIFY(!bad);
        QVERIFY2(bad.error().sentence.contains(QStringLiteral("tables[0]")), qPrintable(bad.error().sentence));
    }

    void activityPages()
    {
        const auto page = pbi::mapping::parseActivityPage(response(kActivityPage));
        QVERIFY2(page, qPrintable(page ? QString() : page.error().details()));
        const pbi::ActivityEvent& e = page.value().events.at(0);
        QCOMPARE(e.activity, QStringLiteral("ViewReport"));
        QCOMPARE(e.userId, QStringLiteral("john@contoso.com"));
        QCOMPARE(e.userType, QStringLiteral("0"));
        QCOMPARE(e.workspaceName, QStringLiteral("Sales [Prod]"));
        QCOMPARE(e.itemName, QStringLiteral("Sales Overview"));
        QCOMPARE(e.itemKind, QStringLiteral("Report"));
        QCOMPARE(e.isSuccess.value(), true);
        QCOMPARE(e.creationTime->timeSpec(), Qt::UTC);
        QCOMPARE(e.other.value(QStringLiteral("ClientIP")).toString(), QStringLiteral("127.0.0.1"));
        QCOMPARE(e.other.value(QStringLiteral("RecordType")).toLongLong(), 20);
        QCOMPARE(page.value().continuationToken, QStringLiteral("%2BRID%3A244SAKlHY7YQAAAAAAAAAA%3D%3D"));
        QCOMPARE(page.value().lastResultSet.value(), false);

        const auto last = pbi::mapping::parseActivityPage(
            response(R"({"activityEventEntities":[],"continuationUri":null,"continuationToken":null,"lastResultSet":true})"));
        QVERIFY(last);
        QVERIFY(last.value().continuationToken.isEmpty());
        QVERIFY(!pbi::mapping::parseActivityPage(response(R"({"continuationToken":"x"})")));
        QVERIFY(!pbi::mapping::parseActivityPage(response(R"({"activityEventEntities":[{"Activity":"no id"}]})")));
    }
};

QTEST_GUILESS_MAIN(TestJsonMapping)
#include "tst_jsonmapping.moc"
