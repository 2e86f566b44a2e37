// The demo tenant's content: what makes the console worth looking at without an account.

#include "DemoContent.h"

#include "RefreshEngine.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <map>

namespace pbi::sandbox {

namespace {

constexpr UnixMs kMinute = 60'000;
constexpr UnixMs kHour = 60 * kMinute;
constexpr UnixMs kDay = 24 * kHour;

const char* const kWeekdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                 "Thursday", "Friday", "Saturday"};

std::string errorJson(const std::string& code, const std::string& description) {
    nlohmann::json j = {{"errorCode", code}};
    if (!description.empty())
        j["errorDescription"] = description;
    return j.dump();
}

/// Day of week (0 = Sunday) of a UTC time.
int weekday(UnixMs t) {
    const std::int64_t days = t / kDay;
    return int((days + 4) % 7); // 1970-01-01 was a Thursday
}

std::string failureJson(FailureMode mode) {
    switch (mode) {
    case FailureMode::CredentialsExpired:
        return refreshErrors::credentialsExpired();
    case FailureMode::GatewayOffline:
        return refreshErrors::gatewayOffline();
    case FailureMode::Timeout:
        return refreshErrors::timeout();
    case FailureMode::OutOfMemory:
        return refreshErrors::outOfMemory();
    case FailureMode::None:
        break;
    }
    return {};
}

} // namespace

namespace refreshErrors {
// Shapes from api-digest §3: a string holding JSON with errorCode and, often, errorDescription;
// the texts are the ones the service shows in the refresh history dialog.
std::string credentialsExpired() {
    return errorJson("DMTS_OAuthTokenRefreshFailedError",
                     "The credentials provided for the data source are invalid. AADSTS700082: The "
                     "refresh token has expired due to inactivity. Please update the credentials "
                     "of the data source in the semantic model settings.");
}
std::string gatewayOffline() {
    return errorJson("DM_GWPipeline_Client_GatewayUnreachable",
                     "Unable to connect to the on-premises data gateway. The gateway is offline "
                     "or could not be reached.");
}
std::string timeout() {
    return errorJson("ModelRefresh_ShortMessage_ProcessingError",
                     "Timeout expired. The refresh exceeded the maximum duration of 2 hours for "
                     "semantic models on shared capacity.");
}
std::string outOfMemory() {
    return errorJson("ModelRefresh_ShortMessage_ProcessingError",
                     "Resource Governing: This operation was canceled because there wasn't enough "
                     "memory to finish running it. Either reduce the memory footprint of your "
                     "dataset by doing things such as limiting the amount of imported data, or if "
                     "using Power BI Premium, increase the memory of the Premium capacity where "
                     "this dataset is hosted. More details: consumed memory 25600 MB, memory limit "
                     "25600 MB, database size before command execution 21473 MB.");
}
std::string credentialsNotSpecified() {
    return errorJson("ModelRefreshFailed_CredentialsNotSpecified", {});
}
} // namespace refreshErrors

