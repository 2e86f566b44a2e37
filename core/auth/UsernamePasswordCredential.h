#pragma once

#include "auth/DelegatedCredential.h"

namespace pbi {

/// The legacy "master user" pattern: a user's name and password sent to the token endpoint
/// (ROPC, grant_type=password). Kept for embedding set-ups that still use it; it cannot pass
/// MFA or Conditional Access, and Microsoft recommends against it — identityLabel() says so.
class UsernamePasswordCredential final : public DelegatedCredential {
    Q_OBJECT
public:
    UsernamePasswordCredential(Transport* transport, const Clock* clock, Cloud cloud,
                               QString tenant, QString clientId, QString userName, QString password,
                               QString refreshToken = {}, QObject* parent = nullptr);

    QString identityLabel() const override;

protected:
    void signIn() override;

private:
    QString m_user;
    QString m_password;
};

} // namespace pbi
