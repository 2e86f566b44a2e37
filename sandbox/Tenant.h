#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace pbi::sandbox {

/// An app registration and its service principal.
struct AppRegistration {
    std::string clientId;           ///< application (client) id
    std::string displayName;
    std::string servicePrincipalId; ///< the enterprise app's object id: token oid/sub
    std::vector<std::string> secrets;
    // Entra ID sign-in (EntraService).
    std::vector<std::string> certificates; ///< PEM X.509 (keyCredentials), matched by x5t
    bool isPublicClient = false; ///< "Allow public client flows": device code, ROPC, no secret
    bool isMultiTenant = false;  ///< signInAudience AzureADMultipleOrgs: /common allowed
    std::vector<std::string> redirectUris; ///< besides any loopback http://127.0.0.1|localhost
    /// Delegated Power BI permissions with consent, e.g. "Workspace.Read.All"; empty: none.
    std::vector<std::string> consentedScopes;
};

/// A user of the tenant (delegated sign-in).
struct User {
    std::string objectId;
    std::string userPrincipalName;
    std::string displayName;
    std::string password; ///< sandbox only: for the legacy password grant and the sign-in page
    bool isFabricAdmin = false;
};

/// Milliseconds since the Unix epoch, UTC: every time in the model.
using UnixMs = std::int64_t;

/// Someone with rights on a capacity: its admins and those who may assign workspaces to it.
struct CapacityPrincipal {
    std::string identifier;  ///< UPN for users, object id for apps (as the `admins` array shows it)
    std::string principalId; ///< object id: what a token's oid is matched against
    std::string right;       ///< "Admin" | "Assign"
};

struct Capacity {
    std::string id;
    std::string displayName;
    std::string sku;    ///< "A1", "P1", "F64", …
    std::string region;
    std::string state = "Active";
    std::vector<CapacityPrincipal> principals;
};

/// An Entra ID security group: a workspace member of type "Group" grants its role to these.
struct SecurityGroup {
    std::string id;
    std::string displayName;
    std::vector<std::string> memberIds; ///< object ids of users and service principals
};

/// The Admin portal switches the API checks depend on (api-digest §8).
struct TenantSettings {
    /// "Service principals can call Fabric public APIs" (formerly "Allow service principals to
    /// use Power BI APIs"); `servicePrincipalApiGroups` empty means the whole organisation.
    bool servicePrincipalsCanUseApis = true;
    std::vector<std::string> servicePrincipalApiGroups;
    /// "Allow service principals to use read-only Power BI admin APIs", for these groups
    /// (empty: the whole organisation).
    bool servicePrincipalsCanUseReadOnlyAdminApis = false;
    std::vector<std::string> readOnlyAdminApiGroups;
    bool enhanceAdminApisDetailedMetadata = false; ///< "Enhance admin APIs responses with detailed metadata"
    bool enhanceAdminApisExpressions = false;      ///< "... with DAX and mashup expressions"
    bool embedContentInApps = true;                ///< "Embed content in apps"
};

/// A data source a semantic model or dataflow uses; gateway-bound when gatewayId is set.
struct Datasource {
    std::string datasourceType; ///< "Sql", "File", "SharePointList", "OData", "Extension", …
    std::vector<std::pair<std::string, std::string>> connectionDetails; ///< server, database, url, …
    std::string datasourceId; ///< gateway data source id; empty when not bound to a gateway
    std::string gatewayId;
};

struct MashupParameter {
    std::string name;
    std::string type; ///< "Text" | "Number" | "DateTime" | "Logical" | "Any" | …
    bool isRequired = true;
    std::optional<std::string> currentValue;
    std::vector<std::string> suggestedValues;
};

struct RefreshAttempt {
    int attemptId = 1;
    UnixMs startTime = 0;
    std::optional<UnixMs> endTime;
    std::string type = "Data"; ///< "Data" | "Query"
    std::string serviceExceptionJson; ///< empty: none
};

/// A table, or one partition of it, named by an enhanced refresh, with its progress.
struct RefreshObject {
    std::string table;
    std::string partition; ///< empty: the whole table
    std::string status;    ///< NotStarted | InProgress | Completed | Failed; empty: not reported
};

