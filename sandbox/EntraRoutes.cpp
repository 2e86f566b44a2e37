// Entra ID emulation: /{tenant}/oauth2/v2.0/token and friends (reference/api-digest.md §10).

#include "HttpServer.h"
#include "Ids.h"
#include "Jwt.h"
#include "Sandbox.h"
#include "WireHelpers.h"

#include <chrono>
#include <random>

namespace pbi::sandbox {

namespace {

constexpr char kPowerBiResource[] = "https://analysis.windows.net/powerbi/api";

std::int64_t unixNow()
{
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// "Basic base64(client_id:secret)" is accepted as well as form fields (RFC 6749 §2.3.1).
void readBasicAuth(const Request& req, std::string& clientId, std::string& secret)
{
    const std::string auth = req.header("authorization");
    if (auth.rfind("Basic ", 0) != 0)
        return;
    std::string b64 = auth.substr(6);
    for (char& c : b64) {
        if (c == '+') c = '-';
        else if (c == '/') c = '_';
    }
    const auto decoded = base64UrlDecode(b64);
    if (!decoded)
        return;
    const auto colon = decoded->find(':');
    if (colon == std::string::npos)
        return;
    clientId = wire::urlDecode(decoded->substr(0, colon));
    secret = wire::urlDecode(decoded->substr(colon + 1));
}

} // namespace

void Sandbox::addEntraRoutes()
{
    m_server->route("POST", R"(^/([^/]+)/oauth2/v2\.0/token$)",
                    [this](const Request& req, Response& res) { handleToken(req, res); });
}

std::string Sandbox::issueAppToken(const AppRegistration& app)
{
    int lifetime = m_options.tokenLifetimeSeconds;
    if (lifetime <= 0) {
        thread_local std::mt19937 engine{std::random_device{}()};
        lifetime = std::uniform_int_distribution<int>(3600, 5400)(engine);
    }
    const std::int64_t now = unixNow();
    const std::string issuer = "https://sts.windows.net/" + m_tenant.id + "/";
    nlohmann::json header = {{"typ", "JWT"}, {"alg", "RS256"}, {"x5t", m_key->keyId()},
                             {"kid", m_key->keyId()}};
    nlohmann::json claims = {
        {"aud", kPowerBiResource},
        {"iss", issuer},
        {"iat", now},
        {"nbf", now},
        {"exp", now + lifetime},
        {"aio", base64UrlEncode(randomGuid())},
        {"appid", app.clientId},
        {"appidacr", "1"},
        {"idp", issuer},
        {"idtyp", "app"},
        {"oid", app.servicePrincipalId},
        {"rh", "0.sandbox." + base64UrlEncode(app.clientId.substr(0, 12)) + "."},
        {"sub", app.servicePrincipalId},
        {"tid", m_tenant.id},
        {"uti", base64UrlEncode(randomGuid().substr(0, 16))},
        {"ver", "1.0"},
    };
    return encodeJwt(header, claims, *m_key);
}

void Sandbox::handleToken(const Request& req, Response& res)
{
    const std::string tenantSegment = req.pathParams.at(0);
    auto form = wire::parseForm(req.body);
    auto field = [&](const char* name) {
        auto it = form.find(name);
        return it == form.end() ? std::string() : it->second;
    };

    std::lock_guard lock(m_mutex);
    if (tenantSegment != m_tenant.id && tenantSegment != m_tenant.domain) {
        wire::entraError(res, 400, "invalid_request", 90002,
                         "Tenant '" + tenantSegment +
                             "' not found. Check to make sure you have the correct tenant ID and are "
                             "signing into the correct cloud. Check with your subscription "
                             "administrator, this may happen if there are no active subscriptions "
                             "for the tenant.");
        return;
    }
    const std::string grantType = field("grant_type");
    if (grantType.empty()) {
        wire::entraError(res, 400, "invalid_request", 900144,
                         "The request body must contain the following parameter: 'grant_type'.");
        return;
    }
    if (grantType != "client_credentials") {
        wire::entraError(res, 400, "unsupported_grant_type", 70003,
                         "The app requested an unsupported grant type '" + grantType + "'.");
        return;
    }

    std::string clientId = field("client_id");
    std::string secret = field("client_secret");
    readBasicAuth(req, clientId, secret);
    if (clientId.empty()) {
        wire::entraError(res, 400, "invalid_request", 900144,
                         "The request body must contain the following parameter: 'client_id'.");
        return;
    }
    const AppRegistration* app = m_tenant.findApp(clientId);
    if (!app) {
        wire::entraError(res, 400, "unauthorized_client", 700016,
                         "Application with identifier '" + clientId +
                             "' was not found in the directory '" + m_tenant.displayName +
                             "'. This can happen if the application has not been installed by the "
                             "administrator of the tenant or consented to by any user in the "
                             "tenant. You may have sent your authentication request to the wrong "
                             "tenant.");
        return;
    }
    const std::string scope = field("scope");
    if (scope.empty()) {
        wire::entraError(res, 400, "invalid_request", 900144,
                         "The request body must contain the following parameter: 'scope'.");
        return;
    }
    const std::string expectedScope = std::string(kPowerBiResource) + "/.default";
    if (scope != expectedScope) {
        if (scope.size() < 9 || scope.compare(scope.size() - 9, 9, "/.default") != 0) {
            wire::entraError(res, 400, "invalid_scope", 1002012,
                             "The provided value for scope " + scope +
                                 " is not valid. Client credential flows must have a scope value "
                                 "with /.default suffixed to the resource identifier (application "
                                 "ID URI).");
        } else {
            wire::entraError(res, 400, "invalid_resource", 500011,
                             "The resource principal named " + scope.substr(0, scope.size() - 9) +
                                 " was not found in the tenant named " + m_tenant.displayName +
                                 ". This can happen if the application has not been installed by "
                                 "the administrator of the tenant or consented to by any user in "
                                 "the tenant. You might have sent your authentication request to "
                                 "the wrong tenant.");
        }
        return;
    }
    // Entra answers a bad client credential with 401 invalid_client (api-digest §10).
    if (secret.empty()) {
        wire::entraError(res, 401, "invalid_client", 7000218,
                         "The request body must contain the following parameter: "
                         "'client_assertion' or 'client_secret'.");
        return;
    }
    bool secretOk = false;
    for (const auto& s : app->secrets)
        secretOk = secretOk || s == secret;
    if (!secretOk) {
        wire::entraError(res, 401, "invalid_client", 7000215,
                         "Invalid client secret provided. Ensure the secret being sent in the "
                         "request is the client secret value, not the client secret ID, for a "
                         "secret added to app '" + app->clientId + "'.");
        return;
    }

    const std::string token = issueAppToken(*app);
    const auto decoded = decodeJwt(token);
    const std::int64_t lifetime =
        decoded->claims["exp"].get<std::int64_t>() - decoded->claims["iat"].get<std::int64_t>();
    wire::json(res, 200,
               {{"token_type", "Bearer"},
                {"expires_in", lifetime},
                {"ext_expires_in", lifetime},
                {"access_token", token}});
}

} // namespace pbi::sandbox
