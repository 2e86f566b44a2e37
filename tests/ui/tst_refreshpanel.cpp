// The Refreshes dock in the main window, driven through its widgets against the sandbox: it
// follows the explorer's selection, shows history, chart and decoded errors, and follows the
// refreshes it starts (plain and enhanced) until they end, with cancel.

#include "RefreshTestRig.h"

#include "ErrorBanner.h"
#include "MainWindow.h"
#include "RefreshChart.h"
#include "RefreshHistoryModel.h"
#include "RefreshPanel.h"
#include "ScheduleEditor.h"
#include "TriggerRefreshDialog.h"
#include "WorkspaceTreeModel.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QPointer>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

using pbi::ui::RefreshHistoryModel;
using pbi::ui::RefreshPanel;
using State = pbi::refresh::State;

namespace {

pbi::ui::ConnectionDescription sandboxConnection(bool production = false)
{
    pbi::ui::ConnectionDescription d;
    d.title = QStringLiteral("Sandbox tenant");
    d.subtitle = QStringLiteral("local emulator");
    d.color = QColor(0x1b, 0x6e, 0x6a);
    d.isSandbox = true;
    d.environmentName = QStringLiteral("Sandbox");
    d.servicePrincipal = true;
    if (production) {
        d.title = QStringLiteral("Contoso – Production");
        d.environmentName = QStringLiteral("Production");
        d.isProduction = true;
        d.isSandbox = false;
    }
    return d;
}

pbi::refresh::RefreshFollower::Options fastFollow()
{
    pbi::refresh::RefreshFollower::Options o;
    o.firstPoll = std::chrono::milliseconds(250);
    o.maxPoll = std::chrono::milliseconds(1000);
    o.visibilityGrace = std::chrono::milliseconds(30000);
    return o;
}

} // namespace

class TestRefreshPanel : public QObject {
    Q_OBJECT

    struct Window {
        explicit Window(pbi::sandbox::SandboxOptions options = quickRefreshes(),
                        bool production = false)
            : rig(options)
            , window(&rig.client, sandboxConnection(production))
        {
            window.setRequestLog(&rig.f.log);
            window.setDialogs(&dialogs);
            window.refreshPanel()->setFollowOptions(fastFollow());
            window.resize(1400, 900);
            window.show();
        }
        bool load()
        {
            QSignalSpy done(&window, &pbi::ui::MainWindow::loadFinished);
            window.reload();
            return done.wait(15000) && done.at(0).at(0).toBool();
        }
        /// Selects a model in the explorer the way a user does: expand the workspace, then the
        /// semantic models folder, then click the model.
        bool selectInTree(const QString& workspaceName, const QString& datasetName)
        {
            QTreeView* tree = window.tree();
            QAbstractItemModel* m = tree->model();
            QModelIndex ws;
            for (int i = 0; i < m->rowCount(); ++i)
                if (m->index(i, 0).data().toString() == workspaceName)
                    ws = m->index(i, 0);
            if (!ws.isValid())
                return false;
            tree->setCurrentIndex(ws);
            tree->expand(ws);
            const QPersistentModelIndex wsp(ws);
            QModelIndex folder;
            QElapsedTimer t;
            t.start();
            while (t.elapsed() < 15000) {
                for (int i = 0; i < m->rowCount(wsp); ++i) {
                    const QModelIndex f = m->index(i, 0, wsp);
                    if (f.data().toString().startsWith(QStringLiteral("Semantic models (")))
                        folder = f;
                }
                if (folder.isValid())
                    break;
                QTest::qWait(50);
            }
            if (!folder.isValid())
                return false;
            tree->expand(folder);
            for (int i = 0; i < m->rowCount(folder); ++i) {
                const QModelIndex item = m->index(i, 0, folder);
                if (item.data().toString() == datasetName) {
                    tree->scrollTo(item);
                    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {},
                                      tree->visualRect(item).center());
                    return tree->currentIndex() == item;
                }
            }
            return false;
        }
        RefreshPanel* panel() const { return window.refreshPanel(); }
        bool historyShown()
        {
            QSignalSpy loaded(panel(), &RefreshPanel::historyLoaded);
            return (panel()->isLoading() ? loaded.wait(15000) : true) && !panel()->isLoading();
        }

