#include "readiness/ReadinessCheck.h"

namespace pbi::readiness {

namespace {

ReadinessCheck check(const char* id, Area area, Decision decision, const char* title, const char* why,
                     const char* howDecided, const char* fix, const char* attestation = "")
{
    return {QString::fromUtf8(id),         area,
            QString::fromUtf8(title),      QString::fromUtf8(why),
            decision,                      QString::fromUtf8(howDecided),
            QString::fromUtf8(fix),        QString::fromUtf8(attestation)};
}

std::vector<ReadinessCheck> makeCatalogue()
{
    using A = Area;
    using D = Decision;
    return {
        check("identity.app-only", A::Identity, D::Live,
              "Signs in as a service principal, not as a person",
              "A person's account leaves with the person, is subject to MFA prompts and password "
              "expiry, and carries everything that person may do. An app-only identity belongs to the "
              "integration.",
              "The access token's idtyp claim (app or user; without it, a token with no scp is "
              "app-only). Pass: app-only. Fail: a person's token on a production connection, or the "
              "legacy master-user password sign-in (no MFA possible). Warn: a person's token elsewhere.",
              "Register an app in Entra ID, add its service principal to the workspaces, and sign "
              "in with client credentials (certificate preferred)."),
        check("identity.certificate", A::Identity, D::Live,
              "Uses a certificate rather than a client secret",
              "A client secret is a password that can be copied, pasted and leaked; a certificate's "
              "private key can be kept in a store and never leaves it. Entra ID records which one signed "
              "in (appidacr 2 = certificate, 1 = secret).",
              "The connection's credential kind and the token's appidacr claim. Pass: certificate. "
              "Warn: client secret. Not applicable: a person signs in.",
              "Upload a certificate to the app registration (Certificates & secrets), switch the "
              "connection to the certificate, then delete the client secret."),
        check("identity.tenant-authority", A::Identity, D::Live,
              "Signs in at the tenant's own authority",
              "An authority without the tenant id (common, organizations) is a frequent cause of "
              "unexplained 401s for service principals and lets a delegated sign-in land in another "
              "tenant.",
              "The connection's tenant against the token's tid claim. Pass: a tenant id or verified "
              "domain, and the token comes from that tenant. Fail: common/organizations/consumers or no "
              "tenant for an app-only identity, or a token from another tenant. Warn: a multi-tenant "
              "authority for a person.",
              "Set the tenant id (a GUID) in the connection, so the authority is "
              "https://login.microsoftonline.com/{tenant-id}."),
        check("privilege.workspace-role", A::LeastPrivilege, D::LiveAndAttested,
              "No more than Member or Contributor in the workspaces it serves",
              "Admin can delete the workspace, change who has access and remove other admins. An "
              "integration that reads, refreshes or embeds content needs Member or Contributor; a leaked "
              "credential with Admin can do far more damage.",
              "The identity's own role in each workspace's member list (GET /groups/{id}/users). Pass: "
              "no Admin role. Warn: Admin in any workspace, unless a person attests that the "
              "integration manages membership. Roles held only through a security group are listed as "
              "such.",
              "Lower the identity's role to Member (or Contributor) in the workspaces listed, or attest "
              "why Admin is needed.",
              "The integration needs the Admin role where it holds it (it manages workspace membership "
              "or settings)."),
        check("privilege.app-permissions", A::LeastPrivilege, D::Live,
              "No admin-consented Power BI application permissions",
              "Power BI grants a service principal its rights through workspace roles and tenant "
              "settings, not through API permissions. An app with admin-consented Power BI permissions "
              "(e.g. Tenant.Read.All) is refused by the admin APIs, and the permissions are otherwise "
              "never used (api-digest §8).",
              "The app-only token's roles claim. Pass: no roles. Fail: any role. Not applicable: a "
              "person signs in.",
              "In Entra ID, remove the Power BI Service application permissions from the app "
              "registration (API permissions) and revoke their admin consent."),
        check("privilege.delegated-scopes", A::LeastPrivilege, D::LiveAndAttested,
              "Delegated scopes no broader than the integration needs",
              "A delegated token can do whatever its scopes and the person allow; ReadWrite scopes on "
              "an integration that only reads turn a leaked token into a way to change or delete "
              "content.",
              "The delegated token's scp claim. Pass: read-only scopes. Warn: *.ReadWrite.All or "
              "Tenant.ReadWrite.All, unless a person attests that the integration writes. Not "
              "applicable: app-only identities carry no scopes.",
              "Request only the Read.All scopes the integration uses (e.g. Dataset.Read.All, "
              "Workspace.Read.All), or attest that it writes.",
              "The integration changes content, so its ReadWrite scopes are needed."),
        check("privilege.api-reach", A::LeastPrivilege, D::Live,
              "The calls it may make match what it needs",
              "An identity that can read the admin APIs sees the metadata of the whole tenant; one "
              "that is refused a call it needs fails in production instead of at review time.",
              "The permission probe (a fixed set of read-only calls). What it needs follows the "
              "connection's scope: member scope needs the workspace calls, admin scope the admin "
              "APIs. Fail: a needed call is refused. Warn: a member-scope connection may also read the "
              "admin APIs. Refusals of calls it does not need (e.g. GET /apps for a service principal) "
              "are listed only.",
              "Refused calls: follow the fix shown for each (workspace membership, tenant settings). "
              "Admin APIs at member scope: take the service principal out of the security group of "
              "\"Allow service principals to use read-only admin APIs\"."),
        check("secrets.keychain", A::Secrets, D::Live,
              "The secret is kept in the OS keychain",
              "A secret in a settings file, a script or an environment variable ends up in backups, "
              "logs and screenshots; the keychain keeps it encrypted and per user.",
              "Looks the connection's secret up in the secret store (only its presence is noted; the "
              "value is neither kept nor shown). Pass: "
              "present. Warn: absent (this session got it from standard input or an environment "
              "variable), or a certificate file with its private key that other users can read. Error: the keychain "
              "could not be read. Not applicable: a person signs in interactively, or the built-in "
              "sandbox (its demo secret is published on purpose).",
              "Store the secret with the connection (Manage connections… or the keychain of the "
              "machine that runs the integration) and remove it from files and variables."),
        check("secrets.certificate-expiry", A::Secrets, D::Live,
              "The certificate is valid for more than 30 days",
              "An expired certificate stops the integration with AADSTS700027 at the next token "
              "request, usually at night.",
              "The certificate file's validity (PKCS#12 files: the expiry recorded when the file was "
              "chosen). Fail: expired or not yet valid. Warn: expires within 30 days. Not applicable: "
              "no certificate.",
              "Create a new certificate, upload it to the app registration next to the old one, switch "
              "the connection to it, then remove the old one."),
        check("secrets.rotation", A::Secrets, D::Attested,
              "The credential's expiry is recorded and someone owns its rotation",
              "A client secret's expiry date is not visible through the Power BI API; the day it "
              "expires the integration stops (AADSTS7000222) unless someone rotated it in time.",
              "A person's attestation. Not applicable when a person signs in interactively.",
              "Record the secret's or certificate's expiry date where the team sees it, name the "
              "person or team who rotates it, and set a reminder well before the date.",
              "The credential's expiry date is recorded and a rotation owner is named."),
        check("retries.backoff", A::Retries, D::Attested,
              "Honours Retry-After on 429 and backs off on 5xx",
              "The service throttles per user and per tenant (admin APIs: 50–200 calls an hour) and "
              "answers 429 with Retry-After, sometimes close to an hour. Clients that retry at once "
              "stay throttled and fail their runs.",
              "A person's attestation; the review notes any 429 the service answered while it ran.",
              "Retry 429 and 503 after the Retry-After seconds, and 500/502/504 with exponential "
              "backoff and jitter; never retry a refresh POST blindly.",
              "The integration honours Retry-After on 429 and backs off on 5xx answers."),
        check("logging.request-id", A::Logging, D::Attested,
              "Logs the RequestId of every call",
              "Microsoft support traces a failed call by the RequestId response header; without it "
              "a support case starts with reproducing the failure.",
              "A person's attestation.",
              "Log method, URL (without secrets), status, duration and the RequestId header of every "
              "Power BI call.",
              "The integration logs the RequestId header of every Power BI call."),
        check("environments.profile", A::Environments, D::Live,
              "The connection states its environment, and it matches the workspaces",
              "The environment decides whether changes ask for a confirmation first; a production "
              "integration reviewed as \"Development\" gets none.",
              "The connection's environment against the environment tags of the workspace names "
              "([Dev], [Test], [Prod]). Pass: stated and consistent. Warn: production workspaces on a "
              "connection that is not marked Production, or a custom environment without a name.",
              "Set the connection's environment (Manage connections…) to the one its workspaces "
              "belong to."),
        check("environments.separation", A::Environments, D::Live,
              "Serves the workspaces of one environment only",
              "One identity in development and production workspaces means a credential left in a "
              "developer's tool reaches production data.",
              "The environment tags of the workspaces reviewed. Pass: one environment. Warn: "
              "development and test mixed. Fail: production mixed with another environment. Not "
              "applicable: no workspace name carries a tag.",
              "Use one app registration (service principal) per environment and remove each from the "
              "other environments' workspaces."),
        check("environments.prod-capacity", A::Environments, D::Live,
              "Production workspaces are on a dedicated capacity",
              "Shared capacity allows 8 refreshes a day per model and limits embedding to trial "
              "tokens; embedding for customers in production needs a capacity (A, EM, P or F SKU) "
              "(api-digest §6, §8).",
              "isOnDedicatedCapacity of each production workspace (tagged [Prod], or untagged on a "
              "Production connection). Fail: any on shared capacity. Not applicable: no production "
              "workspace reviewed.",
              "Assign the production workspaces to a capacity (workspace settings → License info)."),
        check("ownership.item-owner", A::Ownership, D::LiveAndAttested,
              "Semantic models and dataflows are owned by the integration, not a person",
              "A model's owner (configuredBy) holds its data-source credentials and schedule; when a "
              "person leaves or loses access, refreshes fail with credential errors.",
              "configuredBy of every semantic model and dataflow in the workspaces. Pass: the "
              "integration's identity or a named service account. Warn: a person, unless a person "
              "attests it is a service account. Not applicable: no models or dataflows.",
              "Take the items over with the integration's identity (Default.TakeOver) or a service "
              "account, then set their data-source credentials again.",
              "The owners listed are service accounts managed by the team, not personal accounts."),
        check("ownership.workspace-admins", A::Ownership, D::Live,
              "Each workspace has at least two admins who can sign in",
              "A workspace whose only admin leaves is orphaned until a Fabric administrator steps in; "
              "a service principal cannot sign in to the portal, so it does not count.",
              "Admin-role users and groups in each workspace's member list. Pass: two or more in "
              "every workspace. Warn: fewer in any.",
              "Add a second admin (preferably a security group of the owning team) to the workspaces "
              "listed."),
        check("naming.workspace-convention", A::Naming, D::Live,
              "Workspace names follow the naming convention",
              "A convention (e.g. an environment tag such as [Prod]) tells at a glance what a "
              "workspace is for, and lets reviews like this one tell environments apart.",
              "Each workspace name against the convention's regular expression (default: a name "
              "followed by [Dev], [Test] or [Prod]). Warn: any name that does not match.",
              "Rename the workspaces listed, or set the convention your tenant uses."),
        check("naming.descriptions", A::Naming, D::Live,
              "Reports and semantic models have descriptions",
              "Descriptions show in the portal and in catalogue tools; items without one are the "
              "ones nobody dares to delete.",
              "The description of each report and semantic model. Warn: any without. Not applicable "
              "when the check is turned off.",
              "Add a description to the items listed (item settings in the portal)."),
    };
}

} // namespace

const std::vector<ReadinessCheck>& catalogue()
{
    static const std::vector<ReadinessCheck> checks = makeCatalogue();
    return checks;
}

const ReadinessCheck* findCheck(const QString& id)
{
    for (const ReadinessCheck& c : catalogue())
        if (c.id == id)
            return &c;
    return nullptr;
}

QString areaName(Area area)
{
    switch (area) {
    case Area::Identity: return QStringLiteral("Identity");
    case Area::LeastPrivilege: return QStringLiteral("Least privilege");
    case Area::Secrets: return QStringLiteral("Secrets");
    case Area::Retries: return QStringLiteral("Retries");
    case Area::Logging: return QStringLiteral("Logging");
    case Area::Environments: return QStringLiteral("Environments");
    case Area::Ownership: return QStringLiteral("Ownership");
    case Area::Naming: return QStringLiteral("Naming");
    }
    return {};
}

QString decisionName(Decision decision)
{
    switch (decision) {
    case Decision::Live: return QStringLiteral("Live");
    case Decision::Attested: return QStringLiteral("Attested");
    case Decision::LiveAndAttested: return QStringLiteral("Live + attested");
    }
    return {};
}

QString decisionKey(Decision decision)
{
    switch (decision) {
    case Decision::Live: return QStringLiteral("live");
    case Decision::Attested: return QStringLiteral("attested");
    case Decision::LiveAndAttested: return QStringLiteral("live+attested");
    }
    return {};
}

QString statusName(Status status)
{
    switch (status) {
    case Status::NotEvaluated: return QStringLiteral("Not evaluated");
    case Status::Pass: return QStringLiteral("Pass");
    case Status::Warn: return QStringLiteral("Warn");
    case Status::Fail: return QStringLiteral("Fail");
    case Status::NotApplicable: return QStringLiteral("Not applicable");
    case Status::NeedsAttestation: return QStringLiteral("Needs attestation");
    case Status::Error: return QStringLiteral("Error");
    }
    return {};
}

QString statusKey(Status status)
{
    switch (status) {
    case Status::NotEvaluated: return QStringLiteral("not-evaluated");
    case Status::Pass: return QStringLiteral("pass");
    case Status::Warn: return QStringLiteral("warn");
    case Status::Fail: return QStringLiteral("fail");
    case Status::NotApplicable: return QStringLiteral("not-applicable");
    case Status::NeedsAttestation: return QStringLiteral("needs-attestation");
    case Status::Error: return QStringLiteral("error");
    }
    return {};
}

std::optional<Status> statusFromKey(const QString& key)
{
    for (Status s : {Status::NotEvaluated, Status::Pass, Status::Warn, Status::Fail, Status::NotApplicable,
                     Status::NeedsAttestation, Status::Error})
        if (statusKey(s) == key)
            return s;
    return std::nullopt;
}

std::optional<Status> attestedStatusFromText(const QString& text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("pass"))
        return Status::Pass;
    if (t == QLatin1String("fail"))
        return Status::Fail;
    if (t == QLatin1String("na") || t == QLatin1String("n/a") || t == QLatin1String("not-applicable") ||
        t == QLatin1String("not applicable"))
        return Status::NotApplicable;
    return std::nullopt;
}

