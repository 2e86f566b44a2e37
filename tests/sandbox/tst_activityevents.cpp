// Activity events in the sandbox (ActivityService): continuation paging without loss or
// repeats, the $filter subset, the time-window rules and admin access
// (reference/api-digest.md §7).

#include "PowerBiTestTenant.h"

#include "EntraDemo.h"

#include <QDateTime>
#include <QTest>
#include <QUrlQuery>

#include <set>

using nlohmann::json;
using namespace pbi::sandbox;

namespace {

std::string str(const json& j, const char* key)
{
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                                  : std::string();
}

std::string code(const WireReply& r)
{
    const json j = r.json();
    return j.is_object() && j.contains("error") ? str(j["error"], "code") : std::string();
}

/// A UTC day `daysAgo` before today, as "yyyy-MM-dd".
QString day(int daysAgo)
{
    return QDateTime::currentDateTimeUtc().date().addDays(-daysAgo).toString(Qt::ISODate);
}

struct Pages {
    int count = 0;
    std::vector<json> events;
    QString error; ///< what went wrong, if anything
};

} // namespace

class TestActivityEvents : public QObject {
    Q_OBJECT

    std::unique_ptr<PowerBiTestTenant> f;
    QByteArray console;

    static QString window(const QString& d, const QString& from = QStringLiteral("00:00:00.000"),
                          const QString& to = QStringLiteral("23:59:59.999"))
    {
        return QStringLiteral("startDateTime='%1T%2Z'&endDateTime='%1T%3Z'").arg(d, from, to);
    }
    void setPageSize(int size) const
    {
        const WireReply r =
            wireSend("PATCH", f->url(QStringLiteral("/sandbox/control/activity")),
                     {qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))},
                     QByteArray::fromStdString(json{{"pageSize", size}}.dump()));
        QCOMPARE(r.status, 200);
    }
    /// Every page of a query. `viaToken`: send continuationToken='…' (decoded, then quoted,
    /// as the PowerShell cmdlet does) instead of following continuationUri verbatim.
    Pages fetchAll(const QString& query, bool viaToken = false) const
    {
        Pages out;
        QUrl url(f->url(QStringLiteral("/v1.0/myorg/admin/activityevents?") + query));
        for (int guard = 0; guard < 1000; ++guard) {
            const WireReply r =
                wireSend("GET", url, {qMakePair(QByteArray("Authorization"), console)});
            if (r.status != 200) {
                out.error = QString::number(r.status) + QLatin1Char(' ') +
                            QString::fromUtf8(r.body.left(300));
                return out;
            }
            const json j = r.json();
            ++out.count;
            for (const auto& e : j["activityEventEntities"])
                out.events.push_back(e);
            const bool last = j.value("lastResultSet", false);
            if (last != !j.contains("continuationToken") ||
                last != !j.contains("continuationUri")) {
                out.error = QStringLiteral("lastResultSet and the continuation disagree");
                return out;
            }
            if (last)
                return out;
            if (viaToken) {
                const QByteArray token = QByteArray::fromPercentEncoding(
                    QByteArray::fromStdString(str(j, "continuationToken")));
                url =
                    f->url(QStringLiteral("/v1.0/myorg/admin/activityevents?continuationToken='") +
                           QString::fromLatin1(QUrl::toPercentEncoding(QString::fromUtf8(token))) +
                           QStringLiteral("'"));
            } else {
                url = QUrl(QString::fromStdString(str(j, "continuationUri")), QUrl::TolerantMode);
            }
        }
        out.error = QStringLiteral("no last page");
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        f = std::make_unique<PowerBiTestTenant>(makeDemoTenant());
        console = f->appBearer(f->tenant().apps[0]);
        QVERIFY(!console.isEmpty());
    }
    void cleanupTestCase() { f.reset(); }

    void severalPagesPerWorkingDay()
    {
        // With the automatic page size, a working day of the demo tenant spans several pages.
        int weekday = 1;
        while (QDateTime::currentDateTimeUtc().date().addDays(-weekday).dayOfWeek() > 5)
            ++weekday;
        const Pages p = fetchAll(window(day(weekday)));
        QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        QVERIFY2(p.count >= 3, qPrintable(QString::number(p.count)));
        QVERIFY(p.events.size() > 200);
    }

    void pagingLosesAndRepeatsNothing_data()
    {
        QTest::addColumn<bool>("viaToken");
        QTest::newRow("continuationUri") << false;
        QTest::newRow("continuationToken") << true;
    }
    void pagingLosesAndRepeatsNothing()
    {
        QFETCH(bool, viaToken);
        const QString yesterday = day(1);
        setPageSize(10'000);
        const Pages whole = fetchAll(window(yesterday));
        QVERIFY2(whole.error.isEmpty(), qPrintable(whole.error));
        QCOMPARE(whole.count, 1);
        setPageSize(37); // pages that do not divide the day evenly
        const Pages paged = fetchAll(window(yesterday), viaToken);
        QVERIFY2(paged.error.isEmpty(), qPrintable(paged.error));
        QVERIFY(paged.count > 5);
        QCOMPARE(paged.events.size(), whole.events.size());
        std::set<std::string> ids;
        for (std::size_t i = 0; i < paged.events.size(); ++i) {
            const json& e = paged.events[i];
            QVERIFY2(ids.insert(str(e, "Id")).second, str(e, "Id").c_str());
            QCOMPARE(str(e, "Id"), str(whole.events[i], "Id"));
            QVERIFY(qs(str(e, "CreationTime")).startsWith(yesterday));
            if (i > 0)
                QVERIFY(str(paged.events[i - 1], "CreationTime") <= str(e, "CreationTime"));
        }
        // The same query gives the same log.
        const Pages again = fetchAll(window(yesterday), viaToken);
        QCOMPARE(again.events.size(), paged.events.size());
        QVERIFY(again.events.front() == paged.events.front());
        setPageSize(0); // automatic again
    }

    void eventsLookLikeTheAuditLog()
    {
        const Pages p = fetchAll(window(day(2)));
        QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        QVERIFY(!p.events.empty());
        std::set<std::string> users;
        for (const auto& u : f->tenant().users)
            users.insert(u.userPrincipalName);
        std::set<std::string> activities;
        for (const auto& e : p.events) {
            for (const char* key :
                 {"Id", "CreationTime", "Operation", "OrganizationId", "UserKey", "Workload",
                  "UserId", "ClientIP", "Activity", "RequestId", "ActivityId", "WorkspaceId"})
                QVERIFY2(e.contains(key), key);
            QCOMPARE(str(e, "Workload"), std::string("PowerBI"));
            QCOMPARE(str(e, "OrganizationId"), f->tenant().id);
            QCOMPARE(str(e, "Activity"), str(e, "Operation"));
            QVERIFY(users.count(str(e, "UserId")));
            // "2019-08-13T07:55:15": whole seconds, no zone designator.
            QCOMPARE(str(e, "CreationTime").size(), std::size_t(19));
            activities.insert(str(e, "Activity"));
        }
        for (const char* a : {"ViewReport", "ViewDashboard", "ExportReport", "RefreshDataset"})
            QVERIFY2(activities.count(a), a);
    }

    void refreshesComeFromTheModelsHistory()
    {
        const QString d = day(1);
        const QDate date = QDate::fromString(d, Qt::ISODate);
        const qint64 from = QDateTime(date, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
        const qint64 to = from + 86'400'000;
        std::size_t expected = 0;
        for (const auto& w : f->tenant().workspaces)
            for (const auto& ds : w.datasets)
                for (const auto& r : ds.refreshes)
                    expected += r.startTime >= from && r.startTime < to;
        QVERIFY(expected > 0);
        const Pages p =
            fetchAll(window(d) + QStringLiteral("&$filter=Activity eq 'RefreshDataset'"));
        QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        QCOMPARE(p.events.size(), expected);
        bool sawFailure = false;
        for (const auto& e : p.events) {
            QVERIFY(e.contains("DatasetId") && e.contains("RefreshType"));
            sawFailure = sawFailure || e["IsSuccess"] == false;
        }
        Q_UNUSED(sawFailure); // failures are random; the shape is what is checked here
    }

    void filterSubset()
    {
        const QString d = day(1);
        const Pages all = fetchAll(window(d));
        QVERIFY2(all.error.isEmpty(), qPrintable(all.error));
        const std::string adele = f->tenant().users[3].userPrincipalName;
        std::size_t views = 0;
        std::size_t adeleViews = 0;
        for (const auto& e : all.events) {
            if (str(e, "Activity") == "ViewReport") {
                ++views;
                adeleViews += str(e, "UserId") == adele;
            }
        }
        QVERIFY(views > 0 && adeleViews > 0);
        // Values compare case-insensitively: the spec's own example asks for 'viewreport'.
        const Pages v = fetchAll(window(d) + QStringLiteral("&$filter=Activity eq 'viewreport'"));
        QVERIFY2(v.error.isEmpty(), qPrintable(v.error));
        QCOMPARE(v.events.size(), views);
        for (const auto& e : v.events)
            QCOMPARE(str(e, "Activity"), std::string("ViewReport"));
        const Pages both = fetchAll(
            window(d) + QStringLiteral("&$filter=Activity eq 'ViewReport' and UserId eq '%1'")
                            .arg(QString::fromStdString(adele).toUpper()));
        QVERIFY2(both.error.isEmpty(), qPrintable(both.error));
        QCOMPARE(both.events.size(), adeleViews);
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("query");
        const QString d = day(1);
        QTest::newRow("nothing") << QString();
        QTest::newRow("no end") << QStringLiteral("startDateTime='%1T00:00:00Z'").arg(d);
        QTest::newRow("not quoted")
            << QStringLiteral("startDateTime=%1T00:00:00Z&endDateTime=%1T01:00:00Z").arg(d);
        QTest::newRow("two days") << QStringLiteral(
                                         "startDateTime='%1T00:00:00Z'&endDateTime='%2T01:00:00Z'")
                                         .arg(day(2), d);
        QTest::newRow("end before start")
            << window(d, QStringLiteral("10:00:00"), QStringLiteral("09:00:00"));
        QTest::newRow("29 days ago") << window(day(29));
        QTest::newRow("tomorrow") << window(day(-1));
        QTest::newRow("not a date")
            << QStringLiteral("startDateTime='yesterday'&endDateTime='today'");
        QTest::newRow("or") << window(d) + QStringLiteral("&$filter=Activity eq 'ViewReport' or "
                                                          "Activity eq 'ExportReport'");
        QTest::newRow("ne") << window(d) + QStringLiteral("&$filter=Activity ne 'ViewReport'");
        QTest::newRow("other field") << window(d) + QStringLiteral("&$filter=WorkspaceId eq 'x'");
        QTest::newRow("token and dates")
            << window(d) + QStringLiteral("&continuationToken='%2BRID%3A~e30'");
        QTest::newRow("forged token") << QStringLiteral("continuationToken='%2BRID%3A~e30'");
        QTest::newRow("garbage token") << QStringLiteral("continuationToken='nope'");
    }
    void refusals()
    {
        QFETCH(QString, query);
        const WireReply r = f->get(console, QStringLiteral("/admin/activityevents?") + query);
        QVERIFY2(r.status == 400, r.body.constData());
        QCOMPARE(code(r), std::string("InvalidRequest"));
    }

    void windowEdges()
    {
        // Within the last 28 days, any part of a day; unquoted ISO without Z is UTC too.
        QCOMPARE(f->get(console, QStringLiteral("/admin/activityevents?") + window(day(28))).status,
                 200);
        const WireReply hour = f->get(
            console, QStringLiteral("/admin/activityevents?") +
                         QStringLiteral("startDateTime='%1T09:00:00'&endDateTime='%1T09:59:59'")
                             .arg(day(1)));
        QCOMPARE(hour.status, 200);
        for (const auto& e : hour.json()["activityEventEntities"])
            QVERIFY(qs(str(e, "CreationTime")).startsWith(day(1) + QStringLiteral("T09:")));
        // Today stops at the present.
        const Pages today = fetchAll(window(day(0)));
        QVERIFY2(today.error.isEmpty(), qPrintable(today.error));
        const QString now = QDateTime::currentDateTimeUtc().addSecs(5).toString(
            QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
        for (const auto& e : today.events)
            QVERIFY(qs(str(e, "CreationTime")) <= now);
    }

    void onlyAdmins()
    {
        const Tenant& t = f->tenant();
        const QByteArray etl = f->appBearer(t.apps[1]);
        const QByteArray megan =
            f->userBearer(t.users[1], QString::fromLatin1(demo::kPublicClientId));
        const QByteArray admin =
            f->userBearer(t.users[0], QString::fromLatin1(demo::kPublicClientId));
        const QString path = QStringLiteral("/admin/activityevents?") + window(day(1));
        for (const QByteArray& bearer : {etl, megan}) {
            const WireReply r = f->get(bearer, path);
            QCOMPARE(r.status, 401);
            QCOMPARE(code(r), std::string("PowerBINotAuthorizedException"));
        }
        QCOMPARE(f->get(admin, path).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestActivityEvents)
#include "tst_activityevents.moc"
