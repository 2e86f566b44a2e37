// Power BI REST emulation: /v1.0/myorg/… (reference/api-digest.md §0–§6).

#include "HttpServer.h"
#include "Sandbox.h"
#include "WireHelpers.h"

#include <charconv>

namespace pbi::sandbox {

namespace {

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
