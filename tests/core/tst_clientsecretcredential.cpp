#include "SandboxFixture.h"
#include "SilentServer.h"

#include "auth/ClientSecretCredential.h"

#include <QTest>

using pbi::ErrorKind;

class TestClientSecretCredential : public QObject {
    Q_OBJECT

    using R = pbi::Result<pbi::AccessToken>;

    std::optional<R> tokenFrom(pbi::TokenProvider& p) {
        std::optional<R> result;
        p.requestToken(this, [&](R r) { result = std::move(r); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 10000))
            return std::nullopt;
        return result;
    }

    static int tokenRequests(const pbi::RequestLog& log) {
        int n = 0;
        for (const auto& e : log.entries())
            n += e.url.path().endsWith(QStringLiteral("/oauth2/v2.0/token")) ? 1 : 0;
        return n;
    }

private Q_SLOTS:
    void signsInAndCaches() {
        SandboxFixture f;
        pbi::ClientSecretCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(),
                                      f.clientSecret());
        auto first = tokenFrom(c);
        QVERIFY(first && first->ok());
        QVERIFY(first->value().value.startsWith(QStringLiteral("eyJ")));
        const qint64 secs = f.clock.now().secsTo(first->value().expiresAt);
        QVERIFY2(secs > 3500 && secs <= 5400, qPrintable(QString::number(secs)));
        auto second = tokenFrom(c);
        QCOMPARE(second->value().value, first->value().value);
        QCOMPARE(tokenRequests(f.log), 1);
        c.invalidate();
        auto third = tokenFrom(c);
        QVERIFY(third->ok());
        QCOMPARE(tokenRequests(f.log), 2);
    }

    void concurrentRequestsShareOneSignIn() {
        SandboxFixture f;
        pbi::ClientSecretCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(),
                                      f.clientSecret());
        int delivered = 0;
        for (int i = 0; i < 5; ++i)
            c.requestToken(this, [&](R r) { delivered += r.ok() ? 1 : 0; });
        QTRY_COMPARE(delivered, 5);
        QCOMPARE(tokenRequests(f.log), 1);
    }

    // The cache stops handing out a token 5 minutes before it expires, so no call leaves with
    // a token about to die; the next request signs in again.
    void renewsBeforeExpiry() {
        struct SteppingClock final : pbi::Clock {
            QDateTime now() const override { return base.addSecs(offset); }
            QDateTime base = QDateTime::currentDateTimeUtc();
            qint64 offset = 0;
        } clock;
        SandboxFixture f;
        pbi::ClientSecretCredential c(&f.transport, &clock, f.cloud(), f.tenantId(), f.clientId(),
                                      f.clientSecret());
        auto first = tokenFrom(c);
        QVERIFY(first && first->ok());
        const qint64 lifetime = clock.now().secsTo(first->value().expiresAt);
        clock.offset = lifetime - 301;
        QCOMPARE(tokenFrom(c)->value().value, first->value().value);
        QCOMPARE(tokenRequests(f.log), 1);
        clock.offset = lifetime - 299;
        auto renewed = tokenFrom(c);
        QVERIFY(renewed && renewed->ok());
        QCOMPARE(tokenRequests(f.log), 2);
        QVERIFY(renewed->value().expiresAt > first->value().expiresAt);
    }

    // cancel() ends a sign-in in flight: every waiter hears Cancelled, once, on a later turn
    // of the event loop; a late answer changes nothing.
    void cancelEndsTheSignIn() {
        SilentServer silent; // accepts and never answers
        SandboxFixture f;
        pbi::ClientSecretCredential c(&f.transport, &f.clock, pbi::Cloud::sandbox(silent.url()),
                                      f.tenantId(), f.clientId(), f.clientSecret());
        QList<ErrorKind> kinds;
        for (int i = 0; i < 3; ++i)
            c.requestToken(this,
                           [&](R r) { kinds << (r.ok() ? ErrorKind::Parse : r.error().kind); });
        QVERIFY(c.isSigningIn());
        c.cancel();
        QVERIFY(kinds.isEmpty()); // never synchronously
        QTRY_COMPARE(kinds.size(), 3);
        QCOMPARE(kinds, QList<ErrorKind>(3, ErrorKind::Cancelled));
        QVERIFY(!c.isSigningIn());
        c.cancel(); // nothing in flight: harmless
        QVERIFY(!QTest::qWaitFor([&] { return kinds.size() > 3; }, 100));
    }

    // A context that dies before the answer gets no callback.
    void deadContextGetsNothing() {
        SandboxFixture f;
        pbi::ClientSecretCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(),
                                      f.clientSecret());
        int called = 0;
        auto* context = new QObject;
        c.requestToken(context, [&](R) { ++called; });
        delete context;
        auto t = tokenFrom(c); // the same sign-in still serves the living caller
        QVERIFY(t && t->ok());
        QCOMPARE(called, 0);
        QCOMPARE(tokenRequests(f.log), 1);
    }

    void secretNeverReachesTheLog() {
        SandboxFixture f;
        pbi::ClientSecretCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(),
                                      f.clientSecret());
        auto t = tokenFrom(c);
        QVERIFY(t && t->ok());
        const auto& e = f.log.entries().back();
        const QString everything =
            e.toCurl() + QString::fromUtf8(e.requestBody) + QString::fromUtf8(e.responseBody);
        QVERIFY(!everything.contains(f.clientSecret()));
        QVERIFY(!everything.contains(t->value().value));
        QVERIFY(!everything.contains(t->value().value.left(40)));
    }

    void refusals_data() {
        QTest::addColumn<QString>("tenant");
        QTest::addColumn<QString>("clientId");
        QTest::addColumn<QString>("secret");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("detail");
        const QString tid = QString::fromLatin1(pbi::sandbox::demo::kTenantId);
        const QString cid = QString::fromLatin1(pbi::sandbox::demo::kAppClientId);
        QTest::newRow("wrong secret") << tid << cid << "not-the-secret" << 401 << "invalid_client"
                                      << "AADSTS7000215";
        QTest::newRow("unknown app") << tid << "0f0f0f0f-0000-0000-0000-000000000000"
                                     << "Zq9-secret-Zq9" << 400 << "unauthorized_client"
                                     << "AADSTS700016";
        QTest::newRow("unknown tenant")
            << "contoso.example" << cid << "Zq9-secret-Zq9" << 400 << "invalid_request"
            << "AADSTS90002";
    }
    void refusals() {
        QFETCH(QString, tenant);
        QFETCH(QString, clientId);
        QFETCH(QString, secret);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, detail);
        SandboxFixture f;
        pbi::ClientSecretCredential c(&f.transport, &f.clock, f.cloud(), tenant, clientId, secret);
        auto r = tokenFrom(c);
        QVERIFY(r && !r->ok());
        const pbi::Error& e = r->error();
        QCOMPARE(e.kind, ErrorKind::Auth);
        QCOMPARE(e.httpStatus, status);
        QCOMPARE(e.code, code);
        QCOMPARE(e.detailCode, detail);
        QVERIFY(!e.requestId.isEmpty());
        QVERIFY(!e.hint.isEmpty());
        QVERIFY(!e.sentence.contains(secret));
    }

    void malformedTokenAnswers_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("what");
        QTest::newRow("not json") << QByteArray("<html>proxy login</html>") << "not JSON";
        QTest::newRow("no token") << QByteArray(R"({"token_type":"Bearer","expires_in":3599})")
                                  << "access_token";
        QTest::newRow("no lifetime")
            << QByteArray(R"({"token_type":"Bearer","access_token":"eyJx"})") << "expires_in";
        QTest::newRow("wrong type")
            << QByteArray(R"({"access_token":42,"expires_in":3599})") << "access_token";
        QTest::newRow("absurd lifetime")
            << QByteArray(R"({"access_token":"eyJx","expires_in":99999999999})") << "expires_in";
        QTest::newRow("negative lifetime")
            << QByteArray(R"({"access_token":"eyJx","expires_in":-5})") << "expires_in";
        QTest::newRow("lifetime as text")
            << QByteArray(R"({"access_token":"eyJx","expires_in":"soon"})") << "expires_in";
        QTest::newRow("not a bearer token")
            << QByteArray(R"({"token_type":"pop","access_token":"eyJx","expires_in":3599})")
            << "token_type";
        QTest::newRow("json array") << QByteArray("[]") << "not JSON";
    }
    void malformedTokenAnswers() {
        QFETCH(QByteArray, body);
        QFETCH(QString, what);
        SilentServer fake("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                          QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        SandboxFixture f;
        pbi::Cloud cloud = pbi::Cloud::sandbox(fake.url());
        pbi::ClientSecretCredential c(&f.transport, &f.clock, cloud, f.tenantId(), f.clientId(),
                                      f.clientSecret());
        auto r = tokenFrom(c);
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ErrorKind::Parse);
        QVERIFY2(r->error().sentence.contains(what), qPrintable(r->error().sentence));
    }
};

QTEST_GUILESS_MAIN(TestClientSecretCredential)
#include "tst_clientsecretcredential.moc"
