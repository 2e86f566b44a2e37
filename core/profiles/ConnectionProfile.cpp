#include "profiles/ConnectionProfile.h"

#include <QUuid>

namespace pbi {

QList<SecretKind> ConnectionProfile::secretKinds() const
{
    switch (credentialKind) {
    case CredentialKind::ClientSecret: return {SecretKind::ClientSecret};
    case CredentialKind::Certificate: return {SecretKind::CertificatePassphrase};
    case CredentialKind::UsernamePassword: return {SecretKind::Password, SecretKind::RefreshToken};
    case CredentialKind::DeviceCode:
    case CredentialKind::Interactive: return {SecretKind::RefreshToken};
    }
    return {};
}

bool ConnectionProfile::needsTypedSecret() const
{
    return credentialKind == CredentialKind::ClientSecret ||
           credentialKind == CredentialKind::UsernamePassword;
}

QString ConnectionProfile::environmentName() const
{
    switch (environment) {
    case Environment::Development: return QStringLiteral("Development");
    case Environment::Test: return QStringLiteral("Test");
    case Environment::Production: return QStringLiteral("Production");
    case Environment::Custom:
        return customEnvironmentName.isEmpty() ? QStringLiteral("Custom") : customEnvironmentName;
    }
    return {};
}

QString ConnectionProfile::effectiveColor() const
{
    return color.isEmpty() ? environmentDefaultColor(environment) : color;
}

std::optional<Cloud> ConnectionProfile::resolveCloud() const
{
    switch (cloud) {
    case Cloud::Id::Public: return Cloud::publicCloud();
    case Cloud::Id::UsGov: return Cloud::usGov();
    case Cloud::Id::UsGovHigh: return Cloud::usGovHigh();
    case Cloud::Id::UsGovDoD: return Cloud::usGovDoD();
    case Cloud::Id::China: return Cloud::china();
    case Cloud::Id::Sandbox:
        return std::nullopt; // the sandbox's address is only known once it runs
    case Cloud::Id::Custom: {
        Cloud c;
        c.id = Cloud::Id::Custom;
        c.displayName = QStringLiteral("Custom");
        c.authorityHost = QUrl(customAuthority);
        c.apiBase = QUrl(customApiBase);
        c.resource = customResource;
        c.portal = QUrl(customApiBase);
        if (!c.authorityHost.isValid() || !c.apiBase.isValid() || c.resource.isEmpty())
            return std::nullopt;
        return c;
    }
    }
    return std::nullopt;
}

QString ConnectionProfile::newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString credentialKindName(CredentialKind kind)
{
    switch (kind) {
    case CredentialKind::ClientSecret: return QStringLiteral("Service principal (client secret)");
    case CredentialKind::Certificate: return QStringLiteral("Service principal (certificate)");
    case CredentialKind::DeviceCode: return QStringLiteral("User (device code)");
    case CredentialKind::Interactive: return QStringLiteral("User (browser sign-in)");
    case CredentialKind::UsernamePassword: return QStringLiteral("Master user (user name + password, legacy)");
    }
    return {};
}

QString environmentDefaultColor(Environment environment)
{
    switch (environment) {
    case Environment::Development: return QStringLiteral("#2e7d32"); // green
    case Environment::Test: return QStringLiteral("#b26a00");        // amber
    case Environment::Production: return QStringLiteral("#c62828");  // red: cannot be missed
    case Environment::Custom: return QStringLiteral("#455a64");
    }
    return {};
}

QString secretKindKey(SecretKind kind)
{
    switch (kind) {
    case SecretKind::ClientSecret: return QStringLiteral("client-secret");
    case SecretKind::CertificatePassphrase: return QStringLiteral("certificate-passphrase");
    case SecretKind::Password: return QStringLiteral("password");
    case SecretKind::RefreshToken: return QStringLiteral("refresh-token");
    }
    return {};
}

QList<SecretKind> allSecretKinds()
{
    return {SecretKind::ClientSecret, SecretKind::CertificatePassphrase, SecretKind::Password,
            SecretKind::RefreshToken};
}

QString cloudKey(Cloud::Id id)
{
    switch (id) {
    case Cloud::Id::Public: return QStringLiteral("public");
    case Cloud::Id::UsGov: return QStringLiteral("usgov");
    case Cloud::Id::UsGovHigh: return QStringLiteral("usgovhigh");
    case Cloud::Id::UsGovDoD: return QStringLiteral("usgovdod");
    case Cloud::Id::China: return QStringLiteral("china");
    case Cloud::Id::Custom: return QStringLiteral("custom");
    case Cloud::Id::Sandbox: return QStringLiteral("sandbox");
    }
    return {};
}

std::optional<Cloud::Id> cloudFromKey(const QString& key)
{
    for (auto id : {Cloud::Id::Public, Cloud::Id::UsGov, Cloud::Id::UsGovHigh, Cloud::Id::UsGovDoD,
                    Cloud::Id::China, Cloud::Id::Custom, Cloud::Id::Sandbox})
        if (cloudKey(id) == key)
            return id;
    return std::nullopt;
}

} // namespace pbi
