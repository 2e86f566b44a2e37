#pragma once

// The production-readiness checklist of an integration (what a connection profile signs in as,
// plus the workspaces it serves): the catalogue of checks and the values a review produces.
// The facts each check is grounded in are in reference/api-digest.md §6, §8 and §10; the
// checks, their ids and the file formats are documented in docs/readiness.md.

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace pbi::readiness {

/// The areas of the review, in the order a report lists them.
enum class Area { Identity, LeastPrivilege, Secrets, Retries, Logging, Environments, Ownership, Naming };

/// How a check is decided: from what the service and the connection show, by a person's
/// word, or live first with a person's word where the evidence cannot be conclusive.
enum class Decision { Live, Attested, LiveAndAttested };

enum class Status {
    NotEvaluated,     ///< no evaluation has run yet
    Pass,
    Warn,
    Fail,
    NotApplicable,
    NeedsAttestation, ///< a person has to say (or the attestation on file is stale)
    Error,            ///< could not be evaluated: the call that would have told failed
};

/// The overall verdict of a review.
enum class Verdict {
    Ready,             ///< every check passes or does not apply
    ReadyWithWarnings, ///< no failure, nothing missing, some warnings
    NotReady,          ///< at least one check fails
    Incomplete,        ///< no failure, but some checks need an attestation or could not be evaluated
};

/// One check of the catalogue.
struct ReadinessCheck {
    QString id;    ///< stable: "identity.app-only", "privilege.workspace-role", …
    Area area = Area::Identity;
    QString title; ///< what "pass" means, as a short sentence
    QString why;   ///< why it matters in production
    Decision decision = Decision::Live;
    QString howDecided; ///< what evidence decides it and when it warns or fails
    QString fix;        ///< what to do when it does not pass
    /// Attested checks: the statement a person confirms ("the integration honours Retry-After…").
    QString attestation;
};

/// A person's word on a check.
struct Attestation {
    QString checkId;
    Status status = Status::Pass; ///< Pass, Fail or NotApplicable only
    QString by;                   ///< the person's name
    QDateTime at;                 ///< UTC, from the clock when recorded
    QString comment;
};

/// What one check came to.
struct CheckResult {
    QString checkId;
    Status status = Status::NotEvaluated;
    /// What the live evaluation said before any attestation was applied.
    Status liveStatus = Status::NotEvaluated;
    QStringList evidence; ///< what was seen, one line each ("token idtyp=app, roles: none")
    QString error;        ///< Error: the core's sentence of the call that failed
    std::optional<Attestation> attestation; ///< the one on file for the check, applied or not
    bool attestationApplied = false;        ///< it decided the status
    bool attestationStale = false;          ///< older than the review's limit: not counted
};

/// The catalogue, in report order (by area, then as listed in docs/readiness.md).
const std::vector<ReadinessCheck>& catalogue();
const ReadinessCheck* findCheck(const QString& id);

QString areaName(Area area);              ///< "Least privilege"
QString decisionName(Decision decision);  ///< "Live", "Attested", "Live + attested"
QString decisionKey(Decision decision);   ///< "live", "attested", "live+attested"
QString statusName(Status status);        ///< "Pass", "Needs attestation", …
QString statusKey(Status status);         ///< "pass", "needs-attestation", … (file formats)
std::optional<Status> statusFromKey(const QString& key);
/// The statuses a person may attest, from what a user types: "pass", "fail", "na",
/// "n/a", "not-applicable" (case-insensitive).
std::optional<Status> attestedStatusFromText(const QString& text);
QString verdictName(Verdict verdict); ///< "Ready with warnings"
QString verdictKey(Verdict verdict);  ///< "ready-with-warnings"

/// The verdict of a set of results: any Fail → NotReady; else any Error, NeedsAttestation or
/// NotEvaluated → Incomplete; else any Warn → ReadyWithWarnings; else Ready.
Verdict verdictOf(const std::vector<CheckResult>& results);

/// How many results have each status.
struct StatusCounts {
    int pass = 0, warn = 0, fail = 0, notApplicable = 0, needsAttestation = 0, error = 0, notEvaluated = 0;
    int total() const { return pass + warn + fail + notApplicable + needsAttestation + error + notEvaluated; }
    /// "8 pass · 3 warn · 1 fail · 2 need attestation" (zero counts left out).
    QString summary() const;
};
StatusCounts countStatuses(const std::vector<CheckResult>& results);

/// One result per catalogue check, all NotEvaluated: what a review shows before it runs.
std::vector<CheckResult> unevaluatedResults();

} // namespace pbi::readiness
