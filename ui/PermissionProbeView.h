#pragma once

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QPushButton;
class QTextBrowser;
class QTreeWidget;
class QTreeWidgetItem;

namespace pbi {
class PowerBiClient;
}
namespace pbi::diagnostics {
class PermissionProbe;
}

namespace pbi::ui {

/// "Which calls may this identity make?": runs the core's permission probe on the current
/// connection and shows each call grouped by area — allowed (with what was seen), refused (with
/// the service's code, request id and the likely fix), or skipped (and why). The probe only
/// reads; it can be cancelled, and its report copied as text for a ticket.
class PermissionProbeView : public QWidget {
    Q_OBJECT
public:
    explicit PermissionProbeView(QWidget* parent = nullptr);
    ~PermissionProbeView() override;

    /// The connection to probe; null for none. Clears the previous results (they belonged to
    /// another identity).
    void setClient(pbi::PowerBiClient* client, const QString& connectionTitle = {});

    void run();
    void cancel();
    bool isRunning() const;

    QTreeWidget* tree() const { return m_tree; }
    QLabel* summaryLabel() const { return m_summary; }
    QTextBrowser* detailsView() const { return m_details; }
    QCheckBox* includeAdminCheck() const { return m_includeAdmin; }
    QPushButton* runButton() const { return m_run; }
    QPushButton* cancelButton() const { return m_cancel; }
    QPushButton* copyButton() const { return m_copy; }
    /// The whole report as plain text (what "Copy report" puts on the clipboard).
    QString reportText() const;

Q_SIGNALS:
    void statusMessage(const QString& message);

private:
    void addResult(int index);
    void finish();
    void showSelected();
    void updateSummary();
    void updateEnabled();
    QTreeWidgetItem* areaItem(const QString& area);

    QPointer<pbi::PowerBiClient> m_client;
    QString m_connectionTitle;
    pbi::diagnostics::PermissionProbe* m_probe = nullptr;
    QLabel* m_heading;
    QCheckBox* m_includeAdmin;
    QPushButton* m_run;
    QPushButton* m_cancel;
    QPushButton* m_copy;
    QLabel* m_summary;
    QTreeWidget* m_tree;
    QTextBrowser* m_details;
    bool m_cancelled = false;
};

} // namespace pbi::ui
