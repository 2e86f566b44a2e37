#include "profiles/ProfileValidator.h"

#include "http/Transport.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

namespace pbi::ProfileValidator {

bool isGuid(const QString& value)
{
    static const QRegularExpression re(QStringLiteral(
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    return re.match(value).hasMatch();
}

QString displayName(const QString& value)
{
    if (value.trimmed().isEmpty())
        return QStringLiteral("Give the connection a name.");
    if (value.size() > 100)
        return QStringLiteral("Keep the name under 100 characters.");
    return {};
}

QString tenant(const QString& value, CredentialKind kind)
{
    const QString v = value.trimmed();
    if (v.isEmpty())
        return QStringLiteral("Enter the tenant: its id (a GUID) or a verified domain such as contoso.onmicrosoft.com.");
    const bool servicePrincipal =
        kind == CredentialKind::ClientSecret || kind == CredentialKind::Certificate;
    const QString lower = v.toLower();
    if (lower == QLatin1String("common") || lower == QLatin1String("organizations") ||
        lower == QLatin1String("consumers")) {
        if (servicePrincipal)
            return QStringLiteral("A service principal must sign in to its own tenant: use the tenant id or domain, not \"%1\".").arg(v);
        return {};
    }
    if (isGuid(v))
        return {};
    if (v.contains(QLatin1Char('{')) || (v.size() >= 32 && v.count(QLatin1Char('-')) >= 3))
        return QStringLiteral("This looks like a tenant id but is not a valid GUID (8-4-4-4-12 hexadecimal digits).");
    static const QRegularExpression domain(
        QStringLiteral("^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$"));
    if (!domain.match(lower).hasMatch())
        return QStringLiteral("Not a tenant id (GUID) nor a domain name.");
    return {};
}

QString clientId(const QString& value)
{
    const QString v = value.trimmed();
    if (v.isEmpty())
        return QStringLiteral("Enter the application (client) id from the app registration.");
    if (!isGuid(v))
        return QStringLiteral("The client id is a GUID (8-4-4-4-12 hexadecimal digits); copy the \"Application (client) ID\", not the object id or the display name.");
    return {};
}

QString serviceUrl(const QString& value)
{
    const QString v = value.trimmed();
    if (v.isEmpty())
        return QStringLiteral("Enter the URL.");
    const QUrl url(v, QUrl::StrictMode);
    QString why;
    if (!url.isValid() || url.host().isEmpty())
        return QStringLiteral("Not a valid URL.");
    if (!Transport::isAllowedUrl(url, &why))
        return why;
    return {};
}

QString resource(const QString& value)
{
    const QString v = value.trimmed();
    if (v.isEmpty())
        return QStringLiteral("Enter the resource, e.g. https://analysis.windows.net/powerbi/api.");
    if (v.endsWith(QLatin1String("/.default")))
        return QStringLiteral("Enter the resource without /.default; the console adds it.");
    const QUrl url(v, QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty())
        return QStringLiteral("The resource is a URI such as https://analysis.windows.net/powerbi/api.");
    return {};
}

QString color(const QString& value)
{
    if (value.isEmpty())
        return {};
    static const QRegularExpression re(QStringLiteral("^#[0-9a-fA-F]{6}$"));
    return re.match(value).hasMatch() ? QString() : QStringLiteral("Colours are written #rrggbb.");
}

QString userName(const QString& value)
{
    const QString v = value.trimmed();
    if (v.isEmpty())
        return QStringLiteral("Enter the user's sign-in name (user@domain).");
    static const QRegularExpression upn(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
    if (!upn.match(v).hasMatch())
        return QStringLiteral("A sign-in name looks like user@contoso.com.");
    return {};
}

QString certificatePath(const QString& value)
{
    if (value.trimmed().isEmpty())
        return QStringLiteral("Choose the certificate file (PEM with its private key, or PKCS#12 .pfx/.p12).");
    const QFileInfo info(value);
    if (!info.exists())
        return QStringLiteral("The file does not exist.");
    if (!info.isFile() || !info.isReadable())
        return QStringLiteral("The file cannot be read.");
    return {};
}

QString caCertificatePath(const QString& value)
{
    if (value.trimmed().isEmpty())
        return {};
    QString why;
    if (Transport::readCaCertificates(value, &why).isEmpty())
        return why;
    return {};
}

QList<FieldProblem> validate(const ConnectionProfile& p)
{
    QList<FieldProblem> out;
    auto check = [&](const char* field, const QString& message) {
        if (!message.isEmpty())
            out.append({QString::fromLatin1(field), message});
    };
    check("displayName", displayName(p.displayName));
    check("color", color(p.color));
    if (p.builtIn)
        return out;
    check("tenant", tenant(p.tenant, p.credentialKind));
    check("clientId", clientId(p.clientId));
    if (p.cloud == Cloud::Id::Custom) {
        check("customAuthority", serviceUrl(p.customAuthority));
        check("customApiBase", serviceUrl(p.customApiBase));
        check("customResource", resource(p.customResource));
        check("caCertificatePath", caCertificatePath(p.caCertificatePath));
    }
    if (p.credentialKind == CredentialKind::Certificate)
        check("certificatePath", certificatePath(p.certificatePath));
    if (p.credentialKind == CredentialKind::UsernamePassword)
        check("userName", userName(p.userName));
    if (p.environment == Environment::Custom && p.customEnvironmentName.trimmed().isEmpty())
        check("customEnvironmentName", QStringLiteral("Name the custom environment."));
    return out;
}

} // namespace pbi::ProfileValidator
