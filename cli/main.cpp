// pbictl: the composition root of the command line.

#include "Cli.h"

#include "Clock.h"
#include "http/RequestLog.h"
#include "profiles/SecretStore.h"

#include "Sandbox.h"
#include "Tenant.h"

#include <QCoreApplication>
#include <QFile>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    // The same settings (connections) as the window.
    QCoreApplication::setApplicationName(QStringLiteral("PBI Console"));
    QCoreApplication::setOrganizationName(QStringLiteral("PBI Console"));

    QTextStream out(stdout);
    QTextStream err(stderr);
    pbi::SystemClock clock;
    QNetworkAccessManager network;
    pbi::RequestLog log;
    QSettings settings;
    pbi::KeychainSecretStore secrets;

    std::unique_ptr<pbi::sandbox::Sandbox> sandbox;
    pbi::cli::CliContext context;
    context.out = &out;
    context.err = &err;
    context.readStdin = [] {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly))
            return QByteArray();
        return in.readAll();
    };
    context.environment = [](const char* name) { return qEnvironmentVariable(name); };
    context.progressOnStderr = isatty(STDERR_FILENO) == 1;
    context.settings = &settings;
    context.secrets = &secrets;
    context.clock = &clock;
    context.network = &network;
    context.log = &log;
    context.startSandbox = [&]() -> pbi::Result<pbi::SandboxEndpoint> {
        if (!sandbox) {
            auto s = std::make_unique<pbi::sandbox::Sandbox>(pbi::sandbox::makeDemoTenant());
            std::string error;
            if (!s->start(&error)) {
                pbi::Error e;
                e.kind = pbi::ErrorKind::Network;
                e.sentence = QStringLiteral("The sandbox tenant could not start: %1").arg(QString::fromStdString(error));
                return e;
            }
            sandbox = std::move(s);
        }
        return pbi::SandboxEndpoint{QUrl(QString::fromStdString(sandbox->baseUrl())),
                                    QString::fromLatin1(pbi::sandbox::demo::kTenantId),
                                    QString::fromLatin1(pbi::sandbox::demo::kAppClientId),
                                    QString::fromLatin1(pbi::sandbox::demo::kAppSecret),
                                    QString::fromLatin1(pbi::sandbox::demo::kTenantDomain)};
    };

    pbi::cli::Cli cli(context);
    int rc = 0;
    QObject::connect(&cli, &pbi::cli::Cli::finished, &app, [&rc](int code) {
        rc = code;
        QCoreApplication::quit();
    });
    cli.start(app.arguments());
    QCoreApplication::exec();
    network.clearConnectionCache();
    if (sandbox)
        sandbox->stop();
    return rc;
}
