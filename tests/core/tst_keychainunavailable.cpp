// With no Secret Service at all: a clear error that says what to install, a session-only
// fallback, and not one byte of the secret on disk.

#include "TestPrinters.h"

#include "profiles/ProfileStore.h"
#include "profiles/SecretStore.h"

#include <QDirIterator>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace pbi;

class TestKeychainUnavailable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void noSecretServiceIsAClearErrorAndNothingIsWritten()
    {
        QTemporaryDir home;
        // Where a plaintext fallback would have written: the settings file's folder, the
        // per-user config and data folders (keyrings live under the data folder).
        const QStringList roots{home.path(),
                                QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation),
                                QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation),
                                QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)};
        QSettings settings(home.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        KeychainSecretStore secrets(QStringLiteral("PBI Console unavailable test"));
        ProfileStore store(&settings, &secrets);
        ConnectionProfile p;
        p.displayName = QStringLiteral("Prod");
        p.tenant = QStringLiteral("contoso.com");
        p.clientId = QStringLiteral("5b1c9d3e-7f2a-4e6b-8c0d-1a3b5c7d9e2f");
        const auto saved = store.save(p).value();

        const QString secret = QStringLiteral("Qq7-never-on-disk-7qQ");
        std::optional<Result<bool>> w;
        store.writeSecret(saved.id, SecretKind::ClientSecret, secret, this, [&](Result<bool> r) { w = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(w.has_value(), 30000);
        QVERIFY(!w->ok());
        QCOMPARE(w->error().kind, ErrorKind::Keychain);
        QVERIFY2(w->error().sentence.contains(QStringLiteral("No system keychain (Secret Service) could be reached")), qPrintable(w->error().details()));
        QVERIFY2(w->error().hint.contains(QStringLiteral("gnome-keyring")), qPrintable(w->error().details()));
        QVERIFY(w->error().hint.contains(QStringLiteral("this session only")));

        // The profile stays usable with the secret typed for this run only.
        store.useSessionSecret(saved.id, SecretKind::ClientSecret, secret);
        std::optional<Result<std::optional<QString>>> r;
        store.readSecret(saved.id, SecretKind::ClientSecret, this, [&](auto v) { r = std::move(v); });
        QTRY_VERIFY(r.has_value());
        QCOMPARE(r->value(), std::optional<QString>(secret));

        settings.sync();
        for (const QString& root : roots) {
            QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile f(it.next());
                if (f.size() > 50 * 1024 * 1024 || !f.open(QIODevice::ReadOnly))
                    continue;
                QVERIFY2(!f.readAll().contains(secret.toUtf8()), qPrintable(f.fileName()));
            }
        }
    }
};

int main(int argc, char** argv)
{
    // No session bus at all, before anything could connect to one.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/pbi-console-test-bus");
    QCoreApplication app(argc, argv);
    TestKeychainUnavailable test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_keychainunavailable.moc"
