// The Refreshes panel for a dataflow, driven through its widgets against the sandbox: the
// transactions in the table and chart, Refresh now with the notify option, the refresh followed
// until it ends, cancel, a run started elsewhere followed live, the production confirmation,
// and the refusal of service principals in words.

#include "RefreshTestRig.h"

#include "DataflowRefreshDialog.h"
#include "ErrorBanner.h"
#include "RefreshChart.h"
#include "RefreshHistoryModel.h"
#include "RefreshPanel.h"

#include "EntraDemo.h"
#include "auth/UsernamePasswordCredential.h"
#include "refresh/DataflowRefresh.h"

#include <QComboBox>
#include <QDir>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using pbi::ui::RefreshHistoryModel;
using pbi::ui::RefreshPanel;
using State = pbi::refresh::State;

namespace {

pbi::ui::ConnectionDescription connection(bool servicePrincipal, bool production = false)
{
    pbi::ui::ConnectionDescription d;
    d.title = production ? QStringLiteral("Contoso – Production") : QStringLiteral("Sandbox tenant");
    d.subtitle = QStringLiteral("local emulator");
    d.color = QColor(0x1b, 0x6e, 0x6a);
    d.isSandbox = !production;
    d.environmentName = production ? QStringLiteral("Production") : QStringLiteral("Sandbox");
    d.isProduction = production;
    d.servicePrincipal = servicePrincipal;
    return d;
}

pbi::refresh::RefreshFollower::Options fastFollow()
{
    pbi::refresh::RefreshFollower::Options o;
    o.firstPoll = std::chrono::milliseconds(200);
    o.maxPoll = std::chrono::milliseconds(800);
    o.visibilityGrace = std::chrono::milliseconds(30000);
    return o;
}

/// Megan (Member everywhere) signed in with the demo's public client: dataflows need a user.
struct UserRig {
    explicit UserRig(pbi::sandbox::SandboxOptions options = quickRefreshes(1500))
        : f(options)
        , megan(&f.transport, &f.clock, f.cloud(), f.tenantId(),
                QString::fromLatin1(pbi::sandbox::demo::kPublicClientId),
                QStringLiteral("megan@contoso-sandbox.onmicrosoft.com"),
                QString::fromLatin1(pbi::sandbox::demo::kUserPassword))
        , client(&f.transport, &megan, f.cloud())
    {}

    template <typename T>
    std::optional<T> value(const std::function<void(QObject*, pbi::PowerBiClient::Callback<T>)>& call)
    {
        const auto r = await<T>(call);
        if (!r || !*r)
            return std::nullopt;
        return r->value();
    }
    std::optional<pbi::Workspace> workspace(const QString& name)
    {
        const auto list = value<std::vector<pbi::Workspace>>(
            [this](QObject* c, auto cb) { client.listWorkspaces(c, cb); });
        for (const auto& w : list.value_or(std::vector<pbi::Workspace>{}))
            if (w.name == name)
                return w;
        return std::nullopt;
    }
    std::optional<pbi::Dataflow> dataflow(const QString& groupId)
    {
        const auto list = value<std::vector<pbi::Dataflow>>(
            [this, groupId](QObject* c, auto cb) { client.listDataflows(groupId, c, cb); });
        if (!list || list->empty())
            return std::nullopt;
        return list->front();
    }
    void force(const QString& dataflowId, const char* outcome, int durationMs)
    {
        const nlohmann::json body = {
            {"dataflowId", dataflowId.toStdString()}, {"outcome", outcome}, {"durationMs", durationMs}};
        wireSend("POST", f.url(QStringLiteral("/sandbox/control/refresh-outcomes")),
                 {{"Content-Type", "application/json"}}, QByteArray::fromStdString(body.dump()));
    }
    int posts(const QString& suffix) const
    {
        int n = 0;
        for (const auto& e : f.log.entries())
            n += e.method == "POST" && e.url.path().endsWith(suffix);
        return n;
    }

