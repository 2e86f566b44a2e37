#include "MainWindow.h"

#include "ExplorerProxy.h"

#include "AdminInventoryLoader.h"
#include "DetailsPane.h"
#include "DialogSeam.h"
#include "EmbedTokenView.h"
#include "ElidingLabel.h"
#include "ErrorBanner.h"
#include "FailedRefreshScan.h"
#include "KindFilterButton.h"
#include "KindIcons.h"
#include "PermissionProbeView.h"
#include "ReadinessView.h"
#include "RefreshMonitorView.h"
#include "RefreshPanel.h"
#include "RefreshStatus.h"
#include "RequestLogView.h"
#include "SnapshotDiffDialog.h"
#include "TokenInspector.h"
#include "TransportStatus.h"
#include "WorkspaceTreeModel.h"

#include "Clock.h"
#include "api/PowerBiClient.h"
#include "auth/TokenProvider.h"
#include "http/Transport.h"
#include "inventory/InventoryCollector.h"
#include "inventory/Snapshot.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTime>
#include <QTimer>
#include <QToolButton>
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
    , m_status(new ElidingLabel(this))
    , m_identity(new ElidingLabel(this))
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
    , m_embedView(new EmbedTokenView(m_clock, this))
    , m_embedDock(new QDockWidget(tr("Embed token"), this))
    , m_probeView(new PermissionProbeView(this))
    , m_probeDock(new QDockWidget(tr("Permissions"), this))
    , m_readinessView(new ReadinessView(m_clock, this))
    , m_readinessDock(new QDockWidget(tr("Readiness checklist"), this))
    , m_ownDialogs(std::make_unique<WidgetDialogs>())
    , m_dialogs(m_ownDialogs.get())
{
    resize(1100, 720);
    m_inventory = new AdminInventoryLoader(m_model, this);
    m_failedScan = new FailedRefreshScan(this);
    m_transportStatus = new TransportStatus(m_clock, this);
    m_adminView = m_connection.adminScope;
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
    buildFilterBar(body);
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
    m_embedDock->setObjectName(QStringLiteral("embedDock"));
    m_embedDock->setWidget(m_embedView);
    addDockWidget(Qt::RightDockWidgetArea, m_embedDock);
    tabifyDockWidget(m_tokenDock, m_embedDock);
    m_embedDock->hide();
    m_probeDock->setObjectName(QStringLiteral("probeDock"));
    m_probeDock->setWidget(m_probeView);
    addDockWidget(Qt::RightDockWidgetArea, m_probeDock);
    tabifyDockWidget(m_tokenDock, m_probeDock);
    m_probeDock->hide();
    m_readinessDock->setObjectName(QStringLiteral("readinessDock"));
    m_readinessDock->setWidget(m_readinessView);
    addDockWidget(Qt::BottomDockWidgetArea, m_readinessDock);
    tabifyDockWidget(m_monitorDock, m_readinessDock);
    m_readinessDock->hide();
    m_readinessView->setDialogs(m_dialogs);
    connect(m_embedView, &EmbedTokenView::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, 15000); });
    connect(m_probeView, &PermissionProbeView::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, 15000); });
    m_refreshPanel->setDialogs(m_dialogs);
    m_monitorView->setDialogs(m_dialogs);
    connect(m_refreshPanel, &RefreshPanel::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, 15000); });
    connect(m_refreshPanel, &RefreshPanel::refreshFinished, this, &MainWindow::notifyRefreshEnded);
    connect(m_monitorView, &RefreshMonitorView::modelActivated, this, &MainWindow::selectModel);
    connect(m_details, &DetailsPane::relatedActivated, this, &MainWindow::selectSourceIndex);
    layout->addLayout(body, 1);
    setCentralWidget(central);

    m_status->setObjectName(QStringLiteral("statusText"));
    m_status->setElideMode(Qt::ElideRight);
    statusBar()->addWidget(m_status, 1);
    // The running job (tenant inventory or snapshot): what it has done, Cancel, and Resume
    // after an inventory stopped. Permanent, so status messages never hide it.
    m_jobBox = new QWidget(this);
    m_jobBox->setObjectName(QStringLiteral("jobBox"));
    auto* jobLayout = new QHBoxLayout(m_jobBox);
    jobLayout->setContentsMargins(0, 0, 0, 0);
    m_jobLabel = new QLabel(m_jobBox);
    m_jobLabel->setObjectName(QStringLiteral("jobLabel"));
    m_jobProgress = new QProgressBar(m_jobBox);
    m_jobProgress->setObjectName(QStringLiteral("jobProgress"));
    m_jobProgress->setMaximumWidth(160);
    m_jobProgress->setMaximumHeight(16);
    m_jobCancel = new QPushButton(tr("Cancel"), m_jobBox);
    m_jobCancel->setObjectName(QStringLiteral("jobCancel"));
    m_jobResume = new QPushButton(tr("Resume"), m_jobBox);
    m_jobResume->setObjectName(QStringLiteral("jobResume"));
    for (QPushButton* b : {m_jobCancel, m_jobResume})
        b->setFocusPolicy(Qt::TabFocus);
    jobLayout->addWidget(m_jobLabel);
    jobLayout->addWidget(m_jobProgress);
    jobLayout->addWidget(m_jobCancel);
    jobLayout->addWidget(m_jobResume);
    connect(m_jobCancel, &QPushButton::clicked, this, &MainWindow::cancelJob);
    connect(m_jobResume, &QPushButton::clicked, this, &MainWindow::resumeInventory);
    statusBar()->addPermanentWidget(m_jobBox);
    statusBar()->addPermanentWidget(m_transportStatus);
    m_identity->setObjectName(QStringLiteral("identityLabel"));
    // The identity gives way last but does give way: elided in the middle (the kind of
    // identity is at the end, the id in the middle), the whole of it in the tooltip.
    m_identity->setMinimumChars(24);
    statusBar()->addPermanentWidget(m_identity);
    m_jobLabel->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);

    connect(m_inventory, &AdminInventoryLoader::stateChanged, this, &MainWindow::updateJobs);
    connect(m_failedScan, &FailedRefreshScan::progress, this, [this](int done, int total) {
        m_jobProgress->setRange(0, std::max(1, total));
        m_jobProgress->setValue(done);
        updateJobs();
    });
    connect(m_failedScan, &FailedRefreshScan::finished, this, &MainWindow::failedScanFinished);
    connect(m_failedScan, &FailedRefreshScan::cancelled, this, [this] {
        updateJobs();
        syncFilterWidgets();
        statusBar()->showMessage(tr("Reading the refresh outcomes was cancelled: the filter is off."),
                                 15000);
    });
    connect(m_failedScan, &FailedRefreshScan::failed, this, [this](const pbi::Error& e) {
        updateJobs();
        syncFilterWidgets();
        m_error->showError(tr("The refresh outcomes could not be read, so the “failed refresh” "
                              "filter is off."),
                           e);
    });
    // The count so far is in the job's label; the status line says what is going on.
    connect(m_inventory, &AdminInventoryLoader::progress, this, &MainWindow::updateJobs);
    connect(m_inventory, &AdminInventoryLoader::finished, this, &MainWindow::inventoryFinished);
    connect(m_inventory, &AdminInventoryLoader::failed, this, &MainWindow::inventoryFailed);
    connect(m_inventory, &AdminInventoryLoader::workspaceReloaded, this,
            [this](const QString& id, const std::optional<pbi::Error>& error) {
                const QModelIndex ws =
                    m_model->findItem(WorkspaceTreeModel::NodeKind::Workspace, id);
                const QString name = ws.data().toString();
                statusBar()->showMessage(
                    error ? tr("“%1” could not be read again: %2").arg(name, error->summary())
                          : tr("“%1” read again.").arg(name),
                    15000);
                currentItemChanged(m_tree->currentIndex());
            });
    // "Retry" on a stopped inventory goes on from where it stopped instead of starting over.
    connect(m_error, &ErrorBanner::retryRequested, this, [this] {
        if (m_adminView && m_inventory->canResume())
            resumeInventory();
        else
            reload();
    });
    buildMenus();
    m_model->setClient(m_client);
    m_inventory->setClient(m_client);
    m_transportStatus->setTransport(m_client ? m_client->transport() : nullptr);
    applyConnection();
    updateJobs();
}

