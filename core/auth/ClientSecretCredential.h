#pragma once

#include "auth/Cloud.h"
#include "auth/TokenProvider.h"

#include <QPointer>
#include <vector>

namespace pbi {

class Clock;
class Transport;

/// A service principal signing in with a client secret (OAuth2 client credentials).
class ClientSecretCredential final : public TokenProvider {
    Q_OBJECT
public:
    ClientSecretCredential(Transport* transport, const Clock* clock, Cloud cloud, QString tenant,
                           QString clientId, QString clientSecret, QObject* parent = nullptr);

    void requestToken(QObject* context, Callback callback) override;
    void invalidate() override;
    QString identityLabel() const override;

private:
    void deliverAll(const Result<AccessToken>& result);

    Transport* m_transport;
    const Clock* m_clock;
    Cloud m_cloud;
    QString m_tenant;
    QString m_clientId;
    QString m_clientSecret;
    std::optional<AccessToken> m_cached;
    QDateTime m_renewAt; ///< when the cached token stops being handed out
    std::vector<std::pair<QPointer<QObject>, Callback>> m_waiting;
    bool m_inFlight = false;
};

} // namespace pbi
