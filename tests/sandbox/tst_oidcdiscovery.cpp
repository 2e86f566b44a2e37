// The sandbox's OpenID Connect discovery documents and JWKS (reference/api-digest.md §10):
// what a standard client library reads when given the sandbox's authority URL.

#include "SandboxFixture.h"
#include "WireClient.h"

#include "EntraDemo.h"
#include "Tenant.h"

#include <QTest>
#include <QUrlQuery>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

using nlohmann::json;

namespace {

QByteArray form(const QList<QPair<QString, QString>>& fields)
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

QByteArray b64url(const std::string& s)
{
    return QByteArray::fromBase64(QByteArray::fromStdString(s), QByteArray::Base64UrlEncoding);
}

/// Verifies an RS256 JWS against a JWK's n and e, the way a validating library does.
bool verifyWithJwk(const QByteArray& token, const json& jwk)
{
    const QByteArray n = b64url(jwk["n"].get<std::string>());
    const QByteArray e = b64url(jwk["e"].get<std::string>());
    const int lastDot = token.lastIndexOf('.');
    const QByteArray input = token.left(lastDot);
    const QByteArray signature =
        QByteArray::fromBase64(token.mid(lastDot + 1), QByteArray::Base64UrlEncoding);

    BIGNUM* bn =
        BN_bin2bn(reinterpret_cast<const unsigned char*>(n.constData()), int(n.size()), nullptr);
    BIGNUM* be =
        BN_bin2bn(reinterpret_cast<const unsigned char*>(e.constData()), int(e.size()), nullptr);
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn);
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be);
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    EVP_PKEY* key = nullptr;
    bool ok = EVP_PKEY_fromdata_init(pctx) == 1 &&
              EVP_PKEY_fromdata(pctx, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    ok = ok && EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(signature.constData()),
                          std::size_t(signature.size()),
                          reinterpret_cast<const unsigned char*>(input.constData()),
                          std::size_t(input.size())) == 1;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
    EVP_PKEY_CTX_free(pctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn);
    BN_free(be);
    return ok;
}

} // namespace

class TestOidcDiscovery : public QObject {
    Q_OBJECT

    std::unique_ptr<SandboxFixture> f;

    json getJson(const QString& path, int expectedStatus = 200,
                 const QList<QPair<QByteArray, QByteArray>>& headers = {})
    {
        const WireReply r = wireSend("GET", f->url(path), headers);
        if (r.status != expectedStatus) {
            qWarning("GET %s: %d %s", qPrintable(path), r.status, r.body.constData());
            return json();
        }
        return r.json();
    }
    QString base() const { return f->base().toString(QUrl::StripTrailingSlash); }

private Q_SLOTS:
    void initTestCase() { f = std::make_unique<SandboxFixture>(); }
    void cleanupTestCase() { f.reset(); }

    void v2DocumentUsesTheSandboxAddress_data()
    {
        QTest::addColumn<QString>("segment");
        QTest::addColumn<QString>("pathTenant");
        QTest::addColumn<QString>("issuerTenant");
        const QString tid = QString::fromLatin1(pbi::sandbox::demo::kTenantId);
        QTest::newRow("tenant id") << tid << tid << tid;
        // Asked by domain, Entra's endpoints name the tenant by id.
        QTest::newRow("domain") << QString::fromLatin1(pbi::sandbox::demo::kTenantDomain) << tid
                                << tid;
        QTest::newRow("common") << QStringLiteral("common") << QStringLiteral("common")
                                << QStringLiteral("{tenantid}");
        QTest::newRow("organizations")
            << QStringLiteral("organizations") << QStringLiteral("organizations")
            << QStringLiteral("{tenantid}");
    }
    void v2DocumentUsesTheSandboxAddress()
    {
        QFETCH(QString, segment);
        QFETCH(QString, pathTenant);
        QFETCH(QString, issuerTenant);
        const json doc = getJson(QLatin1Char('/') + segment +
                                 QStringLiteral("/v2.0/.well-known/openid-configuration"));
        QVERIFY(doc.is_object());
        const QString root = base() + QLatin1Char('/') + pathTenant;
        auto s = [&](const char* k) { return QString::fromStdString(doc[k].get<std::string>()); };
        QCOMPARE(s("issuer"), base() + QLatin1Char('/') + issuerTenant + QStringLiteral("/v2.0"));
        QCOMPARE(s("token_endpoint"), root + QStringLiteral("/oauth2/v2.0/token"));
        QCOMPARE(s("authorization_endpoint"), root + QStringLiteral("/oauth2/v2.0/authorize"));
        QCOMPARE(s("device_authorization_endpoint"),
                 root + QStringLiteral("/oauth2/v2.0/devicecode"));
        QCOMPARE(s("jwks_uri"), root + QStringLiteral("/discovery/v2.0/keys"));
        QCOMPARE(s("end_session_endpoint"), root + QStringLiteral("/oauth2/v2.0/logout"));
        QVERIFY(doc["id_token_signing_alg_values_supported"] == json::array({"RS256"}));
        QVERIFY(doc["response_types_supported"].size() >= 1 &&
                doc["response_types_supported"][0] == "code");
        QVERIFY(doc["token_endpoint_auth_methods_supported"].size() == 3);
        QVERIFY(doc["scopes_supported"] ==
                json::array({"openid", "profile", "email", "offline_access"}));
        QCOMPARE(s("cloud_instance_name"), QStringLiteral("microsoftonline.com"));
    }

