// Power BI REST emulation: refreshes that run — trigger (plain and enhanced), execution
// details, cancel, schedule updates and take-over (reference/api-digest.md §3) — and the
// sandbox control endpoints for time and refresh outcomes (docs/sandbox-control.md).

#include "PowerBiService.h"

#include "EntityJson.h"
#include "HttpServer.h"
#include "RefreshEngine.h"
#include "RefreshTimeZones.h"
#include "WireHelpers.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <regex>
#include <set>

namespace pbi::sandbox {

namespace {

using nlohmann::json;

constexpr char kRefreshTypes[][12] = {"Full",     "ClearValues", "Calculate",
                                      "DataOnly", "Automatic",   "Defragment"};
constexpr char kDays[][10] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                              "Friday", "Saturday", "Sunday"};

bool isGuid(const std::string& s)
{
    static const std::regex guid(
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    return std::regex_match(s, guid);
}

bool equalsIgnoreCase(const std::string& a, const std::string& b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower((unsigned char)x) == std::tolower((unsigned char)y);
           });
}

/// The service reads enum values in any case (the docs' examples send "full",
/// "transactional"); the canonical spelling, or empty when none matches.
template <std::size_t N, std::size_t M>
std::string canonical(const std::string& value, const char (&allowed)[N][M])
{
    for (const auto& a : allowed)
        if (equalsIgnoreCase(value, a))
            return a;
    return {};
}

template <std::size_t N, std::size_t M>
std::string listOf(const char (&allowed)[N][M])
{
    std::string out;
    for (const auto& a : allowed)
        out += (out.empty() ? "" : ", ") + std::string(a);
    return out;
}

void invalid(Response& res, const std::string& message)
{
    wire::serviceError(res, 400, "InvalidRequest", message);
}

void notFound(Response& res)
{
    wire::pbiError(res, 404, "PowerBIEntityNotFound");
}

void notAuthorized(Response& res)
{
    wire::pbiError(res, 401, "PowerBINotAuthorizedException");
}

/// 200 or 202 with no body, as the service sends them.
void emptyAnswer(Response& res, int status)
{
    res.status = status;
    res.body.clear();
    res.contentType = "application/octet-stream";
}

bool canWrite(const std::string& role)
{
    return roleRank(role) >= roleRank("Contributor");
}

/// The JSON body of a request: the service binds with Json.NET, which reads an absent or
/// `null` body as no request object, and converts "3" and "false" to numbers and booleans.
std::optional<json> jsonBody(const Request& req)
{
    const auto first = req.body.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return json::object();
    json j = json::parse(req.body, nullptr, false);
    if (j.is_null())
        return json::object();
    if (j.is_discarded() || !j.is_object())
        return std::nullopt;
    return j;
}

/// A member that is present and not null.
const json* member(const json& j, const char* key)
{
    const auto it = j.find(key);
    return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::optional<long long> integer(const json& v)
{
    if (v.is_number_integer())
        return v.get<long long>();
    if (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>())
        return (long long)v.get<double>();
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        char* end = nullptr;
        const long long n = std::strtoll(s.c_str(), &end, 10);
        if (!s.empty() && end && *end == '\0')
            return n;
    }
    return std::nullopt;
}

std::optional<bool> boolean(const json& v)
{
    if (v.is_boolean())
        return v.get<bool>();
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        if (equalsIgnoreCase(s, "true"))
            return true;
        if (equalsIgnoreCase(s, "false"))
            return false;
    }
    return std::nullopt;
}

