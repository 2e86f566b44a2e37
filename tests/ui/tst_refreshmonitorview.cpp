// RefreshMonitorView against the sandbox: a member-scope sweep (and an admin-scope one), the
// filters through refresh::matches, per-workspace problems, cancel, auto-update, CSV export,
// and a double-click that selects the model in the explorer.

#include "RefreshTestRig.h"

#include "ErrorBanner.h"
#include "MainWindow.h"
#include "RefreshHistoryModel.h"
#include "RefreshMonitorModel.h"
#include "RefreshMonitorView.h"
#include "RefreshPanel.h"
#include "WorkspaceTreeModel.h"

#include "Faults.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

using pbi::ui::RefreshMonitorModel;
using pbi::ui::RefreshMonitorView;
using State = pbi::refresh::State;

namespace {

pbi::ui::ConnectionDescription connection(bool admin)
{
    pbi::ui::ConnectionDescription d;
    d.title = QStringLiteral("Sandbox tenant");
    d.subtitle = QStringLiteral("local emulator");
    d.color = QColor(0x1b, 0x6e, 0x6a);
    d.isSandbox = true;
    d.environmentName = QStringLiteral("Sandbox");
    d.servicePrincipal = true;
    d.adminScope = admin;
    return d;
}

bool sweep(RefreshMonitorView& view)
{
    QSignalSpy ended(&view, &RefreshMonitorView::sweepEnded);
    view.sweep();
    return ended.wait(60000) && ended.at(0).at(0).toBool();
}

} // namespace

