#include "SandboxFixture.h"
#include "WireClient.h"

#include "EntraDemo.h"
#include "auth/InteractiveCredential.h"
#include "auth/JwtInspector.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

using pbi::ErrorKind;

namespace {

const QString kMegan = QStringLiteral("megan@contoso-sandbox.onmicrosoft.com");
QString publicClient() {
    return QString::fromLatin1(pbi::sandbox::demo::kPublicClientId);
}

const QList<QPair<QByteArray, QByteArray>> kForm{
    qMakePair(QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded"))};

QByteArray signInForm(const QString& user, const QString& password, const char* action = "signin") {
    return "login=" + QUrl::toPercentEncoding(user) +
           "&password=" + QUrl::toPercentEncoding(password) + "&action=" + action;
}

bool portIsClosed(quint16 port) {
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    return !s.waitForConnected(2000);
}

} // namespace

class TestInteractiveCredential : public QObject {
    Q_OBJECT

    using R = pbi::Result<pbi::AccessToken>;

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
    // RFC 7636 Appendix B.
    void codeChallengeMatchesTheRfc() {
        QCOMPARE(pbi::InteractiveCredential::codeChallenge(
                     QStringLiteral("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")),
                 QStringLiteral("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }

    // The test plays the browser: it opens the emitted address, posts the sign-in form, and
    // follows the redirect to the core's loopback listener.
    void signsInThroughTheBrowser() {
        SandboxFixture f;
        pbi::InteractiveCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                                     publicClient());
        QSignalSpy urls(&c, &pbi::InteractiveCredential::authorizationUrlReady);
        QSignalSpy refresh(&c, &pbi::DelegatedCredential::refreshTokenChanged);
        std::optional<R> result;
        c.requestToken(this, [&](R r) { result = std::move(r); });
        QVERIFY(!urls.isEmpty() || urls.wait(5000));
        const QUrl url = urls.at(0).at(0).toUrl();
        QCOMPARE(url.path(), QStringLiteral("/%1/oauth2/v2.0/authorize").arg(f.tenantId()));
        const QUrlQuery q(url);
        QCOMPARE(q.queryItemValue(QStringLiteral("client_id")), publicClient());
        QCOMPARE(q.queryItemValue(QStringLiteral("response_type")), QStringLiteral("code"));
        QCOMPARE(q.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
        QCOMPARE(q.queryItemValue(QStringLiteral("code_challenge")).size(), 43);
        QVERIFY(q.queryItemValue(QStringLiteral("state")).size() >= 16);
        QCOMPARE(
            q.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded),
            QStringLiteral(
                "https://analysis.windows.net/powerbi/api/.default offline_access openid profile"));
        const QUrl redirect(q.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
        QCOMPARE(redirect.scheme(), QStringLiteral("http"));
        QCOMPARE(redirect.host(), QStringLiteral("localhost"));
        QVERIFY(redirect.port() > 0);

        // The sign-in page, then a wrong password: the page says so and the core keeps waiting.
        const WireReply page = wireSend("GET", url);
        QCOMPARE(page.status, 200);
        const WireReply wrong =
            wireSend("POST", url, kForm, signInForm(kMegan, QStringLiteral("nope")));
        QVERIFY(wrong.status == 200 || wrong.status == 400);
        QVERIFY(!result.has_value());

        // Anything but the redirect is not the answer: a stray favicon, a forged state.
        QCOMPARE(wireSend("GET", QUrl(redirect.toString() + QStringLiteral("/favicon.ico"))).status,
                 404);
        const WireReply forged = wireSend(
            "GET", QUrl(redirect.toString() + QStringLiteral("/?code=forged&state=forged")));
        QCOMPARE(forged.status, 400);
        QVERIFY(forged.body.contains("state mismatch"));
        QVERIFY(!result.has_value());
        QVERIFY(c.isSigningIn());

        const WireReply done =
            wireSend("POST", url, kForm,
                     signInForm(kMegan, QString::fromLatin1(pbi::sandbox::demo::kUserPassword)));
        QCOMPARE(done.status, 200); // the loopback page, after the sandbox's 302
        QVERIFY2(done.body.contains("Signed in"), done.body.constData());

        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
        QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().summary()));
        const auto d = pbi::JwtInspector::decode(result->value().value);
        QCOMPARE(d.value().claimText(QStringLiteral("upn")), kMegan);
        QCOMPARE(d.value().claimText(QStringLiteral("appid")), publicClient());
        QCOMPARE(d.value().identityKind(), QStringLiteral("delegated (user)"));
        QCOMPARE(refresh.size(), 1);
        QCOMPARE(c.userName(), kMegan);
        QCOMPARE(c.identityLabel(), QStringLiteral("user %1 (browser sign-in)").arg(kMegan));
        QVERIFY(portIsClosed(quint16(redirect.port())));
        QCOMPARE(grants(f.log), QStringList{QStringLiteral("authorization_code")});
        const QString exchange = QString::fromUtf8(f.log.entries().back().requestBody);
        QVERIFY2(exchange.contains(QStringLiteral("code_verifier=[redacted]")),
                 qPrintable(exchange));
        QVERIFY(exchange.contains(QStringLiteral("code=[redacted]")));

        // Renewal goes through the refresh token, without a browser.
        c.invalidate();
        std::optional<R> again;
        c.requestToken(this, [&](R r) { again = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(again.has_value(), 5000);
        QVERIFY(again->ok());
        QCOMPARE(urls.size(), 1);
        QCOMPARE(grants(f.log).last(), QStringLiteral("refresh_token"));
        QCOMPARE(refresh.size(), 2);
        for (const auto& e : f.log.entries())
            for (const auto& args : refresh)
                QVERIFY(!QString(e.toCurl() + QString::fromUtf8(e.responseBody))
                             .contains(args.at(0).toString().left(24)));
    }

    void userCancelsInTheBrowser() {
        SandboxFixture f;
        pbi::InteractiveCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                                     publicClient());
        QSignalSpy urls(&c, &pbi::InteractiveCredential::authorizationUrlReady);
        std::optional<R> result;
        c.requestToken(this, [&](R r) { result = std::move(r); });
        QVERIFY(!urls.isEmpty() || urls.wait(5000));
        const QUrl url = urls.at(0).at(0).toUrl();
        const WireReply page =
            wireSend("POST", url, kForm, signInForm(kMegan, QString(), "cancel"));
        QCOMPARE(page.status, 400);
        QVERIFY(page.body.contains("Sign-in failed"));
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
        QVERIFY(!result->ok());
        QCOMPARE(result->error().kind, ErrorKind::Auth);
        QCOMPARE(result->error().code, QStringLiteral("access_denied"));
        QVERIFY(!c.isSigningIn());
        QCOMPARE(grants(f.log).size(), 0);
    }

    void unconsentedAppIsRefused() {
        SandboxFixture f;
        pbi::InteractiveCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                                     QString::fromLatin1(pbi::sandbox::demo::kUnconsentedClientId));
        QSignalSpy urls(&c, &pbi::InteractiveCredential::authorizationUrlReady);
        std::optional<R> result;
        c.requestToken(this, [&](R r) { result = std::move(r); });
        QVERIFY(!urls.isEmpty() || urls.wait(5000));
        wireSend("POST", urls.at(0).at(0).toUrl(), kForm,
                 signInForm(kMegan, QString::fromLatin1(pbi::sandbox::demo::kUserPassword)));
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
        QVERIFY(!result->ok());
        QCOMPARE(result->error().kind, ErrorKind::Auth);
        QCOMPARE(result->error().detailCode, QStringLiteral("AADSTS65001"));
        QVERIFY(!result->error().hint.isEmpty());
    }

    void nobodyAnswers_data() {
        QTest::addColumn<bool>("cancel");
        QTest::newRow("timeout") << false;
        QTest::newRow("cancel") << true;
    }
    void nobodyAnswers() {
        QFETCH(bool, cancel);
        SandboxFixture f;
        pbi::InteractiveCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                                     publicClient());
        c.setSignInTimeout(std::chrono::milliseconds(cancel ? 60000 : 300));
        QSignalSpy urls(&c, &pbi::InteractiveCredential::authorizationUrlReady);
        std::optional<R> result;
        c.requestToken(this, [&](R r) { result = std::move(r); });
        QVERIFY(!urls.isEmpty() || urls.wait(5000));
        const QUrl redirect(
            QUrlQuery(urls.at(0).at(0).toUrl())
                .queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
        if (cancel)
            c.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
        QCOMPARE(result->error().kind, cancel ? ErrorKind::Cancelled : ErrorKind::Timeout);
        QVERIFY(!c.isSigningIn());
        QVERIFY(portIsClosed(quint16(redirect.port())));
        // A new request starts a new sign-in, on a new listener.
        std::optional<R> second;
        c.requestToken(this, [&](R r) { second = std::move(r); });
        QVERIFY(urls.size() == 2 || urls.wait(5000));
        QVERIFY(urls.at(1).at(0).toUrl() != urls.at(0).at(0).toUrl());
        c.cancel();
        QTRY_VERIFY(second.has_value());
    }
};

QTEST_GUILESS_MAIN(TestInteractiveCredential)
#include "tst_interactivecredential.moc"
