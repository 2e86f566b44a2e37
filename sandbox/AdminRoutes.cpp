// Power BI REST emulation: the admin APIs (/v1.0/myorg/admin/…): tenant-wide lists, where
// every item carries its workspaceId (api-digest §1, §2, §6, §8).

#include "PowerBiService.h"

#include "EntityJson.h"
#include "WireHelpers.h"

#include <set>
#include <sstream>

namespace pbi::sandbox {

namespace {

using nlohmann::json;

/// Parses $expand against the values an operation supports; false (400 in `res`) otherwise.
bool parseExpand(const Request& req, Response& res, const std::set<std::string>& allowed,
                 std::set<std::string>& out) {
    const std::string* text = req.queryValue("$expand");
    if (!text)
        return true;
    std::stringstream in(*text);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto b = item.find_first_not_of(' ');
        const auto e = item.find_last_not_of(' ');
        item = b == std::string::npos ? std::string() : item.substr(b, e - b + 1);
        if (item.empty())
            continue;
        if (!allowed.count(item)) {
            std::string list;
            for (const auto& a : allowed)
                list += (list.empty() ? "" : ", ") + a;
            wire::serviceError(res, 400, "InvalidRequest",
                               "The $expand value '" + item +
                                   "' is not supported. Supported values: " + list + ".");
            return false;
        }
        out.insert(item);
    }
    return true;
}

void notFound(Response& res) {
    wire::pbiError(res, 404, "PowerBIEntityNotFound");
}

/// Applies $filter, $skip and $top to a stream of entities, keeping the page.
struct Pager {
    const std::optional<ODataFilter>& filter;
    int top;
    int skip;
    int seen = 0;
    json items = json::array();

    bool full() const { return top >= 0 && int(items.size()) >= top; }
    void offer(json item) {
        if (full() || (filter && !filter->matches(item)))
            return;
        if (seen++ < skip)
            return;
        items.push_back(std::move(item));
    }
};

} // namespace

void PowerBiService::adminGroups(const Request& req, Response& res, const Caller&) {
    int top = -1;
    int skip = 0;
    bool ok = true;
    std::set<std::string> expand;
    if (!paging(req, res, top, skip, true, 5000) ||
        !parseExpand(req, res,
                     {"users", "reports", "dashboards", "datasets", "dataflows", "workbooks"},
                     expand))
        return;
    const auto f = filter(req, res, ok);
    if (!ok)
        return;
    entity::GroupExpand ex{expand.count("users") > 0,      expand.count("reports") > 0,
                           expand.count("dashboards") > 0, expand.count("datasets") > 0,
                           expand.count("dataflows") > 0,  expand.count("workbooks") > 0};
    // A filter on a navigation collection (orphaned workspaces: users/any(...)) needs it
    // rendered; it is dropped again when it was not asked for.
    entity::GroupExpand forFilter = ex;
    const char* navigation[] = {"users",    "reports",   "dashboards",
                                "datasets", "dataflows", "workbooks"};
    bool* flags[] = {&forFilter.users,    &forFilter.reports,   &forFilter.dashboards,
                     &forFilter.datasets, &forFilter.dataflows, &forFilter.workbooks};
    for (int i = 0; i < 6; ++i)
        if (f && f->references(navigation[i]))
            *flags[i] = true;

    const Tenant& t = m_sb.m_tenant;
    Pager page{f, top, skip};
    for (const auto& w : t.workspaces) {
        if (page.full())
            break;
        if (!f && page.seen < skip) {
            ++page.seen; // no filter: skip without rendering
            continue;
        }
        json item = entity::adminGroup(w, t, forFilter);
        if (f && !f->matches(item))
            continue;
        for (int i = 0; i < 6; ++i)
            if (*flags[i] && !expand.count(navigation[i]))
                item.erase(navigation[i]);
        if (page.seen++ < skip)
            continue;
        page.items.push_back(std::move(item));
    }
    collection(res, "groups", std::move(page.items), true);
}

