#pragma once

#include "readiness/ReadinessReport.h"
#include "readiness/ReadinessRules.h"

#include "profiles/ConnectionProfile.h"

#include <QDialog>
#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTextBrowser;
class QTreeView;

namespace pbi {
class Clock;
class PowerBiClient;
class SecretStore;
namespace readiness {
class ReadinessEvaluator;
}
} // namespace pbi

namespace pbi::ui {

class DialogSeam;
class ErrorBanner;
class ReadinessModel;

/// A person's word on one check: status, name and comment, checked as typed (OK stays
/// disabled, and the reason shows, until the attestation may be recorded).
class AttestDialog : public QDialog {
    Q_OBJECT
public:
    AttestDialog(const pbi::readiness::ReadinessCheck& check, const QString& name, const pbi::Clock* clock,
                 QWidget* parent = nullptr);

    /// What the form holds now, dated by the clock.
    pbi::readiness::Attestation attestation() const;
    /// Empty when the form may be accepted.
    QString problem() const;

    QComboBox* statusBox() const { return m_status; }
    QLineEdit* nameEdit() const { return m_name; }
    QPlainTextEdit* commentEdit() const { return m_comment; }
    QPushButton* okButton() const;
    QLabel* problemLabel() const { return m_problem; }

private:
    void revalidate();

    QString m_checkId;
    const pbi::Clock* m_clock;
    QComboBox* m_status;
    QLineEdit* m_name;
    QPlainTextEdit* m_comment;
    QLabel* m_problem;
    QDialogButtonBox* m_buttons;
};

/// The readiness checklist of the connection's integration: the checks by area with their
/// status, evidence and attestation; Evaluate (progress, cancel), Attest…, Load/Save review and
/// Export (Markdown, CSV, JSON). What the user typed — attestations, workspaces, convention —
/// survives a failed or cancelled evaluation and a change of connection.
class ReadinessView : public QWidget {
    Q_OBJECT
public:
    explicit ReadinessView(const pbi::Clock* clock, QWidget* parent = nullptr);
    ~ReadinessView() override;

    /// The integration to review: the connection's client and profile, and the store its
    /// secret lives in (null: the keychain check says it could not look). A null client
    /// disconnects.
    void setConnection(pbi::PowerBiClient* client, const pbi::ConnectionProfile& profile,
                       pbi::SecretStore* secrets);
    void setDialogs(DialogSeam* dialogs) { m_dialogs = dialogs; }

    /// Starts an evaluation with the options in the form; false (with the reason in the
    /// banner) when it cannot start.
    bool evaluate();
    void cancel();
    bool isEvaluating() const;

    /// Opens the attestation dialog for the selected check (window-modal, not blocking).
    void attestSelected();
    /// Records an attestation (what the dialog does on OK); false with `error` when invalid.
    bool recordAttestation(const pbi::readiness::Attestation& attestation, QString* error = nullptr);
    bool loadReview(const QString& path, QString* error = nullptr);
    bool saveReview(const QString& path, QString* error = nullptr);
    bool exportReport(const QString& path, QString* error = nullptr);
    /// Attestations recorded since the review file was last loaded or saved.
    bool hasUnsavedAttestations() const { return m_dirty; }

    const pbi::readiness::ReadinessReport& report() const { return m_report; }
    const std::vector<pbi::readiness::Attestation>& attestations() const { return m_attestations; }
    void selectCheck(const QString& checkId);
    QString selectedCheckId() const;

    ReadinessModel* model() const { return m_model; }
    QTreeView* tree() const { return m_tree; }
    QTextBrowser* details() const { return m_details; }
    QLabel* verdictLabel() const { return m_verdict; }
    QLabel* statusLabel() const { return m_status; }
    QLineEdit* workspacesEdit() const { return m_workspaces; }
    QLineEdit* namingEdit() const { return m_naming; }
    QCheckBox* probeBox() const { return m_probe; }
    QPushButton* evaluateButton() const { return m_evaluate; }
    QPushButton* cancelButton() const { return m_cancel; }
    QPushButton* attestButton() const { return m_attest; }
    QPushButton* exportButton() const { return m_export; }
    QProgressBar* progressBar() const { return m_progress; }
    ErrorBanner* errorBanner() const { return m_error; }
    /// The open attestation dialog, if any.
    AttestDialog* attestDialog() const { return m_attestDialog; }

Q_SIGNALS:
    void evaluationFinished();
    void attestationsChanged();

private:
    pbi::readiness::ReviewOptions optionsFromForm() const;
    void showReport();
    void showDetails();
    void updateControls();
    void reapplyAttestations();
    DialogSeam* dialogs();

    const pbi::Clock* m_clock;
    QPointer<pbi::PowerBiClient> m_client;
    pbi::ConnectionProfile m_profile;
    QPointer<pbi::SecretStore> m_secrets;
    DialogSeam* m_dialogs = nullptr;
    std::unique_ptr<DialogSeam> m_ownDialogs;
    pbi::readiness::ReadinessEvaluator* m_evaluator = nullptr;
    pbi::readiness::ReadinessReport m_report;
    std::vector<pbi::readiness::Attestation> m_attestations;
    bool m_dirty = false;
    QString m_reviewPath;
    QString m_lastName;

    ReadinessModel* m_model;
    QLabel* m_verdict;
    QLabel* m_subject;
    QLineEdit* m_workspaces;
    QLineEdit* m_naming;
    QCheckBox* m_probe;
    QCheckBox* m_descriptions;
    QPushButton* m_evaluate;
    QPushButton* m_cancel;
    QPushButton* m_attest;
    QPushButton* m_load;
    QPushButton* m_save;
    QPushButton* m_export;
    QProgressBar* m_progress;
    QLabel* m_status;
    ErrorBanner* m_error;
    QTreeView* m_tree;
    QTextBrowser* m_details;
    QPointer<AttestDialog> m_attestDialog;
};

} // namespace pbi::ui
