#pragma once

#include "auth/ClientCertificate.h"
#include "auth/EntraCredential.h"

namespace pbi {

/// A service principal signing in with a certificate: OAuth2 client credentials with a
/// private_key_jwt client assertion (RS256, x5t header) instead of a secret.
class CertificateCredential final : public EntraCredential {
    Q_OBJECT
public:
    CertificateCredential(Transport* transport, const Clock* clock, Cloud cloud, QString tenant,
                          QString clientId, ClientCertificate certificate,
                          QObject* parent = nullptr);

    QString identityLabel() const override;
    const CertificateInfo& certificateInfo() const { return m_certificate.info(); }

    /// The signed client_assertion for one token request (exposed for the token inspector and
    /// tests): header {alg RS256, typ JWT, x5t}, claims {aud = token endpoint, iss = sub =
    /// client id, jti = new GUID, nbf = iat = now, exp = now + 10 min}.
    QString makeAssertion() const;

protected:
    void acquire() override;

private:
    ClientCertificate m_certificate;
};

} // namespace pbi
