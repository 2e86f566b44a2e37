// The sandbox's Entra ID grants over the wire (reference/api-digest.md §10): certificate
// client assertions, device code, authorization code + PKCE, refresh tokens, the password
// grant, consent, and the delegated tokens they issue.

#include "SandboxFixture.h"
#include "WireClient.h"

#include "EntraCertificate.h"
#include "EntraDemo.h"
#include "Tenant.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>

#include <tuple>

using nlohmann::json;
namespace demo = pbi::sandbox::demo;

namespace {

using Fields = QList<QPair<QString, QString>>;

QByteArray form(const Fields& fields)
{
    QUrlQuery q;
    for (const auto& [k, v] : fields)
        q.addQueryItem(k, QString::fromLatin1(QUrl::toPercentEncoding(v)));
    return q.toString(QUrl::FullyEncoded).toLatin1();
}

json jwtPart(const QByteArray& token, int part)
{
    const QByteArray raw =
        QByteArray::fromBase64(token.split('.').value(part), QByteArray::Base64UrlEncoding);
    return json::parse(raw.toStdString(), nullptr, false);
}

QString str(const json& j, const char* key)
{
    return j.contains(key) && j[key].is_string() ? QString::fromStdString(j[key].get<std::string>())
                                                 : QString();
}

/// Empty when `r` is Entra's error with that status, `error` and AADSTS code; else what differs.
QString entraProblem(const WireReply& r, int status, const QString& error, int aadsts)
{
    const json j = r.json();
    if (r.status != status)
        return QStringLiteral("status %1, not %2: %3")
            .arg(r.status)
            .arg(status)
            .arg(QString::fromUtf8(r.body));
    if (!j.is_object() || str(j, "error") != error)
        return QStringLiteral("error is not %1: %2").arg(error, QString::fromUtf8(r.body));
    if (!j["error_codes"].is_array() || j["error_codes"][0] != aadsts)
        return QStringLiteral("code is not %1: %2").arg(aadsts).arg(QString::fromUtf8(r.body));
    if (!str(j, "error_description").startsWith(QStringLiteral("AADSTS%1: ").arg(aadsts)))
        return QStringLiteral("description: ") + str(j, "error_description");
    for (const char* k : {"timestamp", "trace_id", "correlation_id", "error_uri"})
        if (!j.contains(k))
            return QStringLiteral("no ") + QString::fromLatin1(k);
    return {};
}

const QString kPbi = QStringLiteral("https://analysis.windows.net/powerbi/api/");
const QString kDefault = kPbi + QStringLiteral(".default");
const QString kPublic = QString::fromLatin1(demo::kPublicClientId);
const QString kUnconsented = QString::fromLatin1(demo::kUnconsentedClientId);
const QString kMegan = QStringLiteral("megan@contoso-sandbox.onmicrosoft.com");
const QString kAdmin = QStringLiteral("admin@contoso-sandbox.onmicrosoft.com");
const QString kPassword = QString::fromLatin1(demo::kUserPassword);
const QString kRedirect = QStringLiteral("http://127.0.0.1:53123/callback");

QString pkceChallenge(const QString& verifier)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::string objectIdOf(const QString& upn)
{
    for (const auto& u : pbi::sandbox::makeDemoTenant().users)
        if (QString::fromStdString(u.userPrincipalName) == upn)
            return u.objectId;
    return {};
}

/// Like wireSend, but a 302 stays a 302: the authorize endpoint's redirect is what is tested.
WireReply sendNoRedirect(const QByteArray& method, const QUrl& url,
                         const QByteArray& contentType = {}, const QByteArray& body = {})
{
    QNetworkAccessManager nam;
    nam.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    QNetworkRequest req(url);
    if (!contentType.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    QNetworkReply* reply = nam.sendCustomRequest(req, method, body);
    QSignalSpy spy(reply, &QNetworkReply::finished);
    WireReply out;
    out.finished = reply->isFinished() || spy.wait(15000);
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.headers = reply->rawHeaderPairs();
    out.body = reply->readAll();
    delete reply;
    return out;
}

} // namespace

class TestEntraFlows : public QObject {
    Q_OBJECT

    std::unique_ptr<SandboxFixture> f;

    std::tuple<int, int, int> m_options{-1, -1, -1};

