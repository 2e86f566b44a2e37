#include "TestPrinters.h"

#include "profiles/ProfileStore.h"
#include "profiles/ProfileValidator.h"
#include "profiles/SecretStore.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace pbi;

namespace {
ConnectionProfile prodProfile()
{
    ConnectionProfile p;
    p.displayName = QStringLiteral("Contoso Prod");
    p.environment = Environment::Production;
    p.cloud = Cloud::Id::Public;
    p.tenant = QStringLiteral("contoso.onmicrosoft.com");
    p.clientId = QStringLiteral("11111111-2222-3333-4444-555555555555");
    p.credentialKind = CredentialKind::ClientSecret;
    p.scope = ApiScope::Admin;
    p.notes = QStringLiteral("Tenant-wide read for support.");
    return p;
}
} // namespace

class TestProfileStore : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<MemorySecretStore> m_secrets;
    std::unique_ptr<ProfileStore> m_store;

    QString settingsPath() const { return m_dir.filePath(QStringLiteral("pbi-console.ini")); }

    Result<bool> wait(std::function<void(ProfileStore::Done)> call)
    {
        std::optional<Result<bool>> out;
        call([&](Result<bool> r) { out = std::move(r); });
        [[maybe_unused]] bool done = QTest::qWaitFor([&] { return out.has_value(); }, 10000);
        return out.value_or(Result<bool>(Error{}));
    }
    std::optional<QString> readSecret(const QString& id, SecretKind kind)
    {
        std::optional<Result<std::optional<QString>>> out;
        m_store->readSecret(id, kind, this, [&](Result<std::optional<QString>> r) { out = std::move(r); });
        [[maybe_unused]] bool done = QTest::qWaitFor([&] { return out.has_value(); }, 10000);
        return out && out->ok() ? out->value() : std::nullopt;
    }

