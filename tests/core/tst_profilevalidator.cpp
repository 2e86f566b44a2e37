#include "profiles/ProfileValidator.h"

#include <QTest>

using namespace pbi;

class TestProfileValidator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tenant_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("ok");
        const int sp = int(CredentialKind::ClientSecret);
        const int user = int(CredentialKind::DeviceCode);
        QTest::newRow("guid") << "8f0c3b6e-5d1a-4c2b-9e7f-2a4b6c8d0e1f" << sp << true;
        QTest::newRow("domain") << "contoso.onmicrosoft.com" << sp << true;
        QTest::newRow("custom domain") << "corp.contoso.co.uk" << sp << true;
        QTest::newRow("upper case domain") << "Contoso.OnMicrosoft.com" << sp << true;
        QTest::newRow("empty") << "" << sp << false;
        QTest::newRow("braced guid") << "{8f0c3b6e-5d1a-4c2b-9e7f-2a4b6c8d0e1f}" << sp << false;
        QTest::newRow("short guid") << "8f0c3b6e-5d1a-4c2b-9e7f-2a4b6c8d0e1" << sp << false;
        QTest::newRow("organizations for a service principal") << "organizations" << sp << false;
        QTest::newRow("organizations for a user") << "organizations" << user << true;
        QTest::newRow("spaces") << "contoso onmicrosoft com" << sp << false;
        QTest::newRow("url") << "https://login.microsoftonline.com/contoso.com" << sp << false;
    }
    void tenant()
    {
        QFETCH(QString, value);
        QFETCH(int, kind);
        QFETCH(bool, ok);
        const QString why = ProfileValidator::tenant(value, CredentialKind(kind));
        QCOMPARE(why.isEmpty(), ok);
    }

    void clientId_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("ok");
        QTest::newRow("guid") << "5b1c9d3e-7f2a-4e6b-8c0d-1a3b5c7d9e2f" << true;
        QTest::newRow("padded guid") << " 5b1c9d3e-7f2a-4e6b-8c0d-1a3b5c7d9e2f " << true;
        QTest::newRow("name") << "PBI Console" << false;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("not hex") << "5b1c9d3e-7f2a-4e6b-8c0d-1a3b5c7d9e2g" << false;
    }
    void clientId()
    {
        QFETCH(QString, value);
        QFETCH(bool, ok);
        QCOMPARE(ProfileValidator::clientId(value).isEmpty(), ok);
    }

    void serviceUrl_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("ok");
        QTest::newRow("https") << "https://api.powerbi.com" << true;
        QTest::newRow("http remote") << "http://api.powerbi.com" << false;
        QTest::newRow("http loopback") << "http://127.0.0.1:8400" << true;
        QTest::newRow("garbage") << "::::" << false;
        QTest::newRow("no scheme") << "api.powerbi.com" << false;
    }
    void serviceUrl()
    {
        QFETCH(QString, value);
        QFETCH(bool, ok);
        QCOMPARE(ProfileValidator::serviceUrl(value).isEmpty(), ok);
    }

    void others()
    {
        QVERIFY(ProfileValidator::resource(QStringLiteral("https://analysis.windows.net/powerbi/api")).isEmpty());
        QVERIFY(!ProfileValidator::resource(QStringLiteral("https://analysis.windows.net/powerbi/api/.default")).isEmpty());
        QVERIFY(ProfileValidator::color(QString()).isEmpty());
        QVERIFY(ProfileValidator::color(QStringLiteral("#A1b2C3")).isEmpty());
        QVERIFY(!ProfileValidator::color(QStringLiteral("#abc")).isEmpty());
        QVERIFY(ProfileValidator::userName(QStringLiteral("megan@contoso.com")).isEmpty());
        QVERIFY(!ProfileValidator::userName(QStringLiteral("megan")).isEmpty());
        QVERIFY(!ProfileValidator::certificatePath(QStringLiteral("/nonexistent/cert.pem")).isEmpty());
        QVERIFY(!ProfileValidator::certificatePath(QString()).isEmpty());
    }

    void wholeProfile()
    {
        ConnectionProfile p;
        p.displayName = QStringLiteral("x");
        p.tenant = QStringLiteral("contoso.com");
        p.clientId = QStringLiteral("5b1c9d3e-7f2a-4e6b-8c0d-1a3b5c7d9e2f");
        QVERIFY(ProfileValidator::validate(p).isEmpty());
        p.credentialKind = CredentialKind::UsernamePassword;
        p.cloud = Cloud::Id::Custom;
        const auto problems = ProfileValidator::validate(p);
        QStringList fields;
        for (const auto& problem : problems)
            fields << problem.field;
        QCOMPARE(fields, (QStringList{QStringLiteral("customAuthority"), QStringLiteral("customApiBase"),
                                      QStringLiteral("customResource"), QStringLiteral("userName")}));
    }
};

QTEST_GUILESS_MAIN(TestProfileValidator)
#include "tst_profilevalidator.moc"
