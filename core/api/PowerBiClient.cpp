#include "api/PowerBiClient.h"

#include "api/JsonMapping.h"
#include "http/ErrorDecoder.h"
#include "http/Transport.h"

namespace pbi {

namespace {
const QString kGroups = QStringLiteral("groups");
const QString kDatasets = QStringLiteral("datasets");
const QString kDataflows = QStringLiteral("dataflows");

/// Dataflow management is not for service principals (api-digest §2, §8): the service answers
/// an app-only token with 401 {"Message":"API is not accessible for application"}. Say what that
/// means here and what to do, in place of the decoder's general hint.
Error explainDataflowRefusal(Error e)
{
    if (e.httpStatus == 401 && e.message.contains(QLatin1String("not accessible for application"),
                                                  Qt::CaseInsensitive)) {
        e.sentence = QStringLiteral("The service does not let a service principal manage dataflows: it "
                                    "refused this app-only identity (\"%1\").")
                         .arg(e.message);
        e.hint = QStringLiteral("Sign in as a user instead — a connection with device code or interactive "
                                "(browser) sign-in — who is at least a Contributor in the workspace.");
    }
    return e;
}

template <typename T>
std::function<void(Result<T>)> explainingRefusal(std::function<void(Result<T>)> callback)
{
    return [callback = std::move(callback)](Result<T> r) {
        if (!r)
            return callback(explainDataflowRefusal(r.error()));
        callback(std::move(r));
    };
}
} // namespace

PowerBiClient::PowerBiClient(Transport* transport, TokenProvider* tokens, Cloud cloud,
                             QObject* parent)
    : QObject(parent)
    , m_transport(transport)
    , m_tokens(tokens)
    , m_cloud(std::move(cloud))
{
}

QUrl PowerBiClient::url(const QStringList& segments, const QUrlQuery& query) const
{
    // Ids come from the user or the service: encode each one so that "../x" or "a/b" can
    // never reach another route.
    QStringList encoded;
    for (const QString& s : segments)
        encoded << QString::fromLatin1(QUrl::toPercentEncoding(s));
    QUrl u = m_cloud.apiUrl(QString());
    QString path = u.path(QUrl::FullyEncoded);
    if (!path.endsWith(QLatin1Char('/')))
        path += QLatin1Char('/');
    u.setPath(path + encoded.join(QLatin1Char('/')), QUrl::TolerantMode);
    if (!query.isEmpty())
        u.setQuery(query);
    return u;
}

quint64 PowerBiClient::sendAuthorized(HttpRequest request, QObject* context, RawCallback callback)
{
    // The transport adds the bearer token before every attempt and renews it once when the
    // service says it expired in flight (403 TokenExpired).
    request.bearer = m_tokens;
    request.setHeader("Accept", "application/json");
    return m_transport->send(std::move(request), context, std::move(callback));
}

template <typename T>
quint64 PowerBiClient::getList(const QStringList& segments, const QUrlQuery& query, QObject* context,
                               Callback<std::vector<T>> callback)
{
    HttpRequest req;
    req.url = url(segments, query);
    return sendAuthorized(std::move(req), context, [callback = std::move(callback)](Result<HttpResponse> r) {
        if (!r)
            return callback(r.error());
        if (!r.value().isSuccess())
            return callback(ErrorDecoder::fromService(r.value()));
        callback(mapping::parseCollection<T>(r.value()));
    });
}

template <typename T>
quint64 PowerBiClient::getObject(const QStringList& segments, QObject* context, Callback<T> callback)
{
    HttpRequest req;
    req.url = url(segments);
    return sendAuthorized(std::move(req), context, [callback = std::move(callback)](Result<HttpResponse> r) {
        if (!r)
            return callback(r.error());
        if (!r.value().isSuccess())
            return callback(ErrorDecoder::fromService(r.value()));
        callback(mapping::parseObject<T>(r.value()));
    });
}

quint64 PowerBiClient::listWorkspaces(QObject* context, Callback<std::vector<Workspace>> callback)
{
    return getList<Workspace>({kGroups}, {}, context, std::move(callback));
}

quint64 PowerBiClient::listWorkspaceUsers(const QString& groupId, QObject* context,
                                          Callback<std::vector<GroupUser>> callback)
{
    return getList<GroupUser>({kGroups, groupId, QStringLiteral("users")}, {}, context, std::move(callback));
}

quint64 PowerBiClient::listReports(const QString& groupId, QObject* context,
                                   Callback<std::vector<Report>> callback)
{
    return getList<Report>({kGroups, groupId, QStringLiteral("reports")}, {}, context, std::move(callback));
}

quint64 PowerBiClient::listDatasets(const QString& groupId, QObject* context,
                                    Callback<std::vector<Dataset>> callback)
{
    return getList<Dataset>({kGroups, groupId, kDatasets}, {}, context, std::move(callback));
}

quint64 PowerBiClient::listDashboards(const QString& groupId, QObject* context,
                                      Callback<std::vector<Dashboard>> callback)
{
    return getList<Dashboard>({kGroups, groupId, QStringLiteral("dashboards")}, {}, context,
                              std::move(callback));
}

quint64 PowerBiClient::listTiles(const QString& groupId, const QString& dashboardId, QObject* context,
                                 Callback<std::vector<Tile>> callback)
{
    return getList<Tile>({kGroups, groupId, QStringLiteral("dashboards"), dashboardId, QStringLiteral("tiles")},
                         {}, context, std::move(callback));
}

quint64 PowerBiClient::listDataflows(const QString& groupId, QObject* context,
                                     Callback<std::vector<Dataflow>> callback)
{
    return getList<Dataflow>({kGroups, groupId, QStringLiteral("dataflows")}, {}, context,
                             std::move(callback));
}

quint64 PowerBiClient::listDatasources(const QString& groupId, const QString& datasetId, QObject* context,
                                       Callback<std::vector<Datasource>> callback)
{
    return getList<Datasource>({kGroups, groupId, kDatasets, datasetId, QStringLiteral("datasources")}, {},
                               context, std::move(callback));
}

quint64 PowerBiClient::listParameters(const QString& groupId, const QString& datasetId, QObject* context,
                                      Callback<std::vector<MashupParameter>> callback)
{
    return getList<MashupParameter>({kGroups, groupId, kDatasets, datasetId, QStringLiteral("parameters")},
                                    {}, context, std::move(callback));
}

quint64 PowerBiClient::refreshHistory(const QString& groupId, const QString& datasetId,
                                      std::optional<int> top, QObject* context,
                                      Callback<std::vector<Refresh>> callback)
{
    QUrlQuery q;
    if (top)
        q.addQueryItem(QStringLiteral("$top"), QString::number(*top));
    return getList<Refresh>({kGroups, groupId, kDatasets, datasetId, QStringLiteral("refreshes")}, q,
                            context, std::move(callback));
}

quint64 PowerBiClient::refreshSchedule(const QString& groupId, const QString& datasetId, QObject* context,
                                       Callback<RefreshSchedule> callback)
{
    return getObject<RefreshSchedule>({kGroups, groupId, kDatasets, datasetId, QStringLiteral("refreshSchedule")},
                                      context, std::move(callback));
}

quint64 PowerBiClient::sendForDone(HttpRequest request, QObject* context, Callback<Done> callback)
{
    return sendAuthorized(std::move(request), context, [callback = std::move(callback)](Result<HttpResponse> r) {
        if (!r)
            return callback(r.error());
        if (!r.value().isSuccess())
            return callback(ErrorDecoder::fromService(r.value()));
        callback(Done{});
    });
}

quint64 PowerBiClient::triggerRefresh(const QString& groupId, const QString& datasetId,
                                      const RefreshRequest& request, QObject* context,
                                      Callback<TriggeredRefresh> callback)
{
    HttpRequest req;
    req.method = "POST";
    req.url = url({kGroups, groupId, kDatasets, datasetId, QStringLiteral("refreshes")});
    req.body = mapping::toBody(request);
    req.setHeader("Content-Type", "application/json");
    const bool enhanced = request.isEnhanced();
    return sendAuthorized(std::move(req), context,
                          [callback = std::move(callback), enhanced](Result<HttpResponse> r) {
        if (!r)
            return callback(r.error());
        const HttpResponse& resp = r.value();
        if (!resp.isSuccess())
            return callback(ErrorDecoder::fromService(resp));
        TriggeredRefresh t;
        t.enhanced = enhanced;
        t.acceptedAt = resp.receivedAt;
        t.location = QUrl(QString::fromUtf8(resp.header("Location")));
        // The refresh's id: the Location's last segment, else x-ms-request-id (the spec's
        // header for it), else the call's RequestId (which the service reuses for the refresh).
        const QString fromLocation = t.location.path().section(QLatin1Char('/'), -1);
        const int at = t.location.path().lastIndexOf(QLatin1String("/refreshes/"));
        if (at >= 0 && !fromLocation.isEmpty())
            t.requestId = fromLocation;
        else if (const QByteArray h = resp.header("x-ms-request-id"); !h.isEmpty())
            t.requestId = QString::fromLatin1(h);
        else
            t.requestId = resp.requestId();
        callback(std::move(t));
    });
}

quint64 PowerBiClient::refreshExecution(const QString& groupId, const QString& datasetId,
                                        const QString& refreshId, QObject* context,
                                        Callback<RefreshExecution> callback)
{
    HttpRequest req;
    req.url = url({kGroups, groupId, kDatasets, datasetId, QStringLiteral("refreshes"), refreshId});
    return sendAuthorized(std::move(req), context, [callback = std::move(callback)](Result<HttpResponse> r) {
        if (!r)
            return callback(r.error());
        if (!r.value().isSuccess())
            return callback(ErrorDecoder::fromService(r.value()));
        auto parsed = mapping::parseObject<RefreshExecution>(r.value());
        if (parsed)
            parsed.value().inProgress = r.value().status == 202;
        callback(std::move(parsed));
    });
}

quint64 PowerBiClient::cancelRefresh(const QString& groupId, const QString& datasetId,
                                     const QString& refreshId, QObject* context, Callback<Done> callback)
{
    HttpRequest req;
    req.method = "DELETE";
    req.url = url({kGroups, groupId, kDatasets, datasetId, QStringLiteral("refreshes"), refreshId});
    return sendForDone(std::move(req), context, std::move(callback));
}

quint64 PowerBiClient::updateRefreshSchedule(const QString& groupId, const QString& datasetId,
                                             const RefreshScheduleUpdate& update, QObject* context,
                                             Callback<Done> callback)
{
    HttpRequest req;
    req.method = "PATCH";
    req.url = url({kGroups, groupId, kDatasets, datasetId, QStringLiteral("refreshSchedule")});
    req.body = mapping::toBody(update);
    req.setHeader("Content-Type", "application/json");
    req.safeToRetry = true; // the same PATCH twice leaves the same schedule
    return sendForDone(std::move(req), context, std::move(callback));
}

quint64 PowerBiClient::takeOverDataset(const QString& groupId, const QString& datasetId, QObject* context,
                                       Callback<Done> callback)
{
    HttpRequest req;
    req.method = "POST";
    req.url = url({kGroups, groupId, kDatasets, datasetId, QStringLiteral("Default.TakeOver")});
    req.safeToRetry = true; // taking over twice leaves the same owner
    return sendForDone(std::move(req), context, std::move(callback));
}

quint64 PowerBiClient::dataflowTransactions(const QString& groupId, const QString& dataflowId,
                                            QObject* context,
                                            Callback<std::vector<DataflowTransaction>> callback)
{
    return getList<DataflowTransaction>({kGroups, groupId, kDataflows, dataflowId, QStringLiteral("transactions")},
                                        {}, context, explainingRefusal(std::move(callback)));
}

quint64 PowerBiClient::refreshDataflow(const QString& groupId, const QString& dataflowId,
                                       const DataflowRefreshRequest& request, QObject* context,
                                       Callback<TriggeredDataflowRefresh> callback)
{
    QUrlQuery q;
    if (request.processType)
        q.addQueryItem(QStringLiteral("processType"), *request.processType);
    HttpRequest req;
    req.method = "POST";
    req.url = url({kGroups, groupId, kDataflows, dataflowId, QStringLiteral("refreshes")}, q);
    req.body = mapping::toBody(request);
    req.setHeader("Content-Type", "application/json");
    return sendAuthorized(std::move(req), context,
                          [callback = explainingRefusal(std::move(callback)),
                           notify = request.notifyOption](Result<HttpResponse> r) {
        if (!r)
            return callback(r.error());
        if (!r.value().isSuccess())
            return callback(ErrorDecoder::fromService(r.value()));
        TriggeredDataflowRefresh t;
        t.acceptedAt = r.value().receivedAt;
        t.notifyOption = notify;
        callback(std::move(t));
    });
}

quint64 PowerBiClient::cancelDataflowTransaction(const QString& groupId, const QString& transactionId,
                                                 QObject* context, Callback<DataflowCancelResult> callback)
{
    HttpRequest req;
    req.method = "POST";
    req.url = url({kGroups, groupId, kDataflows, QStringLiteral("transactions"), transactionId,
                   QStringLiteral("cancel")});
    req.safeToRetry = true; // asking twice to cancel the same transaction changes nothing more
    return getParsed<DataflowCancelResult>(std::move(req), context, explainingRefusal(std::move(callback)),
                                           &mapping::parseObject<DataflowCancelResult>);
}

quint64 PowerBiClient::updateDataflowRefreshSchedule(const QString& groupId, const QString& dataflowId,
                                                     const RefreshScheduleUpdate& update, QObject* context,
                                                     Callback<Done> callback)
{
    HttpRequest req;
    req.method = "PATCH";
    req.url = url({kGroups, groupId, kDataflows, dataflowId, QStringLiteral("refreshSchedule")});
    req.body = mapping::toBody(update);
    req.setHeader("Content-Type", "application/json");
    req.safeToRetry = true; // the same PATCH twice leaves the same schedule
    return sendForDone(std::move(req), context, explainingRefusal(std::move(callback)));
}

quint64 PowerBiClient::adminRefreshables(const AdminRefreshablesQuery& query, QObject* context,
                                         Callback<std::vector<Refreshable>> callback)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("$top"), QString::number(query.top));
    if (query.skip > 0)
        q.addQueryItem(QStringLiteral("$skip"), QString::number(query.skip));
    if (!query.filter.isEmpty())
        q.addQueryItem(QStringLiteral("$filter"), QString::fromLatin1(QUrl::toPercentEncoding(query.filter)));
    if (!query.expand.isEmpty())
        q.addQueryItem(QStringLiteral("$expand"), query.expand);
    return getList<Refreshable>({QStringLiteral("admin"), QStringLiteral("capacities"), QStringLiteral("refreshables")},
                                q, context, std::move(callback));
}