/// An Analysis Services engine message of an enhanced refresh (EngineMessage).
struct EngineMessage {
    std::string code; ///< hex, e.g. "0xC11C0020"; empty: none
    std::string message;
    std::string type = "Error"; ///< Error | Warning
};

/// The options of an enhanced refresh (DatasetRefreshRequest without notifyOption), with the
/// service's defaults (asynchronous-refresh.md).
struct EnhancedRefresh {
    /// Full | ClearValues | Calculate | DataOnly | Automatic | Defragment
    std::string type = "Automatic";
    std::string commitMode = "Transactional"; ///< Transactional | PartialBatch
    int maxParallelism = 10;
    int retryCount = 0;
    int timeoutSeconds = 5 * 3600; ///< per attempt
    bool applyRefreshPolicy = true;
    std::optional<UnixMs> effectiveDate;
    std::vector<RefreshObject> objects; ///< what was asked; empty: the whole model
};

/// One refresh history entry (the Refresh schema), and for refreshes the sandbox ran itself,
/// what GET …/refreshes/{refreshId} reports about it (DatasetRefreshDetail).
struct RefreshEntry {
    std::string requestId;
    std::string refreshType = "Scheduled"; ///< Scheduled | OnDemand | ViaApi | ViaXmlaEndpoint | ViaEnhancedApi
    UnixMs startTime = 0;
    std::optional<UnixMs> endTime; ///< absent while running
    std::string status = "Completed"; ///< Unknown | Completed | Failed | Disabled | Cancelled
    /// A string holding JSON, as the service sends it; empty: none (omitted on the wire).
    std::string serviceExceptionJson;
    std::vector<RefreshAttempt> attempts;
    // Refreshes triggered or scheduled while the sandbox runs (RefreshEngine).
    /// The history lists the entry from this time on: the service does not list a refresh it
    /// has just accepted at once.
    UnixMs visibleFrom = 0;
    /// Enhanced refreshes only: NotStarted | InProgress | Completed | Failed | TimedOut |
    /// Cancelled.
    std::string extendedStatus;
    std::optional<EnhancedRefresh> enhanced;
    std::vector<RefreshObject> objects; ///< enhanced: the objects processed and their status
    std::vector<EngineMessage> messages;
};

struct RefreshSchedule {
    std::vector<std::string> days;  ///< "Monday" … "Sunday"
    std::vector<std::string> times; ///< "hh:mm", minutes 00 or 30
    bool enabled = true;
    std::string localTimeZoneId = "UTC";
    std::string notifyOption = "MailOnFailure"; ///< NoNotification | MailOnFailure
};

struct Partition {
    std::string name;
    std::string mode = "Import"; ///< Import | DirectQuery | Dual | Push
    std::string sourceExpression; ///< M or SQL; scanner with "detailed metadata" only
};

struct Table {
    std::string name;
    bool isHidden = false;
    std::vector<std::string> columns;
    std::vector<std::string> measures;
    std::vector<Partition> partitions;
};

/// A row-level-security role: members get only the rows the filters let through.
struct RlsRole {
    std::string name;
    std::string modelPermission = "Read";
    std::vector<std::pair<std::string, std::string>> tablePermissions; ///< table, DAX filter
    std::vector<std::string> members; ///< UPNs or group names
};

/// A semantic model (Dataset in the API).
struct Dataset {
    std::string id;
    std::string name;
    std::string description;
    std::string configuredBy; ///< owner's UPN
    UnixMs createdDate = 0;
    std::string contentProviderType = "PbixInImportMode"; ///< "ContentProviderType" on the wire
    std::string storageMode = "Import"; ///< Import | DirectQuery | Composite | LiveConnection | Push
    std::string targetStorageMode = "Abf"; ///< Abf (small format) | PremiumFiles (large format)
    bool isRefreshable = true;
    bool isOnPremGatewayRequired = false;
    bool addRowsAPIEnabled = false;
    std::vector<Table> tables;
    std::vector<RlsRole> roles; ///< non-empty: effective identity (and roles) required
    std::vector<Datasource> datasources;
    std::vector<MashupParameter> parameters;
    std::vector<RefreshEntry> refreshes; ///< oldest first; served newest first
    std::optional<RefreshSchedule> schedule;
    std::vector<std::pair<std::string, std::string>> upstreamDataflows; ///< dataflow id, group id
};

