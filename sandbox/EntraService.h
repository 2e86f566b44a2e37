#pragma once

// Entra ID emulation for one sandbox tenant (reference/api-digest.md §10). Internal to
// pbisandbox: the Sandbox owns one and routes /{tenant}/… and /sandbox/… to it.

#include "HttpServer.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pbi::sandbox {

class Sandbox;
struct AppRegistration;
struct User;

/// Discovery, keys, the token endpoint's grants, the device-code and authorization-code flows
/// and their sandbox-only sign-in pages. Every member runs under the Sandbox's mutex.
class EntraService {
public:
    explicit EntraService(Sandbox& sandbox);
    void addRoutes(HttpServer& server);

    /// Delegated scopes a request asked for: Power BI ones plus the OpenID Connect ones.
    struct Scopes {
        std::vector<std::string> powerBi; ///< short names, e.g. "Workspace.Read.All"
        bool isDefault = false;           ///< …/powerbi/api/.default
        bool openid = false;
        bool profile = false;
        bool email = false;
        bool offlineAccess = false;
    };

private:
    enum class TenantKind { Own, Common, Unknown, Invalid };
    struct DeviceCode {
        std::string userCode;
        std::string clientId;
        Scopes scopes;
        std::int64_t expiresAtMs = 0;
        std::int64_t lastPollMs = -1;
        enum class State { Pending, Approved, Declined } state = State::Pending;
        std::string userObjectId;
    };
    struct AuthorizationCode {
        std::string clientId;
        std::string redirectUri;
        Scopes scopes;
        std::string codeChallenge;
        std::string codeChallengeMethod;
        std::string nonce;
        std::string userObjectId;
        std::int64_t expiresAtMs = 0;
        bool redeemed = false;
    };
    struct RefreshGrant {
        std::string clientId;
        std::string userObjectId;
        Scopes scopes;
        std::int64_t expiresAtMs = 0;
        bool used = false;
    };

    // OidcDiscovery.cpp
    void handleDiscovery(const Request& req, Response& res, bool v2);
    void handleKeys(const Request& req, Response& res);

    // EntraService.cpp: the token endpoint and device authorization
    void handleToken(const Request& req, Response& res);
    void handleTokenV1(const Request& req, Response& res);
    void tokenRequest(const Request& req, const std::map<std::string, std::string>& form,
                      Response& res);
    void handleDeviceCode(const Request& req, Response& res);
    void handleDeviceCodeV1(const Request& req, Response& res);
    void deviceCodeRequest(const Request& req, const std::map<std::string, std::string>& form,
                           Response& res);
    void grantClientCredentials(const Request& req, const std::map<std::string, std::string>& form,
                                const AppRegistration& app, Response& res);
    void grantDeviceCode(const Request& req, const std::map<std::string, std::string>& form,
                         const AppRegistration& app, int appidacr, Response& res);
    void grantAuthorizationCode(const Request& req, const std::map<std::string, std::string>& form,
                                const AppRegistration& app, int appidacr, Response& res);
    void grantRefreshToken(const Request& req, const std::map<std::string, std::string>& form,
                           const AppRegistration& app, int appidacr, Response& res);
    void grantPassword(const Request& req, const std::map<std::string, std::string>& form,
                       const AppRegistration& app, int appidacr, Response& res);
    /// Checks client_secret / client_assertion; returns appidacr (0 public, 1 secret,
    /// 2 certificate) or nullopt with `res` filled.
    std::optional<int> authenticateClient(const Request& req,
                                          const std::map<std::string, std::string>& form,
                                          const AppRegistration& app, bool requireCredential,
                                          const std::string& tenantSegment, Response& res);
    bool verifyClientAssertion(const Request& req, const std::string& assertion,
                               const AppRegistration& app, const std::string& tenantSegment,
                               Response& res);
    /// Issues access (+ refresh, + id) token for a user; consent checked here (AADSTS65001).
    void issueUserTokens(const Request& req, const AppRegistration& app, const User& user,
                         const Scopes& scopes, int appidacr, const std::string& nonce,
                         Response& res);

    // EntraPages.cpp: sandbox sign-in pages and the test control endpoint
    void handleAuthorize(const Request& req, Response& res);
    void handleLogout(const Request& req, Response& res);
    void handleDeviceLogin(const Request& req, Response& res);
    void handleDeviceControl(const Request& req, Response& res);
    std::string decideDeviceCode(const std::string& userCode, bool approve, const User* user,
                                 int* status);

    // Shared helpers
    TenantKind tenantKind(const std::string& segment) const;
    /// AADSTS code and description when `segment` does not address this tenant.
    std::optional<std::pair<int, std::string>> tenantProblem(const std::string& segment,
                                                             bool allowCommon) const;
    /// Fills `res` with Entra's error for a tenant segment that is not this tenant; false then.
    bool checkTenant(const std::string& segment, Response& res, bool allowCommon) const;
    /// AADSTS50194 for a single-tenant app addressed through /common or /organizations.
    bool checkAppAudience(const std::string& segment, const AppRegistration& app,
                          Response& res) const;
    std::optional<Scopes> parseDelegatedScopes(const std::string& scope, std::string* error,
                                               int* aadsts, std::string* description) const;
    /// "http(s)://host:port" as the client reached the sandbox (Sandbox::baseUrlFor).
    std::string requestBase(const Request& req) const;
    std::string accessToken(const AppRegistration& app, const User* user,
                            const std::vector<std::string>& scp, int appidacr,
                            const std::string& ipAddress, std::int64_t* lifetime) const;
    std::string idToken(const Request& req, const AppRegistration& app, const User& user,
                        const std::string& nonce) const;
    const User* findUser(const std::string& upn) const;
    const User* findUserById(const std::string& objectId) const;
    void purgeExpired(std::int64_t nowMs);
    /// Sandbox time (Sandbox::clock()): codes and tokens age with the sandbox's time scale.
    std::int64_t nowMs() const;

    Sandbox& m_sandbox;
    std::map<std::string, DeviceCode> m_deviceCodes;     ///< by device_code
    std::map<std::string, AuthorizationCode> m_codes;    ///< by code
    std::map<std::string, RefreshGrant> m_refreshTokens; ///< by refresh token
};

/// Milliseconds since the Unix epoch by the wall clock: for times a client stamps with its own
/// clock (client assertions), which the sandbox's time scale does not speed up.
std::int64_t entraNowMs();

} // namespace pbi::sandbox
