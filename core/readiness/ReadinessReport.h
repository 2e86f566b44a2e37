#pragma once

// A finished review as a value, the review file (attestations) and the exports: Markdown for
// people, CSV for spreadsheets, JSON for machines (schema in docs/readiness.md). Nothing here
// ever holds a secret or a token: only the claims named in IntegrationSummary.

#include "readiness/ReadinessCheck.h"

#include "http/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace pbi {
struct ConnectionProfile;
}

namespace pbi::readiness {

struct TokenFacts;

/// Who and what was reviewed, in words and harmless identifiers only.
struct IntegrationSummary {
    QString connection;  ///< the profile's display name
    QString environment; ///< "Production", "Sandbox", …
    QString cloud;       ///< "Public", "Sandbox", "Custom", …
    QString tenant;      ///< the connection's tenant (GUID or domain), or the token's tid
    QString clientId;    ///< the app (client) id; not a secret
    QString credential;  ///< "Client secret", "Certificate", … (the kind, never the value)
    // Token claims, by name and value, only those that are harmless to show.
    QString idtyp, appid, tid;
    QStringList roles, scp;
    struct WorkspaceRef {
        QString id;
        QString name;
    };
    std::vector<WorkspaceRef> workspaces;

    static IntegrationSummary from(const ConnectionProfile& profile, const TokenFacts* token);
};

/// A review: what was looked at, each check's result, and the attestations on file.
struct ReadinessReport {
    IntegrationSummary integration;
    QDateTime evaluatedAt; ///< invalid: never evaluated (attestations only)
    QString namingPattern;
    int staleAfterDays = 90;
    std::vector<CheckResult> results; ///< catalogue order
    std::vector<Attestation> attestations;

    Verdict verdict() const { return verdictOf(results); }
};

/// The longest name and comment an attestation may carry.
inline constexpr int kMaxAttestationName = 200;
inline constexpr int kMaxAttestationComment = 4000;

/// Empty when `a` may be recorded; else one sentence that says what to correct: an unknown
/// check, a check decided live only, a status other than Pass/Fail/Not applicable, no name, a
/// missing comment for Not applicable or Fail, text too long or with control characters, or a
/// comment that looks like a token or a secret (files must never hold one).
QString validateAttestation(const Attestation& a);

/// The review file: the attestations and who they are about (docs/readiness.md). The report
/// JSON (toJson) is a review file too: it carries the same "attestations" array.
namespace ReviewFile {

struct Loaded {
    std::vector<Attestation> attestations;
    QString connection; ///< as recorded, for "this file was written for …"
    QString clientId;
    QString tenant;
    QStringList warnings; ///< attestations skipped and why (unknown check, invalid)
};

QByteArray toJson(const IntegrationSummary& integration, const std::vector<Attestation>& attestations,
                  const QDateTime& savedAt);
/// Accepts a review file or a report JSON. A Parse error names what is wrong: not JSON, not
/// a readiness file, a newer schema version, a malformed attestation.
Result<Loaded> fromJson(const QByteArray& data);
/// Replaces the attestation of the same check, or adds it.
void record(std::vector<Attestation>& attestations, const Attestation& a);
/// The sentence to show when a loaded file was written for another integration; empty when
/// it matches (or does not say).
QString mismatch(const Loaded& loaded, const IntegrationSummary& current);

} // namespace ReviewFile

/// The exports. All three contain the same facts.
namespace ReadinessExport {

inline constexpr int kSchemaVersion = 1;

QByteArray toMarkdown(const ReadinessReport& report);
/// One row per check: area, id, title, status, decision, evidence (lines joined by " | "),
/// error, fix, attested_status, attested_by, attested_on, attestation_comment, attestation_stale.
QByteArray toCsv(const ReadinessReport& report);
QByteArray toJson(const ReadinessReport& report);
/// By the file name's extension (.md/.markdown, .csv, .json); an error sentence otherwise.
Result<QByteArray> render(const ReadinessReport& report, const QString& fileName);
/// Writes the export atomically (QSaveFile); false with `error` set on failure.
bool write(const ReadinessReport& report, const QString& fileName, QString* error);

} // namespace ReadinessExport

} // namespace pbi::readiness
