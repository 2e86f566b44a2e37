#include "profiles/ConnectionCheck.h"

#include "api/PowerBiClient.h"
#include "auth/JwtInspector.h"
#include "auth/TokenProvider.h"

#include <QPointer>

namespace pbi {

void runConnectionCheck(PowerBiClient* client, const Clock* clock, QObject* context,
                        std::function<void(Result<ConnectionCheckResult>)> callback)
{
    QPointer<QObject> guard(context);
    client->tokenProvider()->requestToken(context, [client, clock, guard,
                                                    callback = std::move(callback)](Result<AccessToken> token) {
        if (!token)
            return callback(token.error());
        ConnectionCheckResult result;
        result.expiresAt = token.value().expiresAt;
        if (auto jwt = JwtInspector::decode(token.value().value)) {
            const DecodedJwt& d = jwt.value();
            result.identityKind = d.identityKind();
            result.identity = d.claimText(QStringLiteral("upn"));
            if (result.identity.isEmpty())
                result.identity = d.claimText(QStringLiteral("unique_name"));
            if (result.identity.isEmpty())
                result.identity = QStringLiteral("app ") + d.claimText(QStringLiteral("appid"));
            result.tenantId = d.claimText(QStringLiteral("tid"));
            result.audience = d.claimText(QStringLiteral("aud"));
            if (const JwtClaim* scp = d.claim(QStringLiteral("scp")))
                result.scopesOrRoles = scp->values;
            else if (const JwtClaim* roles = d.claim(QStringLiteral("roles")))
                result.scopesOrRoles = roles->values;
            if (d.expiresAt)
                result.expiresAt = *d.expiresAt;
            result.expirySentence = d.expirySentence(*clock);
        }
        if (!guard)
            return;
        client->listWorkspaces(guard, [result, callback](Result<std::vector<Workspace>> workspaces) mutable {
            if (!workspaces)
                return callback(workspaces.error());
            result.workspaceCount = int(workspaces.value().size());
            if (!workspaces.value().empty())
                result.firstWorkspace = workspaces.value().front().name;
            callback(result);
        });
    });
}

} // namespace pbi
