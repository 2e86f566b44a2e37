#pragma once

#include <QDateTime>
#include <QString>
#include <QUrl>

namespace pbi {

/// What went wrong, in the categories a user acts on differently.
enum class ErrorKind {
    Network,   ///< no answer: refused, reset, DNS, TLS
    Timeout,   ///< no answer in time
    Http,      ///< an HTTP error status without a service error body
    Service,   ///< the Power BI service refused, with its own code
    Auth,      ///< Entra ID refused to issue a token, or the service refused the token
    Parse,     ///< the answer could not be read (malformed JSON, missing or mistyped field)
    Cancelled, ///< the caller cancelled
    Throttled, ///< 429/503 with Retry-After
    Refused,   ///< the client refused to send (e.g. http:// to a non-loopback host)
    Keychain,  ///< the OS keychain is missing, locked or refused
};

/// The one error type of the core: every failed call ends in exactly one of these.
struct Error {
    ErrorKind kind = ErrorKind::Network;
    int httpStatus = 0;       ///< 0 when no HTTP answer arrived
    QString code;             ///< the service's or Entra's code: "invalid_client", "PowerBIEntityNotFound"…
    QString detailCode;       ///< a finer code where the service gives one: "AADSTS7000215", X-PowerBI-Error-Info…
    QString message;          ///< the service's own message, verbatim (already free of secrets)
    QString requestId;        ///< RequestId / x-ms-request-id / Entra trace id
    QUrl url;                 ///< the request, without query secrets
    QString sentence;         ///< one human sentence: what happened
    QString hint;             ///< the likely cause and fix, where known; may be empty
    QDateTime retryAt;        ///< Throttled: when the service said to try again (UTC)

    /// "sentence — code (detail) · request id" for a status line or stderr.
    QString summary() const;
    /// The sentence, the codes, the request id and the hint, one per line.
    QString details() const;
};

QString errorKindName(ErrorKind kind);

} // namespace pbi
