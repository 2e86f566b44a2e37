#include "ExitCodes.h"

#include "http/Error.h"

namespace pbi::cli {

ExitCode exitCodeFor(const pbi::Error& e)
{
    switch (e.kind) {
    case ErrorKind::Auth:
    case ErrorKind::Keychain: return ExitAuth;
    case ErrorKind::Throttled: return ExitThrottled;
    case ErrorKind::Network:
    case ErrorKind::Timeout: return ExitNetwork;
    case ErrorKind::Refused: return ExitUsage;
    case ErrorKind::Cancelled:
    case ErrorKind::Parse: return ExitFailure;
    case ErrorKind::Http:
    case ErrorKind::Service:
        if (e.httpStatus == 401 || e.httpStatus == 403)
            return ExitPermission;
        if (e.httpStatus == 404)
            return ExitNotFound;
        return ExitFailure;
    }
    return ExitFailure;
}

} // namespace pbi::cli
