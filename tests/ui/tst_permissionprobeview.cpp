// The permission probe view driven through its widgets against the sandbox: each call grouped
// by area, the first refusal selected with its code, request id and likely fix, the admin APIs
// left out on request, cancel, and the report a user copies into a ticket.

#include "RefreshTestRig.h"

#include "PermissionProbeView.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTextBrowser>
#include <QTreeWidget>

using pbi::ui::PermissionProbeView;

namespace {

QTreeWidgetItem* findCheck(QTreeWidget* tree, const QString& call)
{
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem* area = tree->topLevelItem(i);
        for (int j = 0; j < area->childCount(); ++j)
            if (area->child(j)->text(2) == call)
                return area->child(j);
    }
    return nullptr;
}

QStringList areas(QTreeWidget* tree)
{
    QStringList out;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        out << tree->topLevelItem(i)->text(0);
    return out;
}

} // namespace

class TestPermissionProbeView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void withoutAConnectionNothingRuns()
    {
        PermissionProbeView view;
        view.show();
        QVERIFY(!view.runButton()->isEnabled());
        QVERIFY(!view.cancelButton()->isEnabled());
        QVERIFY(!view.copyButton()->isEnabled());
        QVERIFY(view.findChild<QLabel*>(QStringLiteral("probeHeading"))->text().contains(QStringLiteral("Connect")));
        view.run(); // harmless
        QCOMPARE(view.tree()->topLevelItemCount(), 0);
    }

    void refusalsAreShownWithTheirFix()
    {
        RefreshRig rig;
        PermissionProbeView view;
        view.resize(900, 640);
        view.setClient(&rig.client, QStringLiteral("Sandbox tenant"));
        view.show();
        QVERIFY(view.runButton()->isEnabled());
        QSignalSpy status(&view, &PermissionProbeView::statusMessage);
        QTest::mouseClick(view.runButton(), Qt::LeftButton);
        QVERIFY(view.isRunning());
        QVERIFY(!view.runButton()->isEnabled());
        QVERIFY(view.cancelButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 60000);
        QVERIFY(view.runButton()->isEnabled());
        QVERIFY(!view.cancelButton()->isEnabled());

        // Areas as top-level rows; the admin APIs are among them for a tenant admin principal.
        const QStringList a = areas(view.tree());
        QVERIFY2(a.size() >= 4, qPrintable(a.join(QLatin1Char('|'))));
        QVERIFY2(a.filter(QStringLiteral("Admin APIs")).size() == 1, qPrintable(a.join(QLatin1Char('|'))));

        // Apps are closed to service principals: refused, with the service's words and a fix.
        QTreeWidgetItem* apps = findCheck(view.tree(), QStringLiteral("GET /apps"));
        QVERIFY(apps);
        QVERIFY2(apps->text(1).contains(QStringLiteral("Refused (401)")), qPrintable(apps->text(1)));
        QVERIFY(apps->parent()->text(0).contains(QStringLiteral("refused")));
        // The first refusal is selected for the user; here, pick apps explicitly.
        QVERIFY(view.tree()->currentItem() != nullptr);
        view.tree()->setCurrentItem(apps);
        const QString details = view.detailsView()->toPlainText();
        QVERIFY2(details.contains(QStringLiteral("HTTP 401")), qPrintable(details));
        QVERIFY2(details.contains(QStringLiteral("not accessible")), qPrintable(details));
        QVERIFY2(details.contains(QStringLiteral("Likely fix")), qPrintable(details));
        QVERIFY2(details.contains(QStringLiteral("request id")), qPrintable(details));

        // An allowed call says what was seen.
        QTreeWidgetItem* groups = findCheck(view.tree(), QStringLiteral("GET /groups"));
        QVERIFY(groups);
        QCOMPARE(groups->text(1), QStringLiteral("Allowed"));
        view.tree()->setCurrentItem(groups);
        QVERIFY(view.detailsView()->toPlainText().contains(QStringLiteral("workspace")));

        const QString summary = view.summaryLabel()->text();
        QVERIFY2(summary.contains(QStringLiteral("allowed")) && summary.contains(QStringLiteral("1 refused")),
                 qPrintable(summary));
        QVERIFY(!status.isEmpty());
        QVERIFY(status.last().first().toString().contains(QStringLiteral("refused")));

        // The report: every check, the refusal's fix, nothing secret.
        QVERIFY(view.copyButton()->isEnabled());
        QTest::mouseClick(view.copyButton(), Qt::LeftButton);
        const QString report = QApplication::clipboard()->text();
        QCOMPARE(report, view.reportText());
        QVERIFY(report.contains(QStringLiteral("Sandbox tenant")));
        QVERIFY(report.contains(QStringLiteral("GET /apps")));
        QVERIFY(report.contains(QStringLiteral("Likely fix:")));
        QVERIFY(!report.contains(rig.f.clientSecret()));
        QVERIFY(!report.contains(QStringLiteral("eyJ")));

        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty()) {
            view.tree()->setCurrentItem(apps);
            view.grab().save(dir + QStringLiteral("/permission-probe.png"));
        }

        // Another connection: the old identity's results go.
        view.setClient(nullptr);
        QCOMPARE(view.tree()->topLevelItemCount(), 0);
        QVERIFY(!view.runButton()->isEnabled());
    }

    void adminApisCanBeLeftOut()
    {
        RefreshRig rig;
        PermissionProbeView view;
        view.setClient(&rig.client, QStringLiteral("Sandbox tenant"));
        view.show();
        QTest::mouseClick(view.includeAdminCheck(), Qt::LeftButton, {}, QPoint(5, 5));
        QVERIFY(!view.includeAdminCheck()->isChecked());
        view.run();
        QVERIFY(!view.includeAdminCheck()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 60000);
        QCOMPARE(areas(view.tree()).filter(QStringLiteral("Admin APIs")).size(), 0);
        for (const auto& e : rig.f.log.entries())
            QVERIFY2(!e.url.path().contains(QLatin1String("/admin/")), qPrintable(e.url.path()));
    }

    void cancelStopsTheProbe()
    {
        RefreshRig rig;
        pbi::sandbox::LatencyRule slow;
        slow.fixedMs = 400;
        slow.path = "^/v1\\.0/myorg/";
        rig.f.sandbox().faults().addLatency(slow);
        PermissionProbeView view;
        view.setClient(&rig.client, QStringLiteral("Sandbox tenant"));
        view.show();
        view.run();
        QTRY_VERIFY_WITH_TIMEOUT(view.tree()->topLevelItemCount() >= 1, 20000);
        QTest::mouseClick(view.cancelButton(), Qt::LeftButton);
        QVERIFY(!view.isRunning());
        QVERIFY(view.runButton()->isEnabled());
        QVERIFY2(view.summaryLabel()->text().startsWith(QStringLiteral("Cancelled")),
                 qPrintable(view.summaryLabel()->text()));
        int rows = 0;
        for (int i = 0; i < view.tree()->topLevelItemCount(); ++i)
            rows += view.tree()->topLevelItem(i)->childCount();
        QTest::qWait(1200); // answers still in flight must not add rows
        int after = 0;
        for (int i = 0; i < view.tree()->topLevelItemCount(); ++i)
            after += view.tree()->topLevelItem(i)->childCount();
        QCOMPARE(after, rows);
    }
};

QTEST_MAIN(TestPermissionProbeView)
#include "tst_permissionprobeview.moc"
