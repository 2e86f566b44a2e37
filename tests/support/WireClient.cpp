#include "WireClient.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

QByteArray WireReply::header(const QByteArray& name) const
{
    for (const auto& [k, v] : headers)
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

nlohmann::json WireReply::json() const
{
    return nlohmann::json::parse(body.constData(), body.constData() + body.size(), nullptr, false);
}

WireReply wireSend(const QByteArray& method, const QUrl& url,
                   const QList<QPair<QByteArray, QByteArray>>& headers, const QByteArray& body)
{
    QNetworkAccessManager nam;
    QNetworkRequest req(url);
    for (const auto& [k, v] : headers)
        req.setRawHeader(k, v);
    QNetworkReply* reply = nam.sendCustomRequest(req, method, body);
    QSignalSpy spy(reply, &QNetworkReply::finished);
    WireReply out;
    out.finished = reply->isFinished() || spy.wait(15000);
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.headers = reply->rawHeaderPairs();
    out.body = reply->readAll();
    delete reply;
    return out;
}
