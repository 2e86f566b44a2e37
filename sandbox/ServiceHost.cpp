#include "ServiceHost.h"

#include "ActivityService.h"
#include "EmbedTokenService.h"
#include "HttpServer.h"
#include "ScannerService.h"
#include "WireHelpers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace pbi::sandbox {

namespace {

/// The spec's path template as the route's regex: {param} → one segment (as PowerBiService).
std::string patternFor(const std::string& path)
{
    std::string out = "^";
    for (std::size_t i = 0; i < path.size(); ++i) {
        const char c = path[i];
        if (c == '{') {
            i = path.find('}', i);
            out += "([^/]+)";
        } else if (c == '.' || c == '$' || c == '(' || c == ')') {
            out += '\\';
            out += c;
        } else {
            out += c;
        }
    }
    return out + "/?$";
}

bool isInAnyGroup(const Tenant& t, const std::string& objectId,
                  const std::vector<std::string>& groups)
{
    if (groups.empty())
        return true; // the setting applies to the whole organisation
    for (const auto& g : groups)
        if (t.isInGroup(objectId, g))
            return true;
    return false;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + std::int64_t(doe) - 719468;
}

std::uint64_t fnv1a(std::string_view text, std::uint64_t seed)
{
    std::uint64_t h = 1469598103934665603ull ^ seed;
    for (const char c : text) {
        h ^= std::uint8_t(c);
        h *= 1099511628211ull;
    }
    return h;
}

} // namespace

// --- access -------------------------------------------------------------------------------

namespace access {

bool servicePrincipalAllowed(const Tenant& t, const Caller& c, Response& res)
{
    const auto& s = t.settings;
    if (!c.appOnly ||
        (s.servicePrincipalsCanUseApis && isInAnyGroup(t, c.objectId, s.servicePrincipalApiGroups)))
        return true;
    wire::json(res, 401, {{"Message", "API is not accessible for application"}});
    return false;
}

bool adminAllowed(const Tenant& t, const Caller& c, Response& res)
{
    bool ok = false;
    if (c.appOnly) {
        // A service principal needs the read-only admin API setting (for a group it is in)
        // and must NOT have admin-consented Power BI permissions (api-digest §8).
        const AppRegistration* app = t.findApp(c.appId);
        const auto granted = app ? t.adminConsentedPermissions.find(app->clientId)
                                 : t.adminConsentedPermissions.end();
        const bool hasPermissions =
            granted != t.adminConsentedPermissions.end() && !granted->second.empty();
        ok = t.settings.servicePrincipalsCanUseReadOnlyAdminApis &&
             isInAnyGroup(t, c.objectId, t.settings.readOnlyAdminApiGroups) && !hasPermissions;
    } else {
        const User* u = t.findUser(c.objectId);
        ok = c.isFabricAdmin || (u && u->isFabricAdmin);
    }
    if (!ok)
        wire::pbiError(res, 401, "PowerBINotAuthorizedException");
    return ok;
}

bool hasScopeFamily(const Caller& c, const std::string& family)
{
    return c.appOnly || c.hasScope(family + ".Read.All") || c.hasScope(family + ".ReadWrite.All");
}

bool hasScope(const Caller& c, const std::string& scope)
{
    return c.appOnly || c.hasScope(scope);
}

bool isGuid(std::string_view s)
{
    if (s.size() != 36)
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        const char c = s[i];
        const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (dash ? c != '-' : !hex)
            return false;
    }
    return true;
}

} // namespace access

// --- times and ids ------------------------------------------------------------------------

std::int64_t ServiceContext::realSeconds(double sandboxSeconds) const
{
    if (clock)
        return clock->realSecondsCeil(sandboxSeconds);
    return sandboxSeconds <= 0 ? 0
                               : std::max<std::int64_t>(1, std::int64_t(std::ceil(sandboxSeconds)));
}

