#pragma once

#include "http/Result.h"
#include "profiles/ConnectionProfile.h"
#include "profiles/CredentialFactory.h"

#include <QUrl>

#include <memory>
#include <optional>

namespace pbi {

class Clock;
class PowerBiClient;
class TokenProvider;
class Transport;

/// Where the built-in sandbox tenant runs and how its demo app signs in. The composition
/// root starts the sandbox; nothing in the core links it.
struct SandboxEndpoint {
    QUrl base;
    QString tenant;
    QString clientId;
    QString clientSecret;
    QString domain;
};

/// One live connection: its transport, credential and client. Destroyed in reverse order of
/// construction, so no reply outlives what it calls back into.
struct Session {
    std::unique_ptr<Transport> transport;
    std::shared_ptr<TokenProvider> credential;
    std::unique_ptr<PowerBiClient> client;

    Session();
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
};

/// Opens a session for `profile`: the sandbox profile needs `sandbox`; others sign in with
/// `secrets` (read from the store or typed). Fails with a sentence when the profile cannot sign
/// in as it stands (incomplete custom cloud, missing secret, unreadable certificate…).
Result<std::shared_ptr<Session>> openSession(const ConnectionProfile& profile,
                                             const CredentialSecrets& secrets,
                                             std::unique_ptr<Transport> transport,
                                             const Clock* clock,
                                             const std::optional<SandboxEndpoint>& sandbox);

} // namespace pbi
