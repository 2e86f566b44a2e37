// The tenant inventory in the main window (AdminInventoryLoader): admin $expand pages fed into
// the explorer as they come, progress, Cancel, Resume after a throttle, the transport's
// throttle state in the status bar, and a snapshot of the loaded inventory — all against the
// sandbox over loopback.

#include "ExplorerRig.h"

#include "AdminInventoryLoader.h"
#include "DetailsPane.h"
#include "ElidingLabel.h"
#include "ErrorBanner.h"
#include "ExplorerProxy.h"
#include "FailedRefreshScan.h"
#include "TransportStatus.h"
#include "WorkspaceTreeModel.h"

#include "Faults.h"
#include "Tenant.h"
#include "inventory/Snapshot.h"
#include "refresh/RefreshRules.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using Loader = pbi::ui::AdminInventoryLoader;
Q_DECLARE_METATYPE(std::optional<pbi::Error>)
using Model = pbi::ui::WorkspaceTreeModel;

namespace {

pbi::sandbox::FaultRule adminPageFault(pbi::sandbox::FaultKind kind, int after, int count,
                                       int retryAfter = 0)
{
    pbi::sandbox::FaultRule r;
    r.kind = kind;
    r.path = "^/v1\\.0/myorg/admin/groups$";
    r.after = after;
    r.count = count;
    r.retryAfterSeconds = retryAfter;
    return r;
}

/// Every workspace of the demo tenant, by name: what the admin inventory must show.
QSet<QString> tenantWorkspaceNames()
{
    QSet<QString> out;
    for (const auto& w : pbi::sandbox::makeDemoTenant().workspaces)
        out.insert(QString::fromStdString(w.name));
    return out;
}

QSet<QString> modelWorkspaceNames(const Model* model)
{
    QSet<QString> out;
    for (int i = 0; i < model->rowCount(); ++i)
        out.insert(model->index(i, 0).data().toString());
    return out;
}

template <typename T>
T* child(QObject* parent, const char* name)
{
    return parent->findChild<T*>(QString::fromLatin1(name));
}

} // namespace

