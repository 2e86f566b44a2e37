#include "http/Transport.h"

#include "Clock.h"
#include "Logging.h"
#include "auth/TokenProvider.h"
#include "http/RequestLog.h"

#include <QFile>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QSslError>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>
#include <limits>

namespace pbi {

namespace {

QString seconds(std::chrono::milliseconds ms)
{
    return QString::number(double(ms.count()) / 1000.0, 'f', ms.count() < 10000 ? 1 : 0);
}

/// Entra's client-credentials grant has no side effect: sending it twice is harmless. Other
/// grants are not (an authorization code or a rotated refresh token works only once).
bool isSafeTokenRequest(const HttpRequest& r)
{
    const QString path = r.url.path();
    if (!path.endsWith(QLatin1String("/oauth2/v2.0/token")) && !path.endsWith(QLatin1String("/oauth2/token")))
        return false;
    const QUrlQuery form(QString::fromUtf8(r.body));
    return form.queryItemValue(QStringLiteral("grant_type")) == QLatin1String("client_credentials");
}

Error makeError(ErrorKind kind, const QUrl& url, QString sentence, QString hint = {})
{
    Error e;
    e.kind = kind;
    e.url = redact::url(url);
    e.sentence = std::move(sentence);
    e.hint = std::move(hint);
    return e;
}

} // namespace

Transport::Transport(QNetworkAccessManager* network, const Clock* clock, RequestLog* log,
                     QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_clock(clock)
    , m_log(log)
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
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

void Transport::setExtraCaCertificates(const QList<QSslCertificate>& certificates)
{
    m_extraCaCertificates = certificates;
    m_caCertificates.clear();
    if (certificates.isEmpty())
        return;
    // Naming any authority turns off Qt's on-demand loading of the system's (how it trusts
    // public CAs on Linux), so name the system's too: the extra ones add, never replace.
    m_caCertificates = QSslConfiguration::defaultConfiguration().caCertificates();
    if (m_caCertificates.isEmpty())
        m_caCertificates = QSslConfiguration::systemCaCertificates();
    m_caCertificates += certificates;
}

QList<QSslCertificate> Transport::readCaCertificates(const QString& path, QString* why)
{
    auto fail = [&](const QString& message) {
        if (why)
            *why = message;
        return QList<QSslCertificate>();
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("The CA certificate file \"%1\" cannot be read: %2.")
                        .arg(path, file.errorString()));
    // A bundle of a few hundred authorities is under 1 MB; anything far bigger is not one.
    const QByteArray pem = file.read(16 * 1024 * 1024);
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(pem, QSsl::Pem);
    if (certificates.isEmpty())
        return fail(QStringLiteral("\"%1\" holds no PEM certificate (a block starting "
                                   "-----BEGIN CERTIFICATE-----).")
                        .arg(path));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QSslCertificate& c : certificates) {
        if (c.expiryDate() < now)
            return fail(
                QStringLiteral("The certificate \"%1\" in \"%2\" expired on %3.")
                    .arg(c.subjectDisplayName(), path, c.expiryDate().toString(Qt::ISODate)));
    }
    return certificates;
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

QString Transport::familyOf(const QByteArray& method, const QUrl& url)
{
    const QString path = url.path();
    if (path.contains(QLatin1String("/oauth2/")))
        return QStringLiteral("entra");
    static const QString myorg = QStringLiteral("/v1.0/myorg/");
    const qsizetype at = path.indexOf(myorg);
    if (at < 0)
        return QStringLiteral("other");
    const QStringList segments = path.mid(at + myorg.size()).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (segments.value(0) != QLatin1String("admin"))
        return QStringLiteral("api");
    if (method.toUpper() == "POST" && segments.value(1) == QLatin1String("workspaces") &&
        segments.value(2) == QLatin1String("getInfo"))
        return QStringLiteral("admin.getInfo");
    // Admin quotas are per API (GetGroupsAsAdmin, GetDatasetsAsAdmin…): name the collection.
    return segments.size() > 1 ? QStringLiteral("admin.") + segments.value(1)
                               : QStringLiteral("admin");
}

QDateTime Transport::throttledUntil(const QString& family) const
{
    auto it = m_throttles.find(family);
    if (it == m_throttles.end() || it->second.until <= m_clock->now())
        return {};
    return it->second.until;
}

int Transport::inFlight() const
{
    int n = 0;
    for (const auto& [host, count] : m_hostInFlight)
        n += count;
    return n;
}

std::optional<Transport::State> Transport::state(quint64 id) const
{
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return std::nullopt;
    State s;
    s.phase = it->second.phase;
    s.family = it->second.family;
    s.attempts = it->second.attempts;
    s.until = it->second.until;
    return s;
}

int Transport::poolLimit(const QString& pool) const
{
    if (pool == QLatin1String("admin.getInfo"))
        return m_policy.scannerGetInfoLimit;
    if (pool == QLatin1String("admin"))
        return m_policy.adminLimit;
    return m_policy.perHostLimit;
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
        Error e = makeError(ErrorKind::Refused, request.url, why);
        qCWarning(lcPbiHttp) << "refused:" << why;
        failLater(std::move(request), context, std::move(callback), std::move(e));
        return id;
    }
    Pending p;
    p.family = familyOf(request.method, request.url);
    p.pool = p.family.startsWith(QLatin1String("admin.getInfo")) ? p.family
             : p.family.startsWith(QLatin1String("admin"))      ? QStringLiteral("admin")
                                                                 : QStringLiteral("host");
    p.hostKey = request.url.host().toLower() + QLatin1Char(':') +
                QString::number(request.url.port(request.url.scheme() == QLatin1String("https") ? 443 : 80));
    p.pool = p.hostKey + QLatin1Char(' ') + p.pool;
    p.bearer = request.bearer;
    p.request = std::move(request);
    p.context = context;
    p.callback = std::move(callback);
    m_pending.emplace(id, std::move(p));
    // Start on the next turn of the event loop: nothing, not even a refusal, is synchronous.
    QTimer::singleShot(0, this, [this, id] { startAttempt(id); });
    return id;
}

void Transport::setPhase(Pending& p, quint64 id, Phase phase, const QDateTime& until)
{
    p.phase = phase;
    p.until = until;
    Q_EMIT stateChanged(id, phase, until);
}

void Transport::startAttempt(quint64 id)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    Pending& p = it->second;
    if (!p.context) {
        deliver(id, makeError(ErrorKind::Cancelled, p.request.url,
                              QStringLiteral("The request was cancelled.")));
        return;
    }
    // A family the service throttled waits for the time it named, without asking again;
    // past the longest wait we honour, it fails at once instead of hanging for hours.
    const QDateTime until = throttledUntil(p.family);
    if (until.isValid()) {
        const qint64 ms = std::max<qint64>(0, m_clock->now().msecsTo(until));
        if (ms > qint64(m_policy.maxRetryAfter.count()) * 1000 || p.throttleWaits >= m_policy.maxThrottleWaits) {
            Error e = makeError(ErrorKind::Throttled, p.request.url,
                                QStringLiteral("The service is throttling these calls until %1.")
                                    .arg(until.toString(Qt::ISODate)),
                                QStringLiteral("Wait until then, or reduce how often these calls are made."));
            e.retryAt = until;
            deliver(id, std::move(e));
            return;
        }
        waitThen(id, Phase::Throttled, std::chrono::milliseconds(ms));
        return;
    }
    if (!p.request.bearer) {
        afterToken(id);
        return;
    }
    if (!p.bearer) {
        deliver(id, makeError(ErrorKind::Auth, p.request.url,
                              QStringLiteral("The sign-in for this request is gone.")));
        return;
    }
    setPhase(p, id, Phase::Authorizing);
    // The token comes before the slot: a token request to the same host must never wait
    // behind API requests that are themselves waiting for it.
    p.bearer->requestToken(this, [this, id](Result<AccessToken> token) {
        auto found = m_pending.find(id);
        if (found == m_pending.end() || found->second.phase != Phase::Authorizing)
            return; // cancelled meanwhile
        if (!token) {
            deliver(id, token.error());
            return;
        }
        found->second.authorization = "Bearer " + token.value().value.toUtf8();
        afterToken(id);
    });
}

