#pragma once

#include "auth/EntraCredential.h"

namespace pbi {

/// A user's sign-in (device code, browser, password): keeps the refresh token and renews with
/// it before asking the user again. The refresh token never leaves this object except through
/// refreshTokenChanged(), which the composition root wires to the secret store; it is never
/// logged (the request log masks the refresh_token form and JSON fields).
class DelegatedCredential : public EntraCredential {
    Q_OBJECT
public:
    /// `refreshToken`: one kept from an earlier session (from the secret store), or empty.
    DelegatedCredential(Transport* transport, const Clock* clock, Cloud cloud, QString tenant,
                        QString clientId, QString refreshToken, QObject* parent = nullptr);

    bool hasRefreshToken() const { return !m_refreshToken.isEmpty(); }
    /// Forgets the access and refresh tokens; emits refreshTokenChanged("") if one was kept.
    void signOut();
    /// "{resource}/.default offline_access openid profile": everything the app registration
    /// was consented for, plus a refresh token and the user's name.
    QString scope() const;
    /// The signed-in user as the last token names them (upn / preferred_username / name), for
    /// display only: the token is not verified, so nothing is decided from it.
    QString userName() const { return m_userName; }

Q_SIGNALS:
    /// A new refresh token arrived (store it), or the old one is gone (empty: delete it).
    void refreshTokenChanged(const QString& refreshToken);

protected:
    void acquire() final;
    /// Asks the user to sign in (again); ends in completeSignIn().
    virtual void signIn() = 0;
    /// Completes the sign-in and keeps the refresh token the answer carries.
    void completeSignIn(const Result<TokenAnswer>& answer);

private:
    void setRefreshToken(const QString& token);

    QString m_refreshToken;
    QString m_userName;
};

} // namespace pbi