class TestAdminInventory : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void adminScopeLoadsTheWholeTenantPageByPage()
    {
        ExplorerRig rig(true);
        auto* window = rig.window.get();
        QVERIFY(window->isAdminView());
        Loader* loader = window->adminInventory();
        loader->setPageSize(5);
        Model* model = window->workspaceModel();
        // The model is checked through every page that is appended.
        QAbstractItemModelTester tester(model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy progress(loader, &Loader::progress);
        QSignalSpy done(window, &pbi::ui::MainWindow::loadFinished);
        window->reload();
        QCOMPARE(loader->state(), Loader::State::Running);
        // While it runs: the job, its count and Cancel in the status bar.
        QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 1, 10000);
        auto* jobLabel = child<QLabel>(window, "jobLabel");
        QVERIFY(jobLabel->isVisible());
        QVERIFY2(jobLabel->text().startsWith(QStringLiteral("Tenant inventory: ")),
                 qPrintable(jobLabel->text()));
        QVERIFY(child<QProgressBar>(window, "jobProgress")->isVisible());
        QVERIFY(child<QPushButton>(window, "jobCancel")->isVisible());
        QVERIFY(done.wait(20000));
        QVERIFY(done.at(0).at(0).toBool());

        // Pages arrived one by one, the tree growing with each.
        const QSet<QString> expected = tenantWorkspaceNames();
        QVERIFY(progress.count() >= expected.size() / 5);
        for (int i = 1; i < progress.count(); ++i)
            QVERIFY(progress.at(i).at(0).toInt() >= progress.at(i - 1).at(0).toInt());
        QCOMPARE(progress.last().at(0).toInt(), int(expected.size()));
        QCOMPARE(model->rowCount(), int(expected.size()));
        QCOMPARE(modelWorkspaceNames(model), expected); // each once, none missing
        QVERIFY(loader->pagesFetched() >= 6);
        QCOMPARE(loader->state(), Loader::State::Finished);
        QVERIFY(!child<QWidget>(window, "jobBox")->isVisible());
        auto* status = child<QLabel>(window, "statusText");
        QVERIFY2(status->text().contains(
                     QStringLiteral("%1 workspaces in the tenant").arg(expected.size())),
                 qPrintable(status->text()));

        // Workspaces the service principal is no member of are there with their items, loaded:
        // expanding them sends nothing.
        const std::size_t calls = rig.f.log.entries().size();
        const QModelIndex legal = rig.workspaceRow(QStringLiteral("Legal [Prod]"));
        const QModelIndex hr = rig.workspaceRow(QStringLiteral("HR Analytics [Prod]"));
        QVERIFY(legal.isValid() && hr.isValid());
        QTreeView* tree = window->tree();
        tree->expand(hr);
        auto* view = tree->model();
        for (int f = 0; f < 5; ++f) {
            const QModelIndex folder = view->index(f, 0, hr);
            QCOMPARE(Model::LoadState(folder.data(Model::StateRole).toInt()),
                     Model::LoadState::Loaded);
        }
        QVERIFY(view->rowCount(view->index(int(Model::FolderKind::Reports), 0, hr)) > 0);
        QVERIFY(view->rowCount(view->index(int(Model::FolderKind::Members), 0, hr)) > 0);
        // The deleted workspace has no users and no items: loaded and empty, not "not loaded".
        const QModelIndex archive = rig.workspaceRow(QStringLiteral("Old Sales Archive"));
        QVERIFY(archive.isValid());
        QVERIFY(archive.siblingAtColumn(Model::DetailColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("Deleted")));
        QCOMPARE(Model::LoadState(view->index(0, 0, archive).data(Model::StateRole).toInt()),
                 Model::LoadState::Loaded);
        QTest::qWait(50);
        QCOMPARE(rig.f.log.entries().size(), calls);
        // Every request was an admin page (after the token).
        for (const auto& e : rig.f.log.entries())
            QVERIFY2(e.url.path().endsWith(QStringLiteral("/token")) ||
                         e.url.path().endsWith(QStringLiteral("/admin/groups")),
                     qPrintable(e.url.toString()));

        // The details of a model there name the reports built on it.
        const QModelIndex models = view->index(int(Model::FolderKind::SemanticModels), 0, hr);
        tree->expand(models);
        QVERIFY(view->rowCount(models) > 0);
        tree->setCurrentIndex(view->index(0, 0, models));
        const auto related = window->detailsPane()->related();
        QVERIFY(!related.isEmpty());
        for (const auto& [name, relation] : related)
            QVERIFY2(relation.startsWith(QStringLiteral("report on this model")) ||
                         relation.startsWith(QStringLiteral("dataflow it reads")),
                     qPrintable(relation));
        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty()) {
            tree->expand(view->index(int(Model::FolderKind::Reports), 0, hr));
            tree->scrollTo(hr, QAbstractItemView::PositionAtTop);
            QTest::qWait(100);
            window->grab().save(dir + QStringLiteral("/admin-inventory.png"));
        }
    }

    void menuLoadsTheTenantForAMemberConnectionAndBack()
    {
        ExplorerRig rig(false);
        QVERIFY(rig.load());
        QCOMPARE(rig.window->tree()->model()->rowCount(), 22);
        QVERIFY(!rig.window->isAdminView());
        QSignalSpy done(rig.window.get(), &pbi::ui::MainWindow::loadFinished);
        QTest::keyClick(rig.window.get(), Qt::Key_I, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(rig.window->isAdminView());
        QVERIFY(done.wait(20000));
        QVERIFY(done.at(0).at(0).toBool());
        QCOMPARE(rig.window->tree()->model()->rowCount(), int(tenantWorkspaceNames().size()));
        QVERIFY(rig.workspaceRow(QStringLiteral("Legal [Prod]")).isValid());
        // F5 reloads what is shown: the tenant again.
        done.clear();
        QTest::keyClick(rig.window.get(), Qt::Key_F5);
        QVERIFY(done.wait(20000));
        QCOMPARE(rig.window->tree()->model()->rowCount(), int(tenantWorkspaceNames().size()));
        // Back to the identity's own workspaces.
        done.clear();
        rig.window->findChild<QAction*>(QStringLiteral("memberWorkspacesAction"))->trigger();
        QVERIFY(done.wait(20000));
        QVERIFY(!rig.window->isAdminView());
        QCOMPARE(rig.window->tree()->model()->rowCount(), 22);
        QVERIFY(!rig.workspaceRow(QStringLiteral("Legal [Prod]")).isValid());
    }

    void cancelKeepsWhatCameAndResumeGoesOn()
    {
        ExplorerRig rig(true);
        pbi::sandbox::LatencyRule slow;
        slow.path = "^/v1\\.0/myorg/admin/groups$";
        slow.fixedMs = 400;
        rig.f.sandbox().faults().addLatency(slow);
        Loader* loader = rig.window->adminInventory();
        loader->setPageSize(5);
        QSignalSpy done(rig.window.get(), &pbi::ui::MainWindow::loadFinished);
        rig.window->reload();
        QTRY_VERIFY_WITH_TIMEOUT(loader->pagesFetched() >= 1 && loader->isRunning(), 10000);
        auto* cancel = child<QPushButton>(rig.window.get(), "jobCancel");
        QVERIFY(cancel->isVisible());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(done.wait(10000));
        QVERIFY(!done.at(0).at(0).toBool());
        QCOMPARE(loader->state(), Loader::State::Failed);
        QCOMPARE(loader->lastError()->kind, pbi::ErrorKind::Cancelled);
        const int kept = loader->workspacesSoFar();
        QVERIFY(kept >= 5);
        QCOMPARE(rig.window->workspaceModel()->rowCount(), kept); // what came stays browsable
        QVERIFY(rig.window->errorBanner()->isHidden());           // a cancel is no error
        auto* label = child<QLabel>(rig.window.get(), "jobLabel");
        QCOMPARE(label->text(),
                 QStringLiteral("Tenant inventory stopped at %1 workspaces").arg(kept));
        auto* status = child<QLabel>(rig.window.get(), "statusText");
        QVERIFY2(status->text().contains(QStringLiteral("cancelled")), qPrintable(status->text()));
        auto* resume = child<QPushButton>(rig.window.get(), "jobResume");
        QVERIFY(resume->isVisible());
        QVERIFY(!cancel->isVisible());
        QVERIFY(
            rig.window->findChild<QAction*>(QStringLiteral("resumeInventoryAction"))->isEnabled());

        done.clear();
        QTest::mouseClick(resume, Qt::LeftButton);
        QCOMPARE(loader->state(), Loader::State::Running);
        QVERIFY(done.wait(20000));
        QVERIFY(done.at(0).at(0).toBool());
        QCOMPARE(modelWorkspaceNames(rig.window->workspaceModel()), tenantWorkspaceNames());
        QCOMPARE(rig.window->workspaceModel()->rowCount(), int(tenantWorkspaceNames().size()));
        QVERIFY(!resume->isVisible());
    }

    void aLongThrottleStopsWithItsTimeAndResumes()
    {
        ExplorerRig rig(true);
        // The second page is throttled for 2 s, longer than this transport waits by itself: the
        // page fails with the service's time and the run stops there.
        pbi::TransportPolicy policy = rig.f.transport.policy();
        policy.maxRetryAfter = std::chrono::seconds(1);
        rig.f.transport.setPolicy(policy);
        rig.f.sandbox().faults().addFault(
            adminPageFault(pbi::sandbox::FaultKind::Throttled, 1, 1, 2));
        Loader* loader = rig.window->adminInventory();
        loader->setPageSize(5);
        QSignalSpy done(rig.window.get(), &pbi::ui::MainWindow::loadFinished);
        rig.window->reload();
        QVERIFY(done.wait(10000));
        QVERIFY(!done.at(0).at(0).toBool());
        QCOMPARE(loader->state(), Loader::State::Failed);
        const pbi::Error error = *loader->lastError();
        QCOMPARE(error.kind, pbi::ErrorKind::Throttled);
        QVERIFY(error.retryAt.isValid());
        const QString at = error.retryAt.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
        QCOMPARE(rig.window->workspaceModel()->rowCount(), 5); // the first page stays

        // The error says when, in words, with the service's code; the status bar says it too.
        auto* banner = rig.window->errorBanner();
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(QStringLiteral("throttles these admin calls until ") + at),
                 qPrintable(banner->text()));
        QVERIFY(banner->text().contains(QStringLiteral("stopped after 5 workspaces")));
        auto* status = child<QLabel>(rig.window.get(), "statusText");
        QVERIFY2(status->text().contains(QStringLiteral("throttled until ") + at),
                 qPrintable(status->text()));
        QVERIFY(child<QPushButton>(rig.window.get(), "jobResume")->isVisible());
        auto* throttle = rig.window->transportStatus();
        QTRY_VERIFY_WITH_TIMEOUT(throttle->isVisible(), 5000);
        QVERIFY2(throttle->text().startsWith(QStringLiteral("Throttled until ")),
                 qPrintable(throttle->text()));
        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty())
            rig.window->grab().save(dir + QStringLiteral("/admin-inventory-throttled.png"));

        // Once the service's time has passed, Resume goes on from the page that failed.
        QTRY_VERIFY_WITH_TIMEOUT(
            !rig.f.transport.throttledUntil(QStringLiteral("admin.groups")).isValid(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(throttle->isHidden(), 5000);
        done.clear();
        auto* resume = child<QPushButton>(rig.window.get(), "jobResume");
        QVERIFY(resume->isVisible());
        QTest::mouseClick(resume, Qt::LeftButton);
        QVERIFY(banner->isHidden());
        QVERIFY(done.wait(20000));
        QVERIFY(done.at(0).at(0).toBool());
        QCOMPARE(modelWorkspaceNames(rig.window->workspaceModel()), tenantWorkspaceNames());
        QCOMPARE(rig.window->workspaceModel()->rowCount(), int(tenantWorkspaceNames().size()));
        QCOMPARE(rig.f.sandbox().faults().stats().injected.at("429"), 1);
    }

    void aThrottledCallWaitingShowsInTheStatusBar()
    {
        ExplorerRig rig(true);
        // Within the transport's patience: the page waits the 3 s out by itself, visibly.
        rig.f.sandbox().faults().addFault(
            adminPageFault(pbi::sandbox::FaultKind::Throttled, 1, 1, 3));
        Loader* loader = rig.window->adminInventory();
        loader->setPageSize(5);
        QSignalSpy done(rig.window.get(), &pbi::ui::MainWindow::loadFinished);
        rig.window->reload();
        auto* throttle = rig.window->transportStatus();
        QTRY_VERIFY_WITH_TIMEOUT(throttle->callsWaiting() == 1, 10000);
        QVERIFY(throttle->isVisible());
        QVERIFY2(throttle->text().contains(QStringLiteral("Throttled until ")) &&
                     throttle->text().contains(QStringLiteral("1 call waiting")),
                 qPrintable(throttle->text()));
        QVERIFY(loader->isRunning()); // waiting is not failing
        QVERIFY(done.wait(20000));
        QVERIFY(done.at(0).at(0).toBool());
        QCOMPARE(rig.window->workspaceModel()->rowCount(), int(tenantWorkspaceNames().size()));
        QTRY_VERIFY_WITH_TIMEOUT(throttle->isHidden(), 5000);
        QCOMPARE(throttle->callsWaiting(), 0);
    }

    void aFailedPageCanBeRetriedFromTheBanner()
    {
        ExplorerRig rig(true);
        pbi::TransportPolicy policy = rig.f.transport.policy();
        policy.maxAttempts = 1; // no transparent retries: the 500 reaches the window
        rig.f.transport.setPolicy(policy);
        rig.f.sandbox().faults().addFault(
            adminPageFault(pbi::sandbox::FaultKind::ServerError, 2, 1));
        rig.window->adminInventory()->setPageSize(5);
        QVERIFY(!rig.load());
        auto* banner = rig.window->errorBanner();
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(QStringLiteral("stopped after 9 workspaces")),
                 qPrintable(banner->text()));
        QCOMPARE(rig.window->workspaceModel()->rowCount(), 9); // two pages of five, one re-read
        // The banner's Retry resumes rather than starting over.
        const auto before = rig.f.sandbox().faults().stats().requests;
        QSignalSpy done(rig.window.get(), &pbi::ui::MainWindow::loadFinished);
        auto* retry = banner->findChild<QPushButton*>();
        QVERIFY(retry);
        QCOMPARE(retry->text(), QStringLiteral("&Retry"));
        QTest::mouseClick(retry, Qt::LeftButton);
        QVERIFY(done.wait(20000));
        QVERIFY(done.at(0).at(0).toBool());
        QCOMPARE(rig.window->workspaceModel()->rowCount(), int(tenantWorkspaceNames().size()));
        // 27 workspaces from the third page on: pages at 8, 12, 16, 20, 24 (overlap one).
        QCOMPARE(rig.f.sandbox().faults().stats().requests - before, 5);
    }

    void reloadingOneWorkspaceReadsItAgainAsAdmin()
    {
        ExplorerRig rig(true);
        QVERIFY(rig.load());
        pbi::TransportPolicy policy = rig.f.transport.policy();
        policy.maxAttempts = 1;
        rig.f.transport.setPolicy(policy);
        QTreeView* tree = rig.window->tree();
        const QModelIndex legal = rig.workspaceRow(QStringLiteral("Legal [Prod]"));
        auto* view = tree->model();
        const QModelIndex reports = view->index(int(Model::FolderKind::Reports), 0, legal);
        const int count = view->rowCount(reports);
        QVERIFY(count > 0);
        tree->setCurrentIndex(reports);
        Loader* loader = rig.window->adminInventory();
        QSignalSpy reloaded(loader, &Loader::workspaceReloaded);
        const std::size_t calls = rig.f.log.entries().size();
        QTest::keyClick(tree, Qt::Key_F5, Qt::ShiftModifier);
        QVERIFY(reloaded.wait(10000));
        QVERIFY(!reloaded.at(0).at(1).value<std::optional<pbi::Error>>().has_value());
        // One admin call for that workspace, nothing at member scope (it would be refused: the
        // service principal is no member of Legal [Prod]).
        QCOMPARE(rig.f.log.entries().size(), calls + 1);
        const auto& e = rig.f.log.entries().back();
        QVERIFY(e.url.path().endsWith(QStringLiteral("/admin/groups")));
        QVERIFY2(
            e.url.query(QUrl::FullyDecoded)
                .contains(
                    QStringLiteral("$filter=id eq '%1'").arg(legal.data(Model::IdRole).toString())),
            qPrintable(e.url.toString()));
        QCOMPARE(view->rowCount(reports), count);
        QVERIFY(legal.data(Model::ErrorRole).toString().isEmpty());

        // A failure shows on that workspace, which keeps what it held; the rest is untouched.
        rig.f.sandbox().faults().addFault(
            adminPageFault(pbi::sandbox::FaultKind::ServerError, 0, 1));
        reloaded.clear();
        tree->setCurrentIndex(legal);
        QTest::keyClick(tree, Qt::Key_F5, Qt::ShiftModifier);
        QVERIFY(reloaded.wait(10000));
        QVERIFY(reloaded.at(0).at(1).value<std::optional<pbi::Error>>().has_value());
        QVERIFY2(
            legal.data(Model::ErrorRole).toString().contains(QStringLiteral("InternalServerError")),
            qPrintable(legal.data(Model::ErrorRole).toString()));
        QVERIFY(legal.data(Qt::ForegroundRole).isValid());
        QCOMPARE(view->rowCount(reports), count);
        QCOMPARE(Model::LoadState(reports.data(Model::StateRole).toInt()),
                 Model::LoadState::Loaded);
        QVERIFY(rig.workspaceRow(QStringLiteral("Sales [Prod]"))
                    .data(Model::ErrorRole)
                    .toString()
                    .isEmpty());
        auto* detailsError =
            rig.window->detailsPane()->findChild<QLabel*>(QStringLiteral("detailsError"));
        QTRY_VERIFY(detailsError->isVisible());
        QVERIFY(detailsError->text().contains(QStringLiteral("InternalServerError")));
        // Once the service answers again, reading it again clears the error.
        reloaded.clear();
        QTest::keyClick(tree, Qt::Key_F5, Qt::ShiftModifier);
        QVERIFY(reloaded.wait(10000));
        QVERIFY(legal.data(Model::ErrorRole).toString().isEmpty());
    }

    void aPrincipalWithoutAdminRightsIsToldWhy()
    {
        // The tenant's "Nightly ETL" app is not in the group the admin-API tenant setting names.
        const auto tenant = pbi::sandbox::makeDemoTenant();
        const auto& etl = tenant.apps[1];
        QCOMPARE(QString::fromStdString(etl.displayName), QStringLiteral("Nightly ETL"));
        ExplorerRig rig(
            true, explorerSandbox(),
            {QString::fromStdString(etl.clientId), QString::fromStdString(etl.secrets.front())});
        QVERIFY(!rig.load());
        auto* banner = rig.window->errorBanner();
        QVERIFY(banner->isVisible());
        QVERIFY2(
            banner->text().startsWith(QStringLiteral("The tenant inventory could not be loaded.")),
            qPrintable(banner->text()));
        QVERIFY2(banner->text().contains(QStringLiteral("PowerBINotAuthorizedException")),
                 qPrintable(banner->text()));
        QVERIFY(banner->text().contains(QStringLiteral("Request id: ")));
        QCOMPARE(rig.window->workspaceModel()->rowCount(), 0);
        // Its own workspaces are one action away.
        QSignalSpy done(rig.window.get(), &pbi::ui::MainWindow::loadFinished);
        rig.window->findChild<QAction*>(QStringLiteral("memberWorkspacesAction"))->trigger();
        QVERIFY(done.wait(20000));
        QVERIFY(done.at(0).at(0).toBool());
        QVERIFY(rig.window->workspaceModel()->rowCount() > 0);
        QVERIFY(banner->isHidden());
    }

    void snapshotOfTheLoadedInventory()
    {
        ExplorerRig rig(true);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tenant.json"));
        // Not before the inventory is complete: a partial one would read as deletions later.
        rig.dialogs.savePaths << path;
        QSignalSpy saved(rig.window.get(), &pbi::ui::MainWindow::snapshotSaved);
        QTest::keyClick(rig.window.get(), Qt::Key_S, Qt::ControlModifier);
        QCOMPARE(saved.count(), 1);
        QVERIFY(!saved.at(0).at(0).toBool());
        QVERIFY(rig.dialogs.informed.last().contains(QStringLiteral("not complete")));
        QVERIFY(!QFile::exists(path));

        QVERIFY(rig.load());
        const std::size_t calls = rig.f.log.entries().size();
        rig.dialogs.savePaths << path;
        QTest::keyClick(rig.window.get(), Qt::Key_S, Qt::ControlModifier);
        QCOMPARE(saved.count(), 2);
        QVERIFY(saved.at(1).at(0).toBool());
        QCOMPARE(rig.f.log.entries().size(), calls); // from the tree, no new calls
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto snapshot = pbi::Snapshot::fromJson(file.readAll());
        QVERIFY(snapshot.ok());
        QCOMPARE(snapshot.value().scope, QStringLiteral("admin"));
        QCOMPARE(snapshot.value().connection, QStringLiteral("Sandbox tenant (admin)"));
        QCOMPARE(int(snapshot.value().workspaces.size()), int(tenantWorkspaceNames().size()));
        const auto tenant = pbi::sandbox::makeDemoTenant();
        for (const auto& w : snapshot.value().workspaces) {
            const auto it =
                std::find_if(tenant.workspaces.begin(), tenant.workspaces.end(),
                             [&](const auto& t) { return QString::fromStdString(t.id) == w.id; });
            QVERIFY(it != tenant.workspaces.end());
            if (it->state != "Active")
                continue; // the service lists no items of a deleted workspace
            QCOMPARE(w.reports.size(), it->reports.size());
            QCOMPARE(w.datasets.size(), it->datasets.size());
            QCOMPARE(w.users.size(), it->members.size());
        }
    }

    void failedRefreshFilterCancelErrorAndResult()
    {
        ExplorerRig rig(true);
        QVERIFY(rig.load());
        auto* window = rig.window.get();
        QAbstractItemModel* view = window->tree()->model();
        QAbstractItemModelTester tester(view, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int everything = view->rowCount();
        auto* box = child<QCheckBox>(window, "failedRefreshFilter");
        auto* jobLabel = child<QLabel>(window, "jobLabel");
        auto* cancel = child<QPushButton>(window, "jobCancel");
        auto* scan = window->failedRefreshScan();

        // 1. Switched on, the outcomes are read first, as a job in the status bar; Cancel
        //    switches the filter off again and nothing is hidden.
        pbi::sandbox::LatencyRule slow;
        slow.path = "^/v1\\.0/myorg/admin/capacities/refreshables$";
        slow.fixedMs = 1500;
        rig.f.sandbox().faults().addLatency(slow);
        QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
        QVERIFY(box->isChecked());
        QVERIFY(scan->isRunning());
        QVERIFY(jobLabel->isVisible());
        QVERIFY2(jobLabel->text().startsWith(QStringLiteral("Refresh outcomes")), qPrintable(jobLabel->text()));
        QVERIFY(cancel->isVisible());
        QCOMPARE(view->rowCount(), everything); // not applied before the outcomes are known

        // The status bar at 1280 px with a job showing: nothing is pushed out of the window;
        // the identity gives way (elided, whole in its tooltip) rather than being clipped.
        window->resize(1280, 780);
        QTest::qWait(50);
        auto* identity = child<pbi::ui::ElidingLabel>(window, "identityLabel");
        QStatusBar* bar = window->statusBar();
        QVERIFY(identity->isVisible());
        const QRect inBar(identity->mapTo(bar, QPoint(0, 0)), identity->size());
        QVERIFY2(inBar.right() <= bar->width(), qPrintable(QString::number(inBar.right())));
        QVERIFY(identity->width() >= identity->minimumSizeHint().width());
        if (identity->text() != identity->fullText())
            QCOMPARE(identity->toolTip(), identity->fullText());
        QVERIFY(identity->fullText().contains(QStringLiteral("5b1c9d3e")));
        QVERIFY(jobLabel->width() >= jobLabel->sizeHint().width());
        const QRect cancelInBar(cancel->mapTo(bar, QPoint(0, 0)), cancel->size());
        QVERIFY(cancelInBar.right() <= inBar.left());
        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty()) {
            window->grab().save(dir + QStringLiteral("/filter-failed-refresh-running.png"));
            bar->grab().save(dir + QStringLiteral("/statusbar-job-1280.png"));
        }
        QSignalSpy cancelled(scan, &pbi::ui::FailedRefreshScan::cancelled);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!box->isChecked());
        QVERIFY(!window->explorerProxy()->failedRefreshOnly());
        QVERIFY(!jobLabel->isVisible());
        QCOMPARE(view->rowCount(), everything);
        rig.f.sandbox().faults().clear();

        // 2. Refused: the banner says so with the service's code, the filter stays off, the tree
        //    stays as it was.
        pbi::sandbox::FaultRule refuse;
        refuse.kind = pbi::sandbox::FaultKind::ServerError;
        refuse.path = "^/v1\\.0/myorg/admin/capacities/refreshables$";
        rig.f.sandbox().faults().addFault(refuse);
        QSignalSpy failed(scan, &pbi::ui::FailedRefreshScan::failed);
        QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
        QVERIFY(failed.wait(30000));
        auto* banner = window->errorBanner();
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(QStringLiteral("InternalServerError")), qPrintable(banner->text()));
        QVERIFY(banner->text().contains(QStringLiteral("refresh outcomes")));
        QVERIFY(!box->isChecked());
        QCOMPARE(view->rowCount(), everything);
        rig.f.sandbox().faults().clear();
        banner->clear();

        // 3. Answered: only models whose last refresh failed, under their workspaces — checked
        //    against the service's own refreshables, read here through the core.
        QSignalSpy finished(scan, &pbi::ui::FailedRefreshScan::finished);
        QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
        QVERIFY(finished.wait(30000));
        // The outcome in the status bar, over (not beside) the status text.
        QVERIFY2(window->statusBar()->currentMessage().contains(QStringLiteral("last refresh failed")),
                 qPrintable(window->statusBar()->currentMessage()));
        QVERIFY(!child<QLabel>(window, "statusText")->isVisible());
        QVERIFY(box->isChecked());
        QVERIFY(window->explorerProxy()->failedRefreshOnly());
        std::optional<std::vector<pbi::Refreshable>> truth;
        pbi::AdminRefreshablesQuery q;
        rig.client.adminRefreshables(q, window, [&](pbi::Result<std::vector<pbi::Refreshable>> r) {
            QVERIFY(r.ok());
            truth = r.value();
        });
        QTRY_VERIFY_WITH_TIMEOUT(truth.has_value(), 10000);
        QSet<QString> failedIds;
        for (const auto& item : *truth)
            if (item.lastRefresh && pbi::refresh::stateOf(*item.lastRefresh) == pbi::refresh::State::Failed)
                failedIds.insert(item.id.toLower());
        QVERIFY(!failedIds.isEmpty());
        QSet<QString> shownIds;
        QVERIFY(view->rowCount() > 0 && view->rowCount() < everything);
        for (int w = 0; w < view->rowCount(); ++w) {
            const QModelIndex ws = view->index(w, 0);
            QCOMPARE(view->rowCount(ws), 1); // the models folder only
            const QModelIndex folder = view->index(0, 0, ws);
            QVERIFY(folder.data().toString().startsWith(QStringLiteral("Semantic models")));
            for (int r = 0; r < view->rowCount(folder); ++r)
                shownIds.insert(view->index(r, 0, folder).data(Model::IdRole).toString().toLower());
        }
        QCOMPARE(shownIds, failedIds);
        QVERIFY(window->explorerProxy()->describe().contains(QStringLiteral("last refresh failed")));
        if (const QString dir = qEnvironmentVariable("PBI_SCREENSHOT_DIR"); !dir.isEmpty()) {
            window->tree()->expandAll();
            window->tree()->setCurrentIndex(view->index(0, 0, view->index(0, 0, view->index(0, 0))));
            window->statusBar()->clearMessage();
            QTest::qWait(100);
            window->grab().save(dir + QStringLiteral("/filter-failed-refresh.png"));
        }
        // Off again: everything.
        QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
        QCOMPARE(view->rowCount(), everything);
    }
};

QTEST_MAIN(TestAdminInventory)
#include "tst_admininventory.moc"