class TestRefreshMonitorView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void memberSweepNewestFirstWithProblems()
    {
        RefreshRig rig;
        pbi::SystemClock clock;
        RefreshMonitorView view(&clock);
        view.setConnection(&rig.client, connection(false));
        view.resize(1200, 600);
        QVERIFY(view.findChild<QLabel*>(QStringLiteral("monitorScope"))
                    ->text()
                    .contains(QStringLiteral("Member scope")));
        QVERIFY(sweep(view));
        QCOMPARE(view.monitor()->scope(), pbi::refresh::MonitorScope::Member);
        QAbstractItemModel* shown = view.table()->model();
        QVERIFY(shown->rowCount() > 50);
        for (int row = 1; row < shown->rowCount(); ++row)
            QVERIFY(shown->index(row - 1, RefreshMonitorModel::StartColumn)
                        .data(RefreshMonitorModel::SortRole)
                        .toLongLong() >= shown->index(row, RefreshMonitorModel::StartColumn)
                                             .data(RefreshMonitorModel::SortRole)
                                             .toLongLong());
        QVERIFY(view.table()->isColumnHidden(RefreshMonitorModel::CapacityColumn));
        // The app is only a Viewer in two workspaces: their models could not be read, the rest was.
        QVERIFY(view.problemsList()->count() >= 2);
        QStringList problems;
        for (int i = 0; i < view.problemsList()->count(); ++i)
            problems << view.problemsList()->item(i)->text();
        QVERIFY2(problems.join(QLatin1Char('\n')).contains(QStringLiteral("Finance [Prod]")),
                 qPrintable(problems.join(QLatin1Char('\n'))));
        QVERIFY(problems.join(QLatin1Char('\n'))
                    .contains(QStringLiteral("PowerBINotAuthorizedException")));
        QVERIFY(view.errorBanner()->isHidden());
        QVERIFY2(view.summaryText().contains(QStringLiteral("could not be read")),
                 qPrintable(view.summaryText()));
        QVERIFY(view.summaryText().contains(QStringLiteral("swept at")));
    }

    void filtersGoThroughMatches()
    {
        RefreshRig rig;
        pbi::SystemClock clock;
        RefreshMonitorView view(&clock);
        view.setConnection(&rig.client, connection(false));
        view.show();
        QTRY_VERIFY_WITH_TIMEOUT(view.model()->rowCount() > 0, 60000);
        QAbstractItemModel* shown = view.table()->model();
        const int all = shown->rowCount();

        QTest::mouseClick(view.findChild<QCheckBox*>(QStringLiteral("failedOnlyCheck")),
                          Qt::LeftButton, {}, QPoint(5, 5));
        QVERIFY(shown->rowCount() > 0 && shown->rowCount() < all);
        for (int row = 0; row < shown->rowCount(); ++row)
            QCOMPARE(State(shown->index(row, 0).data(RefreshMonitorModel::StateRole).toInt()),
                     State::Failed);
        auto* text = view.findChild<QLineEdit*>(QStringLiteral("monitorFilter"));
        QTest::keyClicks(text, QStringLiteral("gwpipeline"));
        QTRY_COMPARE(view.proxy()->filter().text,
                     QStringLiteral("gwpipeline")); // after the typing pause
        QVERIFY(shown->rowCount() > 0);
        for (int row = 0; row < shown->rowCount(); ++row)
            QVERIFY(shown->index(row, RefreshMonitorModel::ErrorColumn)
                        .data()
                        .toString()
                        .contains(QStringLiteral("GWPipeline")));
        text->clear();
        QTest::mouseClick(view.findChild<QCheckBox*>(QStringLiteral("failedOnlyCheck")),
                          Qt::LeftButton, {}, QPoint(5, 5));
        QTRY_COMPARE(shown->rowCount(), all);

        QTest::keyClicks(text, QStringLiteral("procurement"));
        QTRY_COMPARE(view.proxy()->filter().text, QStringLiteral("procurement"));
        QVERIFY(shown->rowCount() > 0 && shown->rowCount() < all);
        for (int row = 0; row < shown->rowCount(); ++row)
            QCOMPARE(shown->index(row, RefreshMonitorModel::WorkspaceColumn).data().toString(),
                     QStringLiteral("Procurement [Prod]"));
        text->clear();
        QTRY_COMPARE(shown->rowCount(), all);

        // Last 24 hours: only refreshes that ended (or run) within a day of now.
        auto* within = view.findChild<QComboBox*>(QStringLiteral("withinCombo"));
        within->setCurrentIndex(within->findData(24));
        QVERIFY(shown->rowCount() < all);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (int row = 0; row < shown->rowCount(); ++row) {
            const qint64 start = shown->index(row, RefreshMonitorModel::StartColumn)
                                     .data(RefreshMonitorModel::SortRole)
                                     .toLongLong();
            QVERIFY(QDateTime::fromMSecsSinceEpoch(start).secsTo(now) < 27 * 3600);
        }
        within->setCurrentIndex(within->findData(24 * 7));
        const int week = shown->rowCount();
        QVERIFY(week < all);
        within->setCurrentIndex(0);
        // Nothing runs in a quiet tenant.
        QTest::mouseClick(view.findChild<QCheckBox*>(QStringLiteral("runningOnlyCheck")),
                          Qt::LeftButton, {}, QPoint(5, 5));
        QCOMPARE(shown->rowCount(), 0);
        QVERIFY(!view.findChild<QPushButton*>(QStringLiteral("exportCsvButton"))->isEnabled());
    }

    void exportsWhatIsShownAsCsv()
    {
        RefreshRig rig;
        pbi::SystemClock clock;
        ScriptedDialogs dialogs;
        QTemporaryDir dir;
        dialogs.savePath = dir.filePath(QStringLiteral("refreshes.csv"));
        RefreshMonitorView view(&clock);
        view.setDialogs(&dialogs);
        view.setConnection(&rig.client, connection(false));
        QVERIFY(sweep(view));
        view.show();
        QTest::mouseClick(view.findChild<QCheckBox*>(QStringLiteral("failedOnlyCheck")),
                          Qt::LeftButton, {}, QPoint(5, 5));
        QVERIFY(view.findChild<QCheckBox*>(QStringLiteral("failedOnlyCheck"))->isChecked());
        const int shown = view.table()->model()->rowCount();
        QVERIFY(shown > 0);
        QTest::mouseClick(view.findChild<QPushButton*>(QStringLiteral("exportCsvButton")),
                          Qt::LeftButton);
        QFile file(dialogs.savePath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines =
            QString::fromUtf8(file.readAll()).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), shown + 1);
        QCOMPARE(lines[0],
                 QStringLiteral("Workspace,Semantic model,Status,Type,Start,Duration,Error code"));
        const QStringList first = lines[1].split(QLatin1Char(','));
        QCOMPARE(first[2], QStringLiteral("Failed"));
        QVERIFY2(QDateTime::fromString(first[4], Qt::ISODate).isValid(),
                 qPrintable(first[4])); // ISO 8601, UTC
        QVERIFY(first[4].endsWith(QLatin1Char('Z')));
        bool seconds = false;
        first[5].toLongLong(&seconds);
        QVERIFY(seconds);
        QVERIFY(!first[6].isEmpty());
        QVERIFY(dialogs.informed.isEmpty());
        // A path that cannot be written is said, not ignored.
        dialogs.savePath = dir.filePath(QStringLiteral("no/such/dir/refreshes.csv"));
        QTest::mouseClick(view.findChild<QPushButton*>(QStringLiteral("exportCsvButton")),
                          Qt::LeftButton);
        QCOMPARE(dialogs.informed.size(), 1);
        QVERIFY(dialogs.informed[0].contains(QStringLiteral("Cannot write")));
    }

    void cancelAndAutoUpdate()
    {
        RefreshRig rig;
        // Slow model lists, so the sweep is still going when the user cancels.
        pbi::sandbox::LatencyRule slow;
        slow.path = "/datasets$";
        slow.fixedMs = 400;
        rig.f.sandbox().faults().addLatency(slow);
        pbi::SystemClock clock;
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        RefreshMonitorView view(&clock);
        view.setSettings(&settings);
        view.setConnection(&rig.client, connection(false));
        view.show();
        // Shown for the first time: a sweep starts by itself.
        QTRY_VERIFY(view.monitor()->isRunning());
        QVERIFY(view.progressBar()->isVisible());
        auto* cancel = view.findChild<QPushButton*>(QStringLiteral("cancelSweepButton"));
        QTRY_VERIFY_WITH_TIMEOUT(view.progressBar()->maximum() > 3, 15000);
        QVERIFY(cancel->isEnabled());
        QSignalSpy ended(&view, &RefreshMonitorView::sweepEnded);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QCOMPARE(ended.count(), 1);
        QVERIFY(!ended.at(0).at(0).toBool());
        QVERIFY(!view.monitor()->isRunning());
        QVERIFY(!view.progressBar()->isVisible());
        QCOMPARE(view.model()->rowCount(), 0); // never half a sweep
        QVERIFY(view.summaryText().contains(QStringLiteral("cancelled")));
        QVERIFY(view.findChild<QPushButton*>(QStringLiteral("sweepButton"))->isEnabled());

        // Auto-update: the interval is the user's, and remembered.
        auto* interval = view.findChild<QComboBox*>(QStringLiteral("autoUpdateCombo"));
        QCOMPARE(interval->currentData().toInt(), 0);
        interval->setCurrentIndex(interval->findData(5));
        auto* timer = [&view]() -> QTimer* {
            for (QTimer* t : view.findChildren<QTimer*>())
                if (t->interval() == 5 * 60'000)
                    return t;
            return nullptr;
        }();
        QVERIFY(timer && timer->isActive());
        QCOMPARE(settings.value(QStringLiteral("refreshMonitor/autoUpdateMinutes")).toInt(), 5);
        RefreshMonitorView again(&clock);
        again.setSettings(&settings);
        QCOMPARE(again.autoUpdateMinutes(), 5);
        interval->setCurrentIndex(0);
        QVERIFY(!timer->isActive());
        // An auto-update tick sweeps like the button.
        QSignalSpy swept(&view, &RefreshMonitorView::sweepEnded);
        rig.f.sandbox().faults().clear();
        QMetaObject::invokeMethod(timer, "timeout", Qt::DirectConnection);
        QVERIFY(swept.wait(60000));
        QVERIFY(swept.at(0).at(0).toBool());
        QVERIFY(view.model()->rowCount() > 0);
    }

    void adminScopeReadsTheRefreshables()
    {
        RefreshRig rig;
        pbi::SystemClock clock;
        RefreshMonitorView view(&clock);
        view.setConnection(&rig.client, connection(true));
        QVERIFY(view.findChild<QLabel*>(QStringLiteral("monitorScope"))
                    ->text()
                    .contains(QStringLiteral("Admin scope")));
        QVERIFY(sweep(view));
        QCOMPARE(view.monitor()->scope(), pbi::refresh::MonitorScope::Admin);
        QVERIFY(!view.table()->isColumnHidden(RefreshMonitorModel::CapacityColumn));
        QAbstractItemModel* shown = view.table()->model();
        QVERIFY(shown->rowCount() > 5);
        // Admin scope sees models the app is no member of, with their capacity.
        bool legal = false;
        for (int row = 0; row < shown->rowCount(); ++row) {
            QVERIFY(!shown->index(row, RefreshMonitorModel::CapacityColumn)
                         .data()
                         .toString()
                         .isEmpty());
            legal = legal ||
                    shown->index(row, RefreshMonitorModel::WorkspaceColumn).data().toString() ==
                        QStringLiteral("HR Analytics [Prod]");
        }
        QVERIFY(legal);
    }

    void doubleClickSelectsTheModelInTheExplorer()
    {
        RefreshRig rig;
        ScriptedDialogs dialogs;
        pbi::ui::MainWindow window(&rig.client, connection(false));
        window.setRequestLog(&rig.f.log);
        window.setDialogs(&dialogs);
        window.resize(1400, 900);
        window.show();
        QSignalSpy loaded(&window, &pbi::ui::MainWindow::loadFinished);
        window.reload();
        QVERIFY(loaded.wait(15000));
        RefreshMonitorView* view = window.refreshMonitorView();
        QSignalSpy ended(view, &RefreshMonitorView::sweepEnded);
        QTest::keyClick(&window, Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(window.monitorDock()->isVisible());
        QVERIFY(ended.wait(60000)); // shown: it sweeps by itself
        QTableView* table = view->table();
        // Double-click the newest refresh of Procurement's model.
        QTest::keyClicks(view->findChild<QLineEdit*>(QStringLiteral("monitorFilter")),
                         QStringLiteral("Spend Analysis"));
        QTRY_VERIFY(table->model()->rowCount() > 0);
        QTRY_VERIFY(table->model()->rowCount() < view->model()->rowCount());
        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty()) {
            auto* text = view->findChild<QLineEdit*>(QStringLiteral("monitorFilter"));
            text->clear();
            QTRY_COMPARE(table->model()->rowCount(), view->model()->rowCount());
            window.resizeDocks({window.monitorDock()}, {560}, Qt::Vertical);
            QTest::qWait(200);
            window.grab().save(dir + QStringLiteral("/refresh-monitor.png"));
            QTest::keyClicks(text, QStringLiteral("Spend Analysis"));
            QTRY_VERIFY(table->model()->rowCount() < view->model()->rowCount());
        }
        const QModelIndex cell = table->model()->index(0, RefreshMonitorModel::ModelColumn);
        const QString datasetId = cell.data(RefreshMonitorModel::DatasetIdRole).toString();
        table->scrollTo(cell);
        const QPoint at = table->visualRect(cell).center();
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, at);
        // The explorer loads the workspace and selects the model; its refreshes show.
        QTRY_COMPARE_WITH_TIMEOUT(
            window.tree()->currentIndex().data(pbi::ui::WorkspaceTreeModel::IdRole).toString(),
            datasetId, 15000);
        QCOMPARE(window.tree()->currentIndex().data().toString(), QStringLiteral("Spend Analysis"));
        QVERIFY(window.refreshDock()->isVisible());
        QCOMPARE(window.refreshPanel()->datasetId(), datasetId);
        QTRY_VERIFY_WITH_TIMEOUT(window.refreshPanel()->model()->rowCount() > 0, 15000);

        // A model the explorer cannot hold (the app is no member) is said in the status bar.
        window.selectModel(QStringLiteral("not-a-workspace"), QStringLiteral("x"),
                           QStringLiteral("Legal [Prod]"), QStringLiteral("Matters"));
        QVERIFY(window.statusBar()->currentMessage().contains(
            QStringLiteral("not a member of workspace “Legal [Prod]”")));
    }
};

QTEST_MAIN(TestRefreshMonitorView)
#include "tst_refreshmonitorview.moc"
