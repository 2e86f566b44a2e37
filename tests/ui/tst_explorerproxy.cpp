// The explorer's filter over a loaded tree: at every keystroke of a scripted sequence (typing
// on, erasing, jumping to unrelated text, non-ASCII names, ids) the rows shown are exactly
// those whose name or id contains the text, with their ancestors — checked against a
// brute-force answer, because the filter reuses its previous answers to stay fast.

#include "ExplorerProxy.h"
#include "WorkspaceTreeModel.h"

#include <QAbstractItemModelTester>
#include <QSet>
#include <QTest>

using namespace pbi;
using namespace pbi::ui;

namespace {

std::vector<Workspace> sample()
{
    std::vector<Workspace> out;
    const QStringList names = {QStringLiteral("Sales [Prod]"), QStringLiteral("Finance [Dev]"),
                               QStringLiteral("Straße Ünïcode"), QStringLiteral("salesforce sync")};
    for (int w = 0; w < names.size(); ++w) {
        Workspace ws;
        ws.id = QStringLiteral("0000000%1-aaaa-4bbb-8ccc-00000000000%1").arg(w);
        ws.name = names[w];
        Report r;
        r.id = QStringLiteral("1111111%1-aaaa-4bbb-8ccc-00000000000%1").arg(w);
        r.name = w % 2 ? QStringLiteral("Budget Overview") : QStringLiteral("Pipeline FORECAST");
        ws.reports.push_back(r);
        Dataset d;
        d.id = QStringLiteral("2222222%1-aaaa-4bbb-8ccc-00000000000%1").arg(w);
        d.name = QStringLiteral("Model %1 Größe").arg(w);
        ws.datasets.push_back(d);
        Dashboard b;
        b.id = QStringLiteral("3333333%1-aaaa-4bbb-8ccc-00000000000%1").arg(w);
        b.displayName = QStringLiteral("KPIs");
        ws.dashboards.push_back(b);
        GroupUser u;
        u.identifier = QStringLiteral("megan%1@contoso.com").arg(w);
        u.displayName = QStringLiteral("Megan Bowen");
        u.groupUserAccessRight = QStringLiteral("Admin");
        u.principalType = QStringLiteral("User");
        ws.users.push_back(u);
        out.push_back(ws);
    }
    return out;
}

/// Every visible non-folder node, as "name|id", walking the proxy.
QSet<QString> shown(const QAbstractItemModel& m, const QModelIndex& parent = {})
{
    QSet<QString> out;
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, 0, parent);
        const auto kind = WorkspaceTreeModel::NodeKind(i.data(WorkspaceTreeModel::KindRole).toInt());
        if (kind != WorkspaceTreeModel::NodeKind::Folder)
            out.insert(i.data(Qt::DisplayRole).toString() + QLatin1Char('|') + i.data(WorkspaceTreeModel::IdRole).toString());
        out.unite(shown(m, i));
    }
    return out;
}

/// What should show: matching nodes and the workspaces above them (folders aside).
QSet<QString> expected(const QAbstractItemModel& source, const QString& text, const QModelIndex& parent = {},
                       bool* any = nullptr)
{
    QSet<QString> out;
    bool anyHere = false;
    for (int r = 0; r < source.rowCount(parent); ++r) {
        const QModelIndex i = source.index(r, 0, parent);
        const auto kind = WorkspaceTreeModel::NodeKind(i.data(WorkspaceTreeModel::KindRole).toInt());
        const QString name = i.data(Qt::DisplayRole).toString();
        const QString id = i.data(WorkspaceTreeModel::IdRole).toString();
        bool below = false;
        const QSet<QString> children = expected(source, text, i, &below);
        const bool self = kind != WorkspaceTreeModel::NodeKind::Folder &&
                          (text.isEmpty() || name.contains(text, Qt::CaseInsensitive) || id.contains(text, Qt::CaseInsensitive));
        if (self || below) {
            anyHere = true;
            if (kind != WorkspaceTreeModel::NodeKind::Folder)
                out.insert(name + QLatin1Char('|') + id);
            out.unite(children);
        }
    }
    if (any)
        *any = anyHere;
    return out;
}

} // namespace

