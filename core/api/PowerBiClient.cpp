#include "api/PowerBiClient.h"

#include "api/JsonMapping.h"
#include "auth/TokenProvider.h"
#include "http/ErrorDecoder.h"
#include "http/Transport.h"

#include <QPointer>

namespace pbi {

PowerBiClient::PowerBiClient(Transport* transport, TokenProvider* tokens, Cloud cloud,
                             QObject* parent)
    : QObject(parent)
    , m_transport(transport)
    , m_tokens(tokens)
    , m_cloud(std::move(cloud))
{
}

void PowerBiClient::sendAuthorized(HttpRequest request, QObject* context, RawCallback callback,
                                   bool retriedToken)
{
    QPointer<QObject> guard(context);
    m_tokens->requestToken(this, [this, guard, request = std::move(request),
                                  callback = std::move(callback),
                                  retriedToken](Result<AccessToken> token) mutable {
        if (!guard)
            return;
        if (!token) {
            callback(token.error());
            return;
        }
        HttpRequest authorized = request;
        authorized.setHeader("Authorization", "Bearer " + token.value().value.toUtf8());
        authorized.setHeader("Accept", "application/json");
        m_transport->send(std::move(authorized), guard,
                          [this, guard, request = std::move(request), callback = std::move(callback),
                           retriedToken](Result<HttpResponse> r) mutable {
            // The service says 403 TokenExpired when a token dies in flight; renew once.
            if (r && r.value().status == 403 && !retriedToken &&
                r.value().header("X-PowerBI-Error-Info") == "TokenExpired") {
                m_tokens->invalidate();
                sendAuthorized(std::move(request), guard, std::move(callback), true);
                return;
            }
            callback(std::move(r));
        });
    });
}

void PowerBiClient::listWorkspaces(QObject* context, Callback<std::vector<Workspace>> callback)
{
    HttpRequest req;
    req.url = m_cloud.apiUrl(QStringLiteral("groups"));
    sendAuthorized(std::move(req), context, [callback = std::move(callback)](Result<HttpResponse> r) {
        if (!r)
            return callback(r.error());
        if (!r.value().isSuccess())
            return callback(ErrorDecoder::fromService(r.value()));
        callback(mapping::parseWorkspaces(r.value()));
    });
}

} // namespace pbi
