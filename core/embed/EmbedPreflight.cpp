#include "embed/EmbedPreflight.h"

#include <QSet>

namespace pbi::embed {

namespace {
constexpr int kMaxItems = 50;
constexpr int kMaxRoles = 50;
constexpr int kMaxRoleLength = 50;
constexpr int kMaxUsername = 256;
} // namespace

QString severityName(Severity s)
{
    switch (s) {
    case Severity::Error: return QStringLiteral("Error");
    case Severity::Warning: return QStringLiteral("Warning");
    case Severity::Note: break;
    }
    return QStringLiteral("Note");
}

bool hasErrors(const std::vector<Finding>& findings)
{
    for (const Finding& f : findings)
        if (f.severity == Severity::Error)
            return true;
    return false;
}

std::vector<Finding> preflight(const PreflightInput& in)
{
    std::vector<Finding> out;
    const auto add = [&out](Severity s, QString field, QString message, QString fix) {
        out.push_back({s, std::move(field), std::move(message), std::move(fix)});
    };

    if (in.personalWorkspace)
        add(Severity::Error, QString(), QStringLiteral("The service issues no embed tokens for content in My workspace."),
            QStringLiteral("Move the report and its model to a workspace, and give the identity access to it."));
    if (!in.callerRole.isEmpty() && in.callerRole != QLatin1String("Admin") &&
        in.callerRole != QLatin1String("Member"))
        add(Severity::Error, QString(),
            QStringLiteral("The identity is a %1 of the workspace; generating embed tokens needs Member or Admin "
                           "(of the report's and the model's workspaces).")
                .arg(in.callerRole),
            QStringLiteral("Ask a workspace admin to make the identity a Member."));
    static const QStringList levels = {QStringLiteral("View"), QStringLiteral("Edit"), QStringLiteral("Create")};
    if (!levels.contains(in.accessLevel))
        add(Severity::Error, QStringLiteral("accessLevel"),
            QStringLiteral("'%1' is not an access level.").arg(in.accessLevel),
            QStringLiteral("Use View, Edit or Create."));
    // The single-item endpoints take only the access levels that make sense for them
    // (reference: GenerateTokenRequest.accessLevel; the sandbox refuses the same two).
    if (in.endpoint == Endpoint::Report && in.accessLevel == QLatin1String("Create"))
        add(Severity::Error, QStringLiteral("accessLevel"),
            QStringLiteral("A report's GenerateToken does not take the Create access level: Create is for "
                           "creating a new report."),
            QStringLiteral("Use View or Edit, or generate a Create token on the semantic model."));
    if (in.endpoint == Endpoint::Dataset && in.accessLevel == QLatin1String("Edit"))
        add(Severity::Error, QStringLiteral("accessLevel"),
            QStringLiteral("The Edit access level applies to report embedding only."),
            QStringLiteral("Use View (or Create), or generate the token on a report."));
    if (in.accessLevel == QLatin1String("Create") && in.createDatasetId.isEmpty())
        add(Severity::Error, QStringLiteral("datasetId"),
            QStringLiteral("A Create token needs the model the new report will use."),
            QStringLiteral("Pick the semantic model."));
    if (int(in.models.size()) > kMaxItems)
        add(Severity::Error, QStringLiteral("datasets"),
            QStringLiteral("%1 models; one token covers at most %2.").arg(in.models.size()).arg(kMaxItems),
            QStringLiteral("Split the embedding into several tokens."));
    if (in.reportCount > kMaxItems)
        add(Severity::Error, QStringLiteral("reports"),
            QStringLiteral("%1 reports; one token covers at most %2.").arg(in.reportCount).arg(kMaxItems),
            QStringLiteral("Split the embedding into several tokens."));
    if (in.targetWorkspaceCount > kMaxItems)
        add(Severity::Error, QStringLiteral("targetWorkspaces"),
            QStringLiteral("%1 target workspaces; at most %2.").arg(in.targetWorkspaceCount).arg(kMaxItems),
            QStringLiteral("Split the embedding into several tokens."));

    QSet<QString> requested;
    for (const ModelFacts& m : in.models)
        requested.insert(m.id.toLower());

    // The identities themselves.
    for (std::size_t i = 0; i < in.identities.size(); ++i) {
        const EffectiveIdentity& id = in.identities[i];
        const QString at = QStringLiteral("identities[%1]").arg(i);
        if (id.username.trimmed().isEmpty())
            add(Severity::Error, at + QStringLiteral(".username"),
                QStringLiteral("Every effective identity needs a user name."),
                QStringLiteral("Use the viewer's UPN or the key your RLS rules read with USERNAME()."));
        else if (id.username.contains(QLatin1Char(' ')))
            add(Severity::Error, at + QStringLiteral(".username"),
                QStringLiteral("The user name contains a space, which the service refuses."),
                QStringLiteral("Use an identifier without spaces."));
        if (id.username.size() > kMaxUsername)
            add(Severity::Error, at + QStringLiteral(".username"),
                QStringLiteral("The user name is longer than %1 characters.").arg(kMaxUsername),
                QStringLiteral("Use a shorter key."));
        if (id.datasets.isEmpty())
            add(Severity::Error, at + QStringLiteral(".datasets"),
                QStringLiteral("An effective identity must name the models it applies to."),
                QStringLiteral("Add the semantic model's id to the identity."));
        for (const QString& d : id.datasets) {
            if (!requested.contains(d.toLower()))
                add(Severity::Error, at + QStringLiteral(".datasets"),
                    QStringLiteral("The identity names model %1, which the token does not cover.").arg(d),
                    QStringLiteral("Add the model to the request, or remove it from the identity."));
        }
        if (id.roles.size() > kMaxRoles)
            add(Severity::Error, at + QStringLiteral(".roles"),
                QStringLiteral("%1 roles; at most %2.").arg(id.roles.size()).arg(kMaxRoles),
                QStringLiteral("Use fewer roles."));
        for (const QString& role : id.roles) {
            if (role.contains(QLatin1Char(',')))
                add(Severity::Error, at + QStringLiteral(".roles"),
                    QStringLiteral("Role '%1' contains a comma.").arg(role),
                    QStringLiteral("Give each role as its own entry."));
            else if (role.size() > kMaxRoleLength)
                add(Severity::Error, at + QStringLiteral(".roles"),
                    QStringLiteral("Role '%1…' is longer than %2 characters.").arg(role.left(20)).arg(kMaxRoleLength),
                    QStringLiteral("Use the role's name as defined in the model."));
        }
    }

    // Each model against the identities that cover it.
    for (const ModelFacts& m : in.models) {
        std::vector<const EffectiveIdentity*> covering;
        for (const EffectiveIdentity& id : in.identities)
            for (const QString& d : id.datasets)
                if (d.compare(m.id, Qt::CaseInsensitive) == 0)
                    covering.push_back(&id);
        const QString name = m.name.isEmpty() ? m.id : m.name;
        if (m.rlsRequired && covering.empty()) {
            if (in.servicePrincipal)
                add(Severity::Error, QStringLiteral("identities"),
                    QStringLiteral("Creating embed token for accessing dataset %1 requires effective identity to be "
                                   "provided (%2 uses row-level security).")
                        .arg(m.id, name),
                    QStringLiteral("Add an effective identity with the viewer's user name and role for this model."));
            else
                add(Severity::Warning, QStringLiteral("identities"),
                    QStringLiteral("%1 uses row-level security but no identity is given: a master user's token "
                                   "shows every row, unfiltered.")
                        .arg(name),
                    QStringLiteral("Add an effective identity so viewers see only their rows."));
        }
        if (!m.rlsRequired && !covering.empty())
            add(Severity::Error, QStringLiteral("identities"),
                QStringLiteral("Creating embed token for accessing dataset %1 shouldn't have effective identity "
                               "(%2 has no row-level security).")
                    .arg(m.id, name),
                QStringLiteral("Remove the identity for this model."));
        for (const EffectiveIdentity* id : covering) {
            if (m.rolesRequired && id->roles.isEmpty())
                add(Severity::Error, QStringLiteral("identities"),
                    QStringLiteral("%1 requires roles to be included in provided effective identity (%2).")
                        .arg(name, id->username),
                    QStringLiteral("Add the RLS role(s) the viewer belongs to."));
            if (!m.knownRoles.isEmpty()) {
                for (const QString& role : id->roles)
                    if (!m.knownRoles.contains(role, Qt::CaseInsensitive))
                        add(Severity::Error, QStringLiteral("identities"),
                            QStringLiteral("%1 has no role '%2' (roles: %3).")
                                .arg(name, role, m.knownRoles.join(QStringLiteral(", "))),
                            QStringLiteral("Use a role defined in the model."));
            }
        }
    }

    if (in.premium && !*in.premium)
        add(Severity::Warning, QStringLiteral("capacity"),
            QStringLiteral("The workspace is on shared capacity: embed tokens there are free trial tokens with a "
                           "limited quota (the service then answers 403)."),
            QStringLiteral("For production embedding, assign the workspace to an A, EM, P or F capacity."));

    if (in.lifetimeInMinutes) {
        if (*in.lifetimeInMinutes < 0)
            add(Severity::Error, QStringLiteral("lifetimeInMinutes"), QStringLiteral("The lifetime cannot be negative."),
                QStringLiteral("Give minutes, or 0 for the default."));
        else if (in.accessTokenExpiry && in.now.isValid()) {
            const qint64 remaining = in.now.secsTo(*in.accessTokenExpiry) / 60;
            if (*in.lifetimeInMinutes > remaining)
                add(Severity::Note, QStringLiteral("lifetimeInMinutes"),
                    QStringLiteral("The embed token cannot outlive the access token that asks for it: it will "
                                   "expire in about %1 min, not %2.")
                        .arg(std::max<qint64>(0, remaining))
                        .arg(*in.lifetimeInMinutes),
                    QStringLiteral("Sign in again (a fresh access token lives 60–90 min) just before generating "
                                   "long-lived embed tokens."));
        }
    }
    return out;
}

} // namespace pbi::embed