    SandboxFixture f;
    pbi::UsernamePasswordCredential megan;
    pbi::PowerBiClient client;
};

struct Panel {
    Panel(pbi::PowerBiClient* client, pbi::ui::ConnectionDescription description)
        : panel(&clock)
    {
        panel.setConnection(client, description);
        panel.setDialogs(&dialogs);
        panel.setFollowOptions(fastFollow());
        panel.resize(1200, 560);
        panel.show();
    }
    bool show(const pbi::Workspace& w, const pbi::Dataflow& d, bool expectOk = true)
    {
        QSignalSpy loaded(&panel, &RefreshPanel::historyLoaded);
        panel.showDataflow(w, d);
        return loaded.wait(15000) && loaded.at(0).at(0).toBool() == expectOk;
    }
    pbi::SystemClock clock;
    ScriptedDialogs dialogs;
    RefreshPanel panel;
};

void saveScreenshot(QWidget& w, const char* name)
{
    const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        w.grab().save(QDir(dir).filePath(QString::fromLatin1(name)));
}

} // namespace

class TestDataflowRefreshPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsTheHistoryThenFollowsARefreshToTheEnd()
    {
        UserRig rig;
        const auto ws = rig.workspace(QStringLiteral("Supply Chain [Prod]"));
        QVERIFY(ws);
        const auto flow = rig.dataflow(ws->id);
        QVERIFY(flow);
        Panel p(&rig.client, connection(false));
        QVERIFY(p.show(*ws, *flow));
        RefreshPanel& panel = p.panel;
        QVERIFY(panel.hasDataflow() && !panel.hasModel());
        QCOMPARE(panel.dataflowId(), flow->id);
        QVERIFY(panel.model()->rowCount() >= 5);
        QVERIFY(panel.errorBanner()->isHidden());
        // The same table and chart as for models, in the same words.
        QTableView* table = panel.table();
        QCOMPARE(table->model()->index(0, RefreshHistoryModel::StatusColumn).data().toString(),
                 QStringLiteral("Failed"));
        QCOMPARE(table->model()->index(0, RefreshHistoryModel::TypeColumn).data().toString(),
                 QStringLiteral("Scheduled"));
        QVERIFY(table->isColumnHidden(RefreshHistoryModel::AttemptsColumn));
        QVERIFY(table->isColumnHidden(RefreshHistoryModel::ErrorColumn));
        QVERIFY(!table->isColumnHidden(RefreshHistoryModel::DurationColumn));
        QTRY_COMPARE(panel.chart()->pointCount(State::Completed) + panel.chart()->pointCount(State::Failed),
                     panel.model()->rowCount());
        QCOMPARE(panel.selectedRow(), 0);
        QVERIFY2(panel.detailsText().contains(QStringLiteral("Power BI portal")), qPrintable(panel.detailsText()));
        QVERIFY(panel.detailsText().contains(QStringLiteral("service status Failed")));
        QVERIFY(panel.rawErrorText().isEmpty());
        // No schedule editor: the API cannot read a dataflow's schedule. Said so, not hidden.
        QVERIFY(panel.scheduleText().contains(QStringLiteral("pbictl")));
        QVERIFY(!panel.scheduleButton()->isEnabled());
        QVERIFY(panel.scheduleButton()->toolTip().contains(QStringLiteral("cannot read")));
        QVERIFY(panel.triggerButton()->isEnabled());
        QVERIFY(panel.triggerButton()->toolTip().contains(QStringLiteral("enhanced refresh")));
        saveScreenshot(panel, "refresh-panel-dataflow.png");

        rig.force(flow->id, "Completed", 2500);
        QTest::mouseClick(panel.triggerButton(), Qt::LeftButton);
        QTRY_VERIFY(panel.dataflowDialog());
        pbi::ui::DataflowRefreshDialog* dialog = panel.dataflowDialog();
        QVERIFY(dialog->problems().empty());
        QCOMPARE(dialog->notifyCombo()->count(), 2); // no "mail on completion" for dataflows
        dialog->notifyCombo()->setCurrentIndex(dialog->notifyCombo()->findData(QStringLiteral("NoNotification")));
        QSignalSpy finished(&panel, &RefreshPanel::refreshFinished);
        QTest::mouseClick(dialog->sendButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(panel.dataflowFollowCount(), 1, 15000);
        QTRY_VERIFY(!panel.dataflowDialog());
        QVERIFY(!panel.followText().isEmpty());
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(0).at(1).value<State>(), State::Completed);
        QVERIFY2(finished.at(0).at(0).toString().contains(QStringLiteral("completed")),
                 qPrintable(finished.at(0).at(0).toString()));
        QCOMPARE(panel.dataflowFollowCount(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isLoading(), 15000);
        QCOMPARE(panel.model()->stateAt(0), State::Completed);
        QCOMPARE(table->model()->index(0, RefreshHistoryModel::TypeColumn).data().toString(),
                 QStringLiteral("On demand"));
        QVERIFY(panel.followText().isEmpty());
        QCOMPARE(rig.posts(QStringLiteral("/refreshes")), 1);
    }

    void cancelFromTheFollowBar()
    {
        UserRig rig;
        const auto ws = rig.workspace(QStringLiteral("Sales [Prod]"));
        QVERIFY(ws);
        const auto flow = rig.dataflow(ws->id);
        QVERIFY(flow);
        Panel p(&rig.client, connection(false));
        QVERIFY(p.show(*ws, *flow));
        rig.force(flow->id, "Completed", 120000);
        p.panel.openTriggerDialog(); // for a dataflow: its own dialog
        QTRY_VERIFY(p.panel.dataflowDialog());
        QVERIFY(!p.panel.triggerDialog());
        p.panel.dataflowDialog()->send();
        QTRY_COMPARE_WITH_TIMEOUT(p.panel.dataflowFollowCount(), 1, 15000);
        // Cancel needs the transaction id: on once the service lists the run.
        QTRY_VERIFY_WITH_TIMEOUT(p.panel.cancelButton()->isEnabled(), 15000);
        QVERIFY(p.panel.followText().contains(QStringLiteral("transaction")));
        QSignalSpy finished(&p.panel, &RefreshPanel::refreshFinished);
        QTest::mouseClick(p.panel.cancelButton(), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(0).at(1).value<State>(), State::Cancelled);
        QCOMPARE(rig.posts(QStringLiteral("/cancel")), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!p.panel.isLoading(), 15000);
        QCOMPARE(p.panel.model()->stateAt(0), State::Cancelled);
    }

    void aRunStartedElsewhereIsFollowedLive()
    {
        UserRig rig;
        const auto ws = rig.workspace(QStringLiteral("Supply Chain [Dev]"));
        QVERIFY(ws);
        const auto flow = rig.dataflow(ws->id);
        QVERIFY(flow);
        rig.force(flow->id, "Completed", 3000);
        pbi::DataflowRefreshRequest req;
        const auto started = await<pbi::TriggeredDataflowRefresh>([&](QObject* c, auto cb) {
            pbi::refresh::triggerDataflowRefresh(&rig.client, ws->id, flow->id, req, c, cb);
        });
        QVERIFY(started && *started);
        QTest::qWait(1600); // the sandbox lists it after a moment
        Panel p(&rig.client, connection(false));
        QVERIFY(p.show(*ws, *flow));
        QCOMPARE(p.panel.dataflowFollowCount(), 1);
        QCOMPARE(p.panel.model()->stateAt(0), State::Running);
        QVERIFY2(p.panel.followText().contains(QStringLiteral("started elsewhere")), qPrintable(p.panel.followText()));
        QSignalSpy finished(&p.panel, &RefreshPanel::refreshFinished);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(0).at(1).value<State>(), State::Completed);
        QCOMPARE(rig.posts(QStringLiteral("/refreshes")), 1); // nothing more was started
    }

    void productionAsksFirst()
    {
        UserRig rig;
        const auto ws = rig.workspace(QStringLiteral("Data Platform - Shared Models"));
        QVERIFY(ws);
        const auto flow = rig.dataflow(ws->id);
        QVERIFY(flow);
        Panel p(&rig.client, connection(false, true));
        QVERIFY(p.show(*ws, *flow));
        p.dialogs.confirmAnswer = false;
        p.panel.openTriggerDialog();
        QTRY_VERIFY(p.panel.dataflowDialog());
        p.panel.dataflowDialog()->send();
        QCOMPARE(p.dialogs.confirms, 1);
        QVERIFY(p.dialogs.lastConfirmText.contains(flow->name));
        QVERIFY(p.panel.dataflowDialog()); // still open: nothing was sent
        QCOMPARE(rig.posts(QStringLiteral("/refreshes")), 0);
        p.dialogs.confirmAnswer = true;
        p.panel.dataflowDialog()->send();
        QCOMPARE(p.dialogs.confirms, 2);
        QTRY_COMPARE_WITH_TIMEOUT(rig.posts(QStringLiteral("/refreshes")), 1, 15000);
        QTRY_VERIFY(!p.panel.dataflowDialog());
    }

    void aRefusalKeepsTheDialogAndItsChoices()
    {
        UserRig rig;
        const auto ws = rig.workspace(QStringLiteral("Sales [Dev]"));
        QVERIFY(ws);
        const auto flow = rig.dataflow(ws->id);
        QVERIFY(flow);
        Panel p(&rig.client, connection(false));
        QVERIFY(p.show(*ws, *flow));
        rig.force(flow->id, "Completed", 60000);
        pbi::DataflowRefreshRequest req;
        const auto first = await<pbi::TriggeredDataflowRefresh>(
            [&](QObject* c, auto cb) { rig.client.refreshDataflow(ws->id, flow->id, req, c, cb); });
        QVERIFY(first && *first);
        p.panel.openTriggerDialog();
        QTRY_VERIFY(p.panel.dataflowDialog());
        auto* dialog = p.panel.dataflowDialog();
        dialog->processTypeCombo()->setCurrentIndex(1);
        dialog->send();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->errorBanner()->isVisible(), 15000);
        QVERIFY2(dialog->errorBanner()->text().contains(QStringLiteral("already in progress")),
                 qPrintable(dialog->errorBanner()->text()));
        QCOMPARE(p.panel.dataflowDialog(), dialog);
        QCOMPARE(dialog->processTypeCombo()->currentIndex(), 1);
        QVERIFY(dialog->sendButton()->isEnabled());
    }

    void servicePrincipalsAreToldWhatToDo()
    {
        RefreshRig rig(quickRefreshes());
        const auto ws = rig.workspace(QStringLiteral("Supply Chain [Prod]"));
        QVERIFY(ws);
        const auto flows = await<std::vector<pbi::Dataflow>>(
            [&](QObject* c, auto cb) { rig.client.listDataflows(ws->id, c, cb); });
        QVERIFY(flows && *flows && !flows->value().empty());
        Panel p(&rig.client, connection(true));
        QVERIFY(p.show(*ws, flows->value().front(), false));
        const QString words = p.panel.stateText();
        QVERIFY2(words.contains(QStringLiteral("service principal")), qPrintable(words));
        QVERIFY(words.contains(QStringLiteral("device code")));
        QVERIFY(words.contains(QStringLiteral("interactive")));
        QVERIFY(words.contains(QStringLiteral("megan@contoso-sandbox.onmicrosoft.com"))); // sandbox only
        QVERIFY(p.panel.errorBanner()->isVisible());
        QVERIFY(p.panel.errorBanner()->text().contains(QStringLiteral("API is not accessible for application")));
        QVERIFY(!p.panel.triggerButton()->isEnabled());
        QVERIFY(p.panel.triggerButton()->toolTip().contains(QStringLiteral("service principal")));
        saveScreenshot(p.panel, "refresh-panel-dataflow-service-principal.png");
    }

    void aModelAfterADataflowGetsItsColumnsBack()
    {
        UserRig rig;
        const auto ws = rig.workspace(QStringLiteral("Sales [Prod]"));
        QVERIFY(ws);
        const auto flow = rig.dataflow(ws->id);
        QVERIFY(flow);
        Panel p(&rig.client, connection(false));
        QVERIFY(p.show(*ws, *flow));
        const auto models = await<std::vector<pbi::Dataset>>(
            [&](QObject* c, auto cb) { rig.client.listDatasets(ws->id, c, cb); });
        QVERIFY(models && *models);
        QSignalSpy loaded(&p.panel, &RefreshPanel::historyLoaded);
        p.panel.showModel(*ws, models->value().front());
        QVERIFY(loaded.wait(15000));
        QVERIFY(!p.panel.hasDataflow() && p.panel.hasModel());
        QVERIFY(!p.panel.table()->isColumnHidden(RefreshHistoryModel::AttemptsColumn));
        QVERIFY(!p.panel.table()->isColumnHidden(RefreshHistoryModel::ErrorColumn));
        QVERIFY(p.panel.scheduleButton()->isEnabled());
        QVERIFY(!p.panel.scheduleText().contains(QStringLiteral("pbictl")));
        // And back: the dataflow's history, not the model's.
        QVERIFY(p.show(*ws, *flow));
        QCOMPARE(p.panel.model()->refreshAt(0)->refreshType.value_or(QString()) == QLatin1String("Scheduled") ||
                     p.panel.model()->refreshAt(0)->refreshType.value_or(QString()) == QLatin1String("OnDemand"),
                 true);
        QVERIFY(p.panel.model()->refreshAt(0)->requestId.value_or(QString()).contains(QLatin1Char('$')));
    }
};

QTEST_MAIN(TestDataflowRefreshPanel)
#include "tst_dataflowrefreshpanel.moc"
