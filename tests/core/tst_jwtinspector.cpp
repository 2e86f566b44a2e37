#include "SandboxFixture.h"

#include "auth/ClientSecretCredential.h"
#include "auth/JwtInspector.h"

#include <QTest>

using pbi::JwtInspector::decode;

namespace {

class FixedClock final : public pbi::Clock {
public:
    explicit FixedClock(QDateTime t)
        : m_now(std::move(t)) {}
    QDateTime now() const override { return m_now; }
    QDateTime m_now;
};

QStringList list(std::initializer_list<const char*> items) {
    QStringList out;
    for (const char* i : items)
        out << QString::fromLatin1(i);
    return out;
}

QString part(const QByteArray& json) {
    return QString::fromLatin1(
        json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString token(const QByteArray& header, const QByteArray& payload,
              const QString& signature = QStringLiteral("c2ln")) {
    return part(header) + QLatin1Char('.') + part(payload) + QLatin1Char('.') + signature;
}

// A delegated Power BI token shaped like api-digest §10 (values invented).
const QByteArray kHeader =
    R"({"typ":"JWT","alg":"RS256","x5t":"CtZHqWFKYuB67_KsdgaK_NuD9DE","kid":"CtZHqWFKYuB67_KsdgaK_NuD9DE"})";
const QByteArray kDelegated =
    R"({"aud":"https://analysis.windows.net/powerbi/api","iss":"https://sts.windows.net/8f0c3b6e-5d1a-4c2b-9e7f-2a4b6c8d0e1f/","iat":1764331200,"nbf":1764331200,"exp":1764335700,"acr":"1","aio":"AVQAq/8Z","amr":["pwd","mfa"],"appid":"c4a8e2f6-1b3d-4f5a-8e7c-9d0b2a4c6e81","appidacr":"0","family_name":"Bowen","given_name":"Megan","idtyp":"user","ipaddr":"203.0.113.7","name":"Megan Bowen","oid":"0d6a3b1e-0000-4000-8000-000000000001","puid":"10032001","rh":"0.AAAA.","scp":"Dataset.Read.All Workspace.Read.All  Report.Read.All","sub":"Yx7","tid":"8f0c3b6e-5d1a-4c2b-9e7f-2a4b6c8d0e1f","unique_name":"megan@contoso-sandbox.onmicrosoft.com","upn":"megan@contoso-sandbox.onmicrosoft.com","uti":"Zk1","ver":"1.0","wids":["a9ea8996-122f-4c74-9520-8edcd192826c"],"x_custom":{"a":1}})";

} // namespace

class TestJwtInspector : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void decodesEveryClaimInOrder() {
        const auto r = decode(token(kHeader, kDelegated));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().sentence));
        const pbi::DecodedJwt& d = r.value();
        QCOMPARE(d.header.size(), 4);
        QCOMPARE(d.header.at(0).name, QStringLiteral("typ"));
        QCOMPARE(d.header.at(1).display, QStringLiteral("RS256"));
        QVERIFY(!d.headerField(QStringLiteral("x5t"))->explanation.isEmpty());
        QStringList names;
        for (const auto& c : d.claims)
            names << c.name;
        QCOMPARE(names.first(), QStringLiteral("aud"));
        QCOMPARE(names.last(), QStringLiteral("x_custom"));
        QCOMPARE(names.size(), 27);
        QVERIFY(d.hasSignature);
        QCOMPARE(d.identityKind(), QStringLiteral("delegated (user)"));
        QCOMPARE(d.claimText(QStringLiteral("upn")),
                 QStringLiteral("megan@contoso-sandbox.onmicrosoft.com"));
        QCOMPARE(d.claim(QStringLiteral("x_custom"))->raw, QStringLiteral(R"({"a":1})"));
        QVERIFY(d.claim(QStringLiteral("x_custom"))->explanation.isEmpty());
        QCOMPARE(d.claim(QStringLiteral("aud"))->raw,
                 QStringLiteral("\"https://analysis.windows.net/powerbi/api\""));
    }

    void renderings_data() {
        QTest::addColumn<QString>("claim");
        QTest::addColumn<QString>("display");
        QTest::addColumn<QStringList>("values");
        QTest::newRow("iat") << "iat"
                             << "2025-11-28 12:00:00 UTC" << QStringList();
        QTest::newRow("exp") << "exp"
                             << "2025-11-28 13:15:00 UTC" << QStringList();
        QTest::newRow("scp split")
            << "scp"
            << "Dataset.Read.All, Workspace.Read.All, Report.Read.All"
            << list({"Dataset.Read.All", "Workspace.Read.All", "Report.Read.All"});
        QTest::newRow("amr named") << "amr"
                                   << "pwd (password), mfa (multi-factor)" << list({"pwd", "mfa"});
        QTest::newRow("wids named") << "wids"
                                    << "a9ea8996-122f-4c74-9520-8edcd192826c (Fabric Administrator)"
                                    << list({"a9ea8996-122f-4c74-9520-8edcd192826c"});
        QTest::newRow("appidacr") << "appidacr"
                                  << "0 (public client, no secret)" << QStringList();
        QTest::newRow("idtyp") << "idtyp"
                               << "user (delegated user token)" << QStringList();
        QTest::newRow("plain string") << "ipaddr"
                                      << "203.0.113.7" << QStringList();
    }
    void renderings() {
        QFETCH(QString, claim);
        QFETCH(QString, display);
        QFETCH(QStringList, values);
        const auto r = decode(token(kHeader, kDelegated));
        QVERIFY(r.ok());
        const pbi::JwtClaim* c = r.value().claim(claim);
        QVERIFY(c);
        QCOMPARE(c->display, display);
        QCOMPARE(c->values, values);
    }

    // Every claim the digest (§10) lists has a one-sentence explanation.
    void explainsDigestClaims_data() {
        QTest::addColumn<QString>("claim");
        for (const char* c :
             {"aud",      "iss",        "tid",         "oid",   "sub",    "appid",
              "appidacr", "idtyp",      "scp",         "roles", "upn",    "unique_name",
              "name",     "given_name", "family_name", "iat",   "nbf",    "exp",
              "ver",      "wids",       "amr",         "acr",   "ipaddr", "uti",
              "rh",       "aio",        "idp",         "azp",   "azpacr", "preferred_username",
              "groups"})
            QTest::newRow(c) << QString::fromLatin1(c);
    }
    void explainsDigestClaims() {
        QFETCH(QString, claim);
        const QString e = pbi::JwtInspector::explainClaim(claim);
        QVERIFY2(e.size() > 20, qPrintable(claim));
        QVERIFY(e.endsWith(QLatin1Char('.')) || e.endsWith(QLatin1Char(')')));
    }

    void expiryAgainstClock_data() {
        QTest::addColumn<qint64>("now");
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("before nbf") << qint64(1764331200 - 90) << int(pbi::TokenExpiry::NotYetValid)
                                    << "Not valid yet: becomes valid in 1 min";
        QTest::newRow("valid") << qint64(1764331200 + 60) << int(pbi::TokenExpiry::Valid)
                               << "Expires in 1 h 14 min (2025-11-28 13:15:00 UTC).";
        QTest::newRow("at exp") << qint64(1764335700) << int(pbi::TokenExpiry::Expired)
                                << "Expired 0 s ago";
        QTest::newRow("long expired") << qint64(1764335700 + 3 * 86400)
                                      << int(pbi::TokenExpiry::Expired) << "Expired 3 days ago";
    }
    void expiryAgainstClock() {
        QFETCH(qint64, now);
        QFETCH(int, state);
        QFETCH(QString, sentence);
        const auto r = decode(token(kHeader, kDelegated));
        QVERIFY(r.ok());
        FixedClock clock(QDateTime::fromSecsSinceEpoch(now, Qt::UTC));
        QCOMPARE(int(r.value().expiry(clock)), state);
        QVERIFY2(r.value().expirySentence(clock).startsWith(sentence),
                 qPrintable(r.value().expirySentence(clock)));
        QCOMPARE(r.value().expiresAt->toSecsSinceEpoch(), qint64(1764335700));
    }

    void noExpiry() {
        const auto r = decode(token(R"({"alg":"none"})", R"({"sub":"x"})", QString()));
        QVERIFY(r.ok());
        FixedClock clock(QDateTime::currentDateTimeUtc());
        QCOMPARE(r.value().expiry(clock), pbi::TokenExpiry::NoExpiry);
        QVERIFY(!r.value().hasSignature);
        QVERIFY(r.value().identityKind().isEmpty());
    }

    void acceptsPastedForms_data() {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("suffix");
        QTest::newRow("bearer") << "Bearer "
                                << "";
        QTest::newRow("whitespace") << "  \n"
                                    << " \t\n";
        QTest::newRow("quoted") << "\""
                                << "\"";
    }
    void acceptsPastedForms() {
        QFETCH(QString, prefix);
        QFETCH(QString, suffix);
        const auto r = decode(prefix + token(kHeader, kDelegated) + suffix);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().sentence));
        QCOMPARE(r.value().claimText(QStringLiteral("name")), QStringLiteral("Megan Bowen"));
    }

    void refusesGarbage_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("says");
        const QString h = part(kHeader);
        const QString p = part(kDelegated);
        QTest::newRow("empty") << ""
                               << "no token";
        QTest::newRow("two parts")
            << (h + QLatin1Char('.') + p) << "three parts separated by dots, this has 2";
        QTest::newRow("four parts")
            << (h + QLatin1Char('.') + p + QStringLiteral(".a.b")) << "this has 4";
        QTest::newRow("jwe") << QStringLiteral("a.b.c.d.e") << "encrypted";
        QTest::newRow("bad base64 header") << (QStringLiteral("e$J.") + p + QStringLiteral(".x"))
                                           << "header is not valid base64url";
        QTest::newRow("empty payload")
            << (h + QStringLiteral("..x")) << "payload is not valid base64url";
        QTest::newRow("payload not json")
            << (h + QLatin1Char('.') + part("not json") + QStringLiteral(".x"))
            << "payload decodes, but not to a JSON object";
        QTest::newRow("payload json array")
            << (h + QLatin1Char('.') + part("[1,2]") + QStringLiteral(".x"))
            << "not to a JSON object";
        QTest::newRow("header not json")
            << (part("{oops") + QLatin1Char('.') + p + QStringLiteral(".x"))
            << "header decodes, but not";
        // GenerateToken's answer (api-digest §4): gzip + base64, "H4sI…".
        QTest::newRow("embed token") << "H4sIAAAAAAAEAB2Ux46EVgAE_2WOexwPQzTSHsg5DjkMcAQ2Nd-"
                                        "uf1t5vFKpSmq__1T9-vwkfz_7-wcKeCKVg"
                                     << "Power BI embed token, not an Entra access token";
        QTest::newRow("short gzip, padded")
            << QString::fromLatin1(
                   QByteArray("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x0b", 10).toBase64())
            << "Power BI embed token";
        QTest::newRow("opaque text") << "not-a-token-at-all"
                                     << "not a JWT";
    }
    void refusesGarbage() {
        QFETCH(QString, input);
        QFETCH(QString, says);
        const auto r = decode(input);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, pbi::ErrorKind::Parse);
        QVERIFY2(r.error().sentence.contains(says), qPrintable(r.error().sentence));
    }

    void hugeInputDoesNotCrash() {
        const QString big = QString(200000, QLatin1Char('A')) + QLatin1Char('.') +
                            QString(200000, QLatin1Char('B')) + QStringLiteral(".C");
        const auto r = decode(big);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, pbi::ErrorKind::Parse);
    }

    // The sandbox's app-only token, decoded as the token inspector would show it.
    void decodesSandboxAppToken() {
        SandboxFixture f;
        pbi::ClientSecretCredential c(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(),
                                      f.clientSecret());
        std::optional<pbi::Result<pbi::AccessToken>> t;
        c.requestToken(this, [&](pbi::Result<pbi::AccessToken> r) { t = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(t.has_value(), 10000);
        QVERIFY(t->ok());
        const auto r = decode(t->value().value);
        QVERIFY(r.ok());
        QCOMPARE(r.value().identityKind(), QStringLiteral("app-only (service principal)"));
        QCOMPARE(r.value().claimText(QStringLiteral("appid")), f.clientId());
        QCOMPARE(r.value().claimText(QStringLiteral("appidacr")),
                 QStringLiteral("1 (client secret)"));
        QCOMPARE(r.value().claimText(QStringLiteral("tid")), f.tenantId());
        QVERIFY(!r.value().claim(QStringLiteral("scp")));
        QCOMPARE(r.value().expiry(f.clock), pbi::TokenExpiry::Valid);
        // The token's own exp and the credential's expiry agree to within the request's duration.
        QVERIFY(qAbs(r.value().expiresAt->secsTo(t->value().expiresAt)) <= 5);
    }
};

QTEST_GUILESS_MAIN(TestJwtInspector)
#include "tst_jwtinspector.moc"
