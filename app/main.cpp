// pbi-console: the composition root. Builds the infrastructure (network manager, clock,
// request log), the core client and the window, and starts the sandbox tenant when no
// connection is configured.

#include "MainWindow.h"

#include "Clock.h"
#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"
#include "auth/Cloud.h"
#include "http/RequestLog.h"
#include "http/Transport.h"

#include "Sandbox.h"
#include "Tenant.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QNetworkAccessManager>
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
                       "With no connection configured it opens the built-in sandbox tenant."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption sandboxPort(QStringLiteral("sandbox-port"),
                                   QStringLiteral("Port for the in-process sandbox tenant (default: any free port)."),
                                   QStringLiteral("port"), QStringLiteral("0"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save a picture of the window to <file> once the first load ends, then quit."),
                                  QStringLiteral("file"));
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

    // No configured connection yet: the sandbox tenant is the default (DESIGN.md).
    pbi::sandbox::SandboxOptions options;
    options.port = port;
    pbi::sandbox::Sandbox sandbox(pbi::sandbox::makeDemoTenant(), options);
    std::string error;
    if (!sandbox.start(&error)) {
        std::fprintf(stderr, "pbi-console: cannot start the sandbox tenant: %s\n", error.c_str());
        return 1;
    }
    const QUrl base(QString::fromStdString(sandbox.baseUrl()));

    pbi::SystemClock clock;
    QNetworkAccessManager network;
    pbi::RequestLog log;
    pbi::Transport transport(&network, &clock, &log);
    const pbi::Cloud cloud = pbi::Cloud::sandbox(base);
    pbi::ClientSecretCredential credential(
        &transport, &clock, cloud, QString::fromLatin1(pbi::sandbox::demo::kTenantId),
        QString::fromLatin1(pbi::sandbox::demo::kAppClientId),
        QString::fromLatin1(pbi::sandbox::demo::kAppSecret));
    pbi::PowerBiClient client(&transport, &credential, cloud);

    pbi::ui::ConnectionDescription connection;
    connection.title = QStringLiteral("Sandbox tenant");
    connection.subtitle = QStringLiteral("local emulator at %1 · %2 · no real data")
                              .arg(base.toString(), QString::fromLatin1(pbi::sandbox::demo::kTenantDomain));
    connection.color = QColor(0x1b, 0x6e, 0x6a);
    connection.isSandbox = true;

    pbi::ui::MainWindow window(&client, connection);
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
    window.reload();
    const int rc = QApplication::exec();
    network.clearConnectionCache();
    sandbox.stop();
    return rc;
}
