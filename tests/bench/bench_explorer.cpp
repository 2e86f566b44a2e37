// Benchmark (not a test): the workspace explorer's model over a big tenant. Builds the tree
// from a 10,000-workspace / 100,000-item inventory (as the admin inventory delivers it), then
// types a scripted filter sequence into the explorer's proxy with a tree view attached, and
// prints the build time, the median and worst time per keystroke, and peak RSS.
//
//   bench_explorer [--workspaces 10000] [--items 10] [--members 3] [--runs 3]

#include "BenchSupport.h"
#include "ExplorerProxy.h"
#include "WorkspaceTreeModel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTextStream>
#include <QTreeView>
#include <QUuid>

#include <algorithm>
#include <random>

namespace {

/// A tenant the way an admin inventory with $expand delivers it: every workspace with its items.
std::vector<pbi::Workspace> tenant(int workspaces, int items, int members, std::mt19937& rng)
{
    static const char* domains[] = {"Sales", "Finance", "HR Analytics", "Supply Chain", "Marketing", "Procurement",
                                    "Customer Success", "IT Operations", "Risk", "Legal"};
    static const char* stages[] = {"Dev", "Test", "Prod"};
    static const char* nouns[] = {"Overview", "Pipeline", "Forecast", "Budget", "Headcount", "Inventory", "Campaign",
                                  "Ledger", "Tickets", "Spend", "Margin", "Churn"};
    const auto id = [&rng] {
        return QUuid::fromRfc4122(QByteArray::number(quint64(rng()), 16).leftJustified(16, '0')).toString(QUuid::WithoutBraces);
    };
    std::vector<pbi::Workspace> out;
    out.reserve(std::size_t(workspaces));
    for (int w = 0; w < workspaces; ++w) {
        pbi::Workspace ws;
        ws.id = id();
        ws.name = QStringLiteral("%1 %2 [%3]").arg(QLatin1String(domains[w % 10])).arg(w).arg(QLatin1String(stages[w % 3]));
        ws.isOnDedicatedCapacity = w % 4 != 0;
        ws.type = QStringLiteral("Workspace");
        ws.state = QStringLiteral("Active");
        for (int i = 0; i < items; ++i) {
            const QString name = QStringLiteral("%1 %2").arg(QLatin1String(nouns[(w + i) % 12])).arg(i);
            switch (i % 4) {
            case 0: {
                pbi::Report r;
                r.id = id();
                r.name = name;
                ws.reports.push_back(r);
                break;
            }
            case 1: {
                pbi::Dataset d;
                d.id = id();
                d.name = name;
                d.configuredBy = QStringLiteral("owner%1@contoso.com").arg(w % 50);
                ws.datasets.push_back(d);
                break;
            }
            case 2: {
                pbi::Dashboard d;
                d.id = id();
                d.displayName = name;
                ws.dashboards.push_back(d);
                break;
            }
            default: {
                pbi::Dataflow d;
                d.id = id();
                d.name = name;
                ws.dataflows.push_back(d);
                break;
            }
            }
        }
        for (int m = 0; m < members; ++m) {
            pbi::GroupUser u;
            u.identifier = QStringLiteral("user%1@contoso.com").arg((w * 7 + m) % 2000);
            u.groupUserAccessRight = m == 0 ? QStringLiteral("Admin") : QStringLiteral("Member");
            u.principalType = QStringLiteral("User");
            ws.users.push_back(u);
        }
        out.push_back(std::move(ws));
    }
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList a = app.arguments();
    const int workspaces = bench::arg(a, "--workspaces", 10000);
    const int items = bench::arg(a, "--items", 10);
    const int members = bench::arg(a, "--members", 3);
    const int runs = std::max(1, bench::arg(a, "--runs", 3));
    QTextStream out(stdout);
    out << "Explorer over " << workspaces << " workspaces x " << items << " items (+" << members
        << " members each), filter typed into the explorer's proxy with a tree view attached\n";

    // The scripted typing: a word letter by letter, corrections, a workspace name, an id
    // fragment, a miss, and clearing.
    QStringList keystrokes;
    QString text;
    const auto type = [&](const QString& s) {
        for (QChar c : s) {
            text += c;
            keystrokes << text;
        }
    };
    const auto erase = [&](int n) {
        for (int i = 0; i < n && !text.isEmpty(); ++i) {
            text.chop(1);
            keystrokes << text;
        }
    };
    type(QStringLiteral("sales"));
    erase(5);
    type(QStringLiteral("finance 12"));
    erase(3);
    type(QStringLiteral(" [prod]"));
    erase(100);
    type(QStringLiteral("budget"));
    erase(100);
    type(QStringLiteral("zzq"));
    erase(100);

    std::vector<double> builds, medians, worsts;
    for (int run = 0; run < runs; ++run) {
        std::mt19937 rng(7);
        std::vector<pbi::Workspace> inventory = tenant(workspaces, items, members, rng);
        // The id fragment of the script: part of a real id, so it matches one item.
        pbi::ui::WorkspaceTreeModel model;
        pbi::ui::ExplorerProxy proxy;
        QTreeView view;
        view.resize(900, 700);
        QElapsedTimer t;
        t.start();
        model.setWorkspaces(std::move(inventory));
        proxy.setTreeModel(&model);
        view.setModel(&proxy);
        if (!a.contains(QStringLiteral("--no-sort")))
            view.setSortingEnabled(true);
        view.sortByColumn(pbi::ui::WorkspaceTreeModel::NameColumn, Qt::AscendingOrder);
        QCoreApplication::processEvents();
        const double buildMs = double(t.nsecsElapsed()) / 1e6;
        std::vector<double> times;
        for (const QString& k : keystrokes) {
            t.restart();
            proxy.setFilterText(k);
            QCoreApplication::processEvents();
            times.push_back(double(t.nsecsElapsed()) / 1e6);
        }
        std::vector<double> sorted = times;
        std::sort(sorted.begin(), sorted.end());
        builds.push_back(buildMs);
        medians.push_back(sorted[sorted.size() / 2]);
        worsts.push_back(sorted.back());
        out << QStringLiteral("run %1: %2 nodes, build %3 ms, %4 keystrokes, median %5 ms, worst %6 ms\n")
                   .arg(run + 1)
                   .arg(model.workspaceCount() * (1 + 5) + workspaces * (items + members))
                   .arg(buildMs, 0, 'f', 1)
                   .arg(times.size())
                   .arg(sorted[sorted.size() / 2], 0, 'f', 1)
                   .arg(sorted.back(), 0, 'f', 1);
        out.flush();
    }
    std::sort(builds.begin(), builds.end());
    std::sort(medians.begin(), medians.end());
    std::sort(worsts.begin(), worsts.end());
    out << QStringLiteral("median build %1 ms, median keystroke %2 ms, median worst keystroke %3 ms, peak RSS %4 MB\n")
               .arg(builds[builds.size() / 2], 0, 'f', 1)
               .arg(medians[medians.size() / 2], 0, 'f', 1)
               .arg(worsts[worsts.size() / 2], 0, 'f', 1)
               .arg(double(bench::peakRssKb()) / 1024.0, 0, 'f', 1);
    return 0;
}
