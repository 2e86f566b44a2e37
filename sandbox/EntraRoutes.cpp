// Entra ID emulation's routes (reference/api-digest.md §10); the work is done in EntraService.

#include "EntraService.h"
#include "HttpServer.h"
#include "Sandbox.h"

namespace pbi::sandbox {

void Sandbox::addEntraRoutes()
{
    m_entra = std::make_shared<EntraService>(*this);
    m_entra->addRoutes(*m_server);
}

namespace {

/// Entra echoes a client's `client-request-id` header and uses it as the correlation id of
/// its answer (MSAL sends one with every request), so that both sides' logs line up.
void echoClientRequestId(const Request& req, Response& res)
{
    const std::string id = req.header("client-request-id");
    if (id.empty() || id.size() > 64 ||
        id.find_first_not_of("0123456789abcdefABCDEF-") != std::string::npos)
        return;
    res.setHeader("client-request-id", id);
    if (res.status < 400 || res.contentType.rfind("application/json", 0) != 0)
        return;
    nlohmann::json body = nlohmann::json::parse(res.body, nullptr, false);
    if (!body.is_object() || !body.contains("correlation_id") ||
        !body["correlation_id"].is_string() || !body["error_description"].is_string())
        return;
    const std::string old = body["correlation_id"].get<std::string>();
    std::string description = body["error_description"].get<std::string>();
    if (const auto at = description.find("Correlation ID: " + old); at != std::string::npos)
        description.replace(at + 16, old.size(), id);
    body["error_description"] = description;
    body["correlation_id"] = id;
    res.body = body.dump();
}

} // namespace

void EntraService::addRoutes(HttpServer& server)
{
    auto bind = [this](void (EntraService::*handler)(const Request&, Response&)) {
        return [this, handler](const Request& req, Response& res) {
            (this->*handler)(req, res);
            echoClientRequestId(req, res);
        };
    };
    server.route("GET", R"(^/([^/]+)/v2\.0/\.well-known/openid-configuration$)",
                 [this](const Request& req, Response& res) {
                     handleDiscovery(req, res, true);
                     echoClientRequestId(req, res);
                 });
    server.route("GET", R"(^/([^/]+)/\.well-known/openid-configuration$)",
                 [this](const Request& req, Response& res) {
                     handleDiscovery(req, res, false);
                     echoClientRequestId(req, res);
                 });
    server.route("GET", R"(^/([^/]+)/discovery/v2\.0/keys$)", bind(&EntraService::handleKeys));
    server.route("GET", R"(^/([^/]+)/discovery/keys$)", bind(&EntraService::handleKeys));
    server.route("POST", R"(^/([^/]+)/oauth2/v2\.0/token$)", bind(&EntraService::handleToken));
    server.route("POST", R"(^/([^/]+)/oauth2/v2\.0/devicecode$)",
                 bind(&EntraService::handleDeviceCode));
    server.route("GET", R"(^/([^/]+)/oauth2/v2\.0/authorize$)",
                 bind(&EntraService::handleAuthorize));
    server.route("POST", R"(^/([^/]+)/oauth2/v2\.0/authorize$)",
                 bind(&EntraService::handleAuthorize));
    server.route("GET", R"(^/([^/]+)/oauth2/v2\.0/logout$)", bind(&EntraService::handleLogout));
    // The v1 endpoints (`resource` instead of scopes), which Power BI's own docs still use.
    server.route("POST", R"(^/([^/]+)/oauth2/token$)", bind(&EntraService::handleTokenV1));
    server.route("POST", R"(^/([^/]+)/oauth2/devicecode$)",
                 bind(&EntraService::handleDeviceCodeV1));
    server.route("GET", R"(^/([^/]+)/oauth2/authorize$)", bind(&EntraService::handleAuthorize));
    server.route("POST", R"(^/([^/]+)/oauth2/authorize$)", bind(&EntraService::handleAuthorize));
    server.route("GET", R"(^/([^/]+)/oauth2/logout$)", bind(&EntraService::handleLogout));
    // Sandbox-only: where a person (or a test) approves or declines a device code.
    server.route("GET", R"(^/sandbox/devicelogin$)", bind(&EntraService::handleDeviceLogin));
    server.route("POST", R"(^/sandbox/devicelogin$)", bind(&EntraService::handleDeviceLogin));
    server.route("POST", R"(^/sandbox/control/device-codes/([^/]+)$)",
                 bind(&EntraService::handleDeviceControl));
}

} // namespace pbi::sandbox
