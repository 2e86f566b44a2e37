#pragma once

#include "ConnectionDescription.h"

#include <QMainWindow>

#include <memory>
#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QSettings;
class QSplitter;
class QLineEdit;
class QSortFilterProxyModel;
class QSystemTrayIcon;
class QTreeView;

namespace pbi {
class Clock;
struct Error;
class PowerBiClient;
class RequestLog;
} // namespace pbi

namespace pbi::refresh {
enum class State;
}

namespace pbi::ui {

class DetailsPane;
class ExplorerProxy;
class DialogSeam;
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
    /// Loads (again) the workspaces the identity can see.
    void reload();
    bool isLoading() const { return m_loading; }

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
    QAction* refreshNowAction() const { return m_refreshNowAction; }
    QAction* scheduleAction() const { return m_scheduleAction; }

    /// Selects a semantic model in the explorer (loading its workspace first) and shows its
    /// refreshes; says in the status bar when the explorer does not hold it.
    void selectModel(const QString& workspaceId, const QString& datasetId,
                     const QString& workspaceName = {}, const QString& datasetName = {});

Q_SIGNALS:
    /// Emitted when a load ends, successfully or not.
    void loadFinished(bool ok);
    /// The user asked for the connection manager (menu or Ctrl+K).
    void manageConnectionsRequested();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
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
    ErrorBanner* m_error;
    QLabel* m_band;
    QLabel* m_status;
    QLabel* m_identity;
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