    void v1DocumentIssuerMatchesTheAccessTokens()
    {
        const json doc = getJson(QLatin1Char('/') + f->tenantId() +
                                 QStringLiteral("/.well-known/openid-configuration"));
        QVERIFY(doc.is_object());
        QCOMPARE(QString::fromStdString(doc["issuer"].get<std::string>()),
                 QStringLiteral("https://sts.windows.net/%1/").arg(f->tenantId()));
        QCOMPARE(QString::fromStdString(doc["jwks_uri"].get<std::string>()),
                 base() + QStringLiteral("/common/discovery/keys"));
        QCOMPARE(QString::fromStdString(doc["token_endpoint"].get<std::string>()),
                 base() + QLatin1Char('/') + f->tenantId() + QStringLiteral("/oauth2/token"));
    }

    void urlsFollowTheHostHeader()
    {
        // Behind a port forward or another name, the document must name the address the
        // client used, not the one the sandbox bound.
        const json doc =
            getJson(QLatin1Char('/') + f->tenantId() +
                        QStringLiteral("/v2.0/.well-known/openid-configuration"),
                    200, {qMakePair(QByteArray("Host"), QByteArray("sandbox.test:4321"))});
        QVERIFY(doc.is_object());
        QCOMPARE(
            QString::fromStdString(doc["token_endpoint"].get<std::string>()),
            QStringLiteral("http://sandbox.test:4321/%1/oauth2/v2.0/token").arg(f->tenantId()));
        QCOMPARE(QString::fromStdString(doc["issuer"].get<std::string>()),
                 QStringLiteral("http://sandbox.test:4321/%1/v2.0").arg(f->tenantId()));
        // A Host header that is not a host name is ignored.
        const json safe =
            getJson(QLatin1Char('/') + f->tenantId() +
                        QStringLiteral("/v2.0/.well-known/openid-configuration"),
                    200, {qMakePair(QByteArray("Host"), QByteArray("evil\"><script>"))});
        QVERIFY(
            QString::fromStdString(safe["token_endpoint"].get<std::string>()).startsWith(base()));
    }