struct Report {
    std::string id;
    std::string name;
    std::string description;
    std::string datasetId;  ///< empty for paginated reports without a model
    std::string reportType = "PowerBIReport"; ///< PowerBIReport | PaginatedReport
    std::string format = "PBIR";             ///< PBIR | PBIRLegacy | RDL
    std::string appId;      ///< set for app copies
    std::string createdBy;
    std::string modifiedBy;
    UnixMs createdDateTime = 0;
    UnixMs modifiedDateTime = 0;
};

struct Tile {
    std::string id;
    std::string title;
    std::string reportId; ///< empty for tiles not pinned from a report
    std::string datasetId;
    int rowSpan = 0;
    int colSpan = 0;
};

struct Dashboard {
    std::string id;
    std::string displayName;
    bool isReadOnly = false;
    std::string appId;
    std::vector<Tile> tiles;
};

/// One entry of a dataflow's refresh history (DataflowTransaction). The spec names the fields
/// but not their values; the values here are inferred (docs/sandbox-powerbi.md, "Dataflow
/// refreshes").
struct DataflowTransaction {
    /// "<start time, 7 fractional digits>Z@<guid>$<sequence>", the shape of the spec's
    /// examples ("2020-08-27T16:07:47.2487692Z@8dbd8c92-…$2").
    std::string id;
    std::string refreshType = "Scheduled"; ///< Scheduled | OnDemand
    UnixMs startTime = 0;
    std::optional<UnixMs> endTime; ///< absent while running
    std::string status = "Success"; ///< InProgress | Success | Failed | Cancelled
    /// The history lists the entry from this time on (as for semantic-model refreshes).
    UnixMs visibleFrom = 0;
};

/// Note that a dataflow's id is `objectId` on the wire.
struct Dataflow {
    std::string objectId;
    std::string name;
    std::string description;
    std::string configuredBy;
    std::vector<Datasource> datasources;
    std::vector<DataflowTransaction> transactions; ///< oldest first; served newest first
    /// Set by PATCH …/refreshSchedule (the API has no GET for it); fires like a model's.
    std::optional<RefreshSchedule> schedule;
};

/// An Excel workbook in a workspace, as GetGroupsAsAdmin ($expand=workbooks) lists it.
struct Workbook {
    std::string name;
    std::string datasetId;
};

/// A data source defined on a gateway (GatewayDatasource: connectionDetails is a JSON string).
struct GatewayDatasource {
    std::string id;
    std::string datasourceName;
    std::string datasourceType;
    std::string connectionDetails; ///< a JSON object serialised into a string
    std::string credentialType = "Windows"; ///< Basic | Windows | Anonymous | OAuth2 | Key | SAS
    std::vector<std::string> userIds; ///< object ids allowed to use it
};

struct Gateway {
    std::string id;
    std::string name;
    std::string type = "Resource";
    std::string gatewayStatus = "Live";
    std::string gatewayAnnotation; ///< JSON string with the gateway machine and version
    std::string publicKeyExponent = "AQAB";
    std::string publicKeyModulus;
    std::vector<std::string> adminIds; ///< object ids of the gateway admins
    std::vector<GatewayDatasource> datasources;
};

/// Someone who can open a published app.
struct AppAudienceMember {
    std::string identifier;
    std::string principalType; ///< "User" | "Group" | "App"
    std::string principalId;
    std::string displayName;
    std::string accessRight = "Read"; ///< AppUserAccessRight
};

/// A Power BI app published from a workspace (not an Entra app registration).
struct PowerBiApp {
    std::string id;
    std::string name;
    std::string description;
    std::string workspaceId;
    std::string publishedBy; ///< display name
    UnixMs lastUpdate = 0;
    std::vector<AppAudienceMember> audience;
};

struct PipelineStage {
    int order = 0; ///< 0 Development, 1 Test, 2 Production
    std::string workspaceId; ///< empty: no workspace assigned
};

