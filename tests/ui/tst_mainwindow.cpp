// The main window driven through its real widgets, against the sandbox over loopback.

#include "ExplorerRig.h"
#include "SandboxFixture.h"

#include "DetailsPane.h"
#include "ErrorBanner.h"
#include "ExplorerProxy.h"
#include "MainWindow.h"
#include "RequestLogModel.h"
#include "RequestLogView.h"
#include "TokenInspector.h"
#include "WorkspaceTreeModel.h"

#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"

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
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

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
        auto* kind = window->findChild<QComboBox*>(QStringLiteral("kindFilter"));
        auto* type = window->findChild<QComboBox*>(QStringLiteral("workspaceTypeFilter"));
        auto* dedicated = window->findChild<QCheckBox*>(QStringLiteral("dedicatedFilter"));
        QVERIFY(kind && type && dedicated);

        // Kind, from the keyboard: the workspaces stay, each with only that kind's folder.
        kind->setFocus();
        QTest::keyClick(kind, Qt::Key_Down); // "Reports"
        QCOMPARE(window->explorerProxy()->kinds(),
                 pbi::ui::ExplorerProxy::Kinds(pbi::ui::ExplorerProxy::Reports));
        QCOMPARE(view->rowCount(), everything);
        const QModelIndex sales = rig.workspaceRow(QStringLiteral("Sales [Prod]"));
        QCOMPARE(view->rowCount(sales), 1);
        QVERIFY(view->index(0, 0, sales).data().toString().startsWith(QStringLiteral("Reports (")));
        // The View → Filter by menu shows the same choice.
        QAction* reportsAction = nullptr;
        for (QAction* a : window->findChildren<QAction*>())
            if (a->text() == QStringLiteral("Reports") && a->isCheckable())
                reportsAction = a;
        QVERIFY(reportsAction && reportsAction->isChecked());

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
        kind->setCurrentIndex(kind->findText(QStringLiteral("Semantic models")));
        Q_EMIT kind->activated(kind->currentIndex());
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
        QCOMPARE(kind->currentIndex(), 0);
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
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
