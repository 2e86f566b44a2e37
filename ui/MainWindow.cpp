#include "MainWindow.h"

#include "ExplorerProxy.h"

#include "DetailsPane.h"
#include "DialogSeam.h"
#include "ErrorBanner.h"
#include "RefreshMonitorView.h"
#include "RefreshPanel.h"
#include "RefreshStatus.h"
#include "RequestLogView.h"
#include "TokenInspector.h"
#include "WorkspaceTreeModel.h"

#include "Clock.h"
#include "api/PowerBiClient.h"
#include "auth/TokenProvider.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTime>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace pbi::ui {

MainWindow::MainWindow(pbi::PowerBiClient* client, ConnectionDescription connection,
                       QWidget* parent, const pbi::Clock* clock)
    : QMainWindow(parent)
    , m_client(client)
    , m_connection(std::move(connection))
    , m_model(new WorkspaceTreeModel(this))
    , m_proxy(new ExplorerProxy(this))
    , m_tree(new QTreeView(this))
    , m_filter(new QLineEdit(this))
    , m_error(new ErrorBanner(this))
    , m_band(new QLabel(this))
    , m_status(new QLabel(this))
    , m_identity(new QLabel(this))
    , m_details(new DetailsPane(this))
    , m_ownClock(clock ? nullptr : std::make_unique<pbi::SystemClock>())
    , m_clock(clock ? clock : m_ownClock.get())
    , m_requestLog(new RequestLogView(this))
    , m_tokenInspector(new TokenInspector(m_clock, this))
    , m_requestLogDock(new QDockWidget(tr("Request log"), this))
    , m_tokenDock(new QDockWidget(tr("Token inspector"), this))
    , m_refreshPanel(new RefreshPanel(m_clock, this))
    , m_refreshDock(new QDockWidget(tr("Refreshes"), this))
    , m_monitorView(new RefreshMonitorView(m_clock, this))
    , m_monitorDock(new QDockWidget(tr("Refresh monitor"), this))
    , m_ownDialogs(std::make_unique<WidgetDialogs>())
    , m_dialogs(m_ownDialogs.get())
{
    resize(1100, 720);
    m_band->setObjectName(QStringLiteral("environmentBand"));

    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setPlaceholderText(tr("Filter by name or id (Ctrl+F): matches workspaces and every loaded item"));
    m_filter->setClearButtonEnabled(true);

    m_proxy->setTreeModel(m_model);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &ExplorerProxy::setFilterText);

    m_tree->setObjectName(QStringLiteral("workspaceTree"));
    m_tree->setModel(m_proxy);
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(WorkspaceTreeModel::NameColumn, Qt::AscendingOrder);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tree->header()->setSectionResizeMode(WorkspaceTreeModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->resizeSection(WorkspaceTreeModel::TypeColumn, 120);
    m_tree->header()->resizeSection(WorkspaceTreeModel::DetailColumn, 170);
    m_tree->header()->resizeSection(WorkspaceTreeModel::IdColumn, 280);
    // Ids are in the details pane and the filter matches them; the column is opt-in.
    m_tree->setColumnHidden(WorkspaceTreeModel::IdColumn, true);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::currentItemChanged);
    // Expanding a workspace loads all its folders at once, so their counts show.
    connect(m_tree, &QTreeView::expanded, this, [this](const QModelIndex& index) {
        m_model->loadWorkspace(m_proxy->mapToSource(index));
    });
    // Folders load as they arrive; keep the details of the shown item in step with them.
    connect(m_model, &WorkspaceTreeModel::folderLoaded, this, [this] {
        m_details->showItem(m_model, m_proxy->mapToSource(m_tree->currentIndex()));
        if (m_pendingSelection)
            trySelectPendingModel();
    });

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_band);
    auto* body = new QVBoxLayout;
    body->setContentsMargins(8, 8, 8, 8);
    body->addWidget(m_error);
    body->addWidget(m_filter);
    m_splitter = new QSplitter(this);
    m_splitter->setObjectName(QStringLiteral("explorerSplitter"));
    m_splitter->addWidget(m_tree);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setSizes({700, 480});
    body->addWidget(m_splitter, 1);

    // Docks: hidden until asked for (View menu), remembered with the window layout.
    m_requestLogDock->setObjectName(QStringLiteral("requestLogDock"));
    m_requestLogDock->setWidget(m_requestLog);
    addDockWidget(Qt::BottomDockWidgetArea, m_requestLogDock);
    m_requestLogDock->hide();
    m_tokenDock->setObjectName(QStringLiteral("tokenDock"));
    m_tokenDock->setWidget(m_tokenInspector);
    addDockWidget(Qt::RightDockWidgetArea, m_tokenDock);
    m_tokenDock->hide();
    m_refreshDock->setObjectName(QStringLiteral("refreshDock"));
    m_refreshDock->setWidget(m_refreshPanel);
    addDockWidget(Qt::BottomDockWidgetArea, m_refreshDock);
    m_refreshDock->hide();
    m_monitorDock->setObjectName(QStringLiteral("monitorDock"));
    m_monitorDock->setWidget(m_monitorView);
    addDockWidget(Qt::BottomDockWidgetArea, m_monitorDock);
    tabifyDockWidget(m_refreshDock, m_monitorDock);
    m_monitorDock->hide();
    m_refreshPanel->setDialogs(m_dialogs);
    m_monitorView->setDialogs(m_dialogs);
    connect(m_refreshPanel, &RefreshPanel::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, 15000); });
    connect(m_refreshPanel, &RefreshPanel::refreshFinished, this, &MainWindow::notifyRefreshEnded);
    connect(m_monitorView, &RefreshMonitorView::modelActivated, this, &MainWindow::selectModel);
    layout->addLayout(body, 1);
    setCentralWidget(central);

    m_status->setObjectName(QStringLiteral("statusText"));
    statusBar()->addWidget(m_status, 1);
    m_identity->setObjectName(QStringLiteral("identityLabel"));
    statusBar()->addPermanentWidget(m_identity);

    connect(m_error, &ErrorBanner::retryRequested, this, &MainWindow::reload);
    buildMenus();
    m_model->setClient(m_client);
    applyConnection();
}

