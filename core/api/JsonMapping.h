#pragma once

// The JSON mapping of the core's values: the only place that knows the API's field names.
// nlohmann/json stays private to the core; callers see values or a parse Error.

#include "api/Admin.h"
#include "api/Embed.h"
#include "api/Items.h"
#include "api/Refresh.h"
#include "api/Resources.h"
#include "api/Workspace.h"
#include "http/HttpTypes.h"
#include "http/Result.h"

#include <vector>

namespace pbi::mapping {

/// `{"@odata.context": …, "value": [T…]}` → values. A missing or mistyped required field is a
/// Parse error naming the field (e.g. "value[3].id") and carrying the request id.
/// T is one of: Workspace, GroupUser, Report, Dataset, Dashboard, Tile, Dataflow, Datasource,
/// MashupParameter, Refresh, Refreshable, Capacity, Gateway, App, Pipeline, PipelineStage,
/// DataflowTransaction.
template <typename T>
Result<std::vector<T>> parseCollection(const HttpResponse& response);

/// A single object (e.g. GET …/refreshSchedule, GET /pipelines/{id}). T as above, or
/// RefreshSchedule, RefreshExecution or DataflowCancelResult.
template <typename T>
Result<T> parseObject(const HttpResponse& response);

/// The body of POST …/refreshes (only the fields that are set).
QByteArray toBody(const RefreshRequest& request);
/// The body of PATCH …/refreshSchedule: {"value": {…the fields that are set…}}.
QByteArray toBody(const RefreshScheduleUpdate& update);
/// The body of POST …/dataflows/{id}/refreshes: {"notifyOption": …} (processType is a query
/// option).
QByteArray toBody(const DataflowRefreshRequest& request);

/// GET /admin/workspaces/modified: a bare array of {"id": …}.
Result<QStringList> parseModifiedWorkspaces(const HttpResponse& response);
/// ScanRequest (getInfo, scanStatus), ScanResult, ActivityPage.
Result<ScanRequest> parseScanRequest(const HttpResponse& response);
Result<ScanResult> parseScanResult(const HttpResponse& response);
Result<ActivityPage> parseActivityPage(const HttpResponse& response);
/// {"workspaces": [ids]} for getInfo.
QByteArray toScanBody(const QStringList& workspaceIds);

/// GenerateToken bodies (V1 single item, V2 multi-resource) and the EmbedToken answer.
QByteArray toBody(const GenerateTokenRequest& request);
QByteArray toBody(const GenerateTokenRequestV2& request);
Result<EmbedToken> parseEmbedToken(const HttpResponse& response);

/// A value's rawJson (compact) indented for reading, two spaces a level; empty when the text
/// is not JSON. The UI shows this and never parses JSON itself.
QString prettyJson(const QByteArray& compactJson);

/// Kept for existing callers: parseCollection<Workspace>.
Result<std::vector<Workspace>> parseWorkspaces(const HttpResponse& response);

} // namespace pbi::mapping
