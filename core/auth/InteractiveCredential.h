#pragma once

#include "auth/DelegatedCredential.h"

#include <chrono>

class QTimer;

namespace pbi {

class LoopbackReceiver;

/// A user signing in in their browser: OAuth2 authorization code with PKCE (S256, RFC 7636)
/// and a loopback redirect (RFC 8252). The core never opens a browser: it emits
/// authorizationUrlReady() and the UI opens the address.
///
/// Written on the core's Transport with a small QTcpServer listener rather than on
/// QtNetworkAuth 6.4's QOAuth2AuthorizationCodeFlow: that class sends the code exchange
/// through its own QNetworkAccessManager (bypassing the request log, its redaction and the
/// http:// refusal), parses the token answer itself (so refresh tokens, Entra error decoding
/// and the shared cache would be written twice), and has no PKCE before Qt 6.8.
class InteractiveCredential final : public DelegatedCredential {
    Q_OBJECT
public:
    InteractiveCredential(Transport* transport, const Clock* clock, Cloud cloud, QString tenant,
                          QString clientId, QString refreshToken = {}, QObject* parent = nullptr);
    ~InteractiveCredential() override;

    QString identityLabel() const override;
    /// Pre-fills the account on the sign-in page (login_hint); optional.
    void setLoginHint(const QString& hint) { m_loginHint = hint; }
    /// How long to wait for the browser before giving up; 5 minutes by default.
    void setSignInTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    /// RFC 7636: BASE64URL(SHA256(ASCII(verifier))).
    static QString codeChallenge(const QString& verifier);

Q_SIGNALS:
    /// Open this address in the user's browser; the core is listening for the redirect.
    void authorizationUrlReady(const QUrl& url);

protected:
    void signIn() override;
    void abortAcquire() override;

private:
    void onRedirect(const QUrlQuery& query);
    void fail(Error error);

    LoopbackReceiver* m_receiver;
    QTimer* m_timeoutTimer;
    std::chrono::milliseconds m_timeout{std::chrono::minutes(5)};
    QString m_loginHint;
    QString m_verifier;
    QString m_state;
    QUrl m_redirectUri;
};

} // namespace pbi
