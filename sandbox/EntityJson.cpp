#include "EntityJson.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace pbi::sandbox::entity {

namespace {
constexpr char kPortal[] = "https://app.powerbi.com";

json userList() {
    // Deprecated navigation lists the service still sends, always empty (spec: "users" and
    // "subscriptions" are empty unless expanded by admin APIs).
    return json::array();
}
} // namespace

std::string isoMs(UnixMs ms) {
    std::int64_t secs = ms / 1000;
    int millis = int(ms % 1000);
    if (millis < 0) {
        millis += 1000;
        --secs;
    }
    std::time_t tt = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, millis);
    return out;
}

json group(const Workspace& w, const Tenant& t) {
    json j = {{"id", w.id},
              {"isReadOnly", w.isReadOnly},
              {"isOnDedicatedCapacity", w.capacityId.has_value()},
              {"name", w.name}};
    if (w.capacityId) {
        j["capacityId"] = *w.capacityId;
        // Large storage format is the default on Premium/Fabric, not on Embedded A SKUs.
        const Capacity* c = t.findCapacity(*w.capacityId);
        j["defaultDatasetStorageFormat"] =
            c && !c->sku.empty() && c->sku[0] != 'A' ? "Large" : "Small";
    }
    if (!w.dataflowStorageId.empty())
        j["dataflowStorageId"] = w.dataflowStorageId;
    return j;
}

json adminGroup(const Workspace& w, const Tenant& t, const GroupExpand& expand) {
    json j = group(w, t);
    if (!w.description.empty())
        j["description"] = w.description;
    j["type"] = w.type;
    j["state"] = w.state;
    j["hasWorkspaceLevelSettings"] = w.hasWorkspaceLevelSettings;
    if (!w.pipelineId.empty())
        j["pipelineId"] = w.pipelineId;
    if (expand.users) {
        json users = json::array();
        for (const auto& m : w.members)
            users.push_back(groupUser(m, true));
        j["users"] = std::move(users);
    }
    if (expand.reports) {
        json a = json::array();
        for (const auto& r : w.reports)
            a.push_back(report(r, w, true));
        j["reports"] = std::move(a);
    }
    if (expand.dashboards) {
        json a = json::array();
        for (const auto& d : w.dashboards)
            a.push_back(dashboard(d, w, true));
        j["dashboards"] = std::move(a);
    }
    if (expand.datasets) {
        json a = json::array();
        for (const auto& d : w.datasets)
            a.push_back(dataset(d, w, true));
        j["datasets"] = std::move(a);
    }
    if (expand.dataflows) {
        json a = json::array();
        for (const auto& d : w.dataflows)
            a.push_back(dataflow(d, w, true));
        j["dataflows"] = std::move(a);
    }
    if (expand.workbooks) {
        json a = json::array();
        for (const auto& wb : w.workbooks)
            a.push_back(workbook(wb));
        j["workbooks"] = std::move(a);
    }
    return j;
}

json groupUser(const WorkspaceMember& m, bool admin) {
    json j = {{"groupUserAccessRight", m.accessRight},
              {"identifier", m.identifier},
              {"principalType", m.principalType}};
    if (!m.displayName.empty())
        j["displayName"] = m.displayName;
    if (m.principalType == "User") {
        j["emailAddress"] = m.identifier;
        j["userType"] = "Member";
    }
    if (admin) // graphId: admin APIs only (spec)
        j["graphId"] = m.principalId;
    return j;
}

