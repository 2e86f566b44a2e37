#include "SandboxFixture.h"
#include "TestPrinters.h"

#include "auth/ClientSecretCredential.h"
#include "auth/Cloud.h"

#include <QTest>

using pbi::Cloud;

class TestCloud : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // reference/api-digest.md §9, one row per cloud.
    void builtInClouds_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("id");
        QTest::addColumn<QString>("authority");
        QTest::addColumn<QString>("api");
        QTest::addColumn<QString>("scope");
        QTest::newRow("public") << 0 << int(Cloud::Id::Public)
                                << "https://login.microsoftonline.com"
                                << "https://api.powerbi.com"
                                << "https://analysis.windows.net/powerbi/api/.default";
        QTest::newRow("gcc") << 1 << int(Cloud::Id::UsGov) << "https://login.microsoftonline.com"
                             << "https://api.powerbigov.us"
                             << "https://analysis.usgovcloudapi.net/powerbi/api/.default";
        QTest::newRow("gcc high") << 2 << int(Cloud::Id::UsGovHigh)
                                  << "https://login.microsoftonline.us"
                                  << "https://api.high.powerbigov.us"
                                  << "https://high.analysis.usgovcloudapi.net/powerbi/api/.default";
        QTest::newRow("dod") << 3 << int(Cloud::Id::UsGovDoD) << "https://login.microsoftonline.us"
                             << "https://api.mil.powerbigov.us"
                             << "https://mil.analysis.usgovcloudapi.net/powerbi/api/.default";
        QTest::newRow("china") << 4 << int(Cloud::Id::China)
                               << "https://login.partner.microsoftonline.cn"
                               << "https://api.powerbi.cn"
                               << "https://analysis.chinacloudapi.cn/powerbi/api/.default";
    }
    void builtInClouds()
    {
        QFETCH(int, index);
        QFETCH(int, id);
        QFETCH(QString, authority);
        QFETCH(QString, api);
        QFETCH(QString, scope);
        const QList<Cloud> clouds = Cloud::builtIn();
        QCOMPARE(clouds.size(), 5);
        const Cloud& c = clouds.at(index);
        QCOMPARE(int(c.id), id);
        QCOMPARE(c.authorityHost.toString(), authority);
        QCOMPARE(c.apiBase.toString(), api);
        QCOMPARE(c.defaultScope(), scope);
        QVERIFY(!c.displayName.isEmpty());
        const QString tid = QStringLiteral("8f0c3b6e-5d1a-4c2b-9e7f-2a4b6c8d0e1f");
        QCOMPARE(c.tokenEndpoint(tid).toString(),
                 authority + QLatin1Char('/') + tid + QStringLiteral("/oauth2/v2.0/token"));
        QCOMPARE(c.deviceCodeEndpoint(tid).toString(),
                 authority + QLatin1Char('/') + tid + QStringLiteral("/oauth2/v2.0/devicecode"));
        QCOMPARE(c.authorizeEndpoint(tid).toString(),
                 authority + QLatin1Char('/') + tid + QStringLiteral("/oauth2/v2.0/authorize"));
        QCOMPARE(c.apiUrl(QStringLiteral("groups")).toString(),
                 api + QStringLiteral("/v1.0/myorg/groups"));
    }

    void tenantIsEncodedInEndpoints()
    {
        const Cloud c = Cloud::publicCloud();
        QCOMPARE(c.tokenEndpoint(QStringLiteral("a b/c")).toString(QUrl::FullyEncoded),
                 QStringLiteral("https://login.microsoftonline.com/a%20b%2Fc/oauth2/v2.0/token"));
    }

    void sandboxSharesOneBase()
    {
        const Cloud c = Cloud::sandbox(QUrl(QStringLiteral("http://127.0.0.1:8765")));
        QCOMPARE(int(c.id), int(Cloud::Id::Sandbox));
        QCOMPARE(c.tokenEndpoint(QStringLiteral("t")).toString(),
                 QStringLiteral("http://127.0.0.1:8765/t/oauth2/v2.0/token"));
        QCOMPARE(c.apiUrl(QStringLiteral("groups")).toString(),
                 QStringLiteral("http://127.0.0.1:8765/v1.0/myorg/groups"));
        QCOMPARE(c.defaultScope(),
                 QStringLiteral("https://analysis.windows.net/powerbi/api/.default"));
    }

    void customAccepted_data()
    {
        QTest::addColumn<QString>("authority");
        QTest::addColumn<QString>("api");
        QTest::addColumn<QString>("resource");
        QTest::addColumn<QString>("wantAuthority");
        QTest::addColumn<QString>("wantApi");
        QTest::addColumn<QString>("wantScope");
        QTest::newRow("https") << "https://login.example.net"
                               << "https://api.example.net"
                               << "https://analysis.example.net/powerbi/api"
                               << "https://login.example.net"
                               << "https://api.example.net"
                               << "https://analysis.example.net/powerbi/api/.default";
        QTest::newRow("trailing slashes, spaces, scope pasted")
            << "  https://login.example.net/ "
            << "https://api.example.net/"
            << " https://analysis.example.net/powerbi/api/.default "
            << "https://login.example.net"
            << "https://api.example.net"
            << "https://analysis.example.net/powerbi/api/.default";
        QTest::newRow("authority with a path (ADFS-style)")
            << "https://adfs.example.net/adfs"
            << "https://api.example.net"
            << "api://d2f1e0c3-0000-4000-8000-000000000001"
            << "https://adfs.example.net/adfs"
            << "https://api.example.net"
            << "api://d2f1e0c3-0000-4000-8000-000000000001/.default";
        QTest::newRow("loopback http") << "http://127.0.0.1:8765"
                                       << "http://localhost:8765"
                                       << "https://analysis.windows.net/powerbi/api"
                                       << "http://127.0.0.1:8765"
                                       << "http://localhost:8765"
                                       << "https://analysis.windows.net/powerbi/api/.default";
    }
    void customAccepted()
    {
        QFETCH(QString, authority);
        QFETCH(QString, api);
        QFETCH(QString, resource);
        QFETCH(QString, wantAuthority);
        QFETCH(QString, wantApi);
        QFETCH(QString, wantScope);
        const auto c = Cloud::custom(QStringLiteral("Lab"), authority, api, resource);
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().sentence));
        QCOMPARE(int(c.value().id), int(Cloud::Id::Custom));
        QCOMPARE(c.value().displayName, QStringLiteral("Lab"));
        QCOMPARE(c.value().authorityHost.toString(), wantAuthority);
        QCOMPARE(c.value().apiBase.toString(), wantApi);
        QCOMPARE(c.value().defaultScope(), wantScope);
        QCOMPARE(c.value().tokenEndpoint(QStringLiteral("t")).toString(),
                 wantAuthority + QStringLiteral("/t/oauth2/v2.0/token"));
    }

    void customRefused_data()
    {
        QTest::addColumn<QString>("authority");
        QTest::addColumn<QString>("api");
        QTest::addColumn<QString>("resource");
        QTest::addColumn<QString>("mentions");
        const QString ok = QStringLiteral("https://ok.example.net");
        const QString res = QStringLiteral("https://analysis.example.net/powerbi/api");
        QTest::newRow("http authority")
            << "http://login.example.net" << ok << res << "authority host";
        QTest::newRow("http api") << ok << "http://api.example.net" << res << "API base";
        QTest::newRow("no scheme") << "login.example.net" << ok << res << "no scheme";
        QTest::newRow("empty authority") << "" << ok << res << "empty";
        QTest::newRow("ftp") << "ftp://login.example.net" << ok << res << "scheme";
        QTest::newRow("query") << "https://login.example.net/?x=1" << ok << res << "query";
        QTest::newRow("credentials")
            << ok << "https://user:pw@api.example.net" << res << "credentials";
        QTest::newRow("empty resource") << ok << ok << "  "
                                        << "resource";
        QTest::newRow("only /.default") << ok << ok << "/.default"
                                        << "resource";
        QTest::newRow("two resources")
            << ok << ok << (res + QStringLiteral(" https://graph.microsoft.com"))
            << "more than one";
        QTest::newRow("broken resource uri") << ok << ok << "https:///powerbi"
                                             << "not a valid URI";
    }
    void customRefused()
    {
        QFETCH(QString, authority);
        QFETCH(QString, api);
        QFETCH(QString, resource);
        QFETCH(QString, mentions);
        const auto c = Cloud::custom({}, authority, api, resource);
        QVERIFY(!c.ok());
        QCOMPARE(c.error().kind, pbi::ErrorKind::Refused);
        QVERIFY2(c.error().sentence.contains(mentions), qPrintable(c.error().sentence));
    }

    // A custom cloud is a first-class cloud: the sandbox, described by hand, signs in.
    void customCloudSignsIn()
    {
        SandboxFixture f;
        const QString base = f.base().toString();
        const auto cloud =
            Cloud::custom(QStringLiteral("Lab"), base + QLatin1Char('/'), base,
                          QStringLiteral("https://analysis.windows.net/powerbi/api/.default"));
        QVERIFY(cloud.ok());
        pbi::ClientSecretCredential c(&f.transport, &f.clock, cloud.value(), f.tenantId(),
                                      f.clientId(), f.clientSecret());
        std::optional<pbi::Result<pbi::AccessToken>> t;
        c.requestToken(this, [&](pbi::Result<pbi::AccessToken> r) { t = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(t.has_value(), 10000);
        QVERIFY2(t->ok(), qPrintable(t->ok() ? QString() : t->error().summary()));
        QCOMPARE(f.log.entries().back().url.toString(),
                 base + QStringLiteral("/%1/oauth2/v2.0/token").arg(f.tenantId()));
    }

    void customDefaultName()
    {
        const auto c = Cloud::custom(QStringLiteral("  "), QStringLiteral("https://a.example"),
                                     QStringLiteral("https://b.example"),
                                     QStringLiteral("https://c.example/api"));
        QVERIFY(c.ok());
        QCOMPARE(c.value().displayName, QStringLiteral("Custom cloud"));
    }
};

QTEST_GUILESS_MAIN(TestCloud)
#include "tst_cloud.moc"
