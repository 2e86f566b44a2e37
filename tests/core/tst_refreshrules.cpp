// The refresh rules a support person relies on: what a status means, what a failure says, and
// which request and schedule bodies the service would refuse — checked before sending.

#include "api/JsonMapping.h"
#include "refresh/RefreshRules.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace pbi;
using namespace pbi::refresh;

namespace {

bool hasProblem(const std::vector<Problem>& problems, const QString& field, const QString& words = {})
{
    for (const Problem& p : problems) {
        if (p.field == field && (words.isEmpty() || p.message.contains(words, Qt::CaseInsensitive)))
            return true;
    }
    return false;
}

QJsonObject parse(const QByteArray& body)
{
    return QJsonDocument::fromJson(body).object();
}

const QDateTime kNow = QDateTime(QDate(2026, 12, 1), QTime(12, 0), Qt::UTC);

} // namespace

class TestRefreshRules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void unknownWithoutEndIsRunning()
    {
        Refresh r;
        r.status = QStringLiteral("Unknown");
        r.startTime = kNow.addSecs(-90);
        QCOMPARE(stateOf(r), State::Running);
        QCOMPARE(stateName(stateOf(r)), QStringLiteral("Running"));
        QCOMPARE(durationMs(r, kNow).value(), qint64(90'000));
        r.endTime = kNow;
        QCOMPARE(stateOf(r), State::Unknown);
        r.status = QStringLiteral("Failed");
        QCOMPARE(stateOf(r), State::Failed);
        QVERIFY(isFinished(State::Failed));
        QVERIFY(!isFinished(State::Running));
    }

    void executionStates()
    {
        RefreshExecution e;
        e.inProgress = true;
        e.extendedStatus = QStringLiteral("InProgress");
        QCOMPARE(stateOf(e), State::Running);
        e.inProgress = false;
        e.endTime = kNow;
        e.extendedStatus = QStringLiteral("Cancelled");
        QCOMPARE(stateOf(e), State::Cancelled);
        e.extendedStatus = QStringLiteral("TimedOut");
        QCOMPARE(stateOf(e), State::Failed);
        e.extendedStatus.reset();
        e.status = QStringLiteral("Completed");
        QCOMPARE(stateOf(e), State::Completed);
    }

    void typeNamesAndDurations()
    {
        QCOMPARE(typeName(QStringLiteral("ViaEnhancedApi")), QStringLiteral("Enhanced API"));
        QCOMPARE(typeName(QStringLiteral("OnDemand")), QStringLiteral("On demand"));
        QCOMPARE(typeName(QStringLiteral("Scheduled")), QStringLiteral("Scheduled"));
        QCOMPARE(typeName(QStringLiteral("SomethingNew")), QStringLiteral("SomethingNew"));
        QCOMPARE(formatDuration(7'520'000), QStringLiteral("2 h 05 min"));
        QCOMPARE(formatDuration(187'000), QStringLiteral("3 min 07 s"));
        QCOMPARE(formatDuration(12'400), QStringLiteral("12 s"));
        QCOMPARE(formatDuration(250), QStringLiteral("250 ms"));
    }

    void decodesKnownFailures_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("sentenceWords");
        QTest::addColumn<QString>("hintWords");
        QTest::newRow("no credentials") << QStringLiteral(R"({"errorCode":"ModelRefreshFailed_CredentialsNotSpecified"})")
                                        << QStringLiteral("ModelRefreshFailed_CredentialsNotSpecified")
                                        << QStringLiteral("no credentials") << QStringLiteral("Data source credentials");
        QTest::newRow("expired oauth") << QStringLiteral(R"({"errorCode":"DMTS_OAuthTokenRefreshFailedError","errorDescription":"AADSTS700082: expired"})")
                                       << QStringLiteral("DMTS_OAuthTokenRefreshFailedError")
                                       << QStringLiteral("expired") << QStringLiteral("Sign in again");
        QTest::newRow("gateway") << QStringLiteral(R"({"errorCode":"DM_GWPipeline_Client_GatewayUnreachable"})")
                                 << QStringLiteral("DM_GWPipeline_Client_GatewayUnreachable")
                                 << QStringLiteral("gateway") << QStringLiteral("gateway machine");
        QTest::newRow("timeout") << QStringLiteral(R"({"errorCode":"ModelRefresh_ShortMessage_ProcessingError","errorDescription":"Timeout expired."})")
                                 << QStringLiteral("ModelRefresh_ShortMessage_ProcessingError")
                                 << QStringLiteral("longer than allowed") << QStringLiteral("2 hours");
        QTest::newRow("memory") << QStringLiteral(R"({"errorCode":"ModelRefresh_ShortMessage_ProcessingError","errorDescription":"Resource Governing: not enough memory"})")
                                << QStringLiteral("ModelRefresh_ShortMessage_ProcessingError")
                                << QStringLiteral("out of memory") << QStringLiteral("maxParallelism");
        QTest::newRow("nested gateway shape")
            << QStringLiteral(R"({"error":{"code":"DM_GWPipeline_Gateway_DataSourceAccessError","pbi.error":{"code":"DM_GWPipeline_Gateway_DataSourceAccessError","details":[{"code":"DM_ErrorDetailNameCode_UnderlyingErrorMessage","detail":{"type":1,"value":"Login failed for user 'etl'."}}]}}})")
            << QStringLiteral("DM_GWPipeline_Gateway_DataSourceAccessError")
            << QStringLiteral("sign in to the data source") << QStringLiteral("credentials of the gateway connection");
        QTest::newRow("unknown code") << QStringLiteral(R"({"errorCode":"Brand_New_Error"})")
                                      << QStringLiteral("Brand_New_Error") << QStringLiteral("Brand_New_Error")
                                      << QString();
    }

    void decodesKnownFailures()
    {
        QFETCH(QString, json);
        QFETCH(QString, code);
        QFETCH(QString, sentenceWords);
        QFETCH(QString, hintWords);
        const auto f = decodeFailure(json);
        QVERIFY(f);
        QVERIFY(f->wellFormed);
        QCOMPARE(f->errorCode, code);
        QVERIFY2(f->sentence.contains(sentenceWords, Qt::CaseInsensitive), qPrintable(f->sentence));
        if (hintWords.isEmpty())
            QVERIFY(f->hint.isEmpty());
        else
            QVERIFY2(f->hint.contains(hintWords, Qt::CaseInsensitive), qPrintable(f->hint));
        QCOMPARE(f->raw, json);
    }

    void nestedShapeKeepsTheUnderlyingMessage()
    {
        const auto f = decodeFailure(QStringLiteral(
            R"({"error":{"code":"DM_GWPipeline_Gateway_DataSourceAccessError","pbi.error":{"details":[{"code":"Msg","detail":{"value":"Login failed for user 'etl'."}}]}}})"));
        QVERIFY(f);
        QVERIFY2(f->description.contains(QStringLiteral("Login failed")), qPrintable(f->description));
    }

    void garbageIsKeptNotLost()
    {
        QVERIFY(!decodeFailure(std::nullopt));
        QVERIFY(!decodeFailure(QStringLiteral("  ")));
        const auto f = decodeFailure(QStringLiteral("{not json"));
        QVERIFY(f);
        QVERIFY(!f->wellFormed);
        QCOMPARE(f->description, QStringLiteral("{not json"));
        QVERIFY(f->sentence.contains(QStringLiteral("could not be read")));
        const auto array = decodeFailure(QStringLiteral("[1,2]"));
        QVERIFY(array && !array->wellFormed);
    }

    void plainRequest()
    {
        RefreshRequest r;
        QVERIFY(!r.isEnhanced());
        QVERIFY(validate(r, {}).empty());
        r.notifyOption = QStringLiteral("MailOnFailure");
        QVERIFY(validate(r, {}).empty());
        Target sp;
        sp.servicePrincipal = true;
        QVERIFY(hasProblem(validate(r, sp), QStringLiteral("notifyOption"), QStringLiteral("NoNotification")));
        r.notifyOption = QStringLiteral("Sometimes");
        QVERIFY(hasProblem(validate(r, {}), QStringLiteral("notifyOption"), QStringLiteral("not a notify option")));
        // Plain refreshes are fine on shared capacity.
        r.notifyOption = QStringLiteral("NoNotification");
        Target shared;
        shared.premium = false;
        QVERIFY(validate(r, shared).empty());
    }

    void enhancedRequestTraps()
    {
        RefreshRequest r;
        r.type = QStringLiteral("full"); // the docs' examples use lower case; the service accepts it
        r.commitMode = QStringLiteral("transactional");
        QVERIFY(r.isEnhanced());
        Target premium;
        premium.premium = true;
        QVERIFY(validate(r, premium).empty());

        Target shared;
        shared.premium = false;
        QVERIFY(hasProblem(validate(r, shared), QStringLiteral("type"), QStringLiteral("shared capacity")));

        RefreshRequest withNotify = r;
        withNotify.notifyOption = QStringLiteral("NoNotification");
        QVERIFY(hasProblem(validate(withNotify, premium), QStringLiteral("notifyOption"), QStringLiteral("enhanced")));

        RefreshRequest add = r;
        add.type = QStringLiteral("Add");
        QVERIFY(hasProblem(validate(add, premium), QStringLiteral("type"), QStringLiteral("not supported")));

        RefreshRequest partial = r;
        partial.commitMode = QStringLiteral("PartialBatch");
        QVERIFY(hasProblem(validate(partial, premium), QStringLiteral("applyRefreshPolicy")));
        partial.applyRefreshPolicy = false;
        QVERIFY(validate(partial, premium).empty());

        RefreshRequest bad = r;
        bad.commitMode = QStringLiteral("Eventually");
        bad.maxParallelism = 0;
        bad.retryCount = -1;
        bad.timeout = QStringLiteral("25:00:00");
        const auto problems = validate(bad, premium);
        QVERIFY(hasProblem(problems, QStringLiteral("commitMode")));
        QVERIFY(hasProblem(problems, QStringLiteral("maxParallelism")));
        QVERIFY(hasProblem(problems, QStringLiteral("retryCount")));
        QVERIFY(hasProblem(problems, QStringLiteral("timeout"), QStringLiteral("hh:mm:ss")));

        RefreshRequest longRetries = r;
        longRetries.timeout = QStringLiteral("10:00:00");
        longRetries.retryCount = 2;
        QVERIFY(hasProblem(validate(longRetries, premium), QStringLiteral("timeout"), QStringLiteral("24 hours")));
        longRetries.retryCount = 1;
        QVERIFY(validate(longRetries, premium).empty());
    }

    void enhancedObjects()
    {
        RefreshRequest r;
        r.objects = {{QStringLiteral("Sales"), QString()},
                     {QStringLiteral("Sales"), QStringLiteral("Sales-2026")},
                     {QString(), QStringLiteral("orphan")},
                     {QStringLiteral("Sales"), QString()}};
        Target t;
        t.premium = true;
        auto problems = validate(r, t);
        QVERIFY(hasProblem(problems, QStringLiteral("objects[2].table")));
        QVERIFY(hasProblem(problems, QStringLiteral("objects[3]"), QStringLiteral("twice")));
        // With the model's tables known, names are checked too.
        t.knownObjects = {{QStringLiteral("Sales"), QStringLiteral("Sales-2025")}, {QStringLiteral("Date"), QString()}};
        r.objects = {{QStringLiteral("Sales"), QStringLiteral("Sales-2026")}, {QStringLiteral("Customers"), QString()},
                     {QStringLiteral("Date"), QString()}};
        problems = validate(r, t);
        QVERIFY(hasProblem(problems, QStringLiteral("objects[0].partition"), QStringLiteral("Sales-2026")));
        QVERIFY(hasProblem(problems, QStringLiteral("objects[1].table"), QStringLiteral("Customers")));
        QCOMPARE(problems.size(), std::size_t(2));
    }

    void requestBodies()
    {
        RefreshRequest plain;
        plain.notifyOption = QStringLiteral("NoNotification");
        QCOMPARE(parse(mapping::toBody(plain)), QJsonObject({{QStringLiteral("notifyOption"), QStringLiteral("NoNotification")}}));
        QCOMPARE(mapping::toBody(RefreshRequest{}), QByteArray("{}"));

        RefreshRequest e;
        e.type = QStringLiteral("Full");
        e.commitMode = QStringLiteral("PartialBatch");
        e.maxParallelism = 4;
        e.retryCount = 1;
        e.timeout = QStringLiteral("02:00:00");
        e.applyRefreshPolicy = false;
        e.effectiveDate = QDate(2026, 11, 30);
        e.objects = {{QStringLiteral("Sales"), QStringLiteral("Sales-2026")}, {QStringLiteral("Date"), QString()}};
        const QJsonObject o = parse(mapping::toBody(e));
        QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("Full"));
        QCOMPARE(o.value(QStringLiteral("maxParallelism")).toInt(), 4);
        QCOMPARE(o.value(QStringLiteral("applyRefreshPolicy")).toBool(true), false);
        QCOMPARE(o.value(QStringLiteral("effectiveDate")).toString(), QStringLiteral("2026-11-30"));
        QVERIFY(!o.contains(QStringLiteral("notifyOption")));
        const QJsonArray objects = o.value(QStringLiteral("objects")).toArray();
        QCOMPARE(objects.size(), 2);
        QCOMPARE(objects[0].toObject().value(QStringLiteral("partition")).toString(), QStringLiteral("Sales-2026"));
        QVERIFY(!objects[1].toObject().contains(QStringLiteral("partition")));
    }

    void scheduleRules()
    {
        RefreshSchedule current;
        current.days = {QStringLiteral("Monday")};
        current.times = {QStringLiteral("07:00")};
        current.enabled = true;
        Target shared;
        shared.premium = false;

        RefreshScheduleUpdate u;
        QVERIFY(hasProblem(validate(u, current, shared), QString(), QStringLiteral("Nothing")));

        u.times = QStringList{QStringLiteral("07:15"), QStringLiteral("7:00"), QStringLiteral("24:00")};
        auto problems = validate(u, current, shared);
        QVERIFY(hasProblem(problems, QStringLiteral("times[0]"), QStringLiteral("half hour")));
        QVERIFY(hasProblem(problems, QStringLiteral("times[1]")));
        QVERIFY(hasProblem(problems, QStringLiteral("times[2]")));

        QStringList nine;
        for (int h = 0; h < 9; ++h)
            nine << QStringLiteral("%1:00").arg(h, 2, 10, QLatin1Char('0'));
        u.times = nine;
        QVERIFY(hasProblem(validate(u, current, shared), QStringLiteral("times"), QStringLiteral("at most 8")));
        Target premium;
        premium.premium = true;
        QVERIFY(validate(u, current, premium).empty());

        RefreshScheduleUpdate days;
        days.days = QStringList{QStringLiteral("Funday"), QStringLiteral("Monday"), QStringLiteral("Monday")};
        problems = validate(days, current, shared);
        QVERIFY(hasProblem(problems, QStringLiteral("days[0]")));
        QVERIFY(hasProblem(problems, QStringLiteral("days[2]"), QStringLiteral("twice")));
        days.days = QStringList{};
        QVERIFY(hasProblem(validate(days, current, shared), QStringLiteral("days"), QStringLiteral("at least one")));

        RefreshScheduleUpdate disable;
        disable.enabled = false;
        QVERIFY(validate(disable, current, shared).empty());
        disable.times = QStringList{QStringLiteral("08:00")};
        QVERIFY(hasProblem(validate(disable, current, shared), QStringLiteral("enabled"), QStringLiteral("nothing else")));

        RefreshScheduleUpdate zone;
        zone.localTimeZoneId = QStringLiteral("W. Europe Standard Time");
        QVERIFY(validate(zone, current, shared).empty());
        zone.localTimeZoneId = QStringLiteral("Europe/Berlin"); // IANA, not Windows
        QVERIFY(hasProblem(validate(zone, current, shared), QStringLiteral("localTimeZoneId")));

        RefreshScheduleUpdate notify;
        notify.notifyOption = QStringLiteral("MailOnFailure");
        QVERIFY(validate(notify, current, shared).empty());
        Target sp = shared;
        sp.servicePrincipal = true;
        QVERIFY(hasProblem(validate(notify, current, sp), QStringLiteral("notifyOption")));
        notify.notifyOption = QStringLiteral("MailOnCompletion"); // only for refresh requests
        QVERIFY(hasProblem(validate(notify, current, shared), QStringLiteral("notifyOption")));

        // A service principal cannot leave a schedule mailing anyone, whatever else it changes;
        // only a disable request is exempt.
        RefreshSchedule mailing = current;
        mailing.notifyOption = QStringLiteral("MailOnFailure");
        RefreshScheduleUpdate timesOnly;
        timesOnly.times = QStringList{QStringLiteral("08:00")};
        QVERIFY(hasProblem(validate(timesOnly, mailing, sp), QStringLiteral("notifyOption"), QStringLiteral("MailOnFailure")));
        QVERIFY(validate(timesOnly, mailing, shared).empty()); // a user may
        timesOnly.notifyOption = QStringLiteral("NoNotification");
        QVERIFY(validate(timesOnly, mailing, sp).empty());
        RefreshScheduleUpdate off;
        off.enabled = false;
        QVERIFY(validate(off, mailing, sp).empty());
    }

    void scheduleBodySendsOnlyChanges()
    {
        RefreshScheduleUpdate u;
        u.enabled = false;
        QCOMPARE(mapping::toBody(u), QByteArray(R"({"value":{"enabled":false}})"));
        u = {};
        u.days = QStringList{QStringLiteral("Monday"), QStringLiteral("Friday")};
        u.localTimeZoneId = QStringLiteral("UTC");
        const QJsonObject v = parse(mapping::toBody(u)).value(QStringLiteral("value")).toObject();
        QCOMPARE(v.keys(), (QStringList{QStringLiteral("days"), QStringLiteral("localTimeZoneId")}));
    }

    void executionDetailsParse()
    {
        HttpResponse r;
        r.status = 202;
        r.body = R"({"startTime":"2021-12-14T03:46:04.833","type":"Full","commitMode":"Transactional",
                     "status":"Unknown","extendedStatus":"InProgress","currentRefreshType":"Full",
                     "numberOfAttempts":1,"objects":[{"table":"Sales","partition":"Sales-2026","status":"Completed"},
                     {"table":"Date","status":"InProgress"}],
                     "messages":[{"code":"0xC11C0020","message":"evicted","type":"Warning"}]})";
        const auto e = mapping::parseObject<RefreshExecution>(r);
        QVERIFY2(e, qPrintable(e ? QString() : e.error().details()));
        QCOMPARE(e.value().objects.size(), std::size_t(2));
        QCOMPARE(e.value().objects[1].partition, QString());
        QCOMPARE(e.value().messages[0].code, QStringLiteral("0xC11C0020"));
        QCOMPARE(e.value().startTime->timeSpec(), Qt::UTC);
        r.body = R"({"status":"Unknown","objects":[{"table":5}]})";
        const auto bad = mapping::parseObject<RefreshExecution>(r);
        QVERIFY(!bad);
        QVERIFY2(bad.error().sentence.contains(QStringLiteral("objects[0].table")) ||
                     bad.error().details().contains(QStringLiteral("objects[0].table")),
                 qPrintable(bad.error().details()));
    }
};

QTEST_GUILESS_MAIN(TestRefreshRules)
#include "tst_refreshrules.moc"
