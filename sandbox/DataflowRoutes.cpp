// Power BI REST emulation: dataflow refreshes — the transactions history, trigger, cancel and
// the refresh schedule (reference/api-digest.md §2 "Dataflows"; spec Dataflows_*). The runs
// themselves are the refresh engine's (RefreshEngine.h), on the one sandbox clock.

#include "PowerBiService.h"

#include "EntityJson.h"
#include "HttpServer.h"
#include "RefreshEngine.h"
#include "WireHelpers.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace pbi::sandbox {

namespace {

using nlohmann::json;

void invalid(Response& res, const std::string& message)
{
    wire::serviceError(res, 400, "InvalidRequest", message);
}

bool equalsIgnoreCase(const std::string& a, const std::string& b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower((unsigned char)x) == std::tolower((unsigned char)y);
           });
}

json transactionJson(const DataflowTransaction& t)
{
    json j = {{"id", t.id},
              {"refreshType", t.refreshType},
              {"startTime", entity::isoMs(t.startTime)},
              {"status", t.status}};
    if (t.endTime)
        j["endTime"] = entity::isoMs(*t.endTime);
    return j;
}

/// The shape of the spec's transaction ids: "<time>Z@<guid>$<n>".
bool isTransactionId(const std::string& s)
{
    static const std::regex shape(
        R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z@[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\$\d+$)");
    return s.size() < 120 && std::regex_match(s, shape);
}

} // namespace

const Workspace* PowerBiService::dataflowWorkspace(const Request& req, Response& res,
                                                   const Caller& caller, const Dataflow** dataflow)
{
    // "Dataflow management is not supported for service principals" (api-digest §2, §8): an
    // app-only token gets the service's answer for routes a service principal may not use,
    // the capital-M body of §5 shape 3 (that the history is refused as well is inferred).
    if (caller.appOnly) {
        wire::json(res, 401, {{"Message", "API is not accessible for application"}});
        return nullptr;
    }
    const std::string* role = nullptr;
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, &role);
    if (!w)
        return nullptr;
    if (dataflow) {
        *dataflow = nullptr;
        for (const auto& d : w->dataflows)
            if (equalsIgnoreCase(d.objectId, req.pathParams[1]))
                *dataflow = &d;
        if (!*dataflow) {
            wire::pbiError(res, 404, "PowerBIEntityNotFound");
            return nullptr;
        }
    }
    // As for a model's refreshes: Viewers may not refresh, read the history or schedule
    // (status and body as for other permission failures; inferred).
    if (roleRank(*role) < roleRank("Contributor")) {
        wire::pbiError(res, 401, "PowerBINotAuthorizedException");
        return nullptr;
    }
    return w;
}

void PowerBiService::dataflowTransactions(const Request& req, Response& res, const Caller& caller)
{
    const Dataflow* d = nullptr;
    const Workspace* w = dataflowWorkspace(req, res, caller, &d);
    if (!w)
        return;
    // The spec gives this route no query options (no $top): the whole history the service
    // keeps, newest first; options it does not know are ignored, as the service does. A
    // refresh accepted a moment ago is not listed yet (DataflowTransaction::visibleFrom).
    const UnixMs now = m_sb.m_refresh->now();
    json items = json::array();
    for (auto it = d->transactions.rbegin(); it != d->transactions.rend(); ++it)
        if (it->visibleFrom <= now)
            items.push_back(transactionJson(*it));
    collection(res, "groups/" + w->id + "/transactions", std::move(items));
}

