#pragma once

#include "auth/Cloud.h"
#include "http/Result.h"
#include "profiles/ConnectionProfile.h"

#include <QString>

#include <memory>

namespace pbi {

class Clock;
class TokenProvider;
class Transport;

/// What a profile's credential needs besides the profile: the secrets read from the store.
struct CredentialSecrets {
    QString secret;       ///< client secret, certificate pass phrase or password, by kind
    QString refreshToken; ///< delegated kinds: one kept from an earlier session
};

/// Builds the token provider a profile describes. `cloud` is the profile's resolved cloud
/// (the sandbox's is only known at run time). Fails with a sentence when the profile cannot
/// sign in as it stands (e.g. a certificate that does not load).
Result<std::shared_ptr<TokenProvider>> createCredential(const ConnectionProfile& profile,
                                                        const Cloud& cloud,
                                                        const CredentialSecrets& secrets,
                                                        Transport* transport, const Clock* clock);

/// The secret kind the user types for this profile's credential kind, if any.
std::optional<SecretKind> typedSecretKind(CredentialKind kind);

} // namespace pbi
