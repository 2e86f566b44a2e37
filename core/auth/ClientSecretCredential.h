#pragma once

#include "auth/EntraCredential.h"

namespace pbi {

/// A service principal signing in with a client secret (OAuth2 client credentials).
class ClientSecretCredential final : public EntraCredential {
    Q_OBJECT
public:
    ClientSecretCredential(Transport* transport, const Clock* clock, Cloud cloud, QString tenant,
                           QString clientId, QString clientSecret, QObject* parent = nullptr);

    QString identityLabel() const override;

protected:
    void acquire() override;

private:
    QString m_clientSecret;
};

} // namespace pbi
