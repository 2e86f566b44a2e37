#pragma once

#include "ConnectionDescription.h"

#include "api/Items.h"
#include "api/Workspace.h"
#include "refresh/DataflowRefresh.h"
#include "refresh/RefreshFollower.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

#include <optional>
#include <vector>

class QFrame;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;
class QTextBrowser;
class QTimer;
class QTreeWidget;

namespace pbi {
class Clock;
class PowerBiClient;
} // namespace pbi

namespace pbi::ui {

class DataflowRefreshDialog;
class DialogSeam;
class ErrorBanner;
class RefreshChart;
class RefreshHistoryModel;
class ScheduleEditor;
class TriggerRefreshDialog;

/// The Refreshes dock: the refresh history of the semantic model (or dataflow) selected in the
/// explorer (table and chart), the decoded error of a failed refresh, the schedule in one line,
/// and the refreshes started from here, followed until they end (with cancel).
class RefreshPanel : public QWidget {
    Q_OBJECT
public:
    explicit RefreshPanel(const pbi::Clock* clock, QWidget* parent = nullptr);
    ~RefreshPanel() override;

    /// Another connection (or none): forgets the model and stops following refreshes.
    void setConnection(pbi::PowerBiClient* client, const ConnectionDescription& connection);
    /// Where confirmations go (production connections); not owned.
    void setDialogs(DialogSeam* dialogs) { m_dialogs = dialogs; }
    /// How followed refreshes are polled (tests poll faster).
    void setFollowOptions(pbi::refresh::RefreshFollower::Options options)
    {
        m_followOptions = options;
    }

    /// Shows this model's refreshes; loads them now if the panel is visible, else when shown.
    void showModel(const pbi::Workspace& workspace, const pbi::Dataset& dataset);
    /// Shows this dataflow's refresh history (its transactions) in the same table and chart,
    /// with Refresh now (notify option, process type), follow and cancel. A transaction that is
    /// running when the history loads is followed live. The API cannot read a dataflow's
    /// schedule, so the schedule line says how to change it (pbictl) instead of an editor.
    void showDataflow(const pbi::Workspace& workspace, const pbi::Dataflow& dataflow);
    /// Shows no model, with the reason.
    void showNothing(const QString& message = {});
    bool hasModel() const { return m_dataset.has_value(); }
    bool hasDataflow() const { return m_dataflow.has_value(); }
    QString datasetId() const;
    QString dataflowId() const;
    QString groupId() const;
    /// Loads the history (and the schedule line) again.
    void reload();

    /// "Refresh now…" for the shown model (window-modal, not blocking).
    void openTriggerDialog();
    /// "Edit schedule…" for the shown model.
    void openScheduleEditor();
    /// "Refresh now…" for the shown dataflow (what openTriggerDialog() opens for one).
    void openDataflowDialog();

    RefreshHistoryModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    RefreshChart* chart() const { return m_chart; }
    ErrorBanner* errorBanner() const { return m_error; }
    TriggerRefreshDialog* triggerDialog() const;
    DataflowRefreshDialog* dataflowDialog() const;
    QPushButton* triggerButton() const { return m_triggerButton; }
    QPushButton* scheduleButton() const { return m_scheduleButton; }
    ScheduleEditor* scheduleEditor() const;
    QPushButton* cancelButton() const { return m_cancel; }
    bool isLoading() const { return m_loading; }
    /// The line under the title: loading, empty, no model…
    QString stateText() const;
    QString scheduleText() const;
    /// The follow bar's text for the shown model (empty when none is followed).
    QString followText() const;
    /// The decoded failure (or summary) of the selected refresh, as plain text.
    QString detailsText() const;
    /// The selected refresh's serviceExceptionJson as received.
    QString rawErrorText() const;
    /// The selected row, in the history model's rows (-1: none).
    int selectedRow() const;
    void selectRow(int modelRow);
    /// Refreshes being followed, for every model.
    int followCount() const { return int(m_follows.size()); }
    /// Dataflow refreshes being followed, for every dataflow.
    int dataflowFollowCount() const { return int(m_dataflowFollows.size()); }

Q_SIGNALS:
    void historyLoaded(bool ok);
    /// A refresh started here ended (any model): a sentence for the status bar or a notification.
    void refreshFinished(const QString& message, pbi::refresh::State state);
    void statusMessage(const QString& message);

protected:
    void showEvent(QShowEvent* event) override;

private:
    struct Follow {
        pbi::refresh::RefreshFollower* follower = nullptr;
        QString workspaceName;
        QString datasetName;
        QString note;
        bool cancelling = false;
    };
    struct DataflowFollow {
        pbi::refresh::DataflowRefreshFollower* follower = nullptr;
        QString workspaceName;
        QString dataflowName;
        QString note;
        bool startedHere = true; ///< false: found running in the history, followed live
        bool cancelling = false;
    };
    /// A followed refresh that ended before the service listed it: shown until it is.
    struct Ended {
        pbi::Refresh refresh;
        int reloads = 0;
    };
    Follow* followOf(const QString& datasetId);
    void applyFollowedAfterReload(const QString& datasetId);
    void startFollowing(const pbi::TriggeredRefresh& triggered, const QString& groupId,
                        const QString& datasetId, const QString& workspaceName,
                        const QString& datasetName);
    void followUpdated(pbi::refresh::RefreshFollower* follower);
    void followEnded(pbi::refresh::RefreshFollower* follower, const QString& message,
                     pbi::refresh::State state);
    void showFollowBar();
    DataflowFollow* dataflowFollowOf(const QString& dataflowId);
    void startFollowingDataflow(const pbi::TriggeredDataflowRefresh& triggered,
                                const QString& groupId, const QString& dataflowId,
                                const QString& workspaceName, const QString& dataflowName,
                                bool startedHere);
    void dataflowFollowUpdated(pbi::refresh::DataflowRefreshFollower* follower);
    void dataflowFollowEnded(pbi::refresh::DataflowRefreshFollower* follower,
                             const QString& message, pbi::refresh::State state);
    void showDataflowFollowBar(DataflowFollow& f);
    void reloadDataflow();
    void showSelectedTransaction(int row);
    /// The table's columns for a model (all) or a dataflow (no attempts, no error code).
    void showColumnsFor(bool dataflow);
    void loadSchedule();
    void setState(const QString& text);
    void showSelected();
    void updateActions();
    pbi::refresh::Target target() const;

    const pbi::Clock* m_clock;
    QPointer<pbi::PowerBiClient> m_client;
    ConnectionDescription m_connection;
    DialogSeam* m_dialogs = nullptr;
    pbi::refresh::RefreshFollower::Options m_followOptions;
    std::optional<pbi::Workspace> m_workspace;
    std::optional<pbi::Dataset> m_dataset;
    std::optional<pbi::Dataflow> m_dataflow;

    QLabel* m_title;
    QLabel* m_schedule;
    QLabel* m_state;
    QPushButton* m_triggerButton;
    QPushButton* m_scheduleButton;
    QPushButton* m_reloadButton;
    ErrorBanner* m_error;
    QFrame* m_followBar;
    QLabel* m_followIcon;
    QLabel* m_followText;
    QTreeWidget* m_followObjects;
    QPushButton* m_cancel;
    QSplitter* m_body;
    RefreshHistoryModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    RefreshChart* m_chart;
    QTextBrowser* m_details;
    QPlainTextEdit* m_raw;
    QPushButton* m_copyError;
    QTimer* m_tick;
    QPointer<TriggerRefreshDialog> m_triggerDialog;
    QPointer<ScheduleEditor> m_scheduleEditor;
    QPointer<DataflowRefreshDialog> m_dataflowDialog;
    std::vector<Follow> m_follows;
    std::vector<DataflowFollow> m_dataflowFollows;
    QHash<QString, Ended> m_ended; ///< by dataset id
    bool m_loading = false;
    bool m_dirty = false;
    quint64 m_generation = 0;
};

} // namespace pbi::ui
