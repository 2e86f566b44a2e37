#include "http/Transport.h"

#include "Clock.h"
#include "Logging.h"
#include "http/RequestLog.h"

#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace pbi {

Transport::Transport(QNetworkAccessManager* network, const Clock* clock, RequestLog* log,
                     QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_clock(clock)
    , m_log(log)
{
}

Transport::~Transport()
{
    // Replies belong to the network manager; make sure none calls back into a dead transport.
    for (auto& [id, p] : m_pending) {
        if (p.reply) {
            p.reply->disconnect(this);
            p.reply->abort();
            p.reply->deleteLater();
        }
    }
}

bool Transport::isAllowedUrl(const QUrl& url, QString* why)
{
    if (!url.isValid() || url.host().isEmpty()) {
        if (why)
            *why = QStringLiteral("The address \"%1\" is not a valid URL.")
                       .arg(url.toDisplayString());
        return false;
    }
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("https"))
        return true;
    if (scheme == QLatin1String("http")) {
        const QString host = url.host();
        const QHostAddress address(host);
        if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 ||
            (!address.isNull() && address.isLoopback()))
            return true;
        if (why)
            *why = QStringLiteral("Refusing to send a request over plain http:// to %1: "
                                  "only loopback hosts may use http, everything else needs https.")
                       .arg(host);
        return false;
    }
    if (why)
        *why = QStringLiteral("Unsupported URL scheme \"%1\".").arg(scheme);
    return false;
}

void Transport::failLater(HttpRequest request, QObject* context, Callback callback, Error error)
{
    error.url = redact::url(request.url);
    QPointer<QObject> guard(context);
    // Never call back synchronously from send().
    QTimer::singleShot(0, this, [guard, callback = std::move(callback), error]() {
        if (guard)
            callback(error);
    });
}

quint64 Transport::send(HttpRequest request, QObject* context, Callback callback)
{
    const quint64 id = m_nextId++;
    QString why;
    if (!isAllowedUrl(request.url, &why)) {
        Error e;
        e.kind = ErrorKind::Refused;
        e.sentence = why;
        qCWarning(lcPbiHttp) << "refused:" << why;
        failLater(std::move(request), context, std::move(callback), std::move(e));
        return id;
    }

    QNetworkRequest nr(request.url);
    for (const auto& [name, value] : request.headers)
        nr.setRawHeader(name, value);
    nr.setTransferTimeout(int(request.timeout.count()));
    nr.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                    QNetworkRequest::NoLessSafeRedirectPolicy);
    nr.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);

    QNetworkReply* reply = m_network->sendCustomRequest(nr, request.method, request.body);
    Pending p;
    p.request = std::move(request);
    p.context = context;
    p.callback = std::move(callback);
    p.reply = reply;
    p.started = m_clock->now();
    m_pending.emplace(id, std::move(p));
    connect(reply, &QNetworkReply::finished, this, [this, id]() { finish(id); });
    return id;
}

void Transport::cancel(quint64 id)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    it->second.cancelled = true;
    if (it->second.reply)
        it->second.reply->abort(); // emits finished() → finish() reports Cancelled
}

void Transport::cancelAll()
{
    std::vector<quint64> ids;
    for (const auto& [id, p] : m_pending)
        ids.push_back(id);
    for (quint64 id : ids)
        cancel(id);
}

void Transport::record(const Pending& p, int status, const HeaderList& responseHeaders,
                       const QByteArray& responseBody, const QString& error)
{
    if (!m_log)
        return;
    RequestLogEntry e;
    e.started = p.started;
    e.method = p.request.method;
    e.url = redact::url(p.request.url);
    e.status = status;
    e.durationMs = p.started.msecsTo(m_clock->now());
    e.requestBytes = p.request.body.size();
    e.responseBytes = responseBody.size();
    e.error = error;
    e.requestHeaders = redact::headers(p.request.headers);
    e.responseHeaders = redact::headers(responseHeaders);
    QByteArray requestType;
    for (const auto& [n, v] : p.request.headers)
        if (n.compare("content-type", Qt::CaseInsensitive) == 0)
            requestType = v;
    e.requestBody = redact::body(p.request.body, requestType);
    HttpResponse probe;
    probe.headers = responseHeaders;
    e.requestId = probe.requestId();
    e.responseBody = redact::body(responseBody, probe.header("content-type"));
    m_log->add(std::move(e));
}

void Transport::finish(quint64 id)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    Pending p = std::move(it->second);
    m_pending.erase(it);
    QNetworkReply* reply = p.reply;
    reply->deleteLater();

    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QByteArray body = reply->readAll();
    HeaderList headers;
    for (const auto& pair : reply->rawHeaderPairs())
        headers.append(pair);

    auto deliver = [&](Result<HttpResponse> result) {
        if (p.context)
            p.callback(std::move(result));
    };

    if (p.cancelled) {
        Error e;
        e.kind = ErrorKind::Cancelled;
        e.url = redact::url(p.request.url);
        e.sentence = QStringLiteral("The request was cancelled.");
        record(p, 0, {}, {}, e.sentence);
        deliver(std::move(e));
        return;
    }

    const QNetworkReply::NetworkError netError = reply->error();
    // An HTTP error status is an answer, not a transport failure; only "no answer" is an Error here.
    if (statusAttr.isValid() &&
        (netError == QNetworkReply::NoError || netError >= QNetworkReply::ContentAccessDenied)) {
        HttpResponse r;
        r.status = statusAttr.toInt();
        r.headers = std::move(headers);
        r.body = body;
        r.url = p.request.url;
        record(p, r.status, r.headers, r.body, {});
        qCDebug(lcPbiHttp) << p.request.method << redact::url(p.request.url) << r.status;
        deliver(std::move(r));
        return;
    }

    Error e;
    e.url = redact::url(p.request.url);
    const QString host = p.request.url.host();
    switch (netError) {
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::TimeoutError:
        e.kind = ErrorKind::Timeout;
        e.sentence = QStringLiteral("%1 did not answer within %2 seconds.")
                         .arg(host)
                         .arg(double(p.request.timeout.count()) / 1000.0);
        e.hint = QStringLiteral("Check the network connection; the service may be slow or unreachable.");
        break;
    case QNetworkReply::ConnectionRefusedError:
        e.kind = ErrorKind::Network;
        e.sentence = QStringLiteral("%1 refused the connection.").arg(host);
        e.hint = QStringLiteral("Is the address right, and is the server (or the sandbox) running?");
        break;
    case QNetworkReply::HostNotFoundError:
        e.kind = ErrorKind::Network;
        e.sentence = QStringLiteral("The host %1 was not found.").arg(host);
        e.hint = QStringLiteral("Check the cloud and address in the connection settings, and DNS.");
        break;
    case QNetworkReply::SslHandshakeFailedError:
        e.kind = ErrorKind::Network;
        e.sentence = QStringLiteral("The TLS connection to %1 failed: %2").arg(host, reply->errorString());
        e.hint = QStringLiteral("The server's certificate is not trusted; a proxy may be intercepting TLS.");
        break;
    default:
        e.kind = ErrorKind::Network;
        e.sentence = QStringLiteral("The connection to %1 failed: %2").arg(host, reply->errorString());
        break;
    }
    record(p, 0, headers, body, e.sentence);
    qCInfo(lcPbiHttp) << p.request.method << redact::url(p.request.url) << e.sentence;
    deliver(std::move(e));
}

} // namespace pbi