template <typename T>
quint64 PowerBiClient::getParsed(HttpRequest request, QObject* context, Callback<T> callback,
                                 Result<T> (*parse)(const HttpResponse&))
{
    return sendAuthorized(std::move(request), context,
                          [callback = std::move(callback), parse](Result<HttpResponse> r) {
        if (!r)
            return callback(r.error());
        if (!r.value().isSuccess())
            return callback(ErrorDecoder::fromService(r.value()));
        callback(parse(r.value()));
    });
}

quint64 PowerBiClient::adminModifiedWorkspaces(const QDateTime& since, bool excludePersonal, bool excludeInactive,
                                               QObject* context, Callback<QStringList> callback)
{
    QUrlQuery q;
    if (since.isValid())
        q.addQueryItem(QStringLiteral("modifiedSince"), since.toUTC().toString(Qt::ISODateWithMs));
    if (excludePersonal)
        q.addQueryItem(QStringLiteral("excludePersonalWorkspaces"), QStringLiteral("true"));
    if (excludeInactive)
        q.addQueryItem(QStringLiteral("excludeInActiveWorkspaces"), QStringLiteral("true"));
    HttpRequest req;
    req.url = url({QStringLiteral("admin"), QStringLiteral("workspaces"), QStringLiteral("modified")}, q);
    return getParsed<QStringList>(std::move(req), context, std::move(callback), &mapping::parseModifiedWorkspaces);
}