        RefreshRig rig;
        ScriptedDialogs dialogs;
        pbi::ui::MainWindow window;
    };

private Q_SLOTS:
    void showsTheSelectedModelsHistory()
    {
        Window w;
        QVERIFY(w.load());
        RefreshPanel* panel = w.panel();
        QVERIFY(w.window.refreshDock()->isHidden());
        QTest::keyClick(&w.window, Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(w.window.refreshDock()->isVisible());
        QVERIFY(panel->stateText().contains(QStringLiteral("Select a semantic model")));
        QVERIFY(!w.window.refreshNowAction()->isEnabled());

        QVERIFY(
            w.selectInTree(QStringLiteral("Procurement [Prod]"), QStringLiteral("Spend Analysis")));
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isLoading() && panel->model()->rowCount() > 10, 15000);
        QVERIFY(panel->errorBanner()->isHidden());
        QVERIFY(panel->stateText().isEmpty());
        QVERIFY(w.window.refreshNowAction()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(panel->scheduleText().startsWith(QStringLiteral("Schedule: on")),
                                 15000);
        QVERIFY(panel->scheduleText().contains(QStringLiteral("every day")));
        QVERIFY(panel->scheduleText().contains(QStringLiteral("W. Europe Standard Time")));

        // Newest first; the newest failed at the gateway. Selecting it explains it.
        QTableView* table = panel->table();
        QCOMPARE(table->model()->index(0, RefreshHistoryModel::StatusColumn).data().toString(),
                 QStringLiteral("Failed"));
        QTest::mouseClick(
            table->viewport(), Qt::LeftButton, {},
            table->visualRect(table->model()->index(1, RefreshHistoryModel::TypeColumn)).center());
        QTest::mouseClick(
            table->viewport(), Qt::LeftButton, {},
            table->visualRect(table->model()->index(0, RefreshHistoryModel::TypeColumn)).center());
        QCOMPARE(panel->selectedRow(), 0);
        const QString details = panel->detailsText();
        QVERIFY2(
            details.contains(QStringLiteral("The on-premises data gateway could not be reached.")),
            qPrintable(details));
        QVERIFY(details.contains(QStringLiteral("DM_GWPipeline_Client_GatewayUnreachable")));
        QVERIFY(details.contains(QStringLiteral("The service says: Unable to connect")));
        QVERIFY(
            details.contains(QStringLiteral("Likely fix: Check that the gateway machine is on")));
        QVERIFY(panel->rawErrorText().contains(
            QStringLiteral("\"errorCode\":\"DM_GWPipeline_Client_GatewayUnreachable\"")));
        QVERIFY(panel->findChild<QPlainTextEdit*>(QStringLiteral("rawError"))->isVisible());

        // The chart: one point per refresh, by outcome; clicking a point selects its row.
        pbi::ui::RefreshChart* chart = panel->chart();
        QTRY_COMPARE(chart->pointCount(State::Completed) + chart->pointCount(State::Failed),
                     panel->model()->rowCount());
        QVERIFY(chart->pointCount(State::Failed) >= 2);
        QCOMPARE(chart->selectedRow(), 0);
        int completed = -1;
        for (int row = panel->model()->rowCount() - 1; row >= 0 && completed < 0; --row)
            if (panel->model()->stateAt(row) == State::Completed)
                completed = row;
        QVERIFY(completed > 0);
        QTest::mouseClick(chart->viewport(), Qt::LeftButton, {}, chart->pointPosition(completed));
        QTRY_COMPARE(panel->selectedRow(), completed);
        QCOMPARE(chart->selectedRow(), completed);
        QVERIFY(panel->rawErrorText().isEmpty());
        QVERIFY(panel->detailsText().startsWith(QStringLiteral("Completed")));

        // Sorting the table by duration keeps the selection on the same refresh.
        const QString id =
            panel->model()->index(completed, 0).data(RefreshHistoryModel::RequestIdRole).toString();
        table->sortByColumn(RefreshHistoryModel::DurationColumn, Qt::DescendingOrder);
        QCOMPARE(panel->model()
                     ->index(panel->selectedRow(), 0)
                     .data(RefreshHistoryModel::RequestIdRole)
                     .toString(),
                 id);
        table->sortByColumn(RefreshHistoryModel::StartColumn, Qt::DescendingOrder);

        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty()) {
            panel->selectRow(0);
            w.window.resizeDocks({w.window.refreshDock()}, {480}, Qt::Vertical);
            QTest::qWait(200);
            w.window.tree()->scrollTo(w.window.tree()->currentIndex(),
                                      QAbstractItemView::PositionAtCenter);
            w.window.grab().save(dir + QStringLiteral("/refresh-panel.png"));
            if (qEnvironmentVariableIsSet("PBI_SCREENSHOT_DARK")) {
                // The same view in a dark palette: status colours, icons and chart must still read.
                const QPalette light = QApplication::palette();
                QPalette dark;
                dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2e));
                dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
                dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x20));
                dark.setColor(QPalette::AlternateBase, QColor(0x27, 0x27, 0x2a));
                dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
                dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x38));
                dark.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
                dark.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb3));
                dark.setColor(QPalette::HighlightedText, Qt::white);
                QApplication::setPalette(dark);
                QTest::qWait(200);
                w.window.grab().save(dir + QStringLiteral("/refresh-panel-dark.png"));
                QApplication::setPalette(light);
            }
        }

        // Item → Edit refresh schedule… opens the editor on this model, read from the service.
        QVERIFY(w.window.scheduleAction()->isEnabled());
        w.window.scheduleAction()->trigger();
        QTRY_VERIFY(panel->scheduleEditor());
        QTRY_VERIFY_WITH_TIMEOUT(panel->scheduleEditor()->isLoaded(), 15000);
        QVERIFY(panel->scheduleEditor()->windowTitle().contains(QStringLiteral("Spend Analysis")));
        QCOMPARE(panel->scheduleEditor()->current()->times.size(), 3);
        panel->scheduleEditor()->reject();
        QTRY_VERIFY(!panel->scheduleEditor());

        // Another item: the panel says what to do.
        w.window.tree()->setCurrentIndex(w.window.tree()->currentIndex().parent());
        QVERIFY(panel->stateText().contains(QStringLiteral("Select a semantic model")));
        QCOMPARE(panel->model()->rowCount(), 0);
    }

    void aRefusalShowsTheServiceCodeAndHint()
    {
        Window w;
        QVERIFY(w.load());
        w.window.refreshDock()->show();
        // The demo app is a Viewer there: no refresh history for it.
        QVERIFY(w.selectInTree(QStringLiteral("Finance [Prod]"), QStringLiteral("General Ledger")));
        QTRY_VERIFY_WITH_TIMEOUT(w.panel()->errorBanner()->isVisible(), 15000);
        const QString text = w.panel()->errorBanner()->text();
        QVERIFY2(
            text.contains(QStringLiteral("Could not load the refresh history of “General Ledger”")),
            qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("PowerBINotAuthorizedException")));
        QVERIFY(text.contains(QStringLiteral("Likely fix")));
        QVERIFY(text.contains(QStringLiteral("Request id")));
        QCOMPARE(w.panel()->model()->rowCount(), 0);
    }

    void aModelThatCannotBeRefreshed()
    {
        Window w;
        QVERIFY(w.load());
        w.window.refreshDock()->show();
        QVERIFY(w.selectInTree(QStringLiteral("Supply Chain [Prod]"),
                               QStringLiteral("Inventory (DirectQuery)")));
        QTRY_VERIFY_WITH_TIMEOUT(!w.panel()->isLoading(), 15000);
        QVERIFY2(w.panel()->stateText().contains(QStringLiteral("not refreshable")),
                 qPrintable(w.panel()->stateText()));
        QVERIFY(!w.panel()->findChild<QPushButton*>(QStringLiteral("triggerButton"))->isEnabled());
        QVERIFY(!w.window.refreshNowAction()->isEnabled());
        QVERIFY(!w.window.scheduleAction()->isEnabled());
    }

    void refreshNowIsFollowedUntilItEnds()
    {
        Window w;
        QVERIFY(w.load());
        QVERIFY(w.selectInTree(QStringLiteral("HR Analytics [Test]"), QStringLiteral("Headcount")));
        // The Item menu opens the dock and the dialog.
        w.window.refreshNowAction()->trigger();
        QVERIFY(w.window.refreshDock()->isVisible());
        QTRY_VERIFY(w.panel()->triggerDialog());
        pbi::ui::TriggerRefreshDialog* dialog = w.panel()->triggerDialog();
        QTRY_VERIFY(!w.panel()->isLoading());
        const int before = w.panel()->model()->rowCount();
        QVERIFY(dialog->sendButton()->isEnabled());
        QTest::mouseClick(dialog->sendButton(), Qt::LeftButton);
        // Accepted: on top at once, running, before the service lists it.
        QTRY_COMPARE_WITH_TIMEOUT(w.panel()->followCount(), 1, 15000);
        QVERIFY(w.panel()->model()->isPending(0));
        QCOMPARE(w.panel()->model()->index(0, RefreshHistoryModel::StatusColumn).data().toString(),
                 QStringLiteral("Running"));
        QCOMPARE(w.panel()->model()->index(0, RefreshHistoryModel::EndColumn).data().toString(),
                 QStringLiteral("not listed yet"));
        QVERIFY2(
            w.panel()->followText().contains(QStringLiteral("waiting for the service to list it")),
            qPrintable(w.panel()->followText()));
        QVERIFY(w.window.statusBar()->currentMessage().contains(
            QStringLiteral("accepted the refresh of “Headcount”")));
        QVERIFY(w.panel()->cancelButton()->isVisible());
        // Listed: the row is the service's own, still running.
        QTRY_VERIFY_WITH_TIMEOUT(!w.panel()->model()->isPending(0), 15000);
        // Ended: status bar, history reloaded with the refresh in it.
        QTRY_VERIFY_WITH_TIMEOUT(w.window.statusBar()->currentMessage().contains(
                                     QStringLiteral("Refresh of “Headcount” completed")),
                                 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!w.panel()->isLoading() && w.panel()->followCount() == 0, 15000);
        // The new refresh is the newest (the service may have dropped old entries meanwhile).
        QVERIFY(w.panel()->model()->rowCount() >= std::min(before + 1, 20));
        QCOMPARE(w.panel()->model()->stateAt(0), State::Completed);
        const QDateTime started =
            QDateTime::fromMSecsSinceEpoch(w.panel()
                                               ->model()
                                               ->index(0, RefreshHistoryModel::StartColumn)
                                               .data(RefreshHistoryModel::SortRole)
                                               .toLongLong());
        QVERIFY(qAbs(started.secsTo(QDateTime::currentDateTimeUtc())) < 120);
        QCOMPARE(w.panel()->model()->index(0, RefreshHistoryModel::TypeColumn).data().toString(),
                 QStringLiteral("API"));
        QVERIFY(w.panel()->followText().isEmpty());
    }

    void aFailureIsDecodedWhenItEnds()
    {
        Window w;
        QVERIFY(w.load());
        w.window.refreshDock()->show();
        QVERIFY(w.selectInTree(QStringLiteral("HR Analytics [Test]"), QStringLiteral("Headcount")));
        QTRY_VERIFY_WITH_TIMEOUT(!w.panel()->isLoading(), 15000);
        pbi::sandbox::ForcedRefreshOutcome outcome;
        outcome.datasetId = w.panel()->datasetId().toStdString();
        outcome.outcome = "Failed";
        outcome.errorCode = "DMTS_OAuthTokenRefreshFailedError";
        w.rig.f.sandbox().forceRefreshOutcome(outcome);
        QTest::mouseClick(w.panel()->findChild<QPushButton*>(QStringLiteral("triggerButton")),
                          Qt::LeftButton);
        QTRY_VERIFY(w.panel()->triggerDialog());
        QTest::mouseClick(w.panel()->triggerDialog()->sendButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            w.window.statusBar()->currentMessage().contains(QStringLiteral("failed")), 20000);
        QVERIFY2(w.window.statusBar()->currentMessage().contains(
                     QStringLiteral("The data source's stored OAuth credentials expired.")),
                 qPrintable(w.window.statusBar()->currentMessage()));
        QTRY_VERIFY_WITH_TIMEOUT(!w.panel()->isLoading() && w.panel()->followCount() == 0, 15000);
        QCOMPARE(w.panel()->model()->stateAt(0), State::Failed);
        w.panel()->selectRow(0);
        QVERIFY(w.panel()->detailsText().contains(QStringLiteral("Likely fix: Sign in again")));
        QVERIFY(w.panel()->rawErrorText().contains(
            QStringLiteral("DMTS_OAuthTokenRefreshFailedError")));
    }

    void enhancedRefreshShowsProgressAndCancels()
    {
        Window w(quickRefreshes(120000)); // long enough to cancel
        QVERIFY(w.load());
        w.window.refreshDock()->show();
        QVERIFY(w.selectInTree(QStringLiteral("Sales [Prod]"), QStringLiteral("Sales Analytics")));
        QTRY_VERIFY_WITH_TIMEOUT(!w.panel()->isLoading(), 15000);
        QTest::mouseClick(w.panel()->findChild<QPushButton*>(QStringLiteral("triggerButton")),
                          Qt::LeftButton);
        QTRY_VERIFY(w.panel()->triggerDialog());
        auto* dialog = w.panel()->triggerDialog();
        // Watched, not compared by address: a deleted dialog's address can be reused.
        QPointer<QDialog> first(dialog);
        dialog->findChild<QRadioButton*>(QStringLiteral("enhancedRadio"))->setChecked(true);
        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("addObjectButton")),
                          Qt::LeftButton);
        dialog->findChild<QTableWidget*>(QStringLiteral("objectsTable"))
            ->item(0, 0)
            ->setText(QStringLiteral("Date"));
        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("addObjectButton")),
                          Qt::LeftButton);
        dialog->findChild<QTableWidget*>(QStringLiteral("objectsTable"))
            ->item(1, 0)
            ->setText(QStringLiteral("Region"));
        QVERIFY(dialog->sendButton()->isEnabled());
        QTest::mouseClick(dialog->sendButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(w.panel()->followCount(), 1, 15000);
        // Per-object progress from the execution details.
        auto* objects = w.panel()->findChild<QTreeWidget*>(QStringLiteral("followObjects"));
        QTRY_VERIFY_WITH_TIMEOUT(objects->isVisible() && objects->topLevelItemCount() == 2, 15000);
        QCOMPARE(objects->topLevelItem(0)->text(0), QStringLiteral("Date"));
        QVERIFY(!objects->topLevelItem(0)->text(2).isEmpty());
        QVERIFY(w.panel()->followText().contains(QStringLiteral("Enhanced refresh")));
        // A second refresh while this one runs: the service refuses, the dialog says why.
        QTest::mouseClick(w.panel()->findChild<QPushButton*>(QStringLiteral("triggerButton")),
                          Qt::LeftButton);
        QTRY_VERIFY(w.panel()->triggerDialog() && w.panel()->triggerDialog() != first.data());
        auto* second = w.panel()->triggerDialog();
        QTest::mouseClick(second->sendButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(second->errorBanner()->isVisible(), 15000);
        QVERIFY2(second->errorBanner()->text().contains(
                     QStringLiteral("Another refresh request is already executing")),
                 qPrintable(second->errorBanner()->text()));
        second->reject();
        // Cancel, by the refresh's request id.
        QTest::mouseClick(w.panel()->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            w.window.statusBar()->currentMessage().contains(QStringLiteral("was cancelled")),
            20000);
        bool cancelCall = false;
        for (const auto& e : w.rig.f.log.entries())
            cancelCall = cancelCall || (e.method == "DELETE" &&
                                        e.url.path().contains(QStringLiteral("/refreshes/")));
        QVERIFY(cancelCall);
        QTRY_VERIFY_WITH_TIMEOUT(!w.panel()->isLoading() && w.panel()->followCount() == 0, 15000);
        // Cancelled before the service listed it: shown on top until the history has it.
        QCOMPARE(w.panel()->model()->stateAt(0), State::Cancelled);
        QTRY_VERIFY_WITH_TIMEOUT(!w.panel()->model()->isPending(0) && !w.panel()->isLoading(),
                                 15000);
        const auto describeRows = [&w] {
            QStringList out;
            for (int row = 0; row < 3 && row < w.panel()->model()->rowCount(); ++row)
                out << w.panel()->model()->index(row, 0).data().toString() + QLatin1Char(' ') +
                           w.panel()
                               ->model()
                               ->index(row, RefreshHistoryModel::TypeColumn)
                               .data()
                               .toString() +
                           QLatin1Char(' ') +
                           w.panel()
                               ->model()
                               ->index(row, RefreshHistoryModel::StartColumn)
                               .data()
                               .toString();
            return out.join(QStringLiteral(" | "));
        };
        QVERIFY2(w.panel()->model()->stateAt(0) == State::Cancelled, qPrintable(describeRows()));
        QCOMPARE(w.panel()->model()->index(0, RefreshHistoryModel::TypeColumn).data().toString(),
                 QStringLiteral("Enhanced API"));
    }

    void followingOutlivesTheSession()
    {
        // At shutdown the connection's session can end before the window: a refresh still
        // being followed must not call into the dead client.
        RefreshRig rig(quickRefreshes(60000));
        const auto ws = rig.workspace(QStringLiteral("HR Analytics [Test]"));
        QVERIFY(ws);
        const auto ds = rig.dataset(ws->id, QStringLiteral("Headcount"));
        QVERIFY(ds);
        auto client =
            std::make_unique<pbi::PowerBiClient>(&rig.f.transport, &rig.credential, rig.f.cloud());
        pbi::SystemClock clock;
        auto panel = std::make_unique<RefreshPanel>(&clock);
        panel->setFollowOptions(fastFollow());
        panel->setConnection(client.get(), sandboxConnection());
        panel->show();
        panel->showModel(*ws, *ds);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isLoading(), 15000);
        panel->openTriggerDialog();
        QTRY_VERIFY(panel->triggerDialog());
        QTest::mouseClick(panel->triggerDialog()->sendButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(panel->followCount(), 1, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->model()->isPending(0), 15000); // polls have gone out
        client.reset();
        QTest::qWait(1500); // the follower's timer fires with no client behind it
        QCOMPARE(panel->followCount(), 1);
        panel.reset();
    }

    void productionConfirmsBeforeRefreshing()
    {
        Window w(quickRefreshes(), true);
        QVERIFY(w.load());
        QVERIFY(w.selectInTree(QStringLiteral("HR Analytics [Test]"), QStringLiteral("Headcount")));
        w.window.refreshNowAction()->trigger();
        QTRY_VERIFY(w.panel()->triggerDialog());
        w.dialogs.confirmAnswer = false;
        QTest::mouseClick(w.panel()->triggerDialog()->sendButton(), Qt::LeftButton);
        QCOMPARE(w.dialogs.confirms, 1);
        QVERIFY(w.dialogs.lastConfirmText.contains(QStringLiteral("“Headcount”")));
        QVERIFY(w.dialogs.lastConfirmText.contains(
            QStringLiteral("Contoso – Production (Production)")));
        QCOMPARE(w.rig.calls("POST", QStringLiteral("/refreshes")), 0);
        QCOMPARE(w.panel()->followCount(), 0);
        QVERIFY(w.panel()->triggerDialog()->isVisible());
    }
};

QTEST_MAIN(TestRefreshPanel)
#include "tst_refreshpanel.moc"
