// Power BI REST emulation: items in a workspace, My workspace, capacities, gateways, apps and
// deployment pipelines at member scope (api-digest §2).

#include "PowerBiService.h"

#include "EntityJson.h"
#include "WireHelpers.h"

#include <algorithm>

namespace pbi::sandbox {

namespace {

using nlohmann::json;

template <typename T, typename Id>
const T* findIn(const std::vector<T>& items, const std::string& id, Id idOf) {
    for (const auto& i : items)
        if (idOf(i) == id)
            return &i;
    return nullptr;
}

const Dataset* findDataset(const Workspace& w, const std::string& id) {
    return findIn(w.datasets, id, [](const Dataset& d) { return d.id; });
}

void notFound(Response& res) {
    // Wrong id and no permission look the same (api-digest §5).
    wire::pbiError(res, 404, "PowerBIEntityNotFound");
}

void notAuthorized(Response& res) {
    wire::pbiError(res, 401, "PowerBINotAuthorizedException");
}

/// Write permission on a workspace's models: Admin, Member and Contributor have it.
bool canWrite(const std::string& role) {
    return roleRank(role) >= roleRank("Contributor");
}

json entityBody(const std::string& base, const std::string& context, json entity) {
    // Like collections: a workspace's entities get ".../groups/<id>/$metadata#reports/$entity".
    std::string prefix;
    std::string rest = context;
    if (context.rfind("groups/", 0) == 0) {
        const auto second = context.find('/', 7);
        prefix = context.substr(0, second) + "/";
        rest = context.substr(second + 1);
        if (const auto entitySet = rest.rfind("/$entity"); entitySet != std::string::npos) {
            const auto start = rest.rfind('/', entitySet - 1);
            rest = start == std::string::npos ? rest : rest.substr(start + 1);
        }
    }
    json out = {{"@odata.context", base + "/v1.0/myorg/" + prefix + "$metadata#" + rest}};
    out.update(entity);
    return out;
}

bool principalMatches(const Tenant& t, const std::string& principalId, const std::string& type,
                      const std::string& callerId) {
    return principalId == callerId || (type == "Group" && t.isInGroup(callerId, principalId));
}

} // namespace

void PowerBiService::reports(const Request& req, Response& res, const Caller& caller) {
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, nullptr);
    if (!w)
        return;
    json items = json::array();
    for (const auto& r : w->reports)
        items.push_back(entity::report(r, *w, false));
    collection(res, "groups/" + w->id + "/reports", std::move(items));
}

void PowerBiService::report(const Request& req, Response& res, const Caller& caller) {
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, nullptr);
    if (!w)
        return;
    const Report* r = findIn(w->reports, req.pathParams[1], [](const Report& x) { return x.id; });
    if (!r)
        return notFound(res);
    wire::json(res, 200,
               entityBody(m_sb.baseUrl(), "groups/" + w->id + "/reports/$entity",
                          entity::report(*r, *w, false)));
}

void PowerBiService::datasets(const Request& req, Response& res, const Caller& caller) {
    const std::string* role = nullptr;
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, &role);
    if (!w)
        return;
    json items = json::array();
    for (const auto& d : w->datasets)
        items.push_back(entity::dataset(d, *w, false, !canWrite(*role)));
    collection(res, "groups/" + w->id + "/datasets", std::move(items));
}

void PowerBiService::dataset(const Request& req, Response& res, const Caller& caller) {
    const std::string* role = nullptr;
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, &role);
    if (!w)
        return;
    const Dataset* d = findDataset(*w, req.pathParams[1]);
    if (!d)
        return notFound(res);
    wire::json(res, 200,
               entityBody(m_sb.baseUrl(), "groups/" + w->id + "/datasets/$entity",
                          entity::dataset(*d, *w, false, !canWrite(*role))));
}

void PowerBiService::datasetDatasources(const Request& req, Response& res, const Caller& caller) {
    const std::string* role = nullptr;
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, &role);
    if (!w)
        return;
    const Dataset* d = findDataset(*w, req.pathParams[1]);
    if (!d)
        return notFound(res);
    if (!canWrite(*role)) // "Caller must have Write permissions on the dataset."
        return notAuthorized(res);
    json items = json::array();
    for (const auto& s : d->datasources)
        items.push_back(entity::datasource(s));
    collection(res, "groups/" + w->id + "/datasets/" + d->id + "/datasources", std::move(items));
}