quint64 PowerBiClient::adminRequestScan(const QStringList& workspaceIds, const ScanOptions& options,
                                        QObject* context, Callback<ScanRequest> callback)
{
    QUrlQuery q;
    const auto flag = [&q](const char* name, bool on) {
        if (on)
            q.addQueryItem(QLatin1String(name), QStringLiteral("true"));
    };
    flag("lineage", options.lineage);
    flag("datasourceDetails", options.datasourceDetails);
    flag("datasetSchema", options.datasetSchema);
    flag("datasetExpressions", options.datasetExpressions);
    flag("getArtifactUsers", options.getArtifactUsers);
    HttpRequest req;
    req.method = "POST";
    req.url = url({QStringLiteral("admin"), QStringLiteral("workspaces"), QStringLiteral("getInfo")}, q);
    req.body = mapping::toScanBody(workspaceIds);
    req.setHeader("Content-Type", "application/json");
    return getParsed<ScanRequest>(std::move(req), context, std::move(callback), &mapping::parseScanRequest);
}

quint64 PowerBiClient::adminScanStatus(const QString& scanId, QObject* context, Callback<ScanRequest> callback)
{
    HttpRequest req;
    req.url = url({QStringLiteral("admin"), QStringLiteral("workspaces"), QStringLiteral("scanStatus"), scanId});
    return getParsed<ScanRequest>(std::move(req), context, std::move(callback), &mapping::parseScanRequest);
}

