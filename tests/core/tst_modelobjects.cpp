// Finding the tables and partitions an enhanced refresh may name, from what the service shows:
// the execution details of recent enhanced refreshes and the admin scanner — against the
// sandbox's refresh engine and scanner over real HTTP.

#include "SandboxFixture.h"

#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"
#include "refresh/ModelObjects.h"
#include "refresh/RefreshFollower.h"

#include <QSignalSpy>
#include <QTest>

using namespace pbi;
using namespace pbi::refresh;

class TestModelObjects : public QObject {
    Q_OBJECT

    std::unique_ptr<SandboxFixture> f;
    std::unique_ptr<ClientSecretCredential> cred;
    std::unique_ptr<PowerBiClient> client;
    QString groupId;
    QString datasetId;

    /// Sales Targets in Sales [Prod] (Premium; the principal is a Contributor there).
    void findModel()
    {
        std::tie(groupId, datasetId) =
            SandboxFixture::findModel(*client, QStringLiteral("Sales [Prod]"), QStringLiteral("Sales Targets"));
        QVERIFY(!groupId.isEmpty());
        QVERIFY(!datasetId.isEmpty());
    }

    /// Runs an enhanced refresh to its end and returns its execution details.
    std::optional<RefreshExecution> refreshToEnd(const RefreshRequest& request)
    {
        std::optional<Result<TriggeredRefresh>> t;
        client->triggerRefresh(groupId, datasetId, request, this,
                               [&](Result<TriggeredRefresh> r) { t = std::move(r); });
        if (!QTest::qWaitFor([&] { return t.has_value(); }, 20000) || !*t) {
            qWarning("trigger failed: %s", t ? qPrintable(t->error().details()) : "no answer");
            return std::nullopt;
        }
        RefreshFollower::Options o;
        o.firstPoll = std::chrono::milliseconds(150);
        o.maxPoll = std::chrono::milliseconds(400);
        RefreshFollower follower(client.get(), groupId, datasetId, t->value(), o);
        QSignalSpy finished(&follower, &RefreshFollower::finished);
        follower.start();
        if (!finished.wait(30000))
            return std::nullopt;
        return follower.execution();
    }

    static RefreshRequest enhanced(std::vector<RefreshObject> objects = {})
    {
        RefreshRequest r;
        r.type = QStringLiteral("Full");
        r.objects = std::move(objects);
        return r;
    }

private Q_SLOTS:
    void init()
    {
        sandbox::SandboxOptions o;
        o.refreshDurationMs = 600;
        o.refreshVisibilityDelayMs = 0; // the visibility race is RefreshFollower's test
        o.refreshSchedules = false;
        o.throttleScale = 0;
        o.timeScale = 4; // scans take a few sandbox seconds
        f = std::make_unique<SandboxFixture>(o);
        std::tie(cred, client) = f->servicePrincipal();
        findModel();
    }

    void cleanup()
    {
        client.reset();
        cred.reset();
        f.reset();
    }

    void addKeepsNamesOnceInOrder()
    {
        ModelObjects m;
        m.add(QStringLiteral("Sales"), QStringLiteral("Sales-2025"));
        m.add(QStringLiteral("date"));
        m.add(QStringLiteral("SALES"), QStringLiteral("Sales-2024"));
        m.add(QStringLiteral("Sales"), QStringLiteral("sales-2025"));
        m.add(QString(), QStringLiteral("orphan"));
        QCOMPARE(int(m.tables.size()), 2);
        QCOMPARE(m.tables[0].name, QStringLiteral("date"));
        QCOMPARE(m.tables[1].name, QStringLiteral("Sales"));
        QCOMPARE(m.tables[1].partitions, (QStringList{QStringLiteral("Sales-2024"), QStringLiteral("Sales-2025")}));
        QCOMPARE(m.partitionCount(), 2);
        QVERIFY(m.table(QStringLiteral("sales")) != nullptr);
        QVERIFY(m.table(QStringLiteral("Product")) == nullptr);
    }

    void aHistoryWithoutEnhancedRefreshesKnowsNothing()
    {
        ModelObjectFinder finder(client.get(), groupId, datasetId);
        QSignalSpy done(&finder, &ModelObjectFinder::refreshesSearched);
        QSignalSpy failed(&finder, &ModelObjectFinder::refreshesFailed);
        finder.findFromRefreshes();
        QVERIFY(finder.isBusy());
        QVERIFY(done.wait(20000));
        QCOMPARE(failed.size(), 0);
        QCOMPARE(finder.enhancedRefreshesRead(), 0);
        QVERIFY(finder.objects().tables.empty());
        QVERIFY(!finder.objects().fromRefreshAt.has_value());
        QVERIFY(!finder.isBusy());
    }

    void aWholeModelRefreshNamesEveryPartition()
    {
        const auto execution = refreshToEnd(enhanced());
        QVERIFY(execution.has_value());
        QVERIFY(!execution->objects.empty());
        ModelObjectFinder finder(client.get(), groupId, datasetId);
        QSignalSpy done(&finder, &ModelObjectFinder::refreshesSearched);
        finder.findFromRefreshes();
        QVERIFY(done.wait(20000));
        QCOMPARE(finder.enhancedRefreshesRead(), 1);
        const ModelObjects& m = finder.objects();
        // Exactly what the service's details named: every table, every partition.
        for (const auto& o : execution->objects) {
            const KnownTable* t = m.table(o.table);
            QVERIFY2(t, qPrintable(o.table));
            if (!o.partition.isEmpty())
                QVERIFY2(t->partitions.contains(o.partition), qPrintable(o.partition));
        }
        int named = 0;
        for (const auto& o : execution->objects)
            named += o.partition.isEmpty() ? 0 : 1;
        QCOMPARE(m.partitionCount(), named);
        QVERIFY(m.fromRefreshAt.has_value());
        QVERIFY(!m.fromScanner);
    }

