#include "auth/ClientSecretCredential.h"

namespace pbi {

ClientSecretCredential::ClientSecretCredential(Transport* transport, const Clock* clock,
                                               Cloud cloud, QString tenant, QString clientId,
                                               QString clientSecret, QObject* parent)
    : EntraCredential(transport, clock, std::move(cloud), std::move(tenant), std::move(clientId),
                      parent)
    , m_clientSecret(std::move(clientSecret)) {}

QString ClientSecretCredential::identityLabel() const {
    return QStringLiteral("service principal %1 (client secret)").arg(clientId());
}

void ClientSecretCredential::acquire() {
    postTokenRequest(
        {qMakePair(QStringLiteral("client_id"), clientId()),
         qMakePair(QStringLiteral("scope"), cloud().defaultScope()),
         qMakePair(QStringLiteral("client_secret"), m_clientSecret),
         qMakePair(QStringLiteral("grant_type"), QStringLiteral("client_credentials"))},
        [this](Result<TokenAnswer> r) { complete(r); });
}

} // namespace pbi
