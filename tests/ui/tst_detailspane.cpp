// The details pane: properties, related items, a semantic model's data sources and parameters
// read from the sandbox on selection (member and admin scope, a refusal, stale answers), and the
// item's JSON as the service sent it — driven through the main window's real widgets.

#include "DetailsPane.h"
#include "ExplorerProxy.h"
#include "ExplorerRig.h"

#include "Faults.h"
#include "Tenant.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QTreeWidget>

using namespace pbi;
using pbi::ui::DetailsPane;
using Model = pbi::ui::WorkspaceTreeModel;

namespace {

/// The demo tenant's model `name` in workspace `workspace`: what the service holds for it.
const pbi::sandbox::Dataset* demoModel(const pbi::sandbox::Tenant& tenant, const QString& workspace,
                                       const QString& name)
{
    for (const auto& w : tenant.workspaces)
        if (QString::fromStdString(w.name) == workspace)
            for (const auto& d : w.datasets)
                if (QString::fromStdString(d.name) == name)
                    return &d;
    return nullptr;
}

/// Expands `workspace` in the window's tree, waits for its models, and returns the view's
/// index of the models folder.
QModelIndex modelsOf(ExplorerRig& rig, const QString& workspace)
{
    QTreeView* tree = rig.window->tree();
    const QModelIndex ws = rig.workspaceRow(workspace);
    if (!ws.isValid())
        return {};
    tree->expand(ws);
    const QModelIndex folder = tree->model()->index(int(Model::FolderKind::SemanticModels), 0, ws);
    auto state = [&] { return Model::LoadState(folder.data(Model::StateRole).toInt()); };
    if (!QTest::qWaitFor([&] { return state() != Model::LoadState::Loading && state() != Model::LoadState::NotLoaded; },
                         10000))
        return {};
    tree->expand(folder);
    return folder;
}

/// Makes the row the tree's current item the way a user does: the keyboard on the tree.
void select(QTreeView* tree, const QModelIndex& index)
{
    tree->setFocus();
    tree->setCurrentIndex(index);
}

int calls(const SandboxFixture& f, const QString& pathEnd)
{
    int n = 0;
    for (const auto& e : f.log.entries())
        if (e.url.path().endsWith(pathEnd))
            ++n;
    return n;
}

} // namespace