void MainWindow::applyConnection()
{
    setWindowTitle(tr("PBI Console — %1").arg(m_connection.title));
    m_band->setText(QStringLiteral("<b>%1</b>&nbsp;&nbsp;%2")
                        .arg(m_connection.title.toHtmlEscaped(),
                             m_connection.subtitle.toHtmlEscaped()));
    const QColor band = m_connection.color.isValid() ? m_connection.color : QColor(0x45, 0x5a, 0x64);
    const QString fg = band.lightnessF() > 0.6 ? QStringLiteral("#000000") : QStringLiteral("#ffffff");
    m_band->setStyleSheet(QStringLiteral("#environmentBand { background: %1; color: %2; padding: 6px 10px; }")
                              .arg(band.name(), fg));
    m_band->setAccessibleName(tr("Connection: %1").arg(m_connection.title));
    m_identity->setText(m_client ? m_client->tokenProvider()->identityLabel() : tr("Not connected"));
    m_tokenInspector->setTokenProvider(m_client ? m_client->tokenProvider() : nullptr);
    m_refreshPanel->setConnection(m_client, m_connection);
    m_monitorView->setConnection(m_client, m_connection);
    m_pendingSelection.reset();
    currentItemChanged(m_tree->currentIndex());
}

void MainWindow::setDialogs(DialogSeam* dialogs)
{
    m_dialogs = dialogs ? dialogs : m_ownDialogs.get();
    m_refreshPanel->setDialogs(m_dialogs);
    m_monitorView->setDialogs(m_dialogs);
}