void PowerBiService::adminGroup(const Request& req, Response& res, const Caller&) {
    std::set<std::string> expand;
    if (!parseExpand(req, res,
                     {"users", "reports", "dashboards", "datasets", "dataflows", "workbooks"},
                     expand))
        return;
    const Workspace* w = m_sb.m_tenant.findWorkspace(req.pathParams[0]);
    if (!w)
        return notFound(res);
    entity::GroupExpand ex{expand.count("users") > 0,      expand.count("reports") > 0,
                           expand.count("dashboards") > 0, expand.count("datasets") > 0,
                           expand.count("dataflows") > 0,  expand.count("workbooks") > 0};
    json out = {{"@odata.context", m_sb.baseUrl() + "/v1.0/myorg/admin/$metadata#groups/$entity"}};
    out.update(entity::adminGroup(*w, m_sb.m_tenant, ex));
    wire::json(res, 200, out);
}

void PowerBiService::adminGroupUsers(const Request& req, Response& res, const Caller&) {
    const Workspace* w = m_sb.m_tenant.findWorkspace(req.pathParams[0]);
    if (!w)
        return notFound(res);
    json items = json::array();
    for (const auto& m : w->members)
        items.push_back(entity::groupUser(m, true));
    collection(res, "groups/" + w->id + "/users", std::move(items), true);
}

void PowerBiService::adminGroupItems(const Request& req, Response& res, const Caller&,
                                     const char* what) {
    int top = -1;
    int skip = 0;
    bool ok = true;
    if (!paging(req, res, top, skip, false, 0))
        return;
    const auto f = filter(req, res, ok);
    if (!ok)
        return;
    const Workspace* w = m_sb.m_tenant.findWorkspace(req.pathParams[0]);
    if (!w)
        return notFound(res);
    const std::string kind = what;
    Pager page{f, top, skip};
    if (kind == "reports")
        for (const auto& r : w->reports)
            page.offer(entity::report(r, *w, true));
    else if (kind == "datasets")
        for (const auto& d : w->datasets)
            page.offer(entity::dataset(d, *w, true));
    else if (kind == "dashboards")
        for (const auto& d : w->dashboards)
            page.offer(entity::dashboard(d, *w, true));
    else
        for (const auto& d : w->dataflows)
            page.offer(entity::dataflow(d, *w, true));
    collection(res, "groups/" + w->id + "/" + kind, std::move(page.items), true);
}

void PowerBiService::adminItems(const Request& req, Response& res, const Caller&,
                                const char* what) {
    int top = -1;
    int skip = 0;
    bool ok = true;
    const std::string kind = what;
    std::set<std::string> expand;
    if (!paging(req, res, top, skip, false, 0))
        return;
    if (kind == "dashboards" && !parseExpand(req, res, {"tiles"}, expand))
        return;
    const auto f = filter(req, res, ok);
    if (!ok)
        return;
    Pager page{f, top, skip};
    for (const auto& w : m_sb.m_tenant.workspaces) {
        if (w.state != "Active")
            continue;
        if (page.full())
            break;
        if (kind == "reports")
            for (const auto& r : w.reports)
                page.offer(entity::report(r, w, true));
        else if (kind == "datasets")
            for (const auto& d : w.datasets)
                page.offer(entity::dataset(d, w, true));
        else if (kind == "dashboards")
            for (const auto& d : w.dashboards)
                page.offer(entity::dashboard(d, w, true, expand.count("tiles") > 0));
        else
            for (const auto& d : w.dataflows)
                page.offer(entity::dataflow(d, w, true));
    }
    collection(res, kind, std::move(page.items), true);
}

void PowerBiService::adminDatasetDatasources(const Request& req, Response& res, const Caller&) {
    const Tenant& t = m_sb.m_tenant;
    const auto ref = t.findDataset(req.pathParams[0]);
    if (!ref)
        return notFound(res);
    const Dataset& d = t.workspaces[ref->workspace].datasets[ref->item];
    json items = json::array();
    for (const auto& s : d.datasources)
        items.push_back(entity::datasource(s));
    collection(res, "datasources", std::move(items), true);
}