/// "2024-03-31", "2024-03-31T00:00:00", with fraction, "Z" or an offset: UTC milliseconds.
std::optional<UnixMs> parseDateTime(const std::string& s)
{
    static const std::regex shape(
        R"(^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$)");
    std::smatch m;
    if (!std::regex_match(s, m, shape))
        return std::nullopt;
    const int y = std::stoi(m[1]), mo = std::stoi(m[2]), d = std::stoi(m[3]);
    const int h = m[4].matched ? std::stoi(m[4]) : 0, mi = m[5].matched ? std::stoi(m[5]) : 0;
    const int sec = m[6].matched ? std::stoi(m[6]) : 0;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59)
        return std::nullopt;
    // days from civil (Hinnant)
    const int yy = y - (mo <= 2);
    const int era = (yy >= 0 ? yy : yy - 399) / 400;
    const unsigned yoe = unsigned(yy - era * 400);
    const unsigned doy = unsigned((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const long long days = (long long)era * 146097 + doe - 719468;
    long long ms = ((days * 24 + h) * 60 + mi) * 60'000LL + sec * 1000LL;
    if (m[7].matched && m[7].str() != "Z") {
        const std::string z = m[7].str();
        const int offset = std::stoi(z.substr(1, 2)) * 60 + std::stoi(z.substr(4, 2));
        ms -= (z[0] == '-' ? -1 : 1) * offset * 60'000LL;
    }
    return ms;
}

/// What a POST …/refreshes body asks for.
struct RefreshBody {
    std::optional<std::string> notifyOption;
    std::optional<EnhancedRefresh> enhanced; ///< set when any enhanced parameter is present
};

/// Parses and checks the body's own rules (types, enums, formats); false with the service's
/// 400 in `res`. Unknown members are ignored, as Json.NET ignores them.
bool parseRefreshBody(const Request& req, Response& res, RefreshBody& out)
{
    const auto body = jsonBody(req);
    if (!body) {
        // Inferred wording: the service's exact text for a body that is not JSON is unknown.
        invalid(res, "Invalid dataset refresh request. The request body is not a valid JSON "
                     "object.");
        return false;
    }
    const json& j = *body;
    if (const json* v = member(j, "notifyOption")) {
        static const char options[][17] = {"NoNotification", "MailOnFailure", "MailOnCompletion"};
        const std::string c = v->is_string() ? canonical(v->get<std::string>(), options) : "";
        if (c.empty()) {
            invalid(res, "Invalid NotifyOption value '" +
                             (v->is_string() ? v->get<std::string>() : v->dump()) +
                             "'. Use one of: " + listOf(options) + ".");
            return false;
        }
        out.notifyOption = c;
    }
    static const char* const enhancedKeys[] = {"type",          "commitMode", "maxParallelism",
                                               "retryCount",    "objects",    "applyRefreshPolicy",
                                               "effectiveDate", "timeout"};
    bool enhanced = false;
    for (const char* k : enhancedKeys)
        enhanced = enhanced || member(j, k);
    if (!enhanced)
        return true;
    EnhancedRefresh e;
    // Inferred wording below: the service's texts for these refusals are not published.
    if (const json* v = member(j, "type")) {
        const std::string text = v->is_string() ? v->get<std::string>() : v->dump();
        if (equalsIgnoreCase(text, "Add")) {
            invalid(res, "Invalid dataset refresh request. The refresh type 'Add' is not "
                         "supported by the REST API.");
            return false;
        }
        e.type = v->is_string() ? canonical(text, kRefreshTypes) : "";
        if (e.type.empty()) {
            invalid(res, "Invalid dataset refresh request. '" + text +
                             "' is not a refresh type; use one of: " + listOf(kRefreshTypes) + ".");
            return false;
        }
    }
    if (const json* v = member(j, "commitMode")) {
        static const char modes[][14] = {"Transactional", "PartialBatch"};
        const std::string text = v->is_string() ? v->get<std::string>() : v->dump();
        e.commitMode = v->is_string() ? canonical(text, modes) : "";
        if (e.commitMode.empty()) {
            invalid(res, "Invalid dataset refresh request. '" + text +
                             "' is not a commit mode; use one of: " + listOf(modes) + ".");
            return false;
        }
    }
    auto intParam = [&](const char* key, long long min, int& target) {
        const json* v = member(j, key);
        if (!v)
            return true;
        const auto n = integer(*v);
        if (!n || *n < min || *n > 2147483647LL) {
            invalid(res, std::string("Invalid dataset refresh request. '") + key +
                             "' must be an integer of at least " + std::to_string(min) + ", not " +
                             v->dump() + ".");
            return false;
        }
        target = int(*n);
        return true;
    };
    if (!intParam("maxParallelism", 1, e.maxParallelism) ||
        !intParam("retryCount", 0, e.retryCount))
        return false;
    if (const json* v = member(j, "applyRefreshPolicy")) {
        const auto b = boolean(*v);
        if (!b) {
            invalid(res, "Invalid dataset refresh request. 'applyRefreshPolicy' must be true or "
                         "false, not " +
                             v->dump() + ".");
            return false;
        }
        e.applyRefreshPolicy = *b;
    }
    if (const json* v = member(j, "effectiveDate")) {
        const auto t = v->is_string() ? parseDateTime(v->get<std::string>()) : std::nullopt;
        if (!t) {
            invalid(res, "Invalid dataset refresh request. 'effectiveDate' must be a date, e.g. "
                         "2024-03-31, not " +
                             v->dump() + ".");
            return false;
        }
        e.effectiveDate = *t;
    }
    if (const json* v = member(j, "timeout")) {
        // The spec's pattern: at most 23:59:59 per attempt.
        static const std::regex shape("^([0-1]?[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$");
        const std::string text = v->is_string() ? v->get<std::string>() : v->dump();
        if (!v->is_string() || !std::regex_match(text, shape)) {
            invalid(res, "Invalid dataset refresh request. 'timeout' must be hh:mm:ss of at most "
                         "23:59:59, not " +
                             (v->is_string() ? "'" + text + "'" : text) + ".");
            return false;
        }
        const auto colon = text.find(':');
        const int seconds = std::stoi(text.substr(0, colon)) * 3600 +
                            std::stoi(text.substr(colon + 1, 2)) * 60 +
                            std::stoi(text.substr(colon + 4, 2));
        if (seconds == 0) {
            invalid(res, "Invalid dataset refresh request. 'timeout' must be longer than "
                         "00:00:00.");
            return false;
        }
        e.timeoutSeconds = seconds;
    }
    if (const json* v = member(j, "objects")) {
        if (!v->is_array()) {
            invalid(res, "Invalid dataset refresh request. 'objects' must be an array of "
                         "{\"table\", \"partition\"}.");
            return false;
        }
        for (std::size_t i = 0; i < v->size(); ++i) {
            const json& o = (*v)[i];
            const json* table = o.is_object() ? member(o, "table") : nullptr;
            const json* partition = o.is_object() ? member(o, "partition") : nullptr;
            if (!table || !table->is_string() || table->get<std::string>().empty() ||
                (partition && !partition->is_string())) {
                invalid(res, "Invalid dataset refresh request. objects[" + std::to_string(i) +
                                 "] must name a table, and may name one of its partitions.");
                return false;
            }
            e.objects.push_back(
                {table->get<std::string>(), partition ? partition->get<std::string>() : "", ""});
        }
    }
    out.enhanced = std::move(e);
    return true;
}

const Dataset* datasetIn(const Workspace& w, const std::string& id)
{
    for (const auto& d : w.datasets)
        if (d.id == id)
            return &d;
    return nullptr;
}

/// The caller as a model's owner is written (configuredBy): the UPN of a user; for a service
/// principal the sandbox writes its app (client) id (inferred).
std::string ownerName(const Caller& c)
{
    return c.appOnly ? c.appId : c.upn;
}

} // namespace

