#pragma once

#include "auth/Cloud.h"
#include "auth/TokenProvider.h"
#include "http/HttpTypes.h"

#include <QList>
#include <QPair>
#include <QPointer>

#include <optional>
#include <vector>

namespace pbi {

class Clock;
class Transport;

/// What Entra ID's token endpoint answered: the access token plus what delegated flows keep.
struct TokenAnswer {
    AccessToken accessToken;
    QString refreshToken; ///< empty unless offline_access was asked for and granted
    QString idToken;      ///< empty unless openid was asked for
    QString scope;        ///< the granted scopes, space-separated, when the answer names them
};

/// The machinery every Entra ID credential shares: the token cache, coalescing of concurrent
/// requests into one sign-in, renewal before expiry, token-endpoint calls through the
/// transport, token-answer parsing and Entra error decoding. A subclass only says how to
/// obtain a new token (acquire()) and ends that with complete().
/// The cache lives in the credential, and one credential serves one connection profile, so
/// the cache is per profile.
class EntraCredential : public TokenProvider {
    Q_OBJECT
public:
    using Form = QList<QPair<QString, QString>>;

    EntraCredential(Transport* transport, const Clock* clock, Cloud cloud, QString tenant,
                    QString clientId, QObject* parent = nullptr);

    void requestToken(QObject* context, Callback callback) final;
    void invalidate() override;
    /// Abandons a sign-in in progress: every waiting caller gets a Cancelled error.
    void cancel();
    bool isSigningIn() const { return m_inFlight; }

    const Cloud& cloud() const { return m_cloud; }
    const QString& tenant() const { return m_tenant; }
    const QString& clientId() const { return m_clientId; }

    static QByteArray formEncode(const Form& fields);
    /// Reads a successful token answer; `sentAt` anchors expires_in (the answer's own clock
    /// is not trusted). A missing or mistyped field is a Parse error naming it.
    static Result<TokenAnswer> parseTokenAnswer(const HttpResponse& response,
                                                const QDateTime& sentAt);

protected:
    /// Starts obtaining a new token; called only when none is cached and none is in flight.
    /// Must end, sooner or later, in exactly one complete() (cancel() ends it too).
    virtual void acquire() = 0;
    /// Stops whatever acquire() left running (timers, listeners); called by cancel().
    virtual void abortAcquire() {}

    /// Ends the sign-in: caches a token on success and delivers the result to every waiter.
    void complete(const Result<TokenAnswer>& answer);
    /// POSTs a form to `url` (the token endpoint unless said otherwise); the callback gets the
    /// raw answer, or the transport's error. Dropped after cancel().
    void postForm(const QUrl& url, const Form& form,
                  std::function<void(Result<HttpResponse>, QDateTime sentAt)> callback);
    /// POSTs a token request and decodes the answer: a TokenAnswer, or Entra's error decoded
    /// (ErrorKind::Auth with error / AADSTS code / trace id / hint), or a Parse error.
    void postTokenRequest(const Form& form, std::function<void(Result<TokenAnswer>)> callback);

    Transport* transport() const { return m_transport; }
    const Clock* clock() const { return m_clock; }

private:
    void deliverAll(const Result<AccessToken>& result);

    Transport* m_transport;
    const Clock* m_clock;
    Cloud m_cloud;
    QString m_tenant;
    QString m_clientId;
    std::optional<AccessToken> m_cached;
    QDateTime m_renewAt; ///< when the cached token stops being handed out
    std::vector<std::pair<QPointer<QObject>, Callback>> m_waiting;
    bool m_inFlight = false;
    quint64 m_generation = 0; ///< bumped by cancel() so that late answers are dropped
    quint64 m_lastRequest = 0;
};

} // namespace pbi
