#pragma once

#include "ConnectionDescription.h"

#include <QMainWindow>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;

namespace pbi {
class PowerBiClient;
class RequestLog;
} // namespace pbi

namespace pbi::ui {

class ErrorBanner;
class WorkspaceTreeModel;

/// The console's main window: the connection band, the workspace tree and the status bar.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(pbi::PowerBiClient* client, ConnectionDescription connection,
               QWidget* parent = nullptr);

    /// Loads (again) the workspaces the identity can see.
    void reload();
    bool isLoading() const { return m_loading; }

    QTreeView* tree() const { return m_tree; }
    ErrorBanner* errorBanner() const { return m_error; }
    WorkspaceTreeModel* workspaceModel() const { return m_model; }

Q_SIGNALS:
    /// Emitted when a load ends, successfully or not.
    void loadFinished(bool ok);

private:
    void buildMenus();

    pbi::PowerBiClient* m_client;
    ConnectionDescription m_connection;
    WorkspaceTreeModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTreeView* m_tree;
    QLineEdit* m_filter;
    ErrorBanner* m_error;
    QLabel* m_band;
    QLabel* m_status;
    bool m_loading = false;
};

} // namespace pbi::ui