    void severalRefreshesAreMergedAndOldDetailsAreSkipped()
    {
        const auto whole = refreshToEnd(enhanced());
        QVERIFY(whole.has_value());
        QVERIFY(!whole->objects.empty());
        const QString table = whole->objects.front().table;
        const auto one = refreshToEnd(enhanced({{table, {}}}));
        QVERIFY(one.has_value());
        ModelObjectFinder finder(client.get(), groupId, datasetId);
        ModelObjectFinder::Options o;
        o.executionsToRead = 1; // only the newest: the one-table refresh
        finder.setOptions(o);
        QSignalSpy done(&finder, &ModelObjectFinder::refreshesSearched);
        finder.findFromRefreshes();
        QVERIFY(done.wait(20000));
        QCOMPARE(finder.enhancedRefreshesRead(), 1);
        QCOMPARE(int(finder.objects().tables.size()), 1);
        QCOMPARE(finder.objects().tables.front().name, table);

        ModelObjectFinder both(client.get(), groupId, datasetId);
        QSignalSpy bothDone(&both, &ModelObjectFinder::refreshesSearched);
        both.findFromRefreshes();
        QVERIFY(bothDone.wait(20000));
        QCOMPARE(both.enhancedRefreshesRead(), 2);
        QVERIFY(both.objects().tables.size() > 1 || both.objects().partitionCount() > 0);
    }

    void aRefusedHistoryIsReported()
    {
        sandbox::FaultRule rule;
        rule.kind = sandbox::FaultKind::MalformedJson;
        rule.method = "GET";
        rule.path = "/refreshes$";
        f->sandbox().faults().addFault(rule);
        ModelObjectFinder finder(client.get(), groupId, datasetId);
        QSignalSpy done(&finder, &ModelObjectFinder::refreshesSearched);
        QSignalSpy failed(&finder, &ModelObjectFinder::refreshesFailed);
        finder.findFromRefreshes();
        QVERIFY(failed.wait(20000));
        QCOMPARE(done.size(), 0);
        QCOMPARE(failed.first().first().value<Error>().kind, ErrorKind::Parse);
        QVERIFY(!finder.isBusy());
    }

    void theScannerListsTheModelsTables()
    {
        ModelObjectFinder finder(client.get(), groupId, datasetId);
        QSignalSpy done(&finder, &ModelObjectFinder::scannerSearched);
        QSignalSpy failed(&finder, &ModelObjectFinder::scannerFailed);
        finder.findWithScanner();
        QVERIFY(finder.isScanning());
        QVERIFY(done.wait(60000));
        QCOMPARE(failed.size(), 0);
        QVERIFY(finder.objects().fromScanner);
        QVERIFY(finder.scannedTables() > 0);
        QCOMPARE(int(finder.objects().tables.size()), finder.scannedTables());
        // The scanner names tables only; partitions come from refresh details.
        QCOMPARE(finder.objects().partitionCount(), 0);
        // One getInfo for the one workspace.
        int getInfo = 0;
        for (const auto& e : f->log.entries())
            getInfo += e.url.path().endsWith(QLatin1String("/getInfo")) ? 1 : 0;
        QCOMPARE(getInfo, 1);
    }

    void aRefusedScanKeepsWhatTheRefreshesShowed()
    {
        QVERIFY(refreshToEnd(enhanced()).has_value());
        ModelObjectFinder finder(client.get(), groupId, datasetId);
        QSignalSpy searched(&finder, &ModelObjectFinder::refreshesSearched);
        finder.findFromRefreshes();
        QVERIFY(searched.wait(20000));
        const auto known = finder.objects().tables.size();
        QVERIFY(known > 0);

        sandbox::FaultRule rule;
        rule.kind = sandbox::FaultKind::ServerError;
        rule.path = "/admin/workspaces/getInfo$";
        rule.count = 10; // more than the transport's retries
        f->sandbox().faults().addFault(rule);
        QSignalSpy failed(&finder, &ModelObjectFinder::scannerFailed);
        finder.findWithScanner();
        QVERIFY(failed.wait(60000));
        QCOMPARE(failed.first().first().value<Error>().httpStatus, 500);
        QCOMPARE(finder.objects().tables.size(), known);
        QVERIFY(!finder.objects().fromScanner);
        QVERIFY(!finder.isBusy());
    }

    void cancelDropsLateAnswers()
    {
        ModelObjectFinder finder(client.get(), groupId, datasetId);
        QSignalSpy done(&finder, &ModelObjectFinder::refreshesSearched);
        QSignalSpy failed(&finder, &ModelObjectFinder::refreshesFailed);
        finder.findFromRefreshes();
        finder.cancel();
        QVERIFY(!finder.isBusy());
        QTest::qWait(500);
        QCOMPARE(done.size() + failed.size(), 0);
        // It can search again afterwards.
        finder.findFromRefreshes();
        QVERIFY(done.wait(20000));
    }
};

QTEST_GUILESS_MAIN(TestModelObjects)
#include "tst_modelobjects.moc"
