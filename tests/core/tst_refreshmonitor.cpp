// The tenant refresh monitor: every refreshable model in scope, failures first-class, one
// refused workspace not stopping the sweep — at member scope and through the admin refreshables.

#include "SandboxFixture.h"

#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"
#include "refresh/RefreshMonitor.h"

#include <QSignalSpy>
#include <QTest>

using namespace pbi;
using namespace pbi::refresh;

class TestRefreshMonitor : public QObject {
    Q_OBJECT

    std::unique_ptr<SandboxFixture> f;
    std::unique_ptr<ClientSecretCredential> cred;
    std::unique_ptr<PowerBiClient> client;

private Q_SLOTS:
    void init()
    {
        sandbox::SandboxOptions o;
        o.refreshSchedules = false;
        o.throttleScale = 0;
        f = std::make_unique<SandboxFixture>(o);
        std::tie(cred, client) = f->servicePrincipal();
    }

    void cleanup()
    {
        client.reset();
        cred.reset();
        f.reset();
    }

    void memberSweepSeesEveryModelAndKeepsGoing()
    {
        RefreshMonitor monitor(client.get());
        monitor.setHistoryDepth(5);
        monitor.setParallelism(3);
        QSignalSpy done(&monitor, &RefreshMonitor::sweepFinished);
        QSignalSpy progress(&monitor, &RefreshMonitor::progress);
        monitor.start();
        QVERIFY(monitor.isRunning());
        monitor.start(); // ignored while running
        QVERIFY(done.wait(60000));
        QCOMPARE(done.size(), 1);
        QVERIFY(!monitor.isRunning());
        const auto& rows = monitor.rows();
        QVERIFY(rows.size() > 20);
        // Newest first.
        for (std::size_t i = 1; i < rows.size(); ++i)
            QVERIFY(rows[i - 1].refresh.startTime.value_or(QDateTime()) >= rows[i].refresh.startTime.value_or(QDateTime()));
        // At most `depth` entries per model.
        QHash<QString, int> perModel;
        for (const auto& r : rows)
            QVERIFY(++perModel[r.datasetId] <= 5);
        // The demo tenant has failures, and they carry a decodable error.
        int failed = 0;
        for (const auto& r : rows) {
            if (stateOf(r.refresh) != State::Failed)
                continue;
            ++failed;
            QVERIFY2(decodeFailure(r.refresh.serviceExceptionJson).has_value(), qPrintable(r.datasetName));
        }
        QVERIFY(failed > 0);
        // The principal is only a Viewer in some workspaces: those models are problems, not the end.
        QVERIFY(!monitor.problems().empty());
        for (const auto& p : monitor.problems())
            QVERIFY(p.error.httpStatus == 401 || p.error.httpStatus == 403);
        // Progress ends at the total.
        QCOMPARE(progress.last().at(0).toInt(), progress.last().at(1).toInt());
    }

    void filters()
    {
        MonitorRow running;
        running.workspaceName = QStringLiteral("Sales [Prod]");
        running.datasetName = QStringLiteral("Sales Analytics");
        running.refresh.startTime = QDateTime::currentDateTimeUtc().addSecs(-30);
        MonitorRow failed;
        failed.workspaceName = QStringLiteral("Finance [Test]");
        failed.datasetName = QStringLiteral("Budget");
        failed.refresh.status = QStringLiteral("Failed");
        failed.refresh.startTime = QDateTime::currentDateTimeUtc().addDays(-3);
        failed.refresh.endTime = failed.refresh.startTime->addSecs(60);
        failed.refresh.serviceExceptionJson = QStringLiteral(R"({"errorCode":"DM_GWPipeline_Client_GatewayUnreachable"})");
        const QDateTime now = QDateTime::currentDateTimeUtc();
        MonitorFilter f;
        QVERIFY(matches(running, f, now) && matches(failed, f, now));
        f.failedOnly = true;
        QVERIFY(!matches(running, f, now) && matches(failed, f, now));
        f.withinHours = 24;
        QVERIFY(!matches(failed, f, now));
        f = {};
        f.runningOnly = true;
        f.withinHours = 24;
        QVERIFY(matches(running, f, now) && !matches(failed, f, now));
        f = {};
        f.text = QStringLiteral("gateway");
        QVERIFY(!matches(running, f, now) && matches(failed, f, now));
        f.text = QStringLiteral("sales");
        QVERIFY(matches(running, f, now) && !matches(failed, f, now));
    }

    void adminSweepReadsTheRefreshables()
    {
        RefreshMonitor monitor(client.get());
        monitor.setScope(MonitorScope::Admin);
        QSignalSpy done(&monitor, &RefreshMonitor::sweepFinished);
        QSignalSpy failed(&monitor, &RefreshMonitor::sweepFailed);
        monitor.start();
        QVERIFY(done.wait(30000));
        QCOMPARE(failed.size(), 0);
        const auto& rows = monitor.rows();
        QVERIFY(!rows.empty());
        QSet<QString> models;
        for (const auto& r : rows) {
            QVERIFY(!r.workspaceName.isEmpty());
            QVERIFY(!r.datasetName.isEmpty());
            QVERIFY(!models.contains(r.datasetId)); // one row per model: its last refresh
            models.insert(r.datasetId);
        }
        // Only capacity models are refreshables, including those the principal is no member of.
        bool restricted = false;
        for (const auto& r : rows)
            restricted |= r.workspaceName == QLatin1String("HR Analytics [Prod]");
        QVERIFY(restricted);
    }

    void cancelStopsTheSweep()
    {
        RefreshMonitor monitor(client.get());
        monitor.setParallelism(1);
        QSignalSpy done(&monitor, &RefreshMonitor::sweepFinished);
        monitor.start();
        QSignalSpy progress(&monitor, &RefreshMonitor::progress);
        QVERIFY(progress.wait(20000));
        monitor.cancel();
        QVERIFY(!monitor.isRunning());
        QTest::qWait(500);
        QCOMPARE(done.size(), 0);
        QVERIFY(monitor.rows().empty());
        // And it can start again.
        monitor.start();
        QVERIFY(done.wait(60000));
        QVERIFY(!monitor.rows().empty());
    }
};

QTEST_GUILESS_MAIN(TestRefreshMonitor)
#include "tst_refreshmonitor.moc"