class TestDetailsPane : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void propertiesLeaveOutWhatTheServiceOmitted()
    {
        Dataset d;
        d.id = QStringLiteral("cfafbeb1-8037-4d0c-896e-a46fb27ff229");
        d.name = QStringLiteral("SalesMarketing");
        d.configuredBy = QStringLiteral("john@contoso.com");
        d.isRefreshable = true;
        d.isEffectiveIdentityRequired = true;
        const auto rows = pbi::ui::propertiesOf(d);
        QStringList labels;
        for (const auto& [label, value] : rows)
            labels << label;
        QVERIFY(labels.contains(QStringLiteral("Configured by")));
        QVERIFY(!labels.contains(QStringLiteral("Description")));
        QVERIFY(!labels.contains(QStringLiteral("Web URL")));
        QVERIFY(rows.contains(qMakePair(QStringLiteral("Row-level security"), QStringLiteral("yes"))));
    }

    void everyKindHasItsIdentity()
    {
        Report r;
        r.id = QStringLiteral("r");
        r.name = QStringLiteral("Sales");
        r.webUrl = QStringLiteral("https://app.powerbi.com/groups/g/reports/r");
        GroupUser u;
        u.identifier = QStringLiteral("megan@contoso.com");
        u.principalType = QStringLiteral("User");
        u.groupUserAccessRight = QStringLiteral("Viewer");
        Dashboard b;
        b.id = QStringLiteral("b");
        b.displayName = QStringLiteral("Board");
        Dataflow f;
        f.id = QStringLiteral("f");
        f.name = QStringLiteral("Flow");
        Workspace w;
        w.id = QStringLiteral("w");
        w.name = QStringLiteral("WS");
        for (const pbi::ui::WorkspaceTreeModel::Payload& p :
             {pbi::ui::WorkspaceTreeModel::Payload(r), pbi::ui::WorkspaceTreeModel::Payload(u),
              pbi::ui::WorkspaceTreeModel::Payload(b), pbi::ui::WorkspaceTreeModel::Payload(f),
              pbi::ui::WorkspaceTreeModel::Payload(w)}) {
            const auto rows = pbi::ui::propertiesOf(p);
            QVERIFY(rows.size() >= 2);
        }
        QVERIFY(pbi::ui::propertiesOf(u).contains(qMakePair(QStringLiteral("Workspace role"), QStringLiteral("Viewer"))));
        QVERIFY(pbi::ui::propertiesOf(r).contains(qMakePair(QStringLiteral("Web URL"), *r.webUrl)));
    }

    void emptyPane()
    {
        DetailsPane pane;
        pane.showItem(nullptr, {});
        QVERIFY(pane.properties().isEmpty());
        QVERIFY(pane.related().isEmpty());
    }

    void relatedItemsFromLoadedNodes()
    {
        using Model = pbi::ui::WorkspaceTreeModel;
        // Two workspaces as an admin inventory brings them: a model with reports in its own
        // workspace and in another, a dataflow it reads, and members.
        Workspace a;
        a.id = QStringLiteral("wa");
        a.name = QStringLiteral("Shared Models");
        Dataset model;
        model.id = QStringLiteral("m1");
        model.name = QStringLiteral("Enterprise Sales");
        model.upstreamDataflows = {{QStringLiteral("f1"), QStringLiteral("wa")},
                                   {QStringLiteral("f-gone"), QStringLiteral("wz")}};
        a.datasets = {model};
        Dataflow flow;
        flow.id = QStringLiteral("f1");
        flow.name = QStringLiteral("Customer Master");
        a.dataflows = {flow};
        Report local;
        local.id = QStringLiteral("r1");
        local.name = QStringLiteral("Sales Overview");
        local.datasetId = QStringLiteral("m1");
        a.reports = {local};
        GroupUser admin;
        admin.identifier = QStringLiteral("admin@contoso.com");
        admin.displayName = QStringLiteral("Alex Admin");
        admin.principalType = QStringLiteral("User");
        admin.groupUserAccessRight = QStringLiteral("Admin");
        a.users = {admin};
        Workspace b;
        b.id = QStringLiteral("wb");
        b.name = QStringLiteral("Executive");
        Report remote;
        remote.id = QStringLiteral("r2");
        remote.name = QStringLiteral("Board Pack");
        remote.datasetId = QStringLiteral("m1");
        Report orphan;
        orphan.id = QStringLiteral("r3");
        orphan.name = QStringLiteral("Elsewhere");
        orphan.datasetId = QStringLiteral("m-not-here");
        b.reports = {remote, orphan};
        Model tree;
        tree.setWorkspaces({a, b}, true);
        const QModelIndex wa = tree.index(0, 0), wb = tree.index(1, 0);
        auto item = [&](const QModelIndex& ws, Model::FolderKind f, int row) {
            return tree.index(row, 0, tree.index(int(f), 0, ws));
        };
        DetailsPane pane;

        pane.showItem(&tree, item(wa, Model::FolderKind::SemanticModels, 0));
        auto related = pane.related();
        QVERIFY(related.contains(
            qMakePair(QStringLiteral("Sales Overview"), QStringLiteral("report on this model"))));
        QVERIFY(related.contains(qMakePair(QStringLiteral("Board Pack"),
                                           QStringLiteral("report on this model, in Executive"))));
        QVERIFY(related.contains(
            qMakePair(QStringLiteral("Customer Master"), QStringLiteral("dataflow it reads"))));
        QVERIFY(related.contains(
            qMakePair(QStringLiteral("f-gone"), QStringLiteral("dataflow it reads (not loaded)"))));
        QCOMPARE(related.size(), 4);

        pane.showItem(&tree, item(wb, Model::FolderKind::Reports, 0));
        QCOMPARE(pane.related(), (QList<QPair<QString, QString>>{
                                     {QStringLiteral("Enterprise Sales"),
                                      QStringLiteral("its semantic model, in Shared Models")}}));
        pane.showItem(&tree, item(wb, Model::FolderKind::Reports, 1));
        QCOMPARE(pane.related().size(), 1);
        QVERIFY(pane.related()[0].second.contains(QStringLiteral("not loaded")));

        pane.showItem(&tree, item(wa, Model::FolderKind::Dataflows, 0));
        QCOMPARE(pane.related(),
                 (QList<QPair<QString, QString>>{{QStringLiteral("Enterprise Sales"),
                                                  QStringLiteral("semantic model reading it")}}));

        pane.showItem(&tree, wa);
        QCOMPARE(pane.related(),
                 (QList<QPair<QString, QString>>{
                     {QStringLiteral("Alex Admin"), QStringLiteral("Admin (User)")}}));
        pane.showItem(&tree, wb); // loaded, nobody in it
        QVERIFY(pane.related().isEmpty());
        QVERIFY(pane.findChild<QTreeWidget*>(QStringLiteral("relatedItems"))->isHidden());

        // Activating a related item names it by the model's index.
        pane.showItem(&tree, item(wb, Model::FolderKind::Reports, 0));
        QSignalSpy activated(&pane, &DetailsPane::relatedActivated);
        auto* list = pane.findChild<QTreeWidget*>(QStringLiteral("relatedItems"));
        Q_EMIT list->itemActivated(list->topLevelItem(0), 0);
        QCOMPARE(activated.count(), 1);
        const QModelIndex target = activated.at(0).at(0).value<QModelIndex>();
        QCOMPARE(target.data(Model::IdRole).toString(), QStringLiteral("m1"));
    }

    void dataSourcesAndParametersOfAModel()
    {
        ExplorerRig rig(false);
        QVERIFY(rig.load());
        DetailsPane* pane = rig.window->detailsPane();
        pane->setLoadDelay(0);
        QTreeView* tree = rig.window->tree();
        const QModelIndex folder = modelsOf(rig, QStringLiteral("Sales [Dev]"));
        QVERIFY(folder.isValid());
        QVERIFY(tree->model()->rowCount(folder) > 0);
        const QModelIndex item = tree->model()->index(0, 0, folder);
        const auto tenant = pbi::sandbox::makeDemoTenant();
        const auto* expected = demoModel(tenant, QStringLiteral("Sales [Dev]"), item.data().toString());
        QVERIFY(expected);
        QVERIFY(!expected->datasources.empty());

        QSignalSpy loaded(pane, &DetailsPane::extrasLoaded);
        select(tree, item);
        QTRY_COMPARE_WITH_TIMEOUT(pane->datasourcesState(), DetailsPane::LoadState::Loaded, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(pane->parametersState(), DetailsPane::LoadState::Loaded, 10000);
        const auto sources = pane->datasources();
        QCOMPARE(sources.size(), qsizetype(expected->datasources.size()));
        const auto& first = expected->datasources.front();
        QCOMPARE(sources[0][0], QString::fromStdString(first.datasourceType));
        for (const auto& [key, value] : first.connectionDetails) {
            const QString v = QString::fromStdString(value);
            if (key == "database")
                QCOMPARE(sources[0][2], v);
            else if (key == "server" || key == "url" || key == "path")
                QCOMPARE(sources[0][1], v);
        }
        QCOMPARE(sources[0][3], QString::fromStdString(first.gatewayId));
        const auto parameters = pane->parameters();
        QCOMPARE(parameters.size(), qsizetype(expected->parameters.size()));
        QCOMPARE(parameters[0],
                 (QStringList{QStringLiteral("Environment"), QStringLiteral("Text"),
                              QStringLiteral("Dev"), QStringLiteral("yes"),
                              QStringLiteral("Dev, Test, Prod")}));
        auto* tabs = pane->findChild<QTabWidget*>(QStringLiteral("detailsTabs"));
        QCOMPARE(tabs->tabText(1), QStringLiteral("Data sources (%1)").arg(sources.size()));
        QCOMPARE(tabs->tabText(2), QStringLiteral("Parameters (%1)").arg(parameters.size()));
        QVERIFY(tabs->isTabEnabled(1) && tabs->isTabEnabled(2));
        QCOMPARE(calls(rig.f, QStringLiteral("/datasources")), 1);
        QCOMPARE(calls(rig.f, QStringLiteral("/parameters")), 1);

        // Shown again (a folder of the workspace reloads, the window re-shows the item): what
        // was read stays and nothing is sent again.
        QSignalSpy folderDone(rig.window->workspaceModel(), &Model::folderLoaded);
        rig.window->workspaceModel()->reload(
            rig.window->explorerProxy()->mapToSource(tree->model()->index(0, 0, rig.workspaceRow(QStringLiteral("Sales [Dev]")))));
        QVERIFY(folderDone.wait(10000));
        QCOMPARE(pane->datasources(), sources);
        QCOMPARE(calls(rig.f, QStringLiteral("/datasources")), 1);

        // The tables copy as tab-separated rows, header first.
        tabs->setCurrentIndex(1);
        auto* copy = pane->findChild<QPushButton*>(QStringLiteral("copyDatasources"));
        QTest::mouseClick(copy, Qt::LeftButton);
        const QStringList lines = QApplication::clipboard()->text().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), sources.size() + 1);
        QVERIFY(lines[0].startsWith(QStringLiteral("Type\t")));
        QCOMPARE(lines[1], sources[0].join(QLatin1Char('\t')));

        // A report has neither: its tabs are off and nothing is read.
        const QModelIndex reports = tree->model()->index(int(Model::FolderKind::Reports), 0,
                                                         rig.workspaceRow(QStringLiteral("Sales [Dev]")));
        tree->expand(reports);
        QTRY_VERIFY(tree->model()->rowCount(reports) > 0);
        select(tree, tree->model()->index(0, 0, reports));
        QCOMPARE(pane->datasourcesState(), DetailsPane::LoadState::None);
        QVERIFY(!tabs->isTabEnabled(1) && !tabs->isTabEnabled(2));
        QVERIFY(pane->datasources().isEmpty());
        QCOMPARE(calls(rig.f, QStringLiteral("/datasources")), 1);
        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty()) {
            select(tree, item);
            QTRY_COMPARE(pane->datasourcesState(), DetailsPane::LoadState::Loaded);
            tabs->setCurrentIndex(1);
            QTest::qWait(100);
            pane->grab().save(dir + QStringLiteral("/details-datasources.png"));
            tabs->setCurrentIndex(2);
            QTest::qWait(50);
            pane->grab().save(dir + QStringLiteral("/details-parameters.png"));
            tabs->setCurrentIndex(3);
            QTest::qWait(50);
            pane->grab().save(dir + QStringLiteral("/details-json.png"));
            rig.window->grab().save(dir + QStringLiteral("/details-window.png"));
        }
    }

    void refusedDataSourcesSayWhyAndTheRestStaysUsable()
    {
        // The console's app is a Viewer in Finance [Prod]: the service wants write permission
        // on a model to list its data sources, but lets a Viewer read the parameters.
        ExplorerRig rig(false);
        QVERIFY(rig.load());
        DetailsPane* pane = rig.window->detailsPane();
        pane->setLoadDelay(0);
        QTreeView* tree = rig.window->tree();
        const QModelIndex folder = modelsOf(rig, QStringLiteral("Finance [Prod]"));
        QVERIFY(folder.isValid() && tree->model()->rowCount(folder) > 0);
        select(tree, tree->model()->index(0, 0, folder));
        QTRY_COMPARE_WITH_TIMEOUT(pane->datasourcesState(), DetailsPane::LoadState::Failed, 10000);
        QVERIFY2(pane->datasourcesStatus().contains(QStringLiteral("PowerBINotAuthorizedException")),
                 qPrintable(pane->datasourcesStatus()));
        QVERIFY(pane->datasourcesStatus().contains(QStringLiteral("Request id: ")));
        auto* status = pane->findChild<QLabel*>(QStringLiteral("datasourcesStatus"));
        auto* tabs = pane->findChild<QTabWidget*>(QStringLiteral("detailsTabs"));
        tabs->setCurrentIndex(1);
        QVERIFY(status->isVisible());
        QVERIFY(!tabs->tabIcon(1).isNull());
        QVERIFY(pane->datasources().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(pane->parametersState(), DetailsPane::LoadState::Loaded, 10000);
        QVERIFY(!pane->parameters().isEmpty());
        // The properties are there, and the next model reads its own.
        QVERIFY(!pane->properties().isEmpty());
        const QModelIndex dev = modelsOf(rig, QStringLiteral("Sales [Dev]"));
        select(tree, tree->model()->index(0, 0, dev));
        QTRY_COMPARE_WITH_TIMEOUT(pane->datasourcesState(), DetailsPane::LoadState::Loaded, 10000);
        QVERIFY(!pane->datasources().isEmpty());
        QVERIFY(status->isHidden());
        QVERIFY(tabs->tabIcon(1).isNull());
        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty()) {
            select(tree, tree->model()->index(0, 0, folder));
            QTRY_COMPARE(pane->datasourcesState(), DetailsPane::LoadState::Failed);
            QTest::qWait(100);
            pane->grab().save(dir + QStringLiteral("/details-datasources-refused.png"));
        }
    }

    void anAnswerForAnEarlierSelectionIsDropped()
    {
        ExplorerRig rig(false);
        QVERIFY(rig.load());
        DetailsPane* pane = rig.window->detailsPane();
        pane->setLoadDelay(0);
        QTreeView* tree = rig.window->tree();
        const QModelIndex test = modelsOf(rig, QStringLiteral("Sales [Test]"));
        const QModelIndex dev = modelsOf(rig, QStringLiteral("Sales [Dev]"));
        QVERIFY(test.isValid() && dev.isValid());
        // The first model's data sources come slowly; the user has moved on by then.
        const QModelIndex first = tree->model()->index(0, 0, test);
        pbi::sandbox::LatencyRule slow;
        slow.path = "/datasets/" + first.data(Model::IdRole).toString().toStdString() + "/datasources$";
        slow.fixedMs = 600;
        rig.f.sandbox().faults().addLatency(slow);
        select(tree, first);
        QCOMPARE(pane->datasourcesState(), DetailsPane::LoadState::Loading);
        QVERIFY(pane->datasourcesStatus().contains(QStringLiteral("Reading")));
        const QModelIndex second = tree->model()->index(0, 0, dev);
        select(tree, second);
        QTRY_COMPARE_WITH_TIMEOUT(pane->datasourcesState(), DetailsPane::LoadState::Loaded, 10000);
        const auto tenant = pbi::sandbox::makeDemoTenant();
        const auto* expected = demoModel(tenant, QStringLiteral("Sales [Dev]"), second.data().toString());
        QVERIFY(expected);
        const auto shown = pane->datasources();
        QTest::qWait(900); // the slow answer would have arrived by now
        QCOMPARE(pane->datasources(), shown);
        QCOMPARE(pane->datasources().size(), qsizetype(expected->datasources.size()));
        QVERIFY(pane->findChild<QLabel*>(QStringLiteral("detailsTitle"))
                    ->text()
                    .contains(second.data().toString()));
    }

    void keyboardMovesCostOnlyTheItemStoppedOn()
    {
        ExplorerRig rig(false);
        QVERIFY(rig.load());
        DetailsPane* pane = rig.window->detailsPane();
        pane->setLoadDelay(200);
        QTreeView* tree = rig.window->tree();
        const QModelIndex folder = modelsOf(rig, QStringLiteral("Sales [Dev]"));
        QVERIFY(tree->model()->rowCount(folder) >= 2);
        select(tree, tree->model()->index(0, 0, folder));
        QTest::keyClick(tree, Qt::Key_Down);
        QTest::keyClick(tree, Qt::Key_Up);
        QTest::keyClick(tree, Qt::Key_Down);
        QTRY_COMPARE_WITH_TIMEOUT(pane->datasourcesState(), DetailsPane::LoadState::Loaded, 10000);
        QCOMPARE(calls(rig.f, QStringLiteral("/datasources")), 1);
    }

    void adminScopeReadsDataSourcesOfAnyModel()
    {
        // HR Analytics [Prod]: the console's app is not a member, the admin APIs still answer.
        ExplorerRig rig(true);
        QVERIFY(rig.load());
        DetailsPane* pane = rig.window->detailsPane();
        pane->setLoadDelay(0);
        QTreeView* tree = rig.window->tree();
        const QModelIndex folder = modelsOf(rig, QStringLiteral("HR Analytics [Prod]"));
        QVERIFY(folder.isValid() && tree->model()->rowCount(folder) > 0);
        const QModelIndex item = tree->model()->index(0, 0, folder);
        select(tree, item);
        QTRY_COMPARE_WITH_TIMEOUT(pane->datasourcesState(), DetailsPane::LoadState::Loaded, 10000);
        const auto tenant = pbi::sandbox::makeDemoTenant();
        const auto* expected = demoModel(tenant, QStringLiteral("HR Analytics [Prod]"), item.data().toString());
        QVERIFY(expected);
        QCOMPARE(pane->datasources().size(), qsizetype(expected->datasources.size()));
        QCOMPARE(calls(rig.f, QStringLiteral("/admin/datasets/") + item.data(Model::IdRole).toString() +
                                   QStringLiteral("/datasources")),
                 1);
        // No admin call lists parameters: the pane says where to read them instead of failing.
        QCOMPARE(pane->parametersState(), DetailsPane::LoadState::Unavailable);
        QVERIFY(pane->parametersStatus().contains(QStringLiteral("Load my workspaces")));
        QCOMPARE(calls(rig.f, QStringLiteral("/parameters")), 0);
    }

    void jsonAsTheServiceSentIt()
    {
        ExplorerRig rig(false);
        QVERIFY(rig.load());
        DetailsPane* pane = rig.window->detailsPane();
        QTreeView* tree = rig.window->tree();
        const QModelIndex ws = rig.workspaceRow(QStringLiteral("Sales [Dev]"));
        select(tree, ws);
        const QString wsJson = pane->json();
        QVERIFY2(wsJson.contains(QStringLiteral("\"id\": \"") + ws.data(Model::IdRole).toString() +
                                 QLatin1Char('"')),
                 qPrintable(wsJson));
        QVERIFY(wsJson.contains(QStringLiteral("\"isOnDedicatedCapacity\"")));
        const QModelIndex folder = modelsOf(rig, QStringLiteral("Sales [Dev]"));
        const QModelIndex item = tree->model()->index(0, 0, folder);
        select(tree, item);
        const QString json = pane->json();
        // Indented, every field the service sent, including ones the console has no column for.
        QVERIFY(json.startsWith(QStringLiteral("{\n  \"")));
        QVERIFY(json.contains(QStringLiteral("\"id\": \"") + item.data(Model::IdRole).toString()));
        QVERIFY(json.contains(QStringLiteral("\"webUrl\": \"")));
        QVERIFY(json.contains(QStringLiteral("\"ContentProviderType\"")));
        auto* view = pane->findChild<QPlainTextEdit*>(QStringLiteral("rawJson"));
        QVERIFY(view->isReadOnly());
        QVERIFY(view->font().fixedPitch() || QFontInfo(view->font()).fixedPitch());
        QTest::mouseClick(pane->findChild<QPushButton*>(QStringLiteral("copyJson")), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), json);
        // A folder has none.
        select(tree, folder);
        QVERIFY(pane->json().isEmpty());
        QVERIFY(!pane->findChild<QPushButton*>(QStringLiteral("copyJson"))->isEnabled());
    }

    void adminWorkspaceJsonLeavesOutTheExpandedLists()
    {
        ExplorerRig rig(true);
        QVERIFY(rig.load());
        DetailsPane* pane = rig.window->detailsPane();
        QTreeView* tree = rig.window->tree();
        select(tree, rig.workspaceRow(QStringLiteral("HR Analytics [Prod]")));
        const QString json = pane->json();
        QVERIFY(json.contains(QStringLiteral("\"type\": \"Workspace\"")));
        QVERIFY(!json.contains(QStringLiteral("\"reports\"")));
        QVERIFY(!json.contains(QStringLiteral("\"users\"")));
        QVERIFY(pane->findChild<QLabel*>(QStringLiteral("jsonNote"))->text().contains(QStringLiteral("without")));
    }
};

QTEST_MAIN(TestDetailsPane)
#include "tst_detailspane.moc"
