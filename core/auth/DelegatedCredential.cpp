#include "auth/DelegatedCredential.h"

#include "Logging.h"
#include "auth/JwtInspector.h"

namespace pbi {

DelegatedCredential::DelegatedCredential(Transport* transport, const Clock* clock, Cloud cloud,
                                         QString tenant, QString clientId, QString refreshToken,
                                         QObject* parent)
    : EntraCredential(transport, clock, std::move(cloud), std::move(tenant), std::move(clientId),
                      parent)
    , m_refreshToken(std::move(refreshToken)) {}

QString DelegatedCredential::scope() const {
    return cloud().defaultScope() + QStringLiteral(" offline_access openid profile");
}

void DelegatedCredential::setRefreshToken(const QString& token) {
    if (token == m_refreshToken)
        return;
    m_refreshToken = token;
    Q_EMIT refreshTokenChanged(m_refreshToken);
}

void DelegatedCredential::signOut() {
    cancel();
    invalidate();
    m_userName.clear();
    setRefreshToken(QString());
}

void DelegatedCredential::acquire() {
    if (m_refreshToken.isEmpty()) {
        signIn();
        return;
    }
    postTokenRequest({qMakePair(QStringLiteral("client_id"), clientId()),
                      qMakePair(QStringLiteral("grant_type"), QStringLiteral("refresh_token")),
                      qMakePair(QStringLiteral("refresh_token"), m_refreshToken),
                      qMakePair(QStringLiteral("scope"), scope())},
                     [this](Result<TokenAnswer> r) {
                         // invalid_grant: the refresh token expired or was revoked (AADSTS70008,
                         // 700082, 50173…); interaction_required: MFA or Conditional Access wants
                         // the user. Both mean "ask the user again". Anything else (network,
                         // throttling, a bad client id) is reported, and the token is kept.
                         if (!r && r.error().kind == ErrorKind::Auth &&
                             (r.error().code == QLatin1String("invalid_grant") ||
                              r.error().code == QLatin1String("interaction_required"))) {
                             qCInfo(lcPbiAuth) << "refresh token refused (" << r.error().detailCode
                                               << "); signing in again";
                             setRefreshToken(QString());
                             signIn();
                             return;
                         }
                         completeSignIn(r);
                     });
}

void DelegatedCredential::completeSignIn(const Result<TokenAnswer>& answer) {
    if (answer) {
        // Entra rotates refresh tokens; an answer without one keeps the old one valid.
        if (!answer.value().refreshToken.isEmpty())
            setRefreshToken(answer.value().refreshToken);
        const auto decoded =
            JwtInspector::decode(answer.value().idToken.isEmpty() ? answer.value().accessToken.value
                                                                  : answer.value().idToken);
        if (decoded) {
            for (const char* name : {"upn", "preferred_username", "unique_name", "name"}) {
                const QString v = decoded.value().claimText(QString::fromLatin1(name));
                if (!v.isEmpty()) {
                    m_userName = v;
                    break;
                }
            }
        }
    }
    complete(answer);
}

} // namespace pbi