void PowerBiService::refreshDataflow(const Request& req, Response& res, const Caller& caller)
{
    const Dataflow* d = nullptr;
    const Workspace* w = dataflowWorkspace(req, res, caller, &d);
    if (!w)
        return;
    // Wording of the refusals below inferred.
    if (const std::string* type = req.queryValue("processType")) {
        if (!equalsIgnoreCase(*type, "default") && !equalsIgnoreCase(*type, "processFull")) {
            invalid(res, "Invalid dataflow refresh request. 'processType' must be default or "
                         "processFull, not '" +
                             type->substr(0, 100) + "'.");
            return;
        }
    }
    const auto body = refreshwire::body(req);
    if (!body) {
        invalid(res, "Invalid dataflow refresh request. The request body is not a valid JSON "
                     "object.");
        return;
    }
    // The spec marks notifyOption required (RefreshRequest) and lists MailOnFailure and
    // NoNotification only: "MailOnCompletion isn't supported".
    const auto it = body->find("notifyOption");
    if (it == body->end() || it->is_null()) {
        invalid(res, "Invalid dataflow refresh request. 'notifyOption' is required: "
                     "NoNotification or MailOnFailure.");
        return;
    }
    const std::string option = it->is_string() ? it->get<std::string>() : it->dump();
    if (it->is_string() && equalsIgnoreCase(option, "MailOnCompletion")) {
        invalid(res, "Invalid NotifyOption value 'MailOnCompletion': dataflow refreshes support "
                     "only NoNotification and MailOnFailure.");
        return;
    }
    if (!it->is_string() ||
        (!equalsIgnoreCase(option, "NoNotification") && !equalsIgnoreCase(option, "MailOnFailure"))) {
        invalid(res, "Invalid NotifyOption value '" + option.substr(0, 100) +
                         "'. Use one of: NoNotification, MailOnFailure.");
        return;
    }
    RefreshEngine& engine = *m_sb.m_refresh;
    if (engine.runningDataflow(d->objectId)) {
        invalid(res, "Invalid dataflow refresh request. Another refresh of the dataflow is "
                     "already in progress");
        return;
    }
    engine.startDataflow(d->objectId);
    // 200 OK and no body (spec); unlike an enhanced model refresh nothing names the new
    // transaction: clients find it in the history.
    res.status = 200;
    res.body.clear();
    res.contentType = "application/octet-stream";
}

void PowerBiService::cancelDataflowTransaction(const Request& req, Response& res,
                                               const Caller& caller)
{
    const Workspace* w = dataflowWorkspace(req, res, caller, nullptr);
    if (!w)
        return;
    const std::string& id = req.pathParams[1];
    // 200 with DataflowTransactionStatus whatever became of the request. The spec's enum is
    // camelCase, its captured example PascalCase ("SuccessfullyMarked"): the example is what
    // the service sends (reference/README.md). Which status an id of the wrong shape gets is
    // inferred.
    std::string status = "Invalid";
    if (isTransactionId(id)) {
        switch (m_sb.m_refresh->cancelDataflow(*w, id)) {
        case RefreshEngine::CancelOutcome::Marked: status = "SuccessfullyMarked"; break;
        case RefreshEngine::CancelOutcome::AlreadyConcluded: status = "AlreadyConcluded"; break;
        case RefreshEngine::CancelOutcome::NotFound: status = "NotFound"; break;
        }
    }
    wire::json(res, 200, {{"transactionId", id.substr(0, 200)}, {"status", status}});
}

void PowerBiService::updateDataflowRefreshSchedule(const Request& req, Response& res,
                                                   const Caller& caller)
{
    const Dataflow* found = nullptr;
    const Workspace* w = dataflowWorkspace(req, res, caller, &found);
    if (!w)
        return;
    const auto body = refreshwire::body(req);
    const auto value = body ? body->find("value") : json::const_iterator();
    if (!body || value == body->end() || !value->is_object()) {
        invalid(res, "Invalid refresh schedule request. The body must be "
                     "{\"value\": {days, times, enabled, localTimeZoneId, notifyOption}}.");
        return;
    }
    RefreshSchedule next =
        found->schedule ? *found->schedule : RefreshSchedule{{}, {}, false, "UTC", "MailOnFailure"};
    // The spec's "Disable refresh schedule example" disables with times and a time zone: for
    // dataflows a disable request may carry other fields.
    if (!refreshwire::applySchedule(*value, next, caller, w->capacityId.has_value(), false, res))
        return;
    const auto ref = m_sb.m_tenant.findDataflow(found->objectId);
    Dataflow& d = m_sb.m_tenant.workspaces[ref->workspace].dataflows[ref->item];
    d.schedule = std::move(next);
    m_sb.m_refresh->dataflowScheduleChanged(d.objectId);
    res.status = 200;
    res.body.clear();
    res.contentType = "application/octet-stream";
}

} // namespace pbi::sandbox
