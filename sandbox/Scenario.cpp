#include "Scenario.h"

#include "EntityJson.h"
#include "Ids.h"

#include <algorithm>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace pbi::sandbox {

namespace {

using nlohmann::json;

constexpr char kFormat[] = "pbi-sandbox-scenario/1";

struct ScenarioError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Reads one JSON object of the scenario, naming the path of whatever is wrong.
class Reader {
public:
    Reader(const json& j, std::string path, IdGenerator& ids)
        : m_j(j)
        , m_path(std::move(path))
        , m_ids(ids) {
        if (!m_j.is_object())
            fail(m_path, "expected an object");
    }

    [[noreturn]] static void fail(const std::string& path, const std::string& why) {
        throw ScenarioError(path + ": " + why);
    }
    std::string at(const char* key) const { return m_path.empty() ? key : m_path + "." + key; }

    const json* find(const char* key) const {
        const auto it = m_j.find(key);
        return it == m_j.end() || it->is_null() ? nullptr : &*it;
    }
    std::string str(const char* key, const std::string& def = {}, bool required = false) const {
        const json* v = find(key);
        if (!v) {
            if (required)
                fail(at(key), "is required");
            return def;
        }
        if (!v->is_string())
            fail(at(key), "expected a string");
        return v->get<std::string>();
    }
    /// An id: given, or generated from the scenario's seed.
    std::string id(const char* key = "id") const {
        const std::string s = str(key);
        return s.empty() ? m_ids.next() : s;
    }
    std::string oneOf(const char* key, const std::string& def,
                      std::initializer_list<const char*> allowed) const {
        const std::string s = str(key, def);
        for (const char* a : allowed)
            if (s == a)
                return s;
        std::string list;
        for (const char* a : allowed)
            list += (list.empty() ? "" : ", ") + std::string(a);
        fail(at(key), "'" + s + "' is not one of " + list);
    }
    bool boolean(const char* key, bool def) const {
        const json* v = find(key);
        if (!v)
            return def;
        if (!v->is_boolean())
            fail(at(key), "expected true or false");
        return v->get<bool>();
    }
    int integer(const char* key, int def, int min, int max) const {
        const json* v = find(key);
        if (!v)
            return def;
        if (!v->is_number_integer() || v->get<std::int64_t>() < min || v->get<std::int64_t>() > max)
            fail(at(key),
                 "expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
        return int(v->get<std::int64_t>());
    }
    /// A time: ISO 8601 UTC ("2026-11-20T05:00:00Z", fractions allowed) or Unix milliseconds.
    std::optional<UnixMs> time(const char* key) const {
        const json* v = find(key);
        if (!v)
            return std::nullopt;
        if (v->is_number_integer())
            return v->get<std::int64_t>();
        if (!v->is_string())
            fail(at(key), "expected an ISO 8601 time or Unix milliseconds");
        const std::string s = v->get<std::string>();
        std::tm tm{};
        int ms = 0;
        char frac[16] = {};
        const int n =
            std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%15[.0-9]", &tm.tm_year, &tm.tm_mon,
                        &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, frac);
        if (n < 6 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
            tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
            fail(at(key), "'" + s + "' is not an ISO 8601 time");
        if (frac[0] == '.') {
            std::string digits = std::string(frac + 1) + "000";
            ms = std::stoi(digits.substr(0, 3));
        }
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        return UnixMs(timegm(&tm)) * 1000 + ms;
    }
    std::vector<std::string> strings(const char* key) const {
        std::vector<std::string> out;
        const json* v = find(key);
        if (!v)
            return out;
        if (!v->is_array())
            fail(at(key), "expected an array of strings");
        for (std::size_t i = 0; i < v->size(); ++i) {
            if (!(*v)[i].is_string())
                fail(at(key) + "[" + std::to_string(i) + "]", "expected a string");
            out.push_back((*v)[i].get<std::string>());
        }
        return out;
    }
    std::vector<std::pair<std::string, std::string>> pairs(const char* key) const {
        std::vector<std::pair<std::string, std::string>> out;
        const json* v = find(key);
        if (!v)
            return out;
        if (!v->is_object())
            fail(at(key), "expected an object of strings");
        for (const auto& [k, x] : v->items()) {
            if (!x.is_string())
                fail(at(key) + "." + k, "expected a string");
            out.emplace_back(k, x.get<std::string>());
        }
        return out;
    }
    template <typename F>
    void each(const char* key, F f) const {
        const json* v = find(key);
        if (!v)
            return;
        if (!v->is_array())
            fail(at(key), "expected an array");
        for (std::size_t i = 0; i < v->size(); ++i)
            f(Reader((*v)[i], at(key) + "[" + std::to_string(i) + "]", m_ids));
    }
    IdGenerator& ids() const { return m_ids; }

private:
    const json& m_j;
    std::string m_path;
    IdGenerator& m_ids;
};

template <typename T, typename Same>
void upsert(std::vector<T>& items, T item, Same same) {
    for (auto& existing : items)
        if (same(existing, item)) {
            existing = std::move(item);
            return;
        }
    items.push_back(std::move(item));
}

Datasource readDatasource(const Reader& r) {
    return {r.str("datasourceType", {}, true), r.pairs("connectionDetails"), r.str("datasourceId"),
            r.str("gatewayId")};
}

Dataset readDataset(const Reader& r) {
    Dataset d;
    d.id = r.id();
    d.name = r.str("name", {}, true);
    d.description = r.str("description");
    d.configuredBy = r.str("configuredBy");
    d.createdDate = r.time("createdDate").value_or(0);
    d.storageMode = r.oneOf("storageMode", "Import",
                            {"Import", "DirectQuery", "Composite", "LiveConnection", "Push"});
    d.contentProviderType =
        r.str("contentProviderType", d.storageMode == "Push" ? "PushDataset" : "PbixInImportMode");
    d.targetStorageMode = r.oneOf("targetStorageMode", "Abf", {"Abf", "PremiumFiles"});
    d.isRefreshable =
        r.boolean("isRefreshable", d.storageMode == "Import" || d.storageMode == "Composite");
    d.isOnPremGatewayRequired = r.boolean("isOnPremGatewayRequired", false);
    d.addRowsAPIEnabled = r.boolean("addRowsAPIEnabled", d.storageMode == "Push");
    r.each("tables", [&](const Reader& t) {
        Table table{t.str("name", {}, true),
                    t.boolean("isHidden", false),
                    t.strings("columns"),
                    t.strings("measures"),
                    {}};
        t.each("partitions", [&](const Reader& p) {
            table.partitions.push_back(
                {p.str("name", {}, true),
                 p.oneOf("mode", "Import", {"Import", "DirectQuery", "Dual", "Push"}),
                 p.str("sourceExpression")});
        });
        d.tables.push_back(std::move(table));
    });
    r.each("roles", [&](const Reader& x) {
        d.roles.push_back({x.str("name", {}, true), x.str("modelPermission", "Read"),
                           x.pairs("tablePermissions"), x.strings("members")});
    });
    r.each("datasources", [&](const Reader& x) { d.datasources.push_back(readDatasource(x)); });
    r.each("parameters", [&](const Reader& x) {
        MashupParameter p{x.str("name", {}, true), x.str("type", "Text"),
                          x.boolean("isRequired", true), std::nullopt,
                          x.strings("suggestedValues")};
        if (x.find("currentValue"))
            p.currentValue = x.str("currentValue");
        d.parameters.push_back(std::move(p));
    });
    r.each("refreshes", [&](const Reader& x) {
        RefreshEntry e;
        e.requestId = x.id("requestId");
        e.refreshType = x.oneOf("refreshType", "Scheduled",
                                {"Scheduled", "OnDemand", "ViaApi", "ViaXmlaEndpoint",
                                 "ViaEnhancedApi", "OnDemandTraining"});
        const auto start = x.time("startTime");
        if (!start)
            Reader::fail(x.at("startTime"), "is required");
        e.startTime = *start;
        e.endTime = x.time("endTime");
        e.status = x.oneOf("status", e.endTime ? "Completed" : "Unknown",
                           {"Unknown", "Completed", "Failed", "Disabled", "Cancelled"});
        e.serviceExceptionJson = x.str("serviceExceptionJson");
        x.each("refreshAttempts", [&](const Reader& a) {
            RefreshAttempt at;
            at.attemptId = a.integer("attemptId", int(e.attempts.size()) + 1, 1, 1000);
            at.startTime = a.time("startTime").value_or(e.startTime);
            at.endTime = a.time("endTime");
            at.type = a.oneOf("type", "Data", {"Data", "Query"});
            at.serviceExceptionJson = a.str("serviceExceptionJson");
            e.attempts.push_back(std::move(at));
        });
        d.refreshes.push_back(std::move(e));
    });
    // The service keeps history oldest first in our model; files may list it either way.
    std::stable_sort(
        d.refreshes.begin(), d.refreshes.end(),
        [](const RefreshEntry& a, const RefreshEntry& b) { return a.startTime < b.startTime; });
    if (r.find("refreshSchedule")) {
        const Reader s(*r.find("refreshSchedule"), r.at("refreshSchedule"), r.ids());
        RefreshSchedule rs;
        rs.days = s.strings("days");
        for (const auto& day : rs.days)
            if (day != "Monday" && day != "Tuesday" && day != "Wednesday" && day != "Thursday" &&
                day != "Friday" && day != "Saturday" && day != "Sunday")
                Reader::fail(s.at("days"), "'" + day + "' is not a day of the week");
        rs.times = s.strings("times");
        for (const auto& t : rs.times)
            if (t.size() != 5 || t[2] != ':' || (t.substr(3) != "00" && t.substr(3) != "30") ||
                t.substr(0, 2) > "23")
                Reader::fail(s.at("times"), "'" + t + "' is not hh:00 or hh:30");
        rs.enabled = s.boolean("enabled", true);
        rs.localTimeZoneId = s.str("localTimeZoneId", "UTC");
        rs.notifyOption =
            s.oneOf("notifyOption", "MailOnFailure", {"NoNotification", "MailOnFailure"});
        d.schedule = rs;
    }
    r.each("upstreamDataflows", [&](const Reader& x) {
        d.upstreamDataflows.emplace_back(x.str("targetDataflowId", {}, true),
                                         x.str("groupId", {}, true));
    });
    return d;
}

Workspace readWorkspace(const Reader& r, const Tenant& t) {
    Workspace w;
    w.id = r.id();
    w.name = r.str("name", {}, true);
    w.description = r.str("description");
    w.type = r.oneOf("type", "Workspace",
                     {"Workspace", "PersonalGroup", "Personal", "Group", "AdminWorkspace"});
    w.state = r.oneOf("state", "Active", {"Active", "Deleted", "Removing"});
    if (r.find("capacityId"))
        w.capacityId = r.str("capacityId");
    w.isReadOnly = r.boolean("isReadOnly", false);
    w.dataflowStorageId = r.str("dataflowStorageId");
    w.pipelineId = r.str("pipelineId");
    w.hasWorkspaceLevelSettings = r.boolean("hasWorkspaceLevelSettings", false);
    r.each("members", [&](const Reader& m) {
        WorkspaceMember wm;
        wm.identifier = m.str("identifier", {}, true);
        wm.principalType = m.oneOf("principalType", "User", {"User", "Group", "App"});
        wm.accessRight =
            m.oneOf("accessRight", "Viewer", {"Admin", "Member", "Contributor", "Viewer"});
        wm.displayName = m.str("displayName");
        wm.principalId = m.str("principalId");
        if (wm.principalId.empty()) {
            // Users are named by UPN; apps and groups by their object id.
            wm.principalId = wm.identifier;
            if (wm.principalType == "User")
                for (const auto& u : t.users)
                    if (u.userPrincipalName == wm.identifier)
                        wm.principalId = u.objectId;
        }
        w.members.push_back(std::move(wm));
    });
    r.each("datasets", [&](const Reader& x) { w.datasets.push_back(readDataset(x)); });
    r.each("reports", [&](const Reader& x) {
        Report rep;
        rep.id = x.id();
        rep.name = x.str("name", {}, true);
        rep.description = x.str("description");
        rep.datasetId = x.str("datasetId");
        rep.reportType =
            x.oneOf("reportType", "PowerBIReport", {"PowerBIReport", "PaginatedReport"});
        rep.format = x.str("format", rep.reportType == "PaginatedReport" ? "RDL" : "PBIR");
        rep.appId = x.str("appId");
        rep.createdBy = x.str("createdBy");
        rep.modifiedBy = x.str("modifiedBy");
        rep.createdDateTime = x.time("createdDateTime").value_or(0);
        rep.modifiedDateTime = x.time("modifiedDateTime").value_or(rep.createdDateTime);
        w.reports.push_back(std::move(rep));
    });
    r.each("dashboards", [&](const Reader& x) {
        Dashboard d;
        d.id = x.id();
        d.displayName = x.str("displayName", {}, true);
        d.isReadOnly = x.boolean("isReadOnly", false);
        d.appId = x.str("appId");
        x.each("tiles", [&](const Reader& y) {
            d.tiles.push_back({y.id(), y.str("title"), y.str("reportId"), y.str("datasetId"),
                               y.integer("rowSpan", 1, 0, 100), y.integer("colSpan", 1, 0, 100)});
        });
        w.dashboards.push_back(std::move(d));
    });
    r.each("dataflows", [&](const Reader& x) {
        Dataflow d;
        d.objectId = x.id("objectId");
        d.name = x.str("name", {}, true);
        d.description = x.str("description");
        d.configuredBy = x.str("configuredBy");
        x.each("datasources", [&](const Reader& y) { d.datasources.push_back(readDatasource(y)); });
        w.dataflows.push_back(std::move(d));
    });
    r.each("workbooks", [&](const Reader& x) {
        w.workbooks.push_back({x.str("name", {}, true), x.str("datasetId")});
    });
    return w;
}

Tenant readTenant(const json& doc) {
    const std::string format = doc.is_object() ? doc.value("format", std::string()) : std::string();
    if (format != kFormat)
        throw ScenarioError(std::string("format: expected \"") + kFormat + "\"");
    std::uint64_t seed = 7;
    if (doc.contains("seed") && doc["seed"].is_number_unsigned())
        seed = doc["seed"].get<std::uint64_t>();
    IdGenerator ids(seed);
    const Reader r(doc, "", ids);
    Tenant t;
    // "base": "demo" starts from the demo tenant's identities (its Entra apps, users, the
    // ready-made credentials), so a scenario only has to describe workspaces.
    const std::string base = r.oneOf("base", "none", {"none", "demo"});
    if (base == "demo") {
        const Tenant demo = makeDemoTenant(seed);
        t.id = demo.id;
        t.domain = demo.domain;
        t.displayName = demo.displayName;
        t.apps = demo.apps;
        t.users = demo.users;
        t.groups = demo.groups;
        t.settings = demo.settings;
        t.adminConsentedPermissions = demo.adminConsentedPermissions;
    }
    if (const json* tj = r.find("tenant")) {
        const Reader x(*tj, "tenant", ids);
        t.id = x.str("id", t.id, t.id.empty());
        t.domain = x.str("domain", t.domain, t.domain.empty());
        t.displayName = x.str("displayName", t.displayName);
    } else if (t.id.empty()) {
        Reader::fail("tenant", "is required");
    }
    if (const json* sj = r.find("settings")) {
        const Reader x(*sj, "settings", ids);
        auto& s = t.settings;
        s.servicePrincipalsCanUseApis =
            x.boolean("servicePrincipalsCanUseApis", s.servicePrincipalsCanUseApis);
        if (x.find("servicePrincipalApiGroups"))
            s.servicePrincipalApiGroups = x.strings("servicePrincipalApiGroups");
        s.servicePrincipalsCanUseReadOnlyAdminApis = x.boolean(
            "servicePrincipalsCanUseReadOnlyAdminApis", s.servicePrincipalsCanUseReadOnlyAdminApis);
        if (x.find("readOnlyAdminApiGroups"))
            s.readOnlyAdminApiGroups = x.strings("readOnlyAdminApiGroups");
        s.enhanceAdminApisDetailedMetadata =
            x.boolean("enhanceAdminApisDetailedMetadata", s.enhanceAdminApisDetailedMetadata);
        s.enhanceAdminApisExpressions =
            x.boolean("enhanceAdminApisExpressions", s.enhanceAdminApisExpressions);
        s.embedContentInApps = x.boolean("embedContentInApps", s.embedContentInApps);
    }
    r.each("users", [&](const Reader& x) {
        User u;
        u.objectId = x.id("objectId");
        u.userPrincipalName = x.str("userPrincipalName", {}, true);
        u.displayName = x.str("displayName", u.userPrincipalName);
        u.password = x.str("password");
        u.isFabricAdmin = x.boolean("isFabricAdmin", false);
        upsert(t.users, std::move(u),
               [](const User& a, const User& b) { return a.objectId == b.objectId; });
    });
    r.each("apps", [&](const Reader& x) {
        AppRegistration a;
        a.clientId = x.id("clientId");
        a.displayName = x.str("displayName", {}, true);
        a.servicePrincipalId = x.id("servicePrincipalId");
        a.secrets = x.strings("secrets");
        const auto perms = x.strings("adminConsentedPermissions");
        if (!perms.empty())
            t.adminConsentedPermissions[a.clientId] = perms;
        // Over a demo base, an app of the same client id is replaced in place but keeps
        // what only the demo knows (certificates, public-client settings).
        for (auto& existing : t.apps)
            if (existing.clientId == a.clientId) {
                existing.displayName = a.displayName;
                existing.servicePrincipalId = a.servicePrincipalId;
                existing.secrets = a.secrets;
                return;
            }
        t.apps.push_back(std::move(a));
    });
    r.each("groups", [&](const Reader& x) {
        upsert(t.groups,
               SecurityGroup{x.id(), x.str("displayName", {}, true), x.strings("members")},
               [](const SecurityGroup& a, const SecurityGroup& b) { return a.id == b.id; });
    });
    r.each("capacities", [&](const Reader& x) {
        Capacity c{
            x.id(),
            x.str("displayName", {}, true),
            x.str("sku", "P1"),
            x.str("region", "West Europe"),
            x.oneOf("state", "Active",
                    {"NotActivated", "Active", "Provisioning", "ProvisionFailed", "PreSuspended",
                     "Suspended", "Deleting", "Deleted", "Invalid", "UpdatingSku"}),
            {}};
        x.each("principals", [&](const Reader& p) {
            c.principals.push_back({p.str("identifier", {}, true),
                                    p.str("principalId", p.str("identifier")),
                                    p.oneOf("right", "Admin", {"Admin", "Assign"})});
        });
        t.capacities.push_back(std::move(c));
    });
    r.each("workspaces", [&](const Reader& x) { t.workspaces.push_back(readWorkspace(x, t)); });
    r.each("gateways", [&](const Reader& x) {
        Gateway g;
        g.id = x.id();
        g.name = x.str("name", {}, true);
        g.type = x.str("type", "Resource");
        g.gatewayStatus = x.str("gatewayStatus", "Live");
        g.gatewayAnnotation = x.str("gatewayAnnotation");
        g.publicKeyExponent = x.str("publicKeyExponent", "AQAB");
        g.publicKeyModulus = x.str("publicKeyModulus");
        g.adminIds = x.strings("admins");
        x.each("datasources", [&](const Reader& y) {
            g.datasources.push_back(
                {y.id(), y.str("datasourceName"), y.str("datasourceType", {}, true),
                 y.str("connectionDetails", "{}"),
                 y.oneOf("credentialType", "Windows",
                         {"Basic", "Windows", "Anonymous", "OAuth2", "Key", "SAS"}),
                 y.strings("users")});
        });
        t.gateways.push_back(std::move(g));
    });
    r.each("powerBiApps", [&](const Reader& x) {
        PowerBiApp a;
        a.id = x.id();
        a.name = x.str("name", {}, true);
        a.description = x.str("description");
        a.workspaceId = x.str("workspaceId", {}, true);
        a.publishedBy = x.str("publishedBy");
        a.lastUpdate = x.time("lastUpdate").value_or(0);
        x.each("audience", [&](const Reader& y) {
            a.audience.push_back({y.str("identifier", {}, true),
                                  y.oneOf("principalType", "User", {"User", "Group", "App"}),
                                  y.str("principalId", y.str("identifier")), y.str("displayName"),
                                  y.str("accessRight", "Read")});
        });
        t.workspaceApps.push_back(std::move(a));
    });
    r.each("pipelines", [&](const Reader& x) {
        Pipeline p;
        p.id = x.id();
        p.displayName = x.str("displayName", {}, true);
        p.description = x.str("description");
        x.each("stages", [&](const Reader& y) {
            p.stages.push_back(
                {y.integer("order", int(p.stages.size()), 0, 10), y.str("workspaceId")});
        });
        x.each("users", [&](const Reader& y) {
            p.users.push_back({y.str("identifier", {}, true),
                               y.oneOf("principalType", "User", {"User", "Group", "App"}),
                               y.str("principalId", y.str("identifier")), "Admin"});
        });
        t.pipelines.push_back(std::move(p));
    });
    // Resolve UPN-named members of users defined after the workspaces they are in.
    for (auto& w : t.workspaces)
        for (auto& m : w.members)
            if (m.principalType == "User" && m.principalId == m.identifier)
                for (const auto& u : t.users)
                    if (u.userPrincipalName == m.identifier)
                        m.principalId = u.objectId;
    t.reindex();
    return t;
}

json pairsJson(const std::vector<std::pair<std::string, std::string>>& pairs) {
    json j = json::object();
    for (const auto& [k, v] : pairs)
        j[k] = v;
    return j;
}

json datasourceJson(const Datasource& s) {
    json j = {{"datasourceType", s.datasourceType},
              {"connectionDetails", pairsJson(s.connectionDetails)}};
    if (!s.datasourceId.empty())
        j["datasourceId"] = s.datasourceId;
    if (!s.gatewayId.empty())
        j["gatewayId"] = s.gatewayId;
    return j;
}

} // namespace

std::optional<Tenant> tenantFromScenario(const json& scenario, std::string* error) {
    try {
        return readTenant(scenario);
    } catch (const std::exception& e) {
        if (error)
            *error = e.what();
        return std::nullopt;
    }
}

std::optional<Tenant> loadScenarioFile(const std::string& path, std::string* error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (error)
            *error = "cannot open '" + path + "'";
        return std::nullopt;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    const json doc = json::parse(buf.str(), nullptr, false);
    if (doc.is_discarded()) {
        if (error)
            *error = "'" + path + "' is not valid JSON";
        return std::nullopt;
    }
    auto t = tenantFromScenario(doc, error);
    if (!t && error)
        *error = path + ": " + *error;
    return t;
}

json scenarioFromTenant(const Tenant& t) {
    using entity::isoMs;
    json doc = {{"format", kFormat},
                {"tenant", {{"id", t.id}, {"domain", t.domain}, {"displayName", t.displayName}}}};
    // The demo's identities carry more than this format describes (certificates, public
    // clients, consented scopes): a demo-based tenant says so and keeps them on reload.
    if (t.id == demo::kTenantId)
        doc["base"] = "demo";
    const auto& s = t.settings;
    doc["settings"] = {
        {"servicePrincipalsCanUseApis", s.servicePrincipalsCanUseApis},
        {"servicePrincipalApiGroups", s.servicePrincipalApiGroups},
        {"servicePrincipalsCanUseReadOnlyAdminApis", s.servicePrincipalsCanUseReadOnlyAdminApis},
        {"readOnlyAdminApiGroups", s.readOnlyAdminApiGroups},
        {"enhanceAdminApisDetailedMetadata", s.enhanceAdminApisDetailedMetadata},
        {"enhanceAdminApisExpressions", s.enhanceAdminApisExpressions},
        {"embedContentInApps", s.embedContentInApps}};
    for (const auto& u : t.users)
        doc["users"].push_back({{"objectId", u.objectId},
                                {"userPrincipalName", u.userPrincipalName},
                                {"displayName", u.displayName},
                                {"password", u.password},
                                {"isFabricAdmin", u.isFabricAdmin}});
    for (const auto& a : t.apps) {
        json j = {{"clientId", a.clientId},
                  {"displayName", a.displayName},
                  {"servicePrincipalId", a.servicePrincipalId},
                  {"secrets", a.secrets}};
        if (const auto it = t.adminConsentedPermissions.find(a.clientId);
            it != t.adminConsentedPermissions.end())
            j["adminConsentedPermissions"] = it->second;
        doc["apps"].push_back(j);
    }
    for (const auto& g : t.groups)
        doc["groups"].push_back(
            {{"id", g.id}, {"displayName", g.displayName}, {"members", g.memberIds}});
    for (const auto& c : t.capacities) {
        json j = {{"id", c.id},
                  {"displayName", c.displayName},
                  {"sku", c.sku},
                  {"region", c.region},
                  {"state", c.state}};
        for (const auto& p : c.principals)
            j["principals"].push_back(
                {{"identifier", p.identifier}, {"principalId", p.principalId}, {"right", p.right}});
        doc["capacities"].push_back(j);
    }
    for (const auto& w : t.workspaces) {
        json j = {{"id", w.id},
                  {"name", w.name},
                  {"type", w.type},
                  {"state", w.state},
                  {"isReadOnly", w.isReadOnly},
                  {"hasWorkspaceLevelSettings", w.hasWorkspaceLevelSettings}};
        if (!w.description.empty())
            j["description"] = w.description;
        if (w.capacityId)
            j["capacityId"] = *w.capacityId;
        if (!w.dataflowStorageId.empty())
            j["dataflowStorageId"] = w.dataflowStorageId;
        if (!w.pipelineId.empty())
            j["pipelineId"] = w.pipelineId;
        j["members"] = json::array();
        for (const auto& m : w.members)
            j["members"].push_back({{"identifier", m.identifier},
                                    {"principalType", m.principalType},
                                    {"displayName", m.displayName},
                                    {"accessRight", m.accessRight},
                                    {"principalId", m.principalId}});
        j["datasets"] = json::array();
        for (const auto& d : w.datasets) {
            json dj = {{"id", d.id},
                       {"name", d.name},
                       {"configuredBy", d.configuredBy},
                       {"storageMode", d.storageMode},
                       {"contentProviderType", d.contentProviderType},
                       {"targetStorageMode", d.targetStorageMode},
                       {"isRefreshable", d.isRefreshable},
                       {"isOnPremGatewayRequired", d.isOnPremGatewayRequired},
                       {"addRowsAPIEnabled", d.addRowsAPIEnabled}};
            if (!d.description.empty())
                dj["description"] = d.description;
            if (d.createdDate)
                dj["createdDate"] = isoMs(d.createdDate);
            for (const auto& tb : d.tables) {
                json tj = {{"name", tb.name},
                           {"isHidden", tb.isHidden},
                           {"columns", tb.columns},
                           {"measures", tb.measures}};
                tj["partitions"] = json::array();
                for (const auto& p : tb.partitions)
                    tj["partitions"].push_back({{"name", p.name},
                                                {"mode", p.mode},
                                                {"sourceExpression", p.sourceExpression}});
                dj["tables"].push_back(tj);
            }
            for (const auto& role : d.roles)
                dj["roles"].push_back({{"name", role.name},
                                       {"modelPermission", role.modelPermission},
                                       {"tablePermissions", pairsJson(role.tablePermissions)},
                                       {"members", role.members}});
            for (const auto& ds : d.datasources)
                dj["datasources"].push_back(datasourceJson(ds));
            for (const auto& p : d.parameters) {
                json pj = {{"name", p.name},
                           {"type", p.type},
                           {"isRequired", p.isRequired},
                           {"suggestedValues", p.suggestedValues}};
                if (p.currentValue)
                    pj["currentValue"] = *p.currentValue;
                dj["parameters"].push_back(pj);
            }
            for (const auto& e : d.refreshes) {
                json ej = {{"requestId", e.requestId},
                           {"refreshType", e.refreshType},
                           {"startTime", isoMs(e.startTime)},
                           {"status", e.status}};
                if (e.endTime)
                    ej["endTime"] = isoMs(*e.endTime);
                if (!e.serviceExceptionJson.empty())
                    ej["serviceExceptionJson"] = e.serviceExceptionJson;
                for (const auto& a : e.attempts) {
                    json aj = {{"attemptId", a.attemptId},
                               {"startTime", isoMs(a.startTime)},
                               {"type", a.type}};
                    if (a.endTime)
                        aj["endTime"] = isoMs(*a.endTime);
                    if (!a.serviceExceptionJson.empty())
                        aj["serviceExceptionJson"] = a.serviceExceptionJson;
                    ej["refreshAttempts"].push_back(aj);
                }
                dj["refreshes"].push_back(ej);
            }
            if (d.schedule)
                dj["refreshSchedule"] = entity::schedule(*d.schedule);
            for (const auto& [df, g] : d.upstreamDataflows)
                dj["upstreamDataflows"].push_back({{"targetDataflowId", df}, {"groupId", g}});
            j["datasets"].push_back(dj);
        }
        j["reports"] = json::array();
        for (const auto& r : w.reports) {
            json rj = {
                {"id", r.id},         {"name", r.name},           {"reportType", r.reportType},
                {"format", r.format}, {"createdBy", r.createdBy}, {"modifiedBy", r.modifiedBy}};
            if (!r.description.empty())
                rj["description"] = r.description;
            if (!r.datasetId.empty())
                rj["datasetId"] = r.datasetId;
            if (!r.appId.empty())
                rj["appId"] = r.appId;
            if (r.createdDateTime)
                rj["createdDateTime"] = isoMs(r.createdDateTime);
            if (r.modifiedDateTime)
                rj["modifiedDateTime"] = isoMs(r.modifiedDateTime);
            j["reports"].push_back(rj);
        }
        j["dashboards"] = json::array();
        for (const auto& d : w.dashboards) {
            json dj = {{"id", d.id}, {"displayName", d.displayName}, {"isReadOnly", d.isReadOnly}};
            if (!d.appId.empty())
                dj["appId"] = d.appId;
            dj["tiles"] = json::array();
            for (const auto& tl : d.tiles)
                dj["tiles"].push_back({{"id", tl.id},
                                       {"title", tl.title},
                                       {"reportId", tl.reportId},
                                       {"datasetId", tl.datasetId},
                                       {"rowSpan", tl.rowSpan},
                                       {"colSpan", tl.colSpan}});
            j["dashboards"].push_back(dj);
        }
        j["dataflows"] = json::array();
        for (const auto& d : w.dataflows) {
            json dj = {{"objectId", d.objectId},
                       {"name", d.name},
                       {"description", d.description},
                       {"configuredBy", d.configuredBy}};
            for (const auto& ds : d.datasources)
                dj["datasources"].push_back(datasourceJson(ds));
            j["dataflows"].push_back(dj);
        }
        for (const auto& wb : w.workbooks)
            j["workbooks"].push_back({{"name", wb.name}, {"datasetId", wb.datasetId}});
        doc["workspaces"].push_back(j);
    }
    for (const auto& g : t.gateways) {
        json j = {{"id", g.id},
                  {"name", g.name},
                  {"type", g.type},
                  {"gatewayStatus", g.gatewayStatus},
                  {"gatewayAnnotation", g.gatewayAnnotation},
                  {"publicKeyExponent", g.publicKeyExponent},
                  {"publicKeyModulus", g.publicKeyModulus},
                  {"admins", g.adminIds}};
        for (const auto& s2 : g.datasources)
            j["datasources"].push_back({{"id", s2.id},
                                        {"datasourceName", s2.datasourceName},
                                        {"datasourceType", s2.datasourceType},
                                        {"connectionDetails", s2.connectionDetails},
                                        {"credentialType", s2.credentialType},
                                        {"users", s2.userIds}});
        doc["gateways"].push_back(j);
    }
    for (const auto& a : t.workspaceApps) {
        json j = {{"id", a.id},
                  {"name", a.name},
                  {"description", a.description},
                  {"workspaceId", a.workspaceId},
                  {"publishedBy", a.publishedBy},
                  {"lastUpdate", isoMs(a.lastUpdate)}};
        for (const auto& m : a.audience)
            j["audience"].push_back({{"identifier", m.identifier},
                                     {"principalType", m.principalType},
                                     {"principalId", m.principalId},
                                     {"displayName", m.displayName},
                                     {"accessRight", m.accessRight}});
        doc["powerBiApps"].push_back(j);
    }
    for (const auto& p : t.pipelines) {
        json j = {{"id", p.id}, {"displayName", p.displayName}, {"description", p.description}};
        for (const auto& s2 : p.stages)
            j["stages"].push_back({{"order", s2.order}, {"workspaceId", s2.workspaceId}});
        for (const auto& u : p.users)
            j["users"].push_back({{"identifier", u.identifier},
                                  {"principalType", u.principalType},
                                  {"principalId", u.principalId}});
        doc["pipelines"].push_back(j);
    }
    return doc;
}

} // namespace pbi::sandbox