void PowerBiService::datasetParameters(const Request& req, Response& res, const Caller& caller) {
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, nullptr);
    if (!w)
        return;
    const Dataset* d = findDataset(*w, req.pathParams[1]);
    if (!d)
        return notFound(res);
    json items = json::array();
    for (const auto& p : d->parameters)
        items.push_back(entity::parameter(p));
    collection(res, "groups/" + w->id + "/datasets/" + d->id + "/parameters", std::move(items));
}

void PowerBiService::refreshHistory(const Request& req, Response& res, const Caller& caller) {
    int top = -1;
    int skip = 0;
    if (!paging(req, res, top, skip, false, 0))
        return;
    const std::string* role = nullptr;
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, &role);
    if (!w)
        return;
    const Dataset* d = findDataset(*w, req.pathParams[1]);
    if (!d)
        return notFound(res);
    if (!canWrite(*role)) // "Caller must have Write permissions on the dataset."
        return notAuthorized(res);
    // Newest first; without $top the last 60 entries (spec). A refresh accepted a moment ago
    // is not listed yet (RefreshEntry::visibleFrom); enhanced ones carry extendedStatus, as
    // the enhanced-refresh doc shows them.
    const int limit = top >= 0 ? top : 60;
    const RefreshEngine& engine = *m_sb.m_refresh;
    json items = json::array();
    for (auto it = d->refreshes.rbegin(); it != d->refreshes.rend() && int(items.size()) < limit;
         ++it) {
        if (!engine.isVisible(*it))
            continue;
        json item = entity::refresh(*it);
        if (const std::string ext = engine.extendedStatus(*it); !ext.empty())
            item["extendedStatus"] = ext;
        items.push_back(std::move(item));
    }
    collection(res,
               "groups/" + w->id + "/Collection(Microsoft.PowerBI.ServiceContracts.Api.Refresh)",
               std::move(items));
}

void PowerBiService::refreshSchedule(const Request& req, Response& res, const Caller& caller) {
    const std::string* role = nullptr;
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, &role);
    if (!w)
        return;
    const Dataset* d = findDataset(*w, req.pathParams[1]);
    if (!d)
        return notFound(res);
    if (!canWrite(*role))
        return notAuthorized(res);
    // A model that was never scheduled answers with the disabled default schedule.
    const RefreshSchedule none{{}, {}, false, "UTC", "MailOnFailure"};
    wire::json(
        res, 200,
        entityBody(m_sb.baseUrl(),
                   "groups/" + w->id + "/Microsoft.PowerBI.ServiceContracts.Api.RefreshSchedule",
                   entity::schedule(d->schedule ? *d->schedule : none)));
}

void PowerBiService::dashboards(const Request& req, Response& res, const Caller& caller) {
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, nullptr);
    if (!w)
        return;
    json items = json::array();
    for (const auto& d : w->dashboards)
        items.push_back(entity::dashboard(d, *w, false));
    collection(res, "groups/" + w->id + "/dashboards", std::move(items));
}

void PowerBiService::dashboard(const Request& req, Response& res, const Caller& caller) {
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, nullptr);
    if (!w)
        return;
    const Dashboard* d =
        findIn(w->dashboards, req.pathParams[1], [](const Dashboard& x) { return x.id; });
    if (!d)
        return notFound(res);
    wire::json(res, 200,
               entityBody(m_sb.baseUrl(), "groups/" + w->id + "/dashboards/$entity",
                          entity::dashboard(*d, *w, false)));
}

void PowerBiService::tiles(const Request& req, Response& res, const Caller& caller) {
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, nullptr);
    if (!w)
        return;
    const Dashboard* d =
        findIn(w->dashboards, req.pathParams[1], [](const Dashboard& x) { return x.id; });
    if (!d)
        return notFound(res);
    json items = json::array();
    for (const auto& t : d->tiles)
        items.push_back(entity::tile(t, *d, *w));
    collection(res, "groups/" + w->id + "/dashboards/" + d->id + "/tiles", std::move(items));
}

void PowerBiService::tile(const Request& req, Response& res, const Caller& caller) {
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, nullptr);
    if (!w)
        return;
    const Dashboard* d =
        findIn(w->dashboards, req.pathParams[1], [](const Dashboard& x) { return x.id; });
    const Tile* t =
        d ? findIn(d->tiles, req.pathParams[2], [](const Tile& x) { return x.id; }) : nullptr;
    if (!t)
        return notFound(res);
    wire::json(res, 200,
               entityBody(m_sb.baseUrl(),
                          "groups/" + w->id + "/dashboards/" + d->id + "/tiles/$entity",
                          entity::tile(*t, *d, *w)));
}

