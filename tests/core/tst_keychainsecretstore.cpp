// The real OS keychain: a Secret Service (gnome-keyring on the private D-Bus session that
// scripts/test starts). Nothing here is mocked.

#include "TestPrinters.h"

#include "profiles/ProfileStore.h"
#include "profiles/SecretStore.h"

#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace pbi;

class TestKeychainSecretStore : public QObject {
    Q_OBJECT

    // A service name of its own per run, so runs never see each other's entries.
    const QString m_service = QStringLiteral("PBI Console tests ") + QUuid::createUuid().toString(QUuid::WithoutBraces);

    Result<bool> write(SecretStore& s, const QString& key, const QString& value)
    {
        std::optional<Result<bool>> out;
        s.write(key, value, this, [&](Result<bool> r) { out = std::move(r); });
        [[maybe_unused]] bool done = QTest::qWaitFor([&] { return out.has_value(); }, 20000);
        return out.value_or(Result<bool>(Error{}));
    }
    Result<bool> remove(SecretStore& s, const QString& key)
    {
        std::optional<Result<bool>> out;
        s.remove(key, this, [&](Result<bool> r) { out = std::move(r); });
        [[maybe_unused]] bool done = QTest::qWaitFor([&] { return out.has_value(); }, 20000);
        return out.value_or(Result<bool>(Error{}));
    }
    Result<std::optional<QString>> read(SecretStore& s, const QString& key)
    {
        std::optional<Result<std::optional<QString>>> out;
        s.read(key, this, [&](Result<std::optional<QString>> r) { out = std::move(r); });
        [[maybe_unused]] bool done = QTest::qWaitFor([&] { return out.has_value(); }, 20000);
        return out.value_or(Result<std::optional<QString>>(Error{}));
    }

private Q_SLOTS:
    void initTestCase()
    {
        KeychainSecretStore probe(m_service);
        auto r = write(probe, QStringLiteral("probe"), QStringLiteral("x"));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(QStringLiteral("No usable Secret Service; run the tests with scripts/test. ") + r.error().details()));
        QVERIFY(remove(probe, QStringLiteral("probe")).ok());
    }

    void eachKindWritesReadsUpdatesDeletes_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("client secret") << int(SecretKind::ClientSecret);
        QTest::newRow("certificate pass phrase") << int(SecretKind::CertificatePassphrase);
        QTest::newRow("password") << int(SecretKind::Password);
        QTest::newRow("refresh token") << int(SecretKind::RefreshToken);
    }
    void eachKindWritesReadsUpdatesDeletes()
    {
        QFETCH(int, kind);
        KeychainSecretStore store(m_service);
        const QString key = ProfileStore::secretKey(ConnectionProfile::newId(), SecretKind(kind));
        QCOMPARE(read(store, key).value(), std::nullopt); // absent is a value, not an error
        QVERIFY(write(store, key, QStringLiteral("first ünïcødé ✓")).ok());
        QCOMPARE(read(store, key).value(), std::optional<QString>(QStringLiteral("first ünïcødé ✓")));
        QVERIFY(write(store, key, QStringLiteral("second")).ok());
        QCOMPARE(read(store, key).value(), std::optional<QString>(QStringLiteral("second")));
        QVERIFY(remove(store, key).ok());
        QCOMPARE(read(store, key).value(), std::nullopt);
        QVERIFY(remove(store, key).ok()); // removing an absent entry succeeds
    }

    void survivesARestart()
    {
        const QString key = ProfileStore::secretKey(ConnectionProfile::newId(), SecretKind::ClientSecret);
        {
            KeychainSecretStore store(m_service);
            QVERIFY(write(store, key, QStringLiteral("kept")).ok());
        }
        // Another process, as after a restart of the app.
        QProcess probe;
        probe.start(QStringLiteral(KEYCHAIN_PROBE), {m_service, key});
        QVERIFY(probe.waitForFinished(20000));
        QCOMPARE(probe.exitCode(), 0);
        QCOMPARE(probe.readAllStandardOutput().trimmed(), QByteArray("kept"));
        KeychainSecretStore store(m_service);
        QVERIFY(remove(store, key).ok());
    }

    void deletingAProfileLeavesNoEntry()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("p.ini")), QSettings::IniFormat);
        KeychainSecretStore secrets(m_service);
        ProfileStore store(&settings, &secrets);
        ConnectionProfile p;
        p.displayName = QStringLiteral("Prod");
        p.tenant = QStringLiteral("contoso.com");
        p.clientId = QStringLiteral("5b1c9d3e-7f2a-4e6b-8c0d-1a3b5c7d9e2f");
        const auto saved = store.save(p).value();
        for (auto kind : allSecretKinds()) {
            std::optional<Result<bool>> w;
            store.writeSecret(saved.id, kind, QStringLiteral("v"), this, [&](Result<bool> r) { w = std::move(r); });
            QTRY_VERIFY_WITH_TIMEOUT(w.has_value(), 20000);
            QVERIFY(w->ok());
        }
        std::optional<Result<bool>> removed;
        store.remove(saved.id, this, [&](Result<bool> r) { removed = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(removed.has_value(), 20000);
        QVERIFY(removed->ok());
        for (auto kind : allSecretKinds())
            QCOMPARE(read(secrets, ProfileStore::secretKey(saved.id, kind)).value(), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TestKeychainSecretStore)
#include "tst_keychainsecretstore.moc"