const Dataset* PowerBiService::writableModel(const Request& req, Response& res, const Caller& caller,
                                             const Workspace** workspace)
{
    const std::string* role = nullptr;
    const Workspace* w = memberWorkspace(req.pathParams[0], caller, res, &role);
    if (!w)
        return nullptr;
    const Dataset* d = datasetIn(*w, req.pathParams[1]);
    if (!d) {
        notFound(res);
        return nullptr;
    }
    // Refresh operations need write permission on the model ("Caller must have Write
    // permissions"): Viewers are refused like other permission failures (status inferred).
    if (!canWrite(*role)) {
        notAuthorized(res);
        return nullptr;
    }
    *workspace = w;
    return d;
}

void PowerBiService::triggerRefresh(const Request& req, Response& res, const Caller& caller)
{
    const Workspace* w = nullptr;
    const Dataset* d = writableModel(req, res, caller, &w);
    if (!d)
        return;
    RefreshBody body;
    if (!parseRefreshBody(req, res, body))
        return;
    const bool shared = !w->capacityId;
    if (body.enhanced && body.notifyOption) {
        // "For enhanced refresh, notifyOption is not required and must be excluded" (spec).
        invalid(res, "Invalid dataset refresh request. notifyOption is not supported for "
                     "enhanced refresh: remove it, or send only notifyOption for a standard "
                     "refresh.");
        return;
    }
    if (!body.enhanced && body.notifyOption && caller.appOnly &&
        *body.notifyOption != "NoNotification") {
        // A service principal has no mailbox (observed message).
        invalid(res, "Invalid NotifyOption value '" + *body.notifyOption +
                         "' for app only owner requests");
        return;
    }
    if (body.enhanced && shared) {
        // "Enhanced refresh is not supported for shared capacities" (spec; wording inferred).
        invalid(res, "Invalid dataset refresh request. Enhanced refresh is not supported for "
                     "datasets on shared capacity; only notifyOption can be specified.");
        return;
    }
    if (body.enhanced) {
        for (const auto& o : body.enhanced->objects) {
            const Table* table = nullptr;
            for (const auto& t : d->tables)
                if (t.name == o.table)
                    table = &t;
            if (!table) {
                invalid(res, "Invalid dataset refresh request. Table '" + o.table +
                                 "' does not exist in the dataset.");
                return;
            }
            if (o.partition.empty())
                continue;
            const bool found =
                std::any_of(table->partitions.begin(), table->partitions.end(),
                            [&](const Partition& p) { return p.name == o.partition; });
            if (!found) {
                invalid(res, "Invalid dataset refresh request. Partition '" + o.partition +
                                 "' does not exist in table '" + o.table + "'.");
                return;
            }
        }
    }
    if (!d->isRefreshable) {
        // DirectQuery, live-connection and push models have nothing to refresh (wording inferred).
        invalid(res, "Invalid dataset refresh request. Dataset '" + d->name +
                         "' is not refreshable (storage mode " + d->storageMode + ").");
        return;
    }
    RefreshEngine& engine = *m_sb.m_refresh;
    if (engine.running(d->id)) {
        // One refresh at a time per model: 400 since 2025 (409 before), observed body.
        invalid(res,
                "Invalid dataset refresh request. Another refresh request is already executing");
        return;
    }
    if (shared && engine.countedInLastDay(*d) >= 8) {
        // Shared capacity: eight a day, scheduled ones included (spec; observed message).
        invalid(res, "Invalid dataset refresh request. Number of refresh requests in last 24 hours "
                     "exceeded limit");
        return;
    }
    const std::string requestId =
        engine.start(d->id, body.enhanced ? "ViaEnhancedApi" : "ViaApi", body.enhanced);
    emptyAnswer(res, 202);
    // The service reuses the call's request id as the refresh's requestId; an enhanced
    // refresh also gets x-ms-request-id and Location (spec: "returned only if any request
    // payload except notifyOption is set"; a standard one has neither, as observed).
    res.setHeader("RequestId", requestId);
    if (body.enhanced) {
        res.setHeader("x-ms-request-id", requestId);
        res.setHeader("Location", m_sb.baseUrl() + "/v1.0/myorg/groups/" + w->id + "/datasets/" +
                                      d->id + "/refreshes/" + requestId);
    }
}

