// The admin scanner API (reference/api-digest.md §7; spec WorkspaceInfo_*): which
// workspaces changed, and the metadata of up to 100 of them per scan, in the spec's
// WorkspaceInfoResponse shape.

#include "ScannerService.h"

#include "EntityJson.h"
#include "HttpServer.h"
#include "Ids.h"
#include "WireHelpers.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace pbi::sandbox {

using nlohmann::json;

namespace {

constexpr UnixMs kMinute = 60'000;
constexpr UnixMs kDay = 24 * 60 * kMinute;
constexpr std::size_t kMaxWorkspaces = 100; // RequiredWorkspaces: "1 to 100 workspace IDs"
constexpr int kMaxSimultaneousScans = 16;   // "Maximum 16 simultaneous requests"
constexpr std::size_t kMaxKeptScans = 1000; // memory bound; the oldest finished scans go first

void invalid(Response& res, const std::string& message)
{
    wire::serviceError(res, 400, "InvalidRequest", message);
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

/// An optional boolean query option; false (and a 400) when present but not true/false.
bool boolOption(const Request& req, const char* name, bool& out, Response& res)
{
    const std::string* text = req.queryValue(name);
    if (!text)
        return true;
    const std::string v = lower(*text);
    if (v != "true" && v != "false") {
        invalid(res, std::string("The query parameter '") + name +
                         "' must be true or false, not '" + *text + "'.");
        return false;
    }
    out = v == "true";
    return true;
}

/// The latest change the tenant model knows of in a workspace: its items' creation and
/// modification times (the model has no change log of its own). 0: none known.
UnixMs lastModified(const Workspace& w)
{
    UnixMs last = 0;
    for (const auto& r : w.reports)
        last = std::max({last, r.createdDateTime, r.modifiedDateTime});
    for (const auto& d : w.datasets)
        last = std::max(last, d.createdDate);
    return last;
}

/// A column's data type from its name: the tenant model keeps names only.
std::string columnType(const std::string& name)
{
    const std::string n = lower(name);
    if (n.find("date") != std::string::npos || n.find("time") != std::string::npos)
        return "DateTime";
    if (n == "amount" || n == "value" || n.find("price") != std::string::npos)
        return "Double";
    if (n == "quantity" || n == "year" || n == "month" || n.find("count") != std::string::npos)
        return "Int64";
    return "String";
}

std::string measureExpression(const Table& t, const std::string& measure)
{
    if (measure.find('%') != std::string::npos)
        return "DIVIDE([Total Amount] - CALCULATE([Total Amount], "
               "SAMEPERIODLASTYEAR('Date'[Date])),"
               " CALCULATE([Total Amount], SAMEPERIODLASTYEAR('Date'[Date])))";
    std::string column = t.columns.empty() ? std::string("Value") : t.columns.front();
    for (const auto& c : t.columns)
        if (columnType(c) == "Double") {
            column = c;
            break;
        }
    return "SUM('" + t.name + "'[" + column + "])";
}

std::string parameterExpression(const MashupParameter& p)
{
    const std::string value = p.currentValue ? *p.currentValue : std::string();
    const std::string literal =
        p.type == "Number" || p.type == "Logical" ? (value.empty() ? std::string("null") : value)
        : p.type == "DateTime" ? "#datetime(" + value.substr(0, 4) + ", " + value.substr(5, 2) +
                                     ", " + value.substr(8, 2) + ", 0, 0, 0)"
                               : "\"" + value + "\"";
    return literal + " meta [IsParameterQuery=true, Type=\"" + p.type +
           "\", IsParameterQueryRequired=" + (p.isRequired ? "true" : "false") + "]";
}

/// Item-level rights derived from the workspace roles (the tenant model has no item sharing).
std::string reportRight(const std::string& role)
{
    return role == "Admin" ? "Owner" : role == "Viewer" ? "Read" : "ReadWrite";
}
std::string datasetRight(const std::string& role)
{
    return role == "Admin" || role == "Member" ? "ReadWriteReshareExplore"
           : role == "Contributor"             ? "ReadWriteExplore"
                                               : "ReadExplore";
}

json artifactUsers(const Workspace& w, const char* key,
                   std::string (*right)(const std::string& role))
{
    json users = json::array();
    for (const auto& m : w.members) {
        json u = entity::groupUser(m, true);
        u.erase("groupUserAccessRight");
        u[key] = right(m.accessRight);
        users.push_back(std::move(u));
    }
    return users;
}

/// Every data source a scan meets, once each: datasourceInstances and the usages' ids.
struct DatasourceCatalog {
    std::map<std::string, std::string> idByKey;
    json instances = json::array();
    json misconfigured = json::array();

    /// The instance id; `misconfigured`: a gateway is needed but the source is not bound.
    std::string add(const Datasource& s, bool needsGateway)
    {
        std::string key = s.datasourceType + "|" + s.gatewayId + "|" + s.datasourceId;
        for (const auto& [k, v] : s.connectionDetails)
            key += "|" + k + "=" + v;
        if (const auto it = idByKey.find(key); it != idByKey.end())
            return it->second;
        // Gateway-bound sources keep their gateway data source id; cloud ones get a stable id.
        const std::string id =
            s.datasourceId.empty() ? stableGuid("datasource|" + key) : s.datasourceId;
        idByKey[key] = id;
        json j = entity::datasource(s);
        j["datasourceId"] = id;
        (needsGateway && s.gatewayId.empty() ? misconfigured : instances).push_back(std::move(j));
        return id;
    }
    bool isMisconfigured(const std::string& id) const
    {
        return std::any_of(misconfigured.begin(), misconfigured.end(),
                           [&](const json& j) { return j["datasourceId"] == id; });
    }
};

} // namespace

ScannerService::ScannerService(const ServiceContext& context)
    : m_context(context)
{}

std::vector<ServiceRoute> ScannerService::entries(ScannerService* self)
{
    using S = ServiceRoute::Scope;
    auto m = [self](void (ScannerService::*fn)(const Request&, Response&, const Caller&)) {
        return [self, fn](const Request& q, Response& r, const Caller& c) { (self->*fn)(q, r, c); };
    };
    const std::string a = "/v1.0/myorg/admin/workspaces";
    return {
        {{"GET", a + "/modified", "WorkspaceInfo_GetModifiedWorkspaces"},
         S::Admin,
         m(&ScannerService::modified)},
        {{"POST", a + "/getInfo", "WorkspaceInfo_PostWorkspaceInfo"},
         S::Admin,
         m(&ScannerService::getInfo)},
        {{"GET", a + "/scanStatus/{scanId}", "WorkspaceInfo_GetScanStatus"},
         S::Admin,
         m(&ScannerService::scanStatus)},
        {{"GET", a + "/scanResult/{scanId}", "WorkspaceInfo_GetScanResult"},
         S::Admin,
         m(&ScannerService::scanResult)},
    };
}

// --- modified workspaces ------------------------------------------------------------------

void ScannerService::modified(const Request& req, Response& res, const Caller&)
{
    bool excludePersonal = false;
    bool excludeInactive = false;
    if (!boolOption(req, "excludePersonalWorkspaces", excludePersonal, res) ||
        !boolOption(req, "excludeInActiveWorkspaces", excludeInactive, res))
        return;
    std::optional<UnixMs> since;
    if (const std::string* text = req.queryValue("modifiedSince")) {
        since = timefmt::parseIsoUtc(*text);
        if (!since)
            return invalid(res, "The query parameter 'modifiedSince' must be an ISO 8601 UTC "
                                "date-time, not '" +
                                    *text + "'.");
        // Spec: "in the range of 30 minutes (to allow workspace changes to take effect) to 30
        // days prior to the current time".
        const UnixMs now = m_context.nowMs();
        if (*since > now - 30 * kMinute || *since < now - 30 * kDay)
            return invalid(res, "'modifiedSince' must be between 30 days and 30 minutes before "
                                "the current time, not " +
                                    *text + ".");
    }
    json out = json::array();
    for (const auto& w : m_context.tenant.workspaces) {
        if (excludePersonal && (w.type == "PersonalGroup" || w.type == "Personal"))
            continue;
        if (excludeInactive && w.state != "Active")
            continue;
        if (since && lastModified(w) <= *since)
            continue;
        out.push_back({{"id", w.id}});
    }
    // A bare array, not the OData envelope (api-digest §0).
    wire::json(res, 200, out);
}

// --- scans --------------------------------------------------------------------------------

std::string ScannerService::status(const Scan& s, UnixMs now) const
{
    if (now < s.runningMs)
        return "NotStarted";
    if (now < s.doneMs)
        return "Running";
    return s.fails ? "Failed" : "Succeeded";
}

json ScannerService::statusJson(const Scan& s, UnixMs now) const
{
    json j = {
        {"id", s.id}, {"createdDateTime", timefmt::iso7(s.createdMs)}, {"status", status(s, now)}};
    if (j["status"] == "Failed")
        j["error"] = {{"code", "ScanFailed"},
                      {"message", "The scan could not read the workspaces' metadata. Request a "
                                  "new scan."},
                      {"target", s.id}};
    return j;
}

void ScannerService::getInfo(const Request& req, Response& res, const Caller&)
{
    Options o;
    if (!boolOption(req, "lineage", o.lineage, res) ||
        !boolOption(req, "datasourceDetails", o.datasourceDetails, res) ||
        !boolOption(req, "datasetSchema", o.datasetSchema, res) ||
        !boolOption(req, "datasetExpressions", o.datasetExpressions, res) ||
        !boolOption(req, "getArtifactUsers", o.getArtifactUsers, res))
        return;
    const json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("workspaces") ||
        !body["workspaces"].is_array())
        return invalid(res, "The request body must be {\"workspaces\": [\"<workspace id>\", …]}.");
    std::vector<std::string> ids;
    for (const auto& v : body["workspaces"]) {
        if (!v.is_string() || !access::isGuid(v.get<std::string>()))
            return invalid(res, "Workspace ids must be GUIDs, not " + v.dump() + ".");
        const std::string id = lower(v.get<std::string>());
        if (std::find(ids.begin(), ids.end(), id) == ids.end())
            ids.push_back(id);
    }
    if (ids.empty() || body["workspaces"].size() > kMaxWorkspaces)
        return invalid(res, "A scan takes 1 to 100 workspace ids, not " +
                                std::to_string(body["workspaces"].size()) + ".");

