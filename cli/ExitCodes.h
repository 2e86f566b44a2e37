#pragma once

namespace pbi {
struct Error;
}

namespace pbi::cli {

/// pbictl's exit codes, documented in `pbictl --help` and the README. Scripts branch on them.
enum ExitCode : int {
    ExitOk = 0,
    ExitFailure = 1,    ///< anything not below: service error, unreadable answer
    ExitUsage = 2,      ///< wrong command line, unknown connection
    ExitAuth = 3,       ///< could not sign in: wrong secret, expired token, no keychain entry
    ExitPermission = 4, ///< signed in, but the identity may not do this (401/403)
    ExitNotFound = 5,   ///< the item does not exist or is not visible to the identity
    ExitThrottled = 6,  ///< the service throttled the calls (429)
    ExitNetwork = 7,    ///< no answer: network down, timeout, TLS
};

ExitCode exitCodeFor(const pbi::Error& error);

} // namespace pbi::cli
