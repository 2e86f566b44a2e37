#pragma once

#include "ConnectionDescription.h"

#include <QMainWindow>

#include <memory>

class QDockWidget;
class QLabel;
class QSettings;
class QSplitter;
class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;

namespace pbi {
class Clock;
struct Error;
class PowerBiClient;
class RequestLog;
} // namespace pbi

namespace pbi::ui {

class DetailsPane;
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

    pbi::PowerBiClient* m_client;
    ConnectionDescription m_connection;
    WorkspaceTreeModel* m_model;
    QSortFilterProxyModel* m_proxy;
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
    QSettings* m_settings = nullptr;
    bool m_loading = false;
    quint64 m_generation = 0; ///< bumps on every connection change: older replies are dropped
};

} // namespace pbi::ui