quint64 PowerBiClient::adminScanResult(const QString& scanId, QObject* context, Callback<ScanResult> callback)
{
    HttpRequest req;
    req.url = url({QStringLiteral("admin"), QStringLiteral("workspaces"), QStringLiteral("scanResult"), scanId});
    req.timeout = std::chrono::milliseconds(120000); // results of 100 workspaces can be large
    return getParsed<ScanResult>(std::move(req), context, std::move(callback), &mapping::parseScanResult);
}

quint64 PowerBiClient::adminActivityEvents(const ActivityQuery& query, QObject* context,
                                           Callback<ActivityPage> callback)
{
    // The service wants its values in single quotes; the continuation token arrives URL-encoded
    // and goes back decoded and quoted (as Microsoft's own cmdlet does). Never follow the
    // continuationUri itself: the bearer token must only go to the cloud's own API host.
    const auto quoted = [](const QString& v) -> QString { return QLatin1Char('\'') + v + QLatin1Char('\''); };
    QUrlQuery q;
    if (!query.continuationToken.isEmpty()) {
        q.addQueryItem(QStringLiteral("continuationToken"),
                       QString::fromLatin1(QUrl::toPercentEncoding(
                           quoted(QUrl::fromPercentEncoding(query.continuationToken.toLatin1())))));
    } else {
        const QString fmt = QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ");
        q.addQueryItem(QStringLiteral("startDateTime"), quoted(query.start.toUTC().toString(fmt)));
        q.addQueryItem(QStringLiteral("endDateTime"), quoted(query.end.toUTC().toString(fmt)));
        if (!query.filter.isEmpty())
            q.addQueryItem(QStringLiteral("$filter"), QString::fromLatin1(QUrl::toPercentEncoding(query.filter)));
    }
    HttpRequest req;
    req.url = url({QStringLiteral("admin"), QStringLiteral("activityevents")}, q);
    return getParsed<ActivityPage>(std::move(req), context, std::move(callback), &mapping::parseActivityPage);
}

