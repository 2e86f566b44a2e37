#include "http/HttpTypes.h"

namespace pbi {

void HttpRequest::setHeader(const QByteArray& name, const QByteArray& value)
{
    for (auto& h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            h.second = value;
            return;
        }
    }
    headers.append({name, value});
}

bool HttpRequest::isIdempotent() const
{
    const QByteArray m = method.toUpper();
    return m == "GET" || m == "HEAD" || m == "PUT" || m == "DELETE" || m == "OPTIONS";
}

QByteArray HttpResponse::header(const QByteArray& name) const
{
    for (const auto& h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QString HttpResponse::requestId() const
{
    for (const char* name : {"RequestId", "x-ms-request-id", "client-request-id"}) {
        const QByteArray v = header(name);
        if (!v.isEmpty())
            return QString::fromLatin1(v);
    }
    return {};
}

} // namespace pbi

namespace pbi {

QDateTime HttpResponse::retryAt() const
{
    const QByteArray value = header("Retry-After").trimmed();
    if (value.isEmpty())
        return {};
    const QDateTime base = receivedAt.isValid() ? receivedAt : QDateTime::currentDateTimeUtc();
    bool ok = false;
    const qint64 seconds = value.toLongLong(&ok);
    if (ok)
        return seconds >= 0 ? base.addSecs(seconds) : QDateTime();
    // RFC 9110 also allows an HTTP date: "Wed, 21 Oct 2015 07:28:00 GMT".
    // Qt's RFC 2822 parser wants a numeric zone; HTTP dates always say "GMT".
    QString text = QString::fromLatin1(value);
    if (text.endsWith(QLatin1String(" GMT")) || text.endsWith(QLatin1String(" UTC")))
        text = text.left(text.size() - 4) + QLatin1String(" +0000");
    QDateTime date = QDateTime::fromString(text, Qt::RFC2822Date);
    if (!date.isValid())
        return {};
    return date < base ? base : date.toUTC();
}

} // namespace pbi