void MainWindow::buildFilterBar(QVBoxLayout* into)
{
    m_kindFilter = new KindFilterButton(this);
    m_typeFilter = new QComboBox(this);
    m_typeFilter->setObjectName(QStringLiteral("workspaceTypeFilter"));
    m_typeFilter->setToolTip(tr("Which workspaces to show"));
    m_typeFilter->addItem(tr("All workspaces"), int(ExplorerProxy::WorkspaceType::Any));
    m_typeFilter->addItem(tr("Shared workspaces"), int(ExplorerProxy::WorkspaceType::Shared));
    m_typeFilter->addItem(tr("Personal workspaces"), int(ExplorerProxy::WorkspaceType::Personal));
    m_capacityFilter = new QComboBox(this);
    m_capacityFilter->setObjectName(QStringLiteral("capacityFilter"));
    m_capacityFilter->setToolTip(tr("Only the workspaces on one capacity, or on shared capacity"));
    // Capacity names can be long; the list shows them whole, the closed box gives way to the
    // text filter when docks make the window narrow.
    m_capacityFilter->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_capacityFilter->setMinimumContentsLength(14);
    m_capacityFilter->setMaximumWidth(260);
    // The capacities' names are read when the list is first wanted, not on every connection.
    m_capacityFilter->installEventFilter(this);
    m_dedicatedFilter = new QCheckBox(tr("On dedicated capacity"), this);
    m_dedicatedFilter->setObjectName(QStringLiteral("dedicatedFilter"));
    m_dedicatedFilter->setToolTip(tr("Only workspaces on a Premium, Fabric or Embedded capacity"));
    m_failedFilter = new QCheckBox(tr("Failed refresh"), this);
    m_failedFilter->setObjectName(QStringLiteral("failedRefreshFilter"));
    m_failedFilter->setToolTip(
        tr("Only semantic models whose last refresh failed. Switching it on reads the refresh "
           "outcomes first (progress and Cancel in the status bar): at admin scope the "
           "refreshables of every capacity, otherwise the history of each model you can see."));
    m_clearFilters = new QToolButton(this);
    m_clearFilters->setObjectName(QStringLiteral("clearFilters"));
    m_clearFilters->setText(tr("Clear filters"));
    m_clearFilters->setToolTip(tr("Show everything again"));

    connect(m_kindFilter, &KindFilterButton::kindsChosen, this,
            [this](int kinds) { m_proxy->setKinds(ExplorerProxy::Kinds(kinds)); });
    connect(m_typeFilter, &QComboBox::activated, this, [this] {
        m_proxy->setWorkspaceType(
            ExplorerProxy::WorkspaceType(m_typeFilter->currentData().toInt()));
    });
    connect(m_capacityFilter, &QComboBox::activated, this, [this] {
        const QString id = m_capacityFilter->currentData().toString();
        m_proxy->setCapacity(id, id.isEmpty() ? QString() : m_capacityFilter->currentText());
    });
    connect(m_dedicatedFilter, &QCheckBox::toggled, m_proxy, &ExplorerProxy::setDedicatedOnly);
    connect(m_failedFilter, &QCheckBox::toggled, this, &MainWindow::setFailedRefreshFilter);
    connect(m_clearFilters, &QToolButton::clicked, this, [this] {
        if (m_failedScan->isRunning())
            m_failedScan->cancel();
        m_proxy->clearFilters();
        syncFilterWidgets();
    });
    connect(m_proxy, &ExplorerProxy::criteriaChanged, this, &MainWindow::syncFilterWidgets);

    auto* row = new QHBoxLayout;
    m_filter->setMinimumWidth(200);
    row->addWidget(m_filter, 1);
    row->addWidget(m_kindFilter);
    row->addWidget(m_typeFilter);
    row->addWidget(m_capacityFilter);
    row->addWidget(m_dedicatedFilter);
    row->addWidget(m_failedFilter);
    row->addWidget(m_clearFilters);
    into->addLayout(row);
    m_clearFilters->setEnabled(false);
    fillCapacityChoices();
}

