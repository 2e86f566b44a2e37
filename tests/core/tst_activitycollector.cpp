// The audit log over several days: one window per UTC day, every continuation page, each event
// once, and a resume from the page that failed.

#include "SandboxFixture.h"

#include "admin/ActivityCollector.h"
#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"

#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace pbi;
using namespace pbi::admin;

class TestActivityCollector : public QObject {
    Q_OBJECT

    std::unique_ptr<SandboxFixture> f;
    std::unique_ptr<ClientSecretCredential> cred;
    std::unique_ptr<PowerBiClient> client;

    QDateTime todayMidnight() const
    {
        return QDateTime(QDateTime::currentDateTimeUtc().date(), QTime(0, 0), Qt::UTC);
    }

private Q_SLOTS:
    void init()
    {
        sandbox::SandboxOptions o;
        o.throttleScale = 0;
        o.refreshSchedules = false;
        f = std::make_unique<SandboxFixture>(o);
        std::tie(cred, client) = f->servicePrincipal();
    }

    void cleanup()
    {
        client.reset();
        cred.reset();
        f.reset();
    }

    void threeDaysEveryPageEachEventOnce()
    {
        const QDateTime start = todayMidnight().addDays(-3).addSecs(6 * 3600);
        const QDateTime end = todayMidnight();
        ActivityCollector c(client.get());
        QSignalSpy done(&c, &ActivityCollector::finished);
        QSignalSpy failed(&c, &ActivityCollector::failed);
        c.start(start, end);
        QVERIFY(done.wait(60000));
        QCOMPARE(failed.size(), 0);
        QCOMPARE(c.windows().size(), std::size_t(3));
        for (const auto& [from, to] : c.windows())
            QCOMPARE(from.date(), to.date()); // the service refuses windows across midnight
        QVERIFY2(c.pagesRead() > 3, "no window needed a continuation page");
        QVERIFY(c.events().size() > 50);
        QSet<QString> ids;
        for (const auto& e : c.events()) {
            QVERIFY(!ids.contains(e.id));
            ids.insert(e.id);
            QVERIFY(e.creationTime.has_value());
            QVERIFY2(*e.creationTime >= start && *e.creationTime < end, qPrintable(e.creationTime->toString(Qt::ISODate)));
            QVERIFY(!e.activity.isEmpty());
        }
    }

    void filterIsPassedToTheService()
    {
        ActivityCollector c(client.get());
        QSignalSpy done(&c, &ActivityCollector::finished);
        QSignalSpy failed(&c, &ActivityCollector::failed);
        c.start(todayMidnight().addDays(-1), todayMidnight(), QStringLiteral("Activity eq 'viewreport'"));
        QVERIFY(done.wait(60000));
        QCOMPARE(failed.size(), 0);
        QVERIFY(!c.events().empty());
        for (const auto& e : c.events())
            QCOMPARE(e.activity.toLower(), QStringLiteral("viewreport"));
    }

    void resumesFromTheFailedPage()
    {
        const QDateTime start = todayMidnight().addDays(-2);
        const QDateTime end = todayMidnight();
        // Reference run.
        ActivityCollector reference(client.get());
        QSignalSpy refDone(&reference, &ActivityCollector::finished);
        reference.start(start, end);
        QVERIFY(refDone.wait(60000));

        // The third page's body arrives broken: a parse error, not retried.
        sandbox::FaultRule rule;
        rule.kind = sandbox::FaultKind::MalformedJson;
        rule.path = "^/v1\\.0/myorg/admin/activityevents$";
        rule.after = 2;
        rule.count = 1;
        f->sandbox().faults().addFault(rule);
        ActivityCollector c(client.get());
        QSignalSpy done(&c, &ActivityCollector::finished);
        QSignalSpy failed(&c, &ActivityCollector::failed);
        c.start(start, end);
        QVERIFY(failed.wait(60000));
        QCOMPARE(failed.first().first().value<Error>().kind, ErrorKind::Parse);
        QVERIFY(!c.isRunning());
        const std::size_t before = c.events().size();
        c.resume();
        QVERIFY(done.wait(60000));
        QVERIFY(c.events().size() > before);
        QCOMPARE(c.events().size(), reference.events().size());
    }
};

QTEST_GUILESS_MAIN(TestActivityCollector)
#include "tst_activitycollector.moc"
