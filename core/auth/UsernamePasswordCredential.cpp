#include "auth/UsernamePasswordCredential.h"

namespace pbi {

UsernamePasswordCredential::UsernamePasswordCredential(Transport* transport, const Clock* clock,
                                                       Cloud cloud, QString tenant,
                                                       QString clientId, QString userName,
                                                       QString password, QString refreshToken,
                                                       QObject* parent)
    : DelegatedCredential(transport, clock, std::move(cloud), std::move(tenant),
                          std::move(clientId), std::move(refreshToken), parent)
    , m_user(std::move(userName))
    , m_password(std::move(password)) {}

QString UsernamePasswordCredential::identityLabel() const {
    return QStringLiteral("user %1 (username/password — legacy master user)").arg(m_user);
}

void UsernamePasswordCredential::signIn() {
    postTokenRequest({qMakePair(QStringLiteral("client_id"), clientId()),
                      qMakePair(QStringLiteral("grant_type"), QStringLiteral("password")),
                      qMakePair(QStringLiteral("username"), m_user),
                      qMakePair(QStringLiteral("password"), m_password),
                      qMakePair(QStringLiteral("scope"), scope())},
                     [this](Result<TokenAnswer> r) { completeSignIn(r); });
}

} // namespace pbi
