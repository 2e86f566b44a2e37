// Power BI throttling in the sandbox: the documented per-endpoint limits (api-digest §6),
// 429 with Retry-After and the service's body, over windows scaled down for the test.

#include "PowerBiTestTenant.h"

#include "Throttling.h"

#include <QTest>

using nlohmann::json;
using namespace pbi::sandbox;

class TestThrottling : public QObject {
    Q_OBJECT

    static void checkThrottled(const WireReply& r, int maxRetryAfter) {
        QCOMPARE(r.status, 429);
        const int retryAfter = r.header("Retry-After").toInt();
        QVERIFY2(retryAfter >= 1 && retryAfter <= maxRetryAfter,
                 r.header("Retry-After").constData());
        const std::string message = r.json().value("message", std::string());
        QCOMPARE(QString::fromStdString(message),
                 QStringLiteral(
                     "You have exceeded the amount of requests allowed in the current time frame "
                     "and further requests will fail. Retry in %1 seconds.")
                     .arg(retryAfter));
        QVERIFY(!r.header("RequestId").isEmpty());
    }

private Q_SLOTS:
    void documentedLimits_data() {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<int>("perHour");
        QTest::addColumn<int>("perMinute");
        QTest::newRow("groups") << QStringLiteral("Groups_GetGroupsAsAdmin") << 50 << 15;
        QTest::newRow("datasets") << QStringLiteral("Datasets_GetDatasetsAsAdmin") << 50 << 5;
        QTest::newRow("reports") << QStringLiteral("Reports_GetReportsAsAdmin") << 50 << 5;
        QTest::newRow("dashboards") << QStringLiteral("Dashboards_GetDashboardsAsAdmin") << 50 << 5;
        QTest::newRow("datasources")
            << QStringLiteral("Datasets_GetDatasourcesAsAdmin") << 300 << 0;
        QTest::newRow("other admin") << QStringLiteral("Groups_GetGroupUsersAsAdmin") << 200 << 0;
        QTest::newRow("member scope") << QStringLiteral("Groups_GetGroups") << 0 << 0;
    }
    void documentedLimits() {
        QFETCH(QString, operation);
        QFETCH(int, perHour);
        QFETCH(int, perMinute);
        int hour = 0, minute = 0;
        for (const auto& l : Throttler::limitsFor(operation.toStdString())) {
            if (l.windowSeconds == 3600)
                hour = l.requests;
            if (l.windowSeconds == 60)
                minute = l.requests;
        }
        QCOMPARE(hour, perHour);
        QCOMPARE(minute, perMinute);
    }

    void perMinuteThenPerHourLimitOfGetGroupsAsAdmin() {
        // Scale 0.01: a minute lasts 0.6 s and an hour 36 s.
        SandboxOptions o;
        o.throttleScale = 0.01;
        PowerBiTestTenant f(makeDemoTenant(), o);
        const QByteArray bearer = f.appBearer(f.tenant().apps[0]);
        const QString path = QStringLiteral("/admin/groups?$top=1");
        for (int i = 0; i < 15; ++i)
            QCOMPARE(f.get(bearer, path).status, 200);
        checkThrottled(f.get(bearer, path), 1);

        // The minute window passes; calls resume until 50 in the (scaled) hour.
        // A refused call is not counted, so each success is one of the 50.
        for (int ok = 15; ok < 50; ++ok)
            QVERIFY(QTest::qWaitFor([&] { return f.get(bearer, path).status == 200; }, 3000));
        // Now the hourly limit holds: Retry-After is the (scaled) hour's, near 36 s, not the
        // minute's.
        const WireReply r = f.get(bearer, path);
        checkThrottled(r, 36);
        QVERIFY2(r.header("Retry-After").toInt() > 20, r.header("Retry-After").constData());
    }

    void limitsArePerOperationAndMemberScopeIsNotThrottled() {
        SandboxOptions o;
        o.throttleScale = 1; // the real windows: nothing below recovers within the test
        PowerBiTestTenant f(makeDemoTenant(), o);
        const QByteArray bearer = f.appBearer(f.tenant().apps[0]);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(f.get(bearer, QStringLiteral("/admin/datasets")).status, 200);
        const WireReply r = f.get(bearer, QStringLiteral("/admin/datasets"));
        checkThrottled(r, 60);
        // Another operation has its own budget, and member-scope calls have no documented limit.
        QCOMPARE(f.get(bearer, QStringLiteral("/admin/reports")).status, 200);
        for (int i = 0; i < 30; ++i)
            QCOMPARE(f.get(bearer, QStringLiteral("/groups")).status, 200);
        // A refused call is not counted: the wait does not grow with retries.
        const int first =
            f.get(bearer, QStringLiteral("/admin/datasets")).header("Retry-After").toInt();
        const int again =
            f.get(bearer, QStringLiteral("/admin/datasets")).header("Retry-After").toInt();
        QVERIFY(again <= first);
    }

    void scaleZeroDisablesThrottling() {
        SandboxOptions o;
        o.throttleScale = 0;
        PowerBiTestTenant f(makeDemoTenant(), o);
        const QByteArray bearer = f.appBearer(f.tenant().apps[0]);
        for (int i = 0; i < 20; ++i)
            QCOMPARE(f.get(bearer, QStringLiteral("/admin/datasets")).status, 200);
    }

    void unauthorisedCallsDoNotUseTheBudget() {
        SandboxOptions o;
        o.throttleScale = 1;
        PowerBiTestTenant f(makeDemoTenant(), o);
        const QByteArray etl = f.appBearer(f.tenant().apps[1]); // refused by the admin APIs
        for (int i = 0; i < 10; ++i)
            QCOMPARE(f.get(etl, QStringLiteral("/admin/datasets")).status, 401);
        const QByteArray console = f.appBearer(f.tenant().apps[0]);
        QCOMPARE(f.get(console, QStringLiteral("/admin/datasets")).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestThrottling)
#include "tst_throttling.moc"
