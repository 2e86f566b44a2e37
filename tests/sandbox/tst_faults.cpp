// The sandbox's fault and latency injection, over real loopback HTTP: the control endpoint,
// every fault kind at the wire level, "the next N" exactness, seeds, latency and the counters.

#include "SandboxFixture.h"
#include "WireClient.h"

#include "Faults.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTest>

#include <algorithm>
#include <set>

using nlohmann::json;
using pbi::sandbox::FaultKind;
using pbi::sandbox::Faults;

namespace {

/// What a raw socket saw: every byte until the server closed, and how long that took.
struct RawExchange {
    bool connected = false;
    QByteArray bytes;
    qint64 elapsedMs = 0;

    QByteArray head() const { return bytes.left(bytes.indexOf("\r\n\r\n")); }
    QByteArray body() const
    {
        const qsizetype at = bytes.indexOf("\r\n\r\n");
        return at < 0 ? QByteArray() : bytes.mid(at + 4);
    }
    int status() const { return bytes.startsWith("HTTP/1.1 ") ? bytes.mid(9, 3).toInt() : 0; }
    qint64 contentLength() const
    {
        for (const QByteArray& line : head().split('\n'))
            if (line.toLower().startsWith("content-length:"))
                return line.mid(15).trimmed().toLongLong();
        return -1;
    }
};

/// A bare HTTP/1.1 exchange with "Connection: close", so nothing (not even Qt's own resend
/// of a request on a dropped keep-alive connection) hides what the server did.
RawExchange rawGet(quint16 port, const QByteArray& path)
{
    RawExchange out;
    QTcpSocket socket;
    QElapsedTimer timer;
    timer.start();
    socket.connectToHost(QHostAddress::LocalHost, port);
    out.connected = socket.waitForConnected(5000);
    if (!out.connected)
        return out;
    socket.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    socket.flush();
    while (socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < 15000) {
        socket.waitForReadyRead(200);
        out.bytes += socket.readAll();
    }
    out.bytes += socket.readAll();
    out.elapsedMs = timer.elapsed();
    return out;
}

QList<QPair<QByteArray, QByteArray>> jsonHeaders()
{
    return {qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))};
}

} // namespace

class TestFaults : public QObject {
    Q_OBJECT

    std::unique_ptr<SandboxFixture> f;

    QUrl control(const QString& what = QStringLiteral("faults")) const
    {
        return f->url(QStringLiteral("/sandbox/control/") + what);
    }
    WireReply post(const json& body, const QByteArray& method = "POST")
    {
        return wireSend(method, control(), jsonHeaders(), QByteArray::fromStdString(body.dump()));
    }
    quint16 port() const { return quint16(f->sandbox().port()); }
    // A route that reaches a handler without a token: the catch-all 404 of the service.
    static QByteArray plainPath() { return "/v1.0/myorg/no-such-thing"; }

private Q_SLOTS:
    // One sandbox for the suite; every test starts from no rules, seed 1 and zero counters.
    void initTestCase() { f = std::make_unique<SandboxFixture>(); }
    void cleanupTestCase() { f.reset(); }
    void init() { f->sandbox().faults().clear(1); }

