#include "profiles/Session.h"

#include "api/PowerBiClient.h"
#include "auth/TokenProvider.h"
#include "http/Transport.h"

namespace pbi {

Session::Session() = default;

Session::~Session()
{
    client.reset();
    credential.reset();
    transport.reset();
}

Result<std::shared_ptr<Session>> openSession(const ConnectionProfile& p,
                                             const CredentialSecrets& secrets,
                                             std::unique_ptr<Transport> transport,
                                             const Clock* clock,
                                             const std::optional<SandboxEndpoint>& sandbox)
{
    auto session = std::make_shared<Session>();
    session->transport = std::move(transport);
    Cloud cloud;
    ConnectionProfile effective = p;
    CredentialSecrets effectiveSecrets = secrets;
    if (p.builtIn) {
        if (!sandbox) {
            Error e;
            e.kind = ErrorKind::Network;
            e.sentence = QStringLiteral("The sandbox tenant is not running.");
            return e;
        }
        cloud = Cloud::sandbox(sandbox->base);
        effective.tenant = sandbox->tenant;
        effective.clientId = sandbox->clientId;
        effective.credentialKind = CredentialKind::ClientSecret;
        effectiveSecrets.secret = sandbox->clientSecret;
    } else if (auto resolved = p.resolveCloud()) {
        cloud = *resolved;
    } else {
        Error e;
        e.kind = ErrorKind::Refused;
        e.sentence = QStringLiteral("The custom cloud of \"%1\" is incomplete: set its authority, "
                                    "API base and resource.").arg(p.displayName);
        return e;
    }
    // A custom cloud may sit behind a private CA (the https sandbox, a company CA): its
    // certificates are trusted besides the system's, for this session's requests only.
    if (!p.builtIn && p.cloud == Cloud::Id::Custom && !p.caCertificatePath.trimmed().isEmpty()) {
        QString why;
        const auto authorities = Transport::readCaCertificates(p.caCertificatePath.trimmed(), &why);
        if (authorities.isEmpty()) {
            Error e;
            e.kind = ErrorKind::Refused;
            e.sentence = QStringLiteral("The CA certificate file of \"%1\" cannot be used: %2")
                             .arg(p.displayName, why);
            e.hint = QStringLiteral(
                "Choose the CA's PEM certificate file again in the connection "
                "settings (the https sandbox writes a new one each time it starts).");
            return e;
        }
        session->transport->setExtraCaCertificates(authorities);
    }
    auto credential = createCredential(effective, cloud, effectiveSecrets, session->transport.get(), clock);
    if (!credential)
        return credential.error();
    session->credential = credential.value();
    session->client = std::make_unique<PowerBiClient>(session->transport.get(),
                                                      session->credential.get(), cloud);
    return session;
}

} // namespace pbi
