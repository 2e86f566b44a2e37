#include "auth/Cloud.h"

#include "http/Transport.h"

#include <optional>

namespace pbi {

namespace {

// `path` is already percent-encoded (it carries a user-typed tenant).
QUrl joinedEncoded(const QUrl& base, const QString& path) {
    QUrl url = base;
    QString p = base.path(QUrl::FullyEncoded);
    if (p.endsWith(QLatin1Char('/')))
        p.chop(1);
    url.setPath(p + path, QUrl::TolerantMode);
    return url;
}

QUrl joined(const QUrl& base, const QString& path) {
    QUrl url = base;
    QString p = base.path();
    if (p.endsWith(QLatin1Char('/')))
        p.chop(1);
    url.setPath(p + path);
    return url;
}

Cloud make(Cloud::Id id, const char* name, const char* authority, const char* api,
           const char* resource, const char* portal) {
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

QString Cloud::defaultScope() const {
    return resource + QStringLiteral("/.default");
}

QUrl Cloud::tokenEndpoint(const QString& tenant) const {
    return joinedEncoded(authorityHost, QLatin1Char('/') +
                                            QString::fromLatin1(QUrl::toPercentEncoding(tenant)) +
                                            QStringLiteral("/oauth2/v2.0/token"));
}

QUrl Cloud::deviceCodeEndpoint(const QString& tenant) const {
    return joinedEncoded(authorityHost, QLatin1Char('/') +
                                            QString::fromLatin1(QUrl::toPercentEncoding(tenant)) +
                                            QStringLiteral("/oauth2/v2.0/devicecode"));
}

QUrl Cloud::authorizeEndpoint(const QString& tenant) const {
    return joinedEncoded(authorityHost, QLatin1Char('/') +
                                            QString::fromLatin1(QUrl::toPercentEncoding(tenant)) +
                                            QStringLiteral("/oauth2/v2.0/authorize"));
}

QUrl Cloud::apiUrl(const QString& path) const {
    return joined(apiBase, QStringLiteral("/v1.0/myorg/") + path);
}

Cloud Cloud::publicCloud() {
    return make(Id::Public, "Public (commercial)", "https://login.microsoftonline.com",
                "https://api.powerbi.com", "https://analysis.windows.net/powerbi/api",
                "https://app.powerbi.com");
}

Cloud Cloud::usGov() {
    return make(Id::UsGov, "US Government (GCC)", "https://login.microsoftonline.com",
                "https://api.powerbigov.us", "https://analysis.usgovcloudapi.net/powerbi/api",
                "https://app.powerbigov.us");
}

Cloud Cloud::usGovHigh() {
    return make(Id::UsGovHigh, "US Government (GCC High)", "https://login.microsoftonline.us",
                "https://api.high.powerbigov.us",
                "https://high.analysis.usgovcloudapi.net/powerbi/api",
                "https://app.high.powerbigov.us");
}

Cloud Cloud::usGovDoD() {
    return make(Id::UsGovDoD, "US Government (DoD)", "https://login.microsoftonline.us",
                "https://api.mil.powerbigov.us",
                "https://mil.analysis.usgovcloudapi.net/powerbi/api",
                "https://app.mil.powerbigov.us");
}

Cloud Cloud::china() {
    return make(Id::China, "China (21Vianet)", "https://login.partner.microsoftonline.cn",
                "https://api.powerbi.cn", "https://analysis.chinacloudapi.cn/powerbi/api",
                "https://app.powerbi.cn");
}

Cloud Cloud::sandbox(const QUrl& base) {
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

namespace {

Error refusedCloud(const QString& sentence, const QString& hint = {}) {
    Error e;
    e.kind = ErrorKind::Refused;
    e.sentence = sentence;
    e.hint = hint;
    return e;
}

// A base URL the user typed: absolute, https (http only to loopback, like the transport),
// no query or fragment (they would be dropped silently when paths are appended).
std::optional<Error> checkBase(const QString& what, const QString& text, QUrl* out) {
    const QUrl url = QUrl::fromUserInput(text.trimmed()).adjusted(QUrl::StripTrailingSlash);
    if (text.trimmed().isEmpty())
        return refusedCloud(QStringLiteral("The %1 is empty.").arg(what));
    // fromUserInput would turn "login.example" into http://login.example; insist on a scheme.
    if (!text.trimmed().contains(QStringLiteral("://")))
        return refusedCloud(
            QStringLiteral("The %1 \"%2\" has no scheme.").arg(what, text.trimmed()),
            QStringLiteral("Write it in full, e.g. https://login.microsoftonline.com."));
    QString why;
    if (!Transport::isAllowedUrl(url, &why))
        return refusedCloud(QStringLiteral("The %1 is not usable: %2").arg(what, why),
                            QStringLiteral("Use an https:// address (http:// is accepted for "
                                           "loopback hosts only)."));
    if (url.hasQuery() || url.hasFragment() || !url.userInfo().isEmpty())
        return refusedCloud(QStringLiteral("The %1 \"%2\" must not contain a query, a fragment or "
                                           "credentials.")
                                .arg(what, url.toDisplayString()));
    *out = url.path() == QLatin1String("/") ? url.adjusted(QUrl::RemovePath) : url;
    return std::nullopt;
}

} // namespace

Result<Cloud> Cloud::custom(const QString& displayName, const QString& authorityHost,
                            const QString& apiBase, const QString& resourceOrScope) {
    Cloud c;
    c.id = Id::Custom;
    c.displayName =
        displayName.trimmed().isEmpty() ? QStringLiteral("Custom cloud") : displayName.trimmed();
    if (auto e = checkBase(QStringLiteral("authority host"), authorityHost, &c.authorityHost))
        return *e;
    if (auto e = checkBase(QStringLiteral("API base"), apiBase, &c.apiBase))
        return *e;
    QString resource = resourceOrScope.trimmed();
    // People paste the scope they saw in a sample; the cloud keeps the resource.
    if (resource.endsWith(QStringLiteral("/.default")))
        resource.chop(int(qstrlen("/.default")));
    while (resource.endsWith(QLatin1Char('/')))
        resource.chop(1);
    if (resource.isEmpty())
        return refusedCloud(QStringLiteral("The resource (token audience) is empty."),
                            QStringLiteral("For Power BI it is e.g. "
                                           "https://analysis.windows.net/powerbi/api."));
    if (resource.contains(QLatin1Char(' ')))
        return refusedCloud(
            QStringLiteral("The resource \"%1\" names more than one scope.").arg(resource),
            QStringLiteral("Entra ID issues a token for one resource at a time (AADSTS700022): "
                           "give one resource URI."));
    const QUrl resourceUrl(resource);
    if (resourceUrl.scheme() == QLatin1String("http") ||
        resourceUrl.scheme() == QLatin1String("https")) {
        // The resource is an identifier, not an address we call, but a typo here is the usual
        // cause of AADSTS500011, so catch the obvious ones.
        if (!resourceUrl.isValid() || resourceUrl.host().isEmpty())
            return refusedCloud(
                QStringLiteral("The resource \"%1\" is not a valid URI.").arg(resource));
    }
    c.resource = resource;
    c.portal = c.apiBase;
    return c;
}

QList<Cloud> Cloud::builtIn() {
    return {publicCloud(), usGov(), usGovHigh(), usGovDoD(), china()};
}

} // namespace pbi
