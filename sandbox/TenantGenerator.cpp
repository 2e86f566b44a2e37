#include "TenantGenerator.h"

#include "DemoContent.h"

#include <array>

namespace pbi::sandbox {

namespace {

constexpr UnixMs kDay = 24LL * 3600 * 1000;

const std::array<const char*, 16> kDepartments = {
    "Sales",   "Finance",    "HR",      "Supply Chain", "Marketing", "Customer Success",
    "Legal",   "Operations", "Product", "Engineering",  "Risk",      "Procurement",
    "Support", "Retail",     "Pricing", "Treasury"};
const std::array<const char*, 12> kSubjects = {"Revenue",   "Forecast",  "Headcount", "Inventory",
                                               "Campaigns", "Tickets",   "Spend",     "Margins",
                                               "Churn",     "Logistics", "Audit",     "Quality"};
const std::array<const char*, 8> kReportKinds = {"Overview",  "Details",       "Trends",
                                                 "Scorecard", "Drill-through", "Executive Summary",
                                                 "KPIs",      "Monitor"};
const std::array<const char*, 3> kStages = {"Dev", "Test", "Prod"};
const std::array<const char*, 4> kRoles = {"Admin", "Member", "Contributor", "Viewer"};

} // namespace

Tenant generateTenant(const GeneratorOptions& o) {
    const UnixMs now = o.nowMs > 0 ? o.nowMs : currentMs();
    Tenant t = makeDemoTenant(o.seed, now);
    t.workspaces.clear();
    t.workspaceApps.clear();
    t.pipelines.clear();
    t.workspaces.reserve(std::size_t(std::max(0, o.workspaces)));

    IdGenerator ids(o.seed * 0x9E3779B97F4A7C15ull + 1);
    std::mt19937_64 rng(o.seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const AppRegistration& console = t.apps[0];
    const AppRegistration& etl = t.apps[1];
    const std::string gatewayId = t.gateways.empty() ? std::string() : t.gateways[0].id;
    const std::string gatewaySource = t.gateways.empty() || t.gateways[0].datasources.empty()
                                          ? std::string()
                                          : t.gateways[0].datasources[0].id;

    for (int i = 0; i < o.workspaces; ++i) {
        Workspace w;
        w.id = ids.next();
        const char* dept = kDepartments[std::size_t(i) % kDepartments.size()];
        const char* subject = kSubjects[(std::size_t(i) / kDepartments.size()) % kSubjects.size()];
        const char* stage = kStages[std::size_t(i) % kStages.size()];
        // About one in twenty breaks the "<Department> <Subject> [Stage]" convention.
        if (unit(rng) < 0.05)
            w.name = std::string(dept) + " " + subject + " copy " + std::to_string(i);
        else
            w.name = std::string(dept) + " " + subject + " " + std::to_string(i / 48) + " [" +
                     stage + "]";
        w.description = std::string(subject) + " analytics for " + dept;
        const double c = unit(rng);
        if (c < 0.45 && !t.capacities.empty())
            w.capacityId = t.capacities[std::size_t(i) % t.capacities.size()].id;
        if (unit(rng) < 0.01)
            w.state = "Deleted";
        for (std::size_t u = 0; u < t.users.size() && u < 4; ++u)
            w.members.push_back({t.users[u].userPrincipalName, "User", t.users[u].displayName,
                                 kRoles[u], t.users[u].objectId});
        // The console's app is in about two workspaces in three, in every role.
        if (unit(rng) < 0.66)
            w.members.push_back({console.servicePrincipalId, "App", console.displayName,
                                 kRoles[std::size_t(i) % kRoles.size()],
                                 console.servicePrincipalId});
        if (std::string(stage) == "Prod")
            w.members.push_back(
                {etl.servicePrincipalId, "App", etl.displayName, "Member", etl.servicePrincipalId});

        // Items: about 30% models, 40% reports, 15% dashboards, 15% dataflows, M in total.
        const int m = std::max(0, o.itemsPerWorkspace);
        const int models = m > 0 ? std::max(1, m * 3 / 10) : 0;
        const int dashboards = m * 15 / 100;
        const int dataflows = m * 15 / 100;
        const int reports = std::max(0, m - models - dashboards - dataflows);
        for (int k = 0; k < models; ++k) {
            Dataset d;
            d.id = ids.next();
            d.name = std::string(subject) + " Model " + std::to_string(k + 1);
            d.configuredBy = t.users[std::size_t(k) % t.users.size()].userPrincipalName;
            d.createdDate = now - UnixMs(30 + unit(rng) * 700) * kDay;
            const double mode = unit(rng);
            d.storageMode = mode < 0.8 ? "Import" : mode < 0.95 ? "DirectQuery" : "Push";
            d.isRefreshable = d.storageMode == "Import";
            d.addRowsAPIEnabled = d.storageMode == "Push";
            d.contentProviderType = d.storageMode == "Push"          ? "PushDataset"
                                    : d.storageMode == "DirectQuery" ? "PbixInDirectQueryMode"
                                                                     : "PbixInImportMode";
            d.targetStorageMode = w.capacityId && unit(rng) < 0.3 ? "PremiumFiles" : "Abf";
            d.tables = {{"Fact",
                         false,
                         {"Date", "Amount"},
                         {"Total"},
                         {{"Fact", d.storageMode == "DirectQuery" ? "DirectQuery" : "Import", {}}}},
                        {"Date", false, {"Date"}, {}, {{"Date", "Import", {}}}}};
            if (unit(rng) < 0.2)
                d.roles.push_back(
                    {"Readers", "Read", {{"Fact", "[Region] = USERPRINCIPALNAME()"}}, {}});
            if (unit(rng) < 0.5) {
                d.isOnPremGatewayRequired = true;
                d.datasources.push_back({"Sql",
                                         {{"server", "sql-prod-01.contoso.local"},
                                          {"database", std::string(subject) + "DW"}},
                                         gatewaySource,
                                         gatewayId});
            } else {
                d.datasources.push_back(
                    {"SharePointList",
                     {{"url", "https://contoso.sharepoint.com/sites/" + std::string(subject)}},
                     {},
                     {}});
            }
            if (d.isRefreshable) {
                RefreshSchedule s;
                s.days = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"};
                s.times = {std::string(unit(rng) < 0.5 ? "05:00" : "06:30")};
                d.schedule = s;
                makeRefreshHistory(d, ids, rng, now, o.refreshHistoryPerModel, 0.05);
            }
            w.datasets.push_back(std::move(d));
        }
        for (int k = 0; k < reports; ++k) {
            Report r;
            r.id = ids.next();
            r.name =
                std::string(subject) + " " + kReportKinds[std::size_t(k) % kReportKinds.size()];
            if (k >= int(kReportKinds.size()))
                r.name += " " + std::to_string(k / int(kReportKinds.size()) + 1);
            if (!w.datasets.empty())
                r.datasetId = w.datasets[std::size_t(k) % w.datasets.size()].id;
            r.createdBy = r.modifiedBy = t.users[std::size_t(k) % t.users.size()].userPrincipalName;
            r.createdDateTime = now - UnixMs(10 + unit(rng) * 500) * kDay;
            r.modifiedDateTime = r.createdDateTime + UnixMs(unit(rng) * 9) * kDay;
            w.reports.push_back(std::move(r));
        }
        for (int k = 0; k < dashboards; ++k) {
            Dashboard db;
            db.id = ids.next();
            db.displayName = std::string(subject) + " Dashboard " + std::to_string(k + 1);
            if (!w.reports.empty()) {
                const Report& r = w.reports[std::size_t(k) % w.reports.size()];
                db.tiles.push_back({ids.next(), "Total", r.id, r.datasetId, 1, 1});
            }
            w.dashboards.push_back(std::move(db));
        }
        for (int k = 0; k < dataflows; ++k) {
            Dataflow df;
            df.objectId = ids.next();
            df.name = std::string(subject) + " Staging " + std::to_string(k + 1);
            df.configuredBy = t.users[0].userPrincipalName;
            w.dataflows.push_back(std::move(df));
        }
        t.workspaces.push_back(std::move(w));
    }
    t.reindex();
    return t;
}

} // namespace pbi::sandbox
