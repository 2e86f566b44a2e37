// The explorer's lazy tree against the sandbox over loopback, watched by
// QAbstractItemModelTester through load, reload, reset and failure.

#include "SandboxFixture.h"
#include "WireClient.h"

#include "ExplorerProxy.h"
#include "KindIcons.h"
#include "WorkspaceTreeModel.h"

#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"

#include <QAbstractItemModelTester>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

#include <cmath>

using namespace pbi;
using Model = pbi::ui::WorkspaceTreeModel;

class TestWorkspaceTreeModel : public QObject {
    Q_OBJECT

    std::unique_ptr<SandboxFixture> f;
    std::unique_ptr<ClientSecretCredential> cred;
    std::unique_ptr<PowerBiClient> client;
    std::unique_ptr<Model> model;
    std::unique_ptr<QAbstractItemModelTester> tester;

    std::vector<Workspace> workspaces()
    {
        std::optional<Result<std::vector<Workspace>>> r;
        client->listWorkspaces(this, [&](Result<std::vector<Workspace>> v) { r = std::move(v); });
        [[maybe_unused]] bool ok = QTest::qWaitFor([&] { return r.has_value(); }, 10000);
        return r && r->ok() ? r->value() : std::vector<Workspace>{};
    }
    QModelIndex workspaceNamed(const QString& name)
    {
        for (int i = 0; i < model->rowCount(); ++i)
            if (model->index(i, 0).data().toString() == name)
                return model->index(i, 0);
        return {};
    }
    /// What the service says directly, for comparison: the count of a workspace's list.
    int wireCount(const QString& groupId, const QString& what)
    {
        std::optional<Result<AccessToken>> token;
        cred->requestToken(this, [&](Result<AccessToken> t) { token = std::move(t); });
        [[maybe_unused]] bool ok = QTest::qWaitFor([&] { return token.has_value(); }, 10000);
        const WireReply r = wireSend("GET", f->url(QStringLiteral("/v1.0/myorg/groups/%1/%2").arg(groupId, what)),
                                     {qMakePair(QByteArray("Authorization"), "Bearer " + token->value().value.toUtf8())});
        return r.status == 200 ? int(r.json()["value"].size()) : -1;
    }

private Q_SLOTS:
    void init()
    {
        f = std::make_unique<SandboxFixture>();
        cred = std::make_unique<ClientSecretCredential>(&f->transport, &f->clock, f->cloud(), f->tenantId(), f->clientId(), f->clientSecret());
        client = std::make_unique<PowerBiClient>(&f->transport, cred.get(), f->cloud());
        model = std::make_unique<Model>();
        // No QAbstractItemModelTester here: it fetches every folder it can (as no view does),
        // which would hide the laziness these tests check. modelIsConsistentUnderTheTester has one.
        model->setClient(client.get());
        model->setWorkspaces(workspaces());
        QCOMPARE(model->rowCount(), 22);
    }
    void cleanup()
    {
        tester.reset();
        model.reset();
        client.reset();
        cred.reset();
        f.reset();
    }

    void workspacesHaveFiveFoldersBeforeAnyRequest()
    {
        const std::size_t before = f->log.entries().size();
        const QModelIndex ws = workspaceNamed(QStringLiteral("Sales [Prod]"));
        QVERIFY(ws.isValid());
        QVERIFY(model->hasChildren(ws));
        QCOMPARE(model->rowCount(ws), 5);
        const QStringList names{QStringLiteral("Reports"), QStringLiteral("Semantic models"), QStringLiteral("Dashboards"),
                                QStringLiteral("Dataflows"), QStringLiteral("Members")};
        for (int i = 0; i < 5; ++i) {
            const QModelIndex folder = model->index(i, 0, ws);
            QCOMPARE(folder.data().toString(), names[i]);
            QVERIFY(model->hasChildren(folder));
            QVERIFY(model->canFetchMore(folder));
        }
        QCOMPARE(f->log.entries().size(), before); // nothing was sent
    }