void PowerBiService::dataflows(const Request& req, Response& res, const Caller& caller) {
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, nullptr);
    if (!w)
        return;
    json items = json::array();
    for (const auto& d : w->dataflows)
        items.push_back(entity::dataflow(d, *w, false));
    collection(res, "groups/" + w->id + "/dataflows", std::move(items));
}

void PowerBiService::dataflowDatasources(const Request& req, Response& res, const Caller& caller) {
    const std::string* role = nullptr;
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, &role);
    if (!w)
        return;
    const Dataflow* d =
        findIn(w->dataflows, req.pathParams[1], [](const Dataflow& x) { return x.objectId; });
    if (!d)
        return notFound(res);
    json items = json::array();
    for (const auto& s : d->datasources)
        items.push_back(entity::datasource(s));
    collection(res, "groups/" + w->id + "/dataflows/" + d->objectId + "/datasources",
               std::move(items));
}

void PowerBiService::myWorkspace(const Request&, Response& res, const Caller& caller,
                                 const char* what) {
    // "My workspace" is a user's own; service principals have none (api-digest §0, §5 shape 3).
    if (caller.appOnly) {
        wire::json(res, 401, {{"Message", "API is not accessible for application"}});
        return;
    }
    const Tenant& t = m_sb.m_tenant;
    json items = json::array();
    const std::string kind = what;
    for (const auto& w : t.workspaces) {
        if (w.type != "PersonalGroup" || w.state != "Active")
            continue;
        const std::string* role = t.accessRight(w, caller.objectId);
        if (!role || *role != "Admin")
            continue;
        if (kind == "reports")
            for (const auto& r : w.reports)
                items.push_back(entity::report(r, w, false));
        if (kind == "datasets")
            for (const auto& d : w.datasets)
                items.push_back(entity::dataset(d, w, false));
        if (kind == "dashboards")
            for (const auto& d : w.dashboards)
                items.push_back(entity::dashboard(d, w, false));
    }
    collection(res, kind, std::move(items));
}

std::string PowerBiService::callerRightOn(const Capacity& c, const Caller& caller) const {
    std::string best = "None";
    for (const auto& p : c.principals) {
        if (!principalMatches(m_sb.m_tenant, p.principalId, "Group", caller.objectId))
            continue;
        if (p.right == "Admin")
            return "Admin";
        best = p.right;
    }
    return best;
}

void PowerBiService::capacities(const Request&, Response& res, const Caller& caller) {
    json items = json::array();
    for (const auto& c : m_sb.m_tenant.capacities) {
        const std::string right = callerRightOn(c, caller);
        if (right != "None")
            items.push_back(entity::capacity(c, right));
    }
    collection(res, "capacities", std::move(items));
}

void PowerBiService::gateways(const Request&, Response& res, const Caller& caller) {
    // "The user must have gateway admin permissions."
    json items = json::array();
    for (const auto& g : m_sb.m_tenant.gateways)
        if (std::find(g.adminIds.begin(), g.adminIds.end(), caller.objectId) != g.adminIds.end())
            items.push_back(entity::gateway(g));
    collection(res, "gateways", std::move(items));
}

void PowerBiService::gateway(const Request& req, Response& res, const Caller& caller) {
    for (const auto& g : m_sb.m_tenant.gateways)
        if (g.id == req.pathParams[0] &&
            std::find(g.adminIds.begin(), g.adminIds.end(), caller.objectId) != g.adminIds.end()) {
            wire::json(res, 200,
                       entityBody(m_sb.baseUrl(), "gateways/$entity", entity::gateway(g)));
            return;
        }
    notFound(res);
}

void PowerBiService::gatewayDatasources(const Request& req, Response& res, const Caller& caller) {
    for (const auto& g : m_sb.m_tenant.gateways)
        if (g.id == req.pathParams[0] &&
            std::find(g.adminIds.begin(), g.adminIds.end(), caller.objectId) != g.adminIds.end()) {
            json items = json::array();
            for (const auto& s : g.datasources)
                items.push_back(entity::gatewayDatasource(s, g));
            collection(res, "gateways/" + g.id + "/datasources", std::move(items));
            return;
        }
    notFound(res);
}

namespace {
/// The apps a user can open: in the audience directly or through a security group.
bool inAudience(const Tenant& t, const PowerBiApp& a, const std::string& callerId) {
    for (const auto& m : a.audience)
        if (principalMatches(t, m.principalId, m.principalType, callerId))
            return true;
    return false;
}
} // namespace

