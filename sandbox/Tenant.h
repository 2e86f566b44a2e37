#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pbi::sandbox {

/// An app registration and its service principal.
struct AppRegistration {
    std::string clientId;           ///< application (client) id
    std::string displayName;
    std::string servicePrincipalId; ///< the enterprise app's object id: token oid/sub
    std::vector<std::string> secrets;
};

/// A user of the tenant (delegated sign-in).
struct User {
    std::string objectId;
    std::string userPrincipalName;
    std::string displayName;
    std::string password; ///< sandbox only: for the legacy password grant and the sign-in page
    bool isFabricAdmin = false;
};

struct Capacity {
    std::string id;
    std::string displayName;
    std::string sku;    ///< "A1", "P1", "F64", …
    std::string region;
    std::string state = "Active";
};

/// A workspace role assignment, as GroupUser on the wire.
struct WorkspaceMember {
    std::string identifier;    ///< UPN for users, object id for apps and groups
    std::string principalType; ///< "User" | "Group" | "App"
    std::string displayName;
    std::string accessRight;   ///< "Admin" | "Member" | "Contributor" | "Viewer"
    std::string principalId;   ///< object id: what a token's oid is matched against
};

struct Workspace {
    std::string id;
    std::string name;
    std::string description;
    std::string type = "Workspace"; ///< "Workspace" | "PersonalGroup" | …
    std::string state = "Active";
    std::optional<std::string> capacityId; ///< set = on dedicated capacity
    bool isReadOnly = false;
    std::vector<WorkspaceMember> members;
};

/// Everything the sandbox knows about one tenant.
struct Tenant {
    std::string id;
    std::string domain;
    std::string displayName;
    std::vector<AppRegistration> apps;
    std::vector<User> users;
    std::vector<Capacity> capacities;
    std::vector<Workspace> workspaces;

    const AppRegistration* findApp(const std::string& clientId) const;
    const Capacity* findCapacity(const std::string& id) const;
};

/// The built-in demo tenant: dev/test/prod workspaces, capacities, members in every role.
/// The same seed always gives the same ids.
Tenant makeDemoTenant(std::uint64_t seed = 7);

/// Credentials of the demo tenant's ready-made app registrations, documented in the README.
namespace demo {
inline constexpr char kTenantId[] = "8f0c3b6e-5d1a-4c2b-9e7f-2a4b6c8d0e1f";
inline constexpr char kTenantDomain[] = "contoso-sandbox.onmicrosoft.com";
inline constexpr char kAppClientId[] = "5b1c9d3e-7f2a-4e6b-8c0d-1a3b5c7d9e2f";
inline constexpr char kAppSecret[] = "sandbox-secret-change-me";
} // namespace demo

} // namespace pbi::sandbox