void PowerBiService::adminDashboardTiles(const Request& req, Response& res, const Caller&) {
    const Tenant& t = m_sb.m_tenant;
    const auto ref = t.findDashboard(req.pathParams[0]);
    if (!ref)
        return notFound(res);
    const Workspace& w = t.workspaces[ref->workspace];
    const Dashboard& d = w.dashboards[ref->item];
    json items = json::array();
    for (const auto& tile : d.tiles)
        items.push_back(entity::tile(tile, d, w));
    collection(res, "tiles", std::move(items), true);
}

void PowerBiService::adminCapacities(const Request& req, Response& res, const Caller& caller) {
    std::set<std::string> expand;
    if (!parseExpand(req, res, {"tenantKey"}, expand))
        return;
    json items = json::array();
    for (const auto& c : m_sb.m_tenant.capacities)
        items.push_back(entity::capacity(c, callerRightOn(c, caller)));
    collection(res, "capacities", std::move(items), true);
}

void PowerBiService::adminRefreshables(const Request& req, Response& res, const Caller&) {
    int top = -1;
    int skip = 0;
    bool ok = true;
    std::set<std::string> expand;
    if (!paging(req, res, top, skip, true, 0) ||
        !parseExpand(req, res, {"capacities", "groups"}, expand))
        return;
    const auto f = filter(req, res, ok);
    if (!ok)
        return;
    const Tenant& t = m_sb.m_tenant;
    const RefreshEngine& engine = *m_sb.m_refresh;
    const UnixMs now = engine.now();
    Pager page{f, top, skip};
    // Refreshables are the refreshable models on capacities (Premium, Embedded, Fabric), with
    // the refreshes running now: lastRefresh is a running one (status Unknown, no endTime)
    // as soon as the history lists it.
    for (const auto& w : t.workspaces) {
        if (page.full())
            break;
        if (w.state != "Active" || !w.capacityId)
            continue;
        for (const auto& d : w.datasets) {
            if (!d.isRefreshable)
                continue;
            const bool hidden = !d.refreshes.empty() && !engine.isVisible(d.refreshes.back());
            if (!hidden) {
                page.offer(entity::refreshable(d, w, t, now, expand.count("capacities") > 0,
                                               expand.count("groups") > 0));
                continue;
            }
            Dataset visible = d; // rare: only while a new refresh is not listed yet
            std::erase_if(visible.refreshes,
                          [&](const RefreshEntry& e) { return !engine.isVisible(e); });
            page.offer(entity::refreshable(visible, w, t, now, expand.count("capacities") > 0,
                                           expand.count("groups") > 0));
        }
    }
    collection(res, "refreshables", std::move(page.items), true);
}

void PowerBiService::adminApps(const Request& req, Response& res, const Caller&) {
    int top = -1;
    int skip = 0;
    if (!paging(req, res, top, skip, true, 0))
        return;
    const std::optional<ODataFilter> none;
    Pager page{none, top, skip};
    for (const auto& a : m_sb.m_tenant.workspaceApps)
        page.offer(entity::app(a, true));
    collection(res, "apps", std::move(page.items), true);
}

void PowerBiService::adminPipelines(const Request& req, Response& res, const Caller&) {
    int top = -1;
    int skip = 0;
    bool ok = true;
    std::set<std::string> expand;
    if (!paging(req, res, top, skip, false, 0) ||
        !parseExpand(req, res, {"stages", "users"}, expand))
        return;
    const auto f = filter(req, res, ok);
    if (!ok)
        return;
    Pager page{f, top, skip};
    for (const auto& p : m_sb.m_tenant.pipelines)
        page.offer(entity::pipeline(p, m_sb.m_tenant, expand.count("stages") > 0,
                                    expand.count("users") > 0, true));
    collection(res, "pipelines", std::move(page.items), true);
}

} // namespace pbi::sandbox