void MainWindow::currentItemChanged(const QModelIndex& proxyIndex)
{
    const QModelIndex source = m_proxy->mapToSource(proxyIndex);
    m_details->showItem(m_model, source);
    const pbi::Dataset* dataset = nullptr;
    if (source.isValid() && m_model->kindAt(source) == WorkspaceTreeModel::NodeKind::SemanticModel)
        if (const auto* payload = m_model->payloadAt(source))
            dataset = std::get_if<pbi::Dataset>(payload);
    const pbi::Workspace* workspace = dataset ? m_model->workspaceAt(source) : nullptr;
    if (dataset && workspace)
        m_refreshPanel->showModel(*workspace, *dataset);
    else
        m_refreshPanel->showNothing();
    const bool refreshable = m_client && dataset && workspace && dataset->isRefreshable;
    if (m_refreshNowAction) {
        m_refreshNowAction->setEnabled(refreshable);
        m_scheduleAction->setEnabled(refreshable);
    }
}

void MainWindow::selectModel(const QString& workspaceId, const QString& datasetId,
                             const QString& workspaceName, const QString& datasetName)
{
    m_refreshDock->show();
    m_refreshDock->raise();
    QModelIndex workspace;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex i = m_model->index(row, 0);
        if (i.data(WorkspaceTreeModel::IdRole).toString() == workspaceId) {
            workspace = i;
            break;
        }
    }
    if (!workspace.isValid()) {
        m_pendingSelection.reset();
        statusBar()->showMessage(
            tr("“%1” is not in the explorer: this identity is not a member of workspace “%2”.")
                .arg(datasetName.isEmpty() ? datasetId : datasetName,
                     workspaceName.isEmpty() ? workspaceId : workspaceName),
            15000);
        return;
    }
    if (!m_proxy->mapFromSource(workspace).isValid())
        m_filter->clear(); // the filter hides it: show everything again
    m_pendingSelection = PendingSelection{workspaceId, datasetId, datasetName};
    m_model->loadWorkspace(workspace);
    m_tree->expand(m_proxy->mapFromSource(workspace));
    trySelectPendingModel();
}

bool MainWindow::trySelectPendingModel()
{
    if (!m_pendingSelection)
        return false;
    const PendingSelection wanted = *m_pendingSelection;
    QModelIndex workspace;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex i = m_model->index(row, 0);
        if (i.data(WorkspaceTreeModel::IdRole).toString() == wanted.workspaceId)
            workspace = i;
    }
    const QModelIndex folder =
        workspace.isValid()
            ? m_model->index(int(WorkspaceTreeModel::FolderKind::SemanticModels), 0, workspace)
            : QModelIndex();
    if (!folder.isValid()) {
        m_pendingSelection.reset();
        return false;
    }
    const auto state =
        WorkspaceTreeModel::LoadState(folder.data(WorkspaceTreeModel::StateRole).toInt());
    for (int row = 0; row < m_model->rowCount(folder); ++row) {
        const QModelIndex item = m_model->index(row, 0, folder);
        if (item.data(WorkspaceTreeModel::IdRole).toString() != wanted.datasetId)
            continue;
        m_pendingSelection.reset();
        QModelIndex shown = m_proxy->mapFromSource(item);
        if (!shown.isValid()) {
            m_filter->clear();
            shown = m_proxy->mapFromSource(item);
        }
        m_tree->expand(m_proxy->mapFromSource(folder));
        m_tree->setCurrentIndex(shown);
        m_tree->scrollTo(shown);
        return true;
    }
    if (state == WorkspaceTreeModel::LoadState::Loaded ||
        state == WorkspaceTreeModel::LoadState::Failed) {
        m_pendingSelection.reset();
        statusBar()->showMessage(
            tr("The semantic model “%1” is no longer in its workspace.")
                .arg(wanted.datasetName.isEmpty() ? wanted.datasetId : wanted.datasetName),
            15000);
    }
    return false;
}