private Q_SLOTS:
    void init()
    {
        QFile::remove(settingsPath());
        m_settings = std::make_unique<QSettings>(settingsPath(), QSettings::IniFormat);
        m_secrets = std::make_unique<MemorySecretStore>();
        m_store = std::make_unique<ProfileStore>(m_settings.get(), m_secrets.get());
    }
    void cleanup()
    {
        m_store.reset();
        m_secrets.reset();
        m_settings.reset();
    }

    void saveAndLoadRoundTrip()
    {
        auto saved = m_store->save(prodProfile());
        QVERIFY(saved.ok());
        QVERIFY(ProfileValidator::isGuid(saved.value().id));
        // A fresh QSettings on the same file reads it back.
        QSettings again(settingsPath(), QSettings::IniFormat);
        ProfileStore other(&again, m_secrets.get());
        const auto p = other.profile(saved.value().id);
        QVERIFY(p);
        QCOMPARE(p->displayName, QStringLiteral("Contoso Prod"));
        QCOMPARE(p->environment, Environment::Production);
        QCOMPARE(p->scope, ApiScope::Admin);
        QCOMPARE(p->tenant, QStringLiteral("contoso.onmicrosoft.com"));
        QCOMPARE(p->effectiveColor(), QStringLiteral("#c62828"));
        QCOMPARE(other.profiles().size(), std::size_t(1));
    }

    void invalidProfilesAreRefusedWithTheField_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::newRow("no name") << "displayName" << "  ";
        QTest::newRow("bad client id") << "clientId" << "my app";
        QTest::newRow("common tenant for a service principal") << "tenant" << "common";
        QTest::newRow("garbage tenant") << "tenant" << "not a tenant!";
        QTest::newRow("bad colour") << "color" << "red";
    }
    void invalidProfilesAreRefusedWithTheField()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        ConnectionProfile p = prodProfile();
        if (field == QLatin1String("displayName")) p.displayName = value;
        if (field == QLatin1String("clientId")) p.clientId = value;
        if (field == QLatin1String("tenant")) p.tenant = value;
        if (field == QLatin1String("color")) p.color = value;
        auto r = m_store->save(p);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, field);
        QVERIFY(!r.error().sentence.isEmpty());
        QCOMPARE(m_store->profiles().size(), std::size_t(0));
    }

    void duplicateNamesAreRefused()
    {
        QVERIFY(m_store->save(prodProfile()).ok());
        ConnectionProfile p = prodProfile();
        p.displayName = QStringLiteral("contoso prod ");
        auto r = m_store->save(p);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("displayName"));
    }

    void renameKeepsTheSecret()
    {
        auto saved = m_store->save(prodProfile()).value();
        QVERIFY(wait([&](auto done) { m_store->writeSecret(saved.id, SecretKind::ClientSecret, QStringLiteral("s3cr3t"), this, done); }).ok());
        saved.displayName = QStringLiteral("Contoso Production");
        QVERIFY(m_store->save(saved).ok());
        QCOMPARE(readSecret(saved.id, SecretKind::ClientSecret), std::optional<QString>(QStringLiteral("s3cr3t")));
    }

    void removeDeletesEveryKeychainEntry()
    {
        auto saved = m_store->save(prodProfile()).value();
        for (auto kind : allSecretKinds())
            QVERIFY(wait([&](auto done) { m_store->writeSecret(saved.id, kind, QStringLiteral("x"), this, done); }).ok());
        m_store->setLastProfileId(saved.id);
        QVERIFY(wait([&](auto done) { m_store->remove(saved.id, this, done); }).ok());
        QVERIFY(!m_store->profile(saved.id));
        for (auto kind : allSecretKinds())
            QVERIFY(!m_secrets->contains(ProfileStore::secretKey(saved.id, kind)));
        QVERIFY(m_store->lastProfileId().isEmpty());
        QVERIFY(!wait([&](auto done) { m_store->remove(saved.id, this, done); }).ok());
    }

    void duplicateGetsANewIdAndNoSecrets()
    {
        auto saved = m_store->save(prodProfile()).value();
        QVERIFY(wait([&](auto done) { m_store->writeSecret(saved.id, SecretKind::ClientSecret, QStringLiteral("s"), this, done); }).ok());
        const auto copy = m_store->duplicate(saved.id);
        QVERIFY(copy);
        QVERIFY(copy->id != saved.id);
        QCOMPARE(copy->displayName, QStringLiteral("Contoso Prod (copy)"));
        QCOMPARE(copy->clientId, saved.clientId);
        QCOMPARE(readSecret(copy->id, SecretKind::ClientSecret), std::nullopt);
        QCOMPARE(m_store->duplicate(saved.id)->displayName, QStringLiteral("Contoso Prod (copy) (2)"));
    }

    void settingsNeverHoldTheSecret()
    {
        auto saved = m_store->save(prodProfile()).value();
        const QString secret = QStringLiteral("Zz9~unique-secret-value~9zZ");
        QVERIFY(wait([&](auto done) { m_store->writeSecret(saved.id, SecretKind::ClientSecret, secret, this, done); }).ok());
        m_store->useSessionSecret(saved.id, SecretKind::CertificatePassphrase, secret);
        m_settings->sync();
        QFile f(settingsPath());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(!f.readAll().contains(secret.toUtf8()));
        QVERIFY(!m_store->exportProfiles({saved.id}).contains(secret.toUtf8()));
    }

    void sessionSecretsShadowTheKeychain()
    {
        auto saved = m_store->save(prodProfile()).value();
        m_store->useSessionSecret(saved.id, SecretKind::ClientSecret, QStringLiteral("typed"));
        QVERIFY(m_store->hasSessionSecret(saved.id, SecretKind::ClientSecret));
        QCOMPARE(readSecret(saved.id, SecretKind::ClientSecret), std::optional<QString>(QStringLiteral("typed")));
        QVERIFY(!m_secrets->contains(ProfileStore::secretKey(saved.id, SecretKind::ClientSecret)));
    }

    void exportImportRoundTrip()
    {
        ConnectionProfile custom = prodProfile();
        custom.displayName = QStringLiteral("Gov High");
        custom.cloud = Cloud::Id::Custom;
        custom.customAuthority = QStringLiteral("https://login.microsoftonline.us");
        custom.customApiBase = QStringLiteral("https://api.high.powerbigov.us");
        custom.customResource = QStringLiteral("https://high.analysis.usgovcloudapi.net/powerbi/api");
        custom.environment = Environment::Custom;
        custom.customEnvironmentName = QStringLiteral("Staging");
        custom.color = QStringLiteral("#123456");
        auto a = m_store->save(prodProfile()).value();
        auto b = m_store->save(custom).value();
        const QByteArray exported = m_store->exportProfiles({a.id, b.id});
        QVERIFY(exported.contains("\"format\": \"pbi-console-profiles\""));
        QVERIFY(!exported.contains(a.id.toUtf8()));

        auto imported = m_store->importProfiles(exported);
        QVERIFY2(imported.ok(), imported.ok() ? "" : qPrintable(imported.error().sentence));
        QCOMPARE(imported.value().size(), std::size_t(2));
        QCOMPARE(m_store->profiles().size(), std::size_t(4));
        const auto& gov = imported.value()[1];
        QCOMPARE(gov.displayName, QStringLiteral("Gov High (2)"));
        QCOMPARE(gov.cloud, Cloud::Id::Custom);
        QCOMPARE(gov.customResource, custom.customResource);
        QCOMPARE(gov.customEnvironmentName, QStringLiteral("Staging"));
        QCOMPARE(gov.color, QStringLiteral("#123456"));
        QVERIFY(gov.resolveCloud().has_value());
    }

    void importRefusesBadFiles_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("why");
        QTest::newRow("not json") << QByteArray("hello") << "not JSON";
        QTest::newRow("other format") << QByteArray(R"({"format":"x","version":1,"profiles":[]})") << "no \"format\"";
        QTest::newRow("future version") << QByteArray(R"({"format":"pbi-console-profiles","version":2,"profiles":[]})") << "version";
        QTest::newRow("no list") << QByteArray(R"({"format":"pbi-console-profiles","version":1})") << "\"profiles\"";
        QTest::newRow("missing field") << QByteArray(R"({"format":"pbi-console-profiles","version":1,"profiles":[{"displayName":"a","environment":"test","cloud":"public","clientId":"11111111-2222-3333-4444-555555555555","credentialKind":"client-secret"}]})") << "profiles[0].tenant is missing";
        QTest::newRow("bad enum") << QByteArray(R"({"format":"pbi-console-profiles","version":1,"profiles":[{"displayName":"a","environment":"prod","cloud":"public","tenant":"t.example.com","clientId":"11111111-2222-3333-4444-555555555555","credentialKind":"client-secret"}]})") << "environment \"prod\"";
        QTest::newRow("invalid value") << QByteArray(R"({"format":"pbi-console-profiles","version":1,"profiles":[{"displayName":"a","environment":"test","cloud":"public","tenant":"t.example.com","clientId":"nope","credentialKind":"client-secret"}]})") << "client id is a GUID";
        QTest::newRow("sandbox cloud") << QByteArray(R"({"format":"pbi-console-profiles","version":1,"profiles":[{"displayName":"a","environment":"test","cloud":"sandbox","tenant":"t.example.com","clientId":"11111111-2222-3333-4444-555555555555","credentialKind":"client-secret"}]})") << "not a known cloud";
    }
    void importRefusesBadFiles()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, why);
        QVERIFY(m_store->save(prodProfile()).ok());
        auto r = m_store->importProfiles(file);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().sentence.contains(why), qPrintable(r.error().sentence));
        QCOMPARE(m_store->profiles().size(), std::size_t(1)); // nothing half-imported
    }

    void sandboxProfileIsBuiltIn()
    {
        const auto s = ProfileStore::sandboxProfile();
        QVERIFY(s.builtIn);
        QVERIFY(!m_store->save(s).ok());
        QCOMPARE(m_store->profiles().size(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
