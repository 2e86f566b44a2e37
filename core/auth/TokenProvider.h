#pragma once

#include "http/Result.h"

#include <QDateTime>
#include <QObject>
#include <QString>

#include <functional>

namespace pbi {

/// A bearer token and when it stops being valid.
struct AccessToken {
    QString value;
    QDateTime expiresAt;
};

/// Something that can produce an access token for the Power BI API.
/// Implementations cache, renew before expiry and coalesce concurrent requests.
class TokenProvider : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(Result<AccessToken>)>;

    using QObject::QObject;

    /// Delivers a valid token (cached or new) on the caller's thread, never synchronously.
    virtual void requestToken(QObject* context, Callback callback) = 0;
    /// Forgets the cached token, e.g. after the service said it expired.
    virtual void invalidate() = 0;
    /// A short label for the identity, e.g. "app 1b2c… (client secret)".
    virtual QString identityLabel() const = 0;
};

} // namespace pbi