UnixMs currentMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void makeRefreshHistory(Dataset& d, IdGenerator& ids, std::mt19937_64& rng, UnixMs nowMs,
                        int maxEntries, double failureRate, FailureMode streak, int streakLength,
                        int typicalMinutes) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    // Slot start times, newest first.
    std::vector<std::pair<UnixMs, std::string>> starts;
    if (d.schedule && !d.schedule->days.empty()) {
        std::vector<int> minutes;
        for (const auto& t : d.schedule->times)
            minutes.push_back(std::stoi(t.substr(0, 2)) * 60 + std::stoi(t.substr(3, 2)));
        std::sort(minutes.rbegin(), minutes.rend());
        const UnixMs today = nowMs - nowMs % kDay;
        for (int back = 0; back < 120 && int(starts.size()) < maxEntries; ++back) {
            const UnixMs day = today - back * kDay;
            const std::string name = kWeekdays[weekday(day)];
            if (std::find(d.schedule->days.begin(), d.schedule->days.end(), name) ==
                d.schedule->days.end())
                continue;
            for (int m : minutes) {
                // Scheduled refreshes start within ~15 minutes of their slot (refresh-data.md).
                const UnixMs start = day + m * kMinute + UnixMs(unit(rng) * 15 * kMinute);
                if (start + 2 * kHour < nowMs && int(starts.size()) < maxEntries)
                    starts.emplace_back(start, "Scheduled");
            }
        }
    } else {
        // No schedule: a handful of on-demand refreshes from the portal or the API.
        UnixMs t = nowMs - UnixMs(unit(rng) * 2 * kDay) - kHour;
        const int count = std::min(maxEntries, 3 + int(unit(rng) * 8));
        for (int i = 0; i < count; ++i) {
            starts.emplace_back(t, unit(rng) < 0.7 ? "OnDemand" : "ViaApi");
            t -= kHour + UnixMs(unit(rng) * 6 * kDay);
        }
    }
    // A scheduled slot can also see an extra on-demand run after a failure; keep it simple
    // and realistic: one manual retry right after the newest failure of a streak.
    std::vector<RefreshEntry> newestFirst;
    newestFirst.reserve(starts.size());
    for (std::size_t i = 0; i < starts.size(); ++i) {
        RefreshEntry e;
        e.requestId = ids.next();
        e.refreshType = starts[i].second;
        e.startTime = starts[i].first;
        FailureMode mode = FailureMode::None;
        if (int(i) < streakLength)
            mode = streak;
        else if (unit(rng) < failureRate) {
            const double r = unit(rng);
            mode = r < 0.35  ? FailureMode::GatewayOffline
                   : r < 0.6 ? FailureMode::CredentialsExpired
                   : r < 0.8 ? FailureMode::Timeout
                             : FailureMode::OutOfMemory;
            if (!d.isOnPremGatewayRequired && mode == FailureMode::GatewayOffline)
                mode = FailureMode::Timeout;
        }
        const double jitter = 0.7 + unit(rng) * 0.8;
        UnixMs duration = UnixMs(typicalMinutes * jitter * kMinute) + UnixMs(unit(rng) * 59'000);
        if (mode == FailureMode::GatewayOffline || mode == FailureMode::CredentialsExpired)
            duration = UnixMs(4'000 + unit(rng) * 40'000); // fails while connecting
        else if (mode == FailureMode::Timeout)
            duration = 2 * kHour + UnixMs(unit(rng) * 60'000);
        else if (mode == FailureMode::OutOfMemory)
            duration = duration * 2 / 3;
        e.endTime = e.startTime + duration;
        if (mode == FailureMode::None) {
            e.status = "Completed";
            e.attempts.push_back({1, e.startTime, e.endTime, "Data", {}});
        } else {
            e.status = "Failed";
            e.serviceExceptionJson = failureJson(mode);
            // Scheduled refreshes are retried by the service; each attempt records the error.
            const int attempts =
                e.refreshType == "Scheduled" && mode != FailureMode::Timeout ? 3 : 1;
            UnixMs t = e.startTime;
            const UnixMs step = duration / attempts;
            for (int a = 1; a <= attempts; ++a) {
                e.attempts.push_back({a, t, t + step, "Data", e.serviceExceptionJson});
                t += step;
            }
        }
        newestFirst.push_back(std::move(e));
    }
    d.refreshes.assign(std::make_move_iterator(newestFirst.rbegin()),
                       std::make_move_iterator(newestFirst.rend()));
}

namespace {

struct ModelSpec {
    const char* name;
    const char* storageMode; ///< Import | DirectQuery | Push | Composite
    const char* source; ///< sql-gw | oracle-gw | file-gw | sharepoint | salesforce | odata | ga
    bool rls;
    int typicalMinutes;
};

struct DomainSpec {
    const char* prefix;
    std::vector<ModelSpec> models;
    std::vector<const char*> reports;
    const char* paginated; ///< nullptr: none
    const char* dashboard; ///< nullptr: none
    const char* dataflow;  ///< nullptr: none
};

const std::vector<DomainSpec>& domains() {
    static const std::vector<DomainSpec> all = {
        {"Sales",
         {{"Sales Analytics", "Import", "sql-gw", true, 9},
          {"Sales Targets", "Import", "sharepoint", false, 2}},
         {"Sales Overview", "Regional Performance", "Pipeline Forecast"},
         "Customer Invoices",
         "Sales KPIs",
         "Sales Staging"},
        {"Finance",
         {{"General Ledger", "Import", "sql-gw", true, 22},
          {"Budget vs Actuals", "Import", "file-gw", false, 4}},
         {"P&L Statement", "Balance Sheet", "Month-end Close"},
         "Statutory Reports",
         "CFO Dashboard",
         nullptr},
        {"HR Analytics",
         {{"Headcount", "Import", "file-gw", true, 5}},
         {"Headcount Overview", "Attrition"},
         nullptr,
         "People Metrics",
         nullptr},
        {"Supply Chain",
         {{"Inventory (DirectQuery)", "DirectQuery", "sql-gw", false, 0},
          {"Logistics", "Import", "odata", false, 12}},
         {"Stock Levels", "Carrier Performance"},
         nullptr,
         "Warehouse Monitor",
         "Shipments Dataflow"},
        {"Marketing",
         {{"Campaign Performance", "Import", "ga", false, 7}},
         {"Campaign Overview", "Web Traffic"},
         nullptr,
         nullptr,
         nullptr},
        {"Customer Success",
         {{"Support Tickets", "Import", "salesforce", false, 6},
          {"NPS Survey", "Import", "sharepoint", false, 1}},
         {"Ticket Backlog", "NPS Trend"},
         nullptr,
         "Support Health",
         nullptr},
        {"Embedded Portal",
         {{"Customer Portal Model", "Import", "sql-gw", true, 8}},
         {"Customer Portal", "Usage Statement"},
         nullptr,
         nullptr,
         nullptr},
        {"Executive Dashboards",
         {},
         {"Board Pack", "Company Scorecard"},
         nullptr,
         "Executive Overview",
         nullptr},
        {"Data Platform - Shared Models",
         {{"Enterprise Sales (certified)", "Import", "sql-gw", true, 35},
          {"Date & Calendar", "Import", "odata", false, 1},
          {"Product Catalog", "Composite", "sql-gw", false, 3}},
         {"Model Documentation"},
         nullptr,
         nullptr,
         "Customer Master"},
        {"Sandbox - Megan",
         {{"Streaming Test", "Push", "", false, 0}},
         {"Scratchpad"},
         nullptr,
         nullptr,
         nullptr},
        {"test ws do not use",
         {{"Copy of Sales Analytics", "Import", "file-gw", false, 3}},
         {"Untitled", "Copy of Sales Overview"},
         nullptr,
         nullptr,
         nullptr},
        {"Procurement",
         {{"Spend Analysis", "Import", "oracle-gw", false, 14}},
         {"Spend Cube", "Supplier Scorecard"},
         "Purchase Orders",
         nullptr,
         nullptr},
        {"IT Operations",
         {{"Service Desk", "Import", "odata", false, 5},
          {"Uptime (DirectQuery)", "DirectQuery", "sql-gw", false, 0}},
         {"Incident Trends", "Availability"},
         nullptr,
         "NOC Wall",
         nullptr},
        {"Legal",
         {{"Matters", "Import", "sharepoint", true, 3}},
         {"Matter Tracker"},
         nullptr,
         nullptr,
         nullptr},
    };
    return all;
}

const DomainSpec* domainFor(const std::string& workspaceName) {
    for (const auto& d : domains())
        if (workspaceName.rfind(d.prefix, 0) == 0)
            return &d;
    return nullptr;
}

std::string stageOf(const std::string& name) {
    if (name.find("[Dev]") != std::string::npos)
        return "Dev";
    if (name.find("[Test]") != std::string::npos)
        return "Test";
    return "Prod";
}

Datasource datasourceFor(const std::string& kind, const std::string& domain, const Gateway& gw) {
    auto gwSource = [&](const char* type) -> Datasource {
        for (const auto& s : gw.datasources)
            if (s.datasourceType == type)
                return {type, {}, s.id, gw.id};
        return {type, {}, {}, {}};
    };
    std::string db = domain;
    db.erase(std::remove(db.begin(), db.end(), ' '), db.end());
    if (kind == "sql-gw") {
        Datasource d = gwSource("Sql");
        d.connectionDetails = {{"server", "sql-prod-01.contoso.local"}, {"database", db + "DW"}};
        return d;
    }
    if (kind == "oracle-gw") {
        Datasource d = gwSource("Oracle");
        d.connectionDetails = {{"server", "erp-ora.contoso.local:1521/ERPPROD"}};
        return d;
    }
    if (kind == "file-gw") {
        Datasource d = gwSource("File");
        d.connectionDetails = {{"path", "\\\\fileserver\\finance\\" + db + ".xlsx"}};
        return d;
    }
    if (kind == "sharepoint")
        return {"SharePointList", {{"url", "https://contoso.sharepoint.com/sites/" + db}}, {}, {}};
    if (kind == "salesforce")
        return {"Extension", {{"path", "Salesforce"}, {"kind", "SalesforceObjects"}}, {}, {}};
    if (kind == "ga")
        return {"Extension", {{"path", "GoogleAnalytics"}, {"kind", "GoogleAnalytics"}}, {}, {}};
    return {"OData", {{"url", "https://api.contoso.com/odata/" + db}}, {}, {}};
}

/// A dataflow's transactions: a daily scheduled run for the last ten days when it has a
/// schedule, else a handful of on-demand runs; one of them failed (the newest with
/// `newestFailed`). Its own generator, seeded from the dataflow's id, so that adding this
/// history moved none of the tenant's other ids or histories.
void makeDataflowHistory(Dataflow& df, UnixMs nowMs, bool newestFailed) {
    IdGenerator ids(std::hash<std::string>{}(df.objectId));
    std::mt19937_64 rng(std::hash<std::string>{}(df.objectId + "/transactions"));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<std::pair<UnixMs, std::string>> starts; // newest first
    if (df.schedule) {
        const UnixMs today = nowMs - nowMs % kDay;
        for (int back = 1; back <= 10; ++back)
            // 04:00 W. Europe is 02:00 or 03:00 UTC; the service starts within minutes.
            starts.emplace_back(today - back * kDay + 3 * kHour + UnixMs(unit(rng) * 12 * kMinute),
                                "Scheduled");
        // Someone refreshed by hand after the failure below.
        starts.insert(starts.begin() + 2, {starts[2].first + 5 * kHour, "OnDemand"});
    } else {
        UnixMs t = nowMs - kHour - UnixMs(unit(rng) * kDay);
        for (int i = 0; i < 5; ++i) {
            starts.emplace_back(t, "OnDemand");
            t -= 3 * kHour + UnixMs(unit(rng) * 3 * kDay);
        }
    }
    const std::size_t failed = newestFailed ? 0 : std::min<std::size_t>(3, starts.size() - 1);
    std::vector<DataflowTransaction> newestFirst;
    for (std::size_t i = 0; i < starts.size(); ++i) {
        DataflowTransaction tx;
        tx.startTime = starts[i].first;
        tx.refreshType = starts[i].second;
        tx.id = transactionTime(tx.startTime) + "@" + ids.next() + "$" +
                std::to_string(starts.size() - i);
        const bool fails = i == failed;
        tx.endTime = tx.startTime + (fails ? UnixMs(20'000 + unit(rng) * 90'000)
                                           : UnixMs((3 + unit(rng) * 6) * kMinute));
        tx.status = fails ? "Failed" : "Success";
        newestFirst.push_back(std::move(tx));
    }
    df.transactions.assign(std::make_move_iterator(newestFirst.rbegin()),
                           std::make_move_iterator(newestFirst.rend()));
}

} // namespace

void addDemoContent(Tenant& t, IdGenerator& ids, UnixMs nowMs) {
    std::mt19937_64 rng(0x5eed ^ std::hash<std::string>{}(t.id));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const AppRegistration& console = t.apps[0];
    const AppRegistration& etl = t.apps[1];
    const User& admin = t.users[0];
    const User& megan = t.users[1];
    const User& lee = t.users[2];
    const User& adele = t.users[3];

    // Security groups (users only: the service principals' workspace access stays direct, so
    // what each app sees is easy to reason about); one group enables the admin APIs.
    const SecurityGroup developers{ids.next(), "BI Developers", {lee.objectId, megan.objectId}};
    const SecurityGroup readers{ids.next(), "Sales Readers", {adele.objectId}};
    const SecurityGroup adminApi{
        ids.next(), "Power BI Admin API Readers", {console.servicePrincipalId}};
    t.groups = {developers, readers, adminApi};

    t.settings.servicePrincipalsCanUseApis = true;
    t.settings.servicePrincipalsCanUseReadOnlyAdminApis = true;
    t.settings.readOnlyAdminApiGroups = {adminApi.id};
    t.settings.enhanceAdminApisDetailedMetadata = true;
    t.settings.enhanceAdminApisExpressions = false;
    // The ETL app was given Tenant.Read.All with admin consent "to be safe": exactly what
    // makes the admin APIs refuse a service principal (api-digest §8).
    t.adminConsentedPermissions[etl.clientId] = {"Tenant.Read.All"};

    // Capacity rights.
    for (auto& c : t.capacities) {
        c.principals.push_back({admin.userPrincipalName, admin.objectId, "Admin"});
        if (c.sku == "P1")
            c.principals.push_back({megan.userPrincipalName, megan.objectId, "Assign"});
        c.principals.push_back({console.servicePrincipalId, console.servicePrincipalId,
                                c.sku == "P1" ? "Assign" : "Admin"});
    }

    // The on-premises gateway most Import models go through.
    Gateway gw;
    gw.id = ids.next();
    gw.name = "CONTOSO-GW01";
    gw.gatewayAnnotation =
        R"({"gatewayContactInformation":["it-ops@)" + t.domain +
        R"("],"gatewayVersion":"3000.246.5","gatewayWitnessString":"{\"EncryptedResult\":\"sandbox\"}","gatewayMachine":"GW01","gatewaySalt":"c2FuZGJveA==","gatewayWitnessStringLegacy":null,"gatewaySaltLegacy":null,"gatewayVirtualNetworkSubnetId":null})";
    gw.publicKeyModulus = "o6j2jg6ZfnQDPl0zZWvBcFBHrTdYy6Vks4w7j1EMtkVeZ6KLW2xmq2bLs1+LZfEq";
    gw.adminIds = {admin.objectId, console.servicePrincipalId};
    gw.datasources = {
        {ids.next(),
         "SQL Prod DW",
         "Sql",
         R"({"server":"sql-prod-01.contoso.local","database":"SalesDW"})",
         "Windows",
         {admin.objectId, console.servicePrincipalId}},
        {ids.next(),
         "ERP Oracle",
         "Oracle",
         R"({"server":"erp-ora.contoso.local:1521/ERPPROD"})",
         "Basic",
         {admin.objectId}},
        {ids.next(),
         "Finance file share",
         "File",
         R"({"path":"\\\\fileserver\\finance"})",
         "Windows",
         {admin.objectId, lee.objectId}},
    };
    t.gateways.push_back(gw);

    std::map<std::string, std::string> sharedModelIds; // name → id in Data Platform
    std::map<std::string, Workspace*> byName;
    for (auto& w : t.workspaces)
        byName[w.name] = &w;

    for (auto& w : t.workspaces) {
        const DomainSpec* spec = domainFor(w.name);
        if (!spec)
            continue;
        const std::string stage = stageOf(w.name);
        const bool premium = w.capacityId.has_value();
        w.dataflowStorageId = premium && stage == "Prod" ? ids.next() : std::string();
        if (stage == "Dev")
            w.members.push_back(
                {developers.id, "Group", developers.displayName, "Contributor", developers.id});
        if (w.name == "Sales [Prod]")
            w.members.push_back({readers.id, "Group", readers.displayName, "Viewer", readers.id});

        std::vector<std::string> modelIds;
        for (const auto& m : spec->models) {
            Dataset d;
            d.id = ids.next();
            d.name = m.name;
            d.configuredBy = (stage == "Dev" ? lee : megan).userPrincipalName;
            if (w.name.rfind("Sandbox", 0) == 0)
                d.configuredBy = megan.userPrincipalName;
            d.createdDate = nowMs - UnixMs(200 + unit(rng) * 400) * kDay;
            d.storageMode = m.storageMode;
            d.targetStorageMode = premium && m.typicalMinutes >= 20 ? "PremiumFiles" : "Abf";
            const std::string source = m.source;
            if (!source.empty())
                d.datasources.push_back(datasourceFor(source, spec->prefix, gw));
            d.isOnPremGatewayRequired =
                source.size() > 3 && source.substr(source.size() - 3) == "-gw";
            if (d.storageMode == "Push") {
                d.contentProviderType = "PushDataset";
                d.addRowsAPIEnabled = true;
                d.isRefreshable = false;
                d.tables = {{"RealTimeData", false, {"Timestamp", "Value", "Sensor"}, {}, {}}};
            } else {
                d.contentProviderType =
                    d.storageMode == "DirectQuery" ? "PbixInDirectQueryMode" : "PbixInImportMode";
                const std::string mode = d.storageMode == "DirectQuery" ? "DirectQuery" : "Import";
                d.tables = {
                    {"Fact " + std::string(spec->prefix),
                     false,
                     {"Date", "Amount", "Quantity", "Region"},
                     {"Total Amount", "YoY %"},
                     {{"Fact-2025", mode, "let Source = Sql.Database(...) in Source"},
                      {"Fact-2026", mode, "let Source = Sql.Database(...) in Source"}}},
                    {"Date",
                     false,
                     {"Date", "Year", "Month"},
                     {},
                     {{"Date", "Import", "CALENDARAUTO()"}}},
                    {"Region",
                     false,
                     {"Region", "Country", "Manager"},
                     {},
                     {{"Region", mode, "let Source = ... in Source"}}},
                };
                d.isRefreshable = d.storageMode != "DirectQuery";
                d.parameters = {
                    {"Environment", "Text", true, stage, {"Dev", "Test", "Prod"}},
                    {"RangeStart", "DateTime", false, std::string("2024-01-01T00:00:00"), {}}};
            }
            if (m.rls) {
                d.roles.push_back({"Region Managers",
                                   "Read",
                                   {{"Region", "[Manager] = USERPRINCIPALNAME()"}},
                                   {megan.userPrincipalName}});
                if (std::string(spec->prefix) == "Embedded Portal")
                    d.roles.push_back(
                        {"Customer", "Read", {{"Region", "[Country] = CUSTOMDATA()"}}, {}});
            }
            if (d.isRefreshable && stage != "Dev") {
                RefreshSchedule s;
                s.days = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"};
                if (stage == "Prod")
                    s.days.insert(s.days.end(), {"Saturday", "Sunday"});
                s.times = premium && stage == "Prod"
                              ? std::vector<std::string>{"05:00", "11:30", "17:30"}
                              : std::vector<std::string>{"06:00"};
                s.localTimeZoneId = "W. Europe Standard Time";
                s.notifyOption = "MailOnFailure";
                d.schedule = s;
            }
            if (d.isRefreshable) {
                FailureMode streak = FailureMode::None;
                int streakLength = 0;
                double failureRate = 0.03;
                if (w.name == "Marketing [Prod]") {
                    // Four failures in a row disable the schedule (refresh-data.md).
                    streak = FailureMode::CredentialsExpired;
                    streakLength = 4;
                } else if (w.name == "Procurement [Prod]") {
                    streak = FailureMode::GatewayOffline;
                    streakLength = 2;
                    failureRate = 0.12;
                } else if (d.name == "Enterprise Sales (certified)") {
                    streak = FailureMode::OutOfMemory;
                    streakLength = 1;
                    failureRate = 0.08;
                } else if (w.name == "HR Analytics [Test]") {
                    streak = FailureMode::Timeout;
                    streakLength = 1;
                } else if (w.name == "test ws do not use") {
                    d.refreshes.clear();
                }
                makeRefreshHistory(d, ids, rng, nowMs, 60, failureRate, streak, streakLength,
                                   std::max(1, m.typicalMinutes));
                if (streak == FailureMode::CredentialsExpired && d.schedule)
                    d.schedule->enabled = false;
                if (w.name == "test ws do not use") {
                    // Never given credentials: the classic first-refresh failure.
                    for (auto& e : d.refreshes) {
                        e.status = "Failed";
                        e.serviceExceptionJson = refreshErrors::credentialsNotSpecified();
                        for (auto& a : e.attempts)
                            a.serviceExceptionJson = e.serviceExceptionJson;
                    }
                }
            }
            modelIds.push_back(d.id);
            if (w.name == "Data Platform - Shared Models")
                sharedModelIds[d.name] = d.id;
            w.datasets.push_back(std::move(d));
        }

        for (std::size_t i = 0; i < spec->reports.size(); ++i) {
            Report r;
            r.id = ids.next();
            r.name = spec->reports[i];
            r.datasetId = modelIds.empty() ? std::string() : modelIds[i % modelIds.size()];
            r.format = i == 0 ? "PBIR" : "PBIRLegacy";
            r.createdBy = (stage == "Dev" ? lee : megan).userPrincipalName;
            r.modifiedBy = (i % 2 ? lee : megan).userPrincipalName;
            r.createdDateTime = nowMs - UnixMs(100 + unit(rng) * 300) * kDay;
            r.modifiedDateTime = nowMs - UnixMs(unit(rng) * 30 * kDay);
            w.reports.push_back(std::move(r));
        }
        if (spec->paginated) {
            Report r;
            r.id = ids.next();
            r.name = spec->paginated;
            r.reportType = "PaginatedReport";
            r.format = "RDL";
            r.createdBy = r.modifiedBy = megan.userPrincipalName;
            r.createdDateTime = nowMs - 250 * kDay;
            r.modifiedDateTime = nowMs - 12 * kDay;
            w.reports.push_back(std::move(r));
        }
        if (spec->dashboard && stage != "Dev") {
            Dashboard db;
            db.id = ids.next();
            db.displayName = spec->dashboard;
            for (std::size_t i = 0; i < std::min<std::size_t>(4, w.reports.size() * 2); ++i) {
                const Report& r = w.reports[i % w.reports.size()];
                Tile tile;
                tile.id = ids.next();
                tile.title = i == 0 ? "Total" : i == 1 ? "Trend" : i == 2 ? "By region" : "Top 10";
                if (!r.datasetId.empty()) {
                    tile.reportId = r.id;
                    tile.datasetId = r.datasetId;
                }
                tile.rowSpan = i < 2 ? 1 : 2;
                tile.colSpan = i < 2 ? 1 : 2;
                db.tiles.push_back(std::move(tile));
            }
            w.dashboards.push_back(std::move(db));
        }
        if (spec->dataflow && stage != "Test") {
            Dataflow df;
            df.objectId = ids.next();
            df.name = spec->dataflow;
            df.description = "Staging entities for " + std::string(spec->prefix);
            df.configuredBy = lee.userPrincipalName;
            df.datasources.push_back(datasourceFor("sql-gw", spec->prefix, gw));
            if (stage == "Prod") {
                RefreshSchedule s;
                s.days = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                          "Sunday"};
                s.times = {"04:00"};
                s.localTimeZoneId = "W. Europe Standard Time";
                s.notifyOption = "MailOnFailure";
                df.schedule = s;
            }
            makeDataflowHistory(df, nowMs, w.name == "Supply Chain [Prod]");
            w.dataflows.push_back(std::move(df));
        }
        if (stage == "Prod" && std::string(spec->prefix) == "Finance")
            w.workbooks.push_back(
                {"Forecast model.xlsx", modelIds.empty() ? std::string() : modelIds[0]});
    }

    // Executive reports read the certified shared models: reports and models in different
    // workspaces, as in most real tenants.
    if (Workspace* exec =
            byName.count("Executive Dashboards") ? byName["Executive Dashboards"] : nullptr) {
        for (auto& r : exec->reports)
            r.datasetId = sharedModelIds["Enterprise Sales (certified)"];
        for (auto& d : exec->dashboards)
            for (auto& tile : d.tiles)
                tile.datasetId = sharedModelIds["Enterprise Sales (certified)"];
    }
    // Dataflow lineage: the shared sales model reads the Customer Master dataflow.
    if (Workspace* dp = byName.count("Data Platform - Shared Models")
                            ? byName["Data Platform - Shared Models"]
                            : nullptr)
        if (!dp->dataflows.empty())
            for (auto& d : dp->datasets)
                if (d.name == "Enterprise Sales (certified)")
                    d.upstreamDataflows.push_back({dp->dataflows[0].objectId, dp->id});

    // Published apps.
    auto appFrom = [&](const std::string& workspace, const char* name, const char* description) {
        const auto it = byName.find(workspace);
        if (it == byName.end())
            return;
        PowerBiApp a;
        a.id = ids.next();
        a.name = name;
        a.description = description;
        a.workspaceId = it->second->id;
        a.publishedBy = megan.displayName;
        a.lastUpdate = nowMs - UnixMs(3 + unit(rng) * 20) * kDay;
        a.audience = {{admin.userPrincipalName, "User", admin.objectId, admin.displayName, "All"},
                      {adele.userPrincipalName, "User", adele.objectId, adele.displayName, "Read"},
                      {readers.id, "Group", readers.id, readers.displayName, "Read"}};
        for (auto& r : it->second->reports)
            r.appId.clear();
        t.workspaceApps.push_back(a);
    };
    appFrom("Sales [Prod]", "Sales", "Sales analytics for the field organisation");
    appFrom("Finance [Prod]", "Finance Reporting", "Month-end close and P&L");
    appFrom("Executive Dashboards", "Board Pack", "Monthly board pack");

    // Deployment pipelines over the dev/test/prod triplets.
    auto pipeline = [&](const std::string& prefix, bool consoleIsAdmin) {
        Pipeline p;
        p.id = ids.next();
        p.displayName = prefix + " Deployment";
        p.description = prefix + " content from development to production";
        const char* stages[] = {" [Dev]", " [Test]", " [Prod]"};
        for (int i = 0; i < 3; ++i) {
            PipelineStage s;
            s.order = i;
            const auto it = byName.find(prefix + stages[i]);
            if (it != byName.end()) {
                s.workspaceId = it->second->id;
                it->second->pipelineId = p.id;
            }
            p.stages.push_back(s);
        }
        p.users.push_back({admin.userPrincipalName, "User", admin.objectId, "Admin"});
        p.users.push_back({megan.userPrincipalName, "User", megan.objectId, "Admin"});
        if (consoleIsAdmin)
            p.users.push_back(
                {console.servicePrincipalId, "App", console.servicePrincipalId, "Admin"});
        t.pipelines.push_back(std::move(p));
    };
    pipeline("Sales", true);
    pipeline("Finance", false);
    pipeline("Supply Chain", true);
    // A pipeline whose test stage was never assigned.
    pipeline("Embedded Portal", true);

    if (Workspace* w =
            byName.count("Supply Chain [Prod]") ? byName["Supply Chain [Prod]"] : nullptr)
        w->hasWorkspaceLevelSettings = true;

    // Last: appending invalidates the pointers in byName.
    // A deleted workspace with no users left and a personal workspace: what admin filters
    // such as "state eq 'Deleted'" and the orphaned-workspace filter find.
    Workspace deleted;
    deleted.id = ids.next();
    deleted.name = "Old Sales Archive";
    deleted.description = "Archived 2025";
    deleted.state = "Deleted";
    t.workspaces.push_back(deleted);
    Workspace personal;
    personal.id = ids.next();
    personal.name = "PersonalWorkspace " + admin.displayName;
    personal.type = "PersonalGroup";
    personal.members.push_back(
        {admin.userPrincipalName, "User", admin.displayName, "Admin", admin.objectId});
    {
        // What "My workspace" routes return for Alex: a personal model and its report.
        Dataset scratch;
        scratch.id = ids.next();
        scratch.name = "Expenses (personal)";
        scratch.configuredBy = admin.userPrincipalName;
        scratch.createdDate = nowMs - 40 * kDay;
        scratch.datasources.push_back(
            {"File", {{"path", "C:\\Users\\alex\\Documents\\Expenses.xlsx"}}, {}, {}});
        scratch.tables = {{"Expenses",
                           false,
                           {"Date", "Category", "Amount"},
                           {"Total"},
                           {{"Expenses", "Import", {}}}}};
        makeRefreshHistory(scratch, ids, rng, nowMs, 6, 0.0);
        Report r;
        r.id = ids.next();
        r.name = "Expenses";
        r.datasetId = scratch.id;
        r.createdBy = r.modifiedBy = admin.userPrincipalName;
        r.createdDateTime = scratch.createdDate;
        r.modifiedDateTime = nowMs - 2 * kDay;
        personal.datasets.push_back(std::move(scratch));
        personal.reports.push_back(std::move(r));
    }
    t.workspaces.push_back(personal);
}

} // namespace pbi::sandbox
