#include "auth/DeviceCodeCredential.h"

#include "Clock.h"
#include "Logging.h"
#include "http/ErrorDecoder.h"

#include <nlohmann/json.hpp>

#include <QTimer>

namespace pbi {

namespace {
constexpr int kDefaultIntervalSecs = 5; // RFC 8628 §3.2
constexpr int kDefaultExpirySecs = 900; // Entra's default (api-digest §10)
constexpr int kSlowDownSecs = 5;        // RFC 8628 §3.5
constexpr int kMaxIntervalSecs = 60;
constexpr int kMaxTransientFailures = 3;

bool isTransient(const Error& e) {
    return e.kind == ErrorKind::Network || e.kind == ErrorKind::Timeout ||
           e.kind == ErrorKind::Throttled || (e.kind == ErrorKind::Http && e.httpStatus >= 500);
}

QString str(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                            : QString();
}

std::optional<qint64> number(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end())
        return std::nullopt;
    if (it->is_number_integer())
        return it->get<qint64>();
    if (it->is_string()) { // the v1 endpoint sends numbers as strings
        bool ok = false;
        const qint64 v = QString::fromStdString(it->get<std::string>()).toLongLong(&ok);
        if (ok)
            return v;
    }
    return std::nullopt;
}
} // namespace

DeviceCodeCredential::DeviceCodeCredential(Transport* transport, const Clock* clock, Cloud cloud,
                                           QString tenant, QString clientId, QString refreshToken,
                                           QObject* parent)
    : DelegatedCredential(transport, clock, std::move(cloud), std::move(tenant),
                          std::move(clientId), std::move(refreshToken), parent)
    , m_pollTimer(new QTimer(this)) {
    m_pollTimer->setSingleShot(true);
    // A coarse timer may fire up to 5 % early, and Entra answers an early poll with slow_down.
    m_pollTimer->setTimerType(Qt::PreciseTimer);
    connect(m_pollTimer, &QTimer::timeout, this, &DeviceCodeCredential::poll);
}

QString DeviceCodeCredential::identityLabel() const {
    return QStringLiteral("user %1 (device code)")
        .arg(userName().isEmpty() ? QStringLiteral("not signed in yet") : userName());
}

void DeviceCodeCredential::abortAcquire() {
    m_pollTimer->stop();
    m_deviceCode.clear();
}

void DeviceCodeCredential::signIn() {
    m_transientFailures = 0;
    postForm(
        cloud().deviceCodeEndpoint(tenant()),
        {qMakePair(QStringLiteral("client_id"), clientId()),
         qMakePair(QStringLiteral("scope"), scope())},
        [this](Result<HttpResponse> r, QDateTime sentAt) {
            if (!r) {
                completeSignIn(r.error());
                return;
            }
            const HttpResponse& resp = r.value();
            if (!resp.isSuccess()) {
                completeSignIn(ErrorDecoder::fromEntra(resp));
                return;
            }
            const auto j = nlohmann::json::parse(
                resp.body.constData(), resp.body.constData() + resp.body.size(), nullptr, false);
            if (j.is_discarded() || !j.is_object()) {
                completeSignIn(ErrorDecoder::parseError(
                    resp, QStringLiteral("the device code answer is not JSON")));
                return;
            }
            DeviceCodePrompt p;
            m_deviceCode = str(j, "device_code");
            p.userCode = str(j, "user_code");
            // The v1 endpoint spells it verification_url.
            QString uri = str(j, "verification_uri");
            if (uri.isEmpty())
                uri = str(j, "verification_url");
            p.verificationUri = QUrl(uri);
            p.message = str(j, "message");
            for (const auto& [field, value] :
                 {std::pair{"device_code", m_deviceCode}, std::pair{"user_code", p.userCode},
                  std::pair{"verification_uri", uri}}) {
                if (value.isEmpty()) {
                    m_deviceCode.clear();
                    completeSignIn(ErrorDecoder::parseError(
                        resp, QStringLiteral("field '%1' is missing").arg(QLatin1String(field))));
                    return;
                }
            }
            if (!p.verificationUri.isValid() ||
                (p.verificationUri.scheme() != QLatin1String("https") &&
                 p.verificationUri.scheme() != QLatin1String("http"))) {
                m_deviceCode.clear();
                completeSignIn(ErrorDecoder::parseError(
                    resp, QStringLiteral("field 'verification_uri' is not a web address")));
                return;
            }
            const qint64 expires = number(j, "expires_in").value_or(kDefaultExpirySecs);
            const qint64 interval = number(j, "interval").value_or(kDefaultIntervalSecs);
            p.expiresAt = sentAt.addSecs(expires > 0 ? expires : kDefaultExpirySecs);
            // Clamp: 0 would hammer the endpoint, a huge value would look like a hang.
            p.intervalSecs = int(std::clamp<qint64>(interval, 1, kMaxIntervalSecs));
            if (p.message.isEmpty())
                p.message = QStringLiteral("To sign in, open %1 and enter the code %2.")
                                .arg(uri, p.userCode);
            m_prompt = p;
            qCInfo(lcPbiAuth) << "device code issued; polling every" << p.intervalSecs << "s";
            Q_EMIT deviceCodeReady(p);
            schedulePoll();
        });
}

void DeviceCodeCredential::schedulePoll() {
    m_pollTimer->start(std::chrono::seconds(m_prompt.intervalSecs));
}

void DeviceCodeCredential::poll() {
    if (m_deviceCode.isEmpty())
        return;
    if (clock()->now() >= m_prompt.expiresAt) {
        m_deviceCode.clear();
        Error e;
        e.kind = ErrorKind::Auth;
        e.code = QStringLiteral("expired_token");
        e.detailCode = QStringLiteral("AADSTS70019");
        e.sentence = QStringLiteral("Sign-in failed: the device code expired before anyone "
                                    "approved it.");
        e.hint = QStringLiteral("Start the sign-in again and enter the new code before it "
                                "expires.");
        completeSignIn(e);
        return;
    }
    postTokenRequest(
        {qMakePair(QStringLiteral("grant_type"),
                   QStringLiteral("urn:ietf:params:oauth:grant-type:device_code")),
         qMakePair(QStringLiteral("client_id"), clientId()),
         qMakePair(QStringLiteral("device_code"), m_deviceCode)},
        [this](Result<TokenAnswer> r) {
            if (r || r.error().kind == ErrorKind::Auth)
                m_transientFailures = 0; // Entra answered
            if (!r && r.error().kind == ErrorKind::Auth) {
                const QString& code = r.error().code;
                if (code == QLatin1String("authorization_pending")) {
                    schedulePoll();
                    return;
                }
                if (code == QLatin1String("slow_down")) {
                    m_prompt.intervalSecs =
                        std::min(m_prompt.intervalSecs + kSlowDownSecs, kMaxIntervalSecs);
                    qCInfo(lcPbiAuth) << "slow_down: polling every" << m_prompt.intervalSecs << "s";
                    schedulePoll();
                    return;
                }
                // authorization_declined, expired_token, bad_verification_code and
                // anything else end the sign-in with Entra's error, decoded.
            }
            // The user may be typing the code right now: a dropped connection or a
            // 5xx between two polls must not throw the sign-in away. Keep polling
            // through a few in a row; the code's expiry still ends it.
            if (!r && isTransient(r.error()) && ++m_transientFailures <= kMaxTransientFailures) {
                qCInfo(lcPbiAuth) << "device code poll failed, polling on:"
                                  << errorKindName(r.error().kind);
                schedulePoll();
                return;
            }
            m_deviceCode.clear();
            completeSignIn(r);
        });
}

} // namespace pbi