    const UnixMs now = m_context.nowMs();
    std::erase_if(m_scans,
                  [&](const auto& kv) { return now > kv.second.doneMs + m_resultLifetimeMs; });
    int inFlight = 0;
    UnixMs firstDone = 0;
    for (const auto& [id, s] : m_scans)
        if (now < s.doneMs) {
            ++inFlight;
            firstDone = firstDone ? std::min(firstDone, s.doneMs) : s.doneMs;
        }
    if (inFlight >= kMaxSimultaneousScans) {
        const int wait = int(m_context.realSeconds(double(firstDone - now) / 1000.0));
        res.setHeader("Retry-After", std::to_string(wait));
        wire::json(res, 429,
                   {{"message", "You have exceeded the amount of requests allowed in the current "
                                "time frame and further requests will fail. Retry in " +
                                    std::to_string(wait) + " seconds."}});
        return;
    }
    if (m_scans.size() >= kMaxKeptScans) {
        auto oldest = m_scans.end();
        for (auto it = m_scans.begin(); it != m_scans.end(); ++it)
            if (now >= it->second.doneMs &&
                (oldest == m_scans.end() || it->second.createdMs < oldest->second.createdMs))
                oldest = it;
        if (oldest != m_scans.end())
            m_scans.erase(oldest);
    }

