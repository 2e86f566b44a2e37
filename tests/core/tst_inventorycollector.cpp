#include "SandboxFixture.h"
#include "WireClient.h"

#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"
#include "inventory/InventoryCollector.h"

#include <QSignalSpy>
#include <QTest>

using namespace pbi;

class TestInventoryCollector : public QObject {
    Q_OBJECT

    std::unique_ptr<SandboxFixture> f;
    std::unique_ptr<ClientSecretCredential> cred;
    std::unique_ptr<PowerBiClient> client;

private Q_SLOTS:
    void init()
    {
        f = std::make_unique<SandboxFixture>();
        std::tie(cred, client) = f->servicePrincipal();
    }
    void cleanup()
    {
        client.reset();
        cred.reset();
        f.reset();
    }

    void collectsEveryWorkspaceWithItsItems()
    {
        InventoryCollector collector(client.get(), &f->clock);
        collector.setConnectionName(QStringLiteral("Sandbox"));
        QSignalSpy done(&collector, &InventoryCollector::finished);
        QSignalSpy progress(&collector, &InventoryCollector::progress);
        collector.start();
        QVERIFY(done.wait(30000));
        const auto& snap = collector.snapshot();
        QCOMPARE(snap.workspaces.size(), std::size_t(22));
        QCOMPARE(progress.last().at(0).toInt(), 22);
        QCOMPARE(snap.connection, QStringLiteral("Sandbox"));
        // Every workspace has its members (the service principal at least), and the counts
        // are the service's.
        int reports = 0;
        for (const auto& w : snap.workspaces) {
            QVERIFY2(!w.users.empty(), qPrintable(w.name));
            reports += int(w.reports.size());
        }
        QVERIFY(reports > 0);
        // 1 token + 1 workspace list + 5 per workspace.
        QCOMPARE(f->log.entries().size(), std::size_t(2 + 5 * 22));
    }

    void stopsAtTheFirstFailure()
    {
        // Every dataflow list fails, even after the transport's retries.
        QCOMPARE(wireSend("POST", f->url(QStringLiteral("/sandbox/control/faults")),
                          {qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))},
                          R"({"faults":[{"kind":"500","path":"/dataflows$"}]})").status, 200);
        InventoryCollector collector(client.get(), &f->clock);
        QSignalSpy failed(&collector, &InventoryCollector::failed);
        QSignalSpy done(&collector, &InventoryCollector::finished);
        collector.start();
        QVERIFY(failed.wait(60000));
        const auto e = failed.at(0).at(0).value<pbi::Error>();
        QVERIFY2(e.sentence.startsWith(QStringLiteral("Workspace \"")), qPrintable(e.sentence));
        QCOMPARE(e.httpStatus, 500);
        QVERIFY(!collector.isRunning());
        QTest::qWait(300);
        QCOMPARE(done.count(), 0);
        QCOMPARE(failed.count(), 1);
    }

    void cancel()
    {
        InventoryCollector collector(client.get(), &f->clock);
        QSignalSpy failed(&collector, &InventoryCollector::failed);
        collector.start();
        collector.cancel();
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.at(0).at(0).value<pbi::Error>().kind, ErrorKind::Cancelled);
        QTest::qWait(300); // answers already under way are dropped
        QCOMPARE(failed.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestInventoryCollector)
#include "tst_inventorycollector.moc"