void PowerBiService::refreshExecution(const Request& req, Response& res, const Caller& caller)
{
    const Workspace* w = nullptr;
    const Dataset* d = writableModel(req, res, caller, &w);
    if (!d)
        return;
    const std::string& refreshId = req.pathParams[2];
    if (!isGuid(refreshId)) {
        // The refresh id is the requestId (a GUID), not the history's numeric id (inferred).
        invalid(res, "Invalid refreshId '" + refreshId.substr(0, 100) +
                         "': use the requestId of the refresh, a GUID.");
        return;
    }
    for (auto it = d->refreshes.rbegin(); it != d->refreshes.rend(); ++it) {
        if (!equalsIgnoreCase(it->requestId, refreshId))
            continue;
        bool inProgress = false;
        const json body = m_sb.m_refresh->details(*it, inProgress);
        // 202 while the refresh runs, 200 once it completed or failed (spec).
        wire::json(res, inProgress ? 202 : 200, body);
        return;
    }
    notFound(res);
}

void PowerBiService::cancelRefresh(const Request& req, Response& res, const Caller& caller)
{
    const Workspace* w = nullptr;
    const Dataset* d = writableModel(req, res, caller, &w);
    if (!d)
        return;
    const std::string& refreshId = req.pathParams[2];
    if (!isGuid(refreshId)) {
        invalid(res, "Invalid refreshId '" + refreshId.substr(0, 100) +
                         "': use the requestId of the refresh, a GUID.");
        return;
    }
    const RefreshEntry* e = nullptr;
    for (auto it = d->refreshes.rbegin(); it != d->refreshes.rend() && !e; ++it)
        if (equalsIgnoreCase(it->requestId, refreshId))
            e = &*it;
    if (!e)
        return notFound(res);
    // Wording of the refusals below inferred.
    if (e->refreshType == "Scheduled" || e->refreshType == "OnDemand") {
        // "You can't cancel scheduled or on-demand model refreshes" (asynchronous-refresh.md).
        invalid(res, "Invalid refresh cancellation request. " + e->refreshType +
                         " refreshes cannot be cancelled through the API.");
        return;
    }
    if (e->endTime) {
        invalid(res, "Invalid refresh cancellation request. The refresh is not in progress: it "
                     "ended with status " +
                         e->status + ".");
        return;
    }
    if (!m_sb.m_refresh->cancel(d->id, e->requestId))
        return notFound(res);
    emptyAnswer(res, 200);
}

