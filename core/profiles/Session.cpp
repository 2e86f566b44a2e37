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
    auto credential = createCredential(effective, cloud, effectiveSecrets, session->transport.get(), clock);
    if (!credential)
        return credential.error();
    session->credential = credential.value();
    session->client = std::make_unique<PowerBiClient>(session->transport.get(),
                                                      session->credential.get(), cloud);
    return session;
}

} // namespace pbi
