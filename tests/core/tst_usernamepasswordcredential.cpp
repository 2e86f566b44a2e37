#include "SandboxFixture.h"

#include "EntraDemo.h"
#include "api/PowerBiClient.h"
#include "auth/JwtInspector.h"
#include "auth/UsernamePasswordCredential.h"

#include <QSignalSpy>
#include <QTest>

using pbi::ErrorKind;

namespace {
const QString kMegan = QStringLiteral("megan@contoso-sandbox.onmicrosoft.com");
QString publicClient() {
    return QString::fromLatin1(pbi::sandbox::demo::kPublicClientId);
}
QString password() {
    return QString::fromLatin1(pbi::sandbox::demo::kUserPassword);
}
} // namespace

class TestUsernamePasswordCredential : public QObject {
    Q_OBJECT

    using R = pbi::Result<pbi::AccessToken>;

    std::optional<R> tokenFrom(pbi::TokenProvider& p) {
        std::optional<R> result;
        p.requestToken(this, [&](R r) { result = std::move(r); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 10000))
            return std::nullopt;
        return result;
    }

    static QStringList grants(const pbi::RequestLog& log) {
        QStringList out;
        for (const auto& e : log.entries()) {
            const QString body = QString::fromUtf8(e.requestBody);
            const qsizetype at = body.indexOf(QStringLiteral("grant_type="));
            if (at >= 0)
                out << body.mid(at + 11).section(QLatin1Char('&'), 0, 0);
        }
        return out;
    }

private Q_SLOTS:
    void signsInAsTheUser() {
        SandboxFixture f;
        pbi::UsernamePasswordCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                                          publicClient(), kMegan, password());
        QVERIFY(c.identityLabel().contains(QStringLiteral("legacy master user")));
        QVERIFY(c.identityLabel().contains(kMegan));
        QSignalSpy refresh(&c, &pbi::DelegatedCredential::refreshTokenChanged);
        auto t = tokenFrom(c);
        QVERIFY(t && t->ok());
        const auto d = pbi::JwtInspector::decode(t->value().value);
        QVERIFY(d.ok());
        QCOMPARE(d.value().claimText(QStringLiteral("upn")), kMegan);
        QCOMPARE(d.value().identityKind(), QStringLiteral("delegated (user)"));
        QCOMPARE(d.value().claimText(QStringLiteral("appid")), publicClient());
        QVERIFY(d.value()
                    .claim(QStringLiteral("scp"))
                    ->values.contains(QStringLiteral("Workspace.Read.All")));
        QCOMPARE(refresh.size(), 1);
        QVERIFY(!refresh.at(0).at(0).toString().isEmpty());
        QVERIFY(c.hasRefreshToken());
        QCOMPARE(c.userName(), kMegan);
        QCOMPARE(grants(f.log), QStringList{QStringLiteral("password")});
        // The request asked for a refresh token and the user's name besides the API.
        const QString body = QString::fromUtf8(f.log.entries().back().requestBody);
        QVERIFY2(body.contains(QStringLiteral("offline_access")), qPrintable(body));
        QVERIFY(body.contains(QStringLiteral("openid")));
    }

    // After the access token is gone, the refresh token renews it; no password is sent again.
    void renewsWithTheRefreshToken() {
        SandboxFixture f;
        pbi::UsernamePasswordCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                                          publicClient(), kMegan, password());
        QSignalSpy refresh(&c, &pbi::DelegatedCredential::refreshTokenChanged);
        auto first = tokenFrom(c);
        QVERIFY(first && first->ok());
        c.invalidate();
        auto second = tokenFrom(c);
        QVERIFY(second && second->ok());
        QVERIFY(second->value().value != first->value().value);
        QCOMPARE(grants(f.log),
                 (QStringList{QStringLiteral("password"), QStringLiteral("refresh_token")}));
        // The sandbox rotates refresh tokens (each works once): the new one is handed on.
        QCOMPARE(refresh.size(), 2);
        QVERIFY(refresh.at(1).at(0).toString() != refresh.at(0).at(0).toString());

        // Everything secret stays out of the request log: password, both refresh tokens, tokens.
        for (const auto& e : f.log.entries()) {
            const QString all =
                e.toCurl() + QString::fromUtf8(e.requestBody) + QString::fromUtf8(e.responseBody);
            QVERIFY(!all.contains(password()));
            QVERIFY(!all.contains(QString::fromLatin1(password().toUtf8().toPercentEncoding())));
            for (const auto& args : refresh)
                QVERIFY(!all.contains(args.at(0).toString().left(24)));
            QVERIFY(!all.contains(second->value().value.left(40)));
        }
    }

    // A used refresh token is refused (invalid_grant); the credential signs in again.
    void refusedRefreshTokenFallsBackToSignIn() {
        SandboxFixture f;
        QString stale;
        {
            pbi::UsernamePasswordCredential first(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                                                  publicClient(), kMegan, password());
            QSignalSpy spy(&first, &pbi::DelegatedCredential::refreshTokenChanged);
            QVERIFY(tokenFrom(first)->ok());
            stale = spy.at(0).at(0).toString();
            first.invalidate();
            QVERIFY(tokenFrom(first)->ok()); // uses `stale` once: it is now spent
        }
        const qsizetype before = f.log.entries().size();
        pbi::UsernamePasswordCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                                          publicClient(), kMegan, password(), stale);
        QSignalSpy refresh(&c, &pbi::DelegatedCredential::refreshTokenChanged);
        auto t = tokenFrom(c);
        QVERIFY(t && t->ok());
        QStringList after = grants(f.log).mid(before);
        QCOMPARE(after, (QStringList{QStringLiteral("refresh_token"), QStringLiteral("password")}));
        // First "forget the spent one", then the new one.
        QCOMPARE(refresh.size(), 2);
        QVERIFY(refresh.at(0).at(0).toString().isEmpty());
        QVERIFY(!refresh.at(1).at(0).toString().isEmpty());
    }

    // Signing out forgets both tokens and tells the secret store to delete the refresh token.
    void signOutForgetsEverything() {
        SandboxFixture f;
        pbi::UsernamePasswordCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                                          publicClient(), kMegan, password());
        QSignalSpy refresh(&c, &pbi::DelegatedCredential::refreshTokenChanged);
        QVERIFY(tokenFrom(c)->ok());
        c.signOut();
        QCOMPARE(refresh.size(), 2);
        QVERIFY(refresh.at(1).at(0).toString().isEmpty());
        QVERIFY(!c.hasRefreshToken());
        QVERIFY(c.userName().isEmpty());
        QVERIFY(tokenFrom(c)->ok());
        QCOMPARE(grants(f.log),
                 (QStringList{QStringLiteral("password"), QStringLiteral("password")}));
    }

    // A refresh token from the secret store signs in without the password.
    void startsFromAStoredRefreshToken() {
        SandboxFixture f;
        QString kept;
        {
            pbi::UsernamePasswordCredential first(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                                                  publicClient(), kMegan, password());
            QSignalSpy spy(&first, &pbi::DelegatedCredential::refreshTokenChanged);
            QVERIFY(tokenFrom(first)->ok());
            kept = spy.at(0).at(0).toString();
        }
        pbi::UsernamePasswordCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                                          publicClient(), kMegan,
                                          QStringLiteral("wrong password, never used"), kept);
        auto t = tokenFrom(c);
        QVERIFY(t && t->ok());
        QCOMPARE(grants(f.log).last(), QStringLiteral("refresh_token"));
    }

    // The service refuses a token that died in flight (403 TokenExpired); the client renews
    // once, through the refresh token, without the caller noticing.
    void expiredTokenIsRenewedTransparently() {
        pbi::sandbox::SandboxOptions o;
        o.tokenLifetimeSeconds = 2;
        SandboxFixture f(o);
        // The credential's clock stands still, so it keeps handing out the token it holds.
        struct FrozenClock final : pbi::Clock {
            QDateTime now() const override { return at; }
            QDateTime at = QDateTime::currentDateTimeUtc();
        } frozen;
        pbi::UsernamePasswordCredential c(&f.transport, &frozen, f.cloud(), f.tenantId(),
                                          publicClient(), kMegan, password());
        auto t = tokenFrom(c);
        QVERIFY(t && t->ok());
        const auto exp = pbi::JwtInspector::decode(t->value().value).value().expiresAt;
        QVERIFY(exp.has_value());
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentSecsSinceEpoch() > exp->toSecsSinceEpoch(),
                                 5000);

        pbi::PowerBiClient client(&f.transport, &c, f.cloud());
        std::optional<pbi::Result<std::vector<pbi::Workspace>>> groups;
        client.listWorkspaces(
            this, [&](pbi::Result<std::vector<pbi::Workspace>> r) { groups = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(groups.has_value(), 10000);
        QVERIFY2(groups->ok(), qPrintable(groups->ok() ? QString() : groups->error().summary()));
        QVERIFY(!groups->value().empty());
        QCOMPARE(grants(f.log),
                 (QStringList{QStringLiteral("password"), QStringLiteral("refresh_token")}));
        QList<int> statuses;
        for (const auto& e : f.log.entries())
            if (e.url.path().endsWith(QStringLiteral("/groups")))
                statuses << e.status;
        QCOMPARE(statuses, (QList<int>{403, 200}));
    }

    void refusals_data() {
        QTest::addColumn<QString>("clientId");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("detail");
        QTest::addColumn<bool>("hasHint");
        QTest::newRow("wrong password") << publicClient() << kMegan << "nope"
                                        << "invalid_grant"
                                        << "AADSTS50126" << true;
        QTest::newRow("unknown user") << publicClient() << "nobody@contoso-sandbox.onmicrosoft.com"
                                      << password() << "invalid_grant"
                                      << "AADSTS50034" << false;
        QTest::newRow("no consent") << QString::fromLatin1(pbi::sandbox::demo::kUnconsentedClientId)
                                    << kMegan << password() << "invalid_grant"
                                    << "AADSTS65001" << true;
        QTest::newRow("unknown app") << "0f0f0f0f-0000-0000-0000-000000000000" << kMegan
                                     << password() << "unauthorized_client"
                                     << "AADSTS700016" << true;
    }
    void refusals() {
        QFETCH(QString, clientId);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, code);
        QFETCH(QString, detail);
        QFETCH(bool, hasHint);
        SandboxFixture f;
        pbi::UsernamePasswordCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(), clientId,
                                          user, password);
        QSignalSpy refresh(&c, &pbi::DelegatedCredential::refreshTokenChanged);
        auto r = tokenFrom(c);
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ErrorKind::Auth);
        QCOMPARE(r->error().httpStatus, 400);
        QCOMPARE(r->error().code, code);
        QCOMPARE(r->error().detailCode, detail);
        QCOMPARE(!r->error().hint.isEmpty(), hasHint);
        QVERIFY(!r->error().requestId.isEmpty());
        QVERIFY(!r->error().sentence.contains(password));
        QCOMPARE(refresh.size(), 0);
        QVERIFY(!c.hasRefreshToken());
    }
};

QTEST_GUILESS_MAIN(TestUsernamePasswordCredential)
#include "tst_usernamepasswordcredential.moc"