namespace timefmt {

std::string iso7(UnixMs ms)
{
    std::int64_t secs = ms / 1000;
    int millis = int(ms % 1000);
    if (millis < 0) {
        millis += 1000;
        --secs;
    }
    const std::time_t tt = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[56];
    std::snprintf(out, sizeof out, "%s.%03d0000Z", buf, millis);
    return out;
}

std::optional<UnixMs> parseIsoUtc(std::string_view s)
{
    // YYYY-MM-DDTHH:MM:SS[.f…][Z]
    auto digits = [&](std::size_t pos, std::size_t n, int& out) {
        if (pos + n > s.size())
            return false;
        int v = 0;
        for (std::size_t i = pos; i < pos + n; ++i) {
            if (s[i] < '0' || s[i] > '9')
                return false;
            v = v * 10 + (s[i] - '0');
        }
        out = v;
        return true;
    };
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    if (s.size() < 19 || !digits(0, 4, y) || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' ||
        !digits(8, 2, d) || (s[10] != 'T' && s[10] != 't') || !digits(11, 2, h) || s[13] != ':' ||
        !digits(14, 2, mi) || s[16] != ':' || !digits(17, 2, se))
        return std::nullopt;
    static const int kDaysIn[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > kDaysIn[mo - 1] || (mo == 2 && d == 29 && !leap) ||
        h > 23 || mi > 59 || se > 59)
        return std::nullopt;
    std::size_t pos = 19;
    int millis = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int scale = 100;
        const std::size_t first = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            millis += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == first)
            return std::nullopt;
    }
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z'))
        ++pos;
    if (pos != s.size())
        return std::nullopt;
    const std::int64_t days = daysFromCivil(y, unsigned(mo), unsigned(d));
    return ((days * 24 + h) * 60 + mi) * 60'000 + UnixMs(se) * 1000 + millis;
}

} // namespace timefmt

std::string stableGuid(std::string_view text)
{
    std::uint64_t hi = fnv1a(text, 0x9e3779b97f4a7c15ull);
    std::uint64_t lo = fnv1a(text, 0xc2b2ae3d27d4eb4full);
    // RFC 4122 version 4 layout, like every other id of the sandbox.
    hi = (hi & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;
    lo = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
    char buf[37];
    std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", unsigned(hi >> 32),
                  unsigned((hi >> 16) & 0xFFFF), unsigned(hi & 0xFFFF), unsigned(lo >> 48),
                  static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
    return buf;
}

// --- control bodies -----------------------------------------------------------------------

std::optional<nlohmann::json> controlBody(const Request& req, Response& res,
                                          const std::vector<std::string>& allowed)
{
    nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    std::string list;
    for (const auto& a : allowed)
        list += (list.empty() ? "" : ", ") + a;
    if (body.is_discarded() || !body.is_object()) {
        wire::serviceError(res, 400, "InvalidRequest",
                           "The body must be a JSON object with any of: " + list + ".");
        return std::nullopt;
    }
    for (const auto& [key, value] : body.items()) {
        (void)value;
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            wire::serviceError(res, 400, "InvalidRequest",
                               "Unknown field '" + key + "' (known: " + list + ").");
            return std::nullopt;
        }
    }
    return body;
}

bool controlInt(const nlohmann::json& body, const char* key, long long min, long long max,
                long long& out, Response& res)
{
    const auto it = body.find(key);
    if (it == body.end())
        return true;
    if (!it->is_number_integer() || it->get<long long>() < min || it->get<long long>() > max) {
        wire::serviceError(res, 400, "InvalidRequest",
                           std::string("'") + key + "' must be an integer from " +
                               std::to_string(min) + " to " + std::to_string(max) + ".");
        return false;
    }
    out = it->get<long long>();
    return true;
}

// --- the host -----------------------------------------------------------------------------

ServiceHost::ServiceHost(ServiceContext context)
    : m_context(std::move(context))
    , m_throttler(m_context.throttleScale, m_context.clock)
    , m_embed(std::make_unique<EmbedTokenService>(m_context))
    , m_scanner(std::make_unique<ScannerService>(m_context))
    , m_activity(std::make_unique<ActivityService>(m_context))
{}

ServiceHost::~ServiceHost() = default;

