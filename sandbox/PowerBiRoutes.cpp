// Power BI REST emulation: /v1.0/myorg/… (reference/api-digest.md §0–§8). The route table,
// the checks every handler shares, and the workspace (group) routes.

#include "PowerBiService.h"

#include "EntityJson.h"
#include "HttpServer.h"
#include "WireHelpers.h"

#include <charconv>
#include <regex>

namespace pbi::sandbox {

namespace {

bool isGuid(const std::string& s) {
    static const std::regex guid(
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    return std::regex_match(s, guid);
}

/// The spec's path template as the route's regex: {param} → one segment.
std::string patternFor(const std::string& path) {
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

/// Required delegated scope family of an operation (spec "Required Scope": X.Read.All or
/// X.ReadWrite.All).
std::string scopeFamily(const std::string& op, bool admin) {
    if (admin)
        return "Tenant";
    if (op.rfind("Groups_", 0) == 0)
        return "Workspace";
    if (op.rfind("Reports_", 0) == 0)
        return "Report";
    if (op.rfind("Datasets_", 0) == 0 || op.rfind("Gateways_", 0) == 0)
        return "Dataset";
    if (op.rfind("Dashboards_", 0) == 0)
        return "Dashboard";
    if (op.rfind("Dataflows_", 0) == 0)
        return "Dataflow";
    if (op.rfind("Capacities_", 0) == 0)
        return "Capacity";
    if (op.rfind("Apps_", 0) == 0)
        return "App";
    if (op.rfind("Pipelines_", 0) == 0)
        return "Pipeline";
    return {};
}

} // namespace

void Sandbox::addPowerBiRoutes() {
    m_powerBi = std::make_shared<PowerBiService>(*this);
    m_powerBi->addRoutes(*m_server);
}

PowerBiService::PowerBiService(Sandbox& sandbox)
    : m_sb(sandbox)
    , m_throttler(sandbox.m_options.throttleScale, sandbox.m_clock.get()) {
    // Tenants built by hand (tests, tools) may not have indexed themselves; before the server
    // starts there is no other thread to race with.
    m_sb.m_tenant.reindex();
}

std::vector<PowerBiService::Entry> PowerBiService::entries(PowerBiService* self) {
    using S = Scope;
    auto m = [self](void (PowerBiService::*fn)(const Request&, Response&, const Caller&)) -> Body {
        return [self, fn](const Request& q, Response& r, const Caller& c) { (self->*fn)(q, r, c); };
    };
    auto my = [self](const char* what) -> Body {
        return [self, what](const Request& q, Response& r, const Caller& c) {
            self->myWorkspace(q, r, c, what);
        };
    };
    auto adminIn = [self](const char* what) -> Body {
        return [self, what](const Request& q, Response& r, const Caller& c) {
            self->adminGroupItems(q, r, c, what);
        };
    };
    auto adminAll = [self](const char* what) -> Body {
        return [self, what](const Request& q, Response& r, const Caller& c) {
            self->adminItems(q, r, c, what);
        };
    };
    const std::string g = "/v1.0/myorg/groups/{groupId}";
    const std::string a = "/v1.0/myorg/admin";
    return {
        // Workspaces
        {{"GET", "/v1.0/myorg/groups", "Groups_GetGroups"}, S::Member, m(&PowerBiService::groups)},
        {{"GET", g, "Groups_GetGroup"}, S::Member, m(&PowerBiService::group)},
        {{"GET", g + "/users", "Groups_GetGroupUsers"}, S::Member, m(&PowerBiService::groupUsers)},
        // Items in a workspace
        {{"GET", g + "/reports", "Reports_GetReportsInGroup"},
         S::Member,
         m(&PowerBiService::reports)},
        {{"GET", g + "/reports/{reportId}", "Reports_GetReportInGroup"},
         S::Member,
         m(&PowerBiService::report)},
        {{"GET", g + "/datasets", "Datasets_GetDatasetsInGroup"},
         S::Member,
         m(&PowerBiService::datasets)},
        {{"GET", g + "/datasets/{datasetId}", "Datasets_GetDatasetInGroup"},
         S::Member,
         m(&PowerBiService::dataset)},
        {{"GET", g + "/datasets/{datasetId}/datasources", "Datasets_GetDatasourcesInGroup"},
         S::Member,
         m(&PowerBiService::datasetDatasources)},
        {{"GET", g + "/datasets/{datasetId}/parameters", "Datasets_GetParametersInGroup"},
         S::Member,
         m(&PowerBiService::datasetParameters)},
        {{"GET", g + "/datasets/{datasetId}/refreshes", "Datasets_GetRefreshHistoryInGroup"},
         S::Member,
         m(&PowerBiService::refreshHistory)},
        {{"GET", g + "/datasets/{datasetId}/refreshSchedule", "Datasets_GetRefreshScheduleInGroup"},
         S::Member,
         m(&PowerBiService::refreshSchedule)},
        {{"POST", g + "/datasets/{datasetId}/refreshes", "Datasets_RefreshDatasetInGroup"},
         S::Member,
         m(&PowerBiService::triggerRefresh)},
        {{"GET", g + "/datasets/{datasetId}/refreshes/{refreshId}",
          "Datasets_GetRefreshExecutionDetailsInGroup"},
         S::Member,
         m(&PowerBiService::refreshExecution)},
        {{"DELETE", g + "/datasets/{datasetId}/refreshes/{refreshId}",
          "Datasets_CancelRefreshInGroup"},
         S::Member,
         m(&PowerBiService::cancelRefresh)},
        {{"PATCH", g + "/datasets/{datasetId}/refreshSchedule",
          "Datasets_UpdateRefreshScheduleInGroup"},
         S::Member,
         m(&PowerBiService::updateRefreshSchedule)},
        {{"POST", g + "/datasets/{datasetId}/Default.TakeOver", "Datasets_TakeOverInGroup"},
         S::Member,
         m(&PowerBiService::takeOverDataset)},
        {{"GET", g + "/dashboards", "Dashboards_GetDashboardsInGroup"},
         S::Member,
         m(&PowerBiService::dashboards)},
        {{"GET", g + "/dashboards/{dashboardId}", "Dashboards_GetDashboardInGroup"},
         S::Member,
         m(&PowerBiService::dashboard)},
        {{"GET", g + "/dashboards/{dashboardId}/tiles", "Dashboards_GetTilesInGroup"},
         S::Member,
         m(&PowerBiService::tiles)},
        {{"GET", g + "/dashboards/{dashboardId}/tiles/{tileId}", "Dashboards_GetTileInGroup"},
         S::Member,
         m(&PowerBiService::tile)},
        {{"GET", g + "/dataflows", "Dataflows_GetDataflows"},
         S::Member,
         m(&PowerBiService::dataflows)},
        {{"GET", g + "/dataflows/{dataflowId}/datasources", "Dataflows_GetDataflowDataSources"},
         S::Member,
         m(&PowerBiService::dataflowDatasources)},
        {{"GET", g + "/dataflows/{dataflowId}/transactions", "Dataflows_GetDataflowTransactions"},
         S::Member,
         m(&PowerBiService::dataflowTransactions)},
        {{"POST", g + "/dataflows/{dataflowId}/refreshes", "Dataflows_RefreshDataflow"},
         S::Member,
         m(&PowerBiService::refreshDataflow)},
        {{"POST", g + "/dataflows/transactions/{transactionId}/cancel",
          "Dataflows_CancelDataflowTransaction"},
         S::Member,
         m(&PowerBiService::cancelDataflowTransaction)},
        {{"PATCH", g + "/dataflows/{dataflowId}/refreshSchedule", "Dataflows_UpdateRefreshSchedule"},
         S::Member,
         m(&PowerBiService::updateDataflowRefreshSchedule)},
        // My workspace
        {{"GET", "/v1.0/myorg/reports", "Reports_GetReports"}, S::Member, my("reports")},
        {{"GET", "/v1.0/myorg/datasets", "Datasets_GetDatasets"}, S::Member, my("datasets")},
        {{"GET", "/v1.0/myorg/dashboards", "Dashboards_GetDashboards"},
         S::Member,
         my("dashboards")},
        // Tenant-level resources
        {{"GET", "/v1.0/myorg/capacities", "Capacities_GetCapacities"},
         S::Member,
         m(&PowerBiService::capacities)},
        {{"GET", "/v1.0/myorg/gateways", "Gateways_GetGateways"},
         S::Member,
         m(&PowerBiService::gateways)},
        {{"GET", "/v1.0/myorg/gateways/{gatewayId}", "Gateways_GetGateway"},
         S::Member,
         m(&PowerBiService::gateway)},
        {{"GET", "/v1.0/myorg/gateways/{gatewayId}/datasources", "Gateways_GetDatasources"},
         S::Member,
         m(&PowerBiService::gatewayDatasources)},
        {{"GET", "/v1.0/myorg/apps", "Apps_GetApps"}, S::Member, m(&PowerBiService::apps)},
        {{"GET", "/v1.0/myorg/apps/{appId}", "Apps_GetApp"}, S::Member, m(&PowerBiService::app)},
        {{"GET", "/v1.0/myorg/apps/{appId}/reports", "Apps_GetReports"},
         S::Member,
         [self](const Request& q, Response& r, const Caller& c) { self->appItems(q, r, c, true); }},
        {{"GET", "/v1.0/myorg/apps/{appId}/dashboards", "Apps_GetDashboards"},
         S::Member,
         [self](const Request& q, Response& r, const Caller& c) {
             self->appItems(q, r, c, false);
         }},
        {{"GET", "/v1.0/myorg/pipelines", "Pipelines_GetPipelines"},
         S::Member,
         m(&PowerBiService::pipelines)},
        {{"GET", "/v1.0/myorg/pipelines/{pipelineId}", "Pipelines_GetPipeline"},
         S::Member,
         m(&PowerBiService::pipeline)},
        {{"GET", "/v1.0/myorg/pipelines/{pipelineId}/stages", "Pipelines_GetPipelineStages"},
         S::Member,
         m(&PowerBiService::pipelineStages)},
        {{"GET", "/v1.0/myorg/pipelines/{pipelineId}/users", "Pipelines_GetPipelineUsers"},
         S::Member,
         m(&PowerBiService::pipelineUsers)},
        // Admin
        {{"GET", a + "/groups", "Groups_GetGroupsAsAdmin"},
         S::Admin,
         m(&PowerBiService::adminGroups)},
        {{"GET", a + "/groups/{groupId}", "Groups_GetGroupAsAdmin"},
         S::Admin,
         m(&PowerBiService::adminGroup)},
        {{"GET", a + "/groups/{groupId}/users", "Groups_GetGroupUsersAsAdmin"},
         S::Admin,
         m(&PowerBiService::adminGroupUsers)},
        {{"GET", a + "/groups/{groupId}/reports", "Reports_GetReportsInGroupAsAdmin"},
         S::Admin,
         adminIn("reports")},
        {{"GET", a + "/groups/{groupId}/datasets", "Datasets_GetDatasetsInGroupAsAdmin"},
         S::Admin,
         adminIn("datasets")},
        {{"GET", a + "/groups/{groupId}/dashboards", "Dashboards_GetDashboardsInGroupAsAdmin"},
         S::Admin,
         adminIn("dashboards")},
        {{"GET", a + "/groups/{groupId}/dataflows", "Dataflows_GetDataflowsInGroupAsAdmin"},
         S::Admin,
         adminIn("dataflows")},
        {{"GET", a + "/reports", "Reports_GetReportsAsAdmin"}, S::Admin, adminAll("reports")},
        {{"GET", a + "/datasets", "Datasets_GetDatasetsAsAdmin"}, S::Admin, adminAll("datasets")},
        {{"GET", a + "/dashboards", "Dashboards_GetDashboardsAsAdmin"},
         S::Admin,
         adminAll("dashboards")},
        {{"GET", a + "/dataflows", "Dataflows_GetDataflowsAsAdmin"},
         S::Admin,
         adminAll("dataflows")},
        {{"GET", a + "/datasets/{datasetId}/datasources", "Datasets_GetDatasourcesAsAdmin"},
         S::Admin,
         m(&PowerBiService::adminDatasetDatasources)},
        {{"GET", a + "/dashboards/{dashboardId}/tiles", "Dashboards_GetTilesAsAdmin"},
         S::Admin,
         m(&PowerBiService::adminDashboardTiles)},
        {{"GET", a + "/capacities", "Admin_GetCapacitiesAsAdmin"},
         S::Admin,
         m(&PowerBiService::adminCapacities)},
        {{"GET", a + "/capacities/refreshables", "Admin_GetRefreshables"},
         S::Admin,
         m(&PowerBiService::adminRefreshables)},
        {{"GET", a + "/apps", "Apps_GetAppsAsAdmin"}, S::Admin, m(&PowerBiService::adminApps)},
        {{"GET", a + "/pipelines", "Pipelines_GetPipelinesAsAdmin"},
         S::Admin,
         m(&PowerBiService::adminPipelines)},
    };
}

std::vector<PowerBiRoute> PowerBiService::routes() {
    std::vector<PowerBiRoute> out;
    for (const auto& e : entries(nullptr))
        out.push_back(e.route);
    return out;
}

void PowerBiService::addRoutes(HttpServer& server) {
    for (auto& e : entries(this)) {
        auto entry = std::make_shared<Entry>(std::move(e));
        server.route(
            entry->route.method, patternFor(entry->route.path),
            [this, entry](const Request& req, Response& res) { dispatch(*entry, req, res); });
    }
}

void PowerBiService::dispatch(const Entry& e, const Request& req, Response& res) {
    std::lock_guard lock(m_sb.m_mutex);
    const auto caller = m_sb.authenticate(req, res);
    if (!caller)
        return;
    const bool admin = e.scope == Scope::Admin;
    if (admin ? !adminAllowed(*caller, res) : !servicePrincipalAllowed(*caller, res))
        return;
    // A delegated token must carry one of the operation's scopes (X.Read.All or
    // X.ReadWrite.All; operations that change something only X.ReadWrite.All). Inferred: the
    // service refuses as it does other authorization failures.
    if (!caller->appOnly && !caller->scopes.empty()) {
        const std::string family = scopeFamily(e.route.operationId, admin);
        const bool writes = e.route.method != "GET";
        if (!family.empty() && (writes || !caller->hasScope(family + ".Read.All")) &&
            !caller->hasScope(family + ".ReadWrite.All")) {
            wire::pbiError(res, 401, "PowerBINotAuthorizedException");
            return;
        }
    }
    // Admin limits are per tenant (spec "Limitations"); the others are not documented.
    if (const int wait = m_throttler.admit(e.route.operationId, m_sb.m_tenant.id)) {
        res.setHeader("Retry-After", std::to_string(wait));
        // Body observed on a throttled GetGroupsAsAdmin (api-digest §5, pbimonitor#58).
        wire::json(res, 429,
                   {{"message", "You have exceeded the amount of requests allowed in the current "
                                "time frame and further requests will fail. Retry in " +
                                    std::to_string(wait) + " seconds."}});
        return;
    }
    // Refreshes and schedules due by now happen before anything reads or changes them.
    m_sb.m_refresh->advance();
    e.body(req, res, *caller);
}

bool PowerBiService::isServicePrincipalInGroups(const std::string& objectId,
                                                const std::vector<std::string>& groups) const {
    if (groups.empty())
        return true; // the setting applies to the whole organisation
    for (const auto& g : groups)
        if (m_sb.m_tenant.isInGroup(objectId, g))
            return true;
    return false;
}

bool PowerBiService::servicePrincipalAllowed(const Caller& c, Response& res) const {
    const auto& s = m_sb.m_tenant.settings;
    if (!c.appOnly || (s.servicePrincipalsCanUseApis &&
                       isServicePrincipalInGroups(c.objectId, s.servicePrincipalApiGroups)))
        return true;
    // The tenant setting is off for this app: the capital-M body (api-digest §5, shape 3).
    wire::json(res, 401, {{"Message", "API is not accessible for application"}});
    return false;
}

bool PowerBiService::adminAllowed(const Caller& c, Response& res) const {
    const Tenant& t = m_sb.m_tenant;
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
             isServicePrincipalInGroups(c.objectId, t.settings.readOnlyAdminApiGroups) &&
             !hasPermissions;
    } else {
        const User* u = t.findUser(c.objectId);
        ok = c.isFabricAdmin || (u && u->isFabricAdmin);
    }
    if (!ok)
        wire::pbiError(res, 401, "PowerBINotAuthorizedException");
    return ok;
}

const Workspace* PowerBiService::memberWorkspace(const std::string& groupId, const Caller& c,
                                                 Response& res, const std::string** role) const {
    const Workspace* w = isGuid(groupId) ? m_sb.m_tenant.findWorkspace(groupId) : nullptr;
    const std::string* right =
        w && w->state == "Active" ? m_sb.m_tenant.accessRight(*w, c.objectId) : nullptr;
    if (!right) {
        // A workspace that does not exist and one the caller is not in look the same: 401
        // with GroupNotAccessible (api-digest §5), so ids cannot be probed.
        res.setHeader("X-PowerBI-Error-Info", "GroupNotAccessible");
        wire::pbiError(res, 401, "PowerBINotAuthorizedException");
        return nullptr;
    }
    if (role)
        *role = right;
    return w;
}

bool PowerBiService::paging(const Request& req, Response& res, int& top, int& skip,
                            bool topRequired, int maxTop) const {
    top = -1;
    skip = 0;
    auto parse = [&](const char* name, int& out) {
        const std::string* text = req.queryValue(name);
        if (!text)
            return true;
        int value = 0;
        auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
        if (ec != std::errc() || ptr != text->data() + text->size() || value < 0) {
            wire::serviceError(res, 400, "InvalidRequest",
                               std::string("The query parameter '") + name + "' is invalid: '" +
                                   *text + "'.");
            return false;
        }
        out = value;
        return true;
    };
    if (!parse("$top", top) || !parse("$skip", skip))
        return false;
    if (topRequired && top < 0) {
        // Inferred wording (api-digest §12: the exact body for a missing $top is unverified).
        wire::serviceError(res, 400, "InvalidRequest", "The query parameter '$top' is required.");
        return false;
    }
    if (maxTop > 0 && (top == 0 || top > maxTop) && top != -1) {
        wire::serviceError(res, 400, "InvalidRequest",
                           "The query parameter '$top' must be between 1 and " +
                               std::to_string(maxTop) + ", not " + std::to_string(top) + ".");
        return false;
    }
    return true;
}

std::optional<ODataFilter> PowerBiService::filter(const Request& req, Response& res,
                                                  bool& ok) const {
    ok = true;
    const std::string* text = req.queryValue("$filter");
    if (!text)
        return std::nullopt;
    std::string why;
    auto f = ODataFilter::parse(*text, &why);
    if (!f) {
        ok = false;
        wire::serviceError(res, 400, "InvalidRequest",
                           "Invalid OData $filter '" + *text + "': " + why + ".");
    }
    return f;
}

void PowerBiService::collection(Response& res, const std::string& what, nlohmann::json items,
                                bool admin) const {
    // The service puts the workspace (or app, pipeline) in the metadata path and names the
    // entity set after '#': ".../v1.0/myorg/groups/<id>/$metadata#reports" (api-digest §0).
    std::string prefix;
    std::string leaf = what;
    if (const auto first = what.find('/'); first != std::string::npos) {
        const auto second = what.find('/', first + 1);
        prefix = what.substr(0, second) + "/";
        leaf = what.substr(what.rfind('/') + 1);
    }
    const std::string context =
        m_sb.baseUrl() + "/v1.0/myorg/" + (admin ? "admin/" : "") + prefix + "$metadata#" + leaf;
    wire::json(res, 200, {{"@odata.context", context}, {"value", std::move(items)}});
}

void PowerBiService::groups(const Request& req, Response& res, const Caller& caller) {
    int top = -1;
    int skip = 0;
    bool ok = true;
    if (!paging(req, res, top, skip, false, 0))
        return;
    const auto f = filter(req, res, ok);
    if (!ok)
        return;
    const Tenant& t = m_sb.m_tenant;
    nlohmann::json items = nlohmann::json::array();
    int index = 0;
    for (const auto& w : t.workspaces) {
        // My workspace is not a group; deleted workspaces are gone for their members.
        if (w.state != "Active" || w.type == "PersonalGroup")
            continue;
        const std::string* role = t.accessRight(w, caller.objectId);
        if (!role)
            continue;
        nlohmann::json item = entity::group(w, t);
        // isReadOnly is about the caller: a Viewer cannot change the workspace.
        item["isReadOnly"] = w.isReadOnly || *role == "Viewer";
        if (f && !f->matches(item))
            continue;
        if (index++ < skip)
            continue;
        if (top >= 0 && int(items.size()) >= top)
            break;
        items.push_back(std::move(item));
    }
    collection(res, "groups", std::move(items));
}

void PowerBiService::group(const Request& req, Response& res, const Caller& caller) {
    const std::string* role = nullptr;
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, &role);
    if (!w)
        return;
    nlohmann::json j = entity::group(*w, m_sb.m_tenant);
    j["isReadOnly"] = w->isReadOnly || *role == "Viewer";
    // A single entity: the context names the entity set and $entity (OData convention).
    nlohmann::json out = {
        {"@odata.context", m_sb.baseUrl() + "/v1.0/myorg/$metadata#groups/$entity"}};
    out.update(j);
    wire::json(res, 200, out);
}

void PowerBiService::groupUsers(const Request& req, Response& res, const Caller& caller) {
    int top = -1;
    int skip = 0;
    if (!paging(req, res, top, skip, false, 0))
        return;
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, nullptr);
    if (!w)
        return;
    nlohmann::json items = nlohmann::json::array();
    for (std::size_t i = std::size_t(skip); i < w->members.size(); ++i) {
        if (top >= 0 && int(items.size()) >= top)
            break;
        items.push_back(entity::groupUser(w->members[i], false));
    }
    collection(res, "groups/" + w->id + "/users", std::move(items));
}

} // namespace pbi::sandbox