void Transport::afterToken(quint64 id)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    setPhase(it->second, id, Phase::Queued);
    m_queue.push_back(id);
    pump();
}

void Transport::pump()
{
    // FIFO, except that a request whose pool is full does not hold up one whose pool is not.
    for (auto q = m_queue.begin(); q != m_queue.end();) {
        auto it = m_pending.find(*q);
        if (it == m_pending.end() || it->second.phase != Phase::Queued) {
            q = m_queue.erase(q);
            continue;
        }
        const Pending& p = it->second;
        if (m_hostInFlight[p.hostKey] >= m_policy.perHostLimit ||
            m_poolInFlight[p.pool] >= poolLimit(p.pool.section(QLatin1Char(' '), 1))) {
            ++q;
            continue;
        }
        const quint64 id = *q;
        q = m_queue.erase(q);
        dispatch(id);
        // dispatch() never delivers synchronously, so the queue is unchanged behind us.
    }
}

void Transport::dispatch(quint64 id)
{
    Pending& p = m_pending.at(id);
    ++m_hostInFlight[p.hostKey];
    ++m_poolInFlight[p.pool];
    ++p.attempts;
    setPhase(p, id, Phase::InFlight);

    QNetworkRequest nr(p.request.url);
    for (const auto& [name, value] : p.request.headers)
        nr.setRawHeader(name, value);
    if (!p.authorization.isEmpty())
        nr.setRawHeader("Authorization", p.authorization);
    nr.setTransferTimeout(int(p.request.timeout.count()));
    nr.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                    QNetworkRequest::NoLessSafeRedirectPolicy);
    nr.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (!m_caCertificates.isEmpty()) {
        QSslConfiguration tls = nr.sslConfiguration();
        tls.setCaCertificates(m_caCertificates);
        nr.setSslConfiguration(tls);
    }
    p.started = m_clock->now();
    p.sslErrors.clear();
    p.reply = m_network->sendCustomRequest(nr, p.request.method, p.request.body);
    // Never ignored: kept only to say which check the certificate failed.
    connect(p.reply, &QNetworkReply::sslErrors, this, [this, id](const QList<QSslError>& errors) {
        auto it = m_pending.find(id);
        if (it == m_pending.end())
            return;
        for (const QSslError& e : errors)
            it->second.sslErrors.append(e.errorString());
    });
    connect(p.reply, &QNetworkReply::finished, this, [this, id]() { finish(id); });
}

