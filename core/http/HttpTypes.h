#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QUrl>

#include <chrono>

namespace pbi {

class TokenProvider;

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

/// One request as the core sends it; the transport adds nothing but transport headers.
struct HttpRequest {
    QByteArray method = "GET";
    QUrl url;
    HeaderList headers;
    QByteArray body;
    /// Per attempt: no byte for this long and the attempt fails as a timeout.
    std::chrono::milliseconds timeout{30000};
    /// When set, the transport asks it for a token before every attempt and sends
    /// "Authorization: Bearer …"; on Power BI's 403 TokenExpired it renews once and resends.
    TokenProvider* bearer = nullptr;
    /// A POST or PATCH that may be sent twice without harm (e.g. a client-credentials token
    /// request). GET, HEAD, PUT, DELETE and OPTIONS are retried anyway.
    bool safeToRetry = false;

    bool isIdempotent() const;
    void setHeader(const QByteArray& name, const QByteArray& value);
};

/// Any HTTP answer, success or not: deciding what a status means is the caller's job.
struct HttpResponse {
    int status = 0;
    HeaderList headers;
    QByteArray body;
    QUrl url;
    QDateTime receivedAt; ///< by the transport's clock: what Retry-After counts from
    int retries = 0;      ///< attempts before the one that produced this answer

    /// Case-insensitive header lookup; empty when absent.
    QByteArray header(const QByteArray& name) const;
    /// The service's request id: RequestId, else x-ms-request-id, else client-request-id.
    QString requestId() const;
    bool isSuccess() const { return status >= 200 && status < 300; }
    /// When Retry-After (seconds or an HTTP date) says to try again; invalid when absent.
    QDateTime retryAt() const;
};

} // namespace pbi