void MainWindow::notifyRefreshEnded(const QString& message, pbi::refresh::State state)
{
    statusBar()->showMessage(message, 30000);
    // A desktop notification where the desktop has a tray; the status bar says it everywhere.
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    if (!m_tray)
        m_tray = new QSystemTrayIcon(this);
    m_tray->setIcon(refreshStateIcon(state));
    m_tray->setToolTip(tr("PBI Console"));
    m_tray->show();
    m_tray->showMessage(tr("PBI Console"), message,
                        state == pbi::refresh::State::Failed ? QSystemTrayIcon::Warning
                                                             : QSystemTrayIcon::Information,
                        10000);
    QTimer::singleShot(15000, m_tray, &QSystemTrayIcon::hide);
}

MainWindow::~MainWindow() = default;

void MainWindow::setRequestLog(pbi::RequestLog* log)
{
    m_requestLog->setLog(log);
}

void MainWindow::setSettings(QSettings* settings)
{
    m_settings = settings;
    if (!settings)
        return;
    settings->beginGroup(QStringLiteral("mainWindow"));
    restoreGeometry(settings->value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings->value(QStringLiteral("state")).toByteArray());
    m_splitter->restoreState(settings->value(QStringLiteral("splitter")).toByteArray());
    m_tree->header()->restoreState(settings->value(QStringLiteral("columns")).toByteArray());
    settings->endGroup();
    m_monitorView->setSettings(settings);
}

void MainWindow::saveLayout()
{
    if (!m_settings)
        return;
    m_settings->beginGroup(QStringLiteral("mainWindow"));
    m_settings->setValue(QStringLiteral("geometry"), saveGeometry());
    m_settings->setValue(QStringLiteral("state"), saveState());
    m_settings->setValue(QStringLiteral("splitter"), m_splitter->saveState());
    m_settings->setValue(QStringLiteral("columns"), m_tree->header()->saveState());
    m_settings->endGroup();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveLayout();
    QMainWindow::closeEvent(event);
}

void MainWindow::setConnection(pbi::PowerBiClient* client, ConnectionDescription connection)
{
    ++m_generation;
    m_loading = false;
    m_client = client;
    m_connection = std::move(connection);
    m_model->setClient(client);
    m_details->showItem(nullptr, {});
    m_error->clear();
    applyConnection();
    if (m_client)
        reload();
    else
        m_status->setText(tr("Not connected: choose a connection (Ctrl+K)."));
}

void MainWindow::showConnectionError(const QString& context, const pbi::Error& error)
{
    m_error->showError(context, error);
    m_status->setText(tr("Failed: %1").arg(error.summary()));
}

