#include "readiness/ReadinessRules.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QRegularExpression>
#include <QUuid>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace pbi::readiness {

namespace {

/// Evidence lists stay readable: this many lines of one kind, then "… and N more".
constexpr int kMaxLines = 12;

void addCapped(QStringList& evidence, const QStringList& lines)
{
    for (int i = 0; i < lines.size() && i < kMaxLines; ++i)
        evidence << lines[i];
    if (lines.size() > kMaxLines)
        evidence << QStringLiteral("… and %1 more").arg(lines.size() - kMaxLines);
}

QString quoted(const QString& name)
{
    return QLatin1Char('\'') + name + QLatin1Char('\'');
}

CheckResult make(const QString& id, Status status, QStringList evidence = {})
{
    CheckResult r;
    r.checkId = id;
    r.status = status;
    r.liveStatus = status;
    r.evidence = std::move(evidence);
    return r;
}

CheckResult errorResult(const QString& id, const Error& e, QStringList evidence = {})
{
    CheckResult r = make(id, Status::Error, std::move(evidence));
    r.error = e.summary();
    return r;
}

bool isDelegatedKind(CredentialKind k)
{
    return k == CredentialKind::DeviceCode || k == CredentialKind::Interactive ||
           k == CredentialKind::UsernamePassword;
}

bool isProductionProfile(const ConnectionProfile& p)
{
    return environmentTagOf(p) == QLatin1String("Prod");
}

/// The environment a workspace belongs to: its tag, else the connection's.
QString workspaceEnvironment(const Workspace& w, const ConnectionProfile& p)
{
    const QString tag = environmentTag(w.name);
    return tag.isEmpty() ? environmentTagOf(p) : tag;
}

/// A per-workspace rule over one kind of gathered list: collects the failures, so that a check
/// is Error only when what could be read does not already decide it.
struct PerWorkspace {
    QStringList errors;
    QString firstError;
    void failed(const WorkspaceEvidence& w, const Error& e)
    {
        errors << QStringLiteral("could not read %1: %2").arg(quoted(w.workspace.name), e.sentence);
        if (firstError.isEmpty())
            firstError = e.summary();
    }
};

/// Turns "found problems" + "could not read some" into a status: a Fail or Warn found stands
/// (with the unread workspaces listed), otherwise unread workspaces make it Error.
CheckResult conclude(const QString& id, Status found, QStringList evidence, const PerWorkspace& pw)
{
    for (const QString& e : pw.errors)
        evidence << e;
    if (!pw.errors.isEmpty() && found != Status::Fail && found != Status::Warn) {
        CheckResult r = make(id, Status::Error, evidence);
        r.error = pw.firstError;
        return r;
    }
    return make(id, found, evidence);
}

/// Common preamble of the workspace rules: the workspace list itself failed.
std::optional<CheckResult> workspaceListProblem(const QString& id, const Evidence& ev)
{
    if (ev.workspaceListError)
        return errorResult(id, *ev.workspaceListError,
                           {QStringLiteral("the workspace list (GET /groups) could not be read")});
    if (ev.workspaces.empty()) {
        QStringList evidence{QStringLiteral("no workspace to review")};
        for (const QString& u : ev.unmatchedWorkspaces)
            evidence << QStringLiteral("no workspace %1 is visible to the identity").arg(quoted(u));
        return make(id, Status::NotApplicable, evidence);
    }
    return std::nullopt;
}

/// Whether a member entry is the integration's own identity.
bool isSelf(const GroupUser& u, const TokenFacts* token)
{
    if (!token)
        return false;
    if (token->isAppOnly())
        return u.principalType == QLatin1String("App") &&
               (u.identifier.compare(token->objectId, Qt::CaseInsensitive) == 0 ||
                u.identifier.compare(token->appId, Qt::CaseInsensitive) == 0 ||
                (u.graphId && u.graphId->compare(token->objectId, Qt::CaseInsensitive) == 0));
    return u.principalType == QLatin1String("User") && !token->upn.isEmpty() &&
           (u.identifier.compare(token->upn, Qt::CaseInsensitive) == 0 ||
            (u.emailAddress && u.emailAddress->compare(token->upn, Qt::CaseInsensitive) == 0));
}

// ---- Identity --------------------------------------------------------------------------------

CheckResult identityAppOnly(const Evidence& ev)
{
    const QString id = QStringLiteral("identity.app-only");
    const ConnectionProfile& p = ev.profile;
    if (p.credentialKind == CredentialKind::UsernamePassword)
        return make(id, Status::Fail,
                    {QStringLiteral("the connection signs in with a person's user name and password "
                                    "(master user): no MFA is possible")});
    if (!ev.token.has())
        return errorResult(id, ev.token.error.value_or(Error{}),
                           {QStringLiteral("no access token could be obtained")});
    const TokenFacts& t = *ev.token.value;
    QStringList evidence{t.describe()};
    if (t.idtyp.isEmpty())
        evidence << (t.isAppOnly() ? QStringLiteral("no idtyp claim; no scp claim either: app-only")
                                   : QStringLiteral("no idtyp claim; an scp claim: delegated"));
    if (t.isAppOnly())
        return make(id, Status::Pass, evidence);
    bool production = isProductionProfile(p);
    for (const WorkspaceEvidence& w : ev.workspaces)
        production = production || environmentTag(w.workspace.name) == QLatin1String("Prod");
    evidence << QStringLiteral("signed in as a person (%1)").arg(t.upn.isEmpty() ? t.objectId : t.upn);
    if (production)
        evidence << QStringLiteral("the integration serves production");
    return make(id, production ? Status::Fail : Status::Warn, evidence);
}

CheckResult identityCertificate(const Evidence& ev)
{
    const QString id = QStringLiteral("identity.certificate");
    const ConnectionProfile& p = ev.profile;
    if (isDelegatedKind(p.credentialKind))
        return make(id, Status::NotApplicable,
                    {QStringLiteral("a person signs in (%1)").arg(credentialKindName(p.credentialKind))});
    QStringList evidence{QStringLiteral("connection credential: %1").arg(credentialKindName(p.credentialKind))};
    if (ev.token.has() && !ev.token.value->appidacr.isEmpty()) {
        const QString acr = ev.token.value->appidacr;
        evidence << QStringLiteral("token appidacr=%1 (%2)")
                        .arg(acr, acr == QLatin1String("2")   ? QStringLiteral("certificate")
                                  : acr == QLatin1String("1") ? QStringLiteral("client secret")
                                                              : QStringLiteral("public client"));
        if (acr == QLatin1String("2"))
            return make(id, Status::Pass, evidence);
        if (acr == QLatin1String("1"))
            return make(id, Status::Warn, evidence);
    }
    return make(id, p.credentialKind == CredentialKind::Certificate ? Status::Pass : Status::Warn, evidence);
}

CheckResult identityTenantAuthority(const Evidence& ev)
{
    const QString id = QStringLiteral("identity.tenant-authority");
    const ConnectionProfile& p = ev.profile;
    const QString tenant = p.tenant.trimmed();
    const bool delegated = isDelegatedKind(p.credentialKind);
    QStringList evidence;
    if (p.builtIn) {
        evidence << QStringLiteral("the built-in sandbox signs in at its own tenant's authority");
    } else {
        const QString lower = tenant.toLower();
        const bool multi = tenant.isEmpty() || lower == QLatin1String("common") ||
                           lower == QLatin1String("organizations") || lower == QLatin1String("consumers");
        evidence << (tenant.isEmpty() ? QStringLiteral("the connection names no tenant")
                                      : QStringLiteral("connection tenant: %1").arg(tenant));
        if (multi)
            return make(id, delegated ? Status::Warn : Status::Fail, evidence);
    }
    if (!ev.token.has())
        return errorResult(id, ev.token.error.value_or(Error{}), evidence);
    const QString tid = ev.token.value->tenantId;
    evidence << QStringLiteral("token tid=%1").arg(tid.isEmpty() ? QStringLiteral("(none)") : tid);
    const bool guid = !QUuid::fromString(tenant).isNull();
    if (!p.builtIn && guid && tid.compare(tenant, Qt::CaseInsensitive) != 0) {
        evidence << QStringLiteral("the token was issued by another tenant than the connection names");
        return make(id, Status::Fail, evidence);
    }
    return make(id, tid.isEmpty() ? Status::Warn : Status::Pass, evidence);
}

// ---- Least privilege ---------------------------------------------------------------------------

CheckResult privilegeWorkspaceRole(const Evidence& ev)
{
    const QString id = QStringLiteral("privilege.workspace-role");
    if (auto problem = workspaceListProblem(id, ev))
        return *problem;
    if (!ev.token.has())
        return errorResult(id, ev.token.error.value_or(Error{}),
                           {QStringLiteral("without a token the identity's own entry cannot be found")});
    const TokenFacts& t = *ev.token.value;
    PerWorkspace pw;
    QStringList admin, other, indirect;
    for (const WorkspaceEvidence& w : ev.workspaces) {
        if (!w.members.has()) {
            pw.failed(w, w.members.error.value_or(Error{}));
            continue;
        }
        const GroupUser* self = nullptr;
        for (const GroupUser& u : *w.members.value)
            if (isSelf(u, &t))
                self = &u;
        if (!self) {
            indirect << QStringLiteral("no direct role in %1 (its access comes through a security group)")
                            .arg(quoted(w.workspace.name));
            continue;
        }
        const QString line = QStringLiteral("%1 in %2").arg(self->groupUserAccessRight, quoted(w.workspace.name));
        (self->groupUserAccessRight == QLatin1String("Admin") ? admin : other) << line;
    }
    QStringList evidence;
    addCapped(evidence, admin);
    addCapped(evidence, other);
    addCapped(evidence, indirect);
    return conclude(id, admin.isEmpty() ? Status::Pass : Status::Warn, evidence, pw);
}

CheckResult privilegeAppPermissions(const Evidence& ev)
{
    const QString id = QStringLiteral("privilege.app-permissions");
    if (!ev.token.has())
        return errorResult(id, ev.token.error.value_or(Error{}));
    const TokenFacts& t = *ev.token.value;
    if (!t.isAppOnly())
        return make(id, Status::NotApplicable,
                    {QStringLiteral("a delegated token: application permissions do not apply")});
    QStringList evidence{t.roles.isEmpty() ? QStringLiteral("token roles: none")
                                           : QStringLiteral("token roles: %1").arg(t.roles.join(QStringLiteral(", ")))};
    if (t.roles.isEmpty())
        return make(id, Status::Pass, evidence);
    if (ev.probe) {
        for (const auto& r : *ev.probe)
            if (r.area == QLatin1String("Admin APIs") && r.error && r.error->httpStatus == 401)
                evidence << QStringLiteral("refused: %1 (%2)").arg(r.call, r.error->code);
    }
    return make(id, Status::Fail, evidence);
}

CheckResult privilegeDelegatedScopes(const Evidence& ev)
{
    const QString id = QStringLiteral("privilege.delegated-scopes");
    if (!ev.token.has())
        return errorResult(id, ev.token.error.value_or(Error{}));
    const TokenFacts& t = *ev.token.value;
    if (t.isAppOnly())
        return make(id, Status::NotApplicable,
                    {QStringLiteral("app-only token: no scp claim; rights come from workspace roles")});
    QStringList broad;
    for (const QString& s : t.scopes)
        if (s.endsWith(QLatin1String(".ReadWrite.All"), Qt::CaseInsensitive))
            broad << s;
    QStringList evidence{QStringLiteral("token scp: %1")
                             .arg(t.scopes.isEmpty() ? QStringLiteral("(none)") : t.scopes.join(QLatin1Char(' ')))};
    if (broad.isEmpty())
        return make(id, Status::Pass, evidence);
    evidence << QStringLiteral("read/write scopes: %1").arg(broad.join(QStringLiteral(", ")));
    return make(id, Status::Warn, evidence);
}

CheckResult privilegeApiReach(const Evidence& ev)
{
    const QString id = QStringLiteral("privilege.api-reach");
    if (!ev.probe)
        return make(id, Status::NotApplicable, {QStringLiteral("the permission probe was not run")});
    const bool adminScope = ev.profile.scope == ApiScope::Admin;
    QStringList refusedNeeded, adminAllowed, otherRefusals, unreadable;
    QString firstError;
    int needed = 0;
    for (const auto& r : *ev.probe) {
        if (r.skipped)
            continue;
        const bool isAdmin = r.area == QLatin1String("Admin APIs");
        const bool isWorkspaceCall = r.area == QLatin1String("Workspaces") || r.area == QLatin1String("Items");
        const bool need = adminScope ? isAdmin : isWorkspaceCall;
        needed += need ? 1 : 0;
        if (r.allowed) {
            if (isAdmin && !adminScope)
                adminAllowed << QStringLiteral("may also: %1 (%2)").arg(r.check, r.call);
            continue;
        }
        const Error& e = r.error.value_or(Error{});
        // Only an answer from the service says whether the call is allowed.
        const bool answered = e.kind == ErrorKind::Service || e.kind == ErrorKind::Http || e.kind == ErrorKind::Auth;
        if (!answered) {
            if (need) {
                unreadable << QStringLiteral("could not try %1: %2").arg(r.call, e.sentence);
                if (firstError.isEmpty())
                    firstError = e.summary();
            }
            continue;
        }
        const QString line = QStringLiteral("refused: %1 (%2) — %3 %4")
                                 .arg(r.check, r.call)
                                 .arg(e.httpStatus)
                                 .arg(e.code.isEmpty() ? e.sentence : e.code);
        (need ? refusedNeeded : otherRefusals) << line;
    }
    QStringList evidence{QStringLiteral("%1 scope: %2 needed call(s) tried")
                             .arg(adminScope ? QStringLiteral("admin") : QStringLiteral("member"))
                             .arg(needed)};
    addCapped(evidence, refusedNeeded);
    addCapped(evidence, adminAllowed);
    addCapped(evidence, unreadable);
    if (!otherRefusals.isEmpty()) {
        evidence << QStringLiteral("not needed at this scope, and refused:");
        addCapped(evidence, otherRefusals);
    }
    if (!refusedNeeded.isEmpty())
        return make(id, Status::Fail, evidence);
    if (!unreadable.isEmpty()) {
        CheckResult r = make(id, Status::Error, evidence);
        r.error = firstError;
        return r;
    }
    return make(id, adminAllowed.isEmpty() ? Status::Pass : Status::Warn, evidence);
}

// ---- Secrets -----------------------------------------------------------------------------------

CheckResult secretsKeychain(const Evidence& ev)
{
    const QString id = QStringLiteral("secrets.keychain");
    const ConnectionProfile& p = ev.profile;
    if (p.builtIn)
        return make(id, Status::NotApplicable,
                    {QStringLiteral("the built-in sandbox: its demo secret is published on purpose "
                                    "(docs/sandbox-identities.md)")});
    if (p.credentialKind == CredentialKind::DeviceCode || p.credentialKind == CredentialKind::Interactive)
        return make(id, Status::NotApplicable,
                    {QStringLiteral("a person signs in interactively; no secret is stored")});
    if (ev.secret.error)
        return errorResult(id, *ev.secret.error, {QStringLiteral("the secret store could not be read")});
    if (!ev.secret.has())
        return make(id, Status::NotEvaluated);
    const SecretFacts& s = *ev.secret.value;
    const QString what = p.credentialKind == CredentialKind::Certificate ? QStringLiteral("certificate pass phrase")
                         : p.credentialKind == CredentialKind::UsernamePassword ? QStringLiteral("password")
                                                                                 : QStringLiteral("client secret");
    QStringList evidence{QStringLiteral("%1 %2 in %3")
                             .arg(what, s.present ? QStringLiteral("present") : QStringLiteral("not found"),
                                  s.storeDescription)};
    if (p.credentialKind == CredentialKind::Certificate) {
        if (ev.certificate.has() && ev.certificate.value->privateKeyReadableByOthers) {
            evidence << QStringLiteral("the certificate file %1 can be read by other users of the machine")
                            .arg(p.certificatePath);
            return make(id, Status::Warn, evidence);
        }
        if (!s.present)
            evidence << QStringLiteral("no pass phrase: the private key file is the secret, and other users "
                                       "of the machine cannot read it");
        return make(id, Status::Pass, evidence);
    }
    if (!s.present)
        evidence << QStringLiteral("this session got the %1 from standard input or an environment variable").arg(what);
    return make(id, s.present ? Status::Pass : Status::Warn, evidence);
}

CheckResult secretsCertificateExpiry(const Evidence& ev)
{
    const QString id = QStringLiteral("secrets.certificate-expiry");
    if (ev.profile.credentialKind != CredentialKind::Certificate)
        return make(id, Status::NotApplicable,
                    {QStringLiteral("no certificate: the connection signs in with %1")
                         .arg(credentialKindName(ev.profile.credentialKind).toLower())});
    if (!ev.certificate.has())
        return errorResult(id, ev.certificate.error.value_or(Error{}));
    return make(id, Status::NotEvaluated); // decided by evaluate(), which knows the options
}

CheckResult certificateExpiryWithOptions(const Evidence& ev, const ReviewOptions& o)
{
    CheckResult r = secretsCertificateExpiry(ev);
    if (r.status != Status::NotEvaluated)
        return r;
    const CertificateFacts& c = *ev.certificate.value;
    const auto when = [](const QDateTime& t) { return t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")); };
    QStringList evidence{QStringLiteral("%1%2, valid %3 to %4 (from %5)")
                             .arg(c.subject.isEmpty() ? QStringLiteral("certificate") : c.subject,
                                  c.thumbprint.isEmpty() ? QString() : QStringLiteral(", thumbprint ") + c.thumbprint,
                                  when(c.notBefore), when(c.notAfter), c.source)};
    if (!c.notAfter.isValid())
        return make(r.checkId, Status::Error, evidence);
    if (ev.now > c.notAfter) {
        evidence << QStringLiteral("expired %1 day(s) ago").arg(c.notAfter.daysTo(ev.now));
        return make(r.checkId, Status::Fail, evidence);
    }
    if (c.notBefore.isValid() && ev.now < c.notBefore) {
        evidence << QStringLiteral("not valid yet");
        return make(r.checkId, Status::Fail, evidence);
    }
    const qint64 days = ev.now.daysTo(c.notAfter);
    evidence << QStringLiteral("expires in %1 day(s)").arg(days);
    return make(r.checkId, days < o.certificateWarningDays ? Status::Warn : Status::Pass, evidence);
}

CheckResult secretsRotation(const Evidence& ev)
{
    const QString id = QStringLiteral("secrets.rotation");
    const CredentialKind k = ev.profile.credentialKind;
    if (k == CredentialKind::DeviceCode || k == CredentialKind::Interactive)
        return make(id, Status::NotApplicable, {QStringLiteral("a person signs in interactively; nothing to rotate")});
    QStringList evidence;
    if (k == CredentialKind::ClientSecret)
        evidence << QStringLiteral("a client secret's expiry is not visible through the Power BI API");
    else if (ev.certificate.has())
        evidence << QStringLiteral("certificate expires %1")
                        .arg(ev.certificate.value->notAfter.toUTC().toString(QStringLiteral("yyyy-MM-dd")));
    return make(id, Status::NeedsAttestation, evidence);
}

// ---- Retries, logging ------------------------------------------------------------------------

CheckResult retriesBackoff(const Evidence& ev)
{
    CheckResult r = make(QStringLiteral("retries.backoff"), Status::NeedsAttestation);
    if (ev.throttledResponses > 0)
        r.evidence << QStringLiteral("the service answered 429 (throttled) %1 time(s) during this review")
                          .arg(ev.throttledResponses);
    else
        r.evidence << QStringLiteral("no 429 answer during this review");
    return r;
}

CheckResult loggingRequestId(const Evidence&)
{
    return make(QStringLiteral("logging.request-id"), Status::NeedsAttestation);
}

// ---- Environments ------------------------------------------------------------------------------

CheckResult environmentsProfile(const Evidence& ev)
{
    const QString id = QStringLiteral("environments.profile");
    const ConnectionProfile& p = ev.profile;
    QStringList evidence{QStringLiteral("connection environment: %1")
                             .arg(p.environmentName().isEmpty() ? QStringLiteral("(unnamed)") : p.environmentName())};
    if (p.environment == Environment::Custom && p.customEnvironmentName.trimmed().isEmpty())
        return make(id, Status::Warn, evidence);
    const QString mine = environmentTagOf(p);
    QStringList prod, mismatched;
    for (const WorkspaceEvidence& w : ev.workspaces) {
        const QString tag = environmentTag(w.workspace.name);
        if (tag == QLatin1String("Prod") && mine != QLatin1String("Prod"))
            prod << quoted(w.workspace.name);
        else if (!tag.isEmpty() && !mine.isEmpty() && tag != mine)
            mismatched << quoted(w.workspace.name);
    }
    if (!prod.isEmpty()) {
        evidence << QStringLiteral("production workspaces on a connection not marked Production:");
        addCapped(evidence, prod);
        return make(id, Status::Warn, evidence);
    }
    if (!mismatched.isEmpty()) {
        evidence << QStringLiteral("workspaces tagged for another environment:");
        addCapped(evidence, mismatched);
        return make(id, Status::Warn, evidence);
    }
    return make(id, Status::Pass, evidence);
}

CheckResult environmentsSeparation(const Evidence& ev)
{
    const QString id = QStringLiteral("environments.separation");
    if (auto problem = workspaceListProblem(id, ev))
        return *problem;
    std::map<QString, QStringList> byTag;
    int untagged = 0;
    for (const WorkspaceEvidence& w : ev.workspaces) {
        const QString tag = environmentTag(w.workspace.name);
        if (tag.isEmpty())
            ++untagged;
        else
            byTag[tag] << quoted(w.workspace.name);
    }
    if (byTag.empty())
        return make(id, Status::NotApplicable,
                    {QStringLiteral("no workspace name carries an environment tag")});
    QStringList evidence;
    for (const auto& [tag, names] : byTag) {
        QStringList shown = names.mid(0, 4);
        evidence << QStringLiteral("%1: %2 workspace(s) — %3%4")
                        .arg(tag)
                        .arg(names.size())
                        .arg(shown.join(QStringLiteral(", ")),
                             names.size() > 4 ? QStringLiteral(", …") : QString());
    }
    if (untagged > 0)
        evidence << QStringLiteral("%1 workspace(s) without a tag").arg(untagged);
    if (byTag.size() == 1)
        return make(id, Status::Pass, evidence);
    return make(id, byTag.count(QStringLiteral("Prod")) ? Status::Fail : Status::Warn, evidence);
}

CheckResult environmentsProdCapacity(const Evidence& ev)
{
    const QString id = QStringLiteral("environments.prod-capacity");
    if (auto problem = workspaceListProblem(id, ev))
        return *problem;
    QStringList shared, dedicated;
    for (const WorkspaceEvidence& w : ev.workspaces) {
        if (workspaceEnvironment(w.workspace, ev.profile) != QLatin1String("Prod"))
            continue;
        (w.workspace.isOnDedicatedCapacity ? dedicated : shared) << quoted(w.workspace.name);
    }
    if (shared.isEmpty() && dedicated.isEmpty())
        return make(id, Status::NotApplicable, {QStringLiteral("no production workspace reviewed")});
    QStringList evidence;
    if (!shared.isEmpty()) {
        evidence << QStringLiteral("on shared capacity:");
        addCapped(evidence, shared);
    }
    if (!dedicated.isEmpty())
        evidence << QStringLiteral("on dedicated capacity: %1").arg(dedicated.mid(0, kMaxLines).join(QStringLiteral(", ")));
    return make(id, shared.isEmpty() ? Status::Pass : Status::Fail, evidence);
}

// ---- Ownership -----------------------------------------------------------------------------------

CheckResult ownershipItemOwner(const Evidence& ev, const ReviewOptions& o)
{
    const QString id = QStringLiteral("ownership.item-owner");
    if (auto problem = workspaceListProblem(id, ev))
        return *problem;
    const TokenFacts* t = ev.token.has() ? &*ev.token.value : nullptr;
    const auto isIntegration = [&](const QString& owner) {
        if (owner.isEmpty())
            return false;
        for (const QString& sa : o.serviceAccounts)
            if (owner.compare(sa.trimmed(), Qt::CaseInsensitive) == 0)
                return true;
        if (!t)
            return false;
        // The service shows an app owner by its app (client) id; a delegated one by UPN.
        return owner.compare(t->appId, Qt::CaseInsensitive) == 0 ||
               owner.compare(t->objectId, Qt::CaseInsensitive) == 0 ||
               (!t->isAppOnly() && owner.compare(t->upn, Qt::CaseInsensitive) == 0);
    };
    PerWorkspace pw;
    QStringList people, integration, unknown;
    int items = 0;
    const auto judge = [&](const QString& kind, const QString& name, const std::optional<QString>& owner,
                           const Workspace& w) {
        ++items;
        const QString who = owner.value_or(QString()).trimmed();
        const QString where = QStringLiteral("%1 %2 in %3").arg(kind, quoted(name), quoted(w.name));
        if (who.isEmpty())
            unknown << where + QStringLiteral(": no owner shown");
        else if (isIntegration(who))
            integration << where + QStringLiteral(" configured by %1 (the integration)").arg(who);
        else
            people << where + QStringLiteral(" configured by %1%2")
                                  .arg(who, who.contains(QLatin1Char('@')) ? QStringLiteral(" (a person)") : QString());
    };
    for (const WorkspaceEvidence& w : ev.workspaces) {
        if (w.datasets.has()) {
            for (const Dataset& d : *w.datasets.value)
                judge(QStringLiteral("semantic model"), d.name, d.configuredBy, w.workspace);
        } else {
            pw.failed(w, w.datasets.error.value_or(Error{}));
        }
        if (w.dataflows.has()) {
            for (const Dataflow& d : *w.dataflows.value)
                judge(QStringLiteral("dataflow"), d.name, d.configuredBy, w.workspace);
        } else {
            pw.failed(w, w.dataflows.error.value_or(Error{}));
        }
    }
    if (items == 0 && pw.errors.isEmpty())
        return make(id, Status::NotApplicable, {QStringLiteral("no semantic models or dataflows")});
    QStringList evidence;
    addCapped(evidence, people);
    addCapped(evidence, unknown);
    if (!integration.isEmpty())
        evidence << QStringLiteral("%1 item(s) owned by the integration").arg(integration.size());
    if (!t && !people.isEmpty())
        evidence << QStringLiteral("without a token, the integration's own identity could not be recognised");
    return conclude(id, people.isEmpty() ? Status::Pass : Status::Warn, evidence, pw);
}

CheckResult ownershipWorkspaceAdmins(const Evidence& ev)
{
    const QString id = QStringLiteral("ownership.workspace-admins");
    if (auto problem = workspaceListProblem(id, ev))
        return *problem;
    PerWorkspace pw;
    QStringList few, enough;
    for (const WorkspaceEvidence& w : ev.workspaces) {
        if (!w.members.has()) {
            pw.failed(w, w.members.error.value_or(Error{}));
            continue;
        }
        QStringList admins;
        for (const GroupUser& u : *w.members.value)
            if (u.groupUserAccessRight == QLatin1String("Admin") &&
                (u.principalType == QLatin1String("User") || u.principalType == QLatin1String("Group")))
                admins << (u.principalType == QLatin1String("Group") ? QStringLiteral("group ") : QString()) +
                              u.displayName.value_or(u.identifier);
        const QString line = QStringLiteral("%1: %2 admin(s)%3")
                                 .arg(quoted(w.workspace.name))
                                 .arg(admins.size())
                                 .arg(admins.isEmpty() ? QString() : QStringLiteral(" — ") + admins.join(QStringLiteral(", ")));
        (admins.size() < 2 ? few : enough) << line;
    }
    QStringList evidence;
    addCapped(evidence, few);
    if (!enough.isEmpty())
        evidence << QStringLiteral("%1 workspace(s) with two or more admins").arg(enough.size());
    return conclude(id, few.isEmpty() ? Status::Pass : Status::Warn, evidence, pw);
}

// ---- Naming --------------------------------------------------------------------------------------

CheckResult namingWorkspaceConvention(const Evidence& ev, const ReviewOptions& o)
{
    const QString id = QStringLiteral("naming.workspace-convention");
    if (auto problem = workspaceListProblem(id, ev))
        return *problem;
    const QRegularExpression re(o.namingPattern);
    QStringList off;
    for (const WorkspaceEvidence& w : ev.workspaces)
        if (!re.match(w.workspace.name).hasMatch())
            off << quoted(w.workspace.name);
    QStringList evidence{QStringLiteral("convention: %1").arg(o.namingPattern)};
    if (off.isEmpty()) {
        evidence << QStringLiteral("all %1 workspace name(s) match").arg(ev.workspaces.size());
        return make(id, Status::Pass, evidence);
    }
    evidence << QStringLiteral("%1 of %2 name(s) do not match:").arg(off.size()).arg(ev.workspaces.size());
    addCapped(evidence, off);
    return make(id, Status::Warn, evidence);
}

CheckResult namingDescriptions(const Evidence& ev, const ReviewOptions& o)
{
    const QString id = QStringLiteral("naming.descriptions");
    if (!o.checkDescriptions)
        return make(id, Status::NotApplicable, {QStringLiteral("turned off for this review")});
    if (auto problem = workspaceListProblem(id, ev))
        return *problem;
    PerWorkspace pw;
    QStringList missing;
    int items = 0;
    const auto blank = [](const std::optional<QString>& d) { return !d || d->trimmed().isEmpty(); };
    for (const WorkspaceEvidence& w : ev.workspaces) {
        int reports = 0, models = 0;
        if (w.reports.has()) {
            for (const Report& r : *w.reports.value) {
                ++items;
                reports += blank(r.description) ? 1 : 0;
            }
        } else {
            pw.failed(w, w.reports.error.value_or(Error{}));
        }
        if (w.datasets.has()) {
            for (const Dataset& d : *w.datasets.value) {
                ++items;
                models += blank(d.description) ? 1 : 0;
            }
        } else {
            pw.failed(w, w.datasets.error.value_or(Error{}));
        }
        if (reports + models > 0)
            missing << QStringLiteral("%1: %2 report(s), %3 semantic model(s) without a description")
                           .arg(quoted(w.workspace.name))
                           .arg(reports)
                           .arg(models);
    }
    if (items == 0 && pw.errors.isEmpty())
        return make(id, Status::NotApplicable, {QStringLiteral("no reports or semantic models")});
    QStringList evidence;
    addCapped(evidence, missing);
    if (missing.isEmpty())
        evidence << QStringLiteral("all %1 item(s) have a description").arg(items);
    return conclude(id, missing.isEmpty() ? Status::Pass : Status::Warn, evidence, pw);
}

} // namespace

QString ReviewOptions::defaultNamingPattern()
{
    return QStringLiteral("^\\S.* \\[(Dev|Test|Prod)\\]$");
}

QString ReviewOptions::validate() const
{
    const QRegularExpression re(namingPattern);
    if (namingPattern.trimmed().isEmpty())
        return QStringLiteral("The naming convention is empty: give a regular expression.");
    if (!re.isValid())
        return QStringLiteral("The naming convention is not a valid regular expression: %1 (at character %2).")
            .arg(re.errorString())
            .arg(re.patternErrorOffset());
    if (staleAfterDays < 1 || staleAfterDays > 3650)
        return QStringLiteral("Attestations go stale after 1 to 3650 days, not %1.").arg(staleAfterDays);
    if (certificateWarningDays < 0 || certificateWarningDays > 365)
        return QStringLiteral("The certificate warning period is 0 to 365 days, not %1.").arg(certificateWarningDays);
    return {};
}

bool TokenFacts::isAppOnly() const
{
    if (!idtyp.isEmpty())
        return idtyp == QLatin1String("app");
    return scopes.isEmpty() && upn.isEmpty();
}

TokenFacts TokenFacts::fromDecoded(const DecodedJwt& jwt)
{
    // The claim's own value (claimText is the display text, e.g. "app (app-only token)").
    const auto text = [&jwt](const char* name) -> QString {
        const JwtClaim* c = jwt.claim(QLatin1String(name));
        if (!c)
            return {};
        const QJsonDocument doc = QJsonDocument::fromJson("[" + c->raw.toUtf8() + "]");
        const QJsonValue v = doc.isArray() ? doc.array().at(0) : QJsonValue();
        return v.isString() ? v.toString() : v.isDouble() ? QString::number(v.toDouble()) : c->raw;
    };
    TokenFacts t;
    t.idtyp = text("idtyp");
    t.appId = text("appid");
    if (t.appId.isEmpty())
        t.appId = text("azp"); // v2.0 tokens
    t.tenantId = text("tid");
    t.objectId = text("oid");
    t.upn = text("upn");
    if (t.upn.isEmpty())
        t.upn = text("unique_name");
    t.appidacr = text("appidacr");
    if (t.appidacr.isEmpty())
        t.appidacr = text("azpacr");
    if (const JwtClaim* c = jwt.claim(QStringLiteral("roles")))
        t.roles = c->values.isEmpty() ? QStringList{text("roles")} : c->values;
    if (const JwtClaim* c = jwt.claim(QStringLiteral("scp")))
        t.scopes = c->values.isEmpty() ? text("scp").split(QLatin1Char(' '), Qt::SkipEmptyParts) : c->values;
    if (jwt.expiresAt)
        t.expiresAt = *jwt.expiresAt;
    return t;
}

QString TokenFacts::describe() const
{
    QStringList parts;
    parts << QStringLiteral("token idtyp=%1").arg(idtyp.isEmpty() ? QStringLiteral("(absent)") : idtyp);
    if (!appId.isEmpty())
        parts << QStringLiteral("appid=%1").arg(appId);
    if (!upn.isEmpty() && !isAppOnly())
        parts << QStringLiteral("upn=%1").arg(upn);
    if (isAppOnly())
        parts << QStringLiteral("roles: %1").arg(roles.isEmpty() ? QStringLiteral("none") : roles.join(QLatin1Char(' ')));
    else
        parts << QStringLiteral("scp: %1").arg(scopes.isEmpty() ? QStringLiteral("none") : scopes.join(QLatin1Char(' ')));
    return parts.join(QStringLiteral(", "));
}

QString environmentTag(const QString& workspaceName)
{
    static const QRegularExpression re(
        QStringLiteral("(?:[\\[(]\\s*(dev|development|test|uat|qa|prod|production)\\s*[\\])]|\\s-\\s*"
                       "(dev|development|test|uat|qa|prod|production)\\s*$)"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(workspaceName);
    if (!m.hasMatch())
        return {};
    const QString word = (m.captured(1).isEmpty() ? m.captured(2) : m.captured(1)).toLower();
    if (word.startsWith(QLatin1String("dev")))
        return QStringLiteral("Dev");
    if (word.startsWith(QLatin1String("prod")))
        return QStringLiteral("Prod");
    return QStringLiteral("Test");
}

QString environmentTagOf(const ConnectionProfile& p)
{
    switch (p.environment) {
    case Environment::Development: return QStringLiteral("Dev");
    case Environment::Test: return QStringLiteral("Test");
    case Environment::Production: return QStringLiteral("Prod");
    case Environment::Custom: {
        const QString n = p.customEnvironmentName.trimmed().toLower();
        if (n.startsWith(QLatin1String("prod")))
            return QStringLiteral("Prod");
        if (n.startsWith(QLatin1String("dev")))
            return QStringLiteral("Dev");
        if (n.startsWith(QLatin1String("test")) || n == QLatin1String("uat") || n == QLatin1String("qa"))
            return QStringLiteral("Test");
        return {};
    }
    }
    return {};
}

std::vector<CheckResult> evaluate(const Evidence& ev, const ReviewOptions& o)
{
    std::map<QString, CheckResult> byId;
    for (CheckResult r : {identityAppOnly(ev), identityCertificate(ev), identityTenantAuthority(ev),
                          privilegeWorkspaceRole(ev), privilegeAppPermissions(ev), privilegeDelegatedScopes(ev),
                          privilegeApiReach(ev), secretsKeychain(ev), certificateExpiryWithOptions(ev, o),
                          secretsRotation(ev), retriesBackoff(ev), loggingRequestId(ev), environmentsProfile(ev),
                          environmentsSeparation(ev), environmentsProdCapacity(ev), ownershipItemOwner(ev, o),
                          ownershipWorkspaceAdmins(ev), namingWorkspaceConvention(ev, o), namingDescriptions(ev, o)})
        byId[r.checkId] = std::move(r);
    std::vector<CheckResult> out;
    for (const ReadinessCheck& c : catalogue()) {
        auto it = byId.find(c.id);
        out.push_back(it != byId.end() ? it->second : make(c.id, Status::NotEvaluated));
    }
    return out;
}

void applyAttestations(std::vector<CheckResult>& results, const std::vector<Attestation>& attestations,
                       const QDateTime& now, int staleAfterDays)
{
    for (CheckResult& r : results) {
        const ReadinessCheck* check = findCheck(r.checkId);
        if (!check)
            continue;
        // The latest attestation of the check wins.
        const Attestation* a = nullptr;
        for (const Attestation& candidate : attestations)
            if (candidate.checkId == r.checkId && (!a || candidate.at >= a->at))
                a = &candidate;
        r.attestation.reset();
        r.attestationApplied = false;
        r.attestationStale = false;
        r.status = r.liveStatus;
        if (!a || check->decision == Decision::Live)
            continue;
        r.attestation = *a;
        r.attestationStale = a->at.isValid() && a->at.daysTo(now) > staleAfterDays;
        if (r.liveStatus == Status::NotEvaluated || r.liveStatus == Status::NotApplicable)
            continue; // nothing evaluated yet, or the check does not apply to this integration
        if (r.attestationStale) {
            if (check->decision == Decision::Attested || r.liveStatus == Status::NeedsAttestation)
                r.status = Status::NeedsAttestation;
            continue;
        }
        bool decides = false;
        if (check->decision == Decision::Attested)
            decides = true;
        else // Live + attested: a person may settle a warning, or declare a failure.
            decides = r.liveStatus == Status::Warn || r.liveStatus == Status::NeedsAttestation ||
                      (a->status == Status::Fail && r.liveStatus != Status::Error);
        if (decides) {
            r.status = a->status;
            r.attestationApplied = true;
        }
    }
}

} // namespace pbi::readiness