    Scan s;
    s.id = randomGuid();
    s.createdMs = now;
    s.runningMs = now + m_queuedMs;
    s.doneMs = s.runningMs + m_runningMs;
    if (m_failNext > 0) {
        s.fails = true;
        --m_failNext;
    }
    s.result = snapshot(ids, o);
    res.setHeader("Location",
                  m_context.baseUrl() + "/v1.0/myorg/admin/workspaces/scanStatus/" + s.id);
    // The answer says NotStarted even when the queue time is zero, as the service's does.
    const json answer = {
        {"id", s.id}, {"createdDateTime", timefmt::iso7(s.createdMs)}, {"status", "NotStarted"}};
    m_scans.emplace(s.id, std::move(s));
    wire::json(res, 202, answer);
}

const ScannerService::Scan* ScannerService::findScan(const std::string& id, Response& res)
{
    if (!access::isGuid(id)) {
        invalid(res, "The scan id must be a GUID, not '" + id + "'.");
        return nullptr;
    }
    const UnixMs now = m_context.nowMs();
    const auto it = m_scans.find(lower(id));
    if (it == m_scans.end() || now > it->second.doneMs + m_resultLifetimeMs) {
        if (it != m_scans.end())
            m_scans.erase(it);
        wire::pbiError(res, 404, "PowerBIEntityNotFound");
        return nullptr;
    }
    return &it->second;
}