void PowerBiService::apps(const Request&, Response& res, const Caller& caller) {
    // "Service principal authentication isn't supported." (spec)
    if (caller.appOnly) {
        wire::json(res, 401, {{"Message", "API is not accessible for application"}});
        return;
    }
    json items = json::array();
    for (const auto& a : m_sb.m_tenant.workspaceApps)
        if (inAudience(m_sb.m_tenant, a, caller.objectId))
            items.push_back(entity::app(a, false));
    collection(res, "apps", std::move(items));
}

void PowerBiService::app(const Request& req, Response& res, const Caller& caller) {
    if (caller.appOnly) {
        wire::json(res, 401, {{"Message", "API is not accessible for application"}});
        return;
    }
    for (const auto& a : m_sb.m_tenant.workspaceApps)
        if (a.id == req.pathParams[0] && inAudience(m_sb.m_tenant, a, caller.objectId)) {
            wire::json(res, 200, entityBody(m_sb.baseUrl(), "apps/$entity", entity::app(a, false)));
            return;
        }
    notFound(res);
}

void PowerBiService::appItems(const Request& req, Response& res, const Caller& caller,
                              bool reports) {
    if (caller.appOnly) {
        wire::json(res, 401, {{"Message", "API is not accessible for application"}});
        return;
    }
    const Tenant& t = m_sb.m_tenant;
    for (const auto& a : t.workspaceApps) {
        if (a.id != req.pathParams[0] || !inAudience(t, a, caller.objectId))
            continue;
        const Workspace* w = t.findWorkspace(a.workspaceId);
        json items = json::array();
        if (w && reports)
            for (Report r : w->reports) {
                r.appId = a.id;
                items.push_back(entity::report(r, *w, false));
            }
        if (w && !reports)
            for (Dashboard d : w->dashboards) {
                d.appId = a.id;
                d.isReadOnly = true;
                items.push_back(entity::dashboard(d, *w, false));
            }
        collection(res, std::string("apps/") + a.id + (reports ? "/reports" : "/dashboards"),
                   std::move(items));
        return;
    }
    notFound(res);
}

namespace {
const Pipeline* accessiblePipeline(const Tenant& t, const std::string& id,
                                   const std::string& callerId) {
    for (const auto& p : t.pipelines) {
        if (p.id != id)
            continue;
        for (const auto& u : p.users)
            if (principalMatches(t, u.principalId, u.principalType, callerId))
                return &p;
    }
    return nullptr;
}
} // namespace

void PowerBiService::pipelines(const Request&, Response& res, const Caller& caller) {
    json items = json::array();
    for (const auto& p : m_sb.m_tenant.pipelines)
        if (accessiblePipeline(m_sb.m_tenant, p.id, caller.objectId))
            items.push_back(entity::pipeline(p, m_sb.m_tenant, false, false, false));
    collection(res, "pipelines", std::move(items));
}

void PowerBiService::pipeline(const Request& req, Response& res, const Caller& caller) {
    const std::string* expand = req.queryValue("$expand");
    if (expand && !expand->empty() && *expand != "stages") {
        wire::serviceError(res, 400, "InvalidRequest",
                           "Invalid $expand value '" + *expand + "'. Supported: stages.");
        return;
    }
    const Pipeline* p = accessiblePipeline(m_sb.m_tenant, req.pathParams[0], caller.objectId);
    if (!p)
        return notFound(res);
    wire::json(res, 200,
               entityBody(m_sb.baseUrl(), "pipelines/$entity",
                          entity::pipeline(*p, m_sb.m_tenant, expand && *expand == "stages", false,
                                           false)));
}

void PowerBiService::pipelineStages(const Request& req, Response& res, const Caller& caller) {
    const Pipeline* p = accessiblePipeline(m_sb.m_tenant, req.pathParams[0], caller.objectId);
    if (!p)
        return notFound(res);
    json items = json::array();
    for (const auto& s : p->stages)
        items.push_back(entity::pipelineStage(s, m_sb.m_tenant));
    collection(res, "pipelines/" + p->id + "/stages", std::move(items));
}

void PowerBiService::pipelineUsers(const Request& req, Response& res, const Caller& caller) {
    const Pipeline* p = accessiblePipeline(m_sb.m_tenant, req.pathParams[0], caller.objectId);
    if (!p)
        return notFound(res);
    json items = json::array();
    for (const auto& u : p->users)
        items.push_back(entity::pipelineUser(u));
    collection(res, "pipelines/" + p->id + "/users", std::move(items));
}

} // namespace pbi::sandbox
