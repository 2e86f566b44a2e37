// Power BI REST emulation: /v1.0/myorg/… (reference/api-digest.md §0–§6).

#include "HttpServer.h"
#include "Jwt.h"
#include "Sandbox.h"
#include "WireHelpers.h"

#include <chrono>
#include <charconv>

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

std::optional<int> parseNonNegative(const std::string& text)
{
    int value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || value < 0)
        return std::nullopt;
    return value;
}

nlohmann::json groupJson(const Workspace& w, const Tenant& tenant)
{
    nlohmann::json j = {{"id", w.id},
                        {"isReadOnly", w.isReadOnly},
                        {"isOnDedicatedCapacity", w.capacityId.has_value()},
                        {"name", w.name}};
    if (w.capacityId) {
        j["capacityId"] = *w.capacityId;
        if (const Capacity* c = tenant.findCapacity(*w.capacityId); c && c->sku[0] != 'A')
            j["defaultDatasetStorageFormat"] = "Large";
        else
            j["defaultDatasetStorageFormat"] = "Small";
    }
    return j;
}

} // namespace

void Sandbox::addPowerBiRoutes()
{
    m_server->route("GET", R"(^/v1\.0/myorg/groups/?$)",
                    [this](const Request& req, Response& res) { handleGroups(req, res); });
}

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

void Sandbox::handleGroups(const Request& req, Response& res)
{
    std::lock_guard lock(m_mutex);
    const auto caller = authenticate(req, res);
    if (!caller)
        return;

    int top = -1;
    int skip = 0;
    if (const std::string* t = req.queryValue("$top")) {
        auto v = parseNonNegative(*t);
        if (!v) {
            wire::serviceError(res, 400, "InvalidRequest",
                               "The query parameter '$top' is invalid: '" + *t + "'.");
            return;
        }
        top = *v;
    }
    if (const std::string* s = req.queryValue("$skip")) {
        auto v = parseNonNegative(*s);
        if (!v) {
            wire::serviceError(res, 400, "InvalidRequest",
                               "The query parameter '$skip' is invalid: '" + *s + "'.");
            return;
        }
        skip = *v;
    }

    nlohmann::json items = nlohmann::json::array();
    int index = 0;
    for (const auto& w : m_tenant.workspaces) {
        if (w.state != "Active")
            continue;
        const WorkspaceMember* role = nullptr;
        for (const auto& m : w.members)
            if (m.principalId == caller->objectId)
                role = &m;
        if (!role)
            continue;
        if (index++ < skip)
            continue;
        if (top >= 0 && int(items.size()) >= top)
            break;
        nlohmann::json item = groupJson(w, m_tenant);
        // isReadOnly is about the caller: a Viewer cannot change the workspace.
        item["isReadOnly"] = w.isReadOnly || role->accessRight == "Viewer";
        items.push_back(std::move(item));
    }
    wire::json(res, 200, wire::collection(baseUrl(), "groups", std::move(items)));
}

} // namespace pbi::sandbox