void MainWindow::buildMenus()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    auto* connection = menuBar()->addMenu(tr("&Connection"));
    auto* manage = connection->addAction(tr("&Manage connections…"), this,
                                         &MainWindow::manageConnectionsRequested);
    manage->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));

    auto* view = menuBar()->addMenu(tr("&View"));
    auto* reloadAction = view->addAction(tr("&Reload workspaces"), this, &MainWindow::reload);
    reloadAction->setShortcut(QKeySequence::Refresh);
    auto* find = view->addAction(tr("&Filter…"), this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    find->setShortcut(QKeySequence::Find);
    view->addSeparator();
    QAction* logAction = m_requestLogDock->toggleViewAction();
    logAction->setText(tr("Request &log"));
    logAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    view->addAction(logAction);
    QAction* tokenAction = m_tokenDock->toggleViewAction();
    tokenAction->setText(tr("&Token inspector"));
    tokenAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    view->addAction(tokenAction);
    connect(tokenAction, &QAction::toggled, this, [this](bool on) {
        if (on && m_client)
            m_tokenInspector->inspectCurrent();
    });
    QAction* refreshesAction = m_refreshDock->toggleViewAction();
    refreshesAction->setText(tr("&Refreshes"));
    // Not Ctrl+R: that is "Reload" (QKeySequence::Refresh) on GNOME and macOS.
    refreshesAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    view->addAction(refreshesAction);
    QAction* monitorAction = m_monitorDock->toggleViewAction();
    monitorAction->setText(tr("Refresh &monitor"));
    monitorAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    view->addAction(monitorAction);
    // Docks that share a tab bar: the one asked for comes to the front.
    for (QDockWidget* dock : {m_refreshDock, m_monitorDock})
        connect(dock->toggleViewAction(), &QAction::toggled, dock, [dock](bool on) {
            if (on)
                dock->raise();
        });
    view->addSeparator();
    auto* showIds = view->addAction(tr("Show &id column"));
    showIds->setCheckable(true);
    connect(showIds, &QAction::toggled, this, [this](bool on) {
        m_tree->setColumnHidden(WorkspaceTreeModel::IdColumn, !on);
    });

    // Item actions: in the Item menu and on the tree's context menu.
    auto* item = menuBar()->addMenu(tr("&Item"));
    auto* reloadItem = item->addAction(tr("Reload this &workspace"), this, [this] {
        m_model->reload(m_proxy->mapToSource(m_tree->currentIndex()));
    });
    reloadItem->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    auto* copyId = item->addAction(tr("Copy &id"), this, [this] {
        QApplication::clipboard()->setText(m_tree->currentIndex().data(WorkspaceTreeModel::IdRole).toString());
    });
    copyId->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    auto* copyName = item->addAction(tr("Copy &name"), this, [this] {
        QApplication::clipboard()->setText(m_tree->currentIndex().siblingAtColumn(0).data().toString());
    });
    item->addSeparator();
    m_refreshNowAction = item->addAction(tr("Refresh &now…"), this, [this] {
        m_refreshDock->show();
        m_refreshDock->raise();
        m_refreshPanel->openTriggerDialog();
    });
    m_refreshNowAction->setObjectName(QStringLiteral("refreshNowAction"));
    m_scheduleAction = item->addAction(tr("Edit refresh &schedule…"), this, [this] {
        m_refreshDock->show();
        m_refreshDock->raise();
        m_refreshPanel->openScheduleEditor();
    });
    m_scheduleAction->setObjectName(QStringLiteral("scheduleAction"));
    m_refreshNowAction->setEnabled(false);
    m_scheduleAction->setEnabled(false);
    auto* separator = new QAction(this);
    separator->setSeparator(true);
    m_tree->addActions(
        {reloadItem, copyId, copyName, separator, m_refreshNowAction, m_scheduleAction});

    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About PBI Console"), this, [this] {
        QMessageBox::about(this, tr("About PBI Console"),
                           tr("<b>PBI Console</b> %1<br>A desktop administration console for the "
                              "Power BI REST API.")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::reload()
{
    if (m_loading || !m_client)
        return;
    m_loading = true;
    m_status->setText(tr("Loading workspaces…"));
    const quint64 generation = m_generation;
    m_client->listWorkspaces(this, [this, generation](pbi::Result<std::vector<pbi::Workspace>> result) {
        if (generation != m_generation)
            return; // an answer for a connection no longer shown
        m_loading = false;
        if (!result) {
            m_model->setWorkspaces({});
            m_error->showError(tr("Could not load the workspaces."), result.error());
            m_status->setText(tr("Failed: %1").arg(result.error().summary()));
            Q_EMIT loadFinished(false);
            return;
        }
        const auto count = result.value().size();
        m_error->clear();
        m_model->setWorkspaces(std::move(result).value());
        const QString loaded = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
        m_status->setText(count == 1 ? tr("1 workspace · loaded at %1").arg(loaded)
                                     : tr("%1 workspaces · loaded at %2").arg(count).arg(loaded));
        Q_EMIT loadFinished(true);
    });
}

} // namespace pbi::ui