json report(const Report& r, const Workspace& w, bool admin) {
    json j = {{"id", r.id}, {"reportType", r.reportType}, {"name", r.name}};
    if (!r.description.empty())
        j["description"] = r.description;
    if (!r.datasetId.empty())
        j["datasetId"] = r.datasetId;
    if (!r.appId.empty())
        j["appId"] = r.appId;
    if (!r.format.empty())
        j["format"] = r.format;
    const std::string kind = r.reportType == "PaginatedReport" ? "rdlreports" : "reports";
    j["webUrl"] = std::string(kPortal) + "/groups/" + w.id + "/" + kind + "/" + r.id;
    j["embedUrl"] = std::string(kPortal) +
                    (r.reportType == "PaginatedReport" ? "/rdlEmbed" : "/reportEmbed") +
                    "?reportId=" + r.id + "&groupId=" + w.id;
    if (admin) {
        j["workspaceId"] = w.id;
        if (!r.createdBy.empty())
            j["createdBy"] = r.createdBy;
        if (!r.modifiedBy.empty())
            j["modifiedBy"] = r.modifiedBy;
        if (r.createdDateTime)
            j["createdDateTime"] = isoMs(r.createdDateTime);
        if (r.modifiedDateTime)
            j["modifiedDateTime"] = isoMs(r.modifiedDateTime);
    }
    j["users"] = userList();
    j["subscriptions"] = userList();
    return j;
}

json dataset(const Dataset& d, const Workspace& w, bool admin, bool limited) {
    const bool rls = !d.roles.empty();
    json j = {
        {"id", d.id},
        {"name", d.name},
        {"webUrl", std::string(kPortal) + "/groups/" + w.id + "/datasets/" + d.id},
        {"addRowsAPIEnabled", d.addRowsAPIEnabled},
        {"isRefreshable", d.isRefreshable},
        {"isEffectiveIdentityRequired", rls},
        {"isEffectiveIdentityRolesRequired", rls},
        {"createReportEmbedURL",
         std::string(kPortal) + "/reportEmbed?datasetId=" + d.id + "&groupId=" + w.id},
        {"qnaEmbedURL", std::string(kPortal) + "/qnaEmbed?datasetId=" + d.id + "&groupId=" + w.id}};
    if (!d.description.empty())
        j["description"] = d.description;
    // Inferred from the spec's "Read permission gets limited content": a Viewer sees what the
    // model is and how to embed it, not who owns it or how it is stored and fed.
    if (!limited) {
        if (!d.configuredBy.empty())
            j["configuredBy"] = d.configuredBy;
        if (d.createdDate)
            j["createdDate"] = isoMs(d.createdDate);
        j["isOnPremGatewayRequired"] = d.isOnPremGatewayRequired;
        j["isInPlaceSharingEnabled"] = false;
        j["targetStorageMode"] = d.targetStorageMode;
        if (!d.contentProviderType.empty())
            j["ContentProviderType"] = d.contentProviderType; // the service's capital C
        if (!d.upstreamDataflows.empty()) {
            json up = json::array();
            for (const auto& [df, g] : d.upstreamDataflows)
                up.push_back({{"targetDataflowId", df}, {"groupId", g}});
            j["upstreamDataflows"] = std::move(up);
        }
        if (d.targetStorageMode == "PremiumFiles")
            j["queryScaleOutSettings"] = {{"autoSyncReadOnlyReplicas", true},
                                          {"maxReadOnlyReplicas", 0}};
    }
    if (admin)
        j["workspaceId"] = w.id;
    j["users"] = userList();
    return j;
}

json dashboard(const Dashboard& d, const Workspace& w, bool admin, bool withTiles) {
    json j = {{"id", d.id},
              {"displayName", d.displayName},
              {"isReadOnly", d.isReadOnly},
              {"webUrl", std::string(kPortal) + "/groups/" + w.id + "/dashboards/" + d.id},
              {"embedUrl",
               std::string(kPortal) + "/dashboardEmbed?dashboardId=" + d.id + "&groupId=" + w.id}};
    if (!d.appId.empty())
        j["appId"] = d.appId;
    if (admin) {
        j["workspaceId"] = w.id;
        if (withTiles) {
            json tiles = json::array();
            for (const auto& t : d.tiles)
                tiles.push_back(tile(t, d, w));
            j["tiles"] = std::move(tiles);
        }
    }
    j["users"] = userList();
    j["subscriptions"] = userList();
    return j;
}

