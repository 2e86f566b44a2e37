#include "DetailsPane.h"

#include <QTest>

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
    }
};

QTEST_MAIN(TestDetailsPane)
#include "tst_detailspane.moc"