void ScannerService::scanStatus(const Request& req, Response& res, const Caller&)
{
    const Scan* s = findScan(req.pathParams[0], res);
    if (!s)
        return;
    const UnixMs now = m_context.nowMs();
    const json j = statusJson(*s, now);
    if (j["status"] == "Succeeded")
        res.setHeader("Location",
                      m_context.baseUrl() + "/v1.0/myorg/admin/workspaces/scanResult/" + s->id);
    wire::json(res, 200, j);
}

void ScannerService::scanResult(const Request& req, Response& res, const Caller&)
{
    const Scan* s = findScan(req.pathParams[0], res);
    if (!s)
        return;
    const std::string st = status(*s, m_context.nowMs());
    // Spec: "Only make this API call after a successful GetScanStatus API call".
    if (st != "Succeeded")
        return invalid(res, "Scan " + s->id + " has not succeeded (its status is " + st +
                                "); get its result once GetScanStatus says Succeeded.");
    wire::json(res, 200, s->result);
}

// --- the snapshot -------------------------------------------------------------------------

json ScannerService::snapshot(const std::vector<std::string>& ids, const Options& o) const
{
    const Tenant& t = m_context.tenant;
    const TenantSettings& settings = t.settings;
    // Schema and expressions need their tenant settings too; without them they are silently
    // left out (service-admin-metadata-scanning-setup.md).
    const bool schema = o.datasetSchema && settings.enhanceAdminApisDetailedMetadata;
    const bool expressions = o.datasetExpressions && settings.enhanceAdminApisDetailedMetadata &&
                             settings.enhanceAdminApisExpressions;
    DatasourceCatalog catalog;

    auto usages = [&](const std::vector<Datasource>& sources, bool needsGateway, json& item) {
        json used = json::array();
        json misused = json::array();
        for (const auto& s : sources) {
            const std::string id = catalog.add(s, needsGateway);
            (catalog.isMisconfigured(id) ? misused : used)
                .push_back({{"datasourceInstanceId", id}});
        }
        if (o.lineage) {
            item["datasourceUsages"] = std::move(used);
            if (!misused.empty())
                item["misconfiguredDatasourceUsages"] = std::move(misused);
        }
    };

    json workspaces = json::array();
    for (const auto& id : ids) {
        const Workspace* w = t.findWorkspace(id);
        if (!w)
            continue; // ids of no workspace are left out of the result
        const json group = entity::group(*w, t);
        json ws = {{"id", w->id},
                   {"name", w->name},
                   {"type", w->type},
                   {"state", w->state},
                   {"isOnDedicatedCapacity", group["isOnDedicatedCapacity"]}};
        if (!w->description.empty())
            ws["description"] = w->description;
        if (group.contains("capacityId")) {
            ws["capacityId"] = group["capacityId"];
            ws["defaultDatasetStorageFormat"] = group["defaultDatasetStorageFormat"];
        }

        json reports = json::array();
        for (const auto& r : w->reports) {
            json j = {{"id", r.id}, {"name", r.name}, {"reportType", r.reportType}};
            if (!r.description.empty())
                j["description"] = r.description;
            if (!r.datasetId.empty()) {
                j["datasetId"] = r.datasetId;
                if (o.lineage)
                    if (const auto ref = t.findDataset(r.datasetId))
                        j["datasetWorkspaceId"] = t.workspaces[ref->workspace].id;
            }
            if (!r.appId.empty())
                j["appId"] = r.appId;
            if (!r.format.empty())
                j["format"] = r.format;
            if (r.createdDateTime)
                j["createdDateTime"] = entity::isoMs(r.createdDateTime);
            if (r.modifiedDateTime)
                j["modifiedDateTime"] = entity::isoMs(r.modifiedDateTime);
            if (!r.createdBy.empty())
                j["createdBy"] = r.createdBy;
            if (!r.modifiedBy.empty())
                j["modifiedBy"] = r.modifiedBy;
            if (o.getArtifactUsers)
                j["users"] = artifactUsers(*w, "reportUserAccessRight", reportRight);
            reports.push_back(std::move(j));
        }
        ws["reports"] = std::move(reports);

        json dashboards = json::array();
        for (const auto& d : w->dashboards) {
            json j = {{"id", d.id}, {"displayName", d.displayName}, {"isReadOnly", d.isReadOnly}};
            if (!d.appId.empty())
                j["appId"] = d.appId;
            if (o.lineage) { // "lineage info (upstream dataflows, tiles, data source IDs)"
                json tiles = json::array();
                for (const auto& tile : d.tiles) {
                    json tj = {{"id", tile.id}, {"title", tile.title}};
                    if (!tile.reportId.empty())
                        tj["reportId"] = tile.reportId;
                    if (!tile.datasetId.empty()) {
                        tj["datasetId"] = tile.datasetId;
                        if (const auto ref = t.findDataset(tile.datasetId))
                            tj["datasetWorkspaceId"] = t.workspaces[ref->workspace].id;
                    }
                    tiles.push_back(std::move(tj));
                }
                j["tiles"] = std::move(tiles);
            }
            if (o.getArtifactUsers)
                j["users"] = artifactUsers(*w, "dashboardUserAccessRight", reportRight);
            dashboards.push_back(std::move(j));
        }
        ws["dashboards"] = std::move(dashboards);

        json datasets = json::array();
        for (const auto& d : w->datasets) {
            json j = {{"id", d.id},
                      {"name", d.name},
                      {"targetStorageMode", d.targetStorageMode},
                      {"ContentProviderType", d.contentProviderType}}; // the service's capital C
            if (!d.description.empty())
                j["description"] = d.description;
            if (!d.configuredBy.empty())
                j["configuredBy"] = d.configuredBy;
            if (d.createdDate)
                j["createdDate"] = entity::isoMs(d.createdDate);
            if (d.name.find("(certified)") != std::string::npos)
                j["endorsementDetails"] = {{"endorsement", "Certified"},
                                           {"certifiedBy", d.configuredBy}};
            if (o.lineage && !d.upstreamDataflows.empty()) {
                json up = json::array();
                for (const auto& [df, g] : d.upstreamDataflows)
                    up.push_back({{"targetDataflowId", df}, {"groupId", g}});
                j["upstreamDataflows"] = std::move(up);
            }
            usages(d.datasources, d.isOnPremGatewayRequired, j);
            if (schema && d.storageMode == "Push") {
                j["schemaRetrievalError"] = "Unsupported request. RealTime dataset are not "
                                            "supported";
            } else if (schema) {
                json tables = json::array();
                for (const auto& table : d.tables) {
                    json columns = json::array();
                    for (const auto& c : table.columns)
                        columns.push_back(
                            {{"name", c}, {"dataType", columnType(c)}, {"isHidden", false}});
                    json tj = {{"name", table.name},
                               {"columns", std::move(columns)},
                               {"isHidden", table.isHidden}};
                    // Measures need their DAX ("expression" is required): expressions only.
                    if (expressions) {
                        json measures = json::array();
                        for (const auto& m : table.measures)
                            measures.push_back({{"name", m},
                                                {"expression", measureExpression(table, m)},
                                                {"isHidden", false}});
                        tj["measures"] = std::move(measures);
                        json source = json::array();
                        for (const auto& p : table.partitions)
                            if (!p.sourceExpression.empty())
                                source.push_back({{"expression", p.sourceExpression}});
                        if (!source.empty())
                            tj["source"] = std::move(source);
                    }
                    tables.push_back(std::move(tj));
                }
                j["tables"] = std::move(tables);
                json roles = json::array();
                for (const auto& r : d.roles) {
                    json members = json::array();
                    for (const auto& m : r.members) {
                        json mj = {
                            {"memberName", m},
                            {"memberType", m.find('@') != std::string::npos ? "User" : "Group"},
                            {"identityProvider", "AzureAD"}};
                        for (const auto& u : t.users)
                            if (u.userPrincipalName == m)
                                mj["memberId"] = u.objectId;
                        members.push_back(std::move(mj));
                    }
                    json permissions = json::array();
                    for (const auto& [table, filter] : r.tablePermissions) {
                        json pj = {{"name", table}};
                        if (expressions)
                            pj["filterExpression"] = filter;
                        permissions.push_back(std::move(pj));
                    }
                    roles.push_back({{"name", r.name},
                                     {"modelPermission", r.modelPermission},
                                     {"members", std::move(members)},
                                     {"tablePermissions", std::move(permissions)}});
                }
                j["roles"] = std::move(roles);
            }
            if (expressions) {
                json exprs = json::array();
                for (const auto& p : d.parameters)
                    exprs.push_back({{"name", p.name}, {"expression", parameterExpression(p)}});
                j["expressions"] = std::move(exprs);
            }
            if (o.getArtifactUsers)
                j["users"] = artifactUsers(*w, "datasetUserAccessRight", datasetRight);
            datasets.push_back(std::move(j));
        }
        ws["datasets"] = std::move(datasets);

        json dataflows = json::array();
        for (const auto& df : w->dataflows) {
            json j = {{"objectId", df.objectId}, {"name", df.name}};
            if (!df.description.empty())
                j["description"] = df.description;
            if (!df.configuredBy.empty())
                j["configuredBy"] = df.configuredBy;
            usages(df.datasources, true, j);
            if (o.getArtifactUsers)
                // The spec requires "dataflowUserAccessRight" (its property is spelled
                // "DataflowUserAccessRight"); camelCase, like every other field on the wire.
                j["users"] = artifactUsers(*w, "dataflowUserAccessRight", reportRight);
            dataflows.push_back(std::move(j));
        }
        ws["dataflows"] = std::move(dataflows);
        ws["datamarts"] = json::array();

        json users = json::array();
        for (const auto& m : w->members)
            users.push_back(entity::groupUser(m, true));
        ws["users"] = std::move(users);
        workspaces.push_back(std::move(ws));
    }
    json out = {{"workspaces", std::move(workspaces)}};
    if (o.datasourceDetails) {
        out["datasourceInstances"] = std::move(catalog.instances);
        out["misconfiguredDatasourceInstances"] = std::move(catalog.misconfigured);
    }
    return out;
}