namespace refreshwire {

std::optional<nlohmann::json> body(const Request& req)
{
    return jsonBody(req);
}

bool applySchedule(const json& v, RefreshSchedule& next, const Caller& caller, bool premium,
                   bool disableAlone, Response& res)
{
    // Wording of the refusals below inferred, except where marked.
    const json* days = member(v, "days");
    const json* times = member(v, "times");
    const json* enabled = member(v, "enabled");
    const json* zone = member(v, "localTimeZoneId");
    const json* notify = member(v, "notifyOption");
    std::optional<bool> enable;
    if (enabled) {
        enable = boolean(*enabled);
        if (!enable) {
            invalid(res, "Invalid refresh schedule request. 'enabled' must be true or false.");
            return false;
        }
    }
    const bool disableOnly = enable && !*enable;
    if (disableAlone && disableOnly && (days || times || zone || notify)) {
        // "A request that disables the refresh schedule should contain no other changes" (spec).
        invalid(res, "Invalid refresh schedule request. A request that disables the refresh "
                     "schedule should contain no other changes.");
        return false;
    }
    if (days) {
        if (!days->is_array()) {
            invalid(res, "Invalid refresh schedule request. 'days' must be an array of day names.");
            return false;
        }
        std::vector<std::string> list;
        for (const auto& x : *days) {
            const std::string text = x.is_string() ? x.get<std::string>() : x.dump();
            const std::string day = x.is_string() ? canonical(text, kDays) : "";
            if (day.empty()) {
                invalid(res, "Invalid refresh schedule request. '" + text +
                                 "' is not a day; use one of: " + listOf(kDays) + ".");
                return false;
            }
            if (std::find(list.begin(), list.end(), day) != list.end()) {
                invalid(res, "Invalid refresh schedule request. " + day + " is listed twice.");
                return false;
            }
            list.push_back(day);
        }
        next.days = std::move(list);
    }
    if (times) {
        if (!times->is_array()) {
            invalid(res, "Invalid refresh schedule request. 'times' must be an array of hh:mm.");
            return false;
        }
        static const std::regex shape("^([01][0-9]|2[0-3]):(00|30)$");
        std::vector<std::string> list;
        for (const auto& x : *times) {
            const std::string text = x.is_string() ? x.get<std::string>() : x.dump();
            if (!x.is_string() || !std::regex_match(text, shape)) {
                // "mm … can only be 00 or 30" (spec).
                invalid(res, "Invalid refresh schedule request. '" + text +
                                 "' is not a valid time: use hh:mm with hh from 00 to 23 and mm "
                                 "00 or 30.");
                return false;
            }
            if (std::find(list.begin(), list.end(), text) != list.end()) {
                invalid(res, "Invalid refresh schedule request. " + text + " is listed twice.");
                return false;
            }
            list.push_back(text);
        }
        std::sort(list.begin(), list.end());
        next.times = std::move(list);
    }
    if (zone) {
        const std::string text = zone->is_string() ? zone->get<std::string>() : zone->dump();
        if (!zone->is_string() || !findTimeZone(text)) {
            invalid(res, "Invalid refresh schedule request. '" + text +
                             "' is not a time zone id; use a Windows time zone id such as UTC, "
                             "W. Europe Standard Time or Pacific Standard Time.");
            return false;
        }
        next.localTimeZoneId = text;
    }
    if (notify) {
        static const char options[][15] = {"NoNotification", "MailOnFailure"};
        const std::string text = notify->is_string() ? notify->get<std::string>() : notify->dump();
        const std::string option = notify->is_string() ? canonical(text, options) : "";
        if (option.empty()) {
            invalid(res, "Invalid NotifyOption value '" + text +
                             "'. Use one of: " + listOf(options) + ".");
            return false;
        }
        next.notifyOption = option;
    }
    if (enable)
        next.enabled = *enable;
    // A service principal has no mailbox: it must say NoNotification, also when the schedule
    // would keep MailOnFailure (observed message; only a disable request is exempt).
    if (caller.appOnly && !disableOnly && next.notifyOption != "NoNotification") {
        invalid(res, "Invalid NotifyOption value '" + next.notifyOption +
                         "' for app only owner requests");
        return false;
    }
    if (next.enabled && next.days.empty()) {
        invalid(res, "Invalid refresh schedule request. At least one day must be specified.");
        return false;
    }
    // "The limit on the number of time slots per day depends on whether a Premium or Shared
    // capacity is used" (spec): 8 shared, 48 Premium (refresh-data.md).
    const std::size_t limit = premium ? 48 : 8;
    if (next.times.size() > limit) {
        invalid(res, "Invalid refresh schedule request. " + std::to_string(next.times.size()) +
                         " refresh times a day exceed the limit of " + std::to_string(limit) +
                         (premium ? " on a Premium capacity." : " on shared capacity."));
        return false;
    }
    return true;
}

} // namespace refreshwire

