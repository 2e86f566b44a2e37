#pragma once

#include "ConnectionDescription.h"

#include "api/Refresh.h"
#include "refresh/ModelObjects.h"
#include "refresh/RefreshRules.h"

#include <QDialog>
#include <QHash>
#include <QPointer>

#include <vector>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;

namespace pbi {
class PowerBiClient;
}

namespace pbi::ui {

class DialogSeam;
class ModelObjectPicker;
class ErrorBanner;

/// "Refresh now…": a plain refresh (with its notify option) or an enhanced one (type, commit
/// mode, parallelism, retries, timeout, tables and partitions, refresh policy, effective date).
/// Checked with refresh::validate() as the user types, each problem beside its field; Send is
/// off while anything is wrong. Production connections confirm first. The dialog sends the
/// request itself so a refusal is shown here, with everything typed kept.
class TriggerRefreshDialog : public QDialog {
    Q_OBJECT
public:
    struct Context {
        pbi::PowerBiClient* client = nullptr;
        QString groupId;
        QString datasetId;
        QString workspaceName;
        QString datasetName;
        pbi::refresh::Target target;
        ConnectionDescription connection;
        DialogSeam* dialogs = nullptr;
    };

    explicit TriggerRefreshDialog(Context context, QWidget* parent = nullptr);

    /// The request the form describes now.
    pbi::RefreshRequest request() const;
    /// What refresh::validate says about it.
    const std::vector<pbi::refresh::Problem>& problems() const { return m_problems; }
    /// The problem text shown beside a field ("notifyOption", "timeout", "objects"…), empty if
    /// none.
    QString problemText(const QString& field) const;
    QPushButton* sendButton() const { return m_send; }
    ErrorBanner* errorBanner() const { return m_error; }
    bool isSending() const { return m_sending; }

    /// Sends the request (after the production confirmation); also what Send does.
    void send();

    /// Tables and partitions the service has shown for this model (recent enhanced refreshes,
    /// and the admin scanner when asked). Searched when the enhanced form is first shown.
    const pbi::refresh::ModelObjects& knownObjects() const;
    bool isLookingUpObjects() const { return m_finder && m_finder->isBusy(); }
    QLabel* knownObjectsLabel() const { return m_known; }
    QPushButton* pickButton() const { return m_pick; }
    QPushButton* scanButton() const { return m_scan; }
    /// Opens the picker over the known objects (non-blocking); its selection replaces the rows.
    ModelObjectPicker* openPicker();

Q_SIGNALS:
    /// The service accepted the refresh (202); the dialog closes.
    void triggered(const pbi::TriggeredRefresh& refresh, const pbi::RefreshRequest& request);

private:
    QLabel* problemLabel(const QString& field);
    void addObjectRow(const QString& table = {}, const QString& partition = {});
    void revalidate();
    void updateEnabled();
    void lookUpObjects();
    void showKnownObjects(const QString& problem = {});
    QStringList completionsFor(int row, int column) const;

    Context m_context;
    QRadioButton* m_plain;
    QRadioButton* m_enhanced;
    QComboBox* m_notify;
    QGroupBox* m_enhancedBox;
    QComboBox* m_type;
    QComboBox* m_commitMode;
    QSpinBox* m_maxParallelism;
    QSpinBox* m_retryCount;
    QLineEdit* m_timeout;
    QTableWidget* m_objects;
    QPushButton* m_addObject;
    QPushButton* m_removeObject;
    QPushButton* m_pick;
    QPushButton* m_scan;
    QLabel* m_known;
    pbi::refresh::ModelObjectFinder* m_finder = nullptr;
    QString m_refreshesProblem;
    QString m_scannerProblem;
    bool m_lookedUp = false;
    QCheckBox* m_applyPolicy;
    QCheckBox* m_useEffectiveDate;
    QDateEdit* m_effectiveDate;
    QLabel* m_summary;
    ErrorBanner* m_error;
    QDialogButtonBox* m_buttons;
    QPushButton* m_send;
    QHash<QString, QLabel*> m_problemLabels;
    std::vector<pbi::refresh::Problem> m_problems;
    bool m_sending = false;
};

} // namespace pbi::ui
