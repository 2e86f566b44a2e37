#pragma once

#include "http/HttpTypes.h"
#include "http/Result.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

#include <functional>
#include <unordered_map>

class QNetworkAccessManager;
class QNetworkReply;

namespace pbi {

class Clock;
class RequestLog;

/// The one place that sends requests. Delivers an HttpResponse for any HTTP answer
/// (deciding what a 4xx means is the caller's job) and an Error only when no answer came:
/// network failure, timeout, cancellation, or a request it refuses to send.
/// Callbacks run on the thread that owns the transport, never synchronously from send(),
/// and not at all once their context object is gone.
class Transport : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(Result<HttpResponse>)>;

    Transport(QNetworkAccessManager* network, const Clock* clock, RequestLog* log,
              QObject* parent = nullptr);
    ~Transport() override;

    /// Returns an id for cancel(); never 0.
    quint64 send(HttpRequest request, QObject* context, Callback callback);
    void cancel(quint64 id);
    void cancelAll();

    RequestLog* log() const { return m_log; }

    /// http:// is only for loopback hosts (the sandbox); everything else must be https://.
    static bool isAllowedUrl(const QUrl& url, QString* why = nullptr);

private:
    struct Pending {
        HttpRequest request;
        QPointer<QObject> context;
        Callback callback;
        QNetworkReply* reply = nullptr;
        QDateTime started;
        bool cancelled = false;
    };

    void finish(quint64 id);
    void failLater(HttpRequest request, QObject* context, Callback callback, Error error);
    void record(const Pending& pending, int status, const HeaderList& responseHeaders,
                const QByteArray& responseBody, const QString& error);

    QNetworkAccessManager* m_network;
    const Clock* m_clock;
    RequestLog* m_log;
    quint64 m_nextId = 1;
    std::unordered_map<quint64, Pending> m_pending;
};

} // namespace pbi