void MainWindow::syncFilterWidgets()
{
    // One truth (the proxy); the bar and the View → Filter menu follow it.
    const QSignalBlocker b1(m_kindFilter), b2(m_typeFilter), b3(m_dedicatedFilter), b4(m_filter),
        b5(m_capacityFilter), b6(m_failedFilter);
    m_kindFilter->setKinds(int(m_proxy->kinds()));
    m_typeFilter->setCurrentIndex(m_typeFilter->findData(int(m_proxy->workspaceType())));
    const int capacity = m_capacityFilter->findData(m_proxy->capacity());
    m_capacityFilter->setCurrentIndex(capacity < 0 ? 0 : capacity);
    m_dedicatedFilter->setChecked(m_proxy->dedicatedOnly());
    // Checked while the outcomes are being read, too: the filter applies when they arrive.
    m_failedFilter->setChecked(m_proxy->failedRefreshOnly() ||
                               (m_failedScan && m_failedScan->isRunning()));
    if (m_filter->text() != m_proxy->filterText())
        m_filter->setText(m_proxy->filterText());
    for (QAction* a : m_typeActions)
        a->setChecked(a->data().toInt() == int(m_proxy->workspaceType()));
    if (m_dedicatedAction)
        m_dedicatedAction->setChecked(m_proxy->dedicatedOnly());
    if (m_failedAction)
        m_failedAction->setChecked(m_failedFilter->isChecked());
    m_clearFilters->setEnabled(m_proxy->isFiltering() || m_failedFilter->isChecked());
}

void MainWindow::setFailedRefreshFilter(bool on)
{
    if (!on) {
        if (m_failedScan->isRunning())
            m_failedScan->cancel();
        m_proxy->setFailedRefreshOnly(false);
        syncFilterWidgets();
        return;
    }
    if (!m_client) {
        syncFilterWidgets();
        return;
    }
    // Outcomes read in the last few minutes still hold; older ones are read again.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (m_failedScan->hasResult() && m_failedScan->finishedAt().secsTo(now) < 300) {
        m_proxy->setFailedModels(m_failedScan->failedModels());
        m_proxy->setFailedRefreshOnly(true);
        syncFilterWidgets();
        return;
    }
    m_failedScan->start();
    m_jobProgress->setRange(0, 0);
    updateJobs();
    syncFilterWidgets();
}

void MainWindow::failedScanFinished()
{
    updateJobs();
    m_proxy->setFailedModels(m_failedScan->failedModels());
    m_proxy->setFailedRefreshOnly(true);
    // Member scope: workspaces not expanded yet hold failed models the tree does not show;
    // load just those, so every failed model the identity can see appears.
    if (!m_adminView)
        for (int row = 0; row < m_model->rowCount(); ++row) {
            const QModelIndex ws = m_model->index(row, 0);
            if (m_failedScan->failedWorkspaces().contains(ws.data(WorkspaceTreeModel::IdRole).toString()))
                m_model->loadWorkspace(ws);
        }
    QString message =
        m_failedScan->failedModels().size() == 1
            ? tr("1 semantic model's last refresh failed (of %1 with a finished refresh).")
                  .arg(m_failedScan->modelsSeen())
            : tr("%1 semantic models' last refresh failed (of %2 with a finished refresh).")
                  .arg(m_failedScan->failedModels().size())
                  .arg(m_failedScan->modelsSeen());
    if (!m_failedScan->problems().isEmpty())
        message += QLatin1Char(' ') +
                   tr("%n part(s) could not be read, e.g. %1", nullptr,
                      int(m_failedScan->problems().size()))
                       .arg(m_failedScan->problems().constFirst());
    if (m_adminView)
        message += QLatin1Char(' ') + tr("(Admin scope: models on capacities only.)");
    statusBar()->showMessage(message, 30000);
    m_failedFilter->setToolTip(
        tr("Only semantic models whose last refresh failed, as read at %1. Switch it off and on "
           "after five minutes to read them again.")
            .arg(m_failedScan->finishedAt().toLocalTime().toString(QStringLiteral("HH:mm:ss"))));
    syncFilterWidgets();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_capacityFilter &&
        (event->type() == QEvent::FocusIn || event->type() == QEvent::MouseButtonPress ||
         event->type() == QEvent::KeyPress) &&
        !m_capacitiesRead)
        loadCapacities();
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::forgetCapacities()
{
    m_capacities.clear();
    m_capacitiesRead = false;
    ++m_capacityGeneration; // a reply still on its way (even the cancel's) is for the old list
    if (m_capacityCall && m_client)
        m_client->transport()->cancel(m_capacityCall);
    m_capacityCall = 0;
    fillCapacityChoices();
}