void Transport::waitThen(quint64 id, Phase phase, std::chrono::milliseconds delay)
{
    Pending& p = m_pending.at(id);
    if (!p.timer) {
        p.timer = new QTimer(this);
        p.timer->setSingleShot(true);
        connect(p.timer, &QTimer::timeout, this, [this, id] { startAttempt(id); });
    }
    setPhase(p, id, phase, m_clock->now().addMSecs(delay.count()));
    p.timer->start(int(std::min<qint64>(delay.count(), std::numeric_limits<int>::max())));
}

void Transport::throttle(const QString& family, const QDateTime& until)
{
    Throttle& t = m_throttles[family];
    if (t.until.isValid() && t.until >= until)
        return;
    t.until = until;
    if (!t.timer) {
        t.timer = new QTimer(this);
        t.timer->setSingleShot(true);
        connect(t.timer, &QTimer::timeout, this, [this, family] {
            m_throttles[family].until = QDateTime();
            Q_EMIT throttleChanged(family, QDateTime());
        });
    }
    // A hostile Retry-After (years) must not overflow the timer: it only clears the state.
    t.timer->start(int(std::clamp<qint64>(m_clock->now().msecsTo(until), 0, std::numeric_limits<int>::max())));
    qCInfo(lcPbiHttp) << family << "throttled until" << until;
    Q_EMIT throttleChanged(family, until);
}

void Transport::cancel(quint64 id)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    Pending& p = it->second;
    if (p.reply) {
        p.reply->disconnect(this);
        p.reply->abort();
        record(id, p, 0, {}, {}, QStringLiteral("The request was cancelled."), {});
    }
    QPointer<QObject> guard = p.context;
    Callback callback = std::exchange(p.callback, nullptr);
    const Error e = makeError(ErrorKind::Cancelled, p.request.url,
                              QStringLiteral("The request was cancelled."));
    deliver(id, e); // callback moved out: deliver() only releases the request's resources
    QTimer::singleShot(0, this, [guard, callback = std::move(callback), e] {
        if (guard && callback)
            callback(e);
    });
}

void Transport::cancelAll()
{
    std::vector<quint64> ids;
    for (const auto& [id, p] : m_pending)
        ids.push_back(id);
    for (quint64 id : ids)
        cancel(id);
}

void Transport::deliver(quint64 id, Result<HttpResponse> result)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    Pending p = std::move(it->second);
    m_pending.erase(it);
    if (p.reply) {
        p.reply->deleteLater();
        --m_hostInFlight[p.hostKey];
        --m_poolInFlight[p.pool];
        // A freed slot may let a queued request out; never from inside this call chain.
        QTimer::singleShot(0, this, [this] { pump(); });
    }
    if (p.timer) {
        p.timer->stop();
        p.timer->deleteLater();
    }
    if (p.context && p.callback)
        p.callback(std::move(result));
}

