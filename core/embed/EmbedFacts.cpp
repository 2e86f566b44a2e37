#include "embed/EmbedFacts.h"

#include "api/JsonMapping.h"
#include "api/PowerBiClient.h"
#include "auth/JwtInspector.h"
#include "auth/TokenProvider.h"
#include "http/RequestLog.h"

#include <QPointer>
#include <QSet>

#include <memory>

namespace pbi::embed {

namespace {

bool sameId(const QString& a, const QString& b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

bool isPersonal(const Workspace& w)
{
    return w.type && (*w.type == QLatin1String("PersonalGroup") || *w.type == QLatin1String("Personal"));
}

/// The parts of a PreflightInput every request shares.
PreflightInput common(const WorkspaceFacts& facts, const QDateTime& now)
{
    PreflightInput in;
    in.servicePrincipal = facts.servicePrincipal.value_or(false);
    in.personalWorkspace = isPersonal(facts.workspace);
    in.callerRole = facts.callerRole;
    in.premium = facts.workspace.isOnDedicatedCapacity;
    in.accessTokenExpiry = facts.accessTokenExpiry;
    in.now = now;
    return in;
}

ModelFacts factsOrId(const WorkspaceFacts& facts, const QString& id)
{
    if (const Dataset* d = facts.dataset(id))
        return modelFacts(*d);
    // A model of another workspace: its RLS flags are not known here; the service checks them.
    ModelFacts m;
    m.id = id;
    return m;
}

} // namespace

const Report* WorkspaceFacts::report(const QString& id) const
{
    for (const Report& r : reports)
        if (sameId(r.id, id))
            return &r;
    return nullptr;
}

const Dataset* WorkspaceFacts::dataset(const QString& id) const
{
    for (const Dataset& d : datasets)
        if (sameId(d.id, id))
            return &d;
    return nullptr;
}

void gatherWorkspaceFacts(PowerBiClient* client, const Workspace& workspace, QObject* context,
                          std::function<void(Result<WorkspaceFacts>)> done)
{
    auto facts = std::make_shared<WorkspaceFacts>();
    facts->workspace = workspace;
    QPointer<PowerBiClient> guard(client);
    const QString groupId = workspace.id;
    client->listReports(groupId, context, [=](Result<std::vector<Report>> reports) {
        if (!reports)
            return done(reports.error());
        facts->reports = reports.value();
        if (!guard)
            return;
        guard->listDatasets(groupId, context, [=](Result<std::vector<Dataset>> datasets) {
            if (!datasets)
                return done(datasets.error());
            facts->datasets = datasets.value();
            if (!guard)
                return;
            guard->listWorkspaceUsers(groupId, context, [=](Result<std::vector<GroupUser>> members) {
                if (!guard)
                    return;
                TokenProvider* tokens = guard->tokenProvider();
                facts->callerLabel = tokens->identityLabel();
                tokens->requestToken(context, [=](Result<AccessToken> token) {
                    if (!token)
                        return done(token.error());
                    facts->accessTokenExpiry = token.value().expiresAt;
                    const auto jwt = JwtInspector::decode(token.value().value);
                    if (jwt) {
                        const QString kind = jwt.value().identityKind();
                        if (kind.startsWith(QLatin1String("app")))
                            facts->servicePrincipal = true;
                        else if (kind.startsWith(QLatin1String("delegated")))
                            facts->servicePrincipal = false;
                    }
                    if (!members) {
                        facts->callerRoleNote =
                            QStringLiteral("The workspace's members could not be read (%1): the identity's role "
                                           "is not checked.")
                                .arg(members.error().summary());
                    } else if (!jwt) {
                        facts->callerRoleNote = QStringLiteral(
                            "The access token is not a JWT, so the identity could not be found among the "
                            "members: its role is not checked.");
                    } else {
                        facts->callerRole = callerRoleIn(members.value(), jwt.value());
                        if (facts->callerRole.isEmpty())
                            facts->callerRoleNote = QStringLiteral(
                                "The identity is not listed among the workspace's members by itself (it may be a "
                                "member through a group): its role is not checked.");
                    }
                    done(std::move(*facts));
                });
            });
        });
    });
}

QString callerRoleIn(const std::vector<GroupUser>& members, const DecodedJwt& token)
{
    QStringList keys;
    for (const char* claim : {"oid", "appid", "azp", "upn", "unique_name", "preferred_username"}) {
        const QString v = token.claimText(QLatin1String(claim));
        if (!v.isEmpty())
            keys << v;
    }
    for (const GroupUser& m : members)
        for (const QString& k : keys)
            if (sameId(m.identifier, k))
                return m.groupUserAccessRight;
    return {};
}

ModelFacts modelFacts(const Dataset& d)
{
    return {d.id, d.name, d.isEffectiveIdentityRequired, d.isEffectiveIdentityRolesRequired, {}};
}

QStringList defaultIdentityDatasets(const std::vector<ModelFacts>& models)
{
    QStringList rls;
    QStringList all;
    for (const ModelFacts& m : models) {
        all << m.id;
        if (m.rlsRequired)
            rls << m.id;
    }
    return rls.isEmpty() ? all : rls;
}

QString modelOf(const WorkspaceFacts& facts, ItemKind kind, const QString& itemId)
{
    if (kind == ItemKind::Dataset)
        return itemId;
    const Report* r = facts.report(itemId);
    return r && r->datasetId ? *r->datasetId : QString();
}

std::vector<EffectiveIdentity> withDefaultDatasets(std::vector<EffectiveIdentity> identities,
                                                   const QStringList& defaults)
{
    for (EffectiveIdentity& id : identities)
        if (id.datasets.isEmpty())
            id.datasets = defaults;
    return identities;
}

GenerateTokenRequest completed(const WorkspaceFacts& facts, ItemKind kind, const QString& itemId,
                               GenerateTokenRequest request)
{
    const QString model = modelOf(facts, kind, itemId);
    std::vector<ModelFacts> models;
    if (!model.isEmpty())
        models.push_back(factsOrId(facts, model));
    request.identities = withDefaultDatasets(std::move(request.identities), defaultIdentityDatasets(models));
    return request;
}

GenerateTokenRequestV2 completed(const WorkspaceFacts& facts, GenerateTokenRequestV2 request)
{
    const auto listed = [&request](const QString& id) {
        for (const auto& d : request.datasets)
            if (sameId(d.id, id))
                return true;
        return false;
    };
    for (const auto& r : request.reports) {
        const Report* report = facts.report(r.id);
        if (report && report->datasetId && !report->datasetId->isEmpty() && !listed(*report->datasetId))
            request.datasets.push_back({*report->datasetId, {}});
    }
    std::vector<ModelFacts> models;
    for (const auto& d : request.datasets)
        models.push_back(factsOrId(facts, d.id));
    request.identities = withDefaultDatasets(std::move(request.identities), defaultIdentityDatasets(models));
    return request;
}

PreflightInput preflightInput(const WorkspaceFacts& facts, ItemKind kind, const QString& itemId,
                              const GenerateTokenRequest& request, const QDateTime& now)
{
    PreflightInput in = common(facts, now);
    in.endpoint = kind == ItemKind::Report ? Endpoint::Report : Endpoint::Dataset;
    in.accessLevel = request.accessLevel;
    // The model's own GenerateToken with Create makes a token for a new report on that model.
    in.createDatasetId = kind == ItemKind::Dataset ? itemId : request.datasetId;
    in.reportCount = kind == ItemKind::Report ? 1 : 0;
    const QString model = modelOf(facts, kind, itemId);
    if (!model.isEmpty())
        in.models.push_back(factsOrId(facts, model));
    in.identities = request.identities;
    in.lifetimeInMinutes = request.lifetimeInMinutes;
    return in;
}

PreflightInput preflightInput(const WorkspaceFacts& facts, const GenerateTokenRequestV2& request,
                              const QDateTime& now)
{
    PreflightInput in = common(facts, now);
    in.endpoint = Endpoint::Multi;
    bool edit = false;
    for (const auto& r : request.reports)
        edit = edit || r.allowEdit;
    in.accessLevel = edit ? QStringLiteral("Edit") : QStringLiteral("View");
    in.reportCount = int(request.reports.size());
    in.targetWorkspaceCount = int(request.targetWorkspaces.size());
    for (const auto& d : request.datasets)
        in.models.push_back(factsOrId(facts, d.id));
    in.identities = request.identities;
    in.lifetimeInMinutes = request.lifetimeInMinutes;
    return in;
}

HttpRequest tokenRequest(const PowerBiClient& client, const QString& groupId, ItemKind kind,
                         const QString& itemId, const GenerateTokenRequest& request)
{
    return client.generateTokenRequest({QStringLiteral("groups"), groupId,
                                        kind == ItemKind::Report ? QStringLiteral("reports")
                                                                 : QStringLiteral("datasets"),
                                        itemId, QStringLiteral("GenerateToken")},
                                       mapping::toBody(request));
}

HttpRequest tokenRequest(const PowerBiClient& client, const GenerateTokenRequestV2& request)
{
    return client.generateTokenRequest({QStringLiteral("GenerateToken")}, mapping::toBody(request));
}

quint64 generate(PowerBiClient& client, const QString& groupId, ItemKind kind, const QString& itemId,
                 const GenerateTokenRequest& request, QObject* context,
                 std::function<void(Result<EmbedToken>)> done)
{
    if (kind == ItemKind::Report)
        return client.generateReportToken(groupId, itemId, request, context, std::move(done));
    return client.generateDatasetToken(groupId, itemId, request, context, std::move(done));
}

QString toCurl(const HttpRequest& request, const QString& accessToken)
{
    HeaderList headers = request.headers;
    headers.append({"Authorization", "Bearer " + (accessToken.isEmpty() ? QByteArray(redact::kMask)
                                                                        : accessToken.toUtf8())});
    RequestLogEntry e;
    e.method = request.method;
    e.url = redact::url(request.url);
    e.requestHeaders = redact::headers(headers);
    QByteArray contentType;
    for (const auto& [name, value] : headers)
        if (name.compare("content-type", Qt::CaseInsensitive) == 0)
            contentType = value;
    e.requestBody = redact::body(request.body, contentType);
    if (accessToken.isEmpty())
        return e.toCurl(RequestLogEntry::Secrets::Redacted);
    e.unredacted = std::make_shared<RequestLogEntry::Unredacted>(
        RequestLogEntry::Unredacted{request.url, headers, request.body});
    return e.toCurl(RequestLogEntry::Secrets::Show);
}

QString refusalFix(const Error& error, const WorkspaceFacts& facts)
{
    const bool notMember = facts.callerRole == QLatin1String("Viewer") ||
                           facts.callerRole == QLatin1String("Contributor");
    if ((error.httpStatus == 401 || error.httpStatus == 403) && notMember)
        return QStringLiteral("The identity is a %1 of “%2”; GenerateToken needs Member or Admin of the "
                              "report's and the model's workspaces: ask a workspace admin to make it a Member.")
            .arg(facts.callerRole, facts.workspace.name);
    if (error.message.contains(QLatin1String("doesn't exist in the dataset"), Qt::CaseInsensitive) ||
        (error.message.contains(QLatin1String("role"), Qt::CaseInsensitive) && error.hint.isEmpty()))
        return QStringLiteral("Use a role defined in the model (its row-level security roles), spelled as there.");
    if ((error.httpStatus == 401 || error.httpStatus == 403) && error.hint.isEmpty())
        return QStringLiteral("Check that the identity is a Member or Admin of every workspace involved, that the "
                              "tenant allows embedding content in apps, and that the identity has the scopes "
                              "GenerateToken needs (Report.Read.All, Dataset.Read.All, Content.Create for Create).");
    return error.hint;
}

} // namespace pbi::embed