struct PipelineUser {
    std::string identifier;
    std::string principalType; ///< "User" | "Group" | "App"
    std::string principalId;
    std::string accessRight = "Admin"; ///< the only pipeline role
};

struct Pipeline {
    std::string id;
    std::string displayName;
    std::string description;
    std::vector<PipelineStage> stages;
    std::vector<PipelineUser> users;
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
    std::string dataflowStorageId; ///< empty: none
    std::string pipelineId;        ///< empty: not assigned to a deployment pipeline
    bool hasWorkspaceLevelSettings = false;
    std::vector<Report> reports;
    std::vector<Dataset> datasets;
    std::vector<Dashboard> dashboards;
    std::vector<Dataflow> dataflows;
    std::vector<Workbook> workbooks;
};

/// Where an item lives: indexes into Tenant::workspaces and the workspace's item vector.
struct ItemRef {
    std::uint32_t workspace = 0;
    std::uint32_t item = 0;
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
    std::vector<SecurityGroup> groups;
    TenantSettings settings;
    /// Entra app client id → the Power BI application permissions an admin consented to
    /// (e.g. "Tenant.Read.All"). Admin APIs refuse service principals that have any (§8).
    std::map<std::string, std::vector<std::string>> adminConsentedPermissions;
    std::vector<Gateway> gateways;
    std::vector<PowerBiApp> workspaceApps;
    std::vector<Pipeline> pipelines;

    const AppRegistration* findApp(const std::string& clientId) const;
    const Capacity* findCapacity(const std::string& id) const;

    /// Rebuilds the id indexes below; call after adding or removing workspaces or items.
    void reindex();
    Workspace* findWorkspace(const std::string& id);
    const Workspace* findWorkspace(const std::string& id) const;
    std::optional<ItemRef> findDataset(const std::string& id) const;
    std::optional<ItemRef> findReport(const std::string& id) const;
    std::optional<ItemRef> findDashboard(const std::string& id) const;
    std::optional<ItemRef> findDataflow(const std::string& id) const;
    const User* findUser(const std::string& objectId) const;
    const AppRegistration* findServicePrincipal(const std::string& objectId) const;

    /// The caller's effective role in `w` — the highest of its own assignment and those of the
    /// security groups it belongs to — or nullptr. O(members of w).
    const std::string* accessRight(const Workspace& w, const std::string& principalId) const;
    bool isInGroup(const std::string& principalId, const std::string& groupId) const;

private:
    std::unordered_map<std::string, std::size_t> m_workspaceIndex;
    std::unordered_map<std::string, ItemRef> m_datasetIndex;
    std::unordered_map<std::string, ItemRef> m_reportIndex;
    std::unordered_map<std::string, ItemRef> m_dashboardIndex;
    std::unordered_map<std::string, ItemRef> m_dataflowIndex;
    /// principal object id → ids of the security groups it is a member of
    std::unordered_map<std::string, std::vector<std::string>> m_groupsOf;
};

/// Role order: Admin > Member > Contributor > Viewer; 0 for anything else.
int roleRank(const std::string& accessRight);

/// Whether an incremental refresh policy manages `table` of `d`. The model does not record
/// policies; a table of several partitions in a model with a RangeStart parameter (what
/// incremental refresh requires) is taken to have one.
bool hasRefreshPolicy(const Dataset& d, const Table& table);

/// The built-in demo tenant: dev/test/prod workspaces, capacities, members in every role,
/// items with months of refresh history. The same seed always gives the same ids; times are
/// relative to `nowMs` (0: the current time).
Tenant makeDemoTenant(std::uint64_t seed = 7, UnixMs nowMs = 0);

/// Credentials of the demo tenant's ready-made app registrations, documented in the README.
namespace demo {
inline constexpr char kTenantId[] = "8f0c3b6e-5d1a-4c2b-9e7f-2a4b6c8d0e1f";
inline constexpr char kTenantDomain[] = "contoso-sandbox.onmicrosoft.com";
inline constexpr char kAppClientId[] = "5b1c9d3e-7f2a-4e6b-8c0d-1a3b5c7d9e2f";
inline constexpr char kAppSecret[] = "sandbox-secret-change-me";
} // namespace demo

} // namespace pbi::sandbox
