#pragma once

#include "auth/Cloud.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace pbi {

/// How a profile signs in.
enum class CredentialKind {
    ClientSecret,     ///< service principal with a client secret
    Certificate,      ///< service principal with a certificate (PEM or PKCS#12)
    DeviceCode,       ///< a person, with a code typed on another device
    Interactive,      ///< a person, in the browser (authorization code + PKCE)
    UsernamePassword, ///< legacy master-user pattern (no MFA possible)
};

/// The environment a profile points at; decides its colour and whether changes need a confirmation.
enum class Environment { Development, Test, Production, Custom };

/// Member scope lists what the identity belongs to; admin scope uses the tenant-wide admin APIs.
enum class ApiScope { Member, Admin };

/// The kinds of secret a profile may own in the keychain.
enum class SecretKind { ClientSecret, CertificatePassphrase, Password, RefreshToken };

/// Every kind, for clean-ups that must not miss one.
QList<SecretKind> allSecretKinds();

/// One saved connection. Holds no secret: those live in the SecretStore under the profile's id.
struct ConnectionProfile {
    QString id; ///< stable across renames: keychain entries hang off it
    QString displayName;
    Environment environment = Environment::Development;
    QString customEnvironmentName; ///< with Environment::Custom
    QString color;                 ///< "#rrggbb"; empty: the environment's default
    Cloud::Id cloud = Cloud::Id::Public;
    QString customAuthority;       ///< with Cloud::Id::Custom
    QString customApiBase;
    QString customResource;
    /// With Cloud::Id::Custom, optional: a PEM file of certificate authorities to trust besides
    /// the system's, e.g. the https sandbox's --tls-generate-ca file or a company CA.
    QString caCertificatePath;
    QString tenant;                ///< GUID or verified domain
    QString clientId;
    CredentialKind credentialKind = CredentialKind::ClientSecret;
    QString certificatePath;
    QString certificateThumbprint; ///< read from the file when it was chosen, for display
    QDateTime certificateExpiry;
    QString userName;              ///< delegated kinds
    ApiScope scope = ApiScope::Member;
    QString notes;
    bool builtIn = false;          ///< the sandbox profile: not stored, not editable

    /// The secret kinds this profile's credential kind needs or may hold.
    QList<SecretKind> secretKinds() const;
    /// True for kinds that need a secret typed by the user (secret, pass phrase, password).
    bool needsTypedSecret() const;
    QString environmentName() const;
    /// The colour to paint the band with: the explicit one or the environment's default.
    QString effectiveColor() const;
    /// The cloud this profile signs in to (Custom built from the custom fields).
    std::optional<Cloud> resolveCloud() const;

    static QString newId();
};

QString credentialKindName(CredentialKind kind);
QString environmentDefaultColor(Environment environment);
QString secretKindKey(SecretKind kind);
QString cloudKey(Cloud::Id id);
std::optional<Cloud::Id> cloudFromKey(const QString& key);

} // namespace pbi
