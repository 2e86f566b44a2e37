#pragma once

#include "ConnectionDescription.h"

#include "api/Embed.h"
#include "api/Items.h"
#include "api/Workspace.h"
#include "embed/EmbedFacts.h"
#include "embed/EmbedPreflight.h"
#include "http/Error.h"

#include <QPointer>
#include <QWidget>

#include <optional>
#include <vector>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableView;
class QTimer;

namespace pbi {
class Clock;
class PowerBiClient;
} // namespace pbi

namespace pbi::ui {

class EmbedIdentityModel;
class ErrorBanner;

/// The embed-token tester: GenerateToken for the report or semantic model selected in the
/// explorer (V1), or for several items of its workspace at once (V2), with row-level-security
/// identities. The core's pre-flight checks the request as it is typed and says, beside each
/// field, what the service would refuse and the fix; the call can be copied as cURL before it is
/// sent; the answer shows the token id, the expiry with a live countdown, and the token itself
/// only when asked. A refusal is shown with the service's code, request id and likely fix, and
/// the form stays as typed.
class EmbedTokenView : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Single, Multi };

    explicit EmbedTokenView(const pbi::Clock* clock, QWidget* parent = nullptr);
    ~EmbedTokenView() override;

    /// Another connection (or none): forgets the target, the workspace facts and the last token;
    /// the identities typed so far stay.
    void setConnection(pbi::PowerBiClient* client, const ConnectionDescription& connection);
    /// Targets this report (V1: its GenerateToken; V2: it and its model). Reads the workspace's
    /// facts now if the view is visible, else when it is shown.
    void showReport(const pbi::Workspace& workspace, const pbi::Report& report);
    /// Targets this semantic model.
    void showDataset(const pbi::Workspace& workspace, const pbi::Dataset& dataset);
    /// No target, with the reason.
    void showNothing(const QString& message = {});
    /// Reads the workspace's models, members and the access token again.
    void reloadFacts();

    void setMode(Mode mode);
    Mode mode() const;
    /// "View" | "Edit" | "Create" (what the combo offers for the target).
    void setAccessLevel(const QString& level);
    /// V2: includes (or not) an item of the workspace, by id.
    void setItemChecked(const QString& id, bool checked);
    /// Sends the request (as Generate or Send anyway would); does nothing without a target.
    void generate();
    /// Copies the call as cURL (asks the connection for its token first when "with access
    /// token" is ticked).
    void copyCurl();
    /// The call as cURL, the access token redacted.
    QString curl() const;
    /// What copyCurl() put on the clipboard last.
    QString lastCopiedCurl() const { return m_lastCurl; }

    bool hasTarget() const { return !m_itemId.isEmpty(); }
    bool factsReady() const { return m_facts.has_value(); }
    bool isBusy() const { return m_loadingFacts || m_generating; }
    const std::vector<pbi::embed::Finding>& findings() const { return m_findings; }
    /// The findings shown beside one part of the form: "request", "access", "lifetime",
    /// "identities", "items" or "capacity" (plain text).
    QString findingsText(const QString& area) const;
    bool isFindingsShown(const QString& area) const;
    QString titleText() const;
    QString stateText() const;
    std::optional<pbi::EmbedToken> token() const { return m_token; }
    /// The countdown line as shown (the timer updates it every second).
    QString countdownText() const;
    QString expiryText() const;
    QString resultText() const;
    bool isTokenRevealed() const;

    EmbedIdentityModel* identityModel() const { return m_identities; }
    QTableView* identityTable() const { return m_identityTable; }
    QPushButton* addIdentityButton() const { return m_addIdentity; }
    QPushButton* removeIdentityButton() const { return m_removeIdentity; }
    QPushButton* generateButton() const { return m_generate; }
    QPushButton* sendAnywayButton() const { return m_sendAnyway; }
    QPushButton* cancelButton() const { return m_cancel; }
    QPushButton* copyCurlButton() const { return m_copyCurl; }
    QCheckBox* includeTokenBox() const { return m_includeToken; }
    QComboBox* accessLevelBox() const { return m_access; }
    QComboBox* createModelBox() const { return m_createModel; }
    QCheckBox* allowSaveAsBox() const { return m_allowSaveAs; }
    QSpinBox* lifetimeBox() const { return m_lifetime; }
    QListWidget* itemList() const { return m_items; }
    QPushButton* revealTokenButton() const { return m_reveal; }
    QPushButton* copyTokenButton() const { return m_copyToken; }
    ErrorBanner* errorBanner() const { return m_error; }