void MainWindow::loadCapacities()
{
    forgetCapacities();
    if (!m_client)
        return;
    m_capacitiesRead = true;
    const quint64 generation = m_capacityGeneration;
    auto done = [this, generation](pbi::Result<std::vector<pbi::Capacity>> r) {
        if (generation != m_capacityGeneration)
            return;
        m_capacityCall = 0;
        if (!r) {
            // The list still offers the capacities the workspaces sit on, by id.
            m_capacityFilter->setToolTip(
                tr("Only the workspaces on one capacity. The capacities' names could not be "
                   "read: %1")
                    .arg(r.error().summary()));
            fillCapacityChoices();
            return;
        }
        for (const auto& c : r.value())
            m_capacities.append(
                {c.id, c.sku.isEmpty() ? c.displayName : QStringLiteral("%1 · %2").arg(c.displayName, c.sku)});
        fillCapacityChoices();
    };
    m_capacityCall = m_adminView ? m_client->adminCapacities(this, done) : m_client->listCapacities(this, done);
}

void MainWindow::fillCapacityChoices()
{
    const QString current = m_proxy->capacity();
    const QSignalBlocker block(m_capacityFilter);
    m_capacityFilter->clear();
    m_capacityFilter->addItem(tr("All capacities"), QString());
    m_capacityFilter->addItem(tr("Shared capacity"), ExplorerProxy::sharedCapacity());
    QSet<QString> listed;
    auto sorted = m_capacities;
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        return a.second.compare(b.second, Qt::CaseInsensitive) < 0;
    });
    for (const auto& [id, label] : sorted) {
        m_capacityFilter->addItem(label, id);
        m_capacityFilter->setItemData(m_capacityFilter->count() - 1, id, Qt::ToolTipRole);
        listed.insert(id.toLower());
    }
    // Capacities the identity may not read (or not by name) still hold workspaces.
    QStringList others;
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (const pbi::Workspace* w = m_model->workspaceAt(m_model->index(row, 0)))
            if (w->capacityId && !w->capacityId->isEmpty() && !listed.contains(w->capacityId->toLower())) {
                listed.insert(w->capacityId->toLower());
                others << *w->capacityId;
            }
    others.sort(Qt::CaseInsensitive);
    for (const QString& id : std::as_const(others))
        m_capacityFilter->addItem(tr("Capacity %1").arg(id), id);
    int index = m_capacityFilter->findData(current);
    if (index < 0 && !current.isEmpty()) {
        // The chosen capacity is not among them (yet): keep it chosen rather than drop it.
        m_capacityFilter->addItem(tr("Capacity %1").arg(current), current);
        index = m_capacityFilter->count() - 1;
    }
    m_capacityFilter->setCurrentIndex(std::max(0, index));
}

void MainWindow::scopeChanged()
{
    m_details->setClient(m_client, m_adminView);
    m_failedScan->setClient(m_client, m_adminView);
    m_proxy->setFailedModels({});
    m_proxy->setFailedRefreshOnly(false);
    forgetCapacities();
    updateJobs();
    syncFilterWidgets();
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
    m_identity->setFullText(m_client ? m_client->tokenProvider()->identityLabel() : tr("Not connected"));
    m_tokenInspector->setTokenProvider(m_client ? m_client->tokenProvider() : nullptr);
    scopeChanged();
    m_refreshPanel->setConnection(m_client, m_connection);
    m_monitorView->setConnection(m_client, m_connection);
    m_embedView->setConnection(m_client, m_connection);
    m_probeView->setClient(m_client, m_connection.title);
    m_pendingSelection.reset();
    currentItemChanged(m_tree->currentIndex());
}

void MainWindow::setDialogs(DialogSeam* dialogs)
{
    m_dialogs = dialogs ? dialogs : m_ownDialogs.get();
    m_refreshPanel->setDialogs(m_dialogs);
    m_monitorView->setDialogs(m_dialogs);
    m_readinessView->setDialogs(m_dialogs);
}

