#pragma once

#include "http/HttpTypes.h"

#include <QDateTime>
#include <QObject>
#include <QString>

#include <deque>

namespace pbi {

/// One request as the request log shows it. Everything here is already redacted.
struct RequestLogEntry {
    quint64 id = 0;
    QDateTime started;
    QByteArray method;
    QUrl url;
    int status = 0;        ///< 0 when no HTTP answer arrived
    qint64 durationMs = 0;
    QString requestId;
    int retries = 0;
    qint64 requestBytes = 0;
    qint64 responseBytes = 0;
    QString error;         ///< empty on an HTTP answer
    HeaderList requestHeaders;
    HeaderList responseHeaders;
    QByteArray requestBody;  ///< redacted, truncated
    QByteArray responseBody; ///< redacted, truncated

    /// The request as a cURL command line. Redacted values stay redacted.
    QString toCurl() const;
};

/// Redaction used by the log and by anything that shows a request: it never lets a secret through.
namespace redact {
inline constexpr char kMask[] = "[redacted]";
HeaderList headers(const HeaderList& headers);
/// Form bodies (client_secret, client_assertion, password, refresh_token, code…) and JSON token fields.
QByteArray body(const QByteArray& body, const QByteArray& contentType);
QUrl url(const QUrl& url);
} // namespace redact

/// The bounded, in-memory record of every request the transport made.
class RequestLog : public QObject {
    Q_OBJECT
public:
    explicit RequestLog(QObject* parent = nullptr, std::size_t capacity = 5000);

    void add(RequestLogEntry entry);
    const std::deque<RequestLogEntry>& entries() const { return m_entries; }
    std::size_t capacity() const { return m_capacity; }

Q_SIGNALS:
    void entryAdded(const pbi::RequestLogEntry& entry);

private:
    std::deque<RequestLogEntry> m_entries;
    std::size_t m_capacity;
    quint64 m_lastId = 0;
};

} // namespace pbi
