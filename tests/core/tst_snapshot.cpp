#include "TestPrinters.h"

#include "inventory/Snapshot.h"

#include <QTest>

using namespace pbi;

namespace {
InventorySnapshot sample()
{
    InventorySnapshot s;
    s.takenAt = QDateTime(QDate(2026, 11, 1), QTime(8, 0), Qt::UTC);
    s.connection = QStringLiteral("Contoso Prod");
    s.scope = QStringLiteral("member");
    Workspace w;
    w.id = QStringLiteral("w1");
    w.name = QStringLiteral("Sales, \"EMEA\"");
    w.capacityId = QStringLiteral("cap1");
    w.isOnDedicatedCapacity = true;
    Report r;
    r.id = QStringLiteral("r1");
    r.name = QStringLiteral("Pipeline");
    r.datasetId = QStringLiteral("d1");
    Dataset d;
    d.id = QStringLiteral("d1");
    d.name = QStringLiteral("Sales Model");
    d.isRefreshable = true;
    d.isEffectiveIdentityRequired = true;
    d.configuredBy = QStringLiteral("megan@contoso.com");
    Dashboard b;
    b.id = QStringLiteral("b1");
    b.displayName = QStringLiteral("Board");
    Dataflow f;
    f.id = QStringLiteral("f1");
    f.name = QStringLiteral("Flow");
    GroupUser u;
    u.identifier = QStringLiteral("megan@contoso.com");
    u.principalType = QStringLiteral("User");
    u.groupUserAccessRight = QStringLiteral("Admin");
    w.reports = {r};
    w.datasets = {d};
    w.dashboards = {b};
    w.dataflows = {f};
    w.users = {u};
    Workspace empty;
    empty.id = QStringLiteral("w2");
    empty.name = QStringLiteral("Empty");
    s.workspaces = {w, empty};
    return s;
}
} // namespace

class TestSnapshot : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip()
    {
        const InventorySnapshot a = sample();
        const QByteArray json = Snapshot::toJson(a);
        QVERIFY(json.contains("pbi-console-inventory/1"));
        auto b = Snapshot::fromJson(json);
        QVERIFY2(b.ok(), b.ok() ? "" : qPrintable(b.error().sentence));
        QCOMPARE(b.value().takenAt, a.takenAt);
        QCOMPARE(b.value().connection, a.connection);
        QCOMPARE(b.value().workspaces.size(), std::size_t(2));
        QCOMPARE(b.value().workspaces[0].datasets[0].configuredBy, a.workspaces[0].datasets[0].configuredBy);
        QVERIFY(b.value().workspaces[0].datasets[0].isEffectiveIdentityRequired);
        QVERIFY(Snapshot::diff(a, b.value()).empty());
    }

    void diffFindsAddedRemovedChangedAndMoved()
    {
        const InventorySnapshot a = sample();
        InventorySnapshot b = sample();
        b.workspaces[0].reports[0].name = QStringLiteral("Pipeline v2");           // renamed
        b.workspaces[0].users[0].groupUserAccessRight = QStringLiteral("Viewer");  // role changed
        b.workspaces[1].dataflows = b.workspaces[0].dataflows;                    // moved
        b.workspaces[0].dataflows.clear();
        b.workspaces[0].dashboards.clear();                                       // removed
        Dashboard added;
        added.id = QStringLiteral("b2");
        added.displayName = QStringLiteral("New board");
        b.workspaces[1].dashboards = {added};                                     // added
        const auto changes = Snapshot::diff(a, b);
        auto find = [&](const QString& id) -> const InventoryChange* {
            for (const auto& c : changes)
                if (c.id == id)
                    return &c;
            return nullptr;
        };
        QCOMPARE(changes.size(), std::size_t(5));
        QCOMPARE(find(QStringLiteral("r1"))->kind, InventoryChange::Kind::Changed);
        QVERIFY(find(QStringLiteral("r1"))->details.contains(QStringLiteral("name: Pipeline → Pipeline v2")));
        QVERIFY(find(QStringLiteral("w1/megan@contoso.com"))->details.contains(QStringLiteral("role: Admin → Viewer")));
        QVERIFY(find(QStringLiteral("f1"))->details.contains(QStringLiteral("workspace: w1 → w2")));
        QCOMPARE(find(QStringLiteral("b1"))->kind, InventoryChange::Kind::Removed);
        QCOMPARE(find(QStringLiteral("b2"))->kind, InventoryChange::Kind::Added);
        QCOMPARE(find(QStringLiteral("b2"))->workspace, QStringLiteral("Empty"));
    }

    void brokenFiles_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("why");
        QTest::newRow("not json") << QByteArray("{") << "not JSON";
        QTest::newRow("other format") << QByteArray(R"({"format":"x"})") << "format";
        QTest::newRow("bad date") << QByteArray(R"({"format":"pbi-console-inventory/1","takenAt":"yesterday"})") << "takenAt";
        QTest::newRow("workspace without id") << QByteArray(R"({"format":"pbi-console-inventory/1","takenAt":"2026-11-01T08:00:00Z","workspaces":[{"name":"x"}]})") << "$.workspaces[0].id is missing";
        QTest::newRow("reports not a list") << QByteArray(R"({"format":"pbi-console-inventory/1","takenAt":"2026-11-01T08:00:00Z","workspaces":[{"id":"a","reports":{}}]})") << "reports is not a list";
    }
    void brokenFiles()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, why);
        auto r = Snapshot::fromJson(file);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::Parse);
        QVERIFY2(r.error().sentence.contains(why), qPrintable(r.error().sentence));
    }

    void csvQuotesWhatNeedsIt()
    {
        const QByteArray csv = Snapshot::toCsv(sample());
        const QList<QByteArray> lines = csv.split('\n');
        QCOMPARE(lines[0], QByteArray("kind,workspace,name,id,details\r"));
        QVERIFY(csv.contains("workspace,\"Sales, \"\"EMEA\"\"\",\"Sales, \"\"EMEA\"\"\",w1,"));
        QVERIFY(csv.contains("semantic model,\"Sales, \"\"EMEA\"\"\",Sales Model,d1,"));
        QCOMPARE(csv.count("\r\n"), 1 + 2 + 5); // header, two workspaces, five items
    }
};

QTEST_GUILESS_MAIN(TestSnapshot)
#include "tst_snapshot.moc"
