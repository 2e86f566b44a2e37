#include "SandboxFixture.h"
#include "SilentServer.h"

#include "auth/TokenProvider.h"
#include "http/ErrorDecoder.h"

#include "Faults.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>
#include <QTimer>

using pbi::ErrorKind;
using pbi::Transport;
using pbi::sandbox::FaultKind;
using pbi::sandbox::FaultRule;

namespace {

/// A clock the test moves by hand: "until" times become exact.
class ManualClock final : public pbi::Clock {
public:
    QDateTime now() const override { return m_now; }
    QDateTime m_now = QDateTime(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC);
};

/// Hands out "token-1", "token-2"… (or a fixed error), asynchronously, and counts.
class CountingTokens final : public pbi::TokenProvider {
public:
    using TokenProvider::TokenProvider;
    void requestToken(QObject* context, Callback callback) override
    {
        ++requests;
        QPointer<QObject> guard(context);
        QTimer::singleShot(0, this, [this, guard, callback = std::move(callback)] {
            if (!guard)
                return;
            if (failWith) {
                callback(*failWith);
                return;
            }
            pbi::AccessToken t;
            t.value = QStringLiteral("token-%1").arg(++issued);
            t.expiresAt = QDateTime::currentDateTimeUtc().addSecs(3600);
            callback(t);
        });
    }
    void invalidate() override { ++invalidations; }
    QString identityLabel() const override { return QStringLiteral("test tokens"); }

    int requests = 0;
    int issued = 0;
    int invalidations = 0;
    std::optional<pbi::Error> failWith;
};

FaultRule fault(FaultKind kind, int count, const std::string& path = "no-such", const std::string& method = {})
{
    FaultRule r;
    r.kind = kind;
    r.count = count;
    r.path = path;
    r.method = method;
    r.retryAfterSeconds = 0;
    return r;
}

/// Fast, deterministic retries: 1 ms base, jitter fixed at the top of the range.
void fastRetries(Transport& t, int maxAttempts = 4)
{
    pbi::TransportPolicy p;
    p.maxAttempts = maxAttempts;
    p.backoffBase = std::chrono::milliseconds(1);
    p.backoffCap = std::chrono::milliseconds(20);
    t.setPolicy(p);
    t.setRandom([] { return 0.999; });
}

std::vector<int> statuses(const pbi::RequestLog& log)
{
    std::vector<int> out;
    for (const auto& e : log.entries())
        out.push_back(e.status);
    return out;
}

/// One sandbox for the whole suite (its RSA key takes a while to make); a fresh transport,
/// log and rule set for every test.
struct Fresh {
    explicit Fresh(SandboxFixture& shared)
        : m_shared(shared)
        , network(shared.network)
        , clock(shared.clock)
        , transport(&shared.network, &shared.clock, &log)
    {
        shared.sandbox().faults().clear();
    }
    ~Fresh() { transport.cancelAll(); }
    pbi::sandbox::Sandbox& sandbox() { return m_shared.sandbox(); }
    QUrl url(const QString& path) const { return m_shared.url(path); }
    QString tenantId() const { return m_shared.tenantId(); }
    QString clientId() const { return m_shared.clientId(); }
    QString clientSecret() const { return m_shared.clientSecret(); }

    SandboxFixture& m_shared;
    QNetworkAccessManager& network;
    pbi::SystemClock& clock;
    pbi::RequestLog log;
    pbi::Transport transport;
};

} // namespace

class TestTransport : public QObject {
    Q_OBJECT

    using R = pbi::Result<pbi::HttpResponse>;
    std::unique_ptr<SandboxFixture> m_sandbox;

    static pbi::HttpRequest get(const QUrl& url, const QByteArray& method = "GET")
    {
        pbi::HttpRequest req;
        req.method = method;
        req.url = url;
        return req;
    }
    static QString plain() { return QStringLiteral("/v1.0/myorg/no-such-thing"); }

