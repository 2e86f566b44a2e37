#pragma once

#include "profiles/ConnectionCheck.h"
#include "profiles/ConnectionProfile.h"

#include <QDialog>
#include <QHash>

#include <functional>

class QButtonGroup;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;

namespace pbi {
class ProfileStore;
}

namespace pbi::ui {

class DialogSeam;
class ErrorBanner;

/// Create, edit, duplicate, delete, import, export and test connection profiles. Every field
/// is validated as it is typed, with the reason beside the field; secrets go to the keychain.
class ConnectionDialog : public QDialog {
    Q_OBJECT
public:
    /// Runs "Test connection" for a profile (possibly unsaved) with the secret typed or stored.
    using Tester = std::function<void(const pbi::ConnectionProfile& profile, const QString& secret,
                                      QObject* context,
                                      std::function<void(pbi::Result<pbi::ConnectionCheckResult>)>)>;

    ConnectionDialog(pbi::ProfileStore* store, DialogSeam* dialogs, Tester tester,
                     QWidget* parent = nullptr);

    /// Selects a profile by id (the sandbox's id is "sandbox").
    void selectProfile(const QString& id);
    QString currentProfileId() const;
    /// The profile as the form shows it now (not saved).
    pbi::ConnectionProfile formProfile() const;
    bool hasProblems() const;

Q_SIGNALS:
    /// The user asked to connect with this saved profile (secrets are in the store or session).
    void connectRequested(const QString& profileId);
    /// A save, test or keychain operation ended (for tests and the status line).
    void operationFinished(bool ok);

private:
    void buildUi();
    void reloadList(const QString& selectId);
    void loadProfile(const pbi::ConnectionProfile& profile);
    void revalidate();
    void updateVisibility();
    void setProblem(const QString& field, const QString& message);
    void saveCurrent(std::function<void(bool)> then = {});
    void storeSecret(const QString& id, std::optional<pbi::SecretKind> kind, const QString& secret,
                     std::function<void(bool)> then);
    void newProfile();
    void duplicateCurrent();
    void deleteCurrent();
    void importProfiles();
    void exportProfiles();
    void testConnection();
    void chooseCertificate();
    void chooseCaFile();
    void refreshSecretStatus();
    /// Reads the chosen certificate (with the typed pass phrase) and shows what it is.
    void inspectCertificate();

    pbi::ProfileStore* m_store;
    DialogSeam* m_dialogs;
    Tester m_tester;
    QString m_currentId; ///< empty: a new, unsaved profile
    bool m_loading = false;
    bool m_saving = false; ///< our own save: the list is reloaded by saveCurrent, not by the signal

    QListWidget* m_list;
    QPushButton* m_new;
    QPushButton* m_duplicate;
    QPushButton* m_delete;
    QPushButton* m_import;
    QPushButton* m_export;

    QFormLayout* m_form;
    QLineEdit* m_name;
    QComboBox* m_environment;
    QLineEdit* m_customEnvironment;
    QLineEdit* m_color;
    QComboBox* m_cloud;
    QLineEdit* m_authority;
    QLineEdit* m_apiBase;
    QLineEdit* m_resource;
    QLineEdit* m_caFile;
    QPushButton* m_browseCa;
    QLineEdit* m_tenant;
    QLineEdit* m_clientId;
    QComboBox* m_kind;
    QLineEdit* m_secret;
    QLabel* m_secretStatus;
    QPushButton* m_sessionOnly;
    QLineEdit* m_certificate;
    QPushButton* m_browse;
    QLineEdit* m_userName;
    QRadioButton* m_member;
    QRadioButton* m_admin;
    QPlainTextEdit* m_notes;
    QLabel* m_certificateInfo;
    QHash<QString, QLabel*> m_problems;
    QHash<QString, QWidget*> m_rows;

    ErrorBanner* m_error;
    QLabel* m_testResult;
    QPushButton* m_test;
    QPushButton* m_save;
    QPushButton* m_connect;
};

} // namespace pbi::ui