    void controlEndpointRoundTrip()
    {
        WireReply r = post({{"faults",
                             {{{"kind", "429"}, {"path", "^/v1\\.0/myorg/admin/"}, {"count", 2},
                               {"retryAfter", 3392}}}},
                            {"latency", {{{"fixedMs", 10}, {"jitterMs", 5}, {"method", "get"}}}}});
        QCOMPARE(r.status, 200);
        json state = wireSend("GET", control()).json();
        QCOMPARE(state["faults"].size(), std::size_t(1));
        QCOMPARE(state["latency"].size(), std::size_t(1));
        const json& fault = state["faults"][0];
        QVERIFY(fault["kind"] == "429");
        QVERIFY(fault["retryAfter"] == 3392);
        QVERIFY(fault["count"] == 2);
        QVERIFY(fault["fired"] == 0);
        QVERIFY(state["latency"][0]["method"] == "GET");
        QVERIFY(state["seed"] == 1);

        // POST adds; DELETE of one id removes only that one.
        QCOMPARE(post({{"faults", {{{"kind", "500"}}}}}).status, 200);
        state = wireSend("GET", control()).json();
        QCOMPARE(state["faults"].size(), std::size_t(2));
        const int id = state["faults"][0]["id"].get<int>();
        QCOMPARE(wireSend("DELETE", control(QStringLiteral("faults/%1").arg(id))).status, 200);
        state = wireSend("GET", control()).json();
        QCOMPARE(state["faults"].size(), std::size_t(1));
        QVERIFY(state["faults"][0]["kind"] == "500");
        WireReply missing = wireSend("DELETE", control(QStringLiteral("faults/%1").arg(id)));
        QCOMPARE(missing.status, 404);

        // PUT replaces everything (and may re-seed); DELETE clears everything.
        QCOMPARE(post({{"seed", 42}, {"faults", {{{"kind", "503"}}}}}, "PUT").status, 200);
        state = wireSend("GET", control()).json();
        QCOMPARE(state["faults"].size(), std::size_t(1));
        QVERIFY(state["faults"][0]["kind"] == "503");
        QVERIFY(state["latency"].empty());
        QVERIFY(state["seed"] == 42);
        QCOMPARE(wireSend("DELETE", control()).status, 200);
        state = wireSend("GET", control()).json();
        QVERIFY(state["faults"].empty());
    }

