// The sandbox's wire behaviour, checked with a bare HTTP client against reference/api-digest.md.

#include "SandboxFixture.h"
#include "WireClient.h"

#include "Tenant.h"

#include <QTest>
#include <QUrlQuery>

#include <set>

using nlohmann::json;

namespace {

QByteArray form(const QList<QPair<QString, QString>>& fields)
{
    QUrlQuery q;
    for (const auto& [k, v] : fields)
        q.addQueryItem(k, QString::fromLatin1(QUrl::toPercentEncoding(v)));
    return q.toString(QUrl::FullyEncoded).toLatin1();
}

const QString kScope = QStringLiteral("https://analysis.windows.net/powerbi/api/.default");

json jwtPart(const QByteArray& token, int part)
{
    const QByteArray b64 = token.split('.').value(part);
    const QByteArray raw = QByteArray::fromBase64(b64, QByteArray::Base64UrlEncoding);
    return json::parse(raw.toStdString(), nullptr, false);
}

} // namespace

class TestSandbox : public QObject {
    Q_OBJECT

    std::unique_ptr<SandboxFixture> f;

    WireReply token(const QString& tenant, const QByteArray& body,
                    QList<QPair<QByteArray, QByteArray>> headers = {})
    {
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded")));
        return wireSend("POST", f->url(QLatin1Char('/') + tenant + QStringLiteral("/oauth2/v2.0/token")),
                        headers, body);
    }
    QByteArray goodToken(const QString& clientId, const QString& secret)
    {
        const WireReply r = token(f->tenantId(), form({{QStringLiteral("client_id"), clientId},
                                                       {QStringLiteral("client_secret"), secret},
                                                       {QStringLiteral("scope"), kScope},
                                                       {QStringLiteral("grant_type"), QStringLiteral("client_credentials")}}));
        if (r.status != 200)
            return {};
        return QByteArray::fromStdString(r.json()["access_token"].get<std::string>());
    }
    WireReply groups(const QByteArray& bearer, const QString& query = {})
    {
        QUrl u = f->url(QStringLiteral("/v1.0/myorg/groups"));
        if (!query.isEmpty())
            u.setQuery(query);
        QList<QPair<QByteArray, QByteArray>> h;
        if (!bearer.isNull())
            h.append(qMakePair(QByteArray("Authorization"), bearer));
        return wireSend("GET", u, h);
    }

private Q_SLOTS:
    void init() { f = std::make_unique<SandboxFixture>(); }
    void cleanup() { f.reset(); }

    void clientCredentialsIssuesAPowerBiToken()
    {
        const WireReply r = token(f->tenantId(), form({{QStringLiteral("client_id"), f->clientId()},
                                                       {QStringLiteral("client_secret"), f->clientSecret()},
                                                       {QStringLiteral("scope"), kScope},
                                                       {QStringLiteral("grant_type"), QStringLiteral("client_credentials")}}));
        QCOMPARE(r.status, 200);
        QVERIFY(!r.header("x-ms-request-id").isEmpty());
        const json body = r.json();
        QCOMPARE(body["token_type"].get<std::string>(), std::string("Bearer"));
        const auto lifetime = body["expires_in"].get<int>();
        QVERIFY2(lifetime >= 3600 && lifetime <= 5400, "Entra tokens live 60-90 minutes");
        QCOMPARE(body["ext_expires_in"].get<int>(), lifetime);

        const QByteArray jwt = QByteArray::fromStdString(body["access_token"].get<std::string>());
        const json header = jwtPart(jwt, 0);
        const json claims = jwtPart(jwt, 1);
        QCOMPARE(header["alg"].get<std::string>(), std::string("RS256"));
        QVERIFY(header.contains("kid") && header.contains("x5t"));
        QCOMPARE(claims["aud"].get<std::string>(), std::string("https://analysis.windows.net/powerbi/api"));
        QCOMPARE(QString::fromStdString(claims["iss"].get<std::string>()),
                 QStringLiteral("https://sts.windows.net/%1/").arg(f->tenantId()));
        QCOMPARE(QString::fromStdString(claims["tid"].get<std::string>()), f->tenantId());
        QCOMPARE(QString::fromStdString(claims["appid"].get<std::string>()), f->clientId());
        QCOMPARE(claims["idtyp"].get<std::string>(), std::string("app"));
        QCOMPARE(claims["ver"].get<std::string>(), std::string("1.0"));
        QVERIFY(claims["oid"] == claims["sub"]);
        QVERIFY(!claims.contains("scp"));
        QVERIFY(!claims.contains("upn"));
        QCOMPARE(claims["exp"].get<qint64>() - claims["iat"].get<qint64>(), qint64(lifetime));
    }

