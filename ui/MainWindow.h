#pragma once

#include "ConnectionDescription.h"

#include <QMainWindow>
#include <QPointer>

#include <memory>
#include <optional>

class QAction;
class QCheckBox;
class QComboBox;
class QDockWidget;
class QLabel;
class QVBoxLayout;
class QProgressBar;
class QPushButton;
class QToolButton;
class QSettings;
class QSplitter;
class QLineEdit;
class QSortFilterProxyModel;
class QSystemTrayIcon;
class QTreeView;

namespace pbi {
class Clock;
struct Error;
class InventoryCollector;
struct InventorySnapshot;
class PowerBiClient;
class RequestLog;
} // namespace pbi

namespace pbi::refresh {
enum class State;
}

namespace pbi::ui {

class AdminInventoryLoader;
class DetailsPane;
class ElidingLabel;
class FailedRefreshScan;
class KindFilterButton;
class ExplorerProxy;
class SnapshotDiffDialog;
class TransportStatus;
class DialogSeam;
class EmbedTokenView;
class PermissionProbeView;
class ReadinessView;
class RefreshMonitorView;
class RefreshPanel;
class RequestLogView;
class TokenInspector;
class ErrorBanner;
class WorkspaceTreeModel;

/// The console's main window: the connection band, the workspace tree and the status bar.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// `clock` drives the token countdown; null uses the system clock.
    MainWindow(pbi::PowerBiClient* client, ConnectionDescription connection,
               QWidget* parent = nullptr, const pbi::Clock* clock = nullptr);
    ~MainWindow() override;

    /// Shows this request log in the Request log dock.
    void setRequestLog(pbi::RequestLog* log);
    /// Restores the window layout from `settings` and saves it there when the window closes.
    void setSettings(QSettings* settings);
    /// Where confirmations and file choices go (tests answer them); not owned. The window uses
    /// the real dialogs until told otherwise.
    void setDialogs(DialogSeam* dialogs);

    /// Shows another connection (or none, with a null client) and loads its workspaces.
    void setConnection(pbi::PowerBiClient* client, ConnectionDescription connection);
    /// A failure that happened before any call could be made (no secret, bad certificate…).
    void showConnectionError(const QString& context, const pbi::Error& error);
    /// Loads (again) what the explorer shows: the workspaces the identity is a member of, or
    /// the tenant inventory when that is the view (admin-scope profiles start with it).
    void reload();
    /// Whether member workspaces or the tenant inventory are being loaded.
    bool isLoading() const;
    /// Switches the explorer to the whole tenant through the admin APIs and loads it, with
    /// progress, Cancel and Resume in the status bar. Works for any connection; one without
    /// admin rights gets the service's refusal.
    void loadTenantInventory();
    /// Switches the explorer back to the identity's own workspaces and loads them.
    void loadMemberWorkspaces();
    /// Whether the explorer shows the tenant inventory (admin) rather than member workspaces.
    bool isAdminView() const { return m_adminView; }
    /// Stops the running job (tenant inventory or snapshot).
    void cancelJob();
    /// Carries on with a tenant inventory that stopped (failure, throttling, cancel).
    void resumeInventory();

    /// Writes the rows the explorer shows (filter applied) to `path`: JSON for a .json file,
    /// CSV otherwise.
    bool exportView(const QString& path, QString* error = nullptr);
    /// Saves an inventory snapshot to `path`: the loaded tenant inventory in the admin view
    /// (which must be complete), otherwise a member-scope inventory collected now.
    /// snapshotSaved() says how it ended.
    void saveSnapshot(const QString& path);
    /// Opens the comparison of two snapshot files; null (after telling the user why) when one
    /// cannot be read.
    SnapshotDiffDialog* compareSnapshots(const QString& beforePath, const QString& afterPath);

    QTreeView* tree() const { return m_tree; }
    ErrorBanner* errorBanner() const { return m_error; }
    WorkspaceTreeModel* workspaceModel() const { return m_model; }
    DetailsPane* detailsPane() const { return m_details; }
    RequestLogView* requestLogView() const { return m_requestLog; }
    TokenInspector* tokenInspector() const { return m_tokenInspector; }
    QDockWidget* requestLogDock() const { return m_requestLogDock; }
    QDockWidget* tokenDock() const { return m_tokenDock; }
    RefreshPanel* refreshPanel() const { return m_refreshPanel; }
    QDockWidget* refreshDock() const { return m_refreshDock; }
    RefreshMonitorView* refreshMonitorView() const { return m_monitorView; }
    QDockWidget* monitorDock() const { return m_monitorDock; }
    EmbedTokenView* embedTokenView() const { return m_embedView; }
    QDockWidget* embedDock() const { return m_embedDock; }
    PermissionProbeView* permissionProbeView() const { return m_probeView; }
    QDockWidget* probeDock() const { return m_probeDock; }
    ReadinessView* readinessView() const { return m_readinessView; }
    QDockWidget* readinessDock() const { return m_readinessDock; }
    QAction* refreshNowAction() const { return m_refreshNowAction; }
    QAction* scheduleAction() const { return m_scheduleAction; }
    ExplorerProxy* explorerProxy() const { return m_proxy; }
    AdminInventoryLoader* adminInventory() const { return m_inventory; }
    TransportStatus* transportStatus() const { return m_transportStatus; }
    FailedRefreshScan* failedRefreshScan() const { return m_failedScan; }
    /// The comparison opened last, while it is open.
    SnapshotDiffDialog* snapshotDiffDialog() const;

