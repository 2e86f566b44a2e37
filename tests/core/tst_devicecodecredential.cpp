#include "SandboxFixture.h"
#include "WireClient.h"

#include "EntraDemo.h"
#include "auth/DeviceCodeCredential.h"
#include "auth/JwtInspector.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using pbi::ErrorKind;

namespace {

const QString kMegan = QStringLiteral("megan@contoso-sandbox.onmicrosoft.com");
QString publicClient() {
    return QString::fromLatin1(pbi::sandbox::demo::kPublicClientId);
}

pbi::sandbox::SandboxOptions fastDeviceCodes(int lifetimeSecs = 120) {
    pbi::sandbox::SandboxOptions o;
    o.deviceCodeIntervalSeconds = 1;
    o.deviceCodeLifetimeSeconds = lifetimeSecs;
    return o;
}

/// Entra as RFC 8628 describes it but the sandbox does not do on its own (slow_down for a
/// client that keeps to the interval): answers each request with the next scripted reply
/// and notes when each request arrived.
class ScriptedEntra : public QTcpServer {
public:
    explicit ScriptedEntra(QList<QPair<int, QByteArray>> replies)
        : m_replies(std::move(replies)) {
        listen(QHostAddress::LocalHost, 0);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, s, [this, s] {
                    m_buffer[s] += s->readAll();
                    const QByteArray& b = m_buffer[s];
                    const qsizetype end = b.indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    const qsizetype lenAt = b.toLower().indexOf("content-length:");
                    const qsizetype len =
                        lenAt < 0 ? 0
                                  : b.mid(lenAt + 15, b.indexOf("\r\n", lenAt) - lenAt - 15)
                                        .trimmed()
                                        .toLongLong();
                    if (b.size() < end + 4 + len)
                        return;
                    requests << b.mid(end + 4, len);
                    arrivals << m_clock.elapsed();
                    m_buffer.remove(s);
                    const auto [status, body] = m_replies.isEmpty()
                                                    ? qMakePair(500, QByteArray("{}"))
                                                    : m_replies.takeFirst();
                    s->write("HTTP/1.1 " + QByteArray::number(status) +
                             " X\r\nContent-Type: application/json\r\nContent-Length: " +
                             QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" +
                             body);
                    s->disconnectFromHost();
                });
            }
        });
        m_clock.start();
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(serverPort())); }

    QList<QByteArray> requests;
    QList<qint64> arrivals;

private:
    QList<QPair<int, QByteArray>> m_replies;
    QHash<QTcpSocket*, QByteArray> m_buffer;
    QElapsedTimer m_clock;
};

QByteArray entraError(const char* error, int code) {
    return QByteArray(R"({"error":")") + error + R"(","error_description":"AADSTS)" +
           QByteArray::number(code) +
           R"(: scripted.\r\nTrace ID: 1\r\nCorrelation ID: 2\r\nTimestamp: 2026-01-01 00:00:00Z","error_codes":[)" +
           QByteArray::number(code) + R"(],"trace_id":"trace-1"})";
}