void MainWindow::currentItemChanged(const QModelIndex& proxyIndex)
{
    const QModelIndex source = m_proxy->mapToSource(proxyIndex);
    m_details->showItem(m_model, source);
    const pbi::Dataset* dataset = nullptr;
    const pbi::Dataflow* dataflow = nullptr;
    const pbi::Report* report = nullptr;
    if (source.isValid())
        if (const auto* payload = m_model->payloadAt(source)) {
            switch (m_model->kindAt(source)) {
            case WorkspaceTreeModel::NodeKind::SemanticModel:
                dataset = std::get_if<pbi::Dataset>(payload);
                break;
            case WorkspaceTreeModel::NodeKind::Dataflow:
                dataflow = std::get_if<pbi::Dataflow>(payload);
                break;
            case WorkspaceTreeModel::NodeKind::Report:
                report = std::get_if<pbi::Report>(payload);
                break;
            default:
                break;
            }
        }
    const pbi::Workspace* workspace =
        (dataset || dataflow || report) ? m_model->workspaceAt(source) : nullptr;
    if (dataset && workspace)
        m_refreshPanel->showModel(*workspace, *dataset);
    else if (dataflow && workspace)
        m_refreshPanel->showDataflow(*workspace, *dataflow);
    else
        m_refreshPanel->showNothing();
    // GenerateToken works only where the identity is a member; the tenant view shows more.
    if (m_adminView && workspace && (report || dataset))
        m_embedView->showNothing(tr("GenerateToken works in the workspaces the identity is a member of: "
                                    "switch off the tenant (admin) view."));
    else if (workspace && report)
        m_embedView->showReport(*workspace, *report);
    else if (workspace && dataset)
        m_embedView->showDataset(*workspace, *dataset);
    else
        m_embedView->showNothing();
    // Power BI refuses dataflow management to service principals: Refresh now says so in the
    // dock instead of offering what the service will refuse.
    const bool refreshable = m_client && workspace &&
                             ((dataset && dataset->isRefreshable) || (dataflow && !m_connection.servicePrincipal));
    if (m_refreshNowAction) {
        m_refreshNowAction->setEnabled(refreshable); // openTriggerDialog() opens the dataflow dialog
        m_scheduleAction->setEnabled(m_client && dataset && workspace && dataset->isRefreshable);
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
            m_adminView
                ? tr("“%1” is not in the explorer: workspace “%2” is not in the tenant inventory "
                     "(yet).")
                      .arg(datasetName.isEmpty() ? datasetId : datasetName,
                           workspaceName.isEmpty() ? workspaceId : workspaceName)
                : tr("“%1” is not in the explorer: this identity is not a member of workspace “%2” "
                     "(View → Load tenant inventory shows every workspace).")
                      .arg(datasetName.isEmpty() ? datasetId : datasetName,
                           workspaceName.isEmpty() ? workspaceId : workspaceName),
            15000);
        return;
    }
    if (!m_proxy->mapFromSource(workspace).isValid())
        m_proxy->clearFilters(); // the filter hides it: show everything again
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
            m_proxy->clearFilters();
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
    if (m_collector) {
        m_collector->disconnect(this);
        m_collector->cancel();
        m_collector->deleteLater();
    }
    m_client = client;
    m_connection = std::move(connection);
    m_adminView = m_connection.adminScope;
    m_model->setClient(client);
    m_inventory->setClient(client);
    m_transportStatus->setTransport(client ? client->transport() : nullptr);
    m_details->showItem(nullptr, {});
    m_error->clear();
    // The readiness review needs the profile and its secret store: ConnectionController gives
    // them after this; a disconnect is said here.
    if (!client)
        m_readinessView->setConnection(nullptr, {}, nullptr);
    applyConnection();
    updateJobs();
    if (m_client)
        reload();
    else
        m_status->setFullText(tr("Not connected: choose a connection (Ctrl+K)."));
}

void MainWindow::showConnectionError(const QString& context, const pbi::Error& error)
{
    m_error->showError(context, error);
    m_status->setFullText(tr("Failed: %1").arg(error.summary()));
}

void MainWindow::buildMenus()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* exportAction =
        file->addAction(tr("&Export view…"), this, &MainWindow::exportViewInteractive);
    exportAction->setObjectName(QStringLiteral("exportViewAction"));
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    exportAction->setStatusTip(
        tr("Write the rows the explorer shows (filter applied) to a CSV or JSON file"));
    file->addSeparator();
    auto* snapshotAction = file->addAction(tr("&Save inventory snapshot…"), this,
                                           &MainWindow::saveSnapshotInteractive);
    snapshotAction->setObjectName(QStringLiteral("saveSnapshotAction"));
    snapshotAction->setShortcut(QKeySequence::Save);
    auto* compare =
        file->addAction(tr("&Compare snapshots…"), this, &MainWindow::compareSnapshotsInteractive);
    compare->setObjectName(QStringLiteral("compareSnapshotsAction"));
    compare->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    auto* connection = menuBar()->addMenu(tr("&Connection"));
    auto* manage = connection->addAction(tr("&Manage connections…"), this,
                                         &MainWindow::manageConnectionsRequested);
    manage->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));

    auto* view = menuBar()->addMenu(tr("&View"));
    auto* reloadAction = view->addAction(tr("&Reload workspaces"), this, &MainWindow::reload);
    reloadAction->setShortcut(QKeySequence::Refresh);
    auto* tenant = view->addAction(tr("Load tenant &inventory (admin)"), this,
                                   &MainWindow::loadTenantInventory);
    tenant->setObjectName(QStringLiteral("tenantInventoryAction"));
    tenant->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    tenant->setStatusTip(
        tr("Every workspace of the tenant with its items, through the admin APIs"));
    auto* member = view->addAction(tr("Load my workspaces (&member scope)"), this,
                                   &MainWindow::loadMemberWorkspaces);
    member->setObjectName(QStringLiteral("memberWorkspacesAction"));
    m_cancelJobAction =
        view->addAction(tr("&Cancel running job"), this, &MainWindow::cancelJob);
    m_cancelJobAction->setObjectName(QStringLiteral("cancelJobAction"));
    m_resumeAction =
        view->addAction(tr("Res&ume tenant inventory"), this, &MainWindow::resumeInventory);
    m_resumeAction->setObjectName(QStringLiteral("resumeInventoryAction"));
    view->addSeparator();
    auto* find = view->addAction(tr("&Filter…"), this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    find->setShortcut(QKeySequence::Find);
    auto* filterMenu = view->addMenu(tr("Filter b&y"));
    // The same checkable kinds as the filter bar's button: ticking one here ticks it there.
    for (QAction* a : m_kindFilter->kindActions())
        filterMenu->addAction(a);
    filterMenu->addAction(m_kindFilter->allKindsAction());
    filterMenu->addSeparator();
    auto* types = new QActionGroup(this);
    for (int i = 0; i < m_typeFilter->count(); ++i) {
        QAction* a = filterMenu->addAction(m_typeFilter->itemText(i));
        a->setCheckable(true);
        a->setData(m_typeFilter->itemData(i));
        types->addAction(a);
        m_typeActions << a;
        connect(a, &QAction::triggered, this, [this, a] {
            m_proxy->setWorkspaceType(ExplorerProxy::WorkspaceType(a->data().toInt()));
        });
    }
    filterMenu->addSeparator();
    m_dedicatedAction = filterMenu->addAction(tr("Only on &dedicated capacity"));
    m_dedicatedAction->setCheckable(true);
    connect(m_dedicatedAction, &QAction::triggered, m_proxy, &ExplorerProxy::setDedicatedOnly);
    m_failedAction = filterMenu->addAction(tr("Only models whose last &refresh failed"));
    m_failedAction->setObjectName(QStringLiteral("failedRefreshAction"));
    m_failedAction->setCheckable(true);
    connect(m_failedAction, &QAction::triggered, this, &MainWindow::setFailedRefreshFilter);
    filterMenu->addSeparator();
    auto* clear = filterMenu->addAction(tr("&Clear filters"), this, [this] {
        if (m_failedScan->isRunning())
            m_failedScan->cancel();
        m_proxy->clearFilters();
        syncFilterWidgets();
    });
    clear->setObjectName(QStringLiteral("clearFiltersAction"));
    clear->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X));
    syncFilterWidgets();
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
    QAction* readinessAction = m_readinessDock->toggleViewAction();
    readinessAction->setText(tr("Readiness &checklist"));
    readinessAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Y));
    view->addAction(readinessAction);
    view->addSeparator();
    QAction* embedAction = m_embedDock->toggleViewAction();
    embedAction->setText(tr("&Embed-token tester"));
    embedAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    view->addAction(embedAction);
    QAction* probeAction = m_probeDock->toggleViewAction();
    probeAction->setText(tr("&Permission probe"));
    probeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    view->addAction(probeAction);
    // Docks that share a tab bar: the one asked for comes to the front.
    for (QDockWidget* dock : {m_refreshDock, m_monitorDock, m_readinessDock, m_tokenDock, m_embedDock, m_probeDock})
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
        const QModelIndex source = m_proxy->mapToSource(m_tree->currentIndex());
        const pbi::Workspace* workspace = m_model->workspaceAt(source);
        if (m_adminView && workspace) {
            // The tenant inventory's workspace is read again the way it was read: admin, expanded.
            statusBar()->showMessage(tr("Reading “%1” again (admin)…").arg(workspace->name), 10000);
            m_inventory->reloadWorkspace(workspace->id);
            return;
        }
        m_model->reload(source);
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
    if (!m_client)
        return;
    if (m_adminView) {
        loadTenantInventory();
        return;
    }
    if (m_loading)
        return;
    m_loading = true;
    m_status->setFullText(tr("Loading workspaces…"));
    const quint64 generation = m_generation;
    m_client->listWorkspaces(this, [this, generation](pbi::Result<std::vector<pbi::Workspace>> result) {
        if (generation != m_generation)
            return; // an answer for a connection (or a view) no longer shown
        m_loading = false;
        if (!result) {
            m_model->setWorkspaces({});
            m_error->showError(tr("Could not load the workspaces."), result.error());
            m_status->setFullText(tr("Failed: %1").arg(result.error().summary()));
            Q_EMIT loadFinished(false);
            return;
        }
        const auto count = result.value().size();
        m_error->clear();
        m_model->setWorkspaces(std::move(result).value());
        fillCapacityChoices();
        const QString loaded = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
        m_status->setFullText(count == 1 ? tr("1 workspace · loaded at %1").arg(loaded)
                                     : tr("%1 workspaces · loaded at %2").arg(count).arg(loaded));
        Q_EMIT loadFinished(true);
    });
}

