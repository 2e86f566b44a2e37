#include "DemoContent.h"
#include "EntraDemo.h"
#include "Ids.h"
#include "Tenant.h"

namespace pbi::sandbox {

Tenant makeDemoTenant(std::uint64_t seed, UnixMs nowMs)
{
    IdGenerator ids(seed);
    Tenant t;
    t.id = demo::kTenantId;
    t.domain = demo::kTenantDomain;
    t.displayName = "Contoso (sandbox)";

    AppRegistration console;
    console.clientId = demo::kAppClientId;
    console.displayName = "PBI Console Sandbox App";
    console.servicePrincipalId = ids.next();
    console.secrets = {demo::kAppSecret};
    console.certificates = {demo::certificatePem()};
    t.apps.push_back(console);

    AppRegistration etl;
    etl.clientId = ids.next();
    etl.displayName = "Nightly ETL";
    etl.servicePrincipalId = ids.next();
    etl.secrets = {"etl-secret-not-for-the-console"};
    t.apps.push_back(etl);

    // Delegated sign-in apps (docs/sandbox-identities.md). Fixed ids, so that adding them did
    // not shift the generated ids of everything below.
    AppRegistration desktop;
    desktop.clientId = demo::kPublicClientId;
    desktop.displayName = "PBI Console Desktop";
    desktop.servicePrincipalId = demo::kPublicClientServicePrincipalId;
    desktop.isPublicClient = true;
    desktop.isMultiTenant = true;
    desktop.redirectUris = {"https://login.microsoftonline.com/common/oauth2/nativeclient"};
    desktop.consentedScopes = demo::consentedScopes();
    t.apps.push_back(desktop);

    AppRegistration unconsented;
    unconsented.clientId = demo::kUnconsentedClientId;
    unconsented.displayName = "Unconsented Report Tool";
    unconsented.servicePrincipalId = demo::kUnconsentedServicePrincipalId;
    unconsented.isPublicClient = true;
    t.apps.push_back(unconsented);

    t.users = {
        {ids.next(), "admin@" + t.domain, "Alex Admin", "Sandbox!1", true},
        {ids.next(), "megan@" + t.domain, "Megan Bowen", "Sandbox!1", false},
        {ids.next(), "lee@" + t.domain, "Lee Gu", "Sandbox!1", false},
        {ids.next(), "adele@" + t.domain, "Adele Vance", "Sandbox!1", false},
    };

    const Capacity premium{ids.next(), "Contoso Premium P1", "P1", "West Europe", "Active", {}};
    const Capacity fabric{ids.next(), "Contoso Fabric F64", "F64", "North Europe", "Active", {}};
    const Capacity embedded{ids.next(), "Embedded A1 (dev)", "A1", "West Europe", "Active", {}};
    t.capacities = {premium, fabric, embedded};

    const auto& sp = t.apps[0];
    const auto& etlSp = t.apps[1];
    auto app = [](const AppRegistration& a, const char* right) {
        return WorkspaceMember{a.servicePrincipalId, "App", a.displayName, right, a.servicePrincipalId};
    };
    auto user = [](const User& u, const char* right) {
        return WorkspaceMember{u.userPrincipalName, "User", u.displayName, right, u.objectId};
    };
    const User& admin = t.users[0];
    const User& megan = t.users[1];
    const User& lee = t.users[2];
    const User& adele = t.users[3];

    struct Spec {
        const char* name;
        const char* description;
        const Capacity* capacity;
        const char* spRole; ///< nullptr: the console's service principal is not a member
    };
    // dev/test/prod triplets, plus a few that break the naming convention on purpose.
    const Spec specs[] = {
        {"Sales [Dev]", "Sales analytics, development", &embedded, "Admin"},
        {"Sales [Test]", "Sales analytics, user acceptance", &premium, "Member"},
        {"Sales [Prod]", "Sales analytics for the field organisation", &premium, "Contributor"},
        {"Finance [Dev]", "Group finance models, development", nullptr, "Admin"},
        {"Finance [Test]", "Group finance models, testing", &premium, "Member"},
        {"Finance [Prod]", "Month-end close and P&L", &premium, "Viewer"},
        {"HR Analytics [Dev]", "Headcount and attrition, development", nullptr, "Admin"},
        {"HR Analytics [Test]", "Headcount and attrition, testing", nullptr, "Member"},
        {"HR Analytics [Prod]", "Headcount and attrition (restricted)", &premium, nullptr},
        {"Supply Chain [Dev]", "Inventory and logistics, development", &fabric, "Admin"},
        {"Supply Chain [Test]", "Inventory and logistics, testing", &fabric, "Member"},
        {"Supply Chain [Prod]", "Inventory and logistics", &fabric, "Member"},
        {"Marketing [Dev]", "Campaign performance, development", nullptr, "Contributor"},
        {"Marketing [Test]", "Campaign performance, testing", nullptr, "Contributor"},
        {"Marketing [Prod]", "Campaign performance", &premium, "Viewer"},
        {"Customer Success [Prod]", "Support tickets and NPS", &premium, "Member"},
        {"Embedded Portal [Dev]", "Customer-facing embedded reports, development", &embedded, "Admin"},
        {"Embedded Portal [Prod]", "Customer-facing embedded reports", &fabric, "Admin"},
        {"Executive Dashboards", "Board pack (breaks the naming convention)", &premium, "Viewer"},
        {"Data Platform - Shared Models", "Certified shared semantic models", &fabric, "Member"},
        {"Sandbox - Megan", "Personal experiments", nullptr, nullptr},
        {"test ws do not use", "Left over from a proof of concept", nullptr, "Admin"},
        {"Procurement [Prod]", "Spend analysis", &premium, "Member"},
        {"IT Operations [Prod]", "Service desk and uptime", nullptr, "Contributor"},
        {"Legal [Prod]", "Matter tracking (confidential)", nullptr, nullptr},
    };
    for (const auto& s : specs) {
        Workspace w;
        w.id = ids.next();
        w.name = s.name;
        w.description = s.description;
        if (s.capacity)
            w.capacityId = s.capacity->id;
        w.members.push_back(user(admin, "Admin"));
        w.members.push_back(user(megan, "Member"));
        w.members.push_back(user(lee, "Contributor"));
        w.members.push_back(user(adele, "Viewer"));
        if (s.spRole)
            w.members.push_back(app(sp, s.spRole));
        if (std::string(s.name).find("Prod") != std::string::npos)
            w.members.push_back(app(etlSp, "Member"));
        t.workspaces.push_back(std::move(w));
    }
    addDemoContent(t, ids, nowMs > 0 ? nowMs : currentMs());
    t.reindex();
    return t;
}

} // namespace pbi::sandbox