    /// A sandbox with these options; reused while they stay the same (a start costs an RSA key).
    void restart(int interval, int deviceLifetime = 900, int codeLifetime = 600)
    {
        if (f && m_options == std::tuple{interval, deviceLifetime, codeLifetime})
            return;
        m_options = {interval, deviceLifetime, codeLifetime};
        f.reset();
        pbi::sandbox::SandboxOptions o;
        o.deviceCodeIntervalSeconds = interval;
        o.deviceCodeLifetimeSeconds = deviceLifetime;
        o.authorizationCodeLifetimeSeconds = codeLifetime;
        f = std::make_unique<SandboxFixture>(o);
    }
    WireReply post(const QString& path, const QByteArray& body,
                   QList<QPair<QByteArray, QByteArray>> headers = {})
    {
        headers.append(
            qMakePair(QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded")));
        return wireSend("POST", f->url(path), headers, body);
    }
    WireReply token(const Fields& fields, const QString& tenant = {})
    {
        return post(QLatin1Char('/') + (tenant.isEmpty() ? f->tenantId() : tenant) +
                        QStringLiteral("/oauth2/v2.0/token"),
                    form(fields));
    }
    json deviceCode(const QString& clientId, const QString& scope, const QString& tenant = {})
    {
        const WireReply r =
            post(QLatin1Char('/') + (tenant.isEmpty() ? f->tenantId() : tenant) +
                     QStringLiteral("/oauth2/v2.0/devicecode"),
                 form({{QStringLiteral("client_id"), clientId}, {QStringLiteral("scope"), scope}}));
        return r.status == 200 ? r.json() : json();
    }
    WireReply poll(const QString& clientId, const json& dc, const QString& tenant = {})
    {
        return token({{QStringLiteral("grant_type"),
                       QStringLiteral("urn:ietf:params:oauth:grant-type:device_code")},
                      {QStringLiteral("client_id"), clientId},
                      {QStringLiteral("device_code"), str(dc, "device_code")}},
                     tenant);
    }
    WireReply control(const QString& userCode, const json& body)
    {
        return wireSend("POST", f->url(QStringLiteral("/sandbox/control/device-codes/") + userCode),
                        {qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))},
                        QByteArray::fromStdString(body.dump()));
    }
    WireReply password(const QString& clientId, const QString& user, const QString& pw,
                       const QString& scope, const Fields& extra = {})
    {
        Fields fields = {{QStringLiteral("grant_type"), QStringLiteral("password")},
                         {QStringLiteral("client_id"), clientId},
                         {QStringLiteral("username"), user},
                         {QStringLiteral("password"), pw},
                         {QStringLiteral("scope"), scope}};
        fields += extra;
        return token(fields);
    }
    QUrl authorizeUrl(const Fields& params)
    {
        QUrl u =
            f->url(QLatin1Char('/') + f->tenantId() + QStringLiteral("/oauth2/v2.0/authorize"));
        QUrlQuery q;
        for (const auto& [k, v] : params)
            q.addQueryItem(k, QString::fromLatin1(QUrl::toPercentEncoding(v)));
        u.setQuery(q);
        return u;
    }
    Fields authorizeParams(const QString& verifier, const QString& method = QStringLiteral("S256"))
    {
        return {{QStringLiteral("client_id"), kPublic},
                {QStringLiteral("response_type"), QStringLiteral("code")},
                {QStringLiteral("redirect_uri"), kRedirect},
                {QStringLiteral("scope"), kDefault + QStringLiteral(" openid offline_access")},
                {QStringLiteral("state"), QStringLiteral("st&te=1")},
                {QStringLiteral("code_challenge"),
                 method == QLatin1String("S256") ? pkceChallenge(verifier) : verifier},
                {QStringLiteral("code_challenge_method"), method}};
    }
    WireReply signIn(const QUrl& url, const QString& login, const QString& pw,
                     const QString& action = QStringLiteral("signin"))
    {
        return sendNoRedirect("POST", url, "application/x-www-form-urlencoded",
                              form({{QStringLiteral("login"), login},
                                    {QStringLiteral("password"), pw},
                                    {QStringLiteral("action"), action}}));
    }
    /// Signs in on the authorize page and returns the query of the redirect.
    QUrlQuery authorize(const Fields& params, const QString& login = kMegan)
    {
        const WireReply r = signIn(authorizeUrl(params), login, kPassword);
        if (r.status != 302)
            return {};
        const QUrl location(QString::fromUtf8(r.header("Location")));
        return QUrlQuery(location);
    }
    WireReply redeem(const QString& code, const QString& verifier,
                     const QString& redirect = kRedirect)
    {
        Fields fields = {{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                         {QStringLiteral("client_id"), kPublic},
                         {QStringLiteral("code"), code},
                         {QStringLiteral("redirect_uri"), redirect}};
        if (!verifier.isNull())
            fields.append({QStringLiteral("code_verifier"), verifier});
        return token(fields);
    }
    WireReply groups(const QByteArray& accessToken)
    {
        return wireSend("GET", f->url(QStringLiteral("/v1.0/myorg/groups")),
                        {qMakePair(QByteArray("Authorization"), "Bearer " + accessToken)});
    }
    QString assertion(json header, json claims)
    {
        return QString::fromStdString(
            pbi::sandbox::encodeJwtWithPem(header.dump(), claims.dump(), demo::privateKeyPem()));
    }
    json goodAssertionClaims()
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QString aud = f->base().toString(QUrl::StripTrailingSlash) + QLatin1Char('/') +
                            f->tenantId() + QStringLiteral("/oauth2/v2.0/token");
        return {{"aud", aud.toStdString()},
                {"iss", demo::kAppClientId},
                {"sub", demo::kAppClientId},
                {"jti", QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString()},
                {"nbf", now},
                {"iat", now},
                {"exp", now + 600}};
    }
    WireReply assertionToken(const QString& jwt,
                             const QString& type = QStringLiteral(
                                 "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"))
    {
        return token({{QStringLiteral("grant_type"), QStringLiteral("client_credentials")},
                      {QStringLiteral("client_id"), QString::fromLatin1(demo::kAppClientId)},
                      {QStringLiteral("scope"), kDefault},
                      {QStringLiteral("client_assertion_type"), type},
                      {QStringLiteral("client_assertion"), jwt}});
    }

private Q_SLOTS:
    void init() { restart(0); }
    void cleanupTestCase() { f.reset(); }

    // ---- certificate (private_key_jwt) ---------------------------------------------------

