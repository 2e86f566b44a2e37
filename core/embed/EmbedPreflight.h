#pragma once

// What the service would say about a GenerateToken request, said before it is sent, with the
// fix: RLS identities, roles, limits, capacity, lifetime (reference/api-digest.md §4).

#include "api/Embed.h"

#include <QDateTime>
#include <QString>

#include <optional>
#include <vector>

namespace pbi::embed {

enum class Severity {
    Error,   ///< the service refuses the request
    Warning, ///< the request works, but not the way an embedding usually wants
    Note,    ///< worth knowing (e.g. the lifetime will be capped)
};

struct Finding {
    Severity severity = Severity::Error;
    QString field;   ///< "identities[0].roles", "lifetimeInMinutes", "capacity"…; empty: the request
    QString message; ///< what is wrong, in the service's terms where it has some
    QString fix;     ///< what to change
};

/// What is known about a model the token covers.
struct ModelFacts {
    QString id;
    QString name;
    bool rlsRequired = false;   ///< isEffectiveIdentityRequired
    bool rolesRequired = false; ///< isEffectiveIdentityRolesRequired
    QStringList knownRoles;     ///< when known (e.g. from a scan); empty: not checked
};

/// Which GenerateToken the request goes to; Unspecified: not checked.
enum class Endpoint { Unspecified, Report, Dataset, Multi };

struct PreflightInput {
    Endpoint endpoint = Endpoint::Unspecified;
    bool servicePrincipal = false;
    bool personalWorkspace = false;  ///< "My workspace"
    QString callerRole;              ///< the caller's workspace role; empty: unknown
    std::optional<bool> premium;     ///< the workspace's capacity; unknown: not checked
    QString accessLevel = QStringLiteral("View");
    QString createDatasetId;         ///< accessLevel Create: the model the new report uses
    std::vector<ModelFacts> models;  ///< every model the token covers
    int reportCount = 0;
    int targetWorkspaceCount = 0;
    std::vector<EffectiveIdentity> identities;
    std::optional<int> lifetimeInMinutes;
    std::optional<QDateTime> accessTokenExpiry; ///< the Entra token that will call GenerateToken
    QDateTime now;
};

std::vector<Finding> preflight(const PreflightInput& input);
bool hasErrors(const std::vector<Finding>& findings);
QString severityName(Severity s);

} // namespace pbi::embed
