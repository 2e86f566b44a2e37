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