    void certificateAssertion_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("aadsts");
        QTest::newRow("valid") << "" << 200 << "" << 0;
        QTest::newRow("aud by domain") << "audDomain" << 200 << "" << 0;
        QTest::newRow("x5t#S256 header") << "x5tS256" << 200 << "" << 0;
        QTest::newRow("expired within skew") << "expiredWithinSkew" << 200 << "" << 0;
        QTest::newRow("expired") << "expired" << 401 << "invalid_client" << 700024;
        // Entra does not enforce a short lifetime (api-digest §10); odd numbers must not crash.
        QTest::newRow("absurd exp") << "absurdExp" << 200 << "" << 0;
        QTest::newRow("fractional exp") << "fractionalExp" << 200 << "" << 0;
        QTest::newRow("exp not a number") << "textExp" << 401 << "invalid_client" << 50027;
        QTest::newRow("not yet valid") << "future" << 401 << "invalid_client" << 700024;
        QTest::newRow("wrong signature") << "tamper" << 401 << "invalid_client" << 700027;
        QTest::newRow("unregistered certificate")
            << "otherX5t" << 401 << "invalid_client" << 700027;
        QTest::newRow("wrong audience") << "aud" << 401 << "invalid_client" << 50027;
        QTest::newRow("audience list") << "audList" << 401 << "invalid_client" << 50027;
        QTest::newRow("sub differs from iss") << "sub" << 401 << "invalid_client" << 50048;
        QTest::newRow("iss is another app") << "issSub" << 401 << "invalid_client" << 50027;
        QTest::newRow("no jti") << "noJti" << 401 << "invalid_client" << 50027;
        QTest::newRow("no x5t") << "noX5t" << 401 << "invalid_client" << 50027;
        QTest::newRow("HS256") << "hs256" << 401 << "invalid_client" << 50027;
        QTest::newRow("not a JWT") << "garbage" << 401 << "invalid_client" << 50027;
        QTest::newRow("wrong assertion type") << "type" << 401 << "invalid_client" << 50027;
    }
    void certificateAssertion()
    {
        QFETCH(QString, change);
        QFETCH(int, status);
        QFETCH(QString, error);
        QFETCH(int, aadsts);
        json header = {{"alg", "RS256"}, {"typ", "JWT"}, {"x5t", demo::kCertificateX5t}};
        json claims = goodAssertionClaims();
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        if (change == QLatin1String("audDomain"))
            claims["aud"] = QString(f->base().toString(QUrl::StripTrailingSlash) +
                                    QStringLiteral("/") + QString::fromLatin1(demo::kTenantDomain) +
                                    QStringLiteral("/oauth2/v2.0/token"))
                                .toStdString();
        if (change == QLatin1String("x5tS256")) {
            const auto cert = pbi::sandbox::EntraCertificate::fromPem(demo::certificatePem());
            header.erase("x5t");
            header["x5t#S256"] = cert->x5tS256();
        }
        if (change == QLatin1String("expiredWithinSkew"))
            claims["exp"] = now - 120;
        if (change == QLatin1String("absurdExp"))
            claims["exp"] = 1e300;
        if (change == QLatin1String("fractionalExp"))
            claims["exp"] = double(now) + 600.5;
        if (change == QLatin1String("textExp"))
            claims["exp"] = "tomorrow";
        if (change == QLatin1String("expired"))
            claims["exp"] = now - 400;
        if (change == QLatin1String("future"))
            claims["nbf"] = now + 400;
        if (change == QLatin1String("otherX5t"))
            header["x5t"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAA";
        if (change == QLatin1String("aud"))
            claims["aud"] = "https://login.microsoftonline.com/"
                            "11111111-2222-3333-4444-555555555555/oauth2/v2.0/token";
        if (change == QLatin1String("audList"))
            claims["aud"] = json::array({claims["aud"], "https://example.org"});
        if (change == QLatin1String("sub"))
            claims["sub"] = "someone-else";
        if (change == QLatin1String("issSub"))
            claims["iss"] = claims["sub"] = demo::kPublicClientId;
        if (change == QLatin1String("noJti"))
            claims.erase("jti");
        if (change == QLatin1String("noX5t"))
            header.erase("x5t");
        if (change == QLatin1String("hs256"))
            header["alg"] = "HS256";
        QString jwt = assertion(header, claims);
        if (change == QLatin1String("tamper")) {
            // Same header and key id, claims changed after signing.
            QStringList parts = jwt.split(QLatin1Char('.'));
            claims["exp"] = now + 3000;
            parts[1] = QString::fromLatin1(
                QByteArray::fromStdString(claims.dump())
                    .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
            jwt = parts.join(QLatin1Char('.'));
        }
        if (change == QLatin1String("garbage"))
            jwt = QStringLiteral("not.a-jwt");
        const WireReply r =
            change == QLatin1String("type")
                ? assertionToken(
                      jwt,
                      QStringLiteral("urn:ietf:params:oauth:client-assertion-type:saml2-bearer"))
                : assertionToken(jwt);
        if (status != 200) {
            const QString problem = entraProblem(r, status, error, aadsts);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            return;
        }
        QCOMPARE(r.status, 200);
        const json claimsOut =
            jwtPart(QByteArray::fromStdString(r.json()["access_token"].get<std::string>()), 1);
        QCOMPARE(str(claimsOut, "appidacr"), QStringLiteral("2")); // certificate
        QCOMPARE(str(claimsOut, "idtyp"), QStringLiteral("app"));
        QCOMPARE(str(claimsOut, "appid"), QString::fromLatin1(demo::kAppClientId));
    }

    void certificateTokenWorksOnTheApi()
    {
        const WireReply r = assertionToken(
            assertion({{"alg", "RS256"}, {"typ", "JWT"}, {"x5t", demo::kCertificateX5t}},
                      goodAssertionClaims()));
        QCOMPARE(r.status, 200);
        QCOMPARE(
            groups(QByteArray::fromStdString(r.json()["access_token"].get<std::string>())).status,
            200);
    }

    void publicClientMustNotPresentCredentials()
    {
        const WireReply r =
            password(kPublic, kMegan, kPassword, kDefault,
                     {{QStringLiteral("client_secret"), QStringLiteral("anything")}});
        const QString problem = entraProblem(r, 401, QStringLiteral("invalid_client"), 700025);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // ---- device code ----------------------------------------------------------------------

    void deviceCodeResponse()
    {
        restart(5);
        const json dc = deviceCode(kPublic, kDefault + QStringLiteral(" offline_access"));
        QVERIFY(dc.is_object());
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Z]{8}$"))
                    .match(str(dc, "user_code"))
                    .hasMatch());
        QVERIFY(str(dc, "device_code").size() > 40);
        QCOMPARE(str(dc, "verification_uri"), f->base().toString(QUrl::StripTrailingSlash) +
                                                  QStringLiteral("/sandbox/devicelogin"));
        QCOMPARE(dc["expires_in"].get<int>(), 900);
        QCOMPARE(dc["interval"].get<int>(), 5);
        QVERIFY(str(dc, "message").contains(str(dc, "user_code")));
        QVERIFY(str(dc, "message").contains(str(dc, "verification_uri")));
        QVERIFY(!dc.contains("verification_uri_complete"));
    }

    void deviceCodeApproved()
    {
        const json dc =
            deviceCode(kPublic, kDefault + QStringLiteral(" openid profile offline_access"));
        QVERIFY(dc.is_object());
        QString problem =
            entraProblem(poll(kPublic, dc), 400, QStringLiteral("authorization_pending"), 70016);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));

        const WireReply approved =
            control(str(dc, "user_code"), {{"action", "approve"}, {"user", kMegan.toStdString()}});
        QCOMPARE(approved.status, 200);
        QCOMPARE(str(approved.json(), "status"), QStringLiteral("approved"));

        const WireReply r = poll(kPublic, dc);
        QCOMPARE(r.status, 200);
        const json body = r.json();
        QCOMPARE(str(body, "token_type"), QStringLiteral("Bearer"));
        QVERIFY(body["expires_in"].get<int>() >= 3600 && body["expires_in"].get<int>() <= 5400);
        QVERIFY(!str(body, "refresh_token").isEmpty());
        QVERIFY(!str(body, "id_token").isEmpty());
        QVERIFY(str(body, "scope").contains(kPbi + QStringLiteral("Workspace.Read.All")));
        const QByteArray access =
            QByteArray::fromStdString(body["access_token"].get<std::string>());
        const json c = jwtPart(access, 1);
        QCOMPARE(str(c, "idtyp"), QStringLiteral("user"));
        QCOMPARE(str(c, "upn"), kMegan);
        QCOMPARE(str(c, "oid").toStdString(), objectIdOf(kMegan));
        QCOMPARE(str(c, "appid"), kPublic);
        QCOMPARE(str(c, "appidacr"), QStringLiteral("0"));
        QCOMPARE(str(c, "aud"), QStringLiteral("https://analysis.windows.net/powerbi/api"));
        QCOMPARE(str(c, "iss"), QStringLiteral("https://sts.windows.net/%1/").arg(f->tenantId()));
        QCOMPARE(groups(access).status, 200);

