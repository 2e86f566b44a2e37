#pragma once

#include "http/Result.h"

#include <QDateTime>
#include <QObject>
#include <QStringList>

#include <functional>

namespace pbi {

class Clock;
class PowerBiClient;

/// What "Test connection" found: who the token says you are, where, with what rights.
struct ConnectionCheckResult {
    QString identity;     ///< upn, or the app id for a service principal
    QString identityKind; ///< "app-only (service principal)" / "delegated (user)"
    QString tenantId;     ///< the token's tid
    QString audience;
    QStringList scopesOrRoles; ///< scp split, or roles; empty for a plain Power BI app token
    QDateTime expiresAt;
    QString expirySentence;
    int workspaceCount = 0;
    QString firstWorkspace;
};

/// Signs in, decodes the token for display (not trusted: the service verified it by
/// answering) and lists the workspaces: the proof that the connection works end to end.
void runConnectionCheck(PowerBiClient* client, const Clock* clock, QObject* context,
                        std::function<void(Result<ConnectionCheckResult>)> callback);

} // namespace pbi
