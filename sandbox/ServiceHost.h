#pragma once

// The Power BI services that live beside PowerBiService, each with its own route table:
// embed tokens (EmbedTokenService), the admin scanner (ScannerService) and activity events
// (ActivityService). ServiceHost gives them what PowerBiService has as the Sandbox's friend
// (the tenant under the sandbox's mutex, bearer-token validation) and runs the checks every
// Power BI route shares: service-principal access, admin access, delegated scopes, throttling.

#include "Clock.h"
#include "PowerBiService.h"
#include "Sandbox.h"
#include "Tenant.h"
#include "Throttling.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pbi::sandbox {

class HttpServer;
class EmbedTokenService;
class ScannerService;
class ActivityService;
struct Request;
struct Response;

/// What the services need of their Sandbox. The references live as long as the Sandbox; the
/// Sandbox builds this in its constructor, where its private members are at hand.
struct ServiceContext {
    std::mutex& mutex; ///< the Sandbox's one mutex: held while any handler runs
    Tenant& tenant;
    double throttleScale = 1.0; ///< SandboxOptions::throttleScale
    /// Sandbox::authenticate: validates the bearer token; on failure fills the response.
    std::function<std::optional<Caller>(const Request&, Response&)> authenticate;
    std::function<std::string()> baseUrl;
    /// The sandbox's clock, which token lifetimes and throttling windows also read; nullptr:
    /// the wall clock.
    const SandboxClock* clock = nullptr;

    /// Sandbox time: what "now" is for scans, activity events and embed-token lifetimes.
    UnixMs nowMs() const { return clock ? clock->nowMs() : SandboxClock::wallNowMs(); }
    /// Real seconds a client waits for `sandboxSeconds` to pass (Retry-After).
    std::int64_t realSeconds(double sandboxSeconds) const;
};

/// One operation a service serves, under its spec operationId.
struct ServiceRoute {
    enum class Scope {
        Member, ///< the "Service principals can call Fabric public APIs" setting applies
        Admin,  ///< Fabric administrators and the read-only admin API setting
    };
    PowerBiRoute route;
    Scope scope = Scope::Member;
    std::function<void(const Request&, Response&, const Caller&)> body;
};

/// The access rules PowerBiService applies, for services outside it (api-digest §5, §8).
namespace access {
/// An app-only caller needs "Service principals can call Fabric public APIs" (for a group it
/// is in); otherwise 401 {"Message":"API is not accessible for application"}.
bool servicePrincipalAllowed(const Tenant& t, const Caller& c, Response& res);
/// Fabric administrators; service principals with the read-only admin API setting and no
/// admin-consented Power BI permissions. Otherwise 401 PowerBINotAuthorizedException.
bool adminAllowed(const Tenant& t, const Caller& c, Response& res);
/// A delegated token's scopes include `family`.Read.All or `family`.ReadWrite.All; app-only
/// tokens have no scopes and always pass (their rights come from workspace roles).
bool hasScopeFamily(const Caller& c, const std::string& family);
/// A delegated token's scopes include exactly `scope` (e.g. "Content.Create").
bool hasScope(const Caller& c, const std::string& scope);
bool isGuid(std::string_view text);
} // namespace access

/// Times as the service reads and writes them.
namespace timefmt {
/// "2020-06-15T16:46:28.0487687Z": seven fractional digits, as the scanner writes them.
std::string iso7(UnixMs ms);
/// ISO 8601 in UTC: "YYYY-MM-DDTHH:MM:SS", optional fraction, optional "Z". Offsets other
/// than Z are refused (the service asks for UTC). nullopt when it does not parse.
std::optional<UnixMs> parseIsoUtc(std::string_view text);
} // namespace timefmt

/// A GUID made from the text's hash: the same text always gives the same GUID.
std::string stableGuid(std::string_view text);

/// Owns the three services and their routes; Sandbox::Sandbox installs it before the
/// fallback routes. Control endpoints (docs/sandbox-embed-scanner-activity.md) let tests and
/// users tune what has no real-service setting: scan timing, page size, the trial quota.
class ServiceHost {
public:
    explicit ServiceHost(ServiceContext context);
    ~ServiceHost();
    ServiceHost(const ServiceHost&) = delete;
    ServiceHost& operator=(const ServiceHost&) = delete;

    /// Adds every route of the services to `server`; the host lives as long as the routes.
    static void install(HttpServer& server, ServiceContext context);
    /// Every Power BI route the services serve, for `pbi-sandbox --list-routes`.
    static std::vector<PowerBiRoute> routes();

private:
    static std::vector<ServiceRoute> entries(ServiceHost* self);
    void dispatch(const ServiceRoute& route, const Request& req, Response& res);

    ServiceContext m_context;
    Throttler m_throttler;
    std::unique_ptr<EmbedTokenService> m_embed;
    std::unique_ptr<ScannerService> m_scanner;
    std::unique_ptr<ActivityService> m_activity;
};

/// Control-endpoint helpers: the body as a JSON object whose keys are all in `allowed`;
/// otherwise nullopt with a 400 InvalidRequest in `res` (a typo must not pass silently).
std::optional<nlohmann::json> controlBody(const Request& req, Response& res,
                                          const std::vector<std::string>& allowed);
/// An integer member of a control body within [min, max]; false with a 400 otherwise.
bool controlInt(const nlohmann::json& body, const char* key, long long min, long long max,
                long long& out, Response& res);

} // namespace pbi::sandbox