    std::optional<R> sendAndWait(pbi::Transport& t, pbi::HttpRequest req, int timeoutMs = 10000)
    {
        std::optional<R> result;
        t.send(std::move(req), this, [&](R r) { result = std::move(r); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, timeoutMs))
            return std::nullopt;
        return result;
    }

private Q_SLOTS:
    void initTestCase() { m_sandbox = std::make_unique<SandboxFixture>(); }
    void cleanupTestCase() { m_sandbox.reset(); }
    void httpErrorIsAnAnswerNotAnError()
    {
        Fresh f(*m_sandbox);
        pbi::HttpRequest req;
        req.url = f.url(QStringLiteral("/v1.0/myorg/no-such-route"));
        auto r = sendAndWait(f.transport, req);
        QVERIFY(r && r->ok());
        QCOMPARE(r->value().status, 404);
        QVERIFY(!r->value().requestId().isEmpty());
        QCOMPARE(f.log.entries().size(), std::size_t(1));
        const auto& entry = f.log.entries().back();
        QCOMPARE(entry.status, 404);
        QCOMPARE(entry.requestId, r->value().requestId());
        QVERIFY(entry.responseBytes > 0);
    }

    void plainHttpIsRefusedForRemoteHosts_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("https remote") << "https://api.powerbi.com/v1.0/myorg/groups" << true;
        QTest::newRow("http remote") << "http://api.powerbi.com/v1.0/myorg/groups" << false;
        QTest::newRow("http private range") << "http://10.0.0.5/x" << false;
        QTest::newRow("http loopback v4") << "http://127.0.0.1:8080/x" << true;
        QTest::newRow("http loopback 127/8") << "http://127.1.2.3:8080/x" << true;
        QTest::newRow("http loopback v6") << "http://[::1]:8080/x" << true;
        QTest::newRow("http localhost") << "http://localhost:8080/x" << true;
        QTest::newRow("ftp") << "ftp://127.0.0.1/x" << false;
        QTest::newRow("no host") << "https:///x" << false;
    }
    void plainHttpIsRefusedForRemoteHosts()
    {
        QFETCH(QString, url);
        QFETCH(bool, allowed);
        QCOMPARE(pbi::Transport::isAllowedUrl(QUrl(url)), allowed);
    }

    void refusedRequestsFailAsynchronously()
    {
        Fresh f(*m_sandbox);
        bool called = false;
        std::optional<R> result;
        pbi::HttpRequest req;
        req.url = QUrl(QStringLiteral("http://api.powerbi.com/v1.0/myorg/groups"));
        f.transport.send(req, this, [&](R r) {
            called = true;
            result = std::move(r);
        });
        QVERIFY2(!called, "callbacks are never synchronous");
        QTRY_VERIFY(called);
        QVERIFY(!result->ok());
        QCOMPARE(result->error().kind, ErrorKind::Refused);
        QVERIFY(result->error().sentence.contains(QStringLiteral("https")));
    }

    void connectionRefused()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        Fresh f(*m_sandbox);
        pbi::HttpRequest req;
        req.url = QUrl(QStringLiteral("http://127.0.0.1:%1/x").arg(port));
        auto r = sendAndWait(f.transport, req);
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ErrorKind::Network);
        QVERIFY(r->error().sentence.contains(QStringLiteral("refused")));
        QCOMPARE(f.log.entries().back().status, 0);
        QVERIFY(!f.log.entries().back().error.isEmpty());
    }

    void timeout()
    {
        SilentServer silent;
        Fresh f(*m_sandbox);
        fastRetries(f.transport, 2);
        pbi::HttpRequest req;
        req.url = silent.url();
        req.timeout = std::chrono::milliseconds(300);
        auto r = sendAndWait(f.transport, req);
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ErrorKind::Timeout);
        // A GET that timed out is tried again, once under this policy.
        QCOMPARE(statuses(f.log), (std::vector<int>{0, 0}));
        QVERIFY(f.log.entries().front().note.startsWith(QStringLiteral("retrying in")));
    }

    void cancel()
    {
        SilentServer silent;
        Fresh f(*m_sandbox);
        pbi::HttpRequest req;
        req.url = silent.url();
        std::optional<R> result;
        const quint64 id = f.transport.send(req, this, [&](R r) { result = std::move(r); });
        QTest::qWait(50);
        f.transport.cancel(id);
        QTRY_VERIFY(result.has_value());
        QCOMPARE(result->error().kind, ErrorKind::Cancelled);
    }

    void truncatedBodyIsAnError()
    {
        SilentServer liar("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"value\":[");
        Fresh f(*m_sandbox);
        fastRetries(f.transport, 2);
        pbi::HttpRequest req;
        req.url = liar.url();
        auto r = sendAndWait(f.transport, req);
        QVERIFY(r.has_value());
        QVERIFY2(!r->ok(), "a body shorter than its Content-Length must not pass as an answer");
        QCOMPARE(r->error().kind, ErrorKind::Network);
    }

    void deadContextGetsNoCallback()
    {
        SilentServer silent;
        Fresh f(*m_sandbox);
        auto* context = new QObject;
        bool called = false;
        pbi::HttpRequest req;
        req.url = silent.url();
        req.timeout = std::chrono::milliseconds(200);
        f.transport.send(req, context, [&](R) { called = true; });
        delete context;
        QTest::qWait(500);
        QVERIFY(!called);
    }

    void transientFailuresAreRetried_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("count");
        QTest::newRow("500") << int(FaultKind::ServerError) << 2;
        QTest::newRow("503 without wait") << int(FaultKind::Unavailable) << 2;
        // Qt resends on its own too when the close wins the race with the partial body, so
        // make sure more faults are left than Qt's own resends can use up.
        QTest::newRow("truncated body") << int(FaultKind::Truncated) << 5;
        // Qt itself resends up to twice when a kept-alive connection drops before any byte of
        // the answer; three resets get past it, and the transport's retry is what recovers.
        QTest::newRow("reset") << int(FaultKind::Reset) << 3;
    }
    void transientFailuresAreRetried()
    {
        QFETCH(int, kind);
        QFETCH(int, count);
        Fresh f(*m_sandbox);
        fastRetries(f.transport, count + 1);
        f.sandbox().faults().addFault(fault(FaultKind(kind), count));
        auto r = sendAndWait(f.transport, get(f.url(plain())));
        QVERIFY(r.has_value());
        QVERIFY2(r->ok(), r->ok() ? "" : qPrintable(r->error().details()));
        QCOMPARE(r->value().status, 404); // the route's real answer, reached at last
        QVERIFY2(r->value().retries >= 1, qPrintable(QStringLiteral("hits %1 body %2").arg(f.sandbox().faults().stats().requests).arg(QString::fromUtf8(r->value().body))));
        const auto& entries = f.log.entries();
        QCOMPARE(int(entries.size()), r->value().retries + 1);
        for (std::size_t i = 0; i < entries.size(); ++i) {
            QCOMPARE(entries[i].retries, int(i));
            QCOMPARE(entries[i].transportId, entries.front().transportId);
            if (i + 1 < entries.size())
                QVERIFY2(entries[i].note.startsWith(QStringLiteral("retrying in")) ||
                             entries[i].note.startsWith(QStringLiteral("throttled until")),
                         qPrintable(entries[i].note));
        }
        QVERIFY(entries.back().note.isEmpty());
        QCOMPARE(entries.back().status, 404);
    }

    void attemptsAreCapped()
    {
        Fresh f(*m_sandbox);
        fastRetries(f.transport, 3);
        f.sandbox().faults().addFault(fault(FaultKind::ServerError, -1));
        auto r = sendAndWait(f.transport, get(f.url(plain())));
        QVERIFY(r && r->ok());
        QCOMPARE(r->value().status, 500);
        QCOMPARE(r->value().retries, 2);
        QCOMPARE(statuses(f.log), (std::vector<int>{500, 500, 500}));
        QVERIFY(f.log.entries().back().note.isEmpty());
    }

    void nonIdempotentRequestsAreNotResent_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("safe");
        QTest::addColumn<int>("attempts");
        QTest::newRow("POST 500") << int(FaultKind::ServerError) << false << 1;
        QTest::newRow("POST truncated") << int(FaultKind::Truncated) << false << 1;
        QTest::newRow("POST 503") << int(FaultKind::Unavailable) << false << 1;
        QTest::newRow("safe POST 500") << int(FaultKind::ServerError) << true << 2;
        QTest::newRow("safe POST 503") << int(FaultKind::Unavailable) << true << 2;
        // 429 is refused before anything runs: even a POST goes again.
        QTest::newRow("POST 429") << int(FaultKind::Throttled) << false << 2;
    }
    void nonIdempotentRequestsAreNotResent()
    {
        QFETCH(int, kind);
        QFETCH(bool, safe);
        QFETCH(int, attempts);
        Fresh f(*m_sandbox);
        fastRetries(f.transport);
        f.sandbox().faults().addFault(fault(FaultKind(kind), 1));
        pbi::HttpRequest req = get(f.url(plain()), "POST");
        req.body = "{}";
        req.setHeader("Content-Type", "application/json");
        req.safeToRetry = safe;
        auto r = sendAndWait(f.transport, req);
        QVERIFY(r.has_value());
        QCOMPARE(int(f.log.entries().size()), attempts);
        // Qt 6.4 itself may resend once a connection drops before the answer is read (even a
        // POST); only answers that arrived whole tell exactly how often the server was asked.
        if (FaultKind(kind) != FaultKind::Truncated)
            QCOMPARE(f.sandbox().faults().stats().requests, std::int64_t(attempts));
    }

    void clientCredentialsTokenRequestsAreSafe()
    {
        Fresh f(*m_sandbox);
        fastRetries(f.transport);
        f.sandbox().faults().addFault(fault(FaultKind::ServerError, 1, "/oauth2/v2.0/token"));
        pbi::HttpRequest req = get(f.url(QStringLiteral("/%1/oauth2/v2.0/token").arg(f.tenantId())), "POST");
        req.setHeader("Content-Type", "application/x-www-form-urlencoded");
        req.body = "grant_type=client_credentials&client_id=" + f.clientId().toLatin1() +
                   "&client_secret=" + QUrl::toPercentEncoding(f.clientSecret()) +
                   "&scope=https%3A%2F%2Fanalysis.windows.net%2Fpowerbi%2Fapi%2F.default";
        auto r = sendAndWait(f.transport, req);
        QVERIFY(r && r->ok());
        QCOMPARE(r->value().status, 200);
        QCOMPARE(statuses(f.log), (std::vector<int>{500, 200}));
        for (const auto& e : f.log.entries())
            QVERIFY2(!e.requestBody.contains(f.clientSecret().toLatin1()), e.requestBody.constData());
    }

    void backoffIsExponentialWithFullJitter_data()
    {
        QTest::addColumn<double>("random");
        QTest::addColumn<QList<qint64>>("delays");
        QTest::newRow("top of range") << 0.999 << QList<qint64>{19, 39, 79, 159};
        QTest::newRow("half") << 0.5 << QList<qint64>{10, 20, 40, 80};
        QTest::newRow("zero") << 0.0 << QList<qint64>{0, 0, 0, 0};
    }
    void backoffIsExponentialWithFullJitter()
    {
        QFETCH(double, random);
        QFETCH(QList<qint64>, delays);
        Fresh f(*m_sandbox);
        ManualClock clock;
        pbi::Transport t(&f.network, &clock, &f.log);
        pbi::TransportPolicy p;
        p.maxAttempts = 5;
        p.backoffBase = std::chrono::milliseconds(20);
        p.backoffCap = std::chrono::milliseconds(10000);
        t.setPolicy(p);
        t.setRandom([random] { return random; });
        f.sandbox().faults().addFault(fault(FaultKind::ServerError, -1));
        QList<qint64> seen;
        connect(&t, &Transport::stateChanged, this, [&](quint64, Transport::Phase phase, const QDateTime& until) {
            if (phase == Transport::Phase::BackingOff)
                seen << clock.now().msecsTo(until);
        });
        auto r = sendAndWait(t, get(f.url(plain())));
        QVERIFY(r && r->ok());
        QCOMPARE(seen, delays);
    }

    void backoffIsCapped()
    {
        Fresh f(*m_sandbox);
        ManualClock clock;
        pbi::Transport t(&f.network, &clock, &f.log);
        pbi::TransportPolicy p;
        p.maxAttempts = 6;
        p.backoffBase = std::chrono::milliseconds(10);
        p.backoffCap = std::chrono::milliseconds(25);
        t.setPolicy(p);
        t.setRandom([] { return 0.999; });
        f.sandbox().faults().addFault(fault(FaultKind::ServerError, -1));
        QList<qint64> seen;
        connect(&t, &Transport::stateChanged, this, [&](quint64, Transport::Phase phase, const QDateTime& until) {
            if (phase == Transport::Phase::BackingOff)
                seen << clock.now().msecsTo(until);
        });
        QVERIFY(sendAndWait(t, get(f.url(plain()))).has_value());
        QCOMPARE(seen, (QList<qint64>{9, 19, 24, 24, 24}));
    }

    void retryAfterIsHonoured()
    {
        Fresh f(*m_sandbox);
        fastRetries(f.transport);
        FaultRule rule = fault(FaultKind::Throttled, 1);
        rule.retryAfterSeconds = 1;
        f.sandbox().faults().addFault(rule);
        QSignalSpy throttle(&f.transport, &Transport::throttleChanged);
        QElapsedTimer timer;
        timer.start();
        auto r = sendAndWait(f.transport, get(f.url(plain())));
        QVERIFY(r && r->ok());
        QCOMPARE(r->value().status, 404);
        QVERIFY2(timer.elapsed() >= 900, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(statuses(f.log), (std::vector<int>{429, 404}));
        QVERIFY(f.log.entries().front().note.startsWith(QStringLiteral("throttled until")));
        QVERIFY(f.log.entries().front().note.contains(QStringLiteral("Retry-After 1")));
        QCOMPARE(f.log.entries().back().retries, 1);
        QTRY_COMPARE(throttle.count(), 2); // throttled, then no longer
        QCOMPARE(throttle.at(0).at(0).toString(), QStringLiteral("api"));
        QVERIFY(throttle.at(0).at(1).toDateTime().isValid());
        QVERIFY(!throttle.at(1).at(1).toDateTime().isValid());
    }

    void longRetryAfterIsAStateThatCanBeCancelled()
    {
        Fresh f(*m_sandbox);
        ManualClock clock;
        pbi::Transport t(&f.network, &clock, &f.log);
        fastRetries(t);
        FaultRule rule = fault(FaultKind::Throttled, 1, "^/v1\\.0/myorg/admin/groups$");
        rule.retryAfterSeconds = 3392;
        f.sandbox().faults().addFault(rule);

        std::optional<R> result;
        const quint64 id = t.send(get(f.url(QStringLiteral("/v1.0/myorg/admin/groups"))), this,
                                  [&](R r) { result = std::move(r); });
        const QDateTime expected = clock.now().addSecs(3392);
        QTRY_VERIFY(t.state(id) && t.state(id)->phase == Transport::Phase::Throttled);
        QCOMPARE(t.state(id)->until, expected);
        QCOMPARE(t.state(id)->family, QStringLiteral("admin.groups"));
        QCOMPARE(t.throttledUntil(QStringLiteral("admin.groups")), expected);
        QVERIFY(!t.throttledUntil(QStringLiteral("admin.datasets")).isValid());
        QVERIFY(!result.has_value());

        // Another call in the family waits too, without asking the service again.
        std::optional<R> second;
        const quint64 id2 = t.send(get(f.url(QStringLiteral("/v1.0/myorg/admin/groups"))), this,
                                   [&](R r) { second = std::move(r); });
        QTRY_VERIFY(t.state(id2) && t.state(id2)->phase == Transport::Phase::Throttled);
        QCOMPARE(f.sandbox().faults().stats().requests, std::int64_t(1));
        // Other families are not held up.
        auto other = sendAndWait(t, get(f.url(plain())));
        QVERIFY(other && other->ok());

        t.cancel(id);
        QTRY_VERIFY(result.has_value());
        QCOMPARE(result->error().kind, ErrorKind::Cancelled);
        QVERIFY(!t.state(id));
        QVERIFY(t.state(id2)); // cancelling one leaves the others waiting
        t.cancel(id2);
        QTRY_VERIFY(second.has_value());
        QCOMPARE(second->error().kind, ErrorKind::Cancelled);
        QCOMPARE(f.sandbox().faults().stats().requests, std::int64_t(2));
    }

    void retryAfterBeyondTheMaximumIsDeliveredWithItsTime()
    {
        Fresh f(*m_sandbox);
        ManualClock clock;
        pbi::Transport t(&f.network, &clock, &f.log);
        fastRetries(t);
        pbi::TransportPolicy p = t.policy();
        p.maxRetryAfter = std::chrono::seconds(60);
        t.setPolicy(p);
        FaultRule rule = fault(FaultKind::Throttled, 1, "^/v1\\.0/myorg/admin/groups$");
        rule.retryAfterSeconds = 3392;
        f.sandbox().faults().addFault(rule);

        auto r = sendAndWait(t, get(f.url(QStringLiteral("/v1.0/myorg/admin/groups"))));
        QVERIFY(r && r->ok());
        QCOMPARE(r->value().status, 429);
        const pbi::Error e = pbi::ErrorDecoder::fromService(r->value());
        QCOMPARE(e.kind, ErrorKind::Throttled);
        QCOMPARE(e.retryAt, clock.now().addSecs(3392));
        QVERIFY(e.message.contains(QStringLiteral("Retry in 3392 seconds")));
        QVERIFY(!e.requestId.isEmpty());

        // The next call in that family fails at once, naming the time, and sends nothing.
        auto again = sendAndWait(t, get(f.url(QStringLiteral("/v1.0/myorg/admin/groups"))));
        QVERIFY(again && !again->ok());
        QCOMPARE(again->error().kind, ErrorKind::Throttled);
        QCOMPARE(again->error().retryAt, clock.now().addSecs(3392));
        QCOMPARE(f.sandbox().faults().stats().requests, std::int64_t(1));
    }

    void retryAfterForms_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<qint64>("seconds"); // -1: no time
        QTest::newRow("seconds") << QByteArray("3392") << qint64(3392);
        QTest::newRow("zero") << QByteArray("0") << qint64(0);
        QTest::newRow("http date") << QByteArray("Sat, 28 Nov 2026 13:00:00 GMT") << qint64(3600);
        QTest::newRow("date in the past") << QByteArray("Sat, 28 Nov 2026 11:00:00 GMT") << qint64(0);
        QTest::newRow("negative") << QByteArray("-5") << qint64(-1);
        QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
        QTest::newRow("absent") << QByteArray() << qint64(-1);
    }
    void retryAfterForms()
    {
        QFETCH(QByteArray, header);
        QFETCH(qint64, seconds);
        pbi::HttpResponse r;
        r.status = 429;
        r.receivedAt = ManualClock().now();
        if (!header.isEmpty())
            r.headers.append(qMakePair(QByteArray("Retry-After"), header));
        const QDateTime at = r.retryAt();
        if (seconds < 0)
            QVERIFY(!at.isValid());
        else
            QCOMPARE(r.receivedAt.secsTo(at), seconds);
    }

    void concurrencyIsLimitedPerHostAndFamily_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("limit");
        QTest::newRow("host") << plain() << 6;
        QTest::newRow("admin") << QStringLiteral("/v1.0/myorg/admin/groups") << 3;
    }
    void concurrencyIsLimitedPerHostAndFamily()
    {
        QFETCH(QString, path);
        QFETCH(int, limit);
        Fresh f(*m_sandbox);
        pbi::sandbox::LatencyRule slow;
        slow.fixedMs = 250;
        f.sandbox().faults().addLatency(slow);
        int maxInFlight = 0;
        connect(&f.transport, &Transport::stateChanged, this,
                [&](quint64, Transport::Phase, const QDateTime&) { maxInFlight = std::max(maxInFlight, f.transport.inFlight()); });
        int done = 0;
        for (int i = 0; i < 10; ++i)
            f.transport.send(get(f.url(path)), this, [&](R r) { done += r.ok() ? 1 : 0; });
        QTRY_COMPARE_WITH_TIMEOUT(done, 10, 10000);
        QCOMPARE(maxInFlight, limit);
        QCOMPARE(f.sandbox().faults().stats().maxInFlight, limit);
    }

    void familiesOfEndpoints_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("family");
        QTest::newRow("groups") << QByteArray("GET") << "https://api.powerbi.com/v1.0/myorg/groups" << "api";
        QTest::newRow("admin groups") << QByteArray("GET") << "https://api.powerbi.com/v1.0/myorg/admin/groups?$top=5000" << "admin.groups";
        QTest::newRow("admin datasets") << QByteArray("GET") << "https://api.powerbi.com/v1.0/myorg/admin/datasets" << "admin.datasets";
        QTest::newRow("getInfo") << QByteArray("POST") << "https://api.powerbi.com/v1.0/myorg/admin/workspaces/getInfo?lineage=true" << "admin.getInfo";
        QTest::newRow("scanStatus") << QByteArray("GET") << "https://api.powerbi.com/v1.0/myorg/admin/workspaces/scanStatus/x" << "admin.workspaces";
        QTest::newRow("token") << QByteArray("POST") << "https://login.microsoftonline.com/t/oauth2/v2.0/token" << "entra";
        QTest::newRow("other") << QByteArray("GET") << "https://example.com/x" << "other";
    }
    void familiesOfEndpoints()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, url);
        QFETCH(QString, family);
        QCOMPARE(Transport::familyOf(method, QUrl(url)), family);
    }

    void bearerIsInjectedAndRedacted()
    {
        Fresh f(*m_sandbox);
        CountingTokens tokens;
        pbi::HttpRequest req = get(f.url(plain()));
        req.bearer = &tokens;
        auto r = sendAndWait(f.transport, req);
        QVERIFY(r && r->ok());
        QCOMPARE(tokens.requests, 1);
        const auto& e = f.log.entries().back();
        bool sawRedacted = false;
        for (const auto& [name, value] : e.requestHeaders)
            if (name == "Authorization")
                sawRedacted = value == "Bearer [redacted]";
        QVERIFY(sawRedacted);
        QVERIFY(!e.toCurl().contains(QStringLiteral("token-1")));
        QVERIFY(e.toCurl().contains(QStringLiteral("Bearer [redacted]")));
        QVERIFY(e.toCurl(pbi::RequestLogEntry::Secrets::Show).contains(QStringLiteral("Authorization: Bearer token-1")));
        // The log keeps originals for its newest entries only, and forgets them on demand.
        f.log.forgetSecrets();
        QVERIFY(!f.log.entries().back().toCurl(pbi::RequestLogEntry::Secrets::Show).contains(QStringLiteral("token-1")));
    }

    void tokenFailureSendsNothing()
    {
        Fresh f(*m_sandbox);
        CountingTokens tokens;
        pbi::Error refused;
        refused.kind = ErrorKind::Auth;
        refused.detailCode = QStringLiteral("AADSTS7000215");
        tokens.failWith = refused;
        pbi::HttpRequest req = get(f.url(plain()));
        req.bearer = &tokens;
        auto r = sendAndWait(f.transport, req);
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().detailCode, QStringLiteral("AADSTS7000215"));
        QVERIFY(f.log.entries().empty());
        QCOMPARE(f.sandbox().faults().stats().requests, std::int64_t(0));
    }

    void cancelWhileQueued()
    {
        Fresh f(*m_sandbox);
        pbi::TransportPolicy p;
        p.perHostLimit = 1;
        f.transport.setPolicy(p);
        pbi::sandbox::LatencyRule slow;
        slow.fixedMs = 300;
        f.sandbox().faults().addLatency(slow);
        std::optional<R> first, second;
        f.transport.send(get(f.url(plain())), this, [&](R r) { first = std::move(r); });
        const quint64 queued = f.transport.send(get(f.url(plain())), this, [&](R r) { second = std::move(r); });
        QTRY_VERIFY(f.transport.state(queued) && f.transport.state(queued)->phase == Transport::Phase::Queued &&
                    f.transport.inFlight() == 1);
        f.transport.cancel(queued);
        QTRY_VERIFY(second.has_value());
        QCOMPARE(second->error().kind, ErrorKind::Cancelled);
        QTRY_VERIFY(first.has_value());
        QVERIFY(first->ok());
        QCOMPARE(f.sandbox().faults().stats().requests, std::int64_t(1));
    }

    void tlsFailureIsAnErrorNotRetried()
    {
        // A server that answers a TLS handshake with plain HTTP: the handshake fails, and
        // the transport neither ignores it nor retries it.
        SilentServer plain("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        Fresh f(*m_sandbox);
        fastRetries(f.transport);
        QUrl url = plain.url();
        url.setScheme(QStringLiteral("https"));
        auto r = sendAndWait(f.transport, get(url));
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ErrorKind::Network);
        QCOMPARE(f.log.entries().size(), std::size_t(1));
        QVERIFY(f.log.entries().back().note.isEmpty());
    }

    void endlessThrottlingIsCapped()
    {
        Fresh f(*m_sandbox);
        fastRetries(f.transport);
        pbi::TransportPolicy p = f.transport.policy();
        p.maxThrottleWaits = 3;
        f.transport.setPolicy(p);
        f.sandbox().faults().addFault(fault(FaultKind::Throttled, -1)); // Retry-After: 0, always
        auto r = sendAndWait(f.transport, get(f.url(plain())));
        QVERIFY(r && r->ok());
        QCOMPARE(r->value().status, 429);
        QCOMPARE(statuses(f.log), (std::vector<int>{429, 429, 429, 429}));
        QVERIFY(f.log.entries().back().note.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTransport)
#include "tst_transport.moc"
