// The main window driven through its real widgets, against the sandbox over loopback.

#include "SandboxFixture.h"

#include "DetailsPane.h"
#include "RequestLogModel.h"
#include "RequestLogView.h"
#include "TokenInspector.h"
#include "ErrorBanner.h"
#include "MainWindow.h"
#include "WorkspaceTreeModel.h"

#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QDockWidget>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QTreeView>

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