        // A device code is good for one token.
        problem =
            entraProblem(poll(kPublic, dc), 400, QStringLiteral("bad_verification_code"), 70000);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void deviceCodeDeclined()
    {
        const json dc = deviceCode(kPublic, kDefault);
        QCOMPARE(control(str(dc, "user_code"), {{"action", "decline"}}).status, 200);
        QString problem =
            entraProblem(poll(kPublic, dc), 400, QStringLiteral("authorization_declined"), 70000);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void deviceCodeExpired()
    {
        restart(0, 0);
        const json dc = deviceCode(kPublic, kDefault);
        QCOMPARE(dc["expires_in"].get<int>(), 0);
        QString problem =
            entraProblem(poll(kPublic, dc), 400, QStringLiteral("expired_token"), 70019);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(str(poll(kPublic, dc).json(), "error"), QStringLiteral("expired_token"));
        QCOMPARE(
            control(str(dc, "user_code"), {{"action", "approve"}, {"user", kMegan.toStdString()}})
                .status,
            410);
    }

    void deviceCodeExpiresWhileWaiting()
    {
        restart(0, 1);
        const json dc = deviceCode(kPublic, kDefault);
        QCOMPARE(poll(kPublic, dc).json()["error"].get<std::string>(),
                 std::string("authorization_pending"));
        QTRY_COMPARE_WITH_TIMEOUT(str(poll(kPublic, dc).json(), "error"),
                                  QStringLiteral("expired_token"), 5000);
    }

    void deviceCodeSlowDown()
    {
        restart(5);
        const json dc = deviceCode(kPublic, kDefault);
        QString problem =
            entraProblem(poll(kPublic, dc), 400, QStringLiteral("authorization_pending"), 70016);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        problem = entraProblem(poll(kPublic, dc), 400, QStringLiteral("slow_down"), 70016);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void deviceCodePollErrors_data()
    {
        QTest::addColumn<QString>("clientId");
        QTest::addColumn<QString>("deviceCode");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("aadsts");
        QTest::newRow("unknown device code")
            << kPublic << "DAQABnope" << 400 << "bad_verification_code" << 70000;
        QTest::newRow("no device code") << kPublic << "" << 400 << "invalid_request" << 900144;
        QTest::newRow("another app's code")
            << kUnconsented << "*" << 400 << "bad_verification_code" << 70000;
        // A confidential app without "allow public client flows" must authenticate.
        QTest::newRow("confidential app without secret")
            << QString::fromLatin1(demo::kAppClientId) << "*" << 401 << "invalid_client" << 7000218;
    }
    void deviceCodePollErrors()
    {
        QFETCH(QString, clientId);
        QFETCH(QString, deviceCode);
        QFETCH(int, status);
        QFETCH(QString, error);
        QFETCH(int, aadsts);
        json dc = this->deviceCode(kPublic, kDefault);
        if (deviceCode != QLatin1String("*"))
            dc["device_code"] = deviceCode.toStdString();
        const QString problem = entraProblem(poll(clientId, dc), status, error, aadsts);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void deviceCodeRequestErrors_data()
    {
        QTest::addColumn<QString>("tenant");
        QTest::addColumn<QString>("clientId");
        QTest::addColumn<QString>("scope");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("aadsts");
        const QString tid = QString::fromLatin1(demo::kTenantId);
        QTest::newRow("unknown app")
            << tid << QStringLiteral("00000000-0000-0000-0000-000000000009") << kDefault
            << "unauthorized_client" << 700016;
        QTest::newRow("no scope") << tid << kPublic << QString() << "invalid_request" << 900144;
        QTest::newRow("bad scope") << tid << kPublic << kPbi + QStringLiteral("Everything.All")
                                   << "invalid_scope" << 70011;
        QTest::newRow("unknown tenant") << QStringLiteral("fabrikam.onmicrosoft.com") << kPublic
                                        << kDefault << "invalid_request" << 90002;
        QTest::newRow("single-tenant app on common")
            << QStringLiteral("common") << kUnconsented << kDefault << "invalid_request" << 50194;
    }
    void deviceCodeRequestErrors()
    {
        QFETCH(QString, tenant);
        QFETCH(QString, clientId);
        QFETCH(QString, scope);
        QFETCH(QString, error);
        QFETCH(int, aadsts);
        Fields fields = {{QStringLiteral("client_id"), clientId}};
        if (!scope.isNull())
            fields.append({QStringLiteral("scope"), scope});
        const WireReply r = post(
            QLatin1Char('/') + tenant + QStringLiteral("/oauth2/v2.0/devicecode"), form(fields));
        const QString problem = entraProblem(r, 400, error, aadsts);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void deviceCodeThroughCommon()
    {
        const json dc = deviceCode(kPublic, kDefault, QStringLiteral("organizations"));
        QVERIFY(dc.is_object());
        QCOMPARE(
            control(str(dc, "user_code"), {{"action", "approve"}, {"user", kAdmin.toStdString()}})
                .status,
            200);
        const WireReply r = poll(kPublic, dc, QStringLiteral("common"));
        QCOMPARE(r.status, 200);
        QCOMPARE(
            str(jwtPart(QByteArray::fromStdString(r.json()["access_token"].get<std::string>()), 1),
                "tid"),
            f->tenantId());
    }

    void deviceLoginPage()
    {
        const json dc = deviceCode(kPublic, kDefault);
        const QString code = str(dc, "user_code");
        const WireReply pageReply =
            wireSend("GET", f->url(QStringLiteral("/sandbox/devicelogin?code=") + code));
        QCOMPARE(pageReply.status, 200);
        QVERIFY(pageReply.header("Content-Type").startsWith("text/html"));
        QVERIFY(pageReply.body.contains("<form"));
        QVERIFY(pageReply.body.contains(code.toLatin1()));
        QVERIFY(pageReply.body.contains(kMegan.toLatin1()));

        auto submit = [&](const QString& c, const QString& pw, const QString& action) {
            return post(QStringLiteral("/sandbox/devicelogin"),
                        form({{QStringLiteral("code"), c},
                              {QStringLiteral("login"), kMegan},
                              {QStringLiteral("password"), pw},
                              {QStringLiteral("action"), action}}));
        };
        const WireReply wrong = submit(code, QStringLiteral("wrong"), QStringLiteral("approve"));
        QCOMPARE(wrong.status, 400);
        QVERIFY(wrong.body.contains("AADSTS50126"));
        QCOMPARE(str(poll(kPublic, dc).json(), "error"), QStringLiteral("authorization_pending"));
        QCOMPARE(submit(QStringLiteral("ZZZZZZZZ"), kPassword, QStringLiteral("approve")).status,
                 400);

        // People type codes in lower case and with spaces.
        const QString typed = code.left(4).toLower() + QLatin1Char(' ') + code.mid(4).toLower();
        const WireReply ok = submit(typed, kPassword, QStringLiteral("approve"));
        QCOMPARE(ok.status, 200);
        QVERIFY(ok.body.contains("Megan Bowen"));
        QCOMPARE(poll(kPublic, dc).status, 200);
    }

    void deviceControlErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("knownCode");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("unknown code")
            << QByteArray(R"({"action":"decline"})") << false << 404 << "UnknownUserCode";
        QTest::newRow("bad action")
            << QByteArray(R"({"action":"maybe"})") << true << 400 << "InvalidRequest";
        QTest::newRow("not json") << QByteArray("approve") << true << 400 << "InvalidRequest";
        QTest::newRow("action not a string")
            << QByteArray(R"({"action":1})") << true << 400 << "InvalidRequest";
        QTest::newRow("approve without user")
            << QByteArray(R"({"action":"approve"})") << true << 400 << "InvalidRequest";
        QTest::newRow("unknown user") << QByteArray(R"({"action":"approve","user":"nobody@x"})")
                                      << true << 400 << "UnknownUser";
    }
    void deviceControlErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, knownCode);
        QFETCH(int, status);
        QFETCH(QString, code);
        const json dc = deviceCode(kPublic, kDefault);
        const WireReply r =
            wireSend("POST",
                     f->url(QStringLiteral("/sandbox/control/device-codes/") +
                            (knownCode ? str(dc, "user_code") : QStringLiteral("QQQQQQQQ"))),
                     {qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))}, body);
        QCOMPARE(r.status, status);
        QCOMPARE(str(r.json()["error"], "code"), code);
        QCOMPARE(str(poll(kPublic, dc).json(), "error"), QStringLiteral("authorization_pending"));
    }

    void deviceControlDecidesOnce()
    {
        const json dc = deviceCode(kPublic, kDefault);
        QCOMPARE(control(str(dc, "user_code"), {{"action", "decline"}}).status, 200);
        const WireReply again =
            control(str(dc, "user_code"), {{"action", "approve"}, {"user", kMegan.toStdString()}});
        QCOMPARE(again.status, 409);
        QCOMPARE(str(poll(kPublic, dc).json(), "error"), QStringLiteral("authorization_declined"));
    }

    void unconsentedAppIsRefused()
    {
        const json dc = deviceCode(kUnconsented, kDefault);
        QCOMPARE(
            control(str(dc, "user_code"), {{"action", "approve"}, {"user", kMegan.toStdString()}})
                .status,
            200);
        QString problem =
            entraProblem(poll(kUnconsented, dc), 400, QStringLiteral("invalid_grant"), 65001);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        problem = entraProblem(password(kUnconsented, kMegan, kPassword, kDefault), 400,
                               QStringLiteral("invalid_grant"), 65001);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // ---- authorization code + PKCE ------------------------------------------------------

    void authorizationCodeWithPkce()
    {
        const QString verifier = QStringLiteral("verifier-0123456789-0123456789-0123456789-abc");
        const QUrl url = authorizeUrl(authorizeParams(verifier));
        const WireReply pageReply = wireSend("GET", url);
        QCOMPARE(pageReply.status, 200);
        QVERIFY(pageReply.header("Content-Type").startsWith("text/html"));
        QVERIFY(pageReply.body.contains("<form method=\"post\""));
        QVERIFY(pageReply.body.contains("PBI Console Desktop"));

        const WireReply signedIn = signIn(url, kAdmin, kPassword);
        QCOMPARE(signedIn.status, 302);
        const QUrl location(QString::fromUtf8(signedIn.header("Location")));
        QCOMPARE(location.toString(QUrl::RemoveQuery), kRedirect);
        const QUrlQuery q(location);
        QCOMPARE(q.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded),
                 QStringLiteral("st&te=1"));
        const QString code = q.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
        QVERIFY(!code.isEmpty());

        const WireReply r = redeem(code, verifier);
        QCOMPARE(r.status, 200);
        const json body = r.json();
        QVERIFY(body.contains("refresh_token") && body.contains("id_token"));
        const QByteArray access =
            QByteArray::fromStdString(body["access_token"].get<std::string>());
        const json c = jwtPart(access, 1);
        QCOMPARE(str(c, "upn"), kAdmin);
        QVERIFY(c["wids"].is_array() && c["wids"][0] == "a9ea8996-122f-4c74-9520-8edcd192826c");
        QCOMPARE(groups(access).status, 200);

        const QString problem =
            entraProblem(redeem(code, verifier), 400, QStringLiteral("invalid_grant"), 54005);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void authorizationCodePlainChallenge()
    {
        const QString verifier = QStringLiteral("plain-verifier-0123456789-0123456789-0123456789");
        const QUrlQuery q = authorize(authorizeParams(verifier, QStringLiteral("plain")));
        QCOMPARE(
            redeem(q.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded), verifier).status,
            200);
    }

    void authorizationCodeErrors_data()
    {
        QTest::addColumn<QString>("verifier");
        QTest::addColumn<QString>("redirect");
        QTest::addColumn<bool>("realCode");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("aadsts");
        const QString good = QStringLiteral("verifier-0123456789-0123456789-0123456789-abc");
        QTest::newRow("wrong verifier")
            << QStringLiteral("verifier-0123456789-0123456789-0123456789-xyz") << kRedirect << true
            << "invalid_grant" << 501481;
        QTest::newRow("no verifier")
            << QString() << kRedirect << true << "invalid_request" << 900144;
        QTest::newRow("other redirect") << good << QStringLiteral("http://127.0.0.1:1/other")
                                        << true << "invalid_grant" << 50011;
        QTest::newRow("unknown code") << good << kRedirect << false << "invalid_grant" << 9002313;
    }
    void authorizationCodeErrors()
    {
        QFETCH(QString, verifier);
        QFETCH(QString, redirect);
        QFETCH(bool, realCode);
        QFETCH(QString, error);
        QFETCH(int, aadsts);
        const QUrlQuery q = authorize(
            authorizeParams(QStringLiteral("verifier-0123456789-0123456789-0123456789-abc")));
        const QString code = realCode ? q.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded)
                                      : QStringLiteral("1.AQsA-made-up");
        QVERIFY(!code.isEmpty());
        const QString problem = entraProblem(redeem(code, verifier, redirect), 400, error, aadsts);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void authorizationCodeExpires()
    {
        restart(0, 900, 0);
        const QString verifier = QStringLiteral("verifier-0123456789-0123456789-0123456789-abc");
        const QUrlQuery q = authorize(authorizeParams(verifier));
        const QString problem = entraProblem(
            redeem(q.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded), verifier), 400,
            QStringLiteral("invalid_grant"), 70008);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void authorizeErrorPages_data()
    {
        QTest::addColumn<QString>("clientId");
        QTest::addColumn<QString>("redirect");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("not loopback") << kPublic << QStringLiteral("https://evil.example/cb") << 400
                                      << QByteArray("AADSTS50011");
        QTest::newRow("loopback look-alike")
            << kPublic << QStringLiteral("http://127.0.0.1.evil.example/cb") << 400
            << QByteArray("AADSTS50011");
        QTest::newRow("unknown app") << QStringLiteral("00000000-0000-0000-0000-000000000009")
                                     << kRedirect << 400 << QByteArray("AADSTS700016");
        QTest::newRow("registered native client uri")
            << kPublic
            << QStringLiteral("https://login.microsoftonline.com/common/oauth2/nativeclient") << 200
            << QByteArray("<form");
        QTest::newRow("localhost without port")
            << kPublic << QStringLiteral("http://localhost") << 200 << QByteArray("<form");
    }
    void authorizeErrorPages()
    {
        QFETCH(QString, clientId);
        QFETCH(QString, redirect);
        QFETCH(int, status);
        QFETCH(QByteArray, text);
        Fields params =
            authorizeParams(QStringLiteral("verifier-0123456789-0123456789-0123456789-abc"));
        params[0].second = clientId;
        params[2].second = redirect;
        const WireReply r = sendNoRedirect("GET", authorizeUrl(params));
        QCOMPARE(r.status, status);
        QVERIFY2(r.body.contains(text), r.body.constData());
        QVERIFY(r.header("Location").isEmpty());
    }

    void authorizeRedirectsErrorsToTheApp_data()
    {
        QTest::addColumn<int>("param");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("error");
        QTest::newRow("cancel") << -1 << QString() << "cancel"
                                << "access_denied";
        QTest::newRow("implicit flow") << 1 << QStringLiteral("token") << "signin"
                                       << "unsupported_response_type";
        QTest::newRow("bad scope") << 3 << kPbi + QStringLiteral("Nope.All") << "signin"
                                   << "invalid_scope";
        QTest::newRow("bad challenge method") << 6 << QStringLiteral("S512") << "signin"
                                              << "invalid_request";
    }
    void authorizeRedirectsErrorsToTheApp()
    {
        QFETCH(int, param);
        QFETCH(QString, value);
        QFETCH(QString, action);
        QFETCH(QString, error);
        Fields params =
            authorizeParams(QStringLiteral("verifier-0123456789-0123456789-0123456789-abc"));
        if (param >= 0)
            params[param].second = value;
        const WireReply r = signIn(authorizeUrl(params), kMegan, kPassword, action);
        QCOMPARE(r.status, 302);
        const QUrlQuery q{QUrl(QString::fromUtf8(r.header("Location")))};
        QCOMPARE(q.queryItemValue(QStringLiteral("error")), error);
        QVERIFY(q.queryItemValue(QStringLiteral("error_description"), QUrl::FullyDecoded)
                    .startsWith(QStringLiteral("AADSTS")));
        QCOMPARE(q.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded),
                 QStringLiteral("st&te=1"));
        QVERIFY(!q.hasQueryItem(QStringLiteral("code")));
    }

    void authorizeWrongPasswordStaysOnThePage()
    {
        const WireReply r = signIn(authorizeUrl(authorizeParams(QStringLiteral(
                                       "verifier-0123456789-0123456789-0123456789-abc"))),
                                   kMegan, QStringLiteral("nope"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("Location").isEmpty());
        QVERIFY(r.body.contains("AADSTS50126"));
    }

    // ---- refresh tokens ---------------------------------------------------------------------

    void refreshTokensRotate()
    {
        const WireReply first =
            password(kPublic, kMegan, kPassword, kDefault + QStringLiteral(" offline_access"));
        QCOMPARE(first.status, 200);
        const QString rt1 = str(first.json(), "refresh_token");
        QVERIFY(!rt1.isEmpty());
        auto refresh = [&](const QString& rt) {
            return token({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                          {QStringLiteral("client_id"), kPublic},
                          {QStringLiteral("refresh_token"), rt}});
        };
        const WireReply second = refresh(rt1);
        QCOMPARE(second.status, 200);
        const QString rt2 = str(second.json(), "refresh_token");
        QVERIFY(!rt2.isEmpty() && rt2 != rt1);
        const json c =
            jwtPart(QByteArray::fromStdString(second.json()["access_token"].get<std::string>()), 1);
        QCOMPARE(str(c, "upn"), kMegan);

        QString problem = entraProblem(refresh(rt1), 400, QStringLiteral("invalid_grant"), 70000);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        problem = entraProblem(refresh(QStringLiteral("1.AQsA-never-issued")), 400,
                               QStringLiteral("invalid_grant"), 9002313);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(refresh(rt2).status, 200);

        // Another app cannot use it.
        const WireReply third =
            password(kPublic, kMegan, kPassword, kDefault + QStringLiteral(" offline_access"));
        problem = entraProblem(
            token({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                   {QStringLiteral("client_id"), kUnconsented},
                   {QStringLiteral("refresh_token"), str(third.json(), "refresh_token")}}),
            400, QStringLiteral("invalid_grant"), 70000);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // ---- password grant, scopes and delegated claims -----------------------------------------

    void scopesDecideWhatIsReturned_data()
    {
        QTest::addColumn<QString>("scope");
        QTest::addColumn<bool>("refresh");
        QTest::addColumn<bool>("idToken");
        QTest::newRow(".default") << kDefault << false << false;
        QTest::newRow("offline_access")
            << kDefault + QStringLiteral(" offline_access") << true << false;
        QTest::newRow("openid") << QStringLiteral("openid ") + kDefault << false << true;
        QTest::newRow("named scopes, all")
            << kPbi + QStringLiteral("Workspace.Read.All ") + kPbi +
                   QStringLiteral("Dataset.Read.All openid profile offline_access")
            << true << true;
    }
    void scopesDecideWhatIsReturned()
    {
        QFETCH(QString, scope);
        QFETCH(bool, refresh);
        QFETCH(bool, idToken);
        const WireReply r = password(kPublic, kMegan, kPassword, scope);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().contains("refresh_token"), refresh);
        QCOMPARE(r.json().contains("id_token"), idToken);
        // The token carries every consented scope, whatever subset was named (as Entra does).
        const json c =
            jwtPart(QByteArray::fromStdString(r.json()["access_token"].get<std::string>()), 1);
        QStringList consented;
        for (const auto& s : demo::consentedScopes())
            consented << QString::fromStdString(s);
        consented.sort();
        QCOMPARE(str(c, "scp"), consented.join(QLatin1Char(' ')));
    }

    void passwordGrantErrors_data()
    {
        QTest::addColumn<QString>("clientId");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("pw");
        QTest::addColumn<QString>("scope");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("aadsts");
        const QString cid = QString::fromLatin1(demo::kAppClientId);
        QTest::newRow("wrong password")
            << kPublic << kMegan << "nope" << kDefault << 400 << "invalid_grant" << 50126;
        QTest::newRow("unknown user") << kPublic << "ghost@contoso-sandbox.onmicrosoft.com"
                                      << kPassword << kDefault << 400 << "invalid_grant" << 50034;
        QTest::newRow("no username")
            << kPublic << "" << kPassword << kDefault << 400 << "invalid_request" << 900144;
        QTest::newRow("confidential app, no secret")
            << cid << kMegan << kPassword << kDefault << 401 << "invalid_client" << 7000218;
        QTest::newRow("unknown scope")
            << kPublic << kMegan << kPassword << kPbi + QStringLiteral("Magic.All") << 400
            << "invalid_scope" << 70011;
        QTest::newRow("two resources")
            << kPublic << kMegan << kPassword
            << kDefault + QStringLiteral(" https://graph.microsoft.com/User.Read") << 400
            << "invalid_scope" << 700022;
        QTest::newRow(".default and named")
            << kPublic << kMegan << kPassword
            << kDefault + QStringLiteral(" ") + kPbi + QStringLiteral("Workspace.Read.All") << 400
            << "invalid_scope" << 70011;
        QTest::newRow("other resource only")
            << kPublic << kMegan << kPassword
            << QStringLiteral("https://graph.microsoft.com/.default") << 400 << "invalid_resource"
            << 500011;
        QTest::newRow("openid only")
            << kPublic << kMegan << kPassword << QStringLiteral("openid profile") << 400
            << "invalid_scope" << 70011;
        QTest::newRow("bare graph scope")
            << kPublic << kMegan << kPassword << QStringLiteral("User.Read") << 400
            << "invalid_scope" << 70011;
        QTest::newRow("named scope without consent")
            << kPublic << kMegan << kPassword << kPbi + QStringLiteral("Tenant.ReadWrite.All")
            << 400 << "invalid_grant" << 65001;
    }
    void passwordGrantErrors()
    {
        QFETCH(QString, clientId);
        QFETCH(QString, user);
        QFETCH(QString, pw);
        QFETCH(QString, scope);
        QFETCH(int, status);
        QFETCH(QString, error);
        QFETCH(int, aadsts);
        const QString problem =
            entraProblem(password(clientId, user, pw, scope), status, error, aadsts);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void confidentialAppAuthenticatesBeforeDelegation()
    {
        const QString cid = QString::fromLatin1(demo::kAppClientId);
        QString problem =
            entraProblem(password(cid, kMegan, kPassword, kDefault,
                                  {{QStringLiteral("client_secret"), QStringLiteral("wrong")}}),
                         401, QStringLiteral("invalid_client"), 7000215);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        // Authenticated, but the console's confidential app has no delegated consent.
        problem = entraProblem(password(cid, kMegan, kPassword, kDefault,
                                        {{QStringLiteral("client_secret"), f->clientSecret()}}),
                               400, QStringLiteral("invalid_grant"), 65001);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void delegatedClaims()
    {
        const WireReply r = password(kPublic, kAdmin.toUpper(), kPassword, kDefault);
        QCOMPARE(r.status, 200);
        const QByteArray access =
            QByteArray::fromStdString(r.json()["access_token"].get<std::string>());
        const json h = jwtPart(access, 0);
        const json c = jwtPart(access, 1);
        QCOMPARE(str(h, "alg"), QStringLiteral("RS256"));
        QCOMPARE(str(c, "ver"), QStringLiteral("1.0"));
        QCOMPARE(str(c, "idtyp"), QStringLiteral("user"));
        QCOMPARE(str(c, "upn"), kAdmin);
        QCOMPARE(str(c, "unique_name"), kAdmin);
        QCOMPARE(str(c, "name"), QStringLiteral("Alex Admin"));
        QCOMPARE(str(c, "given_name"), QStringLiteral("Alex"));
        QCOMPARE(str(c, "family_name"), QStringLiteral("Admin"));
        QCOMPARE(str(c, "oid").toStdString(), objectIdOf(kAdmin));
        QVERIFY(c["amr"] == json::array({"pwd"}));
        QCOMPARE(str(c, "appidacr"), QStringLiteral("0"));
        QCOMPARE(str(c, "tid"), f->tenantId());
        QVERIFY(c["exp"].get<qint64>() - c["iat"].get<qint64>() >= 3600);
        QVERIFY(c["nbf"].get<qint64>() <= QDateTime::currentSecsSinceEpoch());
        QVERIFY(!c.contains("roles"));
        QVERIFY(c["wids"].is_array());
        QVERIFY(c["wids"].size() == 2); // Fabric administrator + default user role
        const WireReply megan = password(kPublic, kMegan, kPassword, kDefault);
        QVERIFY(jwtPart(QByteArray::fromStdString(megan.json()["access_token"].get<std::string>()),
                        1)["wids"]
                    .size() == 1);
    }

    void v1Endpoints()
    {
        // Power BI's docs still use the v1 endpoint: `resource`, string numbers, expires_on.
        const QString v1 = QLatin1Char('/') + f->tenantId() + QStringLiteral("/oauth2/token");
        const QString resource = QStringLiteral("https://analysis.windows.net/powerbi/api");
        const WireReply app =
            post(v1, form({{QStringLiteral("grant_type"), QStringLiteral("client_credentials")},
                           {QStringLiteral("client_id"), f->clientId()},
                           {QStringLiteral("client_secret"), f->clientSecret()},
                           {QStringLiteral("resource"), resource}}));
        QCOMPARE(app.status, 200);
        const json a = app.json();
        QVERIFY(a["expires_in"].is_string() && a["expires_on"].is_string() &&
                a["not_before"].is_string());
        QCOMPARE(str(a, "resource"), resource);
        QCOMPARE(a["expires_on"].get<std::string>(),
                 std::to_string(std::stoll(a["not_before"].get<std::string>()) +
                                std::stoll(a["expires_in"].get<std::string>())));
        QCOMPARE(groups(QByteArray::fromStdString(a["access_token"].get<std::string>())).status,
                 200);

        QString problem = entraProblem(
            post(v1, form({{QStringLiteral("grant_type"), QStringLiteral("client_credentials")},
                           {QStringLiteral("client_id"), f->clientId()},
                           {QStringLiteral("client_secret"), f->clientSecret()}})),
            400, QStringLiteral("invalid_request"), 900144);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));

        const WireReply user =
            post(v1, form({{QStringLiteral("grant_type"), QStringLiteral("password")},
                           {QStringLiteral("client_id"), kPublic},
                           {QStringLiteral("username"), kMegan},
                           {QStringLiteral("password"), kPassword},
                           {QStringLiteral("resource"), resource}}));
        QCOMPARE(user.status, 200);
        QVERIFY(user.json().contains("refresh_token")); // v1 always returns one to user flows
        QVERIFY(str(user.json(), "scope")
                    .split(QLatin1Char(' '))
                    .contains(QStringLiteral("Workspace.Read.All")));

        const WireReply dc = post(
            QLatin1Char('/') + f->tenantId() + QStringLiteral("/oauth2/devicecode"),
            form({{QStringLiteral("client_id"), kPublic}, {QStringLiteral("resource"), resource}}));
        QCOMPARE(dc.status, 200);
        QVERIFY(dc.json().contains("verification_url") && !dc.json().contains("verification_uri"));
        QVERIFY(dc.json()["interval"].is_string());

        QUrl authorize =
            f->url(QLatin1Char('/') + f->tenantId() + QStringLiteral("/oauth2/authorize"));
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("client_id"), kPublic);
        q.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
        q.addQueryItem(QStringLiteral("redirect_uri"),
                       QString::fromLatin1(QUrl::toPercentEncoding(kRedirect)));
        q.addQueryItem(QStringLiteral("resource"),
                       QString::fromLatin1(QUrl::toPercentEncoding(resource)));
        authorize.setQuery(q);
        const WireReply signedIn = signIn(authorize, kMegan, kPassword);
        QCOMPARE(signedIn.status, 302);
        const QString code = QUrlQuery(QUrl(QString::fromUtf8(signedIn.header("Location"))))
                                 .queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
        const WireReply redeemed =
            post(v1, form({{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                           {QStringLiteral("client_id"), kPublic},
                           {QStringLiteral("code"), code},
                           {QStringLiteral("redirect_uri"), kRedirect},
                           {QStringLiteral("resource"), resource}}));
        QCOMPARE(redeemed.status, 200);
        QVERIFY(redeemed.json().contains("refresh_token"));
    }

    void clientRequestIdIsTheCorrelationId()
    {
        // MSAL sends client-request-id; Entra echoes it and files the error under it.
        const QByteArray id = "0b5c4e3a-1111-4222-8333-944455556666";
        const WireReply r = wireSend(
            "POST", f->url(QLatin1Char('/') + f->tenantId() + QStringLiteral("/oauth2/v2.0/token")),
            {qMakePair(QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded")),
             qMakePair(QByteArray("client-request-id"), id)},
            form({{QStringLiteral("grant_type"), QStringLiteral("password")},
                  {QStringLiteral("client_id"), kPublic},
                  {QStringLiteral("username"), kMegan},
                  {QStringLiteral("password"), QStringLiteral("wrong")},
                  {QStringLiteral("scope"), kDefault}}));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.header("client-request-id"), id);
        QCOMPARE(str(r.json(), "correlation_id").toLatin1(), id);
        QVERIFY(str(r.json(), "error_description").contains(QStringLiteral("Correlation ID: ") + QString::fromLatin1(id)));
    }

    void concurrentSignInsAreSerialisedSafely()
    {
        // Handlers run on the server's thread pool; all flows share the tenant's state.
        QNetworkAccessManager nam;
        QList<QNetworkReply*> replies;
        for (int i = 0; i < 24; ++i) {
            QNetworkRequest req(f->url(QLatin1Char('/') + f->tenantId() +
                                       (i % 3 == 2 ? QStringLiteral("/oauth2/v2.0/devicecode")
                                                   : QStringLiteral("/oauth2/v2.0/token"))));
            req.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArray("application/x-www-form-urlencoded"));
            const QByteArray body =
                i % 3 == 0 ? form({{QStringLiteral("grant_type"), QStringLiteral("password")},
                                   {QStringLiteral("client_id"), kPublic},
                                   {QStringLiteral("username"), kMegan},
                                   {QStringLiteral("password"), kPassword},
                                   {QStringLiteral("scope"),
                                    kDefault + QStringLiteral(" offline_access")}})
                : i % 3 == 1
                    ? form({{QStringLiteral("grant_type"), QStringLiteral("client_credentials")},
                            {QStringLiteral("client_id"), f->clientId()},
                            {QStringLiteral("client_secret"), f->clientSecret()},
                            {QStringLiteral("scope"), kDefault}})
                    : form({{QStringLiteral("client_id"), kPublic},
                            {QStringLiteral("scope"), kDefault}});
            replies.append(nam.post(req, body));
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.begin(), replies.end(),
                                             [](QNetworkReply* r) { return r->isFinished(); }),
                                 15000);
        QSet<QByteArray> userCodes;
        for (QNetworkReply* r : replies) {
            QCOMPARE(r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
            const json j = json::parse(r->readAll().toStdString(), nullptr, false);
            if (j.contains("user_code"))
                userCodes.insert(QByteArray::fromStdString(j["user_code"].get<std::string>()));
            delete r;
        }
        QCOMPARE(userCodes.size(), 8); // every device code got its own user code
    }

    void delegatedTokensWorkOnTheApi()
    {
        const WireReply r = password(kPublic, kMegan, kPassword, kDefault);
        QCOMPARE(
            groups(QByteArray::fromStdString(r.json()["access_token"].get<std::string>())).status,
            200);
    }
};

QTEST_GUILESS_MAIN(TestEntraFlows)
#include "tst_entraflows.moc"
