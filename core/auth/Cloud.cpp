#include "auth/Cloud.h"

namespace pbi {

namespace {

QUrl joined(const QUrl& base, const QString& path)
{
    QUrl url = base;
    QString p = base.path();
    if (p.endsWith(QLatin1Char('/')))
        p.chop(1);
    url.setPath(p + path);
    return url;
}

Cloud make(Cloud::Id id, const char* name, const char* authority, const char* api,
           const char* resource, const char* portal)
{
    Cloud c;
    c.id = id;
    c.displayName = QString::fromLatin1(name);
    c.authorityHost = QUrl(QString::fromLatin1(authority));
    c.apiBase = QUrl(QString::fromLatin1(api));
    c.resource = QString::fromLatin1(resource);
    c.portal = QUrl(QString::fromLatin1(portal));
    return c;
}

} // namespace

QString Cloud::defaultScope() const
{
    return resource + QStringLiteral("/.default");
}

QUrl Cloud::tokenEndpoint(const QString& tenant) const
{
    return joined(authorityHost,
                  QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(tenant)) +
                      QStringLiteral("/oauth2/v2.0/token"));
}

QUrl Cloud::apiUrl(const QString& path) const
{
    return joined(apiBase, QStringLiteral("/v1.0/myorg/") + path);
}

Cloud Cloud::publicCloud()
{
    return make(Id::Public, "Public (commercial)", "https://login.microsoftonline.com",
                "https://api.powerbi.com", "https://analysis.windows.net/powerbi/api",
                "https://app.powerbi.com");
}

Cloud Cloud::usGov()
{
    return make(Id::UsGov, "US Government (GCC)", "https://login.microsoftonline.com",
                "https://api.powerbigov.us", "https://analysis.usgovcloudapi.net/powerbi/api",
                "https://app.powerbigov.us");
}

Cloud Cloud::usGovHigh()
{
    return make(Id::UsGovHigh, "US Government (GCC High)", "https://login.microsoftonline.us",
                "https://api.high.powerbigov.us",
                "https://high.analysis.usgovcloudapi.net/powerbi/api",
                "https://app.high.powerbigov.us");
}

Cloud Cloud::usGovDoD()
{
    return make(Id::UsGovDoD, "US Government (DoD)", "https://login.microsoftonline.us",
                "https://api.mil.powerbigov.us",
                "https://mil.analysis.usgovcloudapi.net/powerbi/api",
                "https://app.mil.powerbigov.us");
}

Cloud Cloud::china()
{
    return make(Id::China, "China (21Vianet)", "https://login.partner.microsoftonline.cn",
                "https://api.powerbi.cn", "https://analysis.chinacloudapi.cn/powerbi/api",
                "https://app.powerbi.cn");
}

Cloud Cloud::sandbox(const QUrl& base)
{
    Cloud c;
    c.id = Id::Sandbox;
    c.displayName = QStringLiteral("Sandbox tenant");
    c.authorityHost = base;
    c.apiBase = base;
    // The sandbox issues tokens for the public cloud's resource, like a real tenant would.
    c.resource = QStringLiteral("https://analysis.windows.net/powerbi/api");
    c.portal = base;
    return c;
}

QList<Cloud> Cloud::builtIn()
{
    return {publicCloud(), usGov(), usGovHigh(), usGovDoD(), china()};
}

} // namespace pbi
