#pragma once

#include "readiness/ReadinessReport.h"
#include "readiness/ReadinessRules.h"

#include "profiles/ConnectionProfile.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <vector>

namespace pbi {
class Clock;
class PowerBiClient;
class SecretStore;
namespace diagnostics {
class PermissionProbe;
}
} // namespace pbi

namespace pbi::readiness {

/// Reads the certificate a certificate connection names: validity, subject and thumbprint
/// from a PEM or DER file; from the expiry recorded with the connection for PKCS#12 files
/// (which need the pass phrase to open). Fails with a sentence when the file cannot be read.
Result<CertificateFacts> readCertificateFacts(const ConnectionProfile& profile);

/// Gathers the live evidence of a review through the core — the token's claims, the secret
/// store, the certificate file, the workspaces and their members and items, the permission
/// probe, the request log's 429s — then applies the rules and the attestations. Calls run
/// concurrently within the transport's limits; one that fails marks only the checks that
/// needed it as Error. Cancellable; progress is reported as calls complete.
class ReadinessEvaluator : public QObject {
    Q_OBJECT
public:
    /// `secrets` may be null: the keychain check then says it could not look.
    ReadinessEvaluator(PowerBiClient* client, ConnectionProfile profile, SecretStore* secrets,
                       const Clock* clock, QObject* parent = nullptr);
    ~ReadinessEvaluator() override;

    void setOptions(const ReviewOptions& options) { m_options = options; }
    const ReviewOptions& options() const { return m_options; }
    /// The attestations on file; applied when the evaluation ends (and by reapply()).
    void setAttestations(std::vector<Attestation> attestations);

    /// Starts an evaluation; returns an error sentence (and starts nothing) when the options are
    /// not usable. A running evaluation is cancelled first.
    QString start();
    void cancel();
    bool isRunning() const { return m_running; }

    /// The last finished review (empty results before the first one ends).
    const ReadinessReport& report() const { return m_report; }
    const Evidence& evidence() const { return m_evidence; }
    /// Applies the current attestations to the last results again (after one was recorded).
    void reapply();

Q_SIGNALS:
    /// `done` of `total` calls answered; `step` says what just finished.
    void progress(int done, int total, const QString& step);
    void finished();
    void cancelled();

private:
    void gatherWorkspaces(const std::vector<Workspace>& visible);
    void startProbe();
    /// One call answered (or failed): counts it and finishes once nothing is outstanding.
    void completed(const QString& step);
    void finish();
    /// Stops the run without a signal.
    void stop();
    template <typename T>
    void fetch(std::size_t index, const QString& what,
               Gathered<std::vector<T>> WorkspaceEvidence::*slot,
               quint64 (PowerBiClient::*call)(const QString&, QObject*, std::function<void(Result<std::vector<T>>)>));

    QPointer<PowerBiClient> m_client;
    ConnectionProfile m_profile;
    QPointer<SecretStore> m_secrets;
    const Clock* m_clock;
    ReviewOptions m_options;
    std::vector<Attestation> m_attestations;

    bool m_running = false;
    std::unique_ptr<QObject> m_run; ///< the context of this run's callbacks: deleted on cancel
    std::vector<quint64> m_calls;   ///< transport ids, cancelled with the run
    diagnostics::PermissionProbe* m_probe = nullptr;
    int m_outstanding = 0;
    int m_done = 0;
    int m_total = 0;
    Evidence m_evidence;
    ReadinessReport m_report;
};

} // namespace pbi::readiness
