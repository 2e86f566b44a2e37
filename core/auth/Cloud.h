#pragma once

#include "http/Result.h"

#include <QList>
#include <QString>
#include <QUrl>

namespace pbi {

/// Where a Power BI tenant lives: its Entra ID authority, REST API base and token scope
/// (reference/api-digest.md §9).
struct Cloud {
    enum class Id { Public, UsGov, UsGovHigh, UsGovDoD, China, Custom, Sandbox };

    Id id = Id::Public;
    QString displayName;
    QUrl authorityHost; ///< e.g. https://login.microsoftonline.com
    QUrl apiBase;       ///< e.g. https://api.powerbi.com
    QString resource;   ///< e.g. https://analysis.windows.net/powerbi/api
    QUrl portal;        ///< e.g. https://app.powerbi.com

    /// resource + "/.default": the scope for client-credentials tokens.
    QString defaultScope() const;
    /// {authority}/{tenant}/oauth2/v2.0/token
    QUrl tokenEndpoint(const QString& tenant) const;
    /// {authority}/{tenant}/oauth2/v2.0/devicecode (RFC 8628 device authorization endpoint)
    QUrl deviceCodeEndpoint(const QString& tenant) const;
    /// {authority}/{tenant}/oauth2/v2.0/authorize (browser sign-in)
    QUrl authorizeEndpoint(const QString& tenant) const;
    /// {apiBase}/v1.0/myorg/{path}
    QUrl apiUrl(const QString& path) const;

    static Cloud publicCloud();
    static Cloud usGov();
    static Cloud usGovHigh();
    static Cloud usGovDoD();
    static Cloud china();
    /// The local sandbox tenant: authority and API on the same loopback base.
    static Cloud sandbox(const QUrl& base);
    /// A cloud the user describes: authority host, REST API base and resource (or a scope
    /// ending in "/.default", which is reduced to its resource). All three must be https://
    /// except on loopback hosts; an Error of kind Refused says which one is wrong and why.
    static Result<Cloud> custom(const QString& displayName, const QString& authorityHost,
                                const QString& apiBase, const QString& resourceOrScope);
    /// Public, GCC, GCC High, DoD and China (not Custom, not Sandbox).
    static QList<Cloud> builtIn();
};

} // namespace pbi
