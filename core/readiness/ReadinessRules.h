#pragma once

// The rules of the readiness checklist: pure functions from the evidence a review gathered
// (ReadinessEvaluator) to one CheckResult per check. No I/O here, so every rule is tested on
// crafted evidence as well as on the sandbox's.

#include "readiness/ReadinessCheck.h"

#include "api/Workspace.h"
#include "auth/JwtInspector.h"
#include "diagnostics/PermissionProbe.h"
#include "http/Error.h"
#include "profiles/ConnectionProfile.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace pbi::readiness {

/// What the reviewer chose: the workspaces, the naming convention, who counts as a service
/// account, and the limits.
struct ReviewOptions {
    /// Names (case-insensitive) or ids of the workspaces the integration serves; empty: every
    /// workspace the identity can see.
    QStringList workspaces;
    /// ECMAScript-style regular expression (QRegularExpression) a workspace name must match.
    QString namingPattern = defaultNamingPattern();
    /// Owners (configuredBy) that are service accounts, besides the integration's own identity.
    QStringList serviceAccounts;
    bool checkDescriptions = true;
    /// Run the permission probe (about a dozen read-only calls, four of them admin APIs).
    bool runProbe = true;
    int staleAfterDays = 90;
    int certificateWarningDays = 30;

    static QString defaultNamingPattern();
    /// Empty when usable; else one sentence ("The naming convention is not a valid regular
    /// expression: …").
    QString validate() const;
};

/// The claims of the access token a review looks at; nothing else of the token is kept.
struct TokenFacts {
    QString idtyp;    ///< "app", "user" or empty
    QString appId;    ///< appid
    QString tenantId; ///< tid
    QString objectId; ///< oid
    QString upn;      ///< upn (delegated), else unique_name
    QString appidacr; ///< "0" public client, "1" secret, "2" certificate
    QStringList roles;
    QStringList scopes; ///< scp split on spaces
    QDateTime expiresAt;

    /// idtyp, or — when absent — app-only for a token without scp.
    bool isAppOnly() const;
    static TokenFacts fromDecoded(const DecodedJwt& jwt);
    /// "token idtyp=app, appid=…, tid=…, roles: none"
    QString describe() const;
};

/// A value that was gathered, or the error that prevented it; neither when not attempted.
template <typename T>
struct Gathered {
    std::optional<T> value;
    std::optional<Error> error;
    bool has() const { return value.has_value(); }
};

/// What the certificate of a certificate connection says about itself.
struct CertificateFacts {
    QString subject;
    QString thumbprint;
    QDateTime notBefore;
    QDateTime notAfter;
    QString source; ///< "the certificate file" / "the expiry recorded with the connection"
    bool privateKeyReadableByOthers = false;
};

/// What the secret store holds for the connection.
struct SecretFacts {
    bool present = false;
    QString storeDescription; ///< "the system keychain (Secret Service)"
};

/// One workspace the integration serves, and what could be read of it.
struct WorkspaceEvidence {
    Workspace workspace;
    Gathered<std::vector<GroupUser>> members;
    Gathered<std::vector<Dataset>> datasets;
    Gathered<std::vector<Report>> reports;
    Gathered<std::vector<Dataflow>> dataflows;
};

/// Everything a review saw. `now` is the clock's time at the end of gathering.
struct Evidence {
    ConnectionProfile profile;
    QDateTime now;
    Gathered<TokenFacts> token;
    Gathered<SecretFacts> secret;             ///< not attempted when the kind has no stored secret
    Gathered<CertificateFacts> certificate;   ///< certificate connections only
    std::optional<Error> workspaceListError;  ///< GET /groups failed: no workspace evidence at all
    QStringList unmatchedWorkspaces;          ///< selected names/ids the identity cannot see
    std::vector<WorkspaceEvidence> workspaces;
    std::optional<std::vector<diagnostics::ProbeResult>> probe; ///< nullopt: not run
    int throttledResponses = 0; ///< 429 answers the request log saw during the review
};

/// The environment tag of a workspace name: "Dev", "Test", "Prod" or empty. Recognises
/// "[Dev]", "[Development]", "[Test]", "[UAT]", "[QA]", "[Prod]", "[Production]" (any case),
/// also as "(Prod)" or a " - Prod" suffix.
QString environmentTag(const QString& workspaceName);
/// The same classification for a connection's environment ("Dev", "Test", "Prod" or empty
/// for a custom one that does not name one of them).
QString environmentTagOf(const ConnectionProfile& profile);

/// Applies every rule: one result per catalogue check, in catalogue order, attestations not
/// yet applied (see applyAttestations).
std::vector<CheckResult> evaluate(const Evidence& evidence, const ReviewOptions& options);

/// Attaches the attestations on file to `results` and lets them decide where the check's
/// decision allows it: Attested checks take a fresh attestation's status (NeedsAttestation
/// without one, or with a stale one); Live + attested checks take it when the live status is
/// Warn or NeedsAttestation, or when it attests Fail; Live checks never take one. The
/// result's evidence says which attestation was used or why not.
void applyAttestations(std::vector<CheckResult>& results, const std::vector<Attestation>& attestations,
                       const QDateTime& now, int staleAfterDays);

} // namespace pbi::readiness