    void expandingLoadsEveryFolder()
    {
        const QModelIndex ws = workspaceNamed(QStringLiteral("Sales [Prod]"));
        const QString id = ws.data(Model::IdRole).toString();
        QSignalSpy loaded(model.get(), &Model::folderLoaded);
        model->loadWorkspace(ws);
        // Loading is a role on the folder, before any answer.
        QCOMPARE(Model::LoadState(model->index(0, 0, ws).data(Model::StateRole).toInt()), Model::LoadState::Loading);
        QVERIFY(model->index(0, 0, ws).data().toString().contains(QStringLiteral("loading")));
        QVERIFY(!model->canFetchMore(model->index(0, 0, ws)));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 5, 10000);
        for (const auto& args : loaded)
            QVERIFY(args.at(1).toBool());

        const char* lists[] = {"reports", "datasets", "dashboards", "dataflows", "users"};
        for (int i = 0; i < 5; ++i) {
            const QModelIndex folder = model->index(i, 0, ws);
            const int expected = wireCount(id, QLatin1String(lists[i]));
            QVERIFY(expected >= 0);
            QCOMPARE(model->rowCount(folder), expected);
            QVERIFY(folder.data().toString().endsWith(QStringLiteral("(%1)").arg(expected)));
        }
        QVERIFY2(model->rowCount(model->index(0, 0, ws)) > 0, "the demo's Prod workspaces have reports");
        const QModelIndex report = model->index(0, 0, model->index(0, 0, ws));
        QCOMPARE(Model::NodeKind(report.data(Model::KindRole).toInt()), Model::NodeKind::Report);
        QCOMPARE(report.data(Model::WorkspaceIdRole).toString(), id);
        QVERIFY(!model->hasChildren(report));
        QCOMPARE(model->parent(report), model->index(0, 0, ws));

