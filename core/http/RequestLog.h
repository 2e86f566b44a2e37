#pragma once

#include "http/HttpTypes.h"

#include <QDateTime>
#include <QObject>
#include <QString>

#include <deque>
#include <memory>

namespace pbi {

/// One attempt as the request log shows it. Everything here is already redacted, except
/// `unredacted`, which only toCurl(Secrets::Show) ever reads.
struct RequestLogEntry {
    quint64 id = 0;
    quint64 transportId = 0; ///< Transport::send()'s id: every attempt of one request shares it
    QDateTime started;
    QByteArray method;
    QUrl url;
    int status = 0;        ///< 0 when no HTTP answer arrived
    qint64 durationMs = 0;
    QString requestId;
    int retries = 0;        ///< attempts of the same request before this one
    QString note;           ///< what came next: "retrying in 1.2 s", "throttled until …"
    qint64 requestBytes = 0;
    qint64 responseBytes = 0;
    QString error;         ///< empty on an HTTP answer
    HeaderList requestHeaders;
    HeaderList responseHeaders;
    QByteArray requestBody;  ///< redacted, truncated
    QByteArray responseBody; ///< redacted, truncated

    /// The request exactly as sent, for the user who explicitly asks to see secrets.
    struct Unredacted {
        QUrl url;
        HeaderList headers;
        QByteArray body;
    };
    std::shared_ptr<const Unredacted> unredacted;

    enum class Secrets { Redacted, Show };
    /// The request as a cURL command line. Redacted unless the user asks for Secrets::Show
    /// (and the log still holds the original: only the most recent entries keep it).
    QString toCurl(Secrets secrets = Secrets::Redacted) const;
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

    /// Only this many of the newest entries keep their unredacted request (default 50; 0 = none).
    void setSecretRetention(std::size_t count);
    /// Drops every unredacted original, e.g. when the user signs out.
    void forgetSecrets();

Q_SIGNALS:
    void entryAdded(const pbi::RequestLogEntry& entry);

private:
    std::deque<RequestLogEntry> m_entries;
    std::size_t m_capacity;
    std::size_t m_secretRetention = 50;
    quint64 m_lastId = 0;
};

} // namespace pbi