QString verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Ready: return QStringLiteral("Ready");
    case Verdict::ReadyWithWarnings: return QStringLiteral("Ready with warnings");
    case Verdict::NotReady: return QStringLiteral("Not ready");
    case Verdict::Incomplete: return QStringLiteral("Incomplete");
    }
    return {};
}

QString verdictKey(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Ready: return QStringLiteral("ready");
    case Verdict::ReadyWithWarnings: return QStringLiteral("ready-with-warnings");
    case Verdict::NotReady: return QStringLiteral("not-ready");
    case Verdict::Incomplete: return QStringLiteral("incomplete");
    }
    return {};
}

Verdict verdictOf(const std::vector<CheckResult>& results)
{
    const StatusCounts c = countStatuses(results);
    if (c.fail > 0)
        return Verdict::NotReady;
    if (c.error > 0 || c.needsAttestation > 0 || c.notEvaluated > 0)
        return Verdict::Incomplete;
    if (c.warn > 0)
        return Verdict::ReadyWithWarnings;
    return Verdict::Ready;
}

StatusCounts countStatuses(const std::vector<CheckResult>& results)
{
    StatusCounts c;
    for (const CheckResult& r : results) {
        switch (r.status) {
        case Status::Pass: ++c.pass; break;
        case Status::Warn: ++c.warn; break;
        case Status::Fail: ++c.fail; break;
        case Status::NotApplicable: ++c.notApplicable; break;
        case Status::NeedsAttestation: ++c.needsAttestation; break;
        case Status::Error: ++c.error; break;
        case Status::NotEvaluated: ++c.notEvaluated; break;
        }
    }
    return c;
}

QString StatusCounts::summary() const
{
    QStringList parts;
    const auto add = [&parts](int n, const char* what) {
        if (n > 0)
            parts << QStringLiteral("%1 %2").arg(n).arg(QLatin1String(what));
    };
    add(pass, "pass");
    add(warn, "warn");
    add(fail, "fail");
    add(needsAttestation, needsAttestation == 1 ? "needs attestation" : "need attestation");
    add(error, error == 1 ? "error" : "errors");
    add(notApplicable, "not applicable");
    add(notEvaluated, "not evaluated");
    return parts.isEmpty() ? QStringLiteral("no checks") : parts.join(QStringLiteral(" · "));
}

std::vector<CheckResult> unevaluatedResults()
{
    std::vector<CheckResult> out;
    for (const ReadinessCheck& c : catalogue()) {
        CheckResult r;
        r.checkId = c.id;
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace pbi::readiness
