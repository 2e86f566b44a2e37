// keychain-probe SERVICE KEY: prints the keychain entry's text, for tests that need a second
// process (an app restart). Exit 1 when absent, 2 on error.

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 3)
        return 64;
    auto* job = new QKeychain::ReadPasswordJob(args[1]);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(args[2]);
    int rc = 2;
    QObject::connect(job, &QKeychain::Job::finished, &app, [&rc](QKeychain::Job* j) {
        if (j->error() == QKeychain::NoError) {
            QTextStream(stdout) << static_cast<QKeychain::ReadPasswordJob*>(j)->textData() << '\n';
            rc = 0;
        } else {
            QTextStream(stderr) << j->errorString() << '\n';
            rc = j->error() == QKeychain::EntryNotFound ? 1 : 2;
        }
        QCoreApplication::quit();
    });
    job->start();
    QCoreApplication::exec();
    return rc;
}
