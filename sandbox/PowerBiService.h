#pragma once

#include "HttpServer.h"
#include "ODataFilter.h"
#include "Sandbox.h"
#include "Throttling.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pbi::sandbox {

/// Request parsing the model and dataflow refresh routes share (RefreshRoutes.cpp).
namespace refreshwire {
/// The JSON body as the service binds it (absent or null: an empty object); nullopt when it is
/// not a JSON object.
std::optional<nlohmann::json> body(const Request& req);
/// Applies the fields of a PATCH …/refreshSchedule "value" onto `next`, with the service's
/// rules; false with its 400 in `res`. `disableAlone`: a request that disables the schedule
/// may change nothing else (models; the dataflow spec's own example disables with times).
bool applySchedule(const nlohmann::json& value, RefreshSchedule& next, const Caller& caller,
                   bool premium, bool disableAlone, Response& res);
} // namespace refreshwire

/// One Power BI operation the sandbox serves, as the spec names it.
struct PowerBiRoute {
    std::string method;
    std::string path; ///< the spec's template, e.g. "/v1.0/myorg/groups/{groupId}/reports"
    std::string operationId;
};

/// The Power BI REST emulation (/v1.0/myorg/…): member-scope and admin routes over the
/// sandbox's tenant, with the service's permission checks, error bodies and throttling.
/// Every handler runs under the sandbox's mutex.
class PowerBiService {
public:
    explicit PowerBiService(Sandbox& sandbox);

    void addRoutes(HttpServer& server);
    /// Every route served, for the conformance test (`pbi-sandbox --list-routes`).
    static std::vector<PowerBiRoute> routes();

private:
    using Body = std::function<void(const Request&, Response&, const Caller&)>;
    enum class Scope { Member, Admin };
    struct Entry {
        PowerBiRoute route;
        Scope scope;
        Body body;
    };
    /// The route table; `self` is captured by the handlers (nullptr: only listing).
    static std::vector<Entry> entries(PowerBiService* self);
    void dispatch(const Entry& e, const Request& req, Response& res);

    // Checks shared by the handlers; each fills `res` with the service's answer when it fails.
    bool servicePrincipalAllowed(const Caller& c, Response& res) const;
    bool adminAllowed(const Caller& c, Response& res) const;
    const Workspace* memberWorkspace(const std::string& groupId, const Caller& c, Response& res,
                                     const std::string** role) const;
    /// $top / $skip: nullopt (and a 400 in `res`) when present but not a non-negative int32.
    bool paging(const Request& req, Response& res, int& top, int& skip, bool topRequired,
                int maxTop) const;
    /// The model of …/groups/{id}/datasets/{id}/… if the caller may write to it; nullptr (and
    /// the service's refusal in `res`) otherwise.
    const Dataset* writableModel(const Request& req, Response& res, const Caller& caller,
                                 const Workspace** workspace);
    std::optional<ODataFilter> filter(const Request& req, Response& res, bool& ok) const;
    /// 200 with the OData envelope; `what` is the route's collection path, e.g.
    /// "groups/<id>/reports"; `admin` puts it under the admin metadata.
    void collection(Response& res, const std::string& what, nlohmann::json items,
                    bool admin = false) const;
    std::string callerRightOn(const Capacity& c, const Caller& caller) const;
    bool isServicePrincipalInGroups(const std::string& objectId,
                                    const std::vector<std::string>& groups) const;

    // Member scope (PowerBiRoutes.cpp, ItemRoutes.cpp).
    void groups(const Request&, Response&, const Caller&);
    void group(const Request&, Response&, const Caller&);
    void groupUsers(const Request&, Response&, const Caller&);
    void reports(const Request&, Response&, const Caller&);
    void report(const Request&, Response&, const Caller&);
    void datasets(const Request&, Response&, const Caller&);
    void dataset(const Request&, Response&, const Caller&);
    void datasetDatasources(const Request&, Response&, const Caller&);
    void datasetParameters(const Request&, Response&, const Caller&);
    void refreshHistory(const Request&, Response&, const Caller&);
    void refreshSchedule(const Request&, Response&, const Caller&);
    // Refreshes that run (RefreshRoutes.cpp, RefreshEngine.h).
    void triggerRefresh(const Request&, Response&, const Caller&);
    void refreshExecution(const Request&, Response&, const Caller&);
    void cancelRefresh(const Request&, Response&, const Caller&);
    void updateRefreshSchedule(const Request&, Response&, const Caller&);
    void takeOverDataset(const Request&, Response&, const Caller&);
    // Dataflow refreshes (DataflowRoutes.cpp).
    /// The workspace of …/groups/{id}/dataflows/… if a user who may change its content calls;
    /// nullptr (and the service's refusal in `res`) otherwise. `dataflow` set: that dataflow
    /// (…/dataflows/{dataflowId}/…) must exist in it.
    const Workspace* dataflowWorkspace(const Request& req, Response& res, const Caller& caller,
                                       const Dataflow** dataflow);
    void dataflowTransactions(const Request&, Response&, const Caller&);
    void refreshDataflow(const Request&, Response&, const Caller&);
    void cancelDataflowTransaction(const Request&, Response&, const Caller&);
    void updateDataflowRefreshSchedule(const Request&, Response&, const Caller&);
    void dashboards(const Request&, Response&, const Caller&);
    void dashboard(const Request&, Response&, const Caller&);
    void tiles(const Request&, Response&, const Caller&);
    void tile(const Request&, Response&, const Caller&);
    void dataflows(const Request&, Response&, const Caller&);
    void dataflowDatasources(const Request&, Response&, const Caller&);
    void myWorkspace(const Request&, Response&, const Caller&, const char* what);
    void capacities(const Request&, Response&, const Caller&);
    void gateways(const Request&, Response&, const Caller&);
    void gateway(const Request&, Response&, const Caller&);
    void gatewayDatasources(const Request&, Response&, const Caller&);
    void apps(const Request&, Response&, const Caller&);
    void app(const Request&, Response&, const Caller&);
    void appItems(const Request&, Response&, const Caller&, bool reports);
    void pipelines(const Request&, Response&, const Caller&);
    void pipeline(const Request&, Response&, const Caller&);
    void pipelineStages(const Request&, Response&, const Caller&);
    void pipelineUsers(const Request&, Response&, const Caller&);

    // Admin scope (AdminRoutes.cpp).
    void adminGroups(const Request&, Response&, const Caller&);
    void adminGroup(const Request&, Response&, const Caller&);
    void adminGroupUsers(const Request&, Response&, const Caller&);
    void adminGroupItems(const Request&, Response&, const Caller&, const char* what);
    void adminItems(const Request&, Response&, const Caller&, const char* what);
    void adminDatasetDatasources(const Request&, Response&, const Caller&);
    void adminDashboardTiles(const Request&, Response&, const Caller&);
    void adminCapacities(const Request&, Response&, const Caller&);
    void adminRefreshables(const Request&, Response&, const Caller&);
    void adminApps(const Request&, Response&, const Caller&);
    void adminPipelines(const Request&, Response&, const Caller&);

    Sandbox& m_sb;
    Throttler m_throttler;
};

} // namespace pbi::sandbox