class TestExplorerProxy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyKeystrokeShowsExactlyTheMatches()
    {
        WorkspaceTreeModel model;
        model.setWorkspaces(sample());
        ExplorerProxy proxy;
        proxy.setTreeModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QStringList script;
        QString text;
        const auto type = [&](const QString& s) {
            for (QChar c : s)
                script << (text += c);
        };
        const auto erase = [&](int n) {
            for (int i = 0; i < n && !text.isEmpty(); ++i) {
                text.chop(1);
                script << text;
            }
        };
        type(QStringLiteral("sales"));
        erase(2);
        type(QStringLiteral("esforce"));
        erase(100);
        type(QStringLiteral("STRASSE")); // no match: ß is not folded to ss
        erase(100);
        type(QStringLiteral("straße"));
        erase(3);
        type(QStringLiteral("GRÖSSE"));
        erase(100);
        type(QStringLiteral("größe"));
        script << QStringLiteral("forecast") << QStringLiteral("cast") << QStringLiteral("budget") << QStringLiteral("1111111")
               << QStringLiteral("-8ccc-000000000003") << QStringLiteral("megan") << QStringLiteral("megan2@") << QString();
        for (const QString& k : script) {
            proxy.setFilterText(k);
            QCOMPARE(shown(proxy), expected(model, k));
        }
        proxy.setFilterText(QStringLiteral("sales"));
        QCOMPARE(proxy.rowCount(), 2); // "Sales [Prod]" and "salesforce sync"
    }

    void newRowsAreMatchedToo()
    {
        WorkspaceTreeModel model;
        auto first = sample();
        first.resize(2);
        model.setWorkspaces(first);
        ExplorerProxy proxy;
        proxy.setTreeModel(&model);
        proxy.setFilterText(QStringLiteral("sync"));
        QCOMPARE(proxy.rowCount(), 0);
        model.setWorkspaces(sample()); // a reload brings new workspaces under the same text
        proxy.setFilterText(QStringLiteral("sync"));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(shown(proxy), expected(model, QStringLiteral("sync")));
    }

    void kindsCapacityAndFailedRefreshCombine()
    {
        auto workspaces = sample();
        // Two on one capacity (its id spelled in both cases, as the service does), one on
        // another, one on shared capacity.
        workspaces[0].capacityId = QStringLiteral("AAAA0000-0000-4000-8000-000000000001");
        workspaces[0].isOnDedicatedCapacity = true;
        workspaces[1].capacityId = QStringLiteral("aaaa0000-0000-4000-8000-000000000001");
        workspaces[1].isOnDedicatedCapacity = true;
        workspaces[2].capacityId = QStringLiteral("bbbb0000-0000-4000-8000-000000000002");
        workspaces[2].isOnDedicatedCapacity = true;
        WorkspaceTreeModel model;
        model.setWorkspaces(workspaces, true);
        ExplorerProxy proxy;
        proxy.setTreeModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto workspaceNames = [&] {
            QStringList out;
            for (int r = 0; r < proxy.rowCount(); ++r)
                out << proxy.index(r, 0).data().toString();
            out.sort();
            return out;
        };
        auto folders = [&](int row) {
            QStringList out;
            const QModelIndex ws = proxy.index(row, 0);
            for (int r = 0; r < proxy.rowCount(ws); ++r)
                out << proxy.index(r, 0, ws).data().toString().section(QLatin1Char(' '), 0, 0);
            return out;
        };

        // Several kinds at once: their folders only, in their fixed order.
        proxy.setKinds(ExplorerProxy::Reports | ExplorerProxy::Members);
        QCOMPARE(proxy.rowCount(), 4);
        QCOMPARE(folders(0), (QStringList{QStringLiteral("Reports"), QStringLiteral("Members")}));
        QVERIFY(proxy.describe().contains(QStringLiteral("reports, members")));

        proxy.setCapacity(QStringLiteral("aaaa0000-0000-4000-8000-000000000001"), QStringLiteral("P1"));
        QCOMPARE(workspaceNames(), (QStringList{QStringLiteral("Finance [Dev]"), QStringLiteral("Sales [Prod]")}));
        QVERIFY(proxy.describe().contains(QStringLiteral("capacity P1")));
        proxy.setCapacity(ExplorerProxy::sharedCapacity());
        QCOMPARE(workspaceNames(), (QStringList{QStringLiteral("salesforce sync")}));
        proxy.setCapacity({});
        proxy.setKinds(ExplorerProxy::AllKinds);
        QVERIFY(!proxy.isFiltering());

        // Failed refresh: only the models named, under their workspaces; nothing else.
        proxy.setFailedModels({workspaces[1].datasets[0].id.toUpper(), workspaces[3].datasets[0].id});
        QCOMPARE(proxy.rowCount(), 4); // the set alone filters nothing
        proxy.setFailedRefreshOnly(true);
        QCOMPARE(workspaceNames(), (QStringList{QStringLiteral("Finance [Dev]"), QStringLiteral("salesforce sync")}));
        QCOMPARE(shown(proxy).size(), 4); // two workspaces and their two models
        for (int r = 0; r < proxy.rowCount(); ++r)
            QCOMPARE(folders(r), QStringList{QStringLiteral("Semantic")});
        // With text: the failed models that match it.
        proxy.setFilterText(QStringLiteral("model 3"));
        QCOMPARE(workspaceNames(), QStringList{QStringLiteral("salesforce sync")});
        proxy.setFilterText({});
        // With a capacity: the failed models on it.
        proxy.setCapacity(QStringLiteral("AAAA0000-0000-4000-8000-000000000001"));
        QCOMPARE(workspaceNames(), QStringList{QStringLiteral("Finance [Dev]")});
        // A kind without models leaves nothing.
        proxy.setKinds(ExplorerProxy::Reports);
        QCOMPARE(proxy.rowCount(), 0);
        QVERIFY(proxy.describe().contains(QStringLiteral("last refresh failed")));
        proxy.clearFilters();
        QVERIFY(!proxy.failedRefreshOnly());
        QVERIFY(proxy.capacity().isEmpty());
        QCOMPARE(proxy.rowCount(), 4);
    }
};

QTEST_MAIN(TestExplorerProxy)
#include "tst_explorerproxy.moc"
