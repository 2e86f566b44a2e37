#include "MainWindow.h"

#include "ErrorBanner.h"
#include "WorkspaceTreeModel.h"

#include "api/PowerBiClient.h"
#include "auth/TokenProvider.h"

#include <QAction>
#include <QApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTime>
#include <QTreeView>
#include <QVBoxLayout>

namespace pbi::ui {

MainWindow::MainWindow(pbi::PowerBiClient* client, ConnectionDescription connection,
                       QWidget* parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_connection(std::move(connection))
    , m_model(new WorkspaceTreeModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_tree(new QTreeView(this))
    , m_filter(new QLineEdit(this))
    , m_error(new ErrorBanner(this))
    , m_band(new QLabel(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("PBI Console — %1").arg(m_connection.title));
    resize(1100, 720);

    m_band->setObjectName(QStringLiteral("environmentBand"));
    m_band->setText(QStringLiteral("<b>%1</b>&nbsp;&nbsp;%2")
                        .arg(m_connection.title.toHtmlEscaped(),
                             m_connection.subtitle.toHtmlEscaped()));
    const QColor band = m_connection.color.isValid() ? m_connection.color : QColor(0x1b, 0x6e, 0x6a);
    const QString fg = band.lightnessF() > 0.6 ? QStringLiteral("#000000") : QStringLiteral("#ffffff");
    m_band->setStyleSheet(QStringLiteral("#environmentBand { background: %1; color: %2; padding: 6px 10px; }")
                              .arg(band.name(), fg));
    m_band->setAccessibleName(tr("Connection: %1").arg(m_connection.title));

    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setPlaceholderText(tr("Filter workspaces by name or id (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_tree->setObjectName(QStringLiteral("workspaceTree"));
    m_tree->setModel(m_proxy);
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(WorkspaceTreeModel::NameColumn, Qt::AscendingOrder);
    m_tree->setUniformRowHeights(true);
    m_tree->setRootIsDecorated(false); // workspaces have no children until the explorer (#6)
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setSectionResizeMode(WorkspaceTreeModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->resizeSection(WorkspaceTreeModel::CapacityColumn, 160);
    m_tree->header()->resizeSection(WorkspaceTreeModel::IdColumn, 300);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_band);
    auto* body = new QVBoxLayout;
    body->setContentsMargins(8, 8, 8, 8);
    body->addWidget(m_error);
    body->addWidget(m_filter);
    body->addWidget(m_tree, 1);
    layout->addLayout(body, 1);
    setCentralWidget(central);

    m_status->setObjectName(QStringLiteral("statusText"));
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(
        new QLabel(m_client->tokenProvider()->identityLabel(), this));

    connect(m_error, &ErrorBanner::retryRequested, this, &MainWindow::reload);
    buildMenus();
}

void MainWindow::buildMenus()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    auto* view = menuBar()->addMenu(tr("&View"));
    auto* reloadAction = view->addAction(tr("&Reload workspaces"), this, &MainWindow::reload);
    reloadAction->setShortcut(QKeySequence::Refresh);
    auto* find = view->addAction(tr("&Filter…"), this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    find->setShortcut(QKeySequence::Find);

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
    if (m_loading)
        return;
    m_loading = true;
    m_status->setText(tr("Loading workspaces…"));
    m_client->listWorkspaces(this, [this](pbi::Result<std::vector<pbi::Workspace>> result) {
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