bool MainWindow::isLoading() const
{
    return m_loading || m_inventory->isRunning();
}

void MainWindow::loadTenantInventory()
{
    if (!m_client)
        return;
    if (m_collector && m_collector->isRunning()) {
        m_dialogs->inform(this, tr("Tenant inventory"),
                          tr("A snapshot is being collected. Cancel it or wait for it, then load "
                             "the tenant inventory."));
        return;
    }
    // A member-scope answer still on its way would overwrite the inventory: drop it.
    ++m_generation;
    m_loading = false;
    const bool wasAdmin = m_adminView;
    m_adminView = true;
    m_error->clear();
    if (!wasAdmin)
        scopeChanged();
    m_details->showItem(nullptr, {});
    m_status->setFullText(tr("Loading the tenant inventory (admin APIs)…"));
    m_inventory->start();
    updateJobs();
}

void MainWindow::loadMemberWorkspaces()
{
    if (!m_client)
        return;
    m_adminView = false;
    m_inventory->setClient(m_client); // stops a running inventory
    m_error->clear();
    scopeChanged();
    m_details->showItem(nullptr, {});
    updateJobs();
    reload();
}

void MainWindow::cancelJob()
{
    if (m_inventory->isRunning())
        m_inventory->cancel();
    if (m_collector && m_collector->isRunning())
        m_collector->cancel();
    if (m_failedScan->isRunning())
        m_failedScan->cancel();
}

void MainWindow::resumeInventory()
{
    if (!m_inventory->canResume())
        return;
    m_error->clear();
    m_status->setFullText(tr("Resuming the tenant inventory after %1 workspaces…")
                          .arg(m_inventory->workspacesSoFar()));
    m_inventory->resume();
    updateJobs();
}

void MainWindow::inventoryFinished(int workspaces)
{
    m_error->clear();
    fillCapacityChoices();
    const QString loaded = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
    m_status->setFullText(
        workspaces == 1
            ? tr("1 workspace in the tenant (admin inventory) · loaded at %1").arg(loaded)
            : tr("%1 workspaces in the tenant (admin inventory) · loaded at %2")
                  .arg(workspaces)
                  .arg(loaded));
    updateJobs();
    currentItemChanged(m_tree->currentIndex());
    Q_EMIT loadFinished(true);
}

