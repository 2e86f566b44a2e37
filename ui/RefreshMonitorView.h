#pragma once

#include "ConnectionDescription.h"

#include "refresh/RefreshMonitor.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSettings;
class QTableView;
class QTimer;

namespace pbi {
class Clock;
class PowerBiClient;
} // namespace pbi

namespace pbi::ui {

class DialogSeam;
class ErrorBanner;
class RefreshMonitorModel;
class RefreshMonitorProxy;

/// The tenant refresh monitor: recent refreshes of every model in reach (member scope, or the
/// admin refreshables at admin scope), newest first, filtered (failed, running, last 24 h or
/// 7 days, text), swept again on a user-set interval, with the workspaces that could not be
/// read listed beside, and an export to CSV.
class RefreshMonitorView : public QWidget {
    Q_OBJECT
public:
    explicit RefreshMonitorView(const pbi::Clock* clock, QWidget* parent = nullptr);
    ~RefreshMonitorView() override;

    /// Another connection (or none): a new monitor at the profile's scope.
    void setConnection(pbi::PowerBiClient* client, const ConnectionDescription& connection);
    void setDialogs(DialogSeam* dialogs) { m_dialogs = dialogs; }
    /// Remembers the auto-update interval there.
    void setSettings(QSettings* settings);

    /// Starts a sweep now (ignored while one runs).
    void sweep();
    void cancel();
    /// 0 (off), 1, 5 or 15.
    void setAutoUpdateMinutes(int minutes);
    int autoUpdateMinutes() const;
    /// Writes the rows shown (filtered, in view order) to `path` as CSV.
    bool exportCsv(const QString& path, QString* error = nullptr) const;

    pbi::refresh::RefreshMonitor* monitor() const { return m_monitor; }
    RefreshMonitorModel* model() const { return m_model; }
    RefreshMonitorProxy* proxy() const { return m_proxy; }
    QTableView* table() const { return m_table; }
    QListWidget* problemsList() const { return m_problems; }
    ErrorBanner* errorBanner() const { return m_error; }
    QProgressBar* progressBar() const { return m_progress; }
    QString summaryText() const;

Q_SIGNALS:
    void sweepEnded(bool ok);
    /// A row was double-clicked (or Enter pressed on it): show that model.
    void modelActivated(const QString& workspaceId, const QString& datasetId,
                        const QString& workspaceName, const QString& datasetName);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void applyFilter();
    void sweepFinished();
    void updateControls();
    void activate(const QModelIndex& index);

    const pbi::Clock* m_clock;
    QPointer<pbi::PowerBiClient> m_client;
    ConnectionDescription m_connection;
    DialogSeam* m_dialogs = nullptr;
    QSettings* m_settings = nullptr;
    pbi::refresh::RefreshMonitor* m_monitor = nullptr;
    RefreshMonitorModel* m_model;
    RefreshMonitorProxy* m_proxy;
    QLabel* m_scope;
    QPushButton* m_sweep;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QComboBox* m_interval;
    QCheckBox* m_failed;
    QCheckBox* m_running;
    QComboBox* m_within;
    QLineEdit* m_text;
    QPushButton* m_export;
    ErrorBanner* m_error;
    QTableView* m_table;
    QLabel* m_summary;
    QLabel* m_problemsTitle;
    QListWidget* m_problems;
    QTimer* m_auto;
    QTimer* m_textDebounce;
    bool m_swept = false;
};

} // namespace pbi::ui
