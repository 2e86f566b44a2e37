// Switching the main window between connections: the sandbox, a saved profile whose secret
// is in the store, a profile without its secret, and a switch while a load is in flight.

#include "SandboxFixture.h"

#include "ConnectionController.h"
#include "DialogSeam.h"
#include "ErrorBanner.h"
#include "MainWindow.h"

#include "profiles/ProfileStore.h"
#include "profiles/SecretStore.h"

#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace pbi;
using pbi::ui::ConnectionController;

namespace {
class NoDialogs final : public pbi::ui::DialogSeam {
public:
    QString openFileName(QWidget*, const QString&, const QString&) override { return {}; }
    QString saveFileName(QWidget*, const QString&, const QString&, const QString&) override { return {}; }
    bool confirm(QWidget*, const QString&, const QString&, const QString&) override { return false; }
    void inform(QWidget*, const QString&, const QString&) override {}
};
} // namespace

class TestConnectionController : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<SandboxFixture> f;
    std::unique_ptr<QSettings> settings;
    std::unique_ptr<MemorySecretStore> secrets;
    std::unique_ptr<ProfileStore> profiles;
    std::unique_ptr<pbi::ui::MainWindow> window;
    std::unique_ptr<ConnectionController> controller;
    NoDialogs dialogs;
    int sandboxStarts = 0;

    ConnectionProfile sandboxAsCustomCloud(const QString& name)
    {
        ConnectionProfile p = f->profile(name);
        p.environment = Environment::Production;
        return profiles->save(p).value();
    }
    bool connectAndLoad(const QString& id)
    {
        QSignalSpy loaded(window.get(), &pbi::ui::MainWindow::loadFinished);
        controller->connectTo(id);
        return loaded.wait(10000) && loaded.at(0).at(0).toBool();
    }

private Q_SLOTS:
    void init()
    {
        f = std::make_unique<SandboxFixture>();
        settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        settings->clear();
        secrets = std::make_unique<MemorySecretStore>();
        profiles = std::make_unique<ProfileStore>(settings.get(), secrets.get());
        window = std::make_unique<pbi::ui::MainWindow>(nullptr, pbi::ui::ConnectionDescription{});
        sandboxStarts = 0;
        auto startSandbox = [this]() -> Result<pbi::SandboxEndpoint> {
            ++sandboxStarts;
            return pbi::SandboxEndpoint{f->base(), f->tenantId(), f->clientId(), f->clientSecret(),
                                            QStringLiteral("contoso-sandbox.onmicrosoft.com")};
        };
        auto makeTransport = [this] { return std::make_unique<Transport>(&f->network, &f->clock, &f->log); };
        controller = std::make_unique<ConnectionController>(profiles.get(), makeTransport, &f->clock,
                                                            startSandbox, window.get(), &dialogs);
        window->show();
    }
    void cleanup()
    {
        controller.reset();
        window.reset();
        profiles.reset();
        secrets.reset();
        settings.reset();
        f.reset();
    }

    void sandboxIsTheDefault()
    {
        QVERIFY(connectAndLoad(QString()));
        QCOMPARE(sandboxStarts, 1);
        QCOMPARE(window->tree()->model()->rowCount(), 22);
        auto* band = window->findChild<QLabel*>(QStringLiteral("environmentBand"));
        QVERIFY(band->text().contains(QStringLiteral("Sandbox tenant")));
        QCOMPARE(profiles->lastProfileId(), QStringLiteral("sandbox"));
        // Reconnecting reuses the running sandbox.
        QVERIFY(connectAndLoad(QStringLiteral("sandbox")));
        QCOMPARE(sandboxStarts, 1);
    }

    void savedProfileUsesTheStoredSecret()
    {
        const auto p = sandboxAsCustomCloud(QStringLiteral("Contoso Prod"));
        std::optional<Result<bool>> w;
        profiles->writeSecret(p.id, SecretKind::ClientSecret, f->clientSecret(), this, [&](Result<bool> r) { w = r; });
        QTRY_VERIFY(w.has_value());
        QVERIFY(connectAndLoad(p.id));
        QCOMPARE(sandboxStarts, 0);
        QCOMPARE(window->tree()->model()->rowCount(), 22);
        auto* band = window->findChild<QLabel*>(QStringLiteral("environmentBand"));
        QVERIFY(band->text().contains(QStringLiteral("Contoso Prod")));
        QVERIFY(band->text().contains(QStringLiteral("PRODUCTION")));
        QVERIFY(band->styleSheet().contains(QStringLiteral("#c62828")));
        QCOMPARE(profiles->lastProfileId(), p.id);
    }

    void missingSecretIsSaidPlainly()
    {
        const auto p = sandboxAsCustomCloud(QStringLiteral("No secret yet"));
        QSignalSpy done(controller.get(), &ConnectionController::connected);
        controller->connectTo(p.id);
        QTRY_COMPARE(done.count(), 1);
        QCOMPARE(done.at(0).at(1).toBool(), false);
        auto* banner = window->errorBanner();
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(QStringLiteral("No client secret is stored")), qPrintable(banner->text()));
        QCOMPARE(window->tree()->model()->rowCount(), 0);
    }

    void switchingWhileLoadingDropsTheOldAnswer()
    {
        const auto p = sandboxAsCustomCloud(QStringLiteral("Second"));
        std::optional<Result<bool>> w;
        profiles->writeSecret(p.id, SecretKind::ClientSecret, f->clientSecret(), this, [&](Result<bool> r) { w = r; });
        QTRY_VERIFY(w.has_value());
        QSignalSpy loaded(window.get(), &pbi::ui::MainWindow::loadFinished);
        controller->connectTo(QStringLiteral("sandbox"));
        controller->connectTo(p.id); // before the sandbox's answer arrives
        QVERIFY(loaded.wait(10000));
        QTest::qWait(200);
        QCOMPARE(loaded.count(), 1); // only the second connection's load finished
        QCOMPARE(controller->currentProfileId(), p.id);
        QCOMPARE(window->tree()->model()->rowCount(), 22);
    }
};

QTEST_MAIN(TestConnectionController)
#include "tst_connectioncontroller.moc"
