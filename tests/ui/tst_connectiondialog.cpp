// The connection dialog driven through its widgets: validation as typed, save with the
// secret to the store, keychain failure and the session-only way out, delete, import/export,
// and "Test connection" against the sandbox over loopback.

#include "SandboxFixture.h"

#include "ConnectionDialog.h"
#include "DialogSeam.h"
#include "ErrorBanner.h"

#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"
#include "profiles/ProfileStore.h"
#include "profiles/SecretStore.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace pbi;
using pbi::ui::ConnectionDialog;

namespace {

/// Answers the dialog's questions the way the test says.
class ScriptedDialogs final : public pbi::ui::DialogSeam {
public:
    QString openPath;
    QString savePath;
    bool confirmAnswer = true;
    int confirms = 0;
    QStringList informed;
    QString openFileName(QWidget*, const QString&, const QString&) override { return openPath; }
    QString saveFileName(QWidget*, const QString&, const QString&, const QString&) override { return savePath; }
    bool confirm(QWidget*, const QString&, const QString&, const QString&) override
    {
        ++confirms;
        return confirmAnswer;
    }
    void inform(QWidget*, const QString&, const QString& text) override { informed << text; }
};

/// A keychain that is not there: every call fails the way QtKeychain does without a Secret Service.
class AbsentKeychain final : public SecretStore {
public:
    void read(const QString&, QObject* ctx, ReadCallback cb) override { fail(ctx, [cb](Error e) { cb(e); }); }
    void write(const QString&, const QString&, QObject* ctx, WriteCallback cb) override { fail(ctx, [cb](Error e) { cb(e); }); }
    void remove(const QString&, QObject* ctx, WriteCallback cb) override { fail(ctx, [cb](Error e) { cb(e); }); }
    QString description() const override { return QStringLiteral("the system keychain"); }

private:
    void fail(QObject* ctx, std::function<void(Error)> cb)
    {
        Error e;
        e.kind = ErrorKind::Keychain;
        e.sentence = QStringLiteral("No system keychain (Secret Service) could be reached, so the secret could not be saved.");
        e.hint = QStringLiteral("Install and start a Secret Service such as gnome-keyring.");
        QTimer::singleShot(0, ctx, [cb, e] { cb(e); });
    }
};

} // namespace

class TestConnectionDialog : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<SandboxFixture> m_fixture;

    template <typename T>
    static T* child(QWidget& w, const char* name)
    {
        T* c = w.findChild<T*>(QString::fromLatin1(name));
        if (!c)
            qFatal("no child %s", name);
        return c;
    }

    ConnectionDialog::Tester sandboxTester()
    {
        return [this](const ConnectionProfile& p, const QString& secret, QObject* ctx,
                      std::function<void(Result<ConnectionCheckResult>)> done) {
            const Cloud cloud = p.cloud == Cloud::Id::Sandbox ? m_fixture->cloud() : *p.resolveCloud();
            const QString tenant = p.builtIn ? m_fixture->tenantId() : p.tenant;
            const QString clientId = p.builtIn ? m_fixture->clientId() : p.clientId;
            const QString s = p.builtIn ? m_fixture->clientSecret() : secret;
            auto cred = std::make_shared<ClientSecretCredential>(&m_fixture->transport, &m_fixture->clock, cloud, tenant, clientId, s);
            auto client = std::make_shared<PowerBiClient>(&m_fixture->transport, cred.get(), cloud);
            runConnectionCheck(client.get(), &m_fixture->clock, ctx, [cred, client, done](Result<ConnectionCheckResult> r) { done(r); });
        };
    }

    void fillValidProfile(ConnectionDialog& d)
    {
        child<QPushButton>(d, "newButton")->click();
        auto* name = child<QLineEdit>(d, "nameEdit");
        name->selectAll();
        QTest::keyClicks(name, QStringLiteral("Contoso Test"));
        QTest::keyClicks(child<QLineEdit>(d, "tenantEdit"), QStringLiteral("contoso.onmicrosoft.com"));
        QTest::keyClicks(child<QLineEdit>(d, "clientIdEdit"), QStringLiteral("11111111-2222-3333-4444-555555555555"));
        QVERIFY2(!d.hasProblems(), qPrintable(d.findChild<QLabel*>(QStringLiteral("displayNameProblem"))->text()));
        QVERIFY(child<QPushButton>(d, "saveButton")->isEnabled());
    }