void MainWindow::inventoryFailed(const pbi::Error& error)
{
    const int count = m_inventory->workspacesSoFar();
    updateJobs();
    if (error.kind == pbi::ErrorKind::Cancelled) {
        m_status->setFullText(
            tr("Tenant inventory cancelled after %1 workspaces: Resume goes on from there.")
                .arg(count));
        Q_EMIT loadFinished(false);
        return;
    }
    QString context =
        count == 0
            ? tr("The tenant inventory could not be loaded.")
            : tr("The tenant inventory stopped after %1 workspaces (they stay shown).").arg(count);
    if (error.kind == pbi::ErrorKind::Throttled && error.retryAt.isValid()) {
        const QString at = error.retryAt.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
        const qint64 seconds =
            std::max<qint64>(1, (m_clock->now().msecsTo(error.retryAt) + 999) / 1000);
        const QString wait = seconds >= 120 ? tr("in %1 minutes").arg((seconds + 59) / 60)
                             : seconds == 1 ? tr("in 1 second")
                                            : tr("in %1 seconds").arg(seconds);
        context += QLatin1Char(' ') + tr("The service throttles these admin calls until %1 (%2): "
                                         "Resume then, and it goes on from "
                                         "the page that failed.")
                                          .arg(at, wait);
        m_status->setFullText(tr("Stopped: throttled until %1.").arg(at));
    } else {
        context += QLatin1Char(' ') + tr("Retry or Resume goes on from the page that failed.");
        m_status->setFullText(tr("Tenant inventory stopped: %1").arg(error.sentence));
    }
    m_error->showError(context, error);
    Q_EMIT loadFinished(false);
}

void MainWindow::updateJobs()
{
    const auto state = m_inventory->state();
    const bool collecting = m_collector && m_collector->isRunning();
    const bool inventoryRunning = state == AdminInventoryLoader::State::Running;
    const bool inventoryStopped = m_adminView && state == AdminInventoryLoader::State::Failed;
    const bool scanning = m_failedScan->isRunning();
    QString text;
    if (inventoryRunning) {
        text = tr("Tenant inventory: %1 workspaces so far").arg(m_inventory->workspacesSoFar());
        m_jobProgress->setRange(0, 0); // the tenant's size is known only at the last page
    } else if (collecting) {
        text = m_snapshotTotal < 0
                   ? tr("Snapshot: listing the workspaces…")
                   : tr("Snapshot: %1 of %2 workspaces").arg(m_snapshotDone).arg(m_snapshotTotal);
    } else if (scanning) {
        text = m_jobProgress->maximum() <= 1 ? tr("Refresh outcomes: reading…")
                                             : tr("Refresh outcomes: %1 of %2 calls")
                                                   .arg(m_jobProgress->value())
                                                   .arg(m_jobProgress->maximum());
    } else if (inventoryStopped) {
        text = tr("Tenant inventory stopped at %1 workspaces").arg(m_inventory->workspacesSoFar());
    }
    m_jobLabel->setText(text);
    m_jobProgress->setVisible(inventoryRunning || collecting || scanning);
    m_jobCancel->setVisible(inventoryRunning || collecting || scanning);
    m_jobResume->setVisible(inventoryStopped);
    m_jobBox->setVisible(!text.isEmpty());
    if (m_cancelJobAction) {
        m_cancelJobAction->setEnabled(inventoryRunning || collecting || scanning);
        m_resumeAction->setEnabled(inventoryStopped);
    }
}

bool MainWindow::exportView(const QString& path, QString* error)
{
    pbi::InventoryView view;
    view.exportedAt = m_clock->now().toUTC();
    view.connection = m_connection.title;
    view.scope = m_adminView ? QStringLiteral("admin") : QStringLiteral("member");
    view.filter = m_proxy->describe();
    view.rows = m_proxy->visibleRows();
    const bool json =
        QFileInfo(path).suffix().compare(QLatin1String("json"), Qt::CaseInsensitive) == 0;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(json ? pbi::Snapshot::viewToJson(view) : pbi::Snapshot::viewToCsv(view)) < 0 ||
        !file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    statusBar()->showMessage(tr("Exported %1 rows to %2").arg(view.rows.size()).arg(path), 15000);
    return true;
}