    void tenantByDomainAndBasicAuth()
    {
        const QByteArray basic = "Basic " + (f->clientId() + QLatin1Char(':') + f->clientSecret()).toUtf8().toBase64();
        const WireReply r = token(QString::fromLatin1(pbi::sandbox::demo::kTenantDomain),
                                  form({{QStringLiteral("scope"), kScope},
                                        {QStringLiteral("grant_type"), QStringLiteral("client_credentials")}}),
                                  {{"Authorization", basic}});
        QCOMPARE(r.status, 200);
    }

    void tokenErrors_data()
    {
        QTest::addColumn<QString>("tenant");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("aadsts");
        const QString tid = QString::fromLatin1(pbi::sandbox::demo::kTenantId);
        const QString cid = QString::fromLatin1(pbi::sandbox::demo::kAppClientId);
        const QString cc = QStringLiteral("client_credentials");
        auto body = [&](const QString& id, const QString& secret, const QString& scope, const QString& grant) {
            QList<QPair<QString, QString>> fields;
            if (!id.isNull()) fields.append({QStringLiteral("client_id"), id});
            if (!secret.isNull()) fields.append({QStringLiteral("client_secret"), secret});
            if (!scope.isNull()) fields.append({QStringLiteral("scope"), scope});
            if (!grant.isNull()) fields.append({QStringLiteral("grant_type"), grant});
            return form(fields);
        };
        QTest::newRow("wrong secret") << tid << body(cid, QStringLiteral("nope"), kScope, cc) << 401 << "invalid_client" << 7000215;
        QTest::newRow("no secret") << tid << body(cid, {}, kScope, cc) << 401 << "invalid_client" << 7000218;
        QTest::newRow("unknown app") << tid << body(QStringLiteral("00000000-0000-0000-0000-000000000001"), QStringLiteral("x"), kScope, cc) << 400 << "unauthorized_client" << 700016;
        QTest::newRow("unknown tenant") << QStringLiteral("11111111-2222-3333-4444-555555555555") << body(cid, QStringLiteral("x"), kScope, cc) << 400 << "invalid_request" << 90002;
        QTest::newRow("no grant type") << tid << body(cid, QStringLiteral("x"), kScope, {}) << 400 << "invalid_request" << 900144;
        QTest::newRow("unsupported grant") << tid << body(cid, QStringLiteral("x"), kScope, QStringLiteral("magic")) << 400 << "unsupported_grant_type" << 70003;
        QTest::newRow("scope without .default") << tid << body(cid, QStringLiteral("x"), QStringLiteral("https://analysis.windows.net/powerbi/api/Dataset.Read.All"), cc) << 400 << "invalid_scope" << 1002012;
        QTest::newRow("other resource") << tid << body(cid, QStringLiteral("x"), QStringLiteral("https://example.org/.default"), cc) << 400 << "invalid_resource" << 500011;
    }
    void tokenErrors()
    {
        QFETCH(QString, tenant);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, error);
        QFETCH(int, aadsts);
        const WireReply r = token(tenant, body);
        QCOMPARE(r.status, status);
        QVERIFY(r.header("Content-Type").startsWith("application/json"));
        const json j = r.json();
        QVERIFY2(j.is_object(), r.body.constData());
        QCOMPARE(QString::fromStdString(j["error"].get<std::string>()), error);
        const QString description = QString::fromStdString(j["error_description"].get<std::string>());
        QVERIFY2(description.startsWith(QStringLiteral("AADSTS%1: ").arg(aadsts)), qPrintable(description));
        QVERIFY(description.contains(QStringLiteral("\r\nTrace ID: ")));
        QVERIFY(description.contains(QStringLiteral("\r\nCorrelation ID: ")));
        QCOMPARE(j["error_codes"][0].get<int>(), aadsts);
        for (const char* field : {"timestamp", "trace_id", "correlation_id", "error_uri"})
            QVERIFY2(j.contains(field), field);
        QVERIFY(description.contains(QString::fromStdString(j["trace_id"].get<std::string>())));
    }

    void groupsWithoutTokenIs403WithEmptyBody()
    {
        const WireReply r = groups(QByteArray());
        QCOMPARE(r.status, 403);
        QVERIFY(r.body.isEmpty());
        QVERIFY(!r.header("RequestId").isEmpty());
    }

    void groupsRefusesBadTokens_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::newRow("not bearer") << QByteArray("Basic abc");
        QTest::newRow("garbage") << QByteArray("Bearer not-a-jwt");
        QTest::newRow("unsigned") << QByteArray("Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.");
    }
    void groupsRefusesBadTokens()
    {
        QFETCH(QByteArray, authorization);
        const WireReply r = groups(authorization);
        QCOMPARE(r.status, 403);
        QCOMPARE(r.header("X-PowerBI-Error-Info"), QByteArray("InvalidToken"));
    }

    void groupsRefusesAForgedToken()
    {
        const QByteArray jwt = goodToken(f->clientId(), f->clientSecret());
        QList<QByteArray> parts = jwt.split('.');
        json claims = jwtPart(jwt, 1);
        claims["oid"] = "00000000-0000-0000-0000-000000000000";
        parts[1] = QByteArray::fromStdString(claims.dump()).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        const WireReply r = groups("Bearer " + parts.join('.'));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.header("X-PowerBI-Error-Info"), QByteArray("InvalidToken"));
    }

    void groupsListsOnlyWorkspacesTheServicePrincipalBelongsTo()
    {
        const auto tenant = pbi::sandbox::makeDemoTenant();
        std::set<std::string> expected;
        for (const auto& w : tenant.workspaces)
            for (const auto& m : w.members)
                if (m.principalId == tenant.apps[0].servicePrincipalId)
                    expected.insert(w.id);
        QVERIFY(expected.size() > 10 && expected.size() < tenant.workspaces.size());

        const WireReply r = groups("Bearer " + goodToken(f->clientId(), f->clientSecret()));
        QCOMPARE(r.status, 200);
        QVERIFY(!r.header("RequestId").isEmpty());
        const json j = r.json();
        QVERIFY(j["@odata.context"].get<std::string>().ends_with("/v1.0/myorg/$metadata#groups"));
        std::set<std::string> got;
        for (const auto& g : j["value"]) {
            got.insert(g["id"].get<std::string>());
            QVERIFY(g["name"].is_string());
            QVERIFY(g["isReadOnly"].is_boolean());
            QCOMPARE(g.contains("capacityId"), g["isOnDedicatedCapacity"].get<bool>());
            QVERIFY(!g.contains("users")); // member scope never expands
        }
        QCOMPARE(got, expected);

        // Another service principal sees another set (the ETL app is only in Prod workspaces).
        const WireReply etl = groups("Bearer " + goodToken(QString::fromStdString(tenant.apps[1].clientId),
                                                           QString::fromStdString(tenant.apps[1].secrets[0])));
        QCOMPARE(etl.status, 200);
        const json etlGroups = etl.json()["value"]; // a copy: json() returns a temporary
        for (const auto& g : etlGroups)
            QVERIFY(g["name"].get<std::string>().find("Prod") != std::string::npos);
    }

    void groupsPaging()
    {
        const QByteArray bearer = "Bearer " + goodToken(f->clientId(), f->clientSecret());
        const json all = groups(bearer).json()["value"];
        const json page = groups(bearer, QStringLiteral("$top=5&$skip=3")).json()["value"];
        QCOMPARE(page.size(), std::size_t(5));
        QVERIFY(page[0]["id"] == all[3]["id"]);
        const WireReply bad = groups(bearer, QStringLiteral("$top=abc"));
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.json()["error"]["code"].get<std::string>(), std::string("InvalidRequest"));
    }

    void expiredTokenIsRefusedAsTokenExpired()
    {
        pbi::sandbox::SandboxOptions options;
        options.tokenLifetimeSeconds = 1;
        f = std::make_unique<SandboxFixture>(options);
        const QByteArray bearer = "Bearer " + goodToken(f->clientId(), f->clientSecret());
        QTRY_COMPARE_WITH_TIMEOUT(groups(bearer).header("X-PowerBI-Error-Info"), QByteArray("TokenExpired"), 5000);
        const WireReply r = groups(bearer);
        QCOMPARE(r.status, 403);
        QCOMPARE(r.json()["error"]["code"].get<std::string>(), std::string("TokenExpired"));
    }

    void unknownRouteIs404WithTheServiceBody()
    {
        const WireReply r = wireSend("GET", f->url(QStringLiteral("/v1.0/myorg/nothing-here")));
        QCOMPARE(r.status, 404);
        QVERIFY(!r.header("RequestId").isEmpty());
        QVERIFY(r.json()["error"]["message"].get<std::string>().find("No HTTP resource") != std::string::npos);
    }

    void malformedFormDoesNotCrash()
    {
        const WireReply r = token(f->tenantId(), QByteArray("%%%&&&=%zz&grant_type=%"));
        QCOMPARE(r.status, 400);
        const WireReply again = token(f->tenantId(), QByteArray("\x00\xff\xfe", 3));
        QCOMPARE(again.status, 400);
    }
};

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