void PowerBiService::updateRefreshSchedule(const Request& req, Response& res, const Caller& caller)
{
    const Workspace* w = nullptr;
    const Dataset* found = writableModel(req, res, caller, &w);
    if (!found)
        return;
    // "The user must be the dataset owner" (spec); the message is the one the service gives
    // owners' operations (observed), its status inferred.
    if (!equalsIgnoreCase(found->configuredBy, ownerName(caller))) {
        invalid(res, "This operation is only supported for the dataset owner");
        return;
    }
    if (!found->isRefreshable) {
        invalid(res, found->storageMode == "DirectQuery"
                         ? "Invalid refresh schedule request. A DirectQuery dataset has no refresh "
                           "schedule: use directQueryRefreshSchedule."
                         : "Invalid refresh schedule request. Dataset '" + found->name +
                               "' is not refreshable.");
        return;
    }
    const auto body = jsonBody(req);
    const json* value = body ? member(*body, "value") : nullptr;
    if (!value || !value->is_object()) {
        invalid(res, "Invalid refresh schedule request. The body must be "
                     "{\"value\": {days, times, enabled, localTimeZoneId, notifyOption}}.");
        return;
    }
    RefreshSchedule next =
        found->schedule ? *found->schedule : RefreshSchedule{{}, {}, false, "UTC", "MailOnFailure"};
    if (!refreshwire::applySchedule(*value, next, caller, w->capacityId.has_value(), true, res))
        return;
    const auto ref = m_sb.m_tenant.findDataset(found->id);
    Dataset& d = m_sb.m_tenant.workspaces[ref->workspace].datasets[ref->item];
    d.schedule = std::move(next);
    m_sb.m_refresh->scheduleChanged(d.id);
    emptyAnswer(res, 200);
}

