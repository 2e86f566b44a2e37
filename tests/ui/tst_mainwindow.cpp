// The main window driven through its real widgets, against the sandbox over loopback.

#include "ExplorerRig.h"
#include "SandboxFixture.h"

#include "DetailsPane.h"
#include "EmbedTokenView.h"
#include "ErrorBanner.h"
#include "ExplorerProxy.h"
#include "FailedRefreshScan.h"
#include "KindFilterButton.h"
#include "MainWindow.h"
#include "PermissionProbeView.h"
#include "RefreshPanel.h"
#include "RequestLogModel.h"
#include "RequestLogView.h"
#include "TokenInspector.h"
#include "WorkspaceTreeModel.h"

#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"
#include "refresh/RefreshRules.h"

#include "Tenant.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QTimer>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

namespace {

/// Opens the kind button's menu from the keyboard and, while it is open, moves to each kind
/// whose name starts with one of `toggle` and presses Space on it; then closes it with Escape.
/// Returns the texts of the menu's actions that were ticked when it closed.
QStringList toggleKindsByKeyboard(pbi::ui::KindFilterButton* button, const QStringList& toggle)
{
    QStringList ticked;
    bool ran = false;
    QTimer::singleShot(0, button, [&] {
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        if (!menu)
            return;
        ran = true;
        QSet<QAction*> done;
        // Down through the menu once (separators are skipped, the last wraps to the first).
        for (int step = 0; step < int(menu->actions().size()); ++step) {
            QTest::keyClick(menu, Qt::Key_Down);
            QAction* a = menu->activeAction();
            if (!a || done.contains(a))
                continue;
            const QString text = QString(a->text()).remove(QLatin1Char('&'));
            for (const QString& t : toggle)
                if (text.startsWith(t)) {
                    QTest::keyClick(menu, Qt::Key_Space);
                    done.insert(a);
                    break;
                }
        }
        if (menu->isVisible()) // Space toggled without closing the menu
            for (QAction* a : menu->actions())
                if (a->isCheckable() && a->isChecked())
                    ticked << QString(a->text()).remove(QLatin1Char('&'));
        QTest::keyClick(menu, Qt::Key_Escape);
    });
    button->setFocus();
    QTest::keyClick(button, Qt::Key_Space);
    // The offscreen platform does not always hand activation back when a popup closes.
    button->window()->activateWindow();
    if (!QTest::qWaitForWindowActive(button->window()))
        return {QStringLiteral("<window not active again>")};
    return ran ? ticked : QStringList{QStringLiteral("<menu did not open>")};
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

    static pbi::ui::ConnectionDescription sandboxConnection()
    {
        pbi::ui::ConnectionDescription d;
        d.title = QStringLiteral("Sandbox tenant");
        d.subtitle = QStringLiteral("local emulator");
        d.color = QColor(0x1b, 0x6e, 0x6a);
        d.isSandbox = true;
        d.environmentName = QStringLiteral("Sandbox");
        d.servicePrincipal = true;
        return d;
    }

    struct Rig {
        explicit Rig(const QString& secret)
            : credential(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(),
                         secret.isNull() ? f.clientSecret() : secret)
            , client(&f.transport, &credential, f.cloud())
            , window(&client, sandboxConnection())
        {
            // No QAbstractItemModelTester on the window's model: it would fetch every folder,
            // as no view does (tst_workspacetreemodel runs one on the same model class).
            window.setRequestLog(&f.log);
            window.show();
        }
        bool load()
        {
            QSignalSpy done(&window, &pbi::ui::MainWindow::loadFinished);
            window.reload();
            return done.wait(15000) && done.at(0).at(0).toBool();
        }
        SandboxFixture f;
        pbi::ClientSecretCredential credential;
        pbi::PowerBiClient client;
        pbi::ui::MainWindow window;
    };

private Q_SLOTS:
    void showsTheSandboxWorkspaces()
    {
        Rig rig{QString()};
        QVERIFY(rig.load());
        QVERIFY(rig.window.tree()->model()->rowCount() > 10);
        QVERIFY(rig.window.errorBanner()->isHidden());
        auto* band = rig.window.findChild<QLabel*>(QStringLiteral("environmentBand"));
        QVERIFY(band && band->isVisible());
        QVERIFY(band->text().contains(QStringLiteral("Sandbox tenant")));
        auto* status = rig.window.findChild<QLabel*>(QStringLiteral("statusText"));
        QVERIFY(status->text().contains(QStringLiteral("workspace")));
        // Sorted by name, and the names are the sandbox's.
        const QString first = rig.window.tree()->model()->index(0, 0).data().toString();
        QCOMPARE(first, QStringLiteral("Customer Success [Prod]"));
    }

    void wrongSecretShowsEntraIdsError()
    {
        Rig rig{QStringLiteral("definitely-not-the-secret")};
        QVERIFY(!rig.load());
        auto* banner = rig.window.errorBanner();
        QVERIFY(banner->isVisible());
        auto* details = banner->findChild<QLabel*>(QStringLiteral("errorDetails"));
        QVERIFY(details);
        const QString text = details->text();
        QVERIFY2(text.contains(QStringLiteral("Invalid client secret provided")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("invalid_client")));
        QVERIFY(text.contains(QStringLiteral("AADSTS7000215")));
        QVERIFY(text.contains(QStringLiteral("Request id: ")));
        QVERIFY(text.contains(QStringLiteral("Likely fix: ")));
        QVERIFY(!text.contains(QStringLiteral("definitely-not-the-secret")));
        QCOMPARE(rig.window.tree()->model()->rowCount(), 0);
        auto* status = rig.window.findChild<QLabel*>(QStringLiteral("statusText"));
        QVERIFY(status->text().startsWith(QStringLiteral("Failed")));
    }

    void filterByTyping()
    {
        Rig rig{QString()};
        QVERIFY(rig.load());
        QTest::keyClick(&rig.window, Qt::Key_F, Qt::ControlModifier);
        auto* filter = rig.window.findChild<QLineEdit*>(QStringLiteral("filterEdit"));
        QTRY_VERIFY(filter->hasFocus());
        QTest::keyClicks(filter, QStringLiteral("finance"));
        QCOMPARE(rig.window.tree()->model()->rowCount(), 3);
        for (int row = 0; row < 3; ++row)
            QVERIFY(rig.window.tree()->model()->index(row, 0).data().toString().startsWith(QStringLiteral("Finance")));
        filter->clear();
        QVERIFY(rig.window.tree()->model()->rowCount() > 10);
    }

    void exploreAWorkspaceByKeyboard()
    {
        Rig rig{QString()};
        QVERIFY(rig.load());
        rig.window.resize(1280, 760);
        QTreeView* tree = rig.window.tree();
        auto* model = rig.window.workspaceModel();
        QSignalSpy loaded(model, &pbi::ui::WorkspaceTreeModel::folderLoaded);
        // Filter to the workspace, move into the tree, expand with the keyboard.
        QTest::keyClick(&rig.window, Qt::Key_F, Qt::ControlModifier);
        auto* filter = rig.window.findChild<QLineEdit*>(QStringLiteral("filterEdit"));
        QTRY_VERIFY(filter->hasFocus());
        QTest::keyClicks(filter, QStringLiteral("sales [prod]"));
        QCOMPARE(tree->model()->rowCount(), 1);
        filter->clear();
        tree->setFocus();
        const QModelIndex ws = [&] {
            for (int i = 0; i < tree->model()->rowCount(); ++i)
                if (tree->model()->index(i, 0).data().toString() == QStringLiteral("Sales [Prod]"))
                    return tree->model()->index(i, 0);
            return QModelIndex();
        }();
        QVERIFY(ws.isValid());
        tree->setCurrentIndex(ws);
        QTest::keyClick(tree, Qt::Key_Right);
        QVERIFY(tree->isExpanded(ws));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 5, 10000);
        // Folders keep their order; counts are in their names.
        QVERIFY(tree->model()->index(0, 0, ws).data().toString().startsWith(QStringLiteral("Reports (")));
        QVERIFY(tree->model()->index(1, 0, ws).data().toString().startsWith(QStringLiteral("Semantic models (")));
        const QModelIndex models = tree->model()->index(1, 0, ws);
        tree->expand(tree->model()->index(0, 0, ws));
        tree->expand(models);
        QVERIFY(tree->model()->rowCount(models) > 0);
        tree->setCurrentIndex(tree->model()->index(0, 0, models));
        // The details pane follows the selection.
        const auto rows = rig.window.detailsPane()->properties();
        QVERIFY(rows.size() > 4);
        QCOMPARE(rows[0].first, QStringLiteral("Name"));
        QCOMPARE(rows[0].second, tree->model()->index(0, 0, models).data().toString());
        bool hasRefreshable = false;
        for (const auto& [label, value] : rows)
            hasRefreshable = hasRefreshable || label == QStringLiteral("Refreshable");
        QVERIFY(hasRefreshable);
        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty())
            rig.window.grab().save(dir + QStringLiteral("/explorer.png"));
    }

    void requestLogDockShowsEveryCallRedacted()
    {
        Rig rig{QString()};
        QVERIFY(rig.load());
        QVERIFY(rig.window.requestLogDock()->isHidden());
        QTest::keyClick(&rig.window, Qt::Key_L, Qt::ControlModifier);
        QVERIFY(rig.window.requestLogDock()->isVisible());
        auto* view = rig.window.requestLogView();
        QTableView* table = view->table();
        QCOMPARE(table->model()->rowCount(), 2); // the token, then the workspaces
        QVERIFY(table->model()->index(0, pbi::ui::RequestLogModel::PathColumn).data().toString().endsWith(QStringLiteral("/oauth2/v2.0/token")));
        QCOMPARE(table->model()->index(1, pbi::ui::RequestLogModel::PathColumn).data().toString(), QStringLiteral("/v1.0/myorg/groups"));
        table->setCurrentIndex(table->model()->index(1, 0));
        const QString details = view->findChild<QPlainTextEdit*>(QStringLiteral("requestLogDetails"))->toPlainText();
        QVERIFY(details.contains(QStringLiteral("HTTP 200")));
        QVERIFY(details.contains(QStringLiteral("RequestId")));
        QVERIFY2(!details.contains(QStringLiteral("Bearer eyJ")), "no token in the log view");
        QVERIFY(view->selectedCurl().contains(QStringLiteral("Bearer [redacted]")));
        table->setCurrentIndex(table->model()->index(0, 0));
        const QString tokenCall = view->findChild<QPlainTextEdit*>(QStringLiteral("requestLogDetails"))->toPlainText();
        QVERIFY(!tokenCall.contains(rig.f.clientSecret()));
        QVERIFY(!view->selectedCurl().contains(rig.f.clientSecret()));
        // Filtering; new calls arrive as rows.
        QTest::keyClick(&rig.window, Qt::Key_F5);
        QTRY_COMPARE(table->model()->rowCount(), 3);
        QTest::keyClicks(view->findChild<QLineEdit*>(QStringLiteral("requestLogFilter")), QStringLiteral("token"));
        QCOMPARE(table->model()->rowCount(), 1);
    }

    void tokenInspectorDecodesTheConnectionsToken()
    {
        Rig rig{QString()};
        QVERIFY(rig.load());
        QTest::keyClick(&rig.window, Qt::Key_T, Qt::ControlModifier);
        auto* inspector = rig.window.tokenInspector();
        QTRY_VERIFY(!inspector->claims().isEmpty());
        QVERIFY(inspector->claims().contains(qMakePair(QStringLiteral("aud"), QStringLiteral("https://analysis.windows.net/powerbi/api"))));
        QVERIFY2(inspector->expiryText().startsWith(QStringLiteral("Expires in")), qPrintable(inspector->expiryText()));
        // Pasting an embed token says what it is instead of failing obscurely.
        auto* paste = inspector->findChild<QPlainTextEdit*>(QStringLiteral("tokenPaste"));
        paste->setPlainText(QStringLiteral("H4sIAAAAAAAEAB2Tx66sVhZE"));
        QVERIFY(inspector->claims().isEmpty());
        QVERIFY(inspector->findChild<QLabel*>(QStringLiteral("tokenSource"))->text().contains(QStringLiteral("embed token")));
        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty()) {
            paste->clear();
            inspector->inspectCurrent();
            QTRY_VERIFY(!inspector->claims().isEmpty());
            QTest::keyClick(&rig.window, Qt::Key_L, Qt::ControlModifier);
            rig.window.resize(1400, 900);
            rig.window.grab().save(dir + QStringLiteral("/docks.png"));
        }
    }

    void refreshDocksHaveMenusAndUniqueShortcuts()
    {
        Rig rig{QString()};
        QVERIFY(rig.load());
        // Every action of the window, menus and docks: no shortcut is taken twice.
        QHash<QString, QString> seen;
        for (QAction* action : rig.window.findChildren<QAction*>()) {
            for (const QKeySequence& key : action->shortcuts()) {
                const QString k = key.toString();
                QVERIFY2(!seen.contains(k), qPrintable(k + QStringLiteral(": ") + seen.value(k) +
                                                       QStringLiteral(" and ") + action->text()));
                seen.insert(k, action->text());
            }
        }
        QVERIFY(rig.window.refreshDock()->isHidden());
        QTest::keyClick(&rig.window, Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(rig.window.refreshDock()->isVisible());
        QTest::keyClick(&rig.window, Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(rig.window.monitorDock()->isVisible());
        QTest::keyClick(&rig.window, Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(rig.window.refreshDock()->isHidden());
        // The diagnostics docks: readiness, embed-token tester, permission probe.
        QVERIFY(rig.window.readinessDock()->isHidden());
        QTest::keyClick(&rig.window, Qt::Key_Y, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(rig.window.readinessDock()->isVisible());
        QTest::keyClick(&rig.window, Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(rig.window.embedDock()->isVisible());
        QTest::keyClick(&rig.window, Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(rig.window.probeDock()->isVisible());
        QVERIFY(rig.window.permissionProbeView()->runButton()->isEnabled());
        // The Item menu's refresh actions wait for a semantic model.
        QVERIFY(!rig.window.refreshNowAction()->isEnabled());
        QVERIFY(!rig.window.scheduleAction()->isEnabled());
        QVERIFY(rig.window.tree()->actions().contains(rig.window.refreshNowAction()));
    }

    void exportWritesWhatTheFilteredViewShows()
    {
        ExplorerRig rig(true); // the tenant inventory: every item is loaded
        QVERIFY(rig.load());
        QTemporaryDir dir;
        auto* window = rig.window.get();
        // Reports whose name or id has "overview", and their workspaces around them.
        QTest::keyClick(window, Qt::Key_F, Qt::ControlModifier);
        auto* filter = window->findChild<QLineEdit*>(QStringLiteral("filterEdit"));
        QTest::keyClicks(filter, QStringLiteral("overview"));
        window->explorerProxy()->setKinds(pbi::ui::ExplorerProxy::Reports);
        const QString json = dir.filePath(QStringLiteral("view.json"));
        rig.dialogs.savePaths << json;
        QTest::keyClick(window, Qt::Key_E, Qt::ControlModifier);
        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject doc = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(doc.value(QStringLiteral("format")).toString(),
                 QStringLiteral("pbi-console-view/1"));
        QCOMPARE(doc.value(QStringLiteral("scope")).toString(), QStringLiteral("admin"));
        QCOMPARE(doc.value(QStringLiteral("filter")).toString(),
                 QStringLiteral("text “overview” · reports"));
        const QJsonArray rows = doc.value(QStringLiteral("rows")).toArray();
        int reports = 0;
        QString workspace;
        for (const auto& v : rows) {
            const QJsonObject r = v.toObject();
            const QString kind = r.value(QStringLiteral("kind")).toString();
            if (kind == QStringLiteral("workspace")) {
                workspace = r.value(QStringLiteral("name")).toString();
                continue;
            }
            QCOMPARE(kind, QStringLiteral("report")); // models, members… are filtered out
            QVERIFY(r.value(QStringLiteral("name"))
                        .toString()
                        .contains(QStringLiteral("overview"), Qt::CaseInsensitive));
            QCOMPARE(r.value(QStringLiteral("workspace")).toString(),
                     workspace); // under its workspace
            QVERIFY(!r.value(QStringLiteral("id")).toString().isEmpty());
            ++reports;
        }
        // The demo's dev/test/prod Sales workspaces each have a "Sales Overview".
        QVERIFY2(reports >= 3, qPrintable(QString::number(reports)));
        QCOMPARE(int(window->explorerProxy()->visibleRows().size()), int(rows.size()));

        // CSV: the same rows, a header first; no filter means every loaded row.
        const QString csv = dir.filePath(QStringLiteral("view.csv"));
        QVERIFY(window->exportView(csv));
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QStringList lines =
            QString::fromUtf8(csvFile.readAll()).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        QCOMPARE(lines.first(), QStringLiteral("workspace,kind,name,id,details"));
        QCOMPARE(lines.size(), int(rows.size()) + 1);
        QVERIFY(lines[1].contains(QStringLiteral(",workspace,")));
        window->explorerProxy()->clearFilters();
        QVERIFY(filter->text().isEmpty()); // the line edit follows the proxy
        QVERIFY(window->exportView(csv));
        QFile allFile(csv); // a new file: the export replaces it atomically
        QVERIFY(allFile.open(QIODevice::ReadOnly));
        const int all = int(QString::fromUtf8(allFile.readAll())
                                .split(QStringLiteral("\r\n"), Qt::SkipEmptyParts)
                                .size());
        QVERIFY(all > lines.size() * 5);
    }

    void filterBarNarrowsByKindTypeAndCapacity()
    {
        ExplorerRig rig(true);
        QVERIFY(rig.load());
        auto* window = rig.window.get();
        QAbstractItemModel* view = window->tree()->model();
        // Everything is loaded in the tenant inventory, so the tester fetches nothing; it checks
        // the proxy through every filter change below.
        QAbstractItemModelTester tester(view,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int everything = view->rowCount();
        auto* kind = window->findChild<pbi::ui::KindFilterButton*>(QStringLiteral("kindFilter"));
        auto* type = window->findChild<QComboBox*>(QStringLiteral("workspaceTypeFilter"));
        auto* dedicated = window->findChild<QCheckBox*>(QStringLiteral("dedicatedFilter"));
        auto* capacity = window->findChild<QComboBox*>(QStringLiteral("capacityFilter"));
        QVERIFY(kind && type && dedicated && capacity);
        QCOMPARE(kind->text(), QStringLiteral("All kinds"));

        // Kinds, from the keyboard, several in one visit of the menu: untick everything but
        // reports and dataflows. The workspaces stay, each with only those folders.
        const QStringList ticked = toggleKindsByKeyboard(
            kind, {QStringLiteral("Semantic"), QStringLiteral("Dashboards"), QStringLiteral("Members")});
        QCOMPARE(ticked, (QStringList{QStringLiteral("Reports"), QStringLiteral("Dataflows")}));
        QCOMPARE(window->explorerProxy()->kinds(),
                 pbi::ui::ExplorerProxy::Reports | pbi::ui::ExplorerProxy::Dataflows);
        QCOMPARE(kind->text(), QStringLiteral("Reports, Dataflows"));
        QCOMPARE(view->rowCount(), everything);
        const QModelIndex sales = rig.workspaceRow(QStringLiteral("Sales [Prod]"));
        QCOMPARE(view->rowCount(sales), 2);
        QVERIFY(view->index(0, 0, sales).data().toString().startsWith(QStringLiteral("Reports (")));
        QVERIFY(view->index(1, 0, sales).data().toString().startsWith(QStringLiteral("Dataflows (")));
        // The View → Filter by menu shows the same choice: the very same actions.
        QAction* reportsAction = nullptr;
        QAction* modelsAction = nullptr;
        for (QAction* a : window->findChildren<QAction*>()) {
            if (a->text() == QStringLiteral("&Reports") && a->isCheckable())
                reportsAction = a;
            if (a->text() == QStringLiteral("&Semantic models") && a->isCheckable())
                modelsAction = a;
        }
        QVERIFY(reportsAction && reportsAction->isChecked());
        QVERIFY(modelsAction && !modelsAction->isChecked());
        modelsAction->trigger(); // from the menu: models too
        QCOMPARE(window->explorerProxy()->kinds(), pbi::ui::ExplorerProxy::Reports |
                                                       pbi::ui::ExplorerProxy::Dataflows |
                                                       pbi::ui::ExplorerProxy::SemanticModels);
        QCOMPARE(kind->text(), QStringLiteral("3 kinds"));
        QCOMPARE(view->rowCount(sales), 3);
        kind->allKindsAction()->trigger();
        QCOMPARE(window->explorerProxy()->kinds(), pbi::ui::ExplorerProxy::Kinds(pbi::ui::ExplorerProxy::AllKinds));
        QCOMPARE(view->rowCount(sales), 5);
        // Back to reports only for the rest.
        QCOMPARE(toggleKindsByKeyboard(kind, {QStringLiteral("Semantic"), QStringLiteral("Dashboards"),
                                              QStringLiteral("Dataflows"), QStringLiteral("Members")}),
                 QStringList{QStringLiteral("Reports")});
        QCOMPARE(view->rowCount(sales), 1);

        // Capacity: the admin capacities by name; choosing one keeps exactly its workspaces.
        const auto tenant = pbi::sandbox::makeDemoTenant();
        QVERIFY(!tenant.capacities.empty());
        const auto& p1 = tenant.capacities.front();
        // The names are read when the list is first wanted (focus, click or a key on it).
        capacity->setFocus();
        QTest::keyClick(capacity, Qt::Key_Home);
        QTRY_VERIFY2_WITH_TIMEOUT(capacity->findText(QString::fromStdString(p1.displayName),
                                                     Qt::MatchStartsWith) >= 2,
                                  qPrintable(capacity->toolTip() + QLatin1Char('|') + capacity->itemText(2)), 10000);
        const int p1Index = capacity->findText(QString::fromStdString(p1.displayName), Qt::MatchStartsWith);
        QCOMPARE(capacity->itemData(p1Index).toString().toLower(), QString::fromStdString(p1.id).toLower());
        while (capacity->currentIndex() < p1Index)
            QTest::keyClick(capacity, Qt::Key_Down);
        QSet<QString> onP1;
        for (const auto& w : tenant.workspaces)
            if (w.capacityId && QString::fromStdString(*w.capacityId).compare(QString::fromStdString(p1.id), Qt::CaseInsensitive) == 0)
                onP1.insert(QString::fromStdString(w.name));
        QVERIFY(!onP1.isEmpty());
        QSet<QString> shownOnP1;
        for (int i = 0; i < view->rowCount(); ++i)
            shownOnP1.insert(view->index(i, 0).data().toString());
        QCOMPARE(shownOnP1, onP1);
        QVERIFY(window->explorerProxy()->describe().contains(QString::fromStdString(p1.displayName)));
        capacity->setCurrentIndex(1); // shared capacity
        Q_EMIT capacity->activated(1);
        for (int i = 0; i < view->rowCount(); ++i)
            QVERIFY2(view->index(i, pbi::ui::WorkspaceTreeModel::DetailColumn)
                         .data()
                         .toString()
                         .startsWith(QStringLiteral("Shared")),
                     qPrintable(view->index(i, 0).data().toString()));
        capacity->setCurrentIndex(0);
        Q_EMIT capacity->activated(0);
        QCOMPARE(view->rowCount(), everything);

        // Dedicated capacity only: no workspace on shared capacity is left.
        QTest::mouseClick(dedicated, Qt::LeftButton, {}, QPoint(8, dedicated->height() / 2));
        QVERIFY(dedicated->isChecked());
        QVERIFY(view->rowCount() < everything);
        for (int i = 0; i < view->rowCount(); ++i)
            QVERIFY2(view->index(i, pbi::ui::WorkspaceTreeModel::DetailColumn)
                         .data()
                         .toString()
                         .startsWith(QStringLiteral("Dedicated")),
                     qPrintable(view->index(i, 0).data().toString()));
        QTest::mouseClick(dedicated, Qt::LeftButton, {}, QPoint(8, dedicated->height() / 2));

        // Personal workspaces: the admin's own.
        type->setCurrentIndex(type->findText(QStringLiteral("Personal workspaces")));
        Q_EMIT type->activated(type->currentIndex());
        QCOMPARE(view->rowCount(), 1);
        QVERIFY(
            view->index(0, 0).data().toString().startsWith(QStringLiteral("PersonalWorkspace")));
        type->setCurrentIndex(type->findText(QStringLiteral("Shared workspaces")));
        Q_EMIT type->activated(type->currentIndex());
        QCOMPARE(view->rowCount(), everything - 1);

        // Kind and text together: only matching items of that kind, under their workspaces.
        kind->setKinds(pbi::ui::ExplorerProxy::SemanticModels);
        Q_EMIT kind->kindsChosen(kind->kinds());
        QTest::keyClicks(window->findChild<QLineEdit*>(QStringLiteral("filterEdit")),
                         QStringLiteral("sales"));
        QVERIFY(view->rowCount() >= 3);
        for (int i = 0; i < view->rowCount(); ++i) {
            const QModelIndex ws = view->index(i, 0);
            QCOMPARE(view->rowCount(ws), 1);
            const QModelIndex folder = view->index(0, 0, ws);
            QVERIFY(folder.data().toString().startsWith(QStringLiteral("Semantic models")));
            for (int r = 0; r < view->rowCount(folder); ++r)
                QVERIFY(view->index(r, 0, folder)
                            .data()
                            .toString()
                            .contains(QStringLiteral("sales"), Qt::CaseInsensitive));
        }
        // Clear filters (Ctrl+Shift+X): everything, and the bar says so.
        QTest::keyClick(window, Qt::Key_X, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(view->rowCount(), everything);
        QCOMPARE(kind->text(), QStringLiteral("All kinds"));
        QCOMPARE(capacity->currentIndex(), 0);
        QCOMPARE(type->currentIndex(), 0);
        QVERIFY(!window->explorerProxy()->isFiltering());
    }

    void relatedItemsLeadToEachOther()
    {
        ExplorerRig rig(false);
        QVERIFY(rig.load());
        auto* window = rig.window.get();
        QTreeView* tree = window->tree();
        auto* model = window->workspaceModel();
        QSignalSpy loaded(model, &pbi::ui::WorkspaceTreeModel::folderLoaded);
        const QModelIndex ws = rig.workspaceRow(QStringLiteral("Sales [Prod]"));
        tree->setCurrentIndex(ws);
        // Before the members are loaded, the pane says how to get them.
        QVERIFY(window->detailsPane()->related().contains(qMakePair(
            QStringLiteral("Members"), QStringLiteral("expand the workspace to load them"))));
        tree->expand(ws);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 5, 10000);
        // The workspace: its members with their roles.
        const auto members = window->detailsPane()->related();
        QVERIFY(members.contains(
            qMakePair(QStringLiteral("Megan Bowen"), QStringLiteral("Member (User)"))));
        QVERIFY(members.contains(
            qMakePair(QStringLiteral("Alex Admin"), QStringLiteral("Admin (User)"))));
        // A report: its model; activating it selects the model in the tree.
        const QModelIndex reports = tree->model()->index(0, 0, ws);
        tree->expand(reports);
        QModelIndex overview;
        for (int r = 0; r < tree->model()->rowCount(reports); ++r)
            if (tree->model()->index(r, 0, reports).data().toString() ==
                QStringLiteral("Sales Overview"))
                overview = tree->model()->index(r, 0, reports);
        QVERIFY(overview.isValid());
        tree->setCurrentIndex(overview);
        const auto related = window->detailsPane()->related();
        QCOMPARE(related.size(), 1);
        QCOMPARE(related[0].second, QStringLiteral("its semantic model"));
        auto* list = window->detailsPane()->findChild<QTreeWidget*>(QStringLiteral("relatedItems"));
        list->setCurrentItem(list->topLevelItem(0));
        list->setFocus();
        QTest::keyClick(list, Qt::Key_Return);
        QCOMPARE(tree->currentIndex().data().toString(), related[0].first);
        QCOMPARE(pbi::ui::WorkspaceTreeModel::NodeKind(
                     tree->currentIndex().data(pbi::ui::WorkspaceTreeModel::KindRole).toInt()),
                 pbi::ui::WorkspaceTreeModel::NodeKind::SemanticModel);
        // The model: the reports built on it, this one among them.
        bool back = false;
        for (const auto& [name, relation] : window->detailsPane()->related())
            back = back || (name == QStringLiteral("Sales Overview") &&
                            relation == QStringLiteral("report on this model"));
        QVERIFY(back);
    }

    void selectionDrivesTheRefreshAndEmbedDocks()
    {
        ExplorerRig rig(false);
        QVERIFY(rig.load());
        auto* window = rig.window.get();
        QTreeView* tree = window->tree();
        auto* model = window->workspaceModel();
        QSignalSpy loaded(model, &pbi::ui::WorkspaceTreeModel::folderLoaded);
        const QModelIndex ws = rig.workspaceRow(QStringLiteral("Sales [Prod]"));
        QVERIFY(ws.isValid());
        tree->expand(ws);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 5, 10000);
        // The first item of the folder holding this kind.
        const auto firstOf = [&](pbi::ui::WorkspaceTreeModel::NodeKind kind) {
            for (int f = 0; f < tree->model()->rowCount(ws); ++f) {
                const QModelIndex folder = tree->model()->index(f, 0, ws);
                for (int r = 0; r < tree->model()->rowCount(folder); ++r) {
                    const QModelIndex i = tree->model()->index(r, 0, folder);
                    if (pbi::ui::WorkspaceTreeModel::NodeKind(
                            i.data(pbi::ui::WorkspaceTreeModel::KindRole).toInt()) == kind)
                        return i;
                }
            }
            return QModelIndex();
        };
        // A report: the embed-token tester takes it as its target; no refreshes for a report.
        const QModelIndex report = firstOf(pbi::ui::WorkspaceTreeModel::NodeKind::Report);
        QVERIFY(report.isValid());
        tree->setCurrentIndex(report);
        QVERIFY(window->embedTokenView()->hasTarget());
        QVERIFY2(window->embedTokenView()->titleText().contains(report.data().toString()),
                 qPrintable(window->embedTokenView()->titleText()));
        QVERIFY(!window->refreshPanel()->hasModel());
        QVERIFY(!window->refreshNowAction()->isEnabled());
        // A dataflow: its transactions in the Refreshes dock; a service principal may not
        // refresh it, so Refresh now stays off.
        const QModelIndex dataflow = firstOf(pbi::ui::WorkspaceTreeModel::NodeKind::Dataflow);
        QVERIFY(dataflow.isValid());
        tree->setCurrentIndex(dataflow);
        QVERIFY(window->refreshPanel()->hasDataflow());
        QCOMPARE(window->refreshPanel()->dataflowId(), dataflow.data(pbi::ui::WorkspaceTreeModel::IdRole).toString());
        QVERIFY(!window->refreshNowAction()->isEnabled());
        QVERIFY(!window->embedTokenView()->hasTarget());
        // A semantic model: both follow it.
        const QModelIndex dataset = firstOf(pbi::ui::WorkspaceTreeModel::NodeKind::SemanticModel);
        QVERIFY(dataset.isValid());
        tree->setCurrentIndex(dataset);
        QVERIFY(window->refreshPanel()->hasModel());
        QVERIFY(window->embedTokenView()->hasTarget());
        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty()) {
            window->resize(1400, 900);
            window->refreshDock()->show();
            window->embedDock()->show();
            window->embedDock()->raise();
            QTRY_VERIFY_WITH_TIMEOUT(window->embedTokenView()->factsReady(), 10000);
            QTest::qWait(300);
            window->grab().save(dir + QStringLiteral("/window-docks.png"));
        }
    }

    void f5Reloads()
    {
        Rig rig{QString()};
        QVERIFY(rig.load());
        const std::size_t before = rig.f.log.entries().size();
        QSignalSpy done(&rig.window, &pbi::ui::MainWindow::loadFinished);
        QTest::keyClick(&rig.window, Qt::Key_F5);
        QVERIFY(done.wait(10000));
        QCOMPARE(rig.f.log.entries().size(), before + 1); // cached token: one API call
    }

    void failedRefreshFilterAtMemberScope()
    {
        // Member scope: the history of every refreshable model the identity can see; workspaces
        // not expanded yet are loaded where they hold a failed model, so all of them show.
        ExplorerRig rig(false);
        QVERIFY(rig.load());
        auto* window = rig.window.get();
        QAbstractItemModel* view = window->tree()->model();
        const int everything = view->rowCount();
        auto* box = window->findChild<QCheckBox*>(QStringLiteral("failedRefreshFilter"));
        QSignalSpy finished(window->failedRefreshScan(), &pbi::ui::FailedRefreshScan::finished);
        QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
        QVERIFY(box->isChecked());
        QVERIFY(window->findChild<QWidget*>(QStringLiteral("jobBox"))->isVisible());
        QVERIFY(finished.wait(60000));
        QVERIFY(!window->findChild<QWidget*>(QStringLiteral("jobBox"))->isVisible());
        const QSet<QString> failed = window->failedRefreshScan()->failedModels();
        QVERIFY(!failed.isEmpty());
        // Every failed model appears once its workspace has loaded, and nothing else does.
        auto shownModels = [&] {
            QList<QPair<QString, QString>> out; // (workspace id, model id)
            for (int w = 0; w < view->rowCount(); ++w) {
                const QModelIndex ws = view->index(w, 0);
                for (int f = 0; f < view->rowCount(ws); ++f) {
                    const QModelIndex folder = view->index(f, 0, ws);
                    for (int r = 0; r < view->rowCount(folder); ++r)
                        out.append({ws.data(pbi::ui::WorkspaceTreeModel::IdRole).toString(),
                                    view->index(r, 0, folder).data(pbi::ui::WorkspaceTreeModel::IdRole).toString()});
                }
            }
            return out;
        };
        QTRY_COMPARE_WITH_TIMEOUT(shownModels().size(), failed.size(), 15000);
        QVERIFY(view->rowCount() < everything);
        // Checked against the service: each shown model's newest finished refresh failed.
        for (const auto& [ws, model] : shownModels()) {
            QVERIFY(failed.contains(model));
            std::optional<std::vector<pbi::Refresh>> history;
            rig.client.refreshHistory(ws, model, 5, window, [&](pbi::Result<std::vector<pbi::Refresh>> r) {
                QVERIFY(r.ok());
                history = r.value();
            });
            QTRY_VERIFY_WITH_TIMEOUT(history.has_value(), 10000);
            std::optional<pbi::refresh::State> last;
            for (const auto& h : *history)
                if (pbi::refresh::isFinished(pbi::refresh::stateOf(h))) {
                    last = pbi::refresh::stateOf(h);
                    break;
                }
            QVERIFY(last && *last == pbi::refresh::State::Failed);
        }
        // Off: everything again; on again within minutes: the same answer without a new sweep.
        QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
        QCOMPARE(view->rowCount(), everything);
        const std::size_t calls = rig.f.log.entries().size();
        QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
        QVERIFY(window->explorerProxy()->failedRefreshOnly());
        QCOMPARE(shownModels().size(), failed.size());
        QCOMPARE(rig.f.log.entries().size(), calls);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
