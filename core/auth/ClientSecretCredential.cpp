#include "auth/ClientSecretCredential.h"

#include "Clock.h"
#include "Logging.h"
#include "http/ErrorDecoder.h"
#include "http/Transport.h"

#include <nlohmann/json.hpp>

#include <QTimer>
#include <QUrlQuery>

namespace pbi {

namespace {
// Renew this long before expiry so that a call never leaves with a token about to die.
constexpr qint64 kRenewMarginSecs = 5 * 60;

QByteArray formEncode(std::initializer_list<std::pair<const char*, QString>> fields)
{
    QByteArray out;
    for (const auto& [k, v] : fields) {
        if (!out.isEmpty())
            out += '&';
        out += QByteArray(k) + '=' + QUrl::toPercentEncoding(v);
    }
    return out;
}
} // namespace

ClientSecretCredential::ClientSecretCredential(Transport* transport, const Clock* clock,
                                               Cloud cloud, QString tenant, QString clientId,
                                               QString clientSecret, QObject* parent)
    : TokenProvider(parent)
    , m_transport(transport)
    , m_clock(clock)
    , m_cloud(std::move(cloud))
    , m_tenant(std::move(tenant))
    , m_clientId(std::move(clientId))
    , m_clientSecret(std::move(clientSecret))
{
}

QString ClientSecretCredential::identityLabel() const
{
    return QStringLiteral("service principal %1 (client secret)").arg(m_clientId);
}

void ClientSecretCredential::invalidate()
{
    m_cached.reset();
}

void ClientSecretCredential::deliverAll(const Result<AccessToken>& result)
{
    auto waiting = std::move(m_waiting);
    m_waiting.clear();
    for (auto& [ctx, cb] : waiting)
        if (ctx)
            cb(result);
}

void ClientSecretCredential::requestToken(QObject* context, Callback callback)
{
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

    HttpRequest req;
    req.method = "POST";
    req.url = m_cloud.tokenEndpoint(m_tenant);
    req.setHeader("Content-Type", "application/x-www-form-urlencoded");
    req.setHeader("Accept", "application/json");
    req.body = formEncode({{"client_id", m_clientId},
                           {"scope", m_cloud.defaultScope()},
                           {"client_secret", m_clientSecret},
                           {"grant_type", QStringLiteral("client_credentials")}});
    const QDateTime sentAt = m_clock->now();
    m_transport->send(std::move(req), this, [this, sentAt](Result<HttpResponse> r) {
        m_inFlight = false;
        if (!r) {
            deliverAll(r.error());
            return;
        }
        const HttpResponse& resp = r.value();
        if (!resp.isSuccess()) {
            Error e = ErrorDecoder::fromEntra(resp);
            qCInfo(lcPbiAuth) << "token request refused:" << e.code << e.detailCode;
            deliverAll(e);
            return;
        }
        const auto j = nlohmann::json::parse(resp.body.constData(),
                                             resp.body.constData() + resp.body.size(), nullptr,
                                             false);
        if (j.is_discarded() || !j.is_object()) {
            deliverAll(ErrorDecoder::parseError(resp, QStringLiteral("the token answer is not JSON")));
            return;
        }
        auto token = j.find("access_token");
        auto expires = j.find("expires_in");
        if (token == j.end() || !token->is_string() || token->get<std::string>().empty()) {
            deliverAll(ErrorDecoder::parseError(resp, QStringLiteral("field 'access_token' is missing")));
            return;
        }
        qint64 lifetime = 0;
        if (expires != j.end() && expires->is_number_integer())
            lifetime = expires->get<qint64>();
        else if (expires != j.end() && expires->is_string()) // v1 endpoint sends a string
            lifetime = QString::fromStdString(expires->get<std::string>()).toLongLong();
        if (lifetime <= 0) {
            deliverAll(ErrorDecoder::parseError(resp, QStringLiteral("field 'expires_in' is missing or not a number")));
            return;
        }
        AccessToken t{QString::fromStdString(token->get<std::string>()), sentAt.addSecs(lifetime)};
        m_cached = t;
        // Short-lived tokens (tests, the sandbox's accelerated time) renew at half-life.
        m_renewAt = t.expiresAt.addSecs(-std::min<qint64>(kRenewMarginSecs, lifetime / 2));
        deliverAll(t);
    });
}

} // namespace pbi