json tile(const Tile& t, const Dashboard& d, const Workspace& w) {
    json j = {{"id", t.id}, {"title", t.title}, {"rowSpan", t.rowSpan}, {"colSpan", t.colSpan}};
    if (!t.reportId.empty())
        j["reportId"] = t.reportId;
    if (!t.datasetId.empty())
        j["datasetId"] = t.datasetId;
    j["embedUrl"] = std::string(kPortal) + "/embed?dashboardId=" + d.id + "&tileId=" + t.id +
                    "&groupId=" + w.id;
    j["embedData"] = "{}";
    return j;
}

json dataflow(const Dataflow& d, const Workspace& w, bool admin) {
    json j = {{"objectId", d.objectId}, {"name", d.name}};
    if (!d.description.empty())
        j["description"] = d.description;
    if (!d.configuredBy.empty())
        j["configuredBy"] = d.configuredBy;
    if (!w.dataflowStorageId.empty())
        j["modelUrl"] = "https://contosodataflows.dfs.core.windows.net/powerbi/" + w.name + "/" +
                        d.name + "/model.json";
    if (admin)
        j["workspaceId"] = w.id;
    j["users"] = userList();
    return j;
}

json workbook(const Workbook& wb) {
    json j = {{"name", wb.name}};
    if (!wb.datasetId.empty())
        j["datasetId"] = wb.datasetId;
    return j;
}

json datasource(const Datasource& s) {
    json details = json::object();
    for (const auto& [k, v] : s.connectionDetails)
        details[k] = v;
    json j = {{"datasourceType", s.datasourceType}, {"connectionDetails", std::move(details)}};
    if (!s.datasourceId.empty())
        j["datasourceId"] = s.datasourceId;
    if (!s.gatewayId.empty())
        j["gatewayId"] = s.gatewayId;
    return j;
}

json parameter(const MashupParameter& p) {
    json j = {{"name", p.name}, {"type", p.type}, {"isRequired", p.isRequired}};
    if (p.currentValue)
        j["currentValue"] = *p.currentValue;
    if (!p.suggestedValues.empty())
        j["suggestedValues"] = p.suggestedValues;
    return j;
}

json refresh(const RefreshEntry& r) {
    json j = {{"requestId", r.requestId},
              {"id", std::hash<std::string>{}(r.requestId) % 1000000000ull},
              {"refreshType", r.refreshType},
              {"startTime", isoMs(r.startTime)},
              {"status", r.status}};
    if (r.endTime)
        j["endTime"] = isoMs(*r.endTime);
    if (!r.serviceExceptionJson.empty())
        j["serviceExceptionJson"] = r.serviceExceptionJson;
    if (!r.attempts.empty()) {
        json attempts = json::array();
        for (const auto& a : r.attempts) {
            json aj = {
                {"attemptId", a.attemptId}, {"startTime", isoMs(a.startTime)}, {"type", a.type}};
            if (a.endTime)
                aj["endTime"] = isoMs(*a.endTime);
            if (!a.serviceExceptionJson.empty())
                aj["serviceExceptionJson"] = a.serviceExceptionJson;
            attempts.push_back(std::move(aj));
        }
        j["refreshAttempts"] = std::move(attempts);
    }
    return j;
}

json schedule(const RefreshSchedule& s) {
    return {{"days", s.days},
            {"times", s.times},
            {"enabled", s.enabled},
            {"localTimeZoneId", s.localTimeZoneId},
            {"notifyOption", s.notifyOption}};
}

json capacity(const Capacity& c, const std::string& right) {
    json admins = json::array();
    for (const auto& p : c.principals)
        if (p.right == "Admin")
            admins.push_back(p.identifier);
    return {{"id", c.id},
            {"displayName", c.displayName},
            {"admins", std::move(admins)},
            {"sku", c.sku},
            {"state", c.state},
            {"capacityUserAccessRight", right},
            {"region", c.region}};
}

json gateway(const Gateway& g) {
    json j = {{"id", g.id},
              {"name", g.name},
              {"type", g.type},
              {"publicKey", {{"exponent", g.publicKeyExponent}, {"modulus", g.publicKeyModulus}}},
              {"gatewayStatus", g.gatewayStatus}};
    if (!g.gatewayAnnotation.empty())
        j["gatewayAnnotation"] = g.gatewayAnnotation;
    return j;
}