void PowerBiService::takeOverDataset(const Request& req, Response& res, const Caller& caller)
{
    const Workspace* w = nullptr;
    const Dataset* found = writableModel(req, res, caller, &w);
    if (!found)
        return;
    const auto ref = m_sb.m_tenant.findDataset(found->id);
    m_sb.m_tenant.workspaces[ref->workspace].datasets[ref->item].configuredBy = ownerName(caller);
    emptyAnswer(res, 200);
}

// ---- control endpoints -------------------------------------------------------------------

namespace {

/// The body as an object whose keys are all in `allowed`; nullopt with a 400 otherwise (a
/// typo must not silently do something else).
std::optional<json> controlBody(const Request& req, Response& res,
                                std::initializer_list<const char*> allowed)
{
    json j = req.body.find_first_not_of(" \t\r\n") == std::string::npos
                 ? json::object()
                 : json::parse(req.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        invalid(res, "The body must be a JSON object.");
        return std::nullopt;
    }
    for (const auto& [key, value] : j.items()) {
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
            invalid(res, "unknown field '" + key + "'");
            return std::nullopt;
        }
    }
    return j;
}

bool controlInt(const json& j, const char* key, long long min, long long max,
                std::optional<long long>& out, Response& res)
{
    const auto it = j.find(key);
    if (it == j.end())
        return true;
    if (!it->is_number_integer() || it->get<long long>() < min || it->get<long long>() > max) {
        invalid(res, std::string("'") + key + "' must be an integer from " + std::to_string(min) +
                         " to " + std::to_string(max));
        return false;
    }
    out = it->get<long long>();
    return true;
}

constexpr double kMaxTimeScale = 1'000'000;

} // namespace