    void unknownTenants_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("aadsts");
        QTest::newRow("unknown guid v2")
            << QStringLiteral(
                   "/11111111-2222-3333-4444-555555555555/v2.0/.well-known/openid-configuration")
            << "invalid_tenant" << 90002;
        QTest::newRow("unknown domain v1")
            << QStringLiteral("/fabrikam.onmicrosoft.com/.well-known/openid-configuration")
            << "invalid_tenant" << 90002;
        QTest::newRow("not a tenant")
            << QStringLiteral("/not_a_tenant/v2.0/.well-known/openid-configuration")
            << "invalid_tenant" << 900023;
        QTest::newRow("keys unknown tenant")
            << QStringLiteral("/11111111-2222-3333-4444-555555555555/discovery/v2.0/keys")
            << "invalid_request" << 90002;
    }
    void unknownTenants()
    {
        QFETCH(QString, path);
        QFETCH(QString, error);
        QFETCH(int, aadsts);
        const json j = getJson(path, 400);
        QVERIFY(j.is_object());
        QCOMPARE(QString::fromStdString(j["error"].get<std::string>()), error);
        QCOMPARE(j["error_codes"][0].get<int>(), aadsts);
        QVERIFY(j["error_description"].get<std::string>().starts_with(
            "AADSTS" + std::to_string(aadsts) + ": "));
    }

    void keysVerifyTheIssuedTokens_data()
    {
        QTest::addColumn<QString>("keysPath");
        QTest::newRow("v2.0 tenant keys") << QStringLiteral("/%1/discovery/v2.0/keys");
        QTest::newRow("v1 tenant keys") << QStringLiteral("/%1/discovery/keys");
        QTest::newRow("common keys") << QStringLiteral("/common/discovery/keys");
    }
    void keysVerifyTheIssuedTokens()
    {
        QFETCH(QString, keysPath);
        // End to end as a library does it: discovery → token endpoint → token → JWKS → verify.
        const json doc = getJson(QLatin1Char('/') + f->tenantId() +
                                 QStringLiteral("/v2.0/.well-known/openid-configuration"));
        const QUrl tokenEndpoint(QString::fromStdString(doc["token_endpoint"].get<std::string>()));
        const WireReply r =
            wireSend("POST", tokenEndpoint,
                     {qMakePair(QByteArray("Content-Type"),
                                QByteArray("application/x-www-form-urlencoded"))},
                     form({{QStringLiteral("client_id"), f->clientId()},
                           {QStringLiteral("client_secret"), f->clientSecret()},
                           {QStringLiteral("scope"),
                            QStringLiteral("https://analysis.windows.net/powerbi/api/.default")},
                           {QStringLiteral("grant_type"), QStringLiteral("client_credentials")}}));
        QCOMPARE(r.status, 200);
        const QByteArray token =
            QByteArray::fromStdString(r.json()["access_token"].get<std::string>());

        const json keys = getJson(
            keysPath.contains(QLatin1String("%1")) ? keysPath.arg(f->tenantId()) : keysPath);
        QVERIFY(keys["keys"].is_array() && keys["keys"].size() == 1);
        const json jwk = keys["keys"][0];
        for (const char* k : {"kty", "use", "kid", "x5t", "n", "e"})
            QVERIFY2(jwk.contains(k) && jwk[k].is_string(), k);
        QCOMPARE(jwk["kty"].get<std::string>(), std::string("RSA"));
        QCOMPARE(jwk["use"].get<std::string>(), std::string("sig"));
        const json header = jwtPart(token, 0);
        QVERIFY(header["kid"] == jwk["kid"]);
        QVERIFY(header["x5t"] == jwk["x5t"]);
        QVERIFY(verifyWithJwk(token, jwk));
        // The check is real: a changed payload no longer verifies.
        QList<QByteArray> parts = token.split('.');
        json claims = jwtPart(token, 1);
        claims["appid"] = "someone-else";
        parts[1] = QByteArray::fromStdString(claims.dump())
                       .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        QVERIFY(!verifyWithJwk(parts.join('.'), jwk));
    }

    void idTokenIssuerIsTheDiscoveryIssuer()
    {
        const json doc = getJson(QLatin1Char('/') + f->tenantId() +
                                 QStringLiteral("/v2.0/.well-known/openid-configuration"));
        const WireReply r = wireSend(
            "POST", f->url(QLatin1Char('/') + f->tenantId() + QStringLiteral("/oauth2/v2.0/token")),
            {qMakePair(QByteArray("Content-Type"),
                       QByteArray("application/x-www-form-urlencoded"))},
            form({{QStringLiteral("client_id"),
                   QString::fromLatin1(pbi::sandbox::demo::kPublicClientId)},
                  {QStringLiteral("username"),
                   QStringLiteral("lee@contoso-sandbox.onmicrosoft.com")},
                  {QStringLiteral("password"),
                   QString::fromLatin1(pbi::sandbox::demo::kUserPassword)},
                  {QStringLiteral("scope"),
                   QStringLiteral(
                       "https://analysis.windows.net/powerbi/api/.default openid profile")},
                  {QStringLiteral("grant_type"), QStringLiteral("password")}}));
        QCOMPARE(r.status, 200);
        const QByteArray idToken =
            QByteArray::fromStdString(r.json()["id_token"].get<std::string>());
        const json claims = jwtPart(idToken, 1);
        QVERIFY(claims["iss"] == doc["issuer"]);
        QCOMPARE(QString::fromStdString(claims["aud"].get<std::string>()),
                 QString::fromLatin1(pbi::sandbox::demo::kPublicClientId));
        QCOMPARE(claims["preferred_username"].get<std::string>(),
                 std::string("lee@contoso-sandbox.onmicrosoft.com"));
        const json keys =
            getJson(QString::fromStdString(doc["jwks_uri"].get<std::string>()).mid(base().size()));
        QVERIFY(verifyWithJwk(idToken, keys["keys"][0]));
    }
};

QTEST_GUILESS_MAIN(TestOidcDiscovery)
#include "tst_oidcdiscovery.moc"
