#include "DetailsPane.h"

#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

using namespace pbi;
using pbi::ui::DetailsPane;

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
};

QTEST_MAIN(TestDetailsPane)
#include "tst_detailspane.moc"