Q_SIGNALS:
    void factsLoaded(bool ok);
    void tokenGenerated(const QString& tokenId);
    void generationFailed(const pbi::Error& error);
    void statusMessage(const QString& message);

protected:
    void showEvent(QShowEvent* event) override;

private:
    /// The request as the form says, completed the way it will be sent, and its pre-flight.
    struct Built {
        bool multi = false;
        pbi::embed::ItemKind kind = pbi::embed::ItemKind::Report;
        QString itemId; ///< V1: the GenerateToken's item (the model for Create)
        pbi::GenerateTokenRequest v1;
        pbi::GenerateTokenRequestV2 v2;
        pbi::embed::PreflightInput input;
    };
    void setTarget(const pbi::Workspace& workspace, pbi::embed::ItemKind kind, const QString& id,
                   const QString& name, const QString& modelId);
    void loadFacts();
    /// Cancels the GenerateToken in flight, if any; its answer is dropped.
    void dropPendingSend();
    void factsArrived();
    void fillAccessLevels();
    void fillItems();
    Built build() const;
    QString resolveModel(const QString& nameOrId) const;
    QString modelName(const QString& id) const;
    void validate();
    void showFindings();
    void updateActions();
    void setState(const QString& text, bool error = false);
    void showToken(const pbi::EmbedToken& token);
    void clearResult();
    void tick();

    const pbi::Clock* m_clock;
    QPointer<pbi::PowerBiClient> m_client;
    ConnectionDescription m_connection;

    std::optional<pbi::Workspace> m_workspace;
    pbi::embed::ItemKind m_kind = pbi::embed::ItemKind::Report;
    QString m_itemId;
    QString m_itemName;
    QString m_modelId; ///< the target's model (a report's own, or the model itself)
    std::optional<pbi::embed::WorkspaceFacts> m_facts;
    std::vector<pbi::embed::Finding> m_findings;
    std::optional<pbi::EmbedToken> m_token;
    QString m_lastCurl;
    QPointer<QObject> m_factsContext;
    QPointer<QObject> m_sendContext;
    quint64 m_sendId = 0;
    bool m_loadingFacts = false;
    bool m_generating = false;
    bool m_dirty = false;
    bool m_validating = false;
    enum class Failed { Nothing, Facts, Generate } m_failed = Failed::Nothing;

    QLabel* m_title;
    QLabel* m_subtitle;
    QLabel* m_state;
    QLabel* m_requestFindings;
    QRadioButton* m_single;
    QRadioButton* m_multi;
    QButtonGroup* m_modeGroup;
    QWidget* m_itemsBox;
    QListWidget* m_items;
    QLabel* m_itemsFindings;
    QComboBox* m_access;
    QLabel* m_createModelLabel;
    QComboBox* m_createModel;
    QLabel* m_accessFindings;
    QCheckBox* m_allowSaveAs;
    QSpinBox* m_lifetime;
    QLabel* m_lifetimeFindings;
    EmbedIdentityModel* m_identities;
    QTableView* m_identityTable;
    QPushButton* m_addIdentity;
    QPushButton* m_removeIdentity;
    QLabel* m_identityFindings;
    QLabel* m_capacityNote;
    QPushButton* m_copyCurl;
    QCheckBox* m_includeToken;
    QPushButton* m_generate;
    QPushButton* m_sendAnyway;
    QPushButton* m_cancel;
    ErrorBanner* m_error;
    QGroupBox* m_result;
    QLineEdit* m_tokenId;
    QLabel* m_expiry;
    QLabel* m_countdown;
    QLineEdit* m_tokenText;
    QPushButton* m_reveal;
    QPushButton* m_copyToken;
    QLabel* m_opaqueNote;
    QLabel* m_calledAs;
    QTimer* m_timer;
};

} // namespace pbi::ui
