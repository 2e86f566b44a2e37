#pragma once

#include "api/Workspace.h"
#include "auth/Cloud.h"
#include "http/HttpTypes.h"
#include "http/Result.h"

#include <QObject>

#include <functional>
#include <vector>

namespace pbi {

class TokenProvider;
class Transport;

/// Typed calls to the Power BI REST API. Every call is asynchronous, delivers a value or an
/// Error on the caller's thread, and is dropped if its context object dies first.
class PowerBiClient : public QObject {
    Q_OBJECT
public:
    template <typename T>
    using Callback = std::function<void(Result<T>)>;

    PowerBiClient(Transport* transport, TokenProvider* tokens, Cloud cloud,
                  QObject* parent = nullptr);

    const Cloud& cloud() const { return m_cloud; }
    TokenProvider* tokenProvider() const { return m_tokens; }

    /// GET /v1.0/myorg/groups: the workspaces the identity is a member of.
    void listWorkspaces(QObject* context, Callback<std::vector<Workspace>> callback);

private:
    using RawCallback = std::function<void(Result<HttpResponse>)>;
    /// Token → request → on a token-expired refusal, renew once and resend → raw answer.
    void sendAuthorized(HttpRequest request, QObject* context, RawCallback callback,
                        bool retriedToken = false);

    Transport* m_transport;
    TokenProvider* m_tokens;
    Cloud m_cloud;
};

} // namespace pbi