private Q_SLOTS:
    void init()
    {
        m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("c.ini")), QSettings::IniFormat);
        m_settings->clear();
        m_fixture = std::make_unique<SandboxFixture>();
    }
    void cleanup()
    {
        m_fixture.reset();
        m_settings.reset();
    }

    void fieldsAreValidatedAsTyped()
    {
        MemorySecretStore secrets;
        ProfileStore store(m_settings.get(), &secrets);
        ScriptedDialogs dialogs;
        ConnectionDialog d(&store, &dialogs, sandboxTester());
        d.show();
        child<QPushButton>(d, "newButton")->click();
        auto* clientId = child<QLineEdit>(d, "clientIdEdit");
        auto* problem = child<QLabel>(d, "clientIdProblem");
        auto* save = child<QPushButton>(d, "saveButton");
        QTest::keyClicks(clientId, QStringLiteral("my-app"));
        QVERIFY(problem->isVisible());
        QVERIFY(problem->text().contains(QStringLiteral("GUID")));
        QVERIFY(!save->isEnabled());

        clientId->clear();
        QTest::keyClicks(clientId, QStringLiteral("11111111-2222-3333-4444-555555555555"));
        QVERIFY(problem->isHidden());

        auto* tenant = child<QLineEdit>(d, "tenantEdit");
        QTest::keyClicks(tenant, QStringLiteral("common"));
        auto* tenantProblem = child<QLabel>(d, "tenantProblem");
        QVERIFY(tenantProblem->isVisible());
        QVERIFY(tenantProblem->text().contains(QStringLiteral("own tenant")));
        tenant->clear();
        QTest::keyClicks(tenant, QStringLiteral("contoso.onmicrosoft.com"));
        QVERIFY(tenantProblem->isHidden());
        QVERIFY(save->isEnabled());

        // Custom cloud: its three fields appear, and are required.
        auto* cloud = child<QComboBox>(d, "cloudCombo");
        QVERIFY(!child<QLineEdit>(d, "authorityEdit")->isVisible());
        cloud->setCurrentIndex(cloud->findData(int(Cloud::Id::Custom)));
        QVERIFY(child<QLineEdit>(d, "authorityEdit")->isVisible());
        QVERIFY(child<QLabel>(d, "customAuthorityProblem")->isVisible());
        QVERIFY(!save->isEnabled());
        QTest::keyClicks(child<QLineEdit>(d, "authorityEdit"), QStringLiteral("http://login.example.com"));
        QVERIFY(child<QLabel>(d, "customAuthorityProblem")->text().contains(QStringLiteral("https")));

        // A custom cloud may name a CA to trust too (e.g. a TLS sandbox's): checked as typed.
        auto* ca = child<QLineEdit>(d, "caFileEdit");
        QVERIFY(ca->isVisible());
        QVERIFY(child<QLabel>(d, "caCertificatePathProblem")->isHidden()); // optional
        QTest::keyClicks(ca, QStringLiteral("/nonexistent/ca.pem"));
        QVERIFY(child<QLabel>(d, "caCertificatePathProblem")->isVisible());
        ca->clear();
        QTest::keyClicks(ca, QStringLiteral(QT_TESTCASE_SOURCEDIR "/../sandbox/demo/demo-app.cert.pem"));
        QVERIFY2(child<QLabel>(d, "caCertificatePathProblem")->isHidden(),
                 qPrintable(child<QLabel>(d, "caCertificatePathProblem")->text()));
        cloud->setCurrentIndex(cloud->findData(int(Cloud::Id::Public)));
        QVERIFY(!ca->isVisible());
    }

    void certificateIsReadAndExplainedBesideTheField()
    {
        MemorySecretStore secrets;
        ProfileStore store(m_settings.get(), &secrets);
        ScriptedDialogs dialogs;
        ConnectionDialog d(&store, &dialogs, sandboxTester());
        d.show();
        fillValidProfile(d);
        auto* kind = child<QComboBox>(d, "kindCombo");
        kind->setCurrentIndex(kind->findData(int(CredentialKind::Certificate)));
        auto* path = child<QLineEdit>(d, "certificateEdit");
        QVERIFY(path->isVisible());
        QVERIFY(child<QLabel>(d, "certificatePathProblem")->isVisible()); // no file chosen yet

        const QString demo = QStringLiteral(QT_TESTCASE_SOURCEDIR "/../sandbox/demo/");
        QFile cert(demo + QStringLiteral("demo-app.cert.pem"));
        QFile key(demo + QStringLiteral("demo-app.key.pem"));
        QVERIFY(cert.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly));
        const QByteArray certPem = cert.readAll();
        const QString certOnly = m_dir.filePath(QStringLiteral("cert-only.pem"));
        const QString both = m_dir.filePath(QStringLiteral("both.pem"));
        QFile a(certOnly), b(both);
        QVERIFY(a.open(QIODevice::WriteOnly) && b.open(QIODevice::WriteOnly));
        a.write(certPem);
        b.write(key.readAll() + certPem);
        a.close();
        b.close();

        // Chosen through the Browse button, answered by the seam.
        dialogs.openPath = certOnly;
        for (auto* button : d.findChildren<QPushButton*>())
            if (button->text() == QStringLiteral("Browse…"))
                button->click();
        QCOMPARE(path->text(), certOnly);
        QTRY_VERIFY(child<QLabel>(d, "certificatePathProblem")->text().contains(QStringLiteral("no private key")));
        QVERIFY(!child<QPushButton>(d, "saveButton")->isEnabled());

        path->setText(both);
        QVERIFY(child<QLabel>(d, "certificatePathProblem")->isHidden());
        QVERIFY2(child<QLabel>(d, "certificateInfo")->text().contains(QStringLiteral("thumbprint")),
                 qPrintable(child<QLabel>(d, "certificateInfo")->text()));
        QVERIFY(child<QPushButton>(d, "saveButton")->isEnabled());
        QSignalSpy done(&d, &ConnectionDialog::operationFinished);
        child<QPushButton>(d, "saveButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 5000);
        const auto saved = store.profile(d.currentProfileId());
        QVERIFY(saved);
        QCOMPARE(saved->certificateThumbprint.size(), 40); // SHA-1, hex
        QVERIFY(saved->certificateExpiry.isValid());
    }

    void saveStoresTheSecretInTheStoreNotTheSettings()
    {
        MemorySecretStore secrets;
        ProfileStore store(m_settings.get(), &secrets);
        ScriptedDialogs dialogs;
        ConnectionDialog d(&store, &dialogs, sandboxTester());
        d.show();
        fillValidProfile(d);
        QTest::keyClicks(child<QLineEdit>(d, "secretEdit"), QStringLiteral("Xy7-typed-secret"));
        QSignalSpy done(&d, &ConnectionDialog::operationFinished);
        child<QPushButton>(d, "saveButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 5000);
        QCOMPARE(done.at(0).at(0).toBool(), true);
        const auto profiles = store.profiles();
        QCOMPARE(profiles.size(), std::size_t(1));
        QCOMPARE(profiles[0].displayName, QStringLiteral("Contoso Test"));
        QVERIFY(secrets.contains(ProfileStore::secretKey(profiles[0].id, SecretKind::ClientSecret)));
        QVERIFY(child<QLineEdit>(d, "secretEdit")->text().isEmpty());
        QTRY_VERIFY(child<QLabel>(d, "secretStatus")->text().startsWith(QStringLiteral("Stored in")));
        m_settings->sync();
        QFile f(m_settings->fileName());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(!f.readAll().contains("Xy7-typed-secret"));
    }

    void noKeychainOffersTheSessionOnlyWay()
    {
        AbsentKeychain secrets;
        ProfileStore store(m_settings.get(), &secrets);
        ScriptedDialogs dialogs;
        ConnectionDialog d(&store, &dialogs, sandboxTester());
        d.show();
        fillValidProfile(d);
        QTest::keyClicks(child<QLineEdit>(d, "secretEdit"), QStringLiteral("typed-once"));
        QSignalSpy done(&d, &ConnectionDialog::operationFinished);
        child<QPushButton>(d, "saveButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 5000);
        QCOMPARE(done.at(0).at(0).toBool(), false);
        auto* banner = d.findChild<pbi::ui::ErrorBanner*>();
        QVERIFY(banner->isVisible());
        QVERIFY(banner->text().contains(QStringLiteral("gnome-keyring")));
        QCOMPARE(child<QLineEdit>(d, "secretEdit")->text(), QStringLiteral("typed-once")); // nothing typed is lost
        auto* sessionOnly = child<QPushButton>(d, "sessionOnlyButton");
        QVERIFY(sessionOnly->isVisible());
        sessionOnly->click();
        QVERIFY(store.hasSessionSecret(d.currentProfileId(), SecretKind::ClientSecret));
        QVERIFY(child<QLabel>(d, "secretStatus")->text().contains(QStringLiteral("this session only")));
    }

    void deleteAsksAndRemoves()
    {
        MemorySecretStore secrets;
        ProfileStore store(m_settings.get(), &secrets);
        ScriptedDialogs dialogs;
        ConnectionDialog d(&store, &dialogs, sandboxTester());
        d.show();
        fillValidProfile(d);
        QSignalSpy done(&d, &ConnectionDialog::operationFinished);
        child<QPushButton>(d, "saveButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 5000);
        const QString id = d.currentProfileId();

        dialogs.confirmAnswer = false;
        child<QPushButton>(d, "deleteButton")->click();
        QCOMPARE(dialogs.confirms, 1);
        QVERIFY(store.profile(id));

        dialogs.confirmAnswer = true;
        done.clear();
        child<QPushButton>(d, "deleteButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 5000);
        QVERIFY(!store.profile(id));
        QCOMPARE(d.currentProfileId(), QStringLiteral("sandbox"));
        QCOMPARE(child<QListWidget>(d, "profileList")->count(), 1);
    }

    void exportThenImport()
    {
        MemorySecretStore secrets;
        ProfileStore store(m_settings.get(), &secrets);
        ScriptedDialogs dialogs;
        ConnectionDialog d(&store, &dialogs, sandboxTester());
        d.show();
        fillValidProfile(d);
        QSignalSpy done(&d, &ConnectionDialog::operationFinished);
        child<QPushButton>(d, "saveButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 5000);

        dialogs.savePath = m_dir.filePath(QStringLiteral("export.json"));
        child<QPushButton>(d, "exportButton")->click();
        QVERIFY(QFile::exists(dialogs.savePath));

        dialogs.openPath = dialogs.savePath;
        child<QPushButton>(d, "importButton")->click();
        QCOMPARE(store.profiles().size(), std::size_t(2));
        QCOMPARE(dialogs.informed.size(), 1);
        QVERIFY(dialogs.informed[0].contains(QStringLiteral("never carry secrets")));
        QCOMPARE(child<QLineEdit>(d, "nameEdit")->text(), QStringLiteral("Contoso Test (2)"));

        // A broken file imports nothing and says why.
        QFile broken(m_dir.filePath(QStringLiteral("broken.json")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{\"format\":\"something else\"}");
        broken.close();
        dialogs.openPath = broken.fileName();
        child<QPushButton>(d, "importButton")->click();
        QCOMPARE(store.profiles().size(), std::size_t(2));
        QVERIFY(d.findChild<pbi::ui::ErrorBanner*>()->text().contains(QStringLiteral("not a PBI Console profile export")));
    }

    void testConnectionShowsWhoTheTokenSaysYouAre()
    {
        MemorySecretStore secrets;
        ProfileStore store(m_settings.get(), &secrets);
        ScriptedDialogs dialogs;
        ConnectionDialog d(&store, &dialogs, sandboxTester());
        d.show();
        d.selectProfile(QStringLiteral("sandbox"));
        QSignalSpy done(&d, &ConnectionDialog::operationFinished);
        child<QPushButton>(d, "testButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 10000);
        QCOMPARE(done.at(0).at(0).toBool(), true);
        const QString text = child<QLabel>(d, "testResult")->text();
        QVERIFY2(text.contains(QStringLiteral("Connected")), qPrintable(text));
        QVERIFY(text.contains(m_fixture->clientId()));
        QVERIFY(text.contains(m_fixture->tenantId()));
        QVERIFY(text.contains(QStringLiteral("22 workspace")));
        QVERIFY(text.contains(QStringLiteral("Expires in")));
        // PBI_SCREENSHOT_DIR=… keeps a picture of the dialog for the README and reviews.
        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty())
            d.grab().save(dir + QStringLiteral("/connections-sandbox.png"));
    }

    void testConnectionWithAWrongSecretShowsEntrasError()
    {
        MemorySecretStore secrets;
        ProfileStore store(m_settings.get(), &secrets);
        ScriptedDialogs dialogs;
        ConnectionDialog d(&store, &dialogs, sandboxTester());
        d.show();
        child<QPushButton>(d, "newButton")->click();
        auto* cloud = child<QComboBox>(d, "cloudCombo");
        cloud->setCurrentIndex(cloud->findData(int(Cloud::Id::Custom)));
        QTest::keyClicks(child<QLineEdit>(d, "authorityEdit"), m_fixture->base().toString());
        QTest::keyClicks(child<QLineEdit>(d, "apiBaseEdit"), m_fixture->base().toString());
        QTest::keyClicks(child<QLineEdit>(d, "resourceEdit"), QStringLiteral("https://analysis.windows.net/powerbi/api"));
        QTest::keyClicks(child<QLineEdit>(d, "tenantEdit"), m_fixture->tenantId());
        QTest::keyClicks(child<QLineEdit>(d, "clientIdEdit"), m_fixture->clientId());
        QTest::keyClicks(child<QLineEdit>(d, "secretEdit"), QStringLiteral("wrong"));
        QSignalSpy done(&d, &ConnectionDialog::operationFinished);
        child<QPushButton>(d, "testButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 10000);
        QCOMPARE(done.at(0).at(0).toBool(), false);
        const QString text = d.findChild<pbi::ui::ErrorBanner*>()->text();
        QVERIFY2(text.contains(QStringLiteral("AADSTS7000215")), qPrintable(text));
        QCOMPARE(child<QLineEdit>(d, "secretEdit")->text(), QStringLiteral("wrong"));
        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty())
            d.grab().save(dir + QStringLiteral("/connections-wrong-secret.png"));
    }
};

QTEST_MAIN(TestConnectionDialog)
#include "tst_connectiondialog.moc"
