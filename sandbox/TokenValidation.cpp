// How the Power BI API checks the bearer token it is given (reference/api-digest.md §5):
// token problems are 403 with X-PowerBI-Error-Info, not 401.

#include "HttpServer.h"
#include "Jwt.h"
#include "Sandbox.h"
#include "WireHelpers.h"

#include <chrono>

namespace pbi::sandbox {

namespace {

constexpr char kPowerBiResource[] = "https://analysis.windows.net/powerbi/api";

std::int64_t unixNow()
{
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

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
    if (!jwt || jwt->header.value("alg", "") != "RS256" ||
        jwt->header.value("kid", "") != m_key->keyId() ||
        !m_key->verifyRs256(jwt->signingInput, jwt->signature)) {
        tokenRefused(res, "InvalidToken");
        return std::nullopt;
    }
    const auto& c = jwt->claims;
    if (!c.contains("exp") || !c["exp"].is_number_integer() || c.value("aud", "") != kPowerBiResource ||
        c.value("tid", "") != m_tenant.id) {
        tokenRefused(res, "InvalidToken");
        return std::nullopt;
    }
    if (c["exp"].get<std::int64_t>() <= unixNow()) {
        tokenRefused(res, "TokenExpired");
        wire::serviceError(res, 403, "TokenExpired",
                           "Access token has expired, resubmit with a new access token");
        return std::nullopt;
    }
    Caller caller;
    caller.objectId = c.value("oid", "");
    caller.appId = c.value("appid", "");
    caller.appOnly = c.value("idtyp", "") == "app";
    return caller;
}

} // namespace pbi::sandbox