void Sandbox::addRefreshControlRoutes()
{
    auto clockState = [this] {
        const UnixMs now = m_clock->nowMs();
        return json{
            {"nowMs", now}, {"now", entity::isoMs(now)}, {"timeScale", m_clock->timeScale()}};
    };
    m_server->route(
        "GET", R"(^/sandbox/control/clock/?$)",
        [clockState](const Request&, Response& res) { wire::json(res, 200, clockState()); });
    // {"timeScale": N, "advanceMs": M}: a new speed from now on, then a jump forward.
    m_server->route(
        "POST", R"(^/sandbox/control/clock/?$)",
        [this, clockState](const Request& req, Response& res) {
            const auto body = controlBody(req, res, {"timeScale", "advanceMs"});
            if (!body)
                return;
            std::optional<long long> advance;
            if (!controlInt(*body, "advanceMs", 0, 10LL * 366 * 24 * 3600 * 1000, advance, res))
                return;
            std::optional<double> scale;
            if (const auto it = body->find("timeScale"); it != body->end()) {
                if (!it->is_number() || !(it->get<double>() >= 0) ||
                    it->get<double>() > kMaxTimeScale) {
                    invalid(res, "'timeScale' must be a number from 0 to 1000000");
                    return;
                }
                scale = it->get<double>();
            }
            if (scale)
                setTimeScale(*scale);
            if (advance)
                advanceClock(*advance);
            wire::json(res, 200, clockState());
        });

    auto outcomes = [this](Response& res) { wire::json(res, 200, m_refresh->toJson()); };
    m_server->route("GET", R"(^/sandbox/control/refresh-outcomes/?$)",
                    [this, outcomes](const Request&, Response& res) {
                        std::lock_guard lock(m_mutex);
                        m_refresh->advance();
                        outcomes(res);
                    });
    // {"datasetId" | "dataflowId", "outcome": "Completed"|"Failed"|"TimedOut", "errorCode"?,
    //  "errorDescription"?, "durationMs"?, "count"?}: how the next refresh(es) of a model or a
    //  dataflow end (a dataflow: Completed or Failed, without error details).
    m_server->route(
        "POST", R"(^/sandbox/control/refresh-outcomes/?$)",
        [this, outcomes](const Request& req, Response& res) {
            const auto body = controlBody(req, res,
                                          {"datasetId", "dataflowId", "outcome", "errorCode",
                                           "errorDescription", "durationMs", "count"});
            if (!body)
                return;
            ForcedRefreshOutcome f;
            const auto str = [&](const char* key, std::string& out) {
                const auto it = body->find(key);
                if (it == body->end())
                    return true;
                if (!it->is_string()) {
                    invalid(res, std::string("'") + key + "' must be a string");
                    return false;
                }
                out = it->get<std::string>();
                return true;
            };
            if (!str("datasetId", f.datasetId) || !str("dataflowId", f.dataflowId) ||
                !str("outcome", f.outcome) || !str("errorCode", f.errorCode) ||
                !str("errorDescription", f.errorDescription))
                return;
            const bool dataflow = body->contains("dataflowId");
            if (dataflow == body->contains("datasetId")) {
                invalid(res, "give either 'datasetId' (a semantic model) or 'dataflowId'");
                return;
            }
            if (dataflow && f.outcome != "Completed" && f.outcome != "Failed") {
                invalid(res, "'outcome' of a dataflow refresh must be Completed or Failed");
                return;
            }
            if (dataflow && (!f.errorCode.empty() || !f.errorDescription.empty())) {
                invalid(res, "'errorCode' and 'errorDescription' do not apply to dataflows: their "
                             "transactions carry no error details");
                return;
            }
            if (f.outcome != "Completed" && f.outcome != "Failed" && f.outcome != "TimedOut") {
                invalid(res, "'outcome' must be Completed, Failed or TimedOut");
                return;
            }
            if (f.outcome != "Failed" && (!f.errorCode.empty() || !f.errorDescription.empty())) {
                invalid(res, "'errorCode' and 'errorDescription' go with the outcome Failed");
                return;
            }
            std::optional<long long> duration;
            std::optional<long long> count;
            if (!controlInt(*body, "durationMs", 1, 7LL * 24 * 3600 * 1000, duration, res) ||
                !controlInt(*body, "count", 1, 1000, count, res))
                return;
            if (duration)
                f.durationMs = *duration;
            std::lock_guard lock(m_mutex);
            if (dataflow && !m_tenant.findDataflow(f.dataflowId)) {
                invalid(res, "'dataflowId': no dataflow '" + f.dataflowId + "' in the tenant");
                return;
            }
            if (!dataflow && !m_tenant.findDataset(f.datasetId)) {
                invalid(res, "'datasetId': no semantic model '" + f.datasetId + "' in the tenant");
                return;
            }
            m_refresh->advance();
            for (long long i = 0; i < count.value_or(1); ++i)
                m_refresh->force(f);
            outcomes(res);
        });
    m_server->route("DELETE", R"(^/sandbox/control/refresh-outcomes/?$)",
                    [this, outcomes](const Request&, Response& res) {
                        std::lock_guard lock(m_mutex);
                        m_refresh->clearForced();
                        outcomes(res);
                    });

    // {"durationMs"?, "visibilityDelayMs"?, "schedules"?}: change the refresh settings.
    auto settings = [this](Response& res) {
        wire::json(res, 200, m_refresh->toJson()["settings"]);
    };
    m_server->route("GET", R"(^/sandbox/control/refresh-settings/?$)",
                    [this, settings](const Request&, Response& res) {
                        std::lock_guard lock(m_mutex);
                        settings(res);
                    });
    m_server->route(
        "PUT", R"(^/sandbox/control/refresh-settings/?$)",
        [this, settings](const Request& req, Response& res) {
            const auto body =
                controlBody(req, res, {"durationMs", "visibilityDelayMs", "schedules"});
            if (!body)
                return;
            std::optional<long long> duration;
            std::optional<long long> delay;
            if (!controlInt(*body, "durationMs", 0, 7LL * 24 * 3600 * 1000, duration, res) ||
                !controlInt(*body, "visibilityDelayMs", 0, 3600 * 1000, delay, res))
                return;
            std::optional<bool> schedules;
            if (const auto it = body->find("schedules"); it != body->end()) {
                if (!it->is_boolean()) {
                    invalid(res, "'schedules' must be true or false");
                    return;
                }
                schedules = it->get<bool>();
            }
            std::lock_guard lock(m_mutex);
            m_refresh->advance();
            RefreshSettings s = m_refresh->settings();
            if (duration)
                s.durationMs = *duration;
            if (delay)
                s.visibilityDelayMs = *delay;
            if (schedules)
                s.schedules = *schedules;
            m_refresh->setSettings(s);
            settings(res);
        });
}

} // namespace pbi::sandbox
