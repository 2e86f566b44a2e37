// The JSON mapping against golden payloads (shapes from the spec's examples) and broken ones.

#include "TestPrinters.h"
#include "api/JsonMapping.h"

#include <QTest>

namespace {
pbi::HttpResponse response(const QByteArray& body)
{
    pbi::HttpResponse r;
    r.status = 200;
    r.body = body;
    r.headers = {{"RequestId", "abcd-1234"}};
    r.url = QUrl(QStringLiteral("https://api.powerbi.com/v1.0/myorg/groups"));
    return r;
}
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
};

QTEST_GUILESS_MAIN(TestJsonMapping)
#include "tst_jsonmapping.moc"