// --- control ------------------------------------------------------------------------------

void ScannerService::controlGet(const Request&, Response& res) const
{
    const UnixMs now = m_context.nowMs();
    json scans = json::array();
    for (const auto& [id, s] : m_scans)
        scans.push_back(statusJson(s, now));
    wire::json(res, 200,
               {{"queuedMs", m_queuedMs},
                {"runningMs", m_runningMs},
                {"resultLifetimeMs", m_resultLifetimeMs},
                {"failNextScans", m_failNext},
                {"scans", std::move(scans)}});
}

void ScannerService::controlPatch(const Request& req, Response& res)
{
    const auto body =
        controlBody(req, res, {"queuedMs", "runningMs", "resultLifetimeMs", "failNextScans"});
    if (!body)
        return;
    long long queued = m_queuedMs;
    long long running = m_runningMs;
    long long lifetime = m_resultLifetimeMs;
    long long failNext = m_failNext;
    if (!controlInt(*body, "queuedMs", 0, 3'600'000, queued, res) ||
        !controlInt(*body, "runningMs", 0, 3'600'000, running, res) ||
        !controlInt(*body, "resultLifetimeMs", 0, 7 * kDay, lifetime, res) ||
        !controlInt(*body, "failNextScans", 0, 1000, failNext, res))
        return;
    // New timing applies to scans requested from now on.
    m_queuedMs = queued;
    m_runningMs = running;
    m_resultLifetimeMs = lifetime;
    m_failNext = failNext;
    controlGet(req, res);
}

} // namespace pbi::sandbox