void MainWindow::exportViewInteractive()
{
    QString path =
        m_dialogs->saveFileName(this, tr("Export view"), QStringLiteral("explorer-view.csv"),
                                tr("CSV files (*.csv);;JSON files (*.json)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".csv");
    QString error;
    if (!exportView(path, &error))
        m_dialogs->inform(this, tr("Export view"), error);
}

bool MainWindow::writeSnapshot(const pbi::InventorySnapshot& snapshot, const QString& path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(pbi::Snapshot::toJson(snapshot)) < 0 ||
        !file.commit()) {
        m_dialogs->inform(this, tr("Save inventory snapshot"),
                          tr("Cannot write %1: %2").arg(path, file.errorString()));
        Q_EMIT snapshotSaved(false, path);
        return false;
    }
    std::size_t items = 0;
    for (const auto& w : snapshot.workspaces)
        items += w.reports.size() + w.datasets.size() + w.dashboards.size() + w.dataflows.size();
    statusBar()->showMessage(tr("Snapshot saved: %1 workspaces and %2 items (%3 scope) in %4")
                                 .arg(snapshot.workspaces.size())
                                 .arg(items)
                                 .arg(snapshot.scope, path),
                             30000);
    Q_EMIT snapshotSaved(true, path);
    return true;
}

void MainWindow::saveSnapshot(const QString& path)
{
    if (!m_client) {
        m_dialogs->inform(this, tr("Save inventory snapshot"),
                          tr("Not connected: choose a connection first (Ctrl+K)."));
        Q_EMIT snapshotSaved(false, path);
        return;
    }
    if (m_collector && m_collector->isRunning()) {
        m_dialogs->inform(this, tr("Save inventory snapshot"),
                          tr("A snapshot is already being collected."));
        Q_EMIT snapshotSaved(false, path);
        return;
    }
    if (m_adminView) {
        // The tree is the tenant inventory: save what it holds, but never a partial one — a later
        // comparison would read the missing workspaces as deleted.
        if (m_inventory->state() != AdminInventoryLoader::State::Finished ||
            !m_model->isFullyLoaded()) {
            m_dialogs->inform(
                this, tr("Save inventory snapshot"),
                tr("The tenant inventory is not complete (%1 workspaces so far). Let it finish, or "
                   "resume it, then save the snapshot.")
                    .arg(m_inventory->workspacesSoFar()));
            Q_EMIT snapshotSaved(false, path);
            return;
        }
        pbi::InventorySnapshot snapshot;
        snapshot.takenAt = m_inventory->finishedAt();
        snapshot.connection = m_connection.title;
        snapshot.scope = QStringLiteral("admin");
        snapshot.workspaces = m_model->workspacesWithItems();
        writeSnapshot(snapshot, path);
        return;
    }
    if (m_inventory->isRunning()) {
        m_dialogs->inform(this, tr("Save inventory snapshot"),
                          tr("The tenant inventory is loading; wait for it first."));
        Q_EMIT snapshotSaved(false, path);
        return;
    }
    // Member scope: every workspace the identity is in, with all its items, collected now.
    if (m_collector)
        m_collector->deleteLater();
    m_collector = new pbi::InventoryCollector(m_client, m_clock, this);
    m_collector->setConnectionName(m_connection.title);
    m_snapshotPath = path;
    connect(m_collector, &pbi::InventoryCollector::progress, this, [this](int done, int total) {
        m_snapshotDone = done;
        m_snapshotTotal = total;
        m_jobProgress->setRange(0, std::max(1, total));
        m_jobProgress->setValue(done);
        updateJobs();
    });
    connect(m_collector, &pbi::InventoryCollector::finished, this, &MainWindow::collectorFinished);
    connect(m_collector, &pbi::InventoryCollector::failed, this, [this](const pbi::Error& e) {
        updateJobs();
        if (e.kind == pbi::ErrorKind::Cancelled)
            statusBar()->showMessage(tr("Snapshot cancelled: nothing was saved."), 15000);
        else
            m_error->showError(
                tr("The snapshot was not saved: a part of the inventory could not be read, and a "
                   "snapshot with holes would show them as deletions later."),
                e);
        Q_EMIT snapshotSaved(false, m_snapshotPath);
    });
    m_snapshotDone = 0;
    m_snapshotTotal = -1;
    m_jobProgress->setRange(0, 0);
    m_collector->start();
    updateJobs();
}

void MainWindow::collectorFinished()
{
    updateJobs();
    if (!m_collector)
        return;
    writeSnapshot(m_collector->snapshot(), m_snapshotPath);
}

void MainWindow::saveSnapshotInteractive()
{
    const QString suggested =
        QStringLiteral("inventory-%1.json")
            .arg(m_clock->now().toLocalTime().toString(QStringLiteral("yyyyMMdd-HHmm")));
    QString path = m_dialogs->saveFileName(this, tr("Save inventory snapshot"), suggested,
                                           tr("Inventory snapshots (*.json)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".json");
    saveSnapshot(path);
}

SnapshotDiffDialog* MainWindow::compareSnapshots(const QString& beforePath,
                                                 const QString& afterPath)
{
    auto read = [this](const QString& path) -> std::optional<pbi::InventorySnapshot> {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            m_dialogs->inform(this, tr("Compare snapshots"),
                              tr("Cannot read %1: %2").arg(path, file.errorString()));
            return std::nullopt;
        }
        auto snapshot = pbi::Snapshot::fromJson(file.readAll());
        if (!snapshot) {
            m_dialogs->inform(this, tr("Compare snapshots"),
                              QStringLiteral("%1\n%2").arg(QFileInfo(path).fileName(),
                                                           snapshot.error().sentence));
            return std::nullopt;
        }
        return std::move(snapshot).value();
    };
    const auto before = read(beforePath);
    if (!before)
        return nullptr;
    const auto after = read(afterPath);
    if (!after)
        return nullptr;
    auto* dialog = new SnapshotDiffDialog(*before, QFileInfo(beforePath).fileName(), *after,
                                          QFileInfo(afterPath).fileName(), m_dialogs, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_diffDialog = dialog;
    dialog->show(); // not modal: the explorer stays usable beside it
    return dialog;
}

SnapshotDiffDialog* MainWindow::snapshotDiffDialog() const
{
    return m_diffDialog;
}

void MainWindow::compareSnapshotsInteractive()
{
    const QString filter = tr("Inventory snapshots (*.json)");
    const QString before =
        m_dialogs->openFileName(this, tr("Compare snapshots: the older snapshot"), filter);
    if (before.isEmpty())
        return;
    const QString after =
        m_dialogs->openFileName(this, tr("Compare snapshots: the newer snapshot"), filter);
    if (after.isEmpty())
        return;
    compareSnapshots(before, after);
}

void MainWindow::selectSourceIndex(const QModelIndex& source)
{
    if (!source.isValid())
        return;
    QModelIndex shown = m_proxy->mapFromSource(source);
    if (!shown.isValid()) {
        m_proxy->clearFilters(); // the filter hides it: show everything again
        shown = m_proxy->mapFromSource(source);
    }
    for (QModelIndex p = shown.parent(); p.isValid(); p = p.parent())
        m_tree->expand(p);
    m_tree->setCurrentIndex(shown);
    m_tree->scrollTo(shown);
}

} // namespace pbi::ui
