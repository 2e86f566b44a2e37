#pragma once

#include "http/HttpTypes.h"
#include "http/Result.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QStringList>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace pbi {

class Clock;
class RequestLog;
class TokenProvider;

/// How hard the transport tries, and how many requests it lets out at once.
struct TransportPolicy {
    /// Attempts for transient failures (reset, timeout, 500/502/503/504), the first included.
    int maxAttempts = 4;
    /// Backoff with full jitter: before retry n (1-based), wait random(0, min(cap, base·2^(n-1))).
    std::chrono::milliseconds backoffBase{500};
    std::chrono::milliseconds backoffCap{30000};
    /// Retry-After on 429/503 is honoured up to this long; beyond, the caller gets the
    /// throttled answer with its time (the service says "Retry in 3392 seconds" for admin APIs).
    std::chrono::seconds maxRetryAfter{3600};
    /// How many Retry-After waits one request may sit through.
    int maxThrottleWaits = 5;
    /// Qt 6.4 opens at most 6 HTTP/1.1 connections per host; more in flight would only queue
    /// inside Qt, where the per-attempt timeout would already be running.
    int perHostLimit = 6;
    /// Admin APIs have per-tenant hourly quotas (50–200/h, api-digest §6): parallel calls only
    /// bring the 429 sooner. Inferred, not documented.
    int adminLimit = 3;
    /// Scanner getInfo: "max 16 simultaneous" (documented); the host limit is lower anyway.
    int scannerGetInfoLimit = 16;
};

/// The one place that sends requests. Delivers an HttpResponse for any HTTP answer
/// (deciding what a 4xx means is the caller's job) and an Error only when no answer came:
/// network failure, timeout, cancellation, or a request it refuses to send.
///
/// It injects the bearer token (HttpRequest::bearer), retries transient failures with
/// exponential backoff and full jitter (idempotent or known-safe requests only), honours
/// Retry-After on 429 and 503 while showing a "throttled until" state per endpoint family,
/// and keeps per-host and per-family concurrency limits. The request log gets one entry per
/// attempt; RequestLogEntry::retries says how many attempts came before it.
///
/// Callbacks run on the thread that owns the transport, never synchronously from send(),
/// and not at all once their context object is gone.
class Transport : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(Result<HttpResponse>)>;
    /// A number in [0, 1): the jitter source. Tests pass a fixed one.
    using Random = std::function<double()>;

    Transport(QNetworkAccessManager* network, const Clock* clock, RequestLog* log,
              QObject* parent = nullptr);
    ~Transport() override;

    void setPolicy(const TransportPolicy& policy) { m_policy = policy; }
    const TransportPolicy& policy() const { return m_policy; }
    void setRandom(Random random) { m_random = std::move(random); }

    /// Certificate authorities to trust besides the system's, for servers with a private CA
    /// (the sandbox's --tls-generate-ca file, a company CA). They only add trust anchors:
    /// certificates are still verified, and TLS errors stay errors.
    void setExtraCaCertificates(const QList<QSslCertificate>& certificates);
    QList<QSslCertificate> extraCaCertificates() const { return m_extraCaCertificates; }
    /// The certificates of a PEM file of certificate authorities; empty with `why` set when the
    /// file cannot be read, holds no PEM certificate, or holds one that has expired.
    static QList<QSslCertificate> readCaCertificates(const QString& path, QString* why = nullptr);

    /// Returns an id for cancel() and state(); never 0.
    quint64 send(HttpRequest request, QObject* context, Callback callback);
    /// Cancels wherever the request is: queued, waiting for a token, in flight, backing off
    /// or throttled. The callback gets a Cancelled error (asynchronously).
    void cancel(quint64 id);
    void cancelAll();

    enum class Phase { Queued, Authorizing, InFlight, BackingOff, Throttled };
    Q_ENUM(Phase)
    struct State {
        Phase phase = Phase::Queued;
        QString family;
        int attempts = 0;   ///< attempts started so far
        QDateTime until;    ///< BackingOff/Throttled: when the next attempt starts
    };
    /// Where a pending request is; nullopt once it has been delivered.
    std::optional<State> state(quint64 id) const;

    /// The endpoint family of a request: "admin.getInfo", "admin.groups", "admin.datasets", …
    /// for admin APIs, "api" for the rest of Power BI, "entra" for the token endpoints, "other".
    static QString familyOf(const QByteArray& method, const QUrl& url);
    /// When the service asked this family to wait until; invalid when it is not throttled.
    QDateTime throttledUntil(const QString& family) const;
    int inFlight() const;

    RequestLog* log() const { return m_log; }

    /// http:// is only for loopback hosts (the sandbox); everything else must be https://.
    static bool isAllowedUrl(const QUrl& url, QString* why = nullptr);

Q_SIGNALS:
    /// A family is throttled until `until` (Retry-After), or no longer (`until` invalid).
    void throttleChanged(const QString& family, const QDateTime& until);
    /// A pending request moved on (the UI shows "throttled until 14:32, cancel").
    void stateChanged(quint64 id, pbi::Transport::Phase phase, const QDateTime& until);

private:
    struct Pending {
        HttpRequest request;
        QPointer<QObject> context;
        Callback callback;
        QPointer<TokenProvider> bearer;
        QString family;
        QString pool;
        QString hostKey;
        Phase phase = Phase::Queued;
        int attempts = 0;
        int transientRetries = 0;
        int throttleWaits = 0;
        bool tokenRenewed = false;
        QByteArray authorization; ///< the header value of the current attempt
        QStringList sslErrors;    ///< why the current attempt's certificate was refused
        QNetworkReply* reply = nullptr;
        QTimer* timer = nullptr;
        QDateTime started;
        QDateTime until;
    };
    struct Throttle {
        QDateTime until;
        QTimer* timer = nullptr;
    };

    void startAttempt(quint64 id);
    void afterToken(quint64 id);
    void pump();
    void dispatch(quint64 id);
    void finish(quint64 id);
    void waitThen(quint64 id, Phase phase, std::chrono::milliseconds delay);
    void setPhase(Pending& p, quint64 id, Phase phase, const QDateTime& until = {});
    void deliver(quint64 id, Result<HttpResponse> result);
    void failLater(HttpRequest request, QObject* context, Callback callback, Error error);
    void throttle(const QString& family, const QDateTime& until);
    bool retryTransient(quint64 id, Pending& p, const QString& why, bool resendable);
    bool mayResend(const Pending& p) const;
    int poolLimit(const QString& pool) const;
    void record(quint64 id, const Pending& pending, int status, const HeaderList& responseHeaders,
                const QByteArray& responseBody, const QString& error, const QString& note);

    QNetworkAccessManager* m_network;
    const Clock* m_clock;
    RequestLog* m_log;
    TransportPolicy m_policy;
    Random m_random;
    QList<QSslCertificate> m_extraCaCertificates;
    /// The system's authorities plus the extra ones; empty when there are no extra ones.
    QList<QSslCertificate> m_caCertificates;
    quint64 m_nextId = 1;
    std::unordered_map<quint64, Pending> m_pending;
    std::deque<quint64> m_queue;
    std::map<QString, int> m_hostInFlight;
    std::map<QString, int> m_poolInFlight;
    std::map<QString, Throttle> m_throttles;
};

} // namespace pbi
