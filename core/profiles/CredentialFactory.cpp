#include "profiles/CredentialFactory.h"

#include "auth/CertificateCredential.h"
#include "auth/ClientSecretCredential.h"
#include "auth/DeviceCodeCredential.h"
#include "auth/InteractiveCredential.h"
#include "auth/UsernamePasswordCredential.h"

namespace pbi {

std::optional<SecretKind> typedSecretKind(CredentialKind kind)
{
    switch (kind) {
    case CredentialKind::ClientSecret: return SecretKind::ClientSecret;
    case CredentialKind::Certificate: return SecretKind::CertificatePassphrase;
    case CredentialKind::UsernamePassword: return SecretKind::Password;
    case CredentialKind::DeviceCode:
    case CredentialKind::Interactive: return std::nullopt;
    }
    return std::nullopt;
}

Result<std::shared_ptr<TokenProvider>> createCredential(const ConnectionProfile& p,
                                                        const Cloud& cloud,
                                                        const CredentialSecrets& secrets,
                                                        Transport* transport, const Clock* clock)
{
    auto refuse = [](const QString& sentence) {
        Error e;
        e.kind = ErrorKind::Auth;
        e.sentence = sentence;
        return e;
    };
    const QString tenant = p.tenant.trimmed();
    const QString clientId = p.clientId.trimmed();
    switch (p.credentialKind) {
    case CredentialKind::ClientSecret:
        if (secrets.secret.isEmpty())
            return refuse(QStringLiteral("No client secret is stored for \"%1\": type it in the connection settings.").arg(p.displayName));
        return std::shared_ptr<TokenProvider>(std::make_shared<ClientSecretCredential>(
            transport, clock, cloud, tenant, clientId, secrets.secret));
    case CredentialKind::Certificate: {
        auto certificate = ClientCertificate::load(p.certificatePath, secrets.secret);
        if (!certificate)
            return certificate.error();
        return std::shared_ptr<TokenProvider>(std::make_shared<CertificateCredential>(
            transport, clock, cloud, tenant, clientId, std::move(certificate).value()));
    }
    case CredentialKind::DeviceCode:
        return std::shared_ptr<TokenProvider>(std::make_shared<DeviceCodeCredential>(
            transport, clock, cloud, tenant, clientId, secrets.refreshToken));
    case CredentialKind::UsernamePassword:
        if (secrets.secret.isEmpty())
            return refuse(QStringLiteral("No password is stored for \"%1\": type it in the connection settings.").arg(p.displayName));
        return std::shared_ptr<TokenProvider>(std::make_shared<UsernamePasswordCredential>(
            transport, clock, cloud, tenant, clientId, p.userName.trimmed(), secrets.secret,
            secrets.refreshToken));
    case CredentialKind::Interactive: {
        auto credential = std::make_shared<InteractiveCredential>(transport, clock, cloud, tenant,
                                                                  clientId, secrets.refreshToken);
        if (!p.userName.trimmed().isEmpty())
            credential->setLoginHint(p.userName.trimmed());
        return std::shared_ptr<TokenProvider>(credential);
    }
    }
    return refuse(QStringLiteral("Unknown sign-in kind."));
}

} // namespace pbi
