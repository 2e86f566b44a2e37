#include "readiness/ReadinessReport.h"

#include "readiness/ReadinessRules.h"

#include "profiles/ConnectionProfile.h"

#include <nlohmann/json.hpp>

#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

namespace pbi::readiness {

namespace {

using json = nlohmann::json;

std::string s(const QString& v)
{
    return v.toStdString();
}

QString q(const json& j, const char* key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

json stringList(const QStringList& list)
{
    json out = json::array();
    for (const QString& v : list)
        out.push_back(s(v));
    return out;
}

QString iso(const QDateTime& t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

QString day(const QDateTime& t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd")) : QString();
}

json attestationJson(const Attestation& a)
{
    return {{"check", s(a.checkId)},
            {"status", s(statusKey(a.status))},
            {"by", s(a.by)},
            {"date", s(iso(a.at))},
            {"comment", s(a.comment)}};
}

json integrationJson(const IntegrationSummary& i)
{
    json workspaces = json::array();
    for (const auto& w : i.workspaces)
        workspaces.push_back({{"id", s(w.id)}, {"name", s(w.name)}});
    json claims = json::object();
    if (!i.idtyp.isEmpty())
        claims["idtyp"] = s(i.idtyp);
    if (!i.appid.isEmpty())
        claims["appid"] = s(i.appid);
    if (!i.tid.isEmpty())
        claims["tid"] = s(i.tid);
    claims["roles"] = stringList(i.roles);
    claims["scp"] = stringList(i.scp);
    return {{"connection", s(i.connection)},   {"environment", s(i.environment)}, {"cloud", s(i.cloud)},
            {"tenant", s(i.tenant)},           {"clientId", s(i.clientId)},       {"credential", s(i.credential)},
            {"tokenClaims", std::move(claims)}, {"workspaces", std::move(workspaces)}};
}

/// Looks like a bearer token, a JWT or a credential assignment: refused in attestations, so a
/// review file never becomes the place a secret leaks from.
bool looksSecret(const QString& text)
{
    static const QRegularExpression jwt(QStringLiteral("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"));
    static const QRegularExpression assignment(
        QStringLiteral("(client_secret|client_assertion|password|passwd|access_token|refresh_token)\\s*[=:]\\s*\\S"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression bearer(QStringLiteral("\\bBearer\\s+[A-Za-z0-9._~+/-]{20,}"));
    return jwt.match(text).hasMatch() || assignment.match(text).hasMatch() || bearer.match(text).hasMatch();
}

bool hasControlCharacters(const QString& text, bool allowNewlines)
{
    for (QChar c : text) {
        if (allowNewlines && (c == QLatin1Char('\n') || c == QLatin1Char('\t') || c == QLatin1Char('\r')))
            continue;
        if (c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

/// A Markdown table cell: one line, pipes escaped.
QString cell(QString text)
{
    text.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    text.replace(QLatin1Char('|'), QStringLiteral("\\|"));
    text.replace(QLatin1Char('\r'), QString());
    text.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    return text;
}

/// A CSV field (RFC 4180); a leading =, +, - or @ is defused so a spreadsheet never runs it.
QString csvField(QString text)
{
    if (!text.isEmpty() && QStringLiteral("=+-@").contains(text.front()))
        text.prepend(QLatin1Char('\''));
    if (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) || text.contains(QLatin1Char('\n')) ||
        text.contains(QLatin1Char('\r'))) {
        text.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        return QLatin1Char('"') + text + QLatin1Char('"');
    }
    return text;
}

QString statusMark(Status s)
{
    switch (s) {
    case Status::Pass: return QStringLiteral("✅ Pass");
    case Status::Warn: return QStringLiteral("⚠️ Warn");
    case Status::Fail: return QStringLiteral("❌ Fail");
    case Status::NotApplicable: return QStringLiteral("➖ Not applicable");
    case Status::NeedsAttestation: return QStringLiteral("✋ Needs attestation");
    case Status::Error: return QStringLiteral("⛔ Error");
    case Status::NotEvaluated: return QStringLiteral("… Not evaluated");
    }
    return {};
}

QString attestationText(const CheckResult& r)
{
    if (!r.attestation)
        return {};
    const Attestation& a = *r.attestation;
    QString t = QStringLiteral("%1 by %2 on %3").arg(statusName(a.status), a.by, day(a.at));
    if (!a.comment.isEmpty())
        t += QStringLiteral(": ") + a.comment;
    if (r.attestationStale)
        t += QStringLiteral(" (stale: not counted)");
    else if (!r.attestationApplied)
        t += QStringLiteral(" (not counted: the live result stands)");
    return t;
}

} // namespace

IntegrationSummary IntegrationSummary::from(const ConnectionProfile& p, const TokenFacts* token)
{
    IntegrationSummary i;
    i.connection = p.displayName;
    i.environment = p.environmentName();
    i.cloud = cloudKey(p.cloud);
    i.tenant = p.tenant;
    i.clientId = p.clientId;
    i.credential = credentialKindName(p.credentialKind);
    if (token) {
        i.idtyp = token->idtyp;
        i.appid = token->appId;
        i.tid = token->tenantId;
        i.roles = token->roles;
        i.scp = token->scopes;
        if (i.tenant.isEmpty())
            i.tenant = token->tenantId;
        if (i.clientId.isEmpty())
            i.clientId = token->appId;
    }
    return i;
}

QString validateAttestation(const Attestation& a)
{
    const ReadinessCheck* check = findCheck(a.checkId);
    if (!check)
        return QStringLiteral("There is no check '%1' (see the catalogue in docs/readiness.md).").arg(a.checkId);
    if (check->decision == Decision::Live)
        return QStringLiteral("'%1' is decided from live evidence only; it cannot be attested.").arg(a.checkId);
    if (a.status != Status::Pass && a.status != Status::Fail && a.status != Status::NotApplicable)
        return QStringLiteral("An attestation says pass, fail or not applicable.");
    const QString by = a.by.trimmed();
    if (by.isEmpty())
        return QStringLiteral("Say who attests: a name is required.");
    if (by.size() > kMaxAttestationName)
        return QStringLiteral("The name is longer than %1 characters.").arg(kMaxAttestationName);
    if (hasControlCharacters(a.by, false))
        return QStringLiteral("The name contains control characters.");
    if (a.comment.size() > kMaxAttestationComment)
        return QStringLiteral("The comment is longer than %1 characters.").arg(kMaxAttestationComment);
    if (hasControlCharacters(a.comment, true))
        return QStringLiteral("The comment contains control characters.");
    if (a.status != Status::Pass && a.comment.trimmed().isEmpty())
        return a.status == Status::Fail ? QStringLiteral("Say in the comment what fails.")
                                        : QStringLiteral("Say in the comment why the check does not apply.");
    if (looksSecret(a.comment) || looksSecret(a.by))
        return QStringLiteral("The text looks like it holds a token or a secret; review files must never hold "
                              "one. Describe it instead.");
    if (!a.at.isValid())
        return QStringLiteral("The attestation has no date.");
    return {};
}

namespace ReviewFile {

QByteArray toJson(const IntegrationSummary& integration, const std::vector<Attestation>& attestations,
                  const QDateTime& savedAt)
{
    json list = json::array();
    for (const Attestation& a : attestations)
        list.push_back(attestationJson(a));
    const json j = {{"schemaVersion", ReadinessExport::kSchemaVersion},
                    {"kind", "pbi-console-readiness-review"},
                    {"savedAt", s(iso(savedAt))},
                    {"integration",
                     {{"connection", s(integration.connection)},
                      {"tenant", s(integration.tenant)},
                      {"clientId", s(integration.clientId)}}},
                    {"attestations", std::move(list)}};
    return QByteArray::fromStdString(j.dump(2)) + '\n';
}

Result<Loaded> fromJson(const QByteArray& data)
{
    const auto parseError = [](const QString& sentence) {
        Error e;
        e.kind = ErrorKind::Parse;
        e.sentence = sentence;
        return e;
    };
    const json j = json::parse(data.toStdString(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return parseError(QStringLiteral("The file is not a readiness review: it is not a JSON object."));
    const QString kind = q(j, "kind");
    if (kind != QLatin1String("pbi-console-readiness-review") && kind != QLatin1String("pbi-console-readiness-report"))
        return parseError(QStringLiteral("The file is not a PBI Console readiness review (its \"kind\" is \"%1\").").arg(kind));
    const auto version = j.find("schemaVersion");
    if (version == j.end() || !version->is_number_integer())
        return parseError(QStringLiteral("The review file has no schemaVersion."));
    if (version->get<int>() > ReadinessExport::kSchemaVersion)
        return parseError(QStringLiteral("The review file has schema version %1; this version of PBI Console reads "
                                         "version %2 and older. Update PBI Console.")
                              .arg(version->get<int>())
                              .arg(ReadinessExport::kSchemaVersion));
    Loaded out;
    if (const auto i = j.find("integration"); i != j.end() && i->is_object()) {
        out.connection = q(*i, "connection");
        out.clientId = q(*i, "clientId");
        out.tenant = q(*i, "tenant");
    }
    const auto list = j.find("attestations");
    if (list == j.end())
        return out;
    if (!list->is_array())
        return parseError(QStringLiteral("\"attestations\" must be an array."));
    int index = 0;
    for (const json& item : *list) {
        const QString where = QStringLiteral("attestations[%1]").arg(index++);
        if (!item.is_object())
            return parseError(QStringLiteral("%1 is not an object.").arg(where));
        Attestation a;
        a.checkId = q(item, "check");
        const auto status = statusFromKey(q(item, "status"));
        if (!status)
            return parseError(QStringLiteral("%1 has an unknown status \"%2\".").arg(where, q(item, "status")));
        a.status = *status;
        a.by = q(item, "by");
        a.at = QDateTime::fromString(q(item, "date"), Qt::ISODate);
        if (!a.at.isValid())
            return parseError(QStringLiteral("%1 has no valid ISO 8601 date.").arg(where));
        a.at = a.at.toUTC();
        a.comment = q(item, "comment");
        const QString problem = validateAttestation(a);
        if (!problem.isEmpty()) {
            out.warnings << QStringLiteral("%1 (%2) skipped: %3").arg(where, a.checkId, problem);
            continue;
        }
        record(out.attestations, a);
    }
    return out;
}

void record(std::vector<Attestation>& attestations, const Attestation& a)
{
    for (Attestation& existing : attestations) {
        if (existing.checkId == a.checkId) {
            if (a.at >= existing.at)
                existing = a;
            return;
        }
    }
    attestations.push_back(a);
}

QString mismatch(const Loaded& loaded, const IntegrationSummary& current)
{
    if (!loaded.clientId.isEmpty() && !current.clientId.isEmpty() &&
        loaded.clientId.compare(current.clientId, Qt::CaseInsensitive) != 0)
        return QStringLiteral("This review file was written for another app (client id %1, connection \"%2\"); "
                              "this connection signs in as %3.")
            .arg(loaded.clientId, loaded.connection, current.clientId);
    return {};
}

} // namespace ReviewFile

namespace ReadinessExport {

QByteArray toJson(const ReadinessReport& report)
{
    const StatusCounts c = countStatuses(report.results);
    json checks = json::array();
    for (const CheckResult& r : report.results) {
        const ReadinessCheck* def = findCheck(r.checkId);
        if (!def)
            continue;
        json j = {{"id", s(def->id)},
                  {"area", s(areaName(def->area))},
                  {"title", s(def->title)},
                  {"decision", s(decisionKey(def->decision))},
                  {"status", s(statusKey(r.status))},
                  {"liveStatus", s(statusKey(r.liveStatus))},
                  {"evidence", stringList(r.evidence)},
                  {"why", s(def->why)},
                  {"fix", s(def->fix)}};
        if (!r.error.isEmpty())
            j["error"] = s(r.error);
        if (r.attestation) {
            json a = attestationJson(*r.attestation);
            a.erase("check");
            a["applied"] = r.attestationApplied;
            a["stale"] = r.attestationStale;
            j["attestation"] = std::move(a);
        }
        checks.push_back(std::move(j));
    }
    json attestations = json::array();
    for (const Attestation& a : report.attestations)
        attestations.push_back(attestationJson(a));
    const json out = {{"schemaVersion", kSchemaVersion},
                      {"kind", "pbi-console-readiness-report"},
                      {"generatedBy", "PBI Console"},
                      {"evaluatedAt", s(iso(report.evaluatedAt))},
                      {"verdict", s(verdictKey(report.verdict()))},
                      {"counts",
                       {{"pass", c.pass},
                        {"warn", c.warn},
                        {"fail", c.fail},
                        {"notApplicable", c.notApplicable},
                        {"needsAttestation", c.needsAttestation},
                        {"error", c.error},
                        {"notEvaluated", c.notEvaluated}}},
                      {"options", {{"namingPattern", s(report.namingPattern)}, {"staleAfterDays", report.staleAfterDays}}},
                      {"integration", integrationJson(report.integration)},
                      {"checks", std::move(checks)},
                      {"attestations", std::move(attestations)}};
    return QByteArray::fromStdString(out.dump(2)) + '\n';
}

QByteArray toCsv(const ReadinessReport& report)
{
    QStringList lines;
    lines << QStringLiteral("area,id,title,status,decision,evidence,error,fix,attested_status,attested_by,"
                            "attested_on,attestation_comment,attestation_stale");
    for (const CheckResult& r : report.results) {
        const ReadinessCheck* def = findCheck(r.checkId);
        if (!def)
            continue;
        const Attestation* a = r.attestation ? &*r.attestation : nullptr;
        QStringList row{areaName(def->area),
                        def->id,
                        def->title,
                        statusKey(r.status),
                        decisionKey(def->decision),
                        r.evidence.join(QStringLiteral(" | ")),
                        r.error,
                        def->fix,
                        a ? statusKey(a->status) : QString(),
                        a ? a->by : QString(),
                        a ? day(a->at) : QString(),
                        a ? a->comment : QString(),
                        a ? (r.attestationStale ? QStringLiteral("yes") : QStringLiteral("no")) : QString()};
        for (QString& f : row)
            f = csvField(f);
        lines << row.join(QLatin1Char(','));
    }
    return lines.join(QStringLiteral("\r\n")).toUtf8() + "\r\n";
}

QByteArray toMarkdown(const ReadinessReport& report)
{
    const IntegrationSummary& i = report.integration;
    const StatusCounts c = countStatuses(report.results);
    QString md;
    md += QStringLiteral("# Readiness review: %1\n\n").arg(i.connection.isEmpty() ? QStringLiteral("(unnamed)") : i.connection);
    md += QStringLiteral("**Verdict: %1** — %2\n\n").arg(verdictName(report.verdict()), c.summary());
    md += QStringLiteral("| | |\n|---|---|\n");
    const auto row = [&md](const QString& k, const QString& v) {
        if (!v.isEmpty())
            md += QStringLiteral("| %1 | %2 |\n").arg(k, cell(v));
    };
    row(QStringLiteral("Evaluated"), report.evaluatedAt.isValid()
                                         ? report.evaluatedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"))
                                         : QStringLiteral("not evaluated"));
    row(QStringLiteral("Environment"), i.environment);
    row(QStringLiteral("Cloud"), i.cloud);
    row(QStringLiteral("Tenant"), i.tenant);
    row(QStringLiteral("App (client) id"), i.clientId);
    row(QStringLiteral("Credential"), i.credential);
    if (!i.idtyp.isEmpty())
        row(QStringLiteral("Token"), QStringLiteral("idtyp=%1, roles: %2, scp: %3")
                                         .arg(i.idtyp,
                                              i.roles.isEmpty() ? QStringLiteral("none") : i.roles.join(QLatin1Char(' ')),
                                              i.scp.isEmpty() ? QStringLiteral("none") : i.scp.join(QLatin1Char(' '))));
    QStringList names;
    for (const auto& w : i.workspaces)
        names << w.name;
    row(QStringLiteral("Workspaces"), QStringLiteral("%1: %2").arg(names.size()).arg(names.join(QStringLiteral(", "))));
    // In a code span backslashes are literal; only the table's pipes need escaping.
    if (!report.namingPattern.isEmpty())
        md += QStringLiteral("| Naming convention | `%1` |\n")
                  .arg(QString(report.namingPattern).replace(QLatin1Char('|'), QStringLiteral("\\|")));
    md += QStringLiteral("\n| Status | Checks |\n|---|---|\n");
    for (const auto& [s, n] : {std::pair{Status::Pass, c.pass}, std::pair{Status::Warn, c.warn}, std::pair{Status::Fail, c.fail},
                               std::pair{Status::NeedsAttestation, c.needsAttestation}, std::pair{Status::Error, c.error},
                               std::pair{Status::NotApplicable, c.notApplicable},
                               std::pair{Status::NotEvaluated, c.notEvaluated}})
        if (n > 0)
            md += QStringLiteral("| %1 | %2 |\n").arg(statusMark(s)).arg(n);
    for (Area area : {Area::Identity, Area::LeastPrivilege, Area::Secrets, Area::Retries, Area::Logging,
                      Area::Environments, Area::Ownership, Area::Naming}) {
        md += QStringLiteral("\n## %1\n\n").arg(areaName(area));
        md += QStringLiteral("| Status | Check | Evidence | Fix | Attestation |\n|---|---|---|---|---|\n");
        for (const CheckResult& r : report.results) {
            const ReadinessCheck* def = findCheck(r.checkId);
            if (!def || def->area != area)
                continue;
            QStringList evidence = r.evidence;
            if (!r.error.isEmpty())
                evidence << QStringLiteral("could not evaluate: ") + r.error;
            const bool passing = r.status == Status::Pass || r.status == Status::NotApplicable;
            md += QStringLiteral("| %1 | **%2**<br>`%3` · %4 | %5 | %6 | %7 |\n")
                      .arg(statusMark(r.status), cell(def->title), def->id, decisionName(def->decision),
                           cell(evidence.join(QLatin1Char('\n'))), passing ? QString() : cell(def->fix),
                           cell(attestationText(r)));
        }
    }
    md += QStringLiteral("\n---\nGenerated by PBI Console. Token claims are shown by name only where harmless "
                         "(idtyp, appid, tid, roles, scp); no secret or token is part of this report.\n");
    return md.toUtf8();
}

Result<QByteArray> render(const ReadinessReport& report, const QString& fileName)
{
    const QString ext = QFileInfo(fileName).suffix().toLower();
    if (ext == QLatin1String("md") || ext == QLatin1String("markdown"))
        return toMarkdown(report);
    if (ext == QLatin1String("csv"))
        return toCsv(report);
    if (ext == QLatin1String("json"))
        return toJson(report);
    Error e;
    e.kind = ErrorKind::Refused;
    e.sentence = QStringLiteral("Cannot tell the export format from \"%1\": name the file .md, .csv or .json.")
                     .arg(QFileInfo(fileName).fileName());
    return e;
}

bool write(const ReadinessReport& report, const QString& fileName, QString* error)
{
    auto data = render(report, fileName);
    if (!data) {
        if (error)
            *error = data.error().sentence;
        return false;
    }
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || file.write(data.value()) != data.value().size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("Cannot write %1: %2").arg(fileName, file.errorString());
        return false;
    }
    return true;
}

} // namespace ReadinessExport

} // namespace pbi::readiness