void Transport::record(quint64 id, const Pending& p, int status, const HeaderList& responseHeaders,
                       const QByteArray& responseBody, const QString& error, const QString& note)
{
    if (!m_log)
        return;
    RequestLogEntry e;
    e.transportId = id;
    e.started = p.started;
    e.method = p.request.method;
    e.url = redact::url(p.request.url);
    e.status = status;
    e.durationMs = p.started.msecsTo(m_clock->now());
    e.retries = std::max(0, p.attempts - 1);
    e.requestBytes = p.request.body.size();
    e.responseBytes = responseBody.size();
    e.error = error;
    e.note = note;
    HeaderList sent = p.request.headers;
    if (!p.authorization.isEmpty())
        sent.append(qMakePair(QByteArray("Authorization"), p.authorization));
    e.requestHeaders = redact::headers(sent);
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
    e.unredacted = std::make_shared<const RequestLogEntry::Unredacted>(
        RequestLogEntry::Unredacted{p.request.url, sent, p.request.body});
    m_log->add(std::move(e));
}

bool Transport::mayResend(const Pending& p) const
{
    return p.request.isIdempotent() || p.request.safeToRetry || isSafeTokenRequest(p.request);
}

bool Transport::retryTransient(quint64 id, Pending& p, const QString& why, bool resendable)
{
    if (!resendable || p.transientRetries + 1 >= m_policy.maxAttempts)
        return false;
    ++p.transientRetries;
    // Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): spreads the
    // retries of many clients instead of synchronising them.
    const double ceiling = std::min<double>(double(m_policy.backoffCap.count()),
                                            double(m_policy.backoffBase.count()) *
                                                std::pow(2.0, p.transientRetries - 1));
    const auto delay = std::chrono::milliseconds(qint64(m_random() * ceiling));
    qCInfo(lcPbiHttp) << p.request.method << redact::url(p.request.url) << why << "retry"
                      << p.transientRetries << "in" << delay.count() << "ms";
    waitThen(id, Phase::BackingOff, delay);
    return true;
}