HttpRequest PowerBiClient::generateTokenRequest(const QStringList& segments, const QByteArray& body) const
{
    HttpRequest req;
    req.method = "POST";
    req.url = url(segments);
    req.body = body;
    req.setHeader("Content-Type", "application/json");
    req.setHeader("Accept", "application/json");
    // A token request changes nothing on the service: sending it twice is harmless.
    req.safeToRetry = true;
    return req;
}

quint64 PowerBiClient::generateReportToken(const QString& groupId, const QString& reportId,
                                           const GenerateTokenRequest& request, QObject* context,
                                           Callback<EmbedToken> callback)
{
    return getParsed<EmbedToken>(
        generateTokenRequest({kGroups, groupId, QStringLiteral("reports"), reportId, QStringLiteral("GenerateToken")},
                             mapping::toBody(request)),
        context, std::move(callback), &mapping::parseEmbedToken);
}

quint64 PowerBiClient::generateDatasetToken(const QString& groupId, const QString& datasetId,
                                            const GenerateTokenRequest& request, QObject* context,
                                            Callback<EmbedToken> callback)
{
    return getParsed<EmbedToken>(
        generateTokenRequest({kGroups, groupId, kDatasets, datasetId, QStringLiteral("GenerateToken")},
                             mapping::toBody(request)),
        context, std::move(callback), &mapping::parseEmbedToken);
}

