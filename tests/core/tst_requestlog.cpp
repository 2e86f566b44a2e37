#include "http/RequestLog.h"

#include <QSignalSpy>
#include <QTest>

class TestRequestLog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void headersAreRedacted()
    {
        const pbi::HeaderList out = pbi::redact::headers(
            {{"Authorization", "Bearer eyJsecret.eyJsecret.sig"}, {"Accept", "application/json"}});
        QCOMPARE(out[0].second, QByteArray("Bearer [redacted]"));
        QCOMPARE(out[1].second, QByteArray("application/json"));
    }

    void formSecretsAreRedacted()
    {
        const QByteArray body = "client_id=abc&client_secret=s%3Dcr%26t&scope=x&grant_type=client_credentials&client_assertion=eyJ.a.b&password=hunter2";
        const QByteArray out = pbi::redact::body(body, "application/x-www-form-urlencoded");
        QVERIFY(out.contains("client_id=abc"));
        QVERIFY(out.contains("grant_type=client_credentials"));
        for (const char* secret : {"s%3Dcr", "cr%26t", "eyJ.a.b", "hunter2"})
            QVERIFY2(!out.contains(secret), out.constData());
        QCOMPARE(out.count("[redacted]") + out.count("%5Bredacted%5D"), 3);
    }

    void jsonTokensAreRedacted()
    {
        const QByteArray body = R"({"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0eXAi.eyJhdWQi.c2lnbmF0dXJl","note":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.abcdEFGH"})";
        const QByteArray out = pbi::redact::body(body, "application/json");
        QVERIFY(out.contains(R"("token_type":"Bearer")"));
        QVERIFY2(!out.contains("eyJ0eXAi"), out.constData());
        QVERIFY2(!out.contains("eyJhbGciOiJSUzI1NiJ9"), out.constData());
    }

    void deviceCodeAnswerIsRedacted()
    {
        // The devicecode answer carries the device_code, which anyone could poll with.
        const QByteArray body = R"({"user_code":"ABCDEFGH","device_code":"Dq7-secret-device-code","verification_uri":"https://microsoft.com/devicelogin","expires_in":900,"interval":5})";
        const QByteArray out = pbi::redact::body(body, "application/json; charset=utf-8");
        QVERIFY2(!out.contains("Dq7-secret-device-code"), out.constData());
        QVERIFY(out.contains("ABCDEFGH")); // the user code is meant to be shown
    }

    void urlSecretsAreRedacted()
    {
        const QUrl out = pbi::redact::url(QUrl(QStringLiteral("https://x.example/a?code=abc&state=1&sig=zzz")));
        QVERIFY(!out.toString().contains(QStringLiteral("abc")));
        QVERIFY(!out.toString().contains(QStringLiteral("zzz")));
        QVERIFY(out.toString().contains(QStringLiteral("state=1")));
    }

    void curlCarriesNoSecret()
    {
        pbi::RequestLogEntry e;
        e.method = "POST";
        e.url = QUrl(QStringLiteral("https://login.microsoftonline.com/t/oauth2/v2.0/token"));
        e.requestHeaders = pbi::redact::headers({{"Authorization", "Basic c2VjcmV0"}, {"Content-Type", "application/x-www-form-urlencoded"}});
        e.requestBody = pbi::redact::body("client_secret=it's-secret&client_id=a", "application/x-www-form-urlencoded");
        const QString curl = e.toCurl();
        QVERIFY(curl.startsWith(QStringLiteral("curl -X POST 'https://login.microsoftonline.com/")));
        QVERIFY(!curl.contains(QStringLiteral("it's-secret")));
        QVERIFY(!curl.contains(QStringLiteral("c2VjcmV0")));
        QVERIFY(curl.contains(QStringLiteral("client_id=a")));
    }

    void logIsBounded()
    {
        pbi::RequestLog log(nullptr, 3);
        QSignalSpy added(&log, &pbi::RequestLog::entryAdded);
        for (int i = 0; i < 5; ++i) {
            pbi::RequestLogEntry e;
            e.id = quint64(i);
            log.add(e);
        }
        QCOMPARE(added.count(), 5);
        QCOMPARE(log.entries().size(), std::size_t(3));
        QCOMPARE(log.entries().front().id, quint64(2));
    }

    void curlShowsSecretsOnlyWhenAsked()
    {
        pbi::RequestLogEntry e;
        e.method = "GET";
        e.url = QUrl(QStringLiteral("https://api.powerbi.com/v1.0/myorg/groups"));
        const pbi::HeaderList sent{{"Authorization", "Bearer eyJhbGciOi.eyJzdWIi.c2ln"}};
        e.requestHeaders = pbi::redact::headers(sent);
        e.unredacted = std::make_shared<const pbi::RequestLogEntry::Unredacted>(
            pbi::RequestLogEntry::Unredacted{e.url, sent, {}});
        QVERIFY(!e.toCurl().contains(QStringLiteral("eyJhbGciOi")));
        QVERIFY(e.toCurl().contains(QStringLiteral("Authorization: Bearer [redacted]")));
        QVERIFY(e.toCurl(pbi::RequestLogEntry::Secrets::Show)
                    .contains(QStringLiteral("Authorization: Bearer eyJhbGciOi.eyJzdWIi.c2ln")));
    }

    void onlyTheNewestEntriesKeepTheirSecrets()
    {
        pbi::RequestLog log(nullptr, 10);
        log.setSecretRetention(2);
        for (int i = 0; i < 5; ++i) {
            pbi::RequestLogEntry e;
            e.unredacted = std::make_shared<const pbi::RequestLogEntry::Unredacted>();
            log.add(e);
        }
        std::vector<bool> kept;
        for (const auto& e : log.entries())
            kept.push_back(bool(e.unredacted));
        QCOMPARE(kept, (std::vector<bool>{false, false, false, true, true}));
        log.setSecretRetention(1);
        QVERIFY(!log.entries()[3].unredacted);
        QVERIFY(log.entries()[4].unredacted);
        log.forgetSecrets();
        QVERIFY(!log.entries()[4].unredacted);
    }
};

QTEST_GUILESS_MAIN(TestRequestLog)
#include "tst_requestlog.moc"