std::vector<ServiceRoute> ServiceHost::entries(ServiceHost* self)
{
    std::vector<ServiceRoute> out =
        EmbedTokenService::entries(self ? self->m_embed.get() : nullptr);
    for (auto& r : ScannerService::entries(self ? self->m_scanner.get() : nullptr))
        out.push_back(std::move(r));
    for (auto& r : ActivityService::entries(self ? self->m_activity.get() : nullptr))
        out.push_back(std::move(r));
    return out;
}

std::vector<PowerBiRoute> ServiceHost::routes()
{
    std::vector<PowerBiRoute> out;
    for (const auto& e : entries(nullptr))
        out.push_back(e.route);
    return out;
}

void ServiceHost::install(HttpServer& server, ServiceContext context)
{
    // The routes share the host; it dies with the server that holds them.
    auto host = std::make_shared<ServiceHost>(std::move(context));
    for (auto& e : entries(host.get())) {
        auto entry = std::make_shared<ServiceRoute>(std::move(e));
        server.route(
            entry->route.method, patternFor(entry->route.path),
            [host, entry](const Request& req, Response& res) { host->dispatch(*entry, req, res); });
    }
    auto locked = [host](auto handler) {
        return [host, handler](const Request& req, Response& res) {
            std::lock_guard lock(host->m_context.mutex);
            handler(req, res);
        };
    };
    EmbedTokenService& embed = *host->m_embed;
    ScannerService& scanner = *host->m_scanner;
    ActivityService& activity = *host->m_activity;
    server.route("GET", R"(^/sandbox/control/embed/?$)",
                 locked([&embed](const Request& q, Response& r) { embed.controlGet(q, r); }));
    server.route("PATCH", R"(^/sandbox/control/embed/?$)",
                 locked([&embed](const Request& q, Response& r) { embed.controlPatch(q, r); }));
    server.route("POST", R"(^/sandbox/control/embed/check/?$)",
                 locked([&embed](const Request& q, Response& r) { embed.controlCheck(q, r); }));
    server.route("GET", R"(^/sandbox/control/scanner/?$)",
                 locked([&scanner](const Request& q, Response& r) { scanner.controlGet(q, r); }));
    server.route("PATCH", R"(^/sandbox/control/scanner/?$)",
                 locked([&scanner](const Request& q, Response& r) { scanner.controlPatch(q, r); }));
    server.route("GET", R"(^/sandbox/control/activity/?$)",
                 locked([&activity](const Request& q, Response& r) { activity.controlGet(q, r); }));
    server.route(
        "PATCH", R"(^/sandbox/control/activity/?$)",
        locked([&activity](const Request& q, Response& r) { activity.controlPatch(q, r); }));
}

void ServiceHost::dispatch(const ServiceRoute& e, const Request& req, Response& res)
{
    std::lock_guard lock(m_context.mutex);
    const auto caller = m_context.authenticate(req, res);
    if (!caller)
        return;
    const Tenant& t = m_context.tenant;
    const bool admin = e.scope == ServiceRoute::Scope::Admin;
    if (admin ? !access::adminAllowed(t, *caller, res)
              : !access::servicePrincipalAllowed(t, *caller, res))
        return;
    // Admin operations need Tenant.Read.All or Tenant.ReadWrite.All on a delegated token;
    // member operations check their own (GenerateToken needs several at once).
    if (admin && !access::hasScopeFamily(*caller, "Tenant")) {
        wire::pbiError(res, 401, "PowerBINotAuthorizedException");
        return;
    }
    // Documented limits are per tenant (spec "Limitations").
    if (const int wait = m_throttler.admit(e.route.operationId, t.id)) {
        res.setHeader("Retry-After", std::to_string(wait));
        wire::json(res, 429,
                   {{"message", "You have exceeded the amount of requests allowed in the current "
                                "time frame and further requests will fail. Retry in " +
                                    std::to_string(wait) + " seconds."}});
        return;
    }
    e.body(req, res, *caller);
}

} // namespace pbi::sandbox