quint64 PowerBiClient::generateToken(const GenerateTokenRequestV2& request, QObject* context,
                                     Callback<EmbedToken> callback)
{
    return getParsed<EmbedToken>(generateTokenRequest({QStringLiteral("GenerateToken")}, mapping::toBody(request)),
                                 context, std::move(callback), &mapping::parseEmbedToken);
}

namespace {
const QString kAdmin = QStringLiteral("admin");

QUrlQuery adminQuery(const AdminItemsQuery& q)
{
    QUrlQuery out;
    if (q.top)
        out.addQueryItem(QStringLiteral("$top"), QString::number(*q.top));
    if (q.skip)
        out.addQueryItem(QStringLiteral("$skip"), QString::number(*q.skip));
    if (!q.filter.isEmpty())
        out.addQueryItem(QStringLiteral("$filter"), QString::fromLatin1(QUrl::toPercentEncoding(q.filter)));
    return out;
}
} // namespace

quint64 PowerBiClient::adminReports(const AdminItemsQuery& q, QObject* context, Callback<std::vector<Report>> cb)
{
    return getList<Report>({kAdmin, QStringLiteral("reports")}, adminQuery(q), context, std::move(cb));
}

quint64 PowerBiClient::adminDatasets(const AdminItemsQuery& q, QObject* context, Callback<std::vector<Dataset>> cb)
{
    return getList<Dataset>({kAdmin, kDatasets}, adminQuery(q), context, std::move(cb));
}

quint64 PowerBiClient::adminDashboards(const AdminItemsQuery& q, QObject* context,
                                       Callback<std::vector<Dashboard>> cb)
{
    return getList<Dashboard>({kAdmin, QStringLiteral("dashboards")}, adminQuery(q), context, std::move(cb));
}

quint64 PowerBiClient::adminDataflows(const AdminItemsQuery& q, QObject* context, Callback<std::vector<Dataflow>> cb)
{
    return getList<Dataflow>({kAdmin, QStringLiteral("dataflows")}, adminQuery(q), context, std::move(cb));
}

quint64 PowerBiClient::adminGroupReports(const QString& groupId, QObject* context, Callback<std::vector<Report>> cb)
{
    return getList<Report>({kAdmin, kGroups, groupId, QStringLiteral("reports")}, {}, context, std::move(cb));
}

quint64 PowerBiClient::adminGroupDatasets(const QString& groupId, QObject* context, Callback<std::vector<Dataset>> cb)
{
    return getList<Dataset>({kAdmin, kGroups, groupId, kDatasets}, {}, context, std::move(cb));
}

