#pragma once

#include "api/Admin.h"
#include "api/Embed.h"
#include "api/Items.h"
#include "api/Refresh.h"
#include "api/Resources.h"
#include "api/Workspace.h"
#include "auth/Cloud.h"
#include "http/HttpTypes.h"
#include "http/Result.h"

#include <QObject>
#include <QUrlQuery>

#include <functional>
#include <optional>
#include <vector>

namespace pbi {

class TokenProvider;
class Transport;

/// One page of GET /admin/groups.
struct AdminGroupsQuery {
    int top = 5000;     ///< required by the service, 1–5000
    int skip = 0;
    QString expand;     ///< e.g. "users,reports,datasets"
    QString filter;     ///< OData, e.g. "state eq 'Deleted'"
};

/// GET /admin/capacities/refreshables: one page.
struct AdminRefreshablesQuery {
    int top = 1000;  ///< required by the service
    int skip = 0;
    QString filter;  ///< OData, e.g. "averageDuration gt 1200"
    QString expand = QStringLiteral("capacities,groups");
};

/// GET /admin/activityevents: the first page of a window (one UTC day at most), or the next
/// page by continuation token.
struct ActivityQuery {
    QDateTime start;           ///< UTC
    QDateTime end;             ///< UTC, same day as start
    QString filter;            ///< "Activity eq 'viewreport' and UserId eq 'a@b.com'"
    QString continuationToken; ///< set: the next page (start, end and filter are ignored)
};

/// Paging and filtering of the admin item lists (GET /admin/reports…); unset: not sent.
struct AdminItemsQuery {
    std::optional<int> top;
    std::optional<int> skip;
    QString filter;
};

/// The value of a call that answers nothing but success.
struct Done {};

/// Typed calls to the Power BI REST API. Every call is asynchronous, delivers a value or an
/// Error on the caller's thread, and is dropped if its context object dies first. Each call
/// returns the transport's id, for Transport::cancel() and Transport::state().
class PowerBiClient : public QObject {
    Q_OBJECT
public:
    template <typename T>
    using Callback = std::function<void(Result<T>)>;

    PowerBiClient(Transport* transport, TokenProvider* tokens, Cloud cloud,
                  QObject* parent = nullptr);

    const Cloud& cloud() const { return m_cloud; }
    TokenProvider* tokenProvider() const { return m_tokens; }
    Transport* transport() const { return m_transport; }

