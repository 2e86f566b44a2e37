#include "auth/EntraCredential.h"

#include "Clock.h"
#include "Logging.h"
#include "http/ErrorDecoder.h"
#include "http/Transport.h"

#include <nlohmann/json.hpp>

#include <QTimer>
#include <QUrl>

namespace pbi {

namespace {
// Renew this long before expiry so that a call never leaves with a token about to die.
constexpr qint64 kRenewMarginSecs = 5 * 60;

QString stringField(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it != j.end() && it->is_string())
        return QString::fromStdString(it->get<std::string>());
    return {};
}
} // namespace

EntraCredential::EntraCredential(Transport* transport, const Clock* clock, Cloud cloud,
                                 QString tenant, QString clientId, QObject* parent)
    : TokenProvider(parent)
    , m_transport(transport)
    , m_clock(clock)
    , m_cloud(std::move(cloud))
    , m_tenant(std::move(tenant))
    , m_clientId(std::move(clientId)) {}

QByteArray EntraCredential::formEncode(const Form& fields) {
    QByteArray out;
    for (const auto& [k, v] : fields) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(k) + '=' + QUrl::toPercentEncoding(v);
    }
    return out;
}

void EntraCredential::invalidate() {
    m_cached.reset();
}

void EntraCredential::cancel() {
    if (!m_inFlight)
        return;
    ++m_generation;
    if (m_lastRequest != 0)
        m_transport->cancel(m_lastRequest);
    m_lastRequest = 0;
    abortAcquire();
    Error e;
    e.kind = ErrorKind::Cancelled;
    e.sentence = QStringLiteral("The sign-in was cancelled.");
    m_inFlight = false;
    deliverAll(e);
}

void EntraCredential::deliverAll(const Result<AccessToken>& result) {
    auto waiting = std::move(m_waiting);
    m_waiting.clear();
    // Always through the event loop: a subclass may complete() from inside acquire(), and
    // callers are promised never to be called back synchronously from requestToken().
    QTimer::singleShot(0, this, [waiting = std::move(waiting), result]() {
        for (const auto& [ctx, cb] : waiting)
            if (ctx)
                cb(result);
    });
}

void EntraCredential::requestToken(QObject* context, Callback callback) {
    if (m_cached && m_clock->now() < m_renewAt) {
        QPointer<QObject> guard(context);
        QTimer::singleShot(0, this, [guard, callback = std::move(callback), token = *m_cached]() {
            if (guard)
                callback(token);
        });
        return;
    }
    m_waiting.emplace_back(QPointer<QObject>(context), std::move(callback));
    if (m_inFlight)
        return;
    m_inFlight = true;
    acquire();
}

void EntraCredential::complete(const Result<TokenAnswer>& answer) {
    if (!m_inFlight)
        return; // cancelled meanwhile
    m_inFlight = false;
    m_lastRequest = 0;
    if (!answer) {
        deliverAll(answer.error());
        return;
    }
    const AccessToken& t = answer.value().accessToken;
    m_cached = t;
    const qint64 lifetime = std::max<qint64>(0, m_clock->now().secsTo(t.expiresAt));
    // Short-lived tokens (tests, the sandbox's accelerated time) renew at half-life.
    m_renewAt = t.expiresAt.addSecs(-std::min<qint64>(kRenewMarginSecs, lifetime / 2));
    deliverAll(t);
}

void EntraCredential::postForm(const QUrl& url, const Form& form,
                               std::function<void(Result<HttpResponse>, QDateTime)> callback) {
    HttpRequest req;
    req.method = "POST";
    req.url = url;
    req.setHeader("Content-Type", "application/x-www-form-urlencoded");
    req.setHeader("Accept", "application/json");
    req.body = formEncode(form);
    const QDateTime sentAt = m_clock->now();
    const quint64 generation = m_generation;
    m_lastRequest = m_transport->send(
        std::move(req), this,
        [this, generation, sentAt, callback = std::move(callback)](Result<HttpResponse> r) {
            if (generation != m_generation)
                return; // the sign-in was cancelled; its late answers mean nothing now
            m_lastRequest = 0;
            callback(std::move(r), sentAt);
        });
}

void EntraCredential::postTokenRequest(const Form& form,
                                       std::function<void(Result<TokenAnswer>)> callback) {
    postForm(m_cloud.tokenEndpoint(m_tenant), form,
             [callback = std::move(callback)](Result<HttpResponse> r, QDateTime sentAt) {
                 if (!r) {
                     callback(r.error());
                     return;
                 }
                 if (!r.value().isSuccess()) {
                     Error e = ErrorDecoder::fromEntra(r.value());
                     qCInfo(lcPbiAuth) << "token request refused:" << e.code << e.detailCode;
                     callback(e);
                     return;
                 }
                 callback(parseTokenAnswer(r.value(), sentAt));
             });
}

Result<TokenAnswer> EntraCredential::parseTokenAnswer(const HttpResponse& resp,
                                                      const QDateTime& sentAt) {
    const auto j = nlohmann::json::parse(resp.body.constData(),
                                         resp.body.constData() + resp.body.size(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return ErrorDecoder::parseError(resp, QStringLiteral("the token answer is not JSON"));
    auto token = j.find("access_token");
    auto expires = j.find("expires_in");
    if (token == j.end() || !token->is_string() || token->get<std::string>().empty())
        return ErrorDecoder::parseError(resp, QStringLiteral("field 'access_token' is missing"));
    qint64 lifetime = 0;
    if (expires != j.end() && expires->is_number_integer())
        lifetime = expires->get<qint64>();
    else if (expires != j.end() && expires->is_string()) // the v1 endpoint sends a string
        lifetime = QString::fromStdString(expires->get<std::string>()).toLongLong();
    // Ten years is far beyond anything Entra issues; a bigger value is garbage, not a token.
    if (lifetime <= 0 || lifetime > 10LL * 365 * 24 * 3600)
        return ErrorDecoder::parseError(
            resp, QStringLiteral("field 'expires_in' is missing or not a number"));
    if (auto type = j.find("token_type");
        type != j.end() &&
        (!type->is_string() || QString::fromStdString(type->get<std::string>())
                                       .compare(QLatin1String("Bearer"), Qt::CaseInsensitive) != 0))
        return ErrorDecoder::parseError(resp,
                                        QStringLiteral("field 'token_type' is not \"Bearer\""));
    TokenAnswer a;
    a.accessToken = {QString::fromStdString(token->get<std::string>()), sentAt.addSecs(lifetime)};
    a.refreshToken = stringField(j, "refresh_token");
    a.idToken = stringField(j, "id_token");
    a.scope = stringField(j, "scope");
    return a;
}

} // namespace pbi
