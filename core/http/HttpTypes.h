#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

#include <chrono>

namespace pbi {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

/// One request as the core sends it; the transport adds nothing but transport headers.
struct HttpRequest {
    QByteArray method = "GET";
    QUrl url;
    HeaderList headers;
    QByteArray body;
    std::chrono::milliseconds timeout{30000};

    void setHeader(const QByteArray& name, const QByteArray& value);
};

/// Any HTTP answer, success or not: deciding what a status means is the caller's job.
struct HttpResponse {
    int status = 0;
    HeaderList headers;
    QByteArray body;
    QUrl url;

    /// Case-insensitive header lookup; empty when absent.
    QByteArray header(const QByteArray& name) const;
    /// The service's request id: RequestId, else x-ms-request-id, else client-request-id.
    QString requestId() const;
    bool isSuccess() const { return status >= 200 && status < 300; }
};

} // namespace pbi
