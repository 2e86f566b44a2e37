// Entra ID's token endpoint and device authorization (reference/api-digest.md §10).
//
// AADSTS codes: those in the digest's table are used as listed; where the digest marks the
// `error` value [unverified], or where the code is not in the digest at all, a comment says so.

#include "EntraService.h"

#include "EntraCertificate.h"
#include "Ids.h"
#include "Jwt.h"
#include "Sandbox.h"
#include "WireHelpers.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <random>
#include <set>
#include <sstream>

namespace pbi::sandbox {

namespace {

constexpr char kPowerBiResource[] = "https://analysis.windows.net/powerbi/api";
constexpr char kDeviceCodeGrant[] = "urn:ietf:params:oauth:grant-type:device_code";
constexpr char kJwtBearer[] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Entra's clock skew for client assertions and codes.
constexpr std::int64_t kSkewSeconds = 300;
/// Refresh tokens of public clients live 90 days at Entra (inactive lifetime).
constexpr std::int64_t kRefreshLifetimeMs = 90LL * 24 * 3600 * 1000;
/// Fabric Administrator (formerly Power BI Administrator) role template id, as in `wids`.
constexpr char kFabricAdminRole[] = "a9ea8996-122f-4c74-9520-8edcd192826c";
/// "Default user" role template id every member user carries in `wids`.
constexpr char kDefaultUserRole[] = "b79fbf4d-3ef9-4689-8143-76b194e85509";

/// Delegated permissions of the Power BI service principal (api-digest §8 and the spec's
/// "Required Scope" lines).
const std::set<std::string>& knownPowerBiScopes()
{
    static const std::set<std::string> scopes = {
        "App.Read.All",          "Capacity.Read.All",       "Capacity.ReadWrite.All",
        "Content.Create",        "Dashboard.Read.All",      "Dashboard.ReadWrite.All",
        "Dataflow.Read.All",     "Dataflow.ReadWrite.All",  "Dataset.Read.All",
        "Dataset.ReadWrite.All", "Gateway.Read.All",        "Gateway.ReadWrite.All",
        "Item.Read.All",         "Item.ReadWrite.All",      "Pipeline.Deploy",
        "Pipeline.Read.All",     "Pipeline.ReadWrite.All",  "Report.Read.All",
        "Report.ReadWrite.All",  "StorageAccount.Read.All", "StorageAccount.ReadWrite.All",
        "Tenant.Read.All",       "Tenant.ReadWrite.All",    "UserState.ReadWrite.All",
        "Workspace.Read.All",    "Workspace.ReadWrite.All",
    };
    return scopes;
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

bool isGuid(const std::string& s)
{
    if (s.size() != 36)
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
        } else if (!std::isxdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

std::vector<std::string> splitSpaces(const std::string& s)
{
    std::vector<std::string> out;
    std::istringstream in(s);
    std::string word;
    while (in >> word)
        out.push_back(word);
    return out;
}

std::string joinSpaces(const std::vector<std::string>& v)
{
    std::string out;
    for (const auto& s : v)
        out += (out.empty() ? "" : " ") + s;
    return out;
}

std::string field(const std::map<std::string, std::string>& form, const char* name)
{
    auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
}

/// "Basic base64(client_id:secret)" is accepted as well as form fields (RFC 6749 §2.3.1).
void readBasicAuth(const Request& req, std::string& clientId, std::string& secret)
{
    const std::string auth = req.header("authorization");
    if (auth.rfind("Basic ", 0) != 0)
        return;
    std::string b64 = auth.substr(6);
    for (char& c : b64) {
        if (c == '+')
            c = '-';
        else if (c == '/')
            c = '_';
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

void missingParameter(Response& res, const std::string& name)
{
    wire::entraError(res, 400, "invalid_request", 900144,
                     "The request body must contain the following parameter: '" + name + "'.");
}

/// An opaque, unguessable token: Entra's codes and refresh tokens are long base64url strings.
std::string opaqueToken(const char* prefix)
{
    std::string raw;
    for (int i = 0; i < 3; ++i)
        raw += randomGuid();
    return prefix + base64UrlEncode(raw);
}

std::string userCode()
{
    // Letters only and no vowels, so that no code spells a word and none is ambiguous.
    static constexpr char kLetters[] = "BCDFGHJKLMNPQRSTVWXZ";
    thread_local std::mt19937 engine{std::random_device{}()};
    std::uniform_int_distribution<int> pick(0, int(sizeof kLetters) - 2);
    std::string code;
    for (int i = 0; i < 8; ++i)
        code += kLetters[pick(engine)];
    return code;
}

void consentMissing(Response& res, const AppRegistration& app)
{
    // AADSTS65001 DelegationDoesNotExist; `invalid_grant` as observed for ROPC/OBO (digest §10).
    wire::entraError(
        res, 400, "invalid_grant", 65001,
        "The user or administrator has not consented to use the application with ID '" +
            app.clientId + "' named '" + app.displayName +
            "'. Send an interactive authorization request for this user and resource.");
}

} // namespace

std::int64_t entraNowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::int64_t EntraService::nowMs() const
{
    return m_sandbox.m_clock->nowMs();
}

EntraService::EntraService(Sandbox& sandbox)
    : m_sandbox(sandbox)
{
}

// ---- shared helpers ------------------------------------------------------------------------

EntraService::TenantKind EntraService::tenantKind(const std::string& segment) const
{
    const Tenant& t = m_sandbox.m_tenant;
    if (segment == t.id || lower(segment) == lower(t.domain))
        return TenantKind::Own;
    if (segment == "common" || segment == "organizations")
        return TenantKind::Common;
    if (isGuid(segment) || segment.find('.') != std::string::npos)
        return TenantKind::Unknown;
    return TenantKind::Invalid;
}

std::optional<std::pair<int, std::string>> EntraService::tenantProblem(const std::string& segment,
                                                                       bool allowCommon) const
{
    switch (tenantKind(segment)) {
    case TenantKind::Own:
        return std::nullopt;
    case TenantKind::Common:
        if (allowCommon)
            return std::nullopt;
        [[fallthrough]];
    case TenantKind::Unknown:
        return std::pair{
            90002, "Tenant '" + segment +
                       "' not found. Check to make sure you have the correct tenant ID and are "
                       "signing into the correct cloud. Check with your subscription "
                       "administrator, this may happen if there are no active subscriptions "
                       "for the tenant."};
    case TenantKind::Invalid:
        break;
    }
    return std::pair{900023, "Specified tenant identifier '" + segment +
                                 "' is neither a valid DNS name, nor a valid external domain."};
}

bool EntraService::checkTenant(const std::string& segment, Response& res, bool allowCommon) const
{
    const auto problem = tenantProblem(segment, allowCommon);
    if (!problem)
        return true;
    // AADSTS900023's `error` value is [unverified] in the digest; invalid_request is what the
    // other tenant errors carry.
    wire::entraError(res, 400, "invalid_request", problem->first, problem->second);
    return false;
}

bool EntraService::checkAppAudience(const std::string& segment, const AppRegistration& app,
                                    Response& res) const
{
    if (tenantKind(segment) != TenantKind::Common || app.isMultiTenant)
        return true;
    // AADSTS50194: not in the digest; Entra's answer for a single-tenant app on /common.
    wire::entraError(res, 400, "invalid_request", 50194,
                     "Application '" + app.clientId + "'(" + app.displayName +
                         ") is not configured as a multi-tenant application. Usage of the /common "
                         "endpoint is not supported for such applications created after "
                         "'10/15/2018'. Use a tenant-specific endpoint or configure the "
                         "application to be multi-tenant.");
    return false;
}

std::string EntraService::requestBase(const Request& req) const
{
    return m_sandbox.baseUrlFor(req);
}

const User* EntraService::findUser(const std::string& upn) const
{
    const std::string wanted = lower(upn);
    for (const auto& u : m_sandbox.m_tenant.users)
        if (lower(u.userPrincipalName) == wanted)
            return &u;
    return nullptr;
}

const User* EntraService::findUserById(const std::string& objectId) const
{
    for (const auto& u : m_sandbox.m_tenant.users)
        if (u.objectId == objectId)
            return &u;
    return nullptr;
}

void EntraService::purgeExpired(std::int64_t nowMs)
{
    // Keep spent entries a while so that a replay gets "already redeemed", not "unknown".
    const std::int64_t grace = 3600 * 1000;
    std::erase_if(m_deviceCodes,
                  [&](const auto& e) { return e.second.expiresAtMs + grace < nowMs; });
    std::erase_if(m_codes, [&](const auto& e) { return e.second.expiresAtMs + grace < nowMs; });
    std::erase_if(m_refreshTokens, [&](const auto& e) { return e.second.expiresAtMs < nowMs; });
}

std::optional<EntraService::Scopes>
EntraService::parseDelegatedScopes(const std::string& scope, std::string* error, int* aadsts,
                                   std::string* description) const
{
    auto fail = [&](const char* err, int code, const std::string& text) -> std::optional<Scopes> {
        *error = err;
        *aadsts = code;
        *description = text;
        return std::nullopt;
    };
    const std::string prefix = std::string(kPowerBiResource) + "/";
    Scopes out;
    std::string otherResource;
    for (const std::string& s : splitSpaces(scope)) {
        if (s == "openid") {
            out.openid = true;
        } else if (s == "profile") {
            out.profile = true;
        } else if (s == "email") {
            out.email = true;
        } else if (s == "offline_access") {
            out.offlineAccess = true;
        } else if (s.rfind(prefix, 0) == 0) {
            const std::string name = s.substr(prefix.size());
            if (name == ".default") {
                out.isDefault = true;
            } else if (knownPowerBiScopes().count(name)) {
                if (std::find(out.powerBi.begin(), out.powerBi.end(), name) == out.powerBi.end())
                    out.powerBi.push_back(name);
            } else {
                return fail("invalid_scope", 70011,
                            "The provided value for the input parameter 'scope' is not valid. The "
                            "scope '" +
                                s + "' does not exist on the resource '" + kPowerBiResource + "'.");
            }
        } else if (s.find("://") != std::string::npos) {
            const auto slash = s.find('/', s.find("://") + 3);
            otherResource = slash == std::string::npos ? s : s.substr(0, slash);
        } else {
            // A bare name means Microsoft Graph at Entra; the sandbox has no Graph (inferred).
            return fail(
                "invalid_scope", 70011,
                "The provided value for the input parameter 'scope' is not valid. The scope '" + s +
                    "' is not valid. The sandbox only issues tokens for " + kPowerBiResource +
                    "; qualify Power BI scopes with it.");
        }
    }
    const bool anyPowerBi = out.isDefault || !out.powerBi.empty();
    if (!otherResource.empty() && anyPowerBi)
        return fail("invalid_scope", 700022,
                    "The provided value for the input parameter scope is not valid because it "
                    "contains more than one resource. Scope " +
                        scope + " is not valid.");
    if (!otherResource.empty())
        return fail(
            "invalid_resource", 500011,
            "The resource principal named " + otherResource +
                " was not found in the tenant named " + m_sandbox.m_tenant.displayName +
                ". This can happen if the application has not been installed by the "
                "administrator of the tenant or consented to by any user in the tenant. You "
                "might have sent your authentication request to the wrong tenant.");
    if (out.isDefault && !out.powerBi.empty())
        return fail("invalid_scope", 70011,
                    "The provided value for the input parameter 'scope' is not valid. The scope "
                    "'" +
                        scope +
                        "' is not valid. static scope limit exceeded: '.default' scope "
                        "can't be combined with resource-specific scopes.");
    if (!anyPowerBi)
        // Entra would issue a Microsoft Graph token for OpenID scopes alone; the sandbox has no
        // Graph, so it asks for a Power BI scope instead (inferred).
        return fail("invalid_scope", 70011,
                    "The provided value for the input parameter 'scope' is not valid. The scope '" +
                        scope + "' does not name a resource. The sandbox issues tokens for " +
                        kPowerBiResource + " only.");
    return out;
}

// ---- tokens --------------------------------------------------------------------------------

std::string EntraService::accessToken(const AppRegistration& app, const User* user,
                                      const std::vector<std::string>& scp, int appidacr,
                                      const std::string& ipAddress, std::int64_t* lifetimeOut) const
{
    const Tenant& tenant = m_sandbox.m_tenant;
    int lifetime = m_sandbox.m_options.tokenLifetimeSeconds;
    if (lifetime <= 0) {
        thread_local std::mt19937 engine{std::random_device{}()};
        lifetime = std::uniform_int_distribution<int>(3600, 5400)(engine);
    }
    const std::int64_t now = nowMs() / 1000;
    const std::string issuer = "https://sts.windows.net/" + tenant.id + "/";
    const RsaKey& key = *m_sandbox.m_key;
    nlohmann::json header = {
        {"typ", "JWT"}, {"alg", "RS256"}, {"x5t", key.keyId()}, {"kid", key.keyId()}};
    nlohmann::json claims = {
        {"aud", kPowerBiResource},
        {"iss", issuer},
        {"iat", now},
        {"nbf", now},
        {"exp", now + lifetime},
        {"aio", base64UrlEncode(randomGuid())},
        {"appid", app.clientId},
        {"appidacr", std::to_string(appidacr)},
        {"idp", issuer},
        {"rh", "0.sandbox." + base64UrlEncode(app.clientId.substr(0, 12)) + "."},
        {"tid", tenant.id},
        {"uti", base64UrlEncode(randomGuid().substr(0, 16))},
        {"ver", "1.0"},
    };
    if (!user) {
        claims["idtyp"] = "app";
        claims["oid"] = app.servicePrincipalId;
        claims["sub"] = app.servicePrincipalId;
        // Application permissions granted with admin consent travel as `roles`; Power BI
        // service principals normally have none, so the claim is usually absent (api-digest §10).
        if (const auto granted = tenant.adminConsentedPermissions.find(app.clientId);
            granted != tenant.adminConsentedPermissions.end() && !granted->second.empty())
            claims["roles"] = granted->second;
    } else {
        claims.erase("idp"); // user tokens of the home tenant carry no idp
        const auto space = user->displayName.find(' ');
        claims["acr"] = "1";
        claims["amr"] = nlohmann::json::array({"pwd"});
        claims["app_displayname"] = app.displayName;
        claims["family_name"] =
            space == std::string::npos ? user->displayName : user->displayName.substr(space + 1);
        claims["given_name"] = user->displayName.substr(0, space);
        claims["idtyp"] = "user";
        claims["ipaddr"] = ipAddress.empty() ? "127.0.0.1" : ipAddress;
        claims["name"] = user->displayName;
        claims["oid"] = user->objectId;
        claims["puid"] = base64UrlEncode(user->objectId.substr(0, 8));
        claims["scp"] = joinSpaces(scp);
        // The subject is pairwise: one value per user and app.
        claims["sub"] = base64UrlEncode(user->objectId + "/" + app.clientId).substr(0, 43);
        claims["unique_name"] = user->userPrincipalName;
        claims["upn"] = user->userPrincipalName;
        nlohmann::json wids = nlohmann::json::array();
        if (user->isFabricAdmin)
            wids.push_back(kFabricAdminRole);
        wids.push_back(kDefaultUserRole);
        claims["wids"] = wids;
    }
    // expires_in tells the client how long to use the token by its own clock: with a faster
    // sandbox clock the token dies sooner in real time (docs/sandbox-powerbi.md, "Time").
    if (lifetimeOut)
        *lifetimeOut = m_sandbox.m_clock->realSecondsFloor(lifetime);
    return encodeJwt(header, claims, key);
}

std::string EntraService::idToken(const Request& req, const AppRegistration& app, const User& user,
                                  const std::string& nonce) const
{
    const Tenant& tenant = m_sandbox.m_tenant;
    const std::int64_t now = nowMs() / 1000;
    const RsaKey& key = *m_sandbox.m_key;
    nlohmann::json header = {{"typ", "JWT"}, {"alg", "RS256"}, {"kid", key.keyId()}};
    // v2.0 id token; its issuer is the v2.0 discovery document's, i.e. this sandbox's address.
    nlohmann::json claims = {
        {"aud", app.clientId},
        {"iss", requestBase(req) + "/" + tenant.id + "/v2.0"},
        {"iat", now},
        {"nbf", now},
        {"exp", now + 3600},
        {"aio", base64UrlEncode(randomGuid())},
        {"name", user.displayName},
        {"oid", user.objectId},
        {"preferred_username", user.userPrincipalName},
        {"rh", "0.sandbox." + base64UrlEncode(app.clientId.substr(0, 12)) + "."},
        {"sub", base64UrlEncode(user.objectId + "/" + app.clientId).substr(0, 43)},
        {"tid", tenant.id},
        {"uti", base64UrlEncode(randomGuid().substr(0, 16))},
        {"ver", "2.0"},
    };
    if (!nonce.empty())
        claims["nonce"] = nonce;
    return encodeJwt(header, claims, key);
}

void EntraService::issueUserTokens(const Request& req, const AppRegistration& app, const User& user,
                                   const Scopes& scopes, int appidacr, const std::string& nonce,
                                   Response& res)
{
    // Consent: every named scope must be consented; .default means "all that is consented".
    // The token carries every consented scope of the resource, as Entra's does.
    if (app.consentedScopes.empty()) {
        consentMissing(res, app);
        return;
    }
    for (const auto& s : scopes.powerBi) {
        if (std::find(app.consentedScopes.begin(), app.consentedScopes.end(), s) ==
            app.consentedScopes.end()) {
            consentMissing(res, app);
            return;
        }
    }
    std::vector<std::string> scp = app.consentedScopes;
    std::sort(scp.begin(), scp.end());
    std::int64_t lifetime = 0;
    const std::string token = accessToken(app, &user, scp, appidacr, req.remoteAddress, &lifetime);

    std::vector<std::string> granted;
    for (const auto& s : scp)
        granted.push_back(std::string(kPowerBiResource) + "/" + s);
    if (scopes.openid)
        granted.push_back("openid");
    if (scopes.profile)
        granted.push_back("profile");
    if (scopes.email)
        granted.push_back("email");
    if (scopes.offlineAccess)
        granted.push_back("offline_access");
    nlohmann::json body = {{"token_type", "Bearer"},
                           {"scope", joinSpaces(granted)},
                           {"expires_in", lifetime},
                           {"ext_expires_in", lifetime},
                           {"access_token", token}};
    if (scopes.offlineAccess) {
        const std::string refresh = opaqueToken("1.AQsA");
        m_refreshTokens[refresh] =
            RefreshGrant{app.clientId, user.objectId, scopes, nowMs() + kRefreshLifetimeMs, false};
        body["refresh_token"] = refresh;
    }
    if (scopes.openid) {
        body["id_token"] = idToken(req, app, user, nonce);
        // client_info: base64url {"uid","utid"}, which MSAL uses to key its account cache.
        body["client_info"] = base64UrlEncode(
            nlohmann::json{{"uid", user.objectId}, {"utid", m_sandbox.m_tenant.id}}.dump());
    }
    wire::json(res, 200, body);
}

// ---- client authentication -----------------------------------------------------------------

std::optional<int> EntraService::authenticateClient(const Request& req,
                                                    const std::map<std::string, std::string>& form,
                                                    const AppRegistration& app,
                                                    bool requireCredential,
                                                    const std::string& tenantSegment, Response& res)
{
    std::string clientId = app.clientId;
    std::string secret = field(form, "client_secret");
    readBasicAuth(req, clientId, secret);
    const std::string assertion = field(form, "client_assertion");
    const bool presented = !secret.empty() || !assertion.empty();
    if (!presented) {
        if (requireCredential || !app.isPublicClient) {
            // Entra answers a bad client credential with 401 invalid_client (api-digest §10).
            wire::entraError(res, 401, "invalid_client", 7000218,
                             "The request body must contain the following parameter: "
                             "'client_assertion' or 'client_secret'.");
            return std::nullopt;
        }
        return 0;
    }
    if (app.secrets.empty() && app.certificates.empty()) {
        // AADSTS700025: not in the digest; what Entra says to a credential from a public client.
        wire::entraError(
            res, 401, "invalid_client", 700025,
            "Client is public so neither 'client_assertion' nor 'client_secret' should "
            "be presented.");
        return std::nullopt;
    }
    if (!assertion.empty()) {
        const std::string type = field(form, "client_assertion_type");
        if (type.empty()) {
            missingParameter(res, "client_assertion_type");
            return std::nullopt;
        }
        if (type != kJwtBearer) {
            // AADSTS50027 [unverified for this cause]: Entra's "malformed assertion" code.
            wire::entraError(res, 401, "invalid_client", 50027,
                             "JWT token is invalid or malformed. The client_assertion_type '" +
                                 type + "' is not supported; use '" + kJwtBearer + "'.");
            return std::nullopt;
        }
        if (!verifyClientAssertion(req, assertion, app, tenantSegment, res))
            return std::nullopt;
        return 2;
    }
    if (std::find(app.secrets.begin(), app.secrets.end(), secret) == app.secrets.end()) {
        wire::entraError(res, 401, "invalid_client", 7000215,
                         "Invalid client secret provided. Ensure the secret being sent in the "
                         "request is the client secret value, not the client secret ID, for a "
                         "secret added to app '" +
                             app.clientId + "'.");
        return std::nullopt;
    }
    return 1;
}

bool EntraService::verifyClientAssertion(const Request& req, const std::string& assertion,
                                         const AppRegistration& app,
                                         const std::string& tenantSegment, Response& res)
{
    // Codes: 700027 and 700024 are in the digest (their `error` values are [unverified]);
    // 50027 (malformed) and 50048 (sub != iss) are Entra's, not in the digest.
    auto malformed = [&](const std::string& why) {
        wire::entraError(res, 401, "invalid_client", 50027,
                         "JWT token is invalid or malformed. " + why);
        return false;
    };
    const auto jwt = decodeJwt(assertion);
    if (!jwt)
        return malformed("The client assertion is not a compact JWS.");
    if (jwt->header.value("alg", "") != "RS256")
        return malformed("The client assertion must be signed with RS256.");
    const nlohmann::json& h = jwt->header;
    const std::string x5t =
        h.contains("x5t") && h["x5t"].is_string() ? h["x5t"].get<std::string>() : "";
    const std::string x5tS256 =
        h.contains("x5t#S256") && h["x5t#S256"].is_string() ? h["x5t#S256"].get<std::string>() : "";
    if (x5t.empty() && x5tS256.empty())
        return malformed("The client assertion header has no 'x5t' (certificate thumbprint).");

    std::optional<EntraCertificate> cert;
    for (const auto& pem : app.certificates) {
        auto c = EntraCertificate::fromPem(pem);
        if (c &&
            ((!x5t.empty() && c->x5t() == x5t) || (!x5tS256.empty() && c->x5tS256() == x5tS256))) {
            cert = std::move(c);
            break;
        }
    }
    if (!cert) {
        wire::entraError(
            res, 401, "invalid_client", 700027,
            "The certificate with identifier used to sign the client assertion is not "
            "registered on application. [Reason - The key was not found., Thumbprint of "
            "key used by client: '" +
                (x5t.empty() ? x5tS256 : x5t) +
                "', Please visit the Azure Portal, Graph Explorer or directly use MS "
                "Graph to see configured keys for app Id '" +
                app.clientId + "'.]");
        return false;
    }
    if (!cert->verifyRs256(jwt->signingInput, jwt->signature)) {
        wire::entraError(res, 401, "invalid_client", 700027,
                         "Client assertion failed signature validation.");
        return false;
    }

    const nlohmann::json& c = jwt->claims;
    auto str = [&](const char* name) {
        return c.contains(name) && c[name].is_string() ? c[name].get<std::string>() : std::string();
    };
    // Audience: this token endpoint, addressed by tenant id or domain (Entra accepts either),
    // at the address the client used or the sandbox's own; the v1 endpoint and the v2.0 issuer
    // are accepted too, as Entra does.
    if (!c.contains("aud") || !c["aud"].is_string())
        return malformed("The client assertion has no single 'aud' string.");
    const std::string aud = str("aud");
    std::set<std::string> audiences;
    const Tenant& tenant = m_sandbox.m_tenant;
    for (const std::string& base : {requestBase(req), m_sandbox.baseUrl()}) {
        for (const std::string& t : {tenant.id, tenant.domain, tenantSegment}) {
            audiences.insert(base + "/" + t + "/oauth2/v2.0/token");
            audiences.insert(base + "/" + t + "/oauth2/token");
            audiences.insert(base + "/" + t + "/v2.0");
        }
    }
    if (!audiences.count(aud))
        return malformed("The audience '" + aud +
                         "' of the client assertion is not this token "
                         "endpoint (" +
                         requestBase(req) + "/" + tenant.id + "/oauth2/v2.0/token).");
    const std::string iss = str("iss");
    const std::string sub = str("sub");
    if (sub != iss) {
        wire::entraError(res, 401, "invalid_client", 50048,
                         "Subject must match the issuer claim in the client assertion.");
        return false;
    }
    if (iss != app.clientId)
        return malformed("The client assertion's 'iss' and 'sub' must be the client id '" +
                         app.clientId + "'.");
    if (str("jti").empty())
        return malformed("The client assertion has no 'jti'.");
    if (!c.contains("exp") || !c["exp"].is_number())
        return malformed("The client assertion has no 'exp'.");
    // NumericDate may be fractional or absurd; clamp before converting so that no value
    // overflows (year 1970 to 9999).
    auto seconds = [&](const char* name) -> std::int64_t {
        if (!c.contains(name) || !c[name].is_number())
            return 0;
        return std::int64_t(std::clamp(c[name].get<double>(), 0.0, 253402300799.0));
    };
    const std::int64_t now = entraNowMs() / 1000; // the client's clock, not the sandbox's
    const std::int64_t exp = seconds("exp");
    const std::int64_t nbf = seconds("nbf");
    if (exp + kSkewSeconds < now || nbf - kSkewSeconds > now) {
        wire::entraError(
            res, 401, "invalid_client", 700024,
            "Client assertion is not within its valid time range. Current time: " + isoTime(now) +
                ", assertion valid from " + (nbf ? isoTime(nbf) : std::string("(none)")) +
                ", expiry time of assertion " + isoTime(exp) + ".");
        return false;
    }
    return true;
}

// ---- the token endpoint --------------------------------------------------------------------

void EntraService::handleToken(const Request& req, Response& res)
{
    std::lock_guard lock(m_sandbox.m_mutex);
    tokenRequest(req, wire::parseForm(req.body), res);
}

void EntraService::handleTokenV1(const Request& req, Response& res)
{
    // The v1 endpoint names the resource instead of scopes and always returns refresh tokens to
    // user flows; its numbers are strings and it adds expires_on, not_before and resource.
    auto form = wire::parseForm(req.body);
    const std::string grant = field(form, "grant_type");
    const std::string resource = field(form, "resource");
    std::lock_guard lock(m_sandbox.m_mutex);
    if (!checkTenant(req.pathParams.at(0), res, true))
        return;
    if (resource.empty() && grant == "client_credentials") {
        missingParameter(res, "resource");
        return;
    }
    if (!resource.empty()) {
        const bool openid = field(form, "scope").find("openid") != std::string::npos;
        form["scope"] = resource + "/.default" +
                        (grant == "client_credentials" ? "" : " offline_access") +
                        (openid ? " openid" : "");
    }
    tokenRequest(req, form, res);
    if (res.status != 200)
        return;
    nlohmann::json body = nlohmann::json::parse(res.body, nullptr, false);
    if (!body.is_object())
        return;
    const std::int64_t lifetime = body["expires_in"].get<std::int64_t>();
    const std::int64_t now = nowMs() / 1000;
    body["expires_in"] = std::to_string(lifetime);
    body["ext_expires_in"] = std::to_string(lifetime);
    // expires_on is a sandbox time like the token's exp; expires_in is in real seconds.
    const double scale = m_sandbox.m_clock->timeScale();
    body["expires_on"] =
        std::to_string(now + (scale > 0 ? std::int64_t(double(lifetime) * scale) : lifetime));
    body["not_before"] = std::to_string(now);
    body["resource"] = resource.empty() ? std::string(kPowerBiResource) : resource;
    if (body.contains("scope")) {
        // v1 lists the granted permissions by their short names.
        const std::string prefix = std::string(kPowerBiResource) + "/";
        std::vector<std::string> names;
        for (const auto& s : splitSpaces(body["scope"].get<std::string>()))
            if (s.rfind(prefix, 0) == 0)
                names.push_back(s.substr(prefix.size()));
        body["scope"] = joinSpaces(names);
    }
    wire::json(res, 200, body);
}

void EntraService::tokenRequest(const Request& req, const std::map<std::string, std::string>& form,
                                Response& res)
{
    const std::string tenantSegment = req.pathParams.at(0);
    purgeExpired(nowMs());
    if (!checkTenant(tenantSegment, res, true))
        return;
    const std::string grantType = field(form, "grant_type");
    if (grantType.empty()) {
        missingParameter(res, "grant_type");
        return;
    }
    static const std::set<std::string> grants = {"client_credentials", kDeviceCodeGrant,
                                                 "authorization_code", "refresh_token", "password"};
    if (!grants.count(grantType)) {
        wire::entraError(res, 400, "unsupported_grant_type", 70003,
                         "The app requested an unsupported grant type '" + grantType + "'.");
        return;
    }
    std::string clientId = field(form, "client_id");
    std::string ignored;
    readBasicAuth(req, clientId, ignored);
    if (clientId.empty()) {
        missingParameter(res, "client_id");
        return;
    }
    const AppRegistration* app = m_sandbox.m_tenant.findApp(clientId);
    if (!app) {
        wire::entraError(res, 400, "unauthorized_client", 700016,
                         "Application with identifier '" + clientId +
                             "' was not found in the directory '" + m_sandbox.m_tenant.displayName +
                             "'. This can happen if the application has not been installed by the "
                             "administrator of the tenant or consented to by any user in the "
                             "tenant. You may have sent your authentication request to the wrong "
                             "tenant.");
        return;
    }
    if (!checkAppAudience(tenantSegment, *app, res))
        return;
    if (grantType == "client_credentials") {
        grantClientCredentials(req, form, *app, res);
        return;
    }
    const auto appidacr = authenticateClient(req, form, *app, false, tenantSegment, res);
    if (!appidacr)
        return;
    if (grantType == kDeviceCodeGrant)
        grantDeviceCode(req, form, *app, *appidacr, res);
    else if (grantType == "authorization_code")
        grantAuthorizationCode(req, form, *app, *appidacr, res);
    else if (grantType == "refresh_token")
        grantRefreshToken(req, form, *app, *appidacr, res);
    else
        grantPassword(req, form, *app, *appidacr, res);
}

void EntraService::grantClientCredentials(const Request& req,
                                          const std::map<std::string, std::string>& form,
                                          const AppRegistration& app, Response& res)
{
    const std::string scope = field(form, "scope");
    if (scope.empty()) {
        missingParameter(res, "scope");
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
                                 " was not found in the tenant named " +
                                 m_sandbox.m_tenant.displayName +
                                 ". This can happen if the application has not been installed by "
                                 "the administrator of the tenant or consented to by any user in "
                                 "the tenant. You might have sent your authentication request to "
                                 "the wrong tenant.");
        }
        return;
    }
    const auto appidacr = authenticateClient(req, form, app, true, req.pathParams.at(0), res);
    if (!appidacr)
        return;
    std::int64_t lifetime = 0;
    const std::string token =
        accessToken(app, nullptr, {}, *appidacr, req.remoteAddress, &lifetime);
    wire::json(res, 200,
               {{"token_type", "Bearer"},
                {"expires_in", lifetime},
                {"ext_expires_in", lifetime},
                {"access_token", token}});
}

void EntraService::grantDeviceCode(const Request& req,
                                   const std::map<std::string, std::string>& form,
                                   const AppRegistration& app, int appidacr, Response& res)
{
    const std::string deviceCode = field(form, "device_code");
    if (deviceCode.empty()) {
        missingParameter(res, "device_code");
        return;
    }
    auto it = m_deviceCodes.find(deviceCode);
    if (it == m_deviceCodes.end() || it->second.clientId != app.clientId) {
        // AADSTS70000 [unverified]: the digest names the error (bad_verification_code), not the
        // code.
        wire::entraError(res, 400, "bad_verification_code", 70000,
                         "The provided value for the input parameter 'device_code' is not valid.");
        return;
    }
    DeviceCode& dc = it->second;
    const std::int64_t now = nowMs();
    if (now >= dc.expiresAtMs) {
        // Kept (until purged) so that every later poll hears the same answer.
        wire::entraError(res, 400, "expired_token", 70019,
                         "Verification code expired. The device code has expired; start over.");
        return;
    }
    if (dc.state == DeviceCode::State::Declined) {
        // AADSTS70000 [unverified]: the digest names the error, not the code.
        wire::entraError(res, 400, "authorization_declined", 70000,
                         "The end user denied the authorization request.");
        return;
    }
    if (dc.state == DeviceCode::State::Pending) {
        const std::int64_t intervalMs =
            std::int64_t(m_sandbox.m_options.deviceCodeIntervalSeconds) * 1000;
        // 10 % of slack: a client's coarse timer may fire a little early, and being told to
        // slow down for that would be a sandbox artefact.
        const bool tooSoon = dc.lastPollMs >= 0 && now - dc.lastPollMs < intervalMs * 9 / 10;
        dc.lastPollMs = now;
        if (tooSoon) {
            // RFC 8628 §3.5 slow_down; Entra's doc does not list it (digest §10), so the AADSTS
            // code is the pending one's. The sandbox keeps enforcing the original interval.
            wire::entraError(res, 400, "slow_down", 70016,
                             "OAuth 2.0 device flow error. Polling too fast: wait at least " +
                                 std::to_string(m_sandbox.m_options.deviceCodeIntervalSeconds) +
                                 " seconds between requests, and add 5 seconds to the interval.");
            return;
        }
        wire::entraError(
            res, 400, "authorization_pending", 70016,
            "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");
        return;
    }
    const DeviceCode approved = dc;
    m_deviceCodes.erase(it);
    const User* user = findUserById(approved.userObjectId);
    if (!user) {
        wire::entraError(res, 400, "invalid_grant", 50034,
                         "The user account does not exist in the " +
                             m_sandbox.m_tenant.displayName + " directory.");
        return;
    }
    issueUserTokens(req, app, *user, approved.scopes, appidacr, {}, res);
}

void EntraService::grantAuthorizationCode(const Request& req,
                                          const std::map<std::string, std::string>& form,
                                          const AppRegistration& app, int appidacr, Response& res)
{
    const std::string code = field(form, "code");
    if (code.empty()) {
        missingParameter(res, "code");
        return;
    }
    auto it = m_codes.find(code);
    if (it == m_codes.end()) {
        // AADSTS9002313 [unverified]: Entra's answer for a code it cannot parse.
        wire::entraError(res, 400, "invalid_grant", 9002313,
                         "Invalid request. Request is malformed or invalid.");
        return;
    }
    AuthorizationCode& ac = it->second;
    if (ac.clientId != app.clientId) {
        wire::entraError(res, 400, "invalid_grant", 70000,
                         "Provided grant is invalid or malformed. The authorization code was "
                         "issued to another application.");
        return;
    }
    if (ac.redeemed) {
        wire::entraError(res, 400, "invalid_grant", 54005,
                         "OAuth2 Authorization code was already redeemed, please retry with a new "
                         "valid code or use an existing refresh token.");
        return;
    }
    if (nowMs() >= ac.expiresAtMs) {
        wire::entraError(res, 400, "invalid_grant", 70008,
                         "The provided authorization code or refresh token has expired due to "
                         "inactivity. Send a new interactive authorization request for this user "
                         "and resource.");
        return;
    }
    const std::string redirectUri = field(form, "redirect_uri");
    if (redirectUri != ac.redirectUri) {
        // AADSTS50011 at the token endpoint (not in the digest): the URI must be the one the
        // code was issued for.
        wire::entraError(res, 400, "invalid_grant", 50011,
                         "The redirect URI '" + redirectUri +
                             "' specified in the request does not match the redirect URI the "
                             "authorization code was issued for.");
        return;
    }
    if (!ac.codeChallenge.empty()) {
        const std::string verifier = field(form, "code_verifier");
        if (verifier.empty()) {
            missingParameter(res, "code_verifier");
            return;
        }
        std::string computed = verifier;
        if (ac.codeChallengeMethod == "S256")
            computed = base64UrlEncode(sha256Bytes(verifier));
        if (computed != ac.codeChallenge) {
            // AADSTS501481 [unverified].
            wire::entraError(res, 400, "invalid_grant", 501481,
                             "The Code_Verifier does not match the code_challenge supplied in the "
                             "authorization request.");
            return;
        }
    }
    // Redeemed even if what follows fails: a code is good for one attempt.
    ac.redeemed = true;
    const AuthorizationCode redeemed = ac;
    const User* user = findUserById(redeemed.userObjectId);
    if (!user) {
        wire::entraError(res, 400, "invalid_grant", 50034,
                         "The user account does not exist in the " +
                             m_sandbox.m_tenant.displayName + " directory.");
        return;
    }
    issueUserTokens(req, app, *user, redeemed.scopes, appidacr, redeemed.nonce, res);
}

void EntraService::grantRefreshToken(const Request& req,
                                     const std::map<std::string, std::string>& form,
                                     const AppRegistration& app, int appidacr, Response& res)
{
    const std::string token = field(form, "refresh_token");
    if (token.empty()) {
        missingParameter(res, "refresh_token");
        return;
    }
    auto it = m_refreshTokens.find(token);
    if (it == m_refreshTokens.end()) {
        // AADSTS9002313 [unverified]: what Entra says to a refresh token it cannot parse.
        wire::entraError(res, 400, "invalid_grant", 9002313,
                         "Invalid request. Request is malformed or invalid.");
        return;
    }
    RefreshGrant& grant = it->second;
    if (grant.clientId != app.clientId) {
        wire::entraError(res, 400, "invalid_grant", 70000,
                         "Provided grant is invalid or malformed. The refresh token was issued to "
                         "another application.");
        return;
    }
    if (grant.used) {
        // Stricter than Entra (which lets a refresh token be used until it expires): the
        // sandbox rotates them, so a client that keeps an old one finds out here. 70000 is
        // Entra's generic invalid_grant code.
        wire::entraError(res, 400, "invalid_grant", 70000,
                         "Provided grant is invalid or malformed. The refresh token was already "
                         "used; the sandbox rotates refresh tokens, use the newest one.");
        return;
    }
    Scopes scopes = grant.scopes;
    const std::string scope = field(form, "scope");
    if (!scope.empty()) {
        std::string error, description;
        int aadsts = 0;
        auto parsed = parseDelegatedScopes(scope, &error, &aadsts, &description);
        if (!parsed) {
            wire::entraError(res, 400, error, aadsts, description);
            return;
        }
        // A refresh keeps offline_access: the grant itself is the offline access.
        parsed->offlineAccess = parsed->offlineAccess || grant.scopes.offlineAccess;
        scopes = *parsed;
    }
    const User* user = findUserById(grant.userObjectId);
    grant.used = true;
    if (!user) {
        wire::entraError(res, 400, "invalid_grant", 50034,
                         "The user account does not exist in the " +
                             m_sandbox.m_tenant.displayName + " directory.");
        return;
    }
    issueUserTokens(req, app, *user, scopes, appidacr, {}, res);
}

void EntraService::grantPassword(const Request& req, const std::map<std::string, std::string>& form,
                                 const AppRegistration& app, int appidacr, Response& res)
{
    const std::string username = field(form, "username");
    const std::string password = field(form, "password");
    const std::string scope = field(form, "scope");
    if (username.empty()) {
        missingParameter(res, "username");
        return;
    }
    if (password.empty()) {
        missingParameter(res, "password");
        return;
    }
    if (scope.empty()) {
        missingParameter(res, "scope");
        return;
    }
    std::string error, description;
    int aadsts = 0;
    const auto scopes = parseDelegatedScopes(scope, &error, &aadsts, &description);
    if (!scopes) {
        wire::entraError(res, 400, error, aadsts, description);
        return;
    }
    const User* user = findUser(username);
    if (!user) {
        // AADSTS50034: not in the digest; Entra's "user not found".
        wire::entraError(res, 400, "invalid_grant", 50034,
                         "The user account {EUII Hidden} does not exist in the " +
                             m_sandbox.m_tenant.displayName +
                             " directory. To sign into this application, the account must be added "
                             "to the directory.");
        return;
    }
    if (user->password != password) {
        wire::entraError(res, 400, "invalid_grant", 50126,
                         "Error validating credentials due to invalid username or password.");
        return;
    }
    issueUserTokens(req, app, *user, *scopes, appidacr, {}, res);
}

// ---- device authorization ------------------------------------------------------------------

void EntraService::handleDeviceCode(const Request& req, Response& res)
{
    std::lock_guard lock(m_sandbox.m_mutex);
    deviceCodeRequest(req, wire::parseForm(req.body), res);
}

void EntraService::handleDeviceCodeV1(const Request& req, Response& res)
{
    // v1: `resource` instead of scopes; `verification_url` (not _uri) and numbers as strings.
    auto form = wire::parseForm(req.body);
    const std::string resource = field(form, "resource");
    std::lock_guard lock(m_sandbox.m_mutex);
    if (!checkTenant(req.pathParams.at(0), res, true))
        return;
    if (!resource.empty()) {
        form["scope"] = resource + "/.default offline_access" +
                        (field(form, "scope").find("openid") != std::string::npos ? " openid" : "");
    } else if (!field(form, "client_id").empty()) {
        missingParameter(res, "resource");
        return;
    }
    deviceCodeRequest(req, form, res);
    if (res.status != 200)
        return;
    nlohmann::json body = nlohmann::json::parse(res.body, nullptr, false);
    body["verification_url"] = body["verification_uri"];
    body.erase("verification_uri");
    body["expires_in"] = std::to_string(body["expires_in"].get<int>());
    body["interval"] = std::to_string(body["interval"].get<int>());
    wire::json(res, 200, body);
}

void EntraService::deviceCodeRequest(const Request& req,
                                     const std::map<std::string, std::string>& form, Response& res)
{
    const std::string tenantSegment = req.pathParams.at(0);
    purgeExpired(nowMs());
    if (!checkTenant(tenantSegment, res, true))
        return;
    const std::string clientId = field(form, "client_id");
    if (clientId.empty()) {
        missingParameter(res, "client_id");
        return;
    }
    const AppRegistration* app = m_sandbox.m_tenant.findApp(clientId);
    if (!app) {
        wire::entraError(res, 400, "unauthorized_client", 700016,
                         "Application with identifier '" + clientId +
                             "' was not found in the directory '" + m_sandbox.m_tenant.displayName +
                             "'. This can happen if the application has not been installed by the "
                             "administrator of the tenant or consented to by any user in the "
                             "tenant. You may have sent your authentication request to the wrong "
                             "tenant.");
        return;
    }
    if (!checkAppAudience(tenantSegment, *app, res))
        return;
    const std::string scope = field(form, "scope");
    if (scope.empty()) {
        missingParameter(res, "scope");
        return;
    }
    std::string error, description;
    int aadsts = 0;
    const auto scopes = parseDelegatedScopes(scope, &error, &aadsts, &description);
    if (!scopes) {
        wire::entraError(res, 400, error, aadsts, description);
        return;
    }

    std::string code;
    do {
        code = userCode();
    } while (std::any_of(m_deviceCodes.begin(), m_deviceCodes.end(),
                         [&](const auto& e) { return e.second.userCode == code; }));
    const std::string deviceCode = opaqueToken("DAQABIQEAAAD");
    const int lifetime = m_sandbox.m_options.deviceCodeLifetimeSeconds;
    DeviceCode dc;
    dc.userCode = code;
    dc.clientId = app->clientId;
    dc.scopes = *scopes;
    dc.expiresAtMs = nowMs() + std::int64_t(lifetime) * 1000;
    m_deviceCodes[deviceCode] = dc;

    const std::string uri = requestBase(req) + "/sandbox/devicelogin";
    wire::json(res, 200,
               {{"user_code", code},
                {"device_code", deviceCode},
                {"verification_uri", uri},
                {"expires_in", lifetime},
                {"interval", m_sandbox.m_options.deviceCodeIntervalSeconds},
                {"message", "To sign in, use a web browser to open the page " + uri +
                                " and enter the code " + code + " to authenticate."}});
}

} // namespace pbi::sandbox
