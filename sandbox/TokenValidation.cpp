// How the Power BI API checks the bearer token it is given (reference/api-digest.md §5):
// token problems are 403 with X-PowerBI-Error-Info, not 401. Both app-only (idtyp app) and
// delegated (idtyp user, scp) tokens of this tenant are accepted. Called with m_mutex held.

#include "HttpServer.h"
#include "Jwt.h"
#include "Sandbox.h"
#include "WireHelpers.h"

namespace pbi::sandbox {

namespace {

constexpr char kPowerBiResource[] = "https://analysis.windows.net/powerbi/api";

/// Power BI answers token problems with 403 and an X-PowerBI-Error-Info header (api-digest §5).
void tokenRefused(Response& res, const char* info)
{
    res.status = 403;
    res.body.clear();
    res.setHeader("X-PowerBI-Error-Info", info);
}

} // namespace

std::optional<Caller> Sandbox::authenticate(const Request& req, Response& res) const
{
    const std::string auth = req.header("authorization");
    if (auth.empty()) {
        // No header at all: 403 with an empty body and no hint (observed on the live API).
        res.status = 403;
        res.body.clear();
        return std::nullopt;
    }
    if (auth.rfind("Bearer ", 0) != 0) {
        tokenRefused(res, "InvalidToken");
        return std::nullopt;
    }
    const auto jwt = decodeJwt(std::string_view(auth).substr(7));
    auto headerString = [&](const char* name) {
        const auto& h = jwt->header;
        return h.contains(name) && h[name].is_string() ? h[name].get<std::string>() : std::string();
    };
    if (!jwt || headerString("alg") != "RS256" || headerString("kid") != m_key->keyId() ||
        !m_key->verifyRs256(jwt->signingInput, jwt->signature)) {
        tokenRefused(res, "InvalidToken");
        return std::nullopt;
    }
    const auto& c = jwt->claims;
    auto str = [&](const char* name) {
        return c.contains(name) && c[name].is_string() ? c[name].get<std::string>() : std::string();
    };
    if (!c.contains("exp") || !c["exp"].is_number_integer() || str("aud") != kPowerBiResource ||
        str("tid") != m_tenant.id || str("iss") != "https://sts.windows.net/" + m_tenant.id + "/" ||
        str("oid").empty()) {
        tokenRefused(res, "InvalidToken");
        return std::nullopt;
    }
    // A token used before its nbf is as unusable as an expired one (5 minutes of skew, as
    // Entra-issued tokens are validated with).
    // Both on the sandbox clock, which issued them: a faster clock expires tokens sooner.
    const std::int64_t unixNow = m_clock->nowMs() / 1000;
    if (c.contains("nbf") && c["nbf"].is_number_integer() &&
        c["nbf"].get<std::int64_t>() > unixNow + 300) {
        tokenRefused(res, "InvalidToken");
        return std::nullopt;
    }
    if (c["exp"].get<std::int64_t>() <= unixNow) {
        tokenRefused(res, "TokenExpired");
        wire::serviceError(res, 403, "TokenExpired",
                           "Access token has expired, resubmit with a new access token");
        return std::nullopt;
    }
    Caller caller;
    caller.objectId = str("oid");
    caller.appId = str("appid");
    caller.appOnly = str("idtyp") == "app";
    if (!caller.appOnly) {
        // Delegated token: scp is what Power BI checks per API ("Required Scope"); being a
        // Fabric administrator is a directory fact, read from the user record, not the token.
        caller.upn = str("upn");
        caller.displayName = str("name");
        const std::string scp = str("scp");
        std::size_t pos = 0;
        while (pos < scp.size()) {
            const std::size_t space = scp.find(' ', pos);
            const std::size_t end = space == std::string::npos ? scp.size() : space;
            if (end > pos)
                caller.scopes.push_back(scp.substr(pos, end - pos));
            pos = end + 1;
        }
        const User* user = nullptr;
        for (const auto& u : m_tenant.users)
            if (u.objectId == caller.objectId)
                user = &u;
        if (!user || caller.scopes.empty()) {
            // A user token for nobody in this tenant, or one without scp, is not a Power BI token.
            tokenRefused(res, "InvalidToken");
            return std::nullopt;
        }
        caller.isFabricAdmin = user->isFabricAdmin;
    }
    return caller;
}

} // namespace pbi::sandbox