// JSON bodies live out here: moc cannot skip raw strings inside a Q_OBJECT class.
const QByteArray kDeviceCodeAnswer = QByteArray(
    R"({"device_code":"DC-1","user_code":"ABCDEFGH","verification_uri":"https://microsoft.com/devicelogin","expires_in":900,"interval":1,"message":"Go there."})");
const QByteArray kTokenAnswer = QByteArray(
    R"({"token_type":"Bearer","scope":"x","expires_in":3599,"access_token":"eyJ0eXAiOiJKV1QifQ.eyJ1cG4iOiJ4QHkifQ.c2ln","refresh_token":"RT-1"})");
const QByteArray kNoUserCode =
    QByteArray(R"({"device_code":"d","verification_uri":"https://x.example/"})");
const QByteArray kNoDeviceCode =
    QByteArray(R"({"user_code":"u","verification_uri":"https://x.example/"})");
const QByteArray kNoUri = QByteArray(R"({"device_code":"d","user_code":"u"})");
const QByteArray kUriNotWeb =
    QByteArray(R"j({"device_code":"d","user_code":"u","verification_uri":"javascript:alert(1)"})j");
const QByteArray kWrongTypes =
    QByteArray(R"({"device_code":7,"user_code":["u"],"verification_uri":"https://x.example/"})");

/// The core's infrastructure without a sandbox, for the scripted server.
struct Plumbing {
    pbi::SystemClock clock;
    QNetworkAccessManager network;
    pbi::RequestLog log;
    pbi::Transport transport{&network, &clock, &log};
};

} // namespace

class TestDeviceCodeCredential : public QObject {
    Q_OBJECT

    using R = pbi::Result<pbi::AccessToken>;

    static int requestsTo(const pbi::RequestLog& log, const QString& suffix) {
        int n = 0;
        for (const auto& e : log.entries())
            n += e.url.path().endsWith(suffix) ? 1 : 0;
        return n;
    }

    static WireReply decide(SandboxFixture& f, const QString& userCode, const char* action) {
        const QByteArray body = QByteArray::fromStdString(
            nlohmann::json{{"action", action}, {"user", kMegan.toStdString()}}.dump());
        return wireSend("POST", f.url(QStringLiteral("/sandbox/control/device-codes/") + userCode),
                        {qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))},
                        body);
    }

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<pbi::DeviceCodePrompt>(); }

    void approvedOnTheControlEndpoint() {
        SandboxFixture f(fastDeviceCodes());
        pbi::DeviceCodeCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                                    publicClient());
        QSignalSpy prompts(&c, &pbi::DeviceCodeCredential::deviceCodeReady);
        QSignalSpy refresh(&c, &pbi::DelegatedCredential::refreshTokenChanged);
        QCOMPARE(c.identityLabel(), QStringLiteral("user not signed in yet (device code)"));
        std::optional<R> result;
        c.requestToken(this, [&](R r) { result = std::move(r); });
        QVERIFY(prompts.wait(5000));
        const auto p = prompts.at(0).at(0).value<pbi::DeviceCodePrompt>();
        QCOMPARE(p.userCode.size(), 8);
        QCOMPARE(p.verificationUri, f.url(QStringLiteral("/sandbox/devicelogin")));
        QVERIFY(p.message.contains(p.userCode));
        QCOMPARE(p.intervalSecs, 1);
        const qint64 left = f.clock.now().secsTo(p.expiresAt);
        QVERIFY2(left > 100 && left <= 120, qPrintable(QString::number(left)));
        QVERIFY(c.isSigningIn());

        // Still pending: a poll goes by, answered authorization_pending.
        QTRY_VERIFY_WITH_TIMEOUT(requestsTo(f.log, QStringLiteral("/token")) >= 1, 5000);
        QVERIFY(!result.has_value());
        QCOMPARE(decide(f, p.userCode, "approve").status, 200);

        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
        QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().summary()));
        const auto d = pbi::JwtInspector::decode(result->value().value);
        QVERIFY(d.ok());
        QCOMPARE(d.value().claimText(QStringLiteral("upn")), kMegan);
        QCOMPARE(d.value().claimText(QStringLiteral("appid")), publicClient());
        QCOMPARE(refresh.size(), 1);
        QCOMPARE(c.userName(), kMegan);
        QCOMPARE(c.identityLabel(), QStringLiteral("user %1 (device code)").arg(kMegan));
        QVERIFY(!c.isSigningIn());

        // Polling stopped with the token.
        const int polls = requestsTo(f.log, QStringLiteral("/token"));
        QSignalSpy more(&f.log, &pbi::RequestLog::entryAdded);
        QVERIFY(!more.wait(1500));
        QCOMPARE(requestsTo(f.log, QStringLiteral("/token")), polls);

        // Cached, then renewed with the refresh token: no second prompt.
        std::optional<R> again;
        c.requestToken(this, [&](R r) { again = std::move(r); });
        QTRY_VERIFY(again.has_value());
        QCOMPARE(again->value().value, result->value().value);
        c.invalidate();
        again.reset();
        c.requestToken(this, [&](R r) { again = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(again.has_value(), 5000);
        QVERIFY(again->ok());
        QCOMPARE(prompts.size(), 1);
        QCOMPARE(refresh.size(), 2);
        QCOMPARE(requestsTo(f.log, QStringLiteral("/devicecode")), 1);

        // Neither the device code nor a refresh token reaches the request log.
        for (const auto& e : f.log.entries()) {
            const QString all = QString::fromUtf8(e.requestBody);
            QVERIFY2(!all.contains(QStringLiteral("device_code=")) ||
                         all.contains(QStringLiteral("device_code=%5Bredacted%5D")) ||
                         all.contains(QStringLiteral("device_code=[redacted]")),
                     qPrintable(all));
            for (const auto& args : refresh)
                QVERIFY(!QString(all + QString::fromUtf8(e.responseBody))
                             .contains(args.at(0).toString().left(24)));
        }
    }

    void endsWithEntrasAnswer_data() {
        QTest::addColumn<QString>("action");
        QTest::addColumn<int>("lifetime");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("detail");
        QTest::newRow("declined") << "decline" << 120 << "authorization_declined"
                                  << "AADSTS70000";
        QTest::newRow("expired") << "" << 2 << "expired_token"
                                 << "AADSTS70019";
    }
    void endsWithEntrasAnswer() {
        QFETCH(QString, action);
        QFETCH(int, lifetime);
        QFETCH(QString, code);
        QFETCH(QString, detail);
        SandboxFixture f(fastDeviceCodes(lifetime));
        pbi::DeviceCodeCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                                    publicClient());
        QSignalSpy prompts(&c, &pbi::DeviceCodeCredential::deviceCodeReady);
        std::optional<R> result;
        c.requestToken(this, [&](R r) { result = std::move(r); });
        QVERIFY(prompts.wait(5000));
        if (!action.isEmpty())
            QCOMPARE(decide(f, prompts.at(0).at(0).value<pbi::DeviceCodePrompt>().userCode,
                            action.toLatin1().constData())
                         .status,
                     200);
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 8000);
        QVERIFY(!result->ok());
        QCOMPARE(result->error().kind, ErrorKind::Auth);
        QCOMPARE(result->error().code, code);
        QCOMPARE(result->error().detailCode, detail);
        QVERIFY(!c.isSigningIn());
        QVERIFY(!c.hasRefreshToken());
    }

    void cancelStopsPolling() {
        SandboxFixture f(fastDeviceCodes());
        pbi::DeviceCodeCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                                    publicClient());
        QSignalSpy prompts(&c, &pbi::DeviceCodeCredential::deviceCodeReady);
        std::optional<R> result;
        int calls = 0;
        c.requestToken(this, [&](R r) {
            ++calls;
            result = std::move(r);
        });
        QVERIFY(prompts.wait(5000));
        QTRY_VERIFY_WITH_TIMEOUT(requestsTo(f.log, QStringLiteral("/token")) >= 1, 5000);
        c.cancel();
        QTRY_VERIFY(result.has_value());
        QCOMPARE(result->error().kind, ErrorKind::Cancelled);
        QVERIFY(!c.isSigningIn());
        const int polls = requestsTo(f.log, QStringLiteral("/token"));
        QSignalSpy more(&f.log, &pbi::RequestLog::entryAdded);
        QVERIFY(!more.wait(1500));
        QCOMPARE(requestsTo(f.log, QStringLiteral("/token")), polls);
        QCOMPARE(calls, 1);
        // Approving after the cancel changes nothing for this credential.
        decide(f, prompts.at(0).at(0).value<pbi::DeviceCodePrompt>().userCode, "approve");
        QCOMPARE(calls, 1);
    }

    void unconsentedAppIsRefused() {
        SandboxFixture f(fastDeviceCodes());
        pbi::DeviceCodeCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                                    QString::fromLatin1(pbi::sandbox::demo::kUnconsentedClientId));
        QSignalSpy prompts(&c, &pbi::DeviceCodeCredential::deviceCodeReady);
        std::optional<R> result;
        c.requestToken(this, [&](R r) { result = std::move(r); });
        // Entra refuses either at the device code request or once the user approves.
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value() || prompts.size() == 1, 5000);
        if (!result)
            decide(f, prompts.at(0).at(0).value<pbi::DeviceCodePrompt>().userCode, "approve");
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
        QVERIFY(!result->ok());
        QCOMPARE(result->error().detailCode, QStringLiteral("AADSTS65001"));
        QVERIFY(!result->error().hint.isEmpty());
    }

    // RFC 8628 §3.5: slow_down adds 5 s to the interval, and polling goes on.
    void slowDownAddsFiveSeconds() {
        ScriptedEntra entra({
            qMakePair(200, kDeviceCodeAnswer),
            qMakePair(400, entraError("slow_down", 70016)),
            qMakePair(200, kTokenAnswer),
        });
        Plumbing f;
        pbi::DeviceCodeCredential c(&f.transport, &f.clock, pbi::Cloud::sandbox(entra.url()),
                                    QStringLiteral("organizations"), publicClient());
        QSignalSpy prompts(&c, &pbi::DeviceCodeCredential::deviceCodeReady);
        std::optional<R> result;
        c.requestToken(this, [&](R r) { result = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 12000);
        QVERIFY(result->ok());
        QCOMPARE(prompts.size(), 1);
        QCOMPARE(prompts.at(0).at(0).value<pbi::DeviceCodePrompt>().message,
                 QStringLiteral("Go there."));
        QCOMPARE(entra.requests.size(), 3);
        QVERIFY(entra.requests[0].contains("scope=https%3A%2F%2Fanalysis.windows.net%2Fpowerbi%"
                                           "2Fapi%2F.default%20offline_access%20openid%20profile"));
        QVERIFY(entra.requests[1].contains(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"));
        QVERIFY(entra.requests[1].contains("device_code=DC-1"));
        const qint64 gap1 = entra.arrivals[1] - entra.arrivals[0];
        const qint64 gap2 = entra.arrivals[2] - entra.arrivals[1];
        QVERIFY2(gap1 >= 950 && gap1 < 3000, qPrintable(QString::number(gap1)));
        QVERIFY2(gap2 >= 5950, qPrintable(QString::number(gap2)));
    }

    // A proxy hiccup between two polls does not end the sign-in: polling goes on.
    void survivesATransientFailure() {
        ScriptedEntra entra({
            qMakePair(200, kDeviceCodeAnswer),
            qMakePair(502, QByteArray("<html>Bad gateway</html>")),
            qMakePair(200, kTokenAnswer),
        });
        Plumbing f;
        pbi::DeviceCodeCredential c(&f.transport, &f.clock, pbi::Cloud::sandbox(entra.url()),
                                    QStringLiteral("organizations"), publicClient());
        std::optional<R> result;
        c.requestToken(this, [&](R r) { result = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 8000);
        QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().summary()));
        QCOMPARE(entra.requests.size(), 3);
    }

    void malformedDeviceCodeAnswers_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("what");
        QTest::newRow("not json") << QByteArray("<html/>") << "not JSON";
        QTest::newRow("no user code") << kNoUserCode << "user_code";
        QTest::newRow("no device code") << kNoDeviceCode << "device_code";
        QTest::newRow("no uri") << kNoUri << "verification_uri";
        QTest::newRow("uri not web") << kUriNotWeb << "not a web address";
        QTest::newRow("wrong types") << kWrongTypes << "device_code";
    }
    void malformedDeviceCodeAnswers() {
        QFETCH(QByteArray, body);
        QFETCH(QString, what);
        ScriptedEntra entra({qMakePair(200, body)});
        Plumbing f;
        pbi::DeviceCodeCredential c(&f.transport, &f.clock, pbi::Cloud::sandbox(entra.url()),
                                    QStringLiteral("organizations"), publicClient());
        QSignalSpy prompts(&c, &pbi::DeviceCodeCredential::deviceCodeReady);
        std::optional<R> result;
        c.requestToken(this, [&](R r) { result = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
        QVERIFY(!result->ok());
        QCOMPARE(result->error().kind, ErrorKind::Parse);
        QVERIFY2(result->error().sentence.contains(what), qPrintable(result->error().sentence));
        QCOMPARE(prompts.size(), 0);
        QCOMPARE(entra.requests.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDeviceCodeCredential)
#include "tst_devicecodecredential.moc"
