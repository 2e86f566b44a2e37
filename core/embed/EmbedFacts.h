#pragma once

// What the embed-token pre-flight needs to know, read with ordinary core calls, and the helpers
// the tester (window and pbictl alike) builds its requests with: one place, so the two agree.

#include "api/Embed.h"
#include "api/Items.h"
#include "api/Workspace.h"
#include "embed/EmbedPreflight.h"
#include "http/HttpTypes.h"
#include "http/Result.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace pbi {
class PowerBiClient;
struct DecodedJwt;
} // namespace pbi

namespace pbi::embed {

/// A workspace as the embed-token tester sees it: its items, the caller's role in it and the
/// access token that will call GenerateToken.
struct WorkspaceFacts {
    Workspace workspace;
    std::vector<Report> reports;
    std::vector<Dataset> datasets;
    QString callerRole;     ///< "Admin" | "Member" | "Contributor" | "Viewer"; empty: unknown
    QString callerRoleNote; ///< why the role is unknown (members list refused, reached through a group…)
    std::optional<bool> servicePrincipal; ///< from the access token's claims; unset: it does not say
    QString callerLabel;                  ///< the token provider's identity label
    std::optional<QDateTime> accessTokenExpiry;

    const Report* report(const QString& id) const;
    const Dataset* dataset(const QString& id) const;
};

/// Reads the workspace's reports and semantic models, its members (for the caller's role) and
/// the caller's access token, one after the other. A failure to read the items or to get a token
/// ends in that error; a members list the caller may not read only leaves the role unknown.
void gatherWorkspaceFacts(PowerBiClient* client, const Workspace& workspace, QObject* context,
                          std::function<void(Result<WorkspaceFacts>)> done);

/// The caller's role among a workspace's members: its entry matched by the token's object id
/// (apps and users), app id, or user principal name. Empty when it is not listed by itself
/// (e.g. a member through a security group).
QString callerRoleIn(const std::vector<GroupUser>& members, const DecodedJwt& token);

/// The pre-flight's view of a model.
ModelFacts modelFacts(const Dataset& dataset);

/// Which GenerateToken a single-item (V1) request goes to.
enum class ItemKind { Report, Dataset };

/// The models an identity without datasets applies to: the covered models that use row-level
/// security, or, when none does, all of them (so the pre-flight says why that is refused).
QStringList defaultIdentityDatasets(const std::vector<ModelFacts>& models);

/// The model a V1 request covers: a report's own model, or the model itself.
QString modelOf(const WorkspaceFacts& facts, ItemKind kind, const QString& itemId);

/// The request as it will be sent: identities without datasets get defaultIdentityDatasets()
/// of the models it covers (pbictl and the window default the same way).
GenerateTokenRequest completed(const WorkspaceFacts& facts, ItemKind kind, const QString& itemId,
                               GenerateTokenRequest request);
/// The V2 request as it will be sent: each report's own model is added to `datasets` (the
/// service applies its rules to it anyway), then identities get their default datasets.
GenerateTokenRequestV2 completed(const WorkspaceFacts& facts, GenerateTokenRequestV2 request);

/// The pre-flight input for a single-item request (as completed()).
PreflightInput preflightInput(const WorkspaceFacts& facts, ItemKind kind, const QString& itemId,
                              const GenerateTokenRequest& request, const QDateTime& now);
/// The pre-flight input for a multi-item (V2) request (as completed()).
PreflightInput preflightInput(const WorkspaceFacts& facts, const GenerateTokenRequestV2& request,
                              const QDateTime& now);

/// The URL, headers and body a V1 or V2 GenerateToken call sends, before anything is sent.
HttpRequest tokenRequest(const PowerBiClient& client, const QString& groupId, ItemKind kind,
                         const QString& itemId, const GenerateTokenRequest& request);
HttpRequest tokenRequest(const PowerBiClient& client, const GenerateTokenRequestV2& request);
/// Sends a V1 request to the report's or the model's GenerateToken.
quint64 generate(PowerBiClient& client, const QString& groupId, ItemKind kind, const QString& itemId,
                 const GenerateTokenRequest& request, QObject* context,
                 std::function<void(Result<EmbedToken>)> done);

/// A request as a cURL command line. The Authorization header says "Bearer [redacted]" unless
/// the caller passes the access token, which only an explicit user choice may do; the body is
/// redacted the way the request log redacts it either way, unless the token is included.
QString toCurl(const HttpRequest& request, const QString& accessToken = {});

/// The likely fix for the service's refusal of a GenerateToken call, in embed-token terms where
/// the facts explain it (the caller's role, shared capacity), else the error's own hint.
QString refusalFix(const Error& error, const WorkspaceFacts& facts);

} // namespace pbi::embed