void Transport::finish(quint64 id)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    Pending& p = it->second;
    QNetworkReply* reply = p.reply;
    p.reply = nullptr;
    reply->deleteLater();
    --m_hostInFlight[p.hostKey];
    --m_poolInFlight[p.pool];
    QTimer::singleShot(0, this, [this] { pump(); });

    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QByteArray body = reply->readAll();
    HeaderList headers;
    for (const auto& pair : reply->rawHeaderPairs())
        headers.append(pair);
    QNetworkReply::NetworkError netError = reply->error();
    // Qt 6.4 sometimes reports a body cut short by a closed connection as complete. A body
    // shorter than its Content-Length is a broken answer, whatever Qt says (compressed bodies
    // excepted: Qt has already inflated them).
    const bool answered = netError == QNetworkReply::NoError || netError >= QNetworkReply::ContentAccessDenied;
    if (answered && statusAttr.isValid()) {
        bool ok = false;
        const qint64 promised = reply->rawHeader("Content-Length").toLongLong(&ok);
        const QByteArray encoding = reply->rawHeader("Content-Encoding").trimmed().toLower();
        if (ok && (encoding.isEmpty() || encoding == "identity") && body.size() < promised &&
            p.request.method.toUpper() != "HEAD")
            netError = QNetworkReply::RemoteHostClosedError;
    }

    // An HTTP error status is an answer, not a transport failure; only "no answer" is an Error here.
    if (statusAttr.isValid() &&
        (netError == QNetworkReply::NoError || netError >= QNetworkReply::ContentAccessDenied)) {
        HttpResponse r;
        r.status = statusAttr.toInt();
        r.headers = std::move(headers);
        r.body = body;
        r.url = p.request.url;
        r.receivedAt = m_clock->now();
        r.retries = p.attempts - 1;
        qCDebug(lcPbiHttp) << p.request.method << redact::url(p.request.url) << r.status;

        // Power BI says 403 TokenExpired when a token dies in flight: renew once and resend.
        if (r.status == 403 && p.bearer && !p.tokenRenewed &&
            (r.header("X-PowerBI-Error-Info") == "TokenExpired" || r.body.contains("\"TokenExpired\""))) {
            record(id, p, r.status, r.headers, r.body, {}, QStringLiteral("token expired: renewing it and resending"));
            p.tokenRenewed = true;
            p.bearer->invalidate();
            startAttempt(id);
            return;
        }
        // 429 means the service refused before running anything: any method may go again.
        // A 503 may come from a front end after the operation started: only safe ones resend.
        const bool throttled = r.status == 429 || r.status == 503;
        const bool resendable = r.status == 429 || mayResend(p);
        const QDateTime retryAt = throttled ? r.retryAt() : QDateTime();
        if (retryAt.isValid()) {
            // Everyone in the family waits, shown to the user, whatever happens to this one.
            throttle(p.family, retryAt);
            const qint64 waitMs = r.receivedAt.msecsTo(retryAt);
            if (resendable && waitMs <= qint64(m_policy.maxRetryAfter.count()) * 1000 &&
                p.throttleWaits < m_policy.maxThrottleWaits) {
                ++p.throttleWaits; // counted here, so "Retry-After: 0" forever cannot loop
                record(id, p, r.status, r.headers, r.body, {},
                       QStringLiteral("throttled until %1 (Retry-After %2)")
                           .arg(retryAt.toString(Qt::ISODate), QString::fromLatin1(r.header("Retry-After"))));
                startAttempt(id); // waits for the family's throttle to end
                return;
            }
        } else if ((r.status == 429 || r.status == 500 || r.status == 502 || r.status == 503 ||
                    r.status == 504) &&
                   retryTransient(id, p, QStringLiteral("HTTP %1").arg(r.status), resendable)) {
            record(id, p, r.status, r.headers, r.body, {},
                   QStringLiteral("retrying in %1 s")
                       .arg(seconds(std::chrono::milliseconds(m_clock->now().msecsTo(p.until)))));
            return;
        }
        record(id, p, r.status, r.headers, r.body, {}, {});
        deliver(id, std::move(r));
        return;
    }

    Error e;
    e.url = redact::url(p.request.url);
    const QString host = p.request.url.host();
    bool transient = false;
    switch (netError) {
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::TimeoutError:
        e.kind = ErrorKind::Timeout;
        e.sentence = QStringLiteral("%1 did not answer within %2 seconds.")
                         .arg(host)
                         .arg(double(p.request.timeout.count()) / 1000.0);
        e.hint = QStringLiteral("Check the network connection; the service may be slow or unreachable.");
        transient = true;
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
        if (!p.sslErrors.isEmpty()) {
            p.sslErrors.removeDuplicates();
            e.sentence = QStringLiteral("The TLS connection to %1 failed: its certificate was "
                                        "refused (%2).")
                             .arg(host, p.sslErrors.join(QStringLiteral("; ")));
            e.hint = QStringLiteral("If the server has a private certificate authority (the "
                                    "sandbox's --tls-generate-ca file, a company CA), give the "
                                    "connection that CA's certificate file; otherwise a proxy may "
                                    "be intercepting TLS.");
        } else {
            e.sentence = QStringLiteral("The TLS connection to %1 failed: %2")
                             .arg(host, reply->errorString());
            e.hint = QStringLiteral(
                "The server's certificate is not trusted; a proxy may be intercepting TLS.");
        }
        break;
    default:
        // Reset, closed mid-answer, body shorter than its Content-Length, proxy hiccups.
        e.kind = ErrorKind::Network;
        e.sentence = QStringLiteral("The connection to %1 failed: %2")
                         .arg(host, reply->error() == QNetworkReply::NoError
                                        || reply->error() >= QNetworkReply::ContentAccessDenied
                                        ? QStringLiteral("the answer ended before its announced length")
                                        : reply->errorString());
        e.hint = QStringLiteral("The connection broke before the whole answer arrived; retry, and "
                                "check proxies and VPNs if it persists.");
        transient = true;
        break;
    }
    if (transient && retryTransient(id, p, e.sentence, mayResend(p))) {
        record(id, p, statusAttr.toInt(), headers, body, e.sentence,
               QStringLiteral("retrying in %1 s").arg(seconds(std::chrono::milliseconds(
                   m_clock->now().msecsTo(p.until)))));
        return;
    }
    record(id, p, statusAttr.toInt(), headers, body, e.sentence, {});
    qCInfo(lcPbiHttp) << p.request.method << redact::url(p.request.url) << e.sentence;
    deliver(id, std::move(e));
}

} // namespace pbi
