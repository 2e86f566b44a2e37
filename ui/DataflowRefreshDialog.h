#pragma once

#include "ConnectionDescription.h"

#include "api/Refresh.h"
#include "refresh/RefreshRules.h"

#include <QDialog>

#include <vector>

class QComboBox;
class QLabel;
class QPushButton;

namespace pbi {
class PowerBiClient;
}

namespace pbi::ui {

class DialogSeam;
class ErrorBanner;

/// "Refresh now…" for a dataflow: the notify option the service requires (no notification or
/// mail on failure) and the process type. Dataflows refresh as a whole: the enhanced options of
/// a semantic model do not exist for them. Production connections confirm first; a service
/// principal cannot send at all and is told why. The dialog sends the request itself (history
/// first, so the new transaction can be found), so a refusal shows here with the choices kept.
class DataflowRefreshDialog : public QDialog {
    Q_OBJECT
public:
    struct Context {
        pbi::PowerBiClient* client = nullptr;
        QString groupId;
        QString dataflowId;
        QString workspaceName;
        QString dataflowName;
        pbi::refresh::Target target;
        ConnectionDescription connection;
        DialogSeam* dialogs = nullptr;
    };

    explicit DataflowRefreshDialog(Context context, QWidget* parent = nullptr);

    pbi::DataflowRefreshRequest request() const;
    const std::vector<pbi::refresh::Problem>& problems() const { return m_problems; }
    QComboBox* notifyCombo() const { return m_notify; }
    QComboBox* processTypeCombo() const { return m_processType; }
    QPushButton* sendButton() const { return m_send; }
    ErrorBanner* errorBanner() const { return m_error; }
    QString problemText() const;
    bool isSending() const { return m_sending; }

    /// Sends the request (after the production confirmation); also what Send does.
    void send();

Q_SIGNALS:
    /// The service accepted the refresh.
    void triggered(const pbi::TriggeredDataflowRefresh& refresh);

private:
    void revalidate();

    Context m_context;
    QComboBox* m_notify;
    QComboBox* m_processType;
    QLabel* m_problemLabel;
    ErrorBanner* m_error;
    QPushButton* m_send;
    std::vector<pbi::refresh::Problem> m_problems;
    bool m_sending = false;
};

} // namespace pbi::ui
