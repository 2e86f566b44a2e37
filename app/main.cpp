// pbi-console: the composition root. Builds the infrastructure (network manager, clock,
// request log, settings, keychain), the connection controller and the window; starts the
// sandbox tenant in-process when a connection needs it (the default with no profile saved).

#include "ConnectionController.h"
#include "DialogSeam.h"
#include "MainWindow.h"

#include "Clock.h"
#include "http/RequestLog.h"
#include "http/Transport.h"
#include "profiles/ProfileStore.h"
#include "profiles/SecretStore.h"

#include "Sandbox.h"
#include "Tenant.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("PBI Console"));
    QApplication::setOrganizationName(QStringLiteral("PBI Console"));
    QApplication::setApplicationVersion(QStringLiteral(PBI_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("pbi-console"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Desktop administration console for the Power BI REST API.\n"
                       "Opens the last connection used; with none saved, the built-in sandbox tenant."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption sandboxOption(QStringLiteral("sandbox"),
                                     QStringLiteral("Open the built-in sandbox tenant, whatever was used last."));
    QCommandLineOption profileOption(QStringLiteral("profile"),
                                     QStringLiteral("Open the saved connection with this name or id."),
                                     QStringLiteral("name"));
    QCommandLineOption sandboxPort(QStringLiteral("sandbox-port"),
                                   QStringLiteral("Port for the in-process sandbox tenant (default: any free port)."),
                                   QStringLiteral("port"), QStringLiteral("0"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save a picture of the window to <file> once the first load ends, then quit."),
                                  QStringLiteral("file"));
    parser.addOption(sandboxOption);
    parser.addOption(profileOption);
    parser.addOption(sandboxPort);
    parser.addOption(screenshot);
    parser.process(app);

    bool portOk = false;
    const int port = parser.value(sandboxPort).toInt(&portOk);
    if (!portOk || port < 0 || port > 65535) {
        std::fprintf(stderr, "pbi-console: --sandbox-port must be a number from 0 to 65535, not '%s'\n",
                     qPrintable(parser.value(sandboxPort)));
        return 2;
    }

    pbi::SystemClock clock;
    QNetworkAccessManager network;
    pbi::RequestLog log;
    QSettings settings;
    pbi::KeychainSecretStore secrets;
    pbi::ProfileStore profiles(&settings, &secrets);
    pbi::ui::WidgetDialogs dialogs;

    QString profileId = parser.isSet(sandboxOption) ? QStringLiteral("sandbox") : profiles.lastProfileId();
    if (parser.isSet(profileOption)) {
        const QString wanted = parser.value(profileOption);
        profileId.clear();
        for (const auto& p : profiles.profiles())
            if (p.id == wanted || p.displayName.compare(wanted, Qt::CaseInsensitive) == 0)
                profileId = p.id;
        if (profileId.isEmpty()) {
            std::fprintf(stderr, "pbi-console: no saved connection is called '%s'\n", qPrintable(wanted));
            return 2;
        }
    }

    // The sandbox starts only when a connection needs it, and lives until the app ends.
    std::unique_ptr<pbi::sandbox::Sandbox> sandbox;
    auto startSandbox = [&]() -> pbi::Result<pbi::SandboxEndpoint> {
        if (!sandbox) {
            pbi::sandbox::SandboxOptions options;
            options.port = port;
            auto s = std::make_unique<pbi::sandbox::Sandbox>(pbi::sandbox::makeDemoTenant(), options);
            std::string error;
            if (!s->start(&error)) {
                pbi::Error e;
                e.kind = pbi::ErrorKind::Network;
                e.sentence = QStringLiteral("The sandbox tenant could not start: %1").arg(QString::fromStdString(error));
                e.hint = QStringLiteral("Another program may use the port; start without --sandbox-port.");
                return e;
            }
            sandbox = std::move(s);
        }
        pbi::SandboxEndpoint endpoint;
        endpoint.base = QUrl(QString::fromStdString(sandbox->baseUrl()));
        endpoint.tenant = QString::fromLatin1(pbi::sandbox::demo::kTenantId);
        endpoint.domain = QString::fromLatin1(pbi::sandbox::demo::kTenantDomain);
        endpoint.clientId = QString::fromLatin1(pbi::sandbox::demo::kAppClientId);
        endpoint.clientSecret = QString::fromLatin1(pbi::sandbox::demo::kAppSecret);
        return endpoint;
    };
    auto makeTransport = [&] { return std::make_unique<pbi::Transport>(&network, &clock, &log); };

    pbi::ui::MainWindow window(nullptr, {}, nullptr, &clock);
    window.setRequestLog(&log);
    window.setSettings(&settings);
    pbi::ui::ConnectionController controller(&profiles, makeTransport, &clock, startSandbox, &window, &dialogs);
    window.show();

    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QObject::connect(&window, &pbi::ui::MainWindow::loadFinished, &window, [&window, file] {
            // Let the view lay out the new rows before grabbing it.
            QTimer::singleShot(300, &window, [&window, file] {
                if (!window.grab().save(file))
                    std::fprintf(stderr, "pbi-console: cannot write %s\n", qPrintable(file));
                QApplication::quit();
            });
        });
    }
    controller.connectTo(profileId);
    const int rc = QApplication::exec();
    network.clearConnectionCache();
    if (sandbox)
        sandbox->stop();
    return rc;
}