json gatewayDatasource(const GatewayDatasource& s, const Gateway& g) {
    return {{"id", s.id},
            {"gatewayId", g.id},
            {"datasourceType", s.datasourceType},
            {"connectionDetails", s.connectionDetails},
            {"credentialType", s.credentialType},
            {"datasourceName", s.datasourceName}};
}

json app(const PowerBiApp& a, bool admin) {
    json j = {{"id", a.id}, {"name", a.name}, {"lastUpdate", isoMs(a.lastUpdate)}};
    if (!a.description.empty())
        j["description"] = a.description;
    if (!a.publishedBy.empty())
        j["publishedBy"] = a.publishedBy;
    if (admin)
        j["workspaceId"] = a.workspaceId;
    return j;
}

json pipelineStage(const PipelineStage& s, const Tenant& t) {
    json j = {{"order", s.order}};
    if (!s.workspaceId.empty()) {
        j["workspaceId"] = s.workspaceId;
        if (const Workspace* w = t.findWorkspace(s.workspaceId))
            j["workspaceName"] = w->name;
    }
    return j;
}

json pipelineUser(const PipelineUser& u) {
    return {{"identifier", u.identifier},
            {"principalType", u.principalType},
            {"accessRight", u.accessRight}};
}

json pipeline(const Pipeline& p, const Tenant& t, bool withStages, bool withUsers, bool admin) {
    json j = {{"id", p.id}, {"displayName", p.displayName}};
    if (!p.description.empty())
        j["description"] = p.description;
    if (withStages) {
        json stages = json::array();
        for (const auto& s : p.stages)
            stages.push_back(pipelineStage(s, t));
        j["stages"] = std::move(stages);
    }
    if (admin && withUsers) {
        json users = json::array();
        for (const auto& u : p.users)
            users.push_back(pipelineUser(u));
        j["users"] = std::move(users);
    }
    return j;
}

json refreshable(const Dataset& d, const Workspace& w, const Tenant& t, UnixMs nowMs,
                 bool expandCapacity, bool expandGroup, int days) {
    const UnixMs from = nowMs - UnixMs(days) * 24 * 3600 * 1000;
    std::vector<double> durations;
    int failures = 0;
    const RefreshEntry* last = nullptr;
    for (const auto& r : d.refreshes) {
        if (r.startTime < from)
            continue;
        if (r.status == "Failed")
            ++failures;
        if (r.endTime)
            durations.push_back(double(*r.endTime - r.startTime) / 1000.0);
        last = &r; // oldest first: the last one seen is the newest
    }
    double average = 0;
    double median = 0;
    if (!durations.empty()) {
        for (double x : durations)
            average += x;
        average /= double(durations.size());
        std::sort(durations.begin(), durations.end());
        const std::size_t n = durations.size();
        median = n % 2 ? durations[n / 2] : (durations[n / 2 - 1] + durations[n / 2]) / 2;
    }
    int perDay = 0;
    if (d.schedule && d.schedule->enabled)
        perDay = int(d.schedule->times.size());
    json j = {{"id", d.id},
              {"name", d.name},
              {"kind", "Dataset"},
              {"startTime", isoMs(from)},
              {"endTime", isoMs(nowMs)},
              {"refreshCount", int(durations.size())},
              {"refreshFailures", failures},
              {"averageDuration", average},
              {"medianDuration", median},
              {"refreshesPerDay", perDay},
              {"configuredBy", json::array({d.configuredBy})}};
    if (last)
        j["lastRefresh"] = refresh(*last);
    if (d.schedule)
        j["refreshSchedule"] = schedule(*d.schedule);
    if (expandCapacity && w.capacityId)
        if (const Capacity* c = t.findCapacity(*w.capacityId))
            j["capacity"] = capacity(*c, "Admin");
    if (expandGroup)
        j["group"] = {{"id", w.id}, {"name", w.name}};
    return j;
}

} // namespace pbi::sandbox::entity