    void badControlBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not json") << QByteArray("{\"faults\":[") << "JSON object";
        QTest::newRow("array") << QByteArray("[]") << "JSON object";
        QTest::newRow("faults not array") << QByteArray(R"({"faults":{}})") << "'faults' must be an array";
        QTest::newRow("unknown top field") << QByteArray(R"({"fault":[]})") << "unknown field 'fault'";
        QTest::newRow("no kind") << QByteArray(R"({"faults":[{"rate":1}]})") << "faults[0]: 'kind' is required";
        QTest::newRow("unknown kind") << QByteArray(R"({"faults":[{"kind":"418"}]})") << "'kind' must be one of";
        QTest::newRow("rate too big") << QByteArray(R"({"faults":[{"kind":"500","rate":2}]})") << "'rate' must be from 0 to 1";
        QTest::newRow("rate string") << QByteArray(R"({"faults":[{"kind":"500","rate":"all"}]})") << "'rate' must be a number";
        QTest::newRow("count negative") << QByteArray(R"({"faults":[{"kind":"500","count":-2}]})") << "'count' must be from -1";
        QTest::newRow("huge retryAfter") << QByteArray(R"({"faults":[{"kind":"429","retryAfter":99999999999}]})") << "'retryAfter'";
        QTest::newRow("bad regex") << QByteArray("{\"faults\":[{\"kind\":\"500\",\"path\":\"[\"}]}") /* moc misreads "(" in raw strings */ << "'path' is not a valid regular expression";
        QTest::newRow("typo field") << QByteArray(R"({"faults":[{"kind":"429","retryafter":5}]})") << "unknown field 'retryafter'";
        QTest::newRow("second rule bad") << QByteArray(R"({"faults":[{"kind":"500"},{"kind":"x"}]})") << "faults[1]";
        QTest::newRow("latency negative") << QByteArray(R"({"latency":[{"fixedMs":-1}]})") << "latency[0]: 'fixedMs'";
        QTest::newRow("seed negative") << QByteArray(R"({"seed":-1})") << "'seed'";
    }
    void badControlBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        WireReply r = wireSend("POST", control(), jsonHeaders(), body);
        QCOMPARE(r.status, 400);
        const json j = r.json();
        QVERIFY(j["error"]["code"] == "InvalidRequest");
        const QString message = QString::fromStdString(j["error"]["message"].get<std::string>());
        QVERIFY2(message.contains(mentions), qPrintable(message));
        // Nothing of a refused body is applied, not even its valid rules.
        QVERIFY(wireSend("GET", control()).json()["faults"].empty());
    }

    void nextNIsExact()
    {
        QCOMPARE(post({{"faults",
                        {{{"kind", "429"}, {"path", "no-such"}, {"after", 1}, {"count", 2},
                          {"retryAfter", 3392}}}}})
                     .status,
                 200);
        std::vector<int> statuses;
        for (int i = 0; i < 5; ++i) {
            WireReply r = wireSend("GET", f->url(QString::fromLatin1(plainPath())));
            statuses.push_back(r.status);
            QVERIFY(!r.header("RequestId").isEmpty());
            if (r.status == 429) {
                QCOMPARE(r.header("Retry-After"), QByteArray("3392"));
                const json j = r.json();
                QVERIFY(j["message"].get<std::string>().find("Retry in 3392 seconds.") != std::string::npos);
            }
        }
        QCOMPARE(statuses, (std::vector<int>{404, 429, 429, 404, 404}));
        const json state = wireSend("GET", control()).json();
        QVERIFY(state["faults"][0]["matched"] == 5);
        QVERIFY(state["faults"][0]["fired"] == 2);
        // Other routes were never touched.
        QCOMPARE(wireSend("GET", f->url(QStringLiteral("/v1.0/myorg/groups"))).status, 403);
    }

    void methodFilter()
    {
        QCOMPARE(post({{"faults", {{{"kind", "500"}, {"method", "POST"}}}}}).status, 200);
        QCOMPARE(wireSend("GET", f->url(QString::fromLatin1(plainPath()))).status, 404);
        QCOMPARE(wireSend("POST", f->url(QString::fromLatin1(plainPath())), jsonHeaders(), "{}").status, 500);
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("retryAfter");
        QTest::addColumn<QString>("code");
        QTest::newRow("429") << "429" << 429 << true << QString();
        QTest::newRow("500") << "500" << 500 << false << "InternalServerError";
        QTest::newRow("503") << "503" << 503 << true << "ServiceUnavailable";
    }
    void refusals()
    {
        QFETCH(QString, kind);
        QFETCH(int, status);
        QFETCH(bool, retryAfter);
        QFETCH(QString, code);
        QCOMPARE(post({{"faults", {{{"kind", kind.toStdString()}, {"count", 1}, {"retryAfter", 7}}}}}).status, 200);
        WireReply r = wireSend("GET", f->url(QString::fromLatin1(plainPath())));
        QCOMPARE(r.status, status);
        QCOMPARE(r.header("Retry-After"), retryAfter ? QByteArray("7") : QByteArray());
        QVERIFY(!r.header("RequestId").isEmpty());
        QVERIFY(r.header("Content-Type").startsWith("application/json"));
        const json j = r.json();
        QVERIFY(!j.is_discarded());
        if (!code.isEmpty())
            QVERIFY(j["error"]["code"] == code.toStdString());
        const json stats = wireSend("GET", control(QStringLiteral("stats"))).json();
        QVERIFY(stats["injected"][kind.toStdString()] == 1);
    }

    void resetAnswersNothing()
    {
        QCOMPARE(post({{"faults", {{{"kind", "reset"}, {"count", 1}}}}}).status, 200);
        const RawExchange dropped = rawGet(port(), plainPath());
        QVERIFY(dropped.connected);
        QVERIFY2(dropped.bytes.isEmpty(), dropped.bytes.constData());
        // The next connection is served normally.
        const RawExchange next = rawGet(port(), plainPath());
        QCOMPARE(next.status(), 404);
    }

    void truncatedBodyPromisesMore()
    {
        QCOMPARE(post({{"faults", {{{"kind", "truncated"}, {"count", 1}}}}}).status, 200);
        const RawExchange cut = rawGet(port(), plainPath());
        QCOMPARE(cut.status(), 404);
        QVERIFY(cut.contentLength() > 0);
        QVERIFY2(cut.body().size() < cut.contentLength(),
                 qPrintable(QStringLiteral("%1 of %2").arg(cut.body().size()).arg(cut.contentLength())));
        QVERIFY(!cut.body().isEmpty());
        const RawExchange whole = rawGet(port(), plainPath());
        QCOMPARE(whole.body().size(), whole.contentLength());
    }

    void malformedJsonKeepsTheStatus()
    {
        QCOMPARE(post({{"faults", {{{"kind", "malformed"}, {"count", 1}}}}}).status, 200);
        WireReply r = wireSend("GET", f->url(QString::fromLatin1(plainPath())));
        QCOMPARE(r.status, 404);
        QVERIFY(!r.body.isEmpty());
        QVERIFY(r.json().is_discarded());
        QVERIFY(!wireSend("GET", f->url(QString::fromLatin1(plainPath()))).json().is_discarded());
    }

    void slowBodyTrickles()
    {
        QCOMPARE(post({{"faults", {{{"kind", "slow"}, {"count", 1}, {"durationMs", 1200}}}}}).status, 200);
        const RawExchange slow = rawGet(port(), plainPath());
        QCOMPARE(slow.status(), 404);
        QCOMPARE(slow.body().size(), slow.contentLength());
        QVERIFY(!json::parse(slow.body().toStdString(), nullptr, false).is_discarded());
        QVERIFY2(slow.elapsedMs >= 1100, qPrintable(QString::number(slow.elapsedMs)));
        const RawExchange fast = rawGet(port(), plainPath());
        QVERIFY2(fast.elapsedMs < 1100, qPrintable(QString::number(fast.elapsedMs)));
    }

    void latencyDelaysMatchingRoutesOnly()
    {
        QCOMPARE(post({{"latency", {{{"fixedMs", 800}, {"path", "no-such"}}}}}).status, 200);
        QElapsedTimer t;
        t.start();
        QCOMPARE(wireSend("GET", f->url(QString::fromLatin1(plainPath()))).status, 404);
        QVERIFY2(t.elapsed() >= 800, qPrintable(QString::number(t.elapsed())));
        t.restart();
        QCOMPARE(wireSend("GET", f->url(QStringLiteral("/v1.0/myorg/groups"))).status, 403);
        QVERIFY2(t.elapsed() < 800, qPrintable(QString::number(t.elapsed())));
    }

    void controlRoutesAreNeverFaulted()
    {
        QCOMPARE(post({{"faults", {{{"kind", "500"}}}}, {"latency", {{{"fixedMs", 5000}}}}}).status, 200);
        QElapsedTimer t;
        t.start();
        QCOMPARE(wireSend("GET", control()).status, 200);
        QCOMPARE(wireSend("DELETE", control()).status, 200);
        QVERIFY(t.elapsed() < 4000);
        QCOMPARE(wireSend("GET", f->url(QString::fromLatin1(plainPath()))).status, 404);
    }

    void rateAndJitterAreDeterministicFromTheSeed()
    {
        auto run = [](std::uint64_t seed) {
            Faults faults(seed);
            pbi::sandbox::FaultRule rule;
            rule.kind = FaultKind::ServerError;
            rule.rate = 0.3;
            faults.addFault(rule);
            pbi::sandbox::LatencyRule latency;
            latency.fixedMs = 100;
            latency.jitterMs = 50;
            faults.addLatency(latency);
            std::vector<int> out;
            for (int i = 0; i < 200; ++i) {
                const auto d = faults.decide("GET", "/v1.0/myorg/groups");
                out.push_back(d.fault ? -d.delayMs : d.delayMs);
            }
            return out;
        };
        const auto a = run(5);
        QVERIFY(a == run(5));
        QVERIFY(a != run(6));
        const auto faulted = std::count_if(a.begin(), a.end(), [](int v) { return v < 0; });
        QVERIFY2(faulted > 30 && faulted < 90, qPrintable(QString::number(faulted))); // ~60 of 200
        for (int v : a)
            QVERIFY(std::abs(v) >= 100 && std::abs(v) <= 150);
        QVERIFY(std::set<int>(a.begin(), a.end()).size() > 10); // the jitter varies

        // Over the wire, re-seeding through the control endpoint replays the same sequence.
        auto wireRun = [this] {
            post({{"seed", 9}, {"faults", {{{"kind", "500"}, {"rate", 0.5}}}}}, "PUT");
            std::vector<int> statuses;
            for (int i = 0; i < 16; ++i)
                statuses.push_back(wireSend("GET", f->url(QString::fromLatin1(plainPath()))).status);
            return statuses;
        };
        const auto first = wireRun();
        QCOMPARE(wireRun(), first);
        QVERIFY(std::count(first.begin(), first.end(), 500) > 0);
        QVERIFY(std::count(first.begin(), first.end(), 404) > 0);
    }

    void statsCountConcurrency()
    {
        QCOMPARE(post({{"latency", {{{"fixedMs", 600}, {"path", "no-such"}}}}}).status, 200);
        QCOMPARE(wireSend("DELETE", control(QStringLiteral("stats"))).status, 200);
        QNetworkAccessManager nam;
        std::vector<QNetworkReply*> replies;
        for (int i = 0; i < 4; ++i)
            replies.push_back(nam.get(QNetworkRequest(f->url(QString::fromLatin1(plainPath())))));
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.begin(), replies.end(),
                                             [](QNetworkReply* r) { return r->isFinished(); }),
                                 10000);
        qDeleteAll(replies);
        const json stats = wireSend("GET", control(QStringLiteral("stats"))).json();
        QVERIFY(stats["requests"] == 4);
        QVERIFY2(stats["maxInFlight"] == 4, stats.dump().c_str());
        QVERIFY(stats["inFlight"] == 0);
    }

    void optionsApplyFromTheStart()
    {
        pbi::sandbox::SandboxOptions options;
        options.faults.push_back(Faults::faultFromSpec("503,path=no-such,count=1,retry-after=12"));
        SandboxFixture g(options);
        WireReply r = wireSend("GET", g.url(QString::fromLatin1(plainPath())));
        QCOMPARE(r.status, 503);
        QCOMPARE(r.header("Retry-After"), QByteArray("12"));
        QCOMPARE(wireSend("GET", g.url(QString::fromLatin1(plainPath()))).status, 404);
    }

    void specs_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<bool>("latency");
        QTest::addColumn<QString>("error"); // empty: valid
        QTest::newRow("429 full") << "429,path=^/v1.0/myorg/admin,rate=0.25,after=2,count=3,retry-after=30,method=GET" << false << "";
        QTest::newRow("slow") << "slow,duration=1500" << false << "";
        QTest::newRow("reset") << "reset" << false << "";
        QTest::newRow("no kind") << "rate=1" << false << "starts with its kind";
        QTest::newRow("bad kind") << "404" << false << "unknown fault kind '404'";
        QTest::newRow("bad key") << "500,often=yes" << false << "unknown fault setting 'often'";
        QTest::newRow("bad rate") << "500,rate=lots" << false << "'rate' needs a number";
        QTest::newRow("rate range") << "500,rate=1.5" << false << "'rate' must be from 0 to 1";
        QTest::newRow("bad count") << "500,count=x" << false << "'count' needs a whole number";
        QTest::newRow("latency") << "fixed=200,jitter=50,path=^/v1.0/" << true << "";
        QTest::newRow("latency no fixed") << "jitter=50" << true << "needs fixed=MS";
        QTest::newRow("latency bad key") << "fixed=1,slow=2" << true << "unknown latency setting 'slow'";
        QTest::newRow("latency regex") << "fixed=1,path=[" << true << "not a valid regular expression";
    }
    void specs()
    {
        QFETCH(QString, spec);
        QFETCH(bool, latency);
        QFETCH(QString, error);
        QString got;
        try {
            if (latency) {
                const auto r = Faults::latencyFromSpec(spec.toStdString());
                QCOMPARE(r.fixedMs, 200);
                QCOMPARE(r.jitterMs, 50);
            } else {
                const auto r = Faults::faultFromSpec(spec.toStdString());
                if (spec.startsWith(QStringLiteral("429"))) {
                    QCOMPARE(int(r.kind), int(FaultKind::Throttled));
                    QCOMPARE(r.rate, 0.25);
                    QCOMPARE(r.after, 2);
                    QCOMPARE(r.count, 3);
                    QCOMPARE(r.retryAfterSeconds, 30);
                    QCOMPARE(r.method, std::string("GET"));
                    QCOMPARE(r.path, std::string("^/v1.0/myorg/admin"));
                }
                if (spec.startsWith(QStringLiteral("slow")))
                    QCOMPARE(r.durationMs, 1500);
            }
        } catch (const std::invalid_argument& e) {
            got = QString::fromUtf8(e.what());
        }
        if (error.isEmpty())
            QVERIFY2(got.isEmpty(), qPrintable(got));
        else
            QVERIFY2(got.contains(error), qPrintable(got));
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
