// Benchmark (not a test): the admin-scope tenant inventory against a generated sandbox tenant
// in its own process, with injected latency. Prints the requests made, wall time, the lower
// bound the limits allow (requests ÷ allowed concurrency × latency + parse time) and the
// ratio to it, CPU time and peak RSS of this (client) process.
//
//   bench_inventory [--workspaces 10000] [--items 10] [--latency-ms 100] [--page 1000] [--depth 3] [--runs 3]

#include "api/AdminWorkspacePager.h"
#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"
#include "Clock.h"
#include "http/RequestLog.h"
#include "http/Transport.h"

#include "BenchSupport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QRegularExpression>
#include <QTextStream>

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace {

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList a = app.arguments();
    const int workspaces = bench::arg(a, "--workspaces", 10000);
    const int items = bench::arg(a, "--items", 10);
    const int latency = bench::arg(a, "--latency-ms", 100);
    const int page = bench::arg(a, "--page", 1000);
    const int runs = std::max(1, bench::arg(a, "--runs", 3));
    const int depth = std::clamp(bench::arg(a, "--depth", 3), 1, 3);

    QProcess sandbox;
    sandbox.setProcessChannelMode(QProcess::MergedChannels);
    sandbox.start(QStringLiteral(PBI_SANDBOX_EXE),
                  {QStringLiteral("--workspaces"), QString::number(workspaces), QStringLiteral("--items"),
                   QString::number(items), QStringLiteral("--seed"), QStringLiteral("7"), QStringLiteral("--latency"),
                   QStringLiteral("fixed=%1,path=^/v1\\.0/").arg(latency), QStringLiteral("--throttle-scale"),
                   QStringLiteral("0"), QStringLiteral("--no-refresh-schedules")});
    QUrl base;
    QByteArray seen;
    QElapsedTimer wait;
    wait.start();
    while (base.isEmpty() && wait.elapsed() < 60000) {
        if (!sandbox.waitForReadyRead(1000))
            continue;
        seen += sandbox.readAll();
        const auto m = QRegularExpression(QStringLiteral("listening on (http://[0-9.:]+)")).match(QString::fromUtf8(seen));
        if (m.hasMatch())
            base = QUrl(m.captured(1));
    }
    if (base.isEmpty()) {
        std::fprintf(stderr, "bench_inventory: the sandbox did not start:\n%s\n", seen.constData());
        return 1;
    }

    pbi::SystemClock clock;
    QNetworkAccessManager network;
    pbi::RequestLog log;
    pbi::Transport transport(&network, &clock, &log);
    const pbi::Cloud cloud = pbi::Cloud::sandbox(base);
    pbi::ClientSecretCredential credential(&transport, &clock, cloud, QStringLiteral("8f0c3b6e-5d1a-4c2b-9e7f-2a4b6c8d0e1f"),
                                           QStringLiteral("5b1c9d3e-7f2a-4e6b-8c0d-1a3b5c7d9e2f"),
                                           QStringLiteral("sandbox-secret-change-me"));
    pbi::PowerBiClient client(&transport, &credential, cloud);

    QTextStream out(stdout);
    out << "Admin inventory of a generated tenant: " << workspaces << " workspaces x " << items
        << " items, latency " << latency << " ms per API call, $top=" << page << ", $expand=all, " << depth
        << " page(s) in flight\n";
    std::vector<double> walls, ratios;
    int requests = 0;
    QObject::connect(&log, &pbi::RequestLog::entryAdded, [&requests] { ++requests; });
    for (int run = 0; run < runs; ++run) {
        // Sign in first: the token exchange is not part of the inventory.
        bool signedIn = false;
        credential.requestToken(&app, [&](pbi::Result<pbi::AccessToken> r) {
            signedIn = true;
            if (!r)
                std::fprintf(stderr, "sign-in failed: %s\n", qPrintable(r.error().details()));
        });
        while (!signedIn)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        requests = 0;

        pbi::AdminWorkspacePager pager(&client, page);
        pager.setExpand(QStringLiteral("users,reports,dashboards,datasets,dataflows,workbooks"));
        pager.setDepth(depth);
        bool done = false;
        QString failure;
        QObject::connect(&pager, &pbi::AdminWorkspacePager::finished, [&] { done = true; });
        QObject::connect(&pager, &pbi::AdminWorkspacePager::failed, [&](const pbi::Error& e) {
            failure = e.details();
            done = true;
        });
        const double cpu0 = cpuSeconds();
        QElapsedTimer wall;
        wall.start();
        pager.start();
        while (!done)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        const double wallMs = double(wall.nsecsElapsed()) / 1e6;
        const double cpu = cpuSeconds() - cpu0;
        if (!failure.isEmpty()) {
            std::fprintf(stderr, "inventory failed: %s\n", qPrintable(failure));
            return 1;
        }
        std::size_t itemCount = 0;
        for (const auto& w : pager.workspaces())
            itemCount += w.reports.size() + w.datasets.size() + w.dashboards.size() + w.dataflows.size() +
                         w.workbooks.size();
        // Requests ÷ allowed concurrency × latency + parse time: the pager keeps `depth` pages in
        // flight (the admin family allows 3); parse time is what the client spent on the CPU.
        const double lowerBound = std::ceil(double(requests) / depth) * double(latency) + cpu * 1000.0;
        const double ratio = wallMs / lowerBound;
        walls.push_back(wallMs);
        ratios.push_back(ratio);
        out << QStringLiteral("run %1: %2 workspaces, %3 items, %4 requests, wall %5 ms, lower bound %6 ms, ratio %7, "
                              "CPU %8 s\n")
                   .arg(run + 1)
                   .arg(pager.workspaces().size())
                   .arg(itemCount)
                   .arg(requests)
                   .arg(wallMs, 0, 'f', 0)
                   .arg(lowerBound, 0, 'f', 0)
                   .arg(ratio, 0, 'f', 3)
                   .arg(cpu, 0, 'f', 2);
        out.flush();
    }
    std::sort(walls.begin(), walls.end());
    std::sort(ratios.begin(), ratios.end());
    out << QStringLiteral("median wall %1 ms, median ratio %2, peak RSS %3 MB\n")
               .arg(walls[walls.size() / 2], 0, 'f', 0)
               .arg(ratios[ratios.size() / 2], 0, 'f', 3)
               .arg(double(bench::peakRssKb()) / 1024.0, 0, 'f', 1);
    sandbox.terminate();
    if (!sandbox.waitForFinished(5000)) {
        sandbox.kill();
        sandbox.waitForFinished(5000);
    }
    return 0;
}