    /// Selects a semantic model in the explorer (loading its workspace first) and shows its
    /// refreshes; says in the status bar when the explorer does not hold it.
    void selectModel(const QString& workspaceId, const QString& datasetId,
                     const QString& workspaceName = {}, const QString& datasetName = {});

Q_SIGNALS:
    /// Emitted when a load ends, successfully or not.
    void loadFinished(bool ok);
    /// The user asked for the connection manager (menu or Ctrl+K).
    void manageConnectionsRequested();
    /// A snapshot save ended: written to `path`, or not (the window said why).
    void snapshotSaved(bool ok, const QString& path);

protected:
    void closeEvent(QCloseEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildMenus();
    void buildFilterBar(QVBoxLayout* into);
    void syncFilterWidgets();
    /// "Has failed refresh" switched on (reads the refresh outcomes first when needed) or off.
    void setFailedRefreshFilter(bool on);
    void failedScanFinished();
    /// Reads the capacities for the capacity filter's list (again, for a new connection).
    void loadCapacities();
    void forgetCapacities();
    /// The capacity filter's entries: the capacities read, plus any other capacity the loaded
    /// workspaces sit on.
    void fillCapacityChoices();
    /// The explorer's scope changed (connection, member ↔ admin): the pane and scans follow.
    void scopeChanged();
    void updateJobs();
    void inventoryFailed(const pbi::Error& error);
    void inventoryFinished(int workspaces);
    void collectorFinished();
    bool writeSnapshot(const pbi::InventorySnapshot& snapshot, const QString& path);
    void selectSourceIndex(const QModelIndex& source);
    void exportViewInteractive();
    void saveSnapshotInteractive();
    void compareSnapshotsInteractive();
    void saveLayout();
    void applyConnection();
    void currentItemChanged(const QModelIndex& proxyIndex);
    bool trySelectPendingModel();
    void notifyRefreshEnded(const QString& message, pbi::refresh::State state);

    pbi::PowerBiClient* m_client;
    ConnectionDescription m_connection;
    WorkspaceTreeModel* m_model;
    ExplorerProxy* m_proxy;
    QTreeView* m_tree;
    QLineEdit* m_filter;
    KindFilterButton* m_kindFilter = nullptr;
    QComboBox* m_typeFilter = nullptr;
    QComboBox* m_capacityFilter = nullptr;
    QCheckBox* m_dedicatedFilter = nullptr;
    QCheckBox* m_failedFilter = nullptr;
    QAction* m_failedAction = nullptr;
    FailedRefreshScan* m_failedScan = nullptr;
    /// The capacities read for the current connection: (id, "name · SKU").
    QList<QPair<QString, QString>> m_capacities;
    quint64 m_capacityCall = 0;
    bool m_capacitiesRead = false; ///< asked for this connection and scope
    QToolButton* m_clearFilters = nullptr;
    QList<QAction*> m_typeActions;
    QAction* m_dedicatedAction = nullptr;
    AdminInventoryLoader* m_inventory = nullptr;
    QPointer<pbi::InventoryCollector> m_collector;
    QString m_snapshotPath;
    int m_snapshotDone = 0;
    int m_snapshotTotal = -1; ///< -1 while the workspaces are being listed
    QWidget* m_jobBox = nullptr;
    QLabel* m_jobLabel = nullptr;
    QProgressBar* m_jobProgress = nullptr;
    QPushButton* m_jobCancel = nullptr;
    QPushButton* m_jobResume = nullptr;
    QAction* m_cancelJobAction = nullptr;
    QAction* m_resumeAction = nullptr;
    TransportStatus* m_transportStatus = nullptr;
    QPointer<SnapshotDiffDialog> m_diffDialog;
    bool m_adminView = false;
    ErrorBanner* m_error;
    QLabel* m_band;
    ElidingLabel* m_status;
    ElidingLabel* m_identity;
    DetailsPane* m_details;
    std::unique_ptr<pbi::Clock> m_ownClock;
    const pbi::Clock* m_clock;
    QSplitter* m_splitter = nullptr;
    RequestLogView* m_requestLog;
    TokenInspector* m_tokenInspector;
    QDockWidget* m_requestLogDock;
    QDockWidget* m_tokenDock;
    RefreshPanel* m_refreshPanel;
    QDockWidget* m_refreshDock;
    RefreshMonitorView* m_monitorView;
    QDockWidget* m_monitorDock;
    EmbedTokenView* m_embedView;
    QDockWidget* m_embedDock;
    PermissionProbeView* m_probeView;
    QDockWidget* m_probeDock;
    ReadinessView* m_readinessView;
    QDockWidget* m_readinessDock;
    quint64 m_capacityGeneration = 0; ///< bumped whenever the capacity list is dropped
    QAction* m_refreshNowAction = nullptr;
    QAction* m_scheduleAction = nullptr;
    QSystemTrayIcon* m_tray = nullptr;
    std::unique_ptr<DialogSeam> m_ownDialogs;
    DialogSeam* m_dialogs;
    /// A model to select once its workspace's models have loaded (monitor double-click).
    struct PendingSelection {
        QString workspaceId;
        QString datasetId;
        QString datasetName;
    };
    std::optional<PendingSelection> m_pendingSelection;
    QSettings* m_settings = nullptr;
    bool m_loading = false;
    quint64 m_generation = 0; ///< bumps on every connection change: older replies are dropped
};

} // namespace pbi::ui