quint64 PowerBiClient::adminGroupDashboards(const QString& groupId, QObject* context,
                                            Callback<std::vector<Dashboard>> cb)
{
    return getList<Dashboard>({kAdmin, kGroups, groupId, QStringLiteral("dashboards")}, {}, context, std::move(cb));
}

quint64 PowerBiClient::adminGroupDataflows(const QString& groupId, QObject* context,
                                           Callback<std::vector<Dataflow>> cb)
{
    return getList<Dataflow>({kAdmin, kGroups, groupId, QStringLiteral("dataflows")}, {}, context, std::move(cb));
}

quint64 PowerBiClient::adminGroupUsers(const QString& groupId, QObject* context, Callback<std::vector<GroupUser>> cb)
{
    return getList<GroupUser>({kAdmin, kGroups, groupId, QStringLiteral("users")}, {}, context, std::move(cb));
}

quint64 PowerBiClient::adminDatasetDatasources(const QString& datasetId, QObject* context,
                                               Callback<std::vector<Datasource>> cb)
{
    return getList<Datasource>({kAdmin, kDatasets, datasetId, QStringLiteral("datasources")}, {}, context,
                               std::move(cb));
}

quint64 PowerBiClient::adminDashboardTiles(const QString& dashboardId, QObject* context, Callback<std::vector<Tile>> cb)
{
    return getList<Tile>({kAdmin, QStringLiteral("dashboards"), dashboardId, QStringLiteral("tiles")}, {}, context,
                         std::move(cb));
}

quint64 PowerBiClient::adminCapacities(QObject* context, Callback<std::vector<Capacity>> cb)
{
    return getList<Capacity>({kAdmin, QStringLiteral("capacities")}, {}, context, std::move(cb));
}

quint64 PowerBiClient::adminApps(int top, QObject* context, Callback<std::vector<App>> cb)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("$top"), QString::number(top));
    return getList<App>({kAdmin, QStringLiteral("apps")}, q, context, std::move(cb));
}

quint64 PowerBiClient::adminPipelines(int top, QObject* context, Callback<std::vector<Pipeline>> cb)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("$top"), QString::number(top));
    return getList<Pipeline>({kAdmin, QStringLiteral("pipelines")}, q, context, std::move(cb));
}

quint64 PowerBiClient::listCapacities(QObject* context, Callback<std::vector<Capacity>> callback)
{
    return getList<Capacity>({QStringLiteral("capacities")}, {}, context, std::move(callback));
}

quint64 PowerBiClient::listGateways(QObject* context, Callback<std::vector<Gateway>> callback)
{
    return getList<Gateway>({QStringLiteral("gateways")}, {}, context, std::move(callback));
}

quint64 PowerBiClient::listApps(QObject* context, Callback<std::vector<App>> callback)
{
    return getList<App>({QStringLiteral("apps")}, {}, context, std::move(callback));
}

quint64 PowerBiClient::listPipelines(QObject* context, Callback<std::vector<Pipeline>> callback)
{
    return getList<Pipeline>({QStringLiteral("pipelines")}, {}, context, std::move(callback));
}

quint64 PowerBiClient::listPipelineStages(const QString& pipelineId, QObject* context,
                                          Callback<std::vector<PipelineStage>> callback)
{
    return getList<PipelineStage>({QStringLiteral("pipelines"), pipelineId, QStringLiteral("stages")}, {},
                                  context, std::move(callback));
}

quint64 PowerBiClient::adminWorkspacesPage(const AdminGroupsQuery& query, QObject* context,
                                           Callback<std::vector<Workspace>> callback)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("$top"), QString::number(query.top));
    if (query.skip > 0)
        q.addQueryItem(QStringLiteral("$skip"), QString::number(query.skip));
    if (!query.expand.isEmpty())
        q.addQueryItem(QStringLiteral("$expand"), query.expand);
    if (!query.filter.isEmpty())
        q.addQueryItem(QStringLiteral("$filter"), QString::fromLatin1(QUrl::toPercentEncoding(query.filter)));
    return getList<Workspace>({QStringLiteral("admin"), kGroups}, q, context, std::move(callback));
}

} // namespace pbi