        // Loading again sends nothing; reload sends again and ends with the same rows.
        const int reports = model->rowCount(model->index(0, 0, ws));
        loaded.clear();
        model->loadWorkspace(ws);
        QTest::qWait(100);
        QCOMPARE(loaded.count(), 0);
        model->reload(ws);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 5, 10000);
        QCOMPARE(model->rowCount(model->index(0, 0, ws)), reports);
    }

    void aFailureShowsOnItsNodeAndNowhereElse()
    {
        const QModelIndex ws = workspaceNamed(QStringLiteral("Finance [Prod]"));
        const QString id = ws.data(Model::IdRole).toString();
        const QByteArray rule = "{\"faults\":[{\"kind\":\"500\",\"path\":\"/groups/" + id.toUtf8() + "/reports$\"}]}";
        QCOMPARE(wireSend("POST", f->url(QStringLiteral("/sandbox/control/faults")),
                          {qMakePair(QByteArray("Content-Type"), QByteArray("application/json"))}, rule).status, 200);
        QSignalSpy loaded(model.get(), &Model::folderLoaded);
        model->loadWorkspace(ws);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 5, 30000);
        const QModelIndex reports = model->index(0, 0, ws);
        QCOMPARE(Model::LoadState(reports.data(Model::StateRole).toInt()), Model::LoadState::Failed);
        QVERIFY2(reports.data().toString().contains(QStringLiteral("InternalServerError")), qPrintable(reports.data().toString()));
        QVERIFY(reports.data(Model::ErrorRole).toString().contains(QStringLiteral("Request id")));
        QCOMPARE(model->rowCount(reports), 0);
        // The workspace carries the failure too, visible while collapsed.
        QVERIFY(ws.data(Model::ErrorRole).toString().contains(QStringLiteral("InternalServerError")));
        QVERIFY(ws.data(Qt::ForegroundRole).isValid());
        // Its other folders, and other workspaces, are fine.
        QCOMPARE(Model::LoadState(model->index(1, 0, ws).data(Model::StateRole).toInt()), Model::LoadState::Loaded);
        const QModelIndex other = workspaceNamed(QStringLiteral("Sales [Prod]"));
        loaded.clear();
        model->loadWorkspace(other);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 5, 10000);
        QVERIFY(other.data(Model::ErrorRole).toString().isEmpty());

        // Once the service recovers, a reload clears the error.
        QCOMPARE(wireSend("DELETE", f->url(QStringLiteral("/sandbox/control/faults"))).status, 200);
        loaded.clear();
        model->reload(reports);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
        QCOMPARE(Model::LoadState(reports.data(Model::StateRole).toInt()), Model::LoadState::Loaded);
        QVERIFY(ws.data(Model::ErrorRole).toString().isEmpty());
    }

    void answersForAReplacedTreeAreDropped()
    {
        QSignalSpy loaded(model.get(), &Model::folderLoaded);
        model->loadWorkspace(workspaceNamed(QStringLiteral("Sales [Prod]")));
        model->setWorkspaces(workspaces()); // the view is replaced before the answers arrive
        QTest::qWait(1000);
        QCOMPARE(loaded.count(), 0);
        const QModelIndex ws = workspaceNamed(QStringLiteral("Sales [Prod]"));
        QCOMPARE(Model::LoadState(model->index(0, 0, ws).data(Model::StateRole).toInt()), Model::LoadState::NotLoaded);
    }

    void expandedAdminWorkspacesNeedNoRequest()
    {
        Workspace w;
        w.id = QStringLiteral("a");
        w.name = QStringLiteral("Admin view");
        Report r1;
        r1.id = QStringLiteral("r1");
        r1.name = QStringLiteral("Zeta");
        Report r2;
        r2.id = QStringLiteral("r2");
        r2.name = QStringLiteral("alpha");
        w.reports = {r1, r2};
        GroupUser u;
        u.identifier = QStringLiteral("megan@contoso.com");
        u.principalType = QStringLiteral("User");
        u.groupUserAccessRight = QStringLiteral("Admin");
        w.users = {u};
        const std::size_t before = f->log.entries().size();
        model->setWorkspaces({w});
        const QModelIndex ws = model->index(0, 0);
        QCOMPARE(model->rowCount(model->index(0, 0, ws)), 2);
        QCOMPARE(model->index(0, 0, ws).data().toString(), QStringLiteral("Reports (2)"));
        QCOMPARE(model->index(4, 0, ws).data().toString(), QStringLiteral("Members (1)"));
        QCOMPARE(model->index(2, 0, ws).data().toString(), QStringLiteral("Dashboards (0)"));
        QVERIFY(!model->hasChildren(model->index(2, 0, ws)));
        QCOMPARE(model->index(0, Model::DetailColumn, model->index(4, 0, ws)).data().toString(), QStringLiteral("Admin"));
        QCOMPARE(f->log.entries().size(), before);
    }

    void modelIsConsistentUnderTheTester()
    {
        // The tester fetches everything it can: all 22 × 5 folders load, through its checks.
        QSignalSpy loaded(model.get(), &Model::folderLoaded);
        tester = std::make_unique<QAbstractItemModelTester>(model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 22 * 5, 30000);
        const QModelIndex ws = workspaceNamed(QStringLiteral("Sales [Prod]"));
        loaded.clear();
        model->reload(ws);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 5, 10000);
        model->setWorkspaces(workspaces());
        model->setClient(nullptr);
        QCOMPARE(model->rowCount(), 0);
    }

    void aWorkspaceTheIdentityCannotReadShowsTheRefusalOnItsNode()
    {
        // A workspace listed (by an admin call, or before the identity was removed from it:
        // USERS.md #11) that member calls refuse: the service's 401 lands on that node only.
        std::optional<Result<std::vector<Workspace>>> page;
        AdminGroupsQuery q;
        q.top = 1;
        q.filter = QStringLiteral("name eq 'Legal [Prod]'");
        client->adminWorkspacesPage(q, this,
                                    [&](Result<std::vector<Workspace>> r) { page = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(page.has_value(), 10000);
        QVERIFY(page->ok());
        QCOMPARE(int(page->value().size()), 1);
        // No tester here: it would fetch every folder (appendedAdminPagesAreLoadedAndConsistent
        // runs one through appends).
        model->appendWorkspaces(page->value());
        QCOMPARE(model->rowCount(), 23);
        const QModelIndex legal = workspaceNamed(QStringLiteral("Legal [Prod]"));
        QVERIFY(legal.isValid());
        // Not loaded yet: the admin page was read without $expand.
        QCOMPARE(Model::LoadState(model->index(0, 0, legal).data(Model::StateRole).toInt()),
                 Model::LoadState::NotLoaded);
        QSignalSpy loaded(model.get(), &Model::folderLoaded);
        model->loadWorkspace(legal);
        const QModelIndex sales = workspaceNamed(QStringLiteral("Sales [Prod]"));
        model->loadWorkspace(sales);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 10, 15000);
        for (int f = 0; f < 5; ++f) {
            const QModelIndex folder = model->index(f, 0, legal);
            QCOMPARE(Model::LoadState(folder.data(Model::StateRole).toInt()),
                     Model::LoadState::Failed);
            QVERIFY2(
                folder.data().toString().contains(QStringLiteral("PowerBINotAuthorizedException")),
                qPrintable(folder.data().toString()));
        }
        const auto error = model->errorAt(legal);
        QVERIFY(error.has_value());
        QCOMPARE(error->httpStatus, 401);
        QVERIFY2(legal.data(Model::ErrorRole).toString().contains(QStringLiteral("Request id")),
                 qPrintable(legal.data(Model::ErrorRole).toString()));
        // The rest stays usable.
        QCOMPARE(Model::LoadState(model->index(0, 0, sales).data(Model::StateRole).toInt()),
                 Model::LoadState::Loaded);
        QVERIFY(model->rowCount(model->index(0, 0, sales)) > 0);
        QVERIFY(sales.data(Model::ErrorRole).toString().isEmpty());
        QVERIFY(!model->isFullyLoaded());
    }

    void appendedAdminPagesAreLoadedAndConsistent()
    {
        QAbstractItemModelTester tester(model.get(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const std::size_t before = f->log.entries().size();
        model->setWorkspaces({}, true);
        Workspace a;
        a.id = QStringLiteral("a");
        a.name = QStringLiteral("With items");
        Dataset d;
        d.id = QStringLiteral("d1");
        d.name = QStringLiteral("Model");
        a.datasets = {d};
        Report r;
        r.id = QStringLiteral("r1");
        r.name = QStringLiteral("On the model");
        r.datasetId = QStringLiteral("d1");
        a.reports = {r};
        Workspace empty;
        empty.id = QStringLiteral("b");
        empty.name = QStringLiteral("Deleted, nothing left");
        empty.state = QStringLiteral("Deleted");
        model->appendWorkspaces({a}, true);
        model->appendWorkspaces({empty}, true);
        model->appendWorkspaces({}, true);
        QCOMPARE(model->rowCount(), 2);
        const QModelIndex b = model->index(1, 0);
        QCOMPARE(b.data().toString(), QStringLiteral("Deleted, nothing left"));
        // Read with every list expanded: empty and loaded, nothing to fetch.
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(Model::LoadState(model->index(i, 0, b).data(Model::StateRole).toInt()),
                     Model::LoadState::Loaded);
            QVERIFY(!model->canFetchMore(model->index(i, 0, b)));
        }
        QVERIFY(model->isFullyLoaded());
        // Look-ups for the details pane and the snapshot.
        QCOMPARE(
            model->findItem(Model::NodeKind::SemanticModel, QStringLiteral("d1")).data().toString(),
            QStringLiteral("Model"));
        QCOMPARE(model->reportsOfModel(QStringLiteral("d1")).size(), 1);
        QVERIFY(!model->findItem(Model::NodeKind::Report, QStringLiteral("nope")).isValid());
        const auto back = model->workspacesWithItems();
        QCOMPARE(int(back.size()), 2);
        QCOMPARE(int(back[0].reports.size()), 1);
        QCOMPARE(int(back[0].datasets.size()), 1);
        QCOMPARE(back[1].state.value_or(QString()), QStringLiteral("Deleted"));
        // Facts for the filter, straight from the node.
        const auto facts = model->factsAt(0, model->index(0, 0, model->index(0, 0)));
        QCOMPARE(facts.kind, Model::NodeKind::Report);
        QVERIFY(facts.workspace && facts.workspace->id == QStringLiteral("a"));
        QVERIFY(!model->factsAt(5, {}).workspace);
        QCOMPARE(f->log.entries().size(), before);
    }

    void aReplacedWorkspaceIsFilteredByItsNewName()
    {
        Workspace w;
        w.id = QStringLiteral("w1");
        w.name = QStringLiteral("Old name");
        Report r;
        r.id = QStringLiteral("r1");
        r.name = QStringLiteral("Report");
        w.reports = {r};
        Workspace other;
        other.id = QStringLiteral("w2");
        other.name = QStringLiteral("Other");
        model->setWorkspaces({w, other}, true);
        pbi::ui::ExplorerProxy proxy;
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setTreeModel(model.get());
        proxy.setFilterText(QStringLiteral("ol"));
        QCOMPARE(proxy.rowCount(), 1);
        // Read again under another name (admin reload): the filter sees the new name at once,
        // and as the text narrows.
        Workspace renamed = w;
        renamed.name = QStringLiteral("Treasury");
        QVERIFY(model->replaceWorkspace(QStringLiteral("w1"), renamed));
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setFilterText(QStringLiteral("old"));
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setFilterText(QStringLiteral("treas"));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("Treasury"));
        QVERIFY(!model->replaceWorkspace(QStringLiteral("nope"), renamed));
    }

    void kindIconsReadOnLightAndDarkPalettes()
    {
        using K = Model::NodeKind;
        auto luminance = [](const QColor& c) {
            auto lin = [](double v) {
                return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
            };
            return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
        };
        auto contrast = [&](const QColor& a, const QColor& b) {
            const double la = luminance(a), lb = luminance(b);
            return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
        };
        QList<QImage> seen;
        for (K k :
             {K::Workspace, K::Report, K::SemanticModel, K::Dashboard, K::Dataflow, K::Member}) {
            const QColor c = pbi::ui::kindColor(k);
            // WCAG's 3:1 for graphics, against a light and a dark view alike.
            QVERIFY2(contrast(c, QColor(Qt::white)) >= 3.0, qPrintable(nodeKindName(k)));
            QVERIFY2(contrast(c, QColor(0x1e, 0x1e, 0x1e)) >= 3.0, qPrintable(nodeKindName(k)));
            const QIcon icon = pbi::ui::kindIcon(k);
            QVERIFY(!icon.isNull());
            const QImage image = icon.pixmap(32, 32).toImage();
            QVERIFY(!seen.contains(image)); // one look per kind
            seen << image;
        }
        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty()) {
            // The icons at 16 and 32 px on a light and a dark view, for a person to judge.
            QImage sheet(2 * 6 * 44 + 8, 52, QImage::Format_ARGB32);
            QPainter p(&sheet);
            p.fillRect(0, 0, sheet.width() / 2, sheet.height(), QColor(Qt::white));
            p.fillRect(sheet.width() / 2, 0, sheet.width() - sheet.width() / 2, sheet.height(),
                       QColor(0x1e, 0x1e, 0x1e));
            int x = 6;
            for (int half = 0; half < 2; ++half) {
                for (K k : {K::Workspace, K::Report, K::SemanticModel, K::Dashboard, K::Dataflow,
                            K::Member}) {
                    p.drawPixmap(x, 4, pbi::ui::kindIcon(k).pixmap(16, 16));
                    p.drawPixmap(x, 16, pbi::ui::kindIcon(k).pixmap(32, 32));
                    x += 44;
                }
                x += 8;
            }
            p.end();
            sheet.save(dir + QStringLiteral("/kind-icons.png"));
        }
        // The tree shows them.
        const QModelIndex ws = model->index(0, 0);
        QCOMPARE(qvariant_cast<QIcon>(ws.data(Qt::DecorationRole)).cacheKey(),
                 pbi::ui::kindIcon(K::Workspace).cacheKey());
    }

    void filterKeepsTheAncestorsOfAMatch()
    {
        const QModelIndex ws = workspaceNamed(QStringLiteral("Sales [Prod]"));
        QSignalSpy loaded(model.get(), &Model::folderLoaded);
        model->loadWorkspace(ws);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 5, 10000);
        const QString reportName = model->index(0, 0, model->index(0, 0, ws)).data().toString();
        QSortFilterProxyModel proxy;
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(model.get());
        proxy.setRecursiveFilteringEnabled(true);
        proxy.setFilterRole(Model::SearchTextRole);
        proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
        proxy.setFilterFixedString(reportName);
        QVERIFY(proxy.rowCount() >= 1);
        bool found = false;
        for (int i = 0; i < proxy.rowCount(); ++i) {
            const QModelIndex pws = proxy.index(i, 0);
            if (pws.data().toString() != QStringLiteral("Sales [Prod]"))
                continue;
            const QModelIndex folder = proxy.index(0, 0, pws);
            QVERIFY(folder.data().toString().startsWith(QStringLiteral("Reports")));
            found = proxy.index(0, 0, folder).data().toString() == reportName;
        }
        QVERIFY(found);
    }
};

QTEST_MAIN(TestWorkspaceTreeModel)
#include "tst_workspacetreemodel.moc"