    /// GET /groups: the workspaces the identity is a member of.
    quint64 listWorkspaces(QObject* context, Callback<std::vector<Workspace>> callback);
    /// GET /groups/{id}/users
    quint64 listWorkspaceUsers(const QString& groupId, QObject* context,
                               Callback<std::vector<GroupUser>> callback);
    /// GET /groups/{id}/reports
    quint64 listReports(const QString& groupId, QObject* context, Callback<std::vector<Report>> callback);
    /// GET /groups/{id}/datasets (semantic models)
    quint64 listDatasets(const QString& groupId, QObject* context, Callback<std::vector<Dataset>> callback);
    /// GET /groups/{id}/dashboards
    quint64 listDashboards(const QString& groupId, QObject* context,
                           Callback<std::vector<Dashboard>> callback);
    /// GET /groups/{id}/dashboards/{id}/tiles
    quint64 listTiles(const QString& groupId, const QString& dashboardId, QObject* context,
                      Callback<std::vector<Tile>> callback);
    /// GET /groups/{id}/dataflows
    quint64 listDataflows(const QString& groupId, QObject* context,
                          Callback<std::vector<Dataflow>> callback);
    /// GET /groups/{id}/datasets/{id}/datasources
    quint64 listDatasources(const QString& groupId, const QString& datasetId, QObject* context,
                            Callback<std::vector<Datasource>> callback);
    /// GET /groups/{id}/datasets/{id}/parameters
    quint64 listParameters(const QString& groupId, const QString& datasetId, QObject* context,
                           Callback<std::vector<MashupParameter>> callback);
    /// GET /groups/{id}/datasets/{id}/refreshes[?$top=N]; newest first, requestId kept.
    quint64 refreshHistory(const QString& groupId, const QString& datasetId, std::optional<int> top,
                           QObject* context, Callback<std::vector<Refresh>> callback);
    /// GET /groups/{id}/datasets/{id}/refreshSchedule
    quint64 refreshSchedule(const QString& groupId, const QString& datasetId, QObject* context,
                            Callback<RefreshSchedule> callback);
    /// POST /groups/{id}/datasets/{id}/refreshes. Plain or enhanced by the request's fields; the
    /// caller validates with refresh::validate() first. Never retried automatically: a second
    /// refresh would be refused as "already executing".
    quint64 triggerRefresh(const QString& groupId, const QString& datasetId, const RefreshRequest& request,
                           QObject* context, Callback<TriggeredRefresh> callback);
    /// GET /groups/{id}/datasets/{id}/refreshes/{refreshId}: 202 while running, 200 when done.
    quint64 refreshExecution(const QString& groupId, const QString& datasetId, const QString& refreshId,
                             QObject* context, Callback<RefreshExecution> callback);
    /// DELETE /groups/{id}/datasets/{id}/refreshes/{refreshId}; refreshId is the requestId.
    quint64 cancelRefresh(const QString& groupId, const QString& datasetId, const QString& refreshId,
                          QObject* context, Callback<Done> callback);
    /// PATCH /groups/{id}/datasets/{id}/refreshSchedule; the caller validates first.
    quint64 updateRefreshSchedule(const QString& groupId, const QString& datasetId,
                                  const RefreshScheduleUpdate& update, QObject* context,
                                  Callback<Done> callback);
    /// POST /groups/{id}/datasets/{id}/Default.TakeOver: the caller becomes the model's owner
    /// (needed to change its schedule or data-source credentials).
    quint64 takeOverDataset(const QString& groupId, const QString& datasetId, QObject* context,
                            Callback<Done> callback);
    /// GET /groups/{id}/dataflows/{id}/transactions: the dataflow's refresh history, newest
    /// first. Dataflow calls are refused to service principals; that Error says so in words
    /// (refresh::isServicePrincipalRefusal()).
    quint64 dataflowTransactions(const QString& groupId, const QString& dataflowId, QObject* context,
                                 Callback<std::vector<DataflowTransaction>> callback);
    /// POST /groups/{id}/dataflows/{id}/refreshes[?processType=]. The answer names no
    /// transaction: use refresh::triggerDataflowRefresh() to get one a follower can find.
    /// Never retried automatically (a second one would be refused as already in progress).
    quint64 refreshDataflow(const QString& groupId, const QString& dataflowId,
                            const DataflowRefreshRequest& request, QObject* context,
                            Callback<TriggeredDataflowRefresh> callback);
    /// POST /groups/{id}/dataflows/transactions/{transactionId}/cancel. The service answers 200
    /// whatever became of it: the result's status says (SuccessfullyMarked, AlreadyConcluded…).
    quint64 cancelDataflowTransaction(const QString& groupId, const QString& transactionId,
                                      QObject* context, Callback<DataflowCancelResult> callback);
    /// PATCH /groups/{id}/dataflows/{id}/refreshSchedule (the API has no GET for it).
    quint64 updateDataflowRefreshSchedule(const QString& groupId, const QString& dataflowId,
                                          const RefreshScheduleUpdate& update, QObject* context,
                                          Callback<Done> callback);
    /// GET /admin/capacities/refreshables: one page.
    quint64 adminRefreshables(const AdminRefreshablesQuery& query, QObject* context,
                              Callback<std::vector<Refreshable>> callback);
    /// GET /admin/workspaces/modified[?modifiedSince=…]: the ids of workspaces changed since then
    /// (all when `since` is invalid).
    quint64 adminModifiedWorkspaces(const QDateTime& since, bool excludePersonal, bool excludeInactive,
                                    QObject* context, Callback<QStringList> callback);
    /// POST /admin/workspaces/getInfo: starts a scan of 1–100 workspaces.
    quint64 adminRequestScan(const QStringList& workspaceIds, const ScanOptions& options, QObject* context,
                             Callback<ScanRequest> callback);
    /// GET /admin/workspaces/scanStatus/{scanId}
    quint64 adminScanStatus(const QString& scanId, QObject* context, Callback<ScanRequest> callback);
    /// GET /admin/workspaces/scanResult/{scanId}: only after the status says Succeeded.
    quint64 adminScanResult(const QString& scanId, QObject* context, Callback<ScanResult> callback);
    /// GET /admin/activityevents: one page.
    quint64 adminActivityEvents(const ActivityQuery& query, QObject* context, Callback<ActivityPage> callback);
    /// Admin scope: every item of a kind in the tenant (items carry workspaceId), or in one
    /// workspace the identity need not be a member of.
    quint64 adminReports(const AdminItemsQuery& query, QObject* context, Callback<std::vector<Report>> callback);
    quint64 adminDatasets(const AdminItemsQuery& query, QObject* context, Callback<std::vector<Dataset>> callback);
    quint64 adminDashboards(const AdminItemsQuery& query, QObject* context,
                            Callback<std::vector<Dashboard>> callback);
    quint64 adminDataflows(const AdminItemsQuery& query, QObject* context, Callback<std::vector<Dataflow>> callback);
    quint64 adminGroupReports(const QString& groupId, QObject* context, Callback<std::vector<Report>> callback);
    quint64 adminGroupDatasets(const QString& groupId, QObject* context, Callback<std::vector<Dataset>> callback);
    quint64 adminGroupDashboards(const QString& groupId, QObject* context,
                                 Callback<std::vector<Dashboard>> callback);
    quint64 adminGroupDataflows(const QString& groupId, QObject* context, Callback<std::vector<Dataflow>> callback);
    quint64 adminGroupUsers(const QString& groupId, QObject* context, Callback<std::vector<GroupUser>> callback);
    quint64 adminDatasetDatasources(const QString& datasetId, QObject* context,
                                    Callback<std::vector<Datasource>> callback);
    quint64 adminDashboardTiles(const QString& dashboardId, QObject* context, Callback<std::vector<Tile>> callback);
    quint64 adminCapacities(QObject* context, Callback<std::vector<Capacity>> callback);
    /// GET /admin/apps?$top=N and /admin/pipelines?$top=N ($top is required by the service).
    quint64 adminApps(int top, QObject* context, Callback<std::vector<App>> callback);
    quint64 adminPipelines(int top, QObject* context, Callback<std::vector<Pipeline>> callback);
    /// POST /groups/{id}/reports/{id}/GenerateToken
    quint64 generateReportToken(const QString& groupId, const QString& reportId, const GenerateTokenRequest& request,
                                QObject* context, Callback<EmbedToken> callback);
    /// POST /groups/{id}/datasets/{id}/GenerateToken
    quint64 generateDatasetToken(const QString& groupId, const QString& datasetId, const GenerateTokenRequest& request,
                                 QObject* context, Callback<EmbedToken> callback);
    /// POST /GenerateToken: reports, models and target workspaces in one token.
    quint64 generateToken(const GenerateTokenRequestV2& request, QObject* context, Callback<EmbedToken> callback);
    /// The URL and body a GenerateToken call sends, for copy-as-cURL before anything is sent.
    HttpRequest generateTokenRequest(const QStringList& segments, const QByteArray& body) const;
    /// GET /capacities
    quint64 listCapacities(QObject* context, Callback<std::vector<Capacity>> callback);
    /// GET /gateways
    quint64 listGateways(QObject* context, Callback<std::vector<Gateway>> callback);
    /// GET /apps (not for service principals: the service answers 401 "API is not accessible")
    quint64 listApps(QObject* context, Callback<std::vector<App>> callback);
    /// GET /pipelines
    quint64 listPipelines(QObject* context, Callback<std::vector<Pipeline>> callback);
    /// GET /pipelines/{id}/stages
    quint64 listPipelineStages(const QString& pipelineId, QObject* context,
                               Callback<std::vector<PipelineStage>> callback);
    /// GET /admin/groups?$top=&$skip=[&$expand=][&$filter=]: one page. See AdminWorkspacePager.
    quint64 adminWorkspacesPage(const AdminGroupsQuery& query, QObject* context,
                                Callback<std::vector<Workspace>> callback);

private:
    using RawCallback = std::function<void(Result<HttpResponse>)>;
    /// Sends with the identity's bearer token (the transport injects and renews it).
    quint64 sendAuthorized(HttpRequest request, QObject* context, RawCallback callback);
    template <typename T>
    quint64 getList(const QStringList& segments, const QUrlQuery& query, QObject* context,
                    Callback<std::vector<T>> callback);
    template <typename T>
    quint64 getParsed(HttpRequest request, QObject* context, Callback<T> callback,
                      Result<T> (*parse)(const HttpResponse&));
    template <typename T>
    quint64 getObject(const QStringList& segments, QObject* context, Callback<T> callback);
    quint64 sendForDone(HttpRequest request, QObject* context, Callback<Done> callback);
    QUrl url(const QStringList& segments, const QUrlQuery& query = {}) const;

    Transport* m_transport;
    TokenProvider* m_tokens;
    Cloud m_cloud;
};

} // namespace pbi
