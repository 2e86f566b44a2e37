// Activity events (reference/api-digest.md §7; spec Admin_GetActivityEvents): the audit log
// of a sandbox tenant, made up deterministically from what the tenant contains.

#include "ActivityService.h"

#include "HttpServer.h"
#include "Ids.h"
#include "Jwt.h"
#include "WireHelpers.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <random>
#include <unordered_map>

namespace pbi::sandbox {

using nlohmann::json;

namespace {

constexpr std::int64_t kDaySeconds = 24 * 3600;
constexpr int kWindowDays = 28;                    // "within the last 28 days" (spec, 2026)
constexpr int kMaxEventsPerDay = 4000;             // bound for generated tenants of 100,000 items
constexpr std::uint32_t kRefreshSeq = 0x80000000u; // refresh events: seq from the request id
constexpr int kMinAutoPage = 100;
constexpr int kMaxAutoPage = 5000;

enum Kind : std::uint8_t {
    ViewReport,
    ViewDashboard,
    ViewTile,
    EditReport,
    CreateReport,
    ExportReport,
    ShareReport,
    AnalyzedByExternalApplication,
    RefreshDataset,
    KindCount
};

const char* const kActivity[KindCount] = {
    "ViewReport",    "ViewDashboard", "ViewTile",    "EditReport",
    "CreateReport",  "ExportReport",  "ShareReport", "AnalyzedByExternalApplication",
    "RefreshDataset"};

void invalid(Response& res, const std::string& message)
{
    wire::serviceError(res, 400, "InvalidRequest", message);
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::uint64_t fnv1a(std::string_view text)
{
    std::uint64_t h = 1469598103934665603ull;
    for (const char c : text) {
        h ^= std::uint8_t(c);
        h *= 1099511628211ull;
    }
    return h;
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/// "2019-08-13T07:55:15": the audit log's CreationTime (UTC, whole seconds, no Z).
std::string creationTime(std::int64_t second)
{
    return isoTime(second).substr(0, 19);
}

/// A single-quoted query value ('…'), unquoted; nullopt when the quotes are missing.
std::optional<std::string> unquote(const std::string& v)
{
    if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'')
        return v.substr(1, v.size() - 2);
    return std::nullopt;
}

std::string percentEncode(const std::string& s)
{
    static const char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += char(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

/// `Activity eq 'viewreport' and UserId eq 'john@contoso.com'`: the subset the service
/// supports ("'Activity', 'UserId', or both... only 'eq' and 'and'"). nullopt when it is not.
std::optional<ActivityService::Filter> parseFilter(const std::string& text)
{
    ActivityService::Filter f;
    std::size_t pos = 0;
    auto skipSpace = [&] {
        while (pos < text.size() && std::isspace((unsigned char)text[pos]))
            ++pos;
    };
    auto word = [&] {
        skipSpace();
        const std::size_t start = pos;
        while (pos < text.size() && (std::isalnum((unsigned char)text[pos]) || text[pos] == '_'))
            ++pos;
        return text.substr(start, pos - start);
    };
    auto literal = [&]() -> std::optional<std::string> {
        skipSpace();
        if (pos >= text.size() || text[pos] != '\'')
            return std::nullopt;
        std::string out;
        for (++pos; pos < text.size(); ++pos) {
            if (text[pos] == '\'') {
                if (pos + 1 < text.size() && text[pos + 1] == '\'') { // '' escapes a quote
                    out += '\'';
                    ++pos;
                    continue;
                }
                ++pos;
                return out;
            }
            out += text[pos];
        }
        return std::nullopt;
    };
    do {
        const std::string field = lower(word());
        if ((field != "activity" && field != "userid") || lower(word()) != "eq")
            return std::nullopt;
        const auto value = literal();
        if (!value)
            return std::nullopt;
        (field == "activity" ? f.activities : f.users).push_back(lower(*value));
        skipSpace();
        if (pos == text.size())
            return f;
    } while (lower(word()) == "and");
    return std::nullopt;
}

/// Where a query is: its window and filter, and the last event returned. The token is
/// opaque to clients; it looks like the service's ("+RID:~…#RT:n#TRC:n…").
struct Continuation {
    std::int64_t start = 0; ///< window, Unix ms
    std::int64_t end = 0;
    std::string filter;
    std::int64_t second = -1; ///< last event returned: (second, seq); -1: none yet
    std::uint32_t seq = 0;
    int page = 0;
    long long returned = 0;

    std::string encode() const
    {
        const json j = {{"s", start}, {"e", end},  {"f", filter},  {"t", second},
                        {"q", seq},   {"n", page}, {"c", returned}};
        return "+RID:~" + base64UrlEncode(j.dump()) + "#RT:" + std::to_string(page) +
               "#TRC:" + std::to_string(returned) + "#ISV:2#IEO:65567#QCF:8";
    }

    static std::optional<Continuation> decode(std::string raw)
    {
        if (const auto q = unquote(raw))
            raw = *q;
        // Clients decode and re-encode the token in different ways (api-digest §7): accept it
        // once more percent-encoded, and a '+' that a query decoder turned into a space.
        if (raw.find('%') != std::string::npos)
            raw = wire::urlDecode(raw);
        if (!raw.empty() && raw.front() == ' ')
            raw.front() = '+';
        if (raw.rfind("+RID:~", 0) != 0)
            return std::nullopt;
        const std::size_t hash = raw.find('#');
        const auto bytes = base64UrlDecode(std::string_view(raw).substr(6, hash - 6));
        if (!bytes)
            return std::nullopt;
        const json j = json::parse(*bytes, nullptr, false);
        if (!j.is_object())
            return std::nullopt;
        for (const char* key : {"s", "e", "t", "q", "n", "c"})
            if (!j.contains(key) || !j[key].is_number_integer())
                return std::nullopt;
        if (!j.contains("f") || !j["f"].is_string())
            return std::nullopt;
        Continuation c;
        c.start = j["s"].get<std::int64_t>();
        c.end = j["e"].get<std::int64_t>();
        c.filter = j["f"].get<std::string>();
        c.second = j["t"].get<std::int64_t>();
        c.seq = j["q"].get<std::uint32_t>();
        c.page = j["n"].get<int>();
        c.returned = j["c"].get<long long>();
        if (c.start > c.end ||
            floorDiv(c.start, 1000 * kDaySeconds) != floorDiv(c.end, 1000 * kDaySeconds))
            return std::nullopt;
        return c;
    }
};

} // namespace

ActivityService::ActivityService(const ServiceContext& context)
    : m_context(context)
{}

std::vector<ServiceRoute> ActivityService::entries(ActivityService* self)
{
    return {{{"GET", "/v1.0/myorg/admin/activityevents", "Admin_GetActivityEvents"},
             ServiceRoute::Scope::Admin,
             [self](const Request& q, Response& r, const Caller& c) { self->events(q, r, c); }}};
}

// --- the log ------------------------------------------------------------------------------

std::vector<ActivityService::Event> ActivityService::dayEvents(std::int64_t day) const
{
    const Tenant& t = m_context.tenant;
    std::vector<Event> out;
    const std::int64_t dayStart = day * kDaySeconds;

    // Who can do what where: the users (directly) in each active workspace, with their role.
    struct Place {
        std::uint32_t workspace;
        std::vector<std::pair<std::uint32_t, int>> users; ///< user index, role rank
    };
    std::unordered_map<std::string, std::uint32_t> userByObjectId;
    std::unordered_map<std::string, std::uint32_t> userByUpn;
    for (std::uint32_t ui = 0; ui < t.users.size(); ++ui) {
        userByObjectId.emplace(t.users[ui].objectId, ui);
        userByUpn.emplace(t.users[ui].userPrincipalName, ui);
    }
    std::vector<Place> places;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> reports; ///< place, report
    for (std::uint32_t wi = 0; wi < t.workspaces.size(); ++wi) {
        const Workspace& w = t.workspaces[wi];
        if (w.state != "Active" || w.reports.empty())
            continue;
        Place p{wi, {}};
        for (const auto& m : w.members)
            if (const auto it = userByObjectId.find(m.principalId);
                m.principalType == "User" && it != userByObjectId.end())
                p.users.emplace_back(it->second, roleRank(m.accessRight));
        if (p.users.empty())
            continue;
        places.push_back(std::move(p));
        for (std::uint32_t ri = 0; ri < w.reports.size(); ++ri)
            reports.emplace_back(std::uint32_t(places.size() - 1), ri);
    }

    std::mt19937_64 rng(fnv1a(t.id + "|activity|" + std::to_string(day)));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    if (!reports.empty()) {
        // About eight events per report on a working day, far fewer at weekends.
        const bool weekend = (day + 4) % 7 == 0 || (day + 4) % 7 == 6; // 1970-01-01: Thursday
        double n = std::min<double>(kMaxEventsPerDay, 8.0 * double(reports.size()));
        n *= (weekend ? 0.2 : 1.0) * (0.8 + 0.4 * unit(rng));
        const int count = std::max(1, int(n));
        // (activity, weight): mostly views, as real tenants' logs are.
        static const std::pair<Kind, double> kMix[] = {
            {ViewReport, 50},  {ViewDashboard, 12},
            {ViewTile, 6},     {EditReport, 7},
            {CreateReport, 1}, {ExportReport, 6},
            {ShareReport, 3},  {AnalyzedByExternalApplication, 5}};
        double total = 0;
        for (const auto& [k, wgt] : kMix)
            total += wgt;
        for (int i = 0; i < count; ++i) {
            Event e;
            e.seq = std::uint32_t(i);
            // Office hours in Europe carry most of the traffic.
            const int hour = unit(rng) < 0.8 ? 7 + int(unit(rng) * 11) : int(unit(rng) * 24);
            e.second = dayStart + hour * 3600 + std::int64_t(unit(rng) * 3600);
            // A few reports are far more popular than the rest.
            const double u = unit(rng);
            const auto& [placeIndex, reportIndex] =
                reports[std::min(reports.size() - 1, std::size_t(u * u * double(reports.size())))];
            const Place& place = places[placeIndex];
            const Workspace& w = t.workspaces[place.workspace];
            const auto& [userIndex, rank] =
                place.users[std::size_t(unit(rng) * double(place.users.size())) %
                            place.users.size()];
            e.workspace = place.workspace;
            e.user = userIndex;
            e.item = reportIndex;
            double pick = unit(rng) * total;
            Kind kind = ViewReport;
            for (const auto& [k, wgt] : kMix) {
                if (pick < wgt) {
                    kind = k;
                    break;
                }
                pick -= wgt;
            }
            const Report& report = w.reports[reportIndex];
            const auto ref =
                report.datasetId.empty() ? std::nullopt : t.findDataset(report.datasetId);
            // What the place allows: dashboards to view, rights to edit, a model to analyse.
            if ((kind == ViewDashboard || kind == ViewTile) && w.dashboards.empty())
                kind = ViewReport;
            if ((kind == EditReport || kind == CreateReport) && rank < roleRank("Contributor"))
                kind = ViewReport;
            if (kind == AnalyzedByExternalApplication && !ref)
                kind = ExportReport;
            if (kind == ShareReport && place.users.size() < 2)
                kind = ViewReport;
            e.kind = kind;
            if (kind == ViewDashboard || kind == ViewTile) {
                e.item = std::uint32_t(unit(rng) * double(w.dashboards.size())) %
                         std::uint32_t(w.dashboards.size());
                const auto& tiles = w.dashboards[e.item].tiles;
                if (kind == ViewTile && tiles.empty())
                    e.kind = ViewDashboard;
                else if (kind == ViewTile)
                    e.detail = std::uint32_t(unit(rng) * double(tiles.size())) %
                               std::uint32_t(tiles.size());
            } else if (kind == ShareReport) {
                std::uint32_t other = userIndex;
                for (const auto& [ui, r] : place.users)
                    if (ui != userIndex) {
                        other = ui;
                        if (unit(rng) < 0.5)
                            break;
                    }
                e.detail = other;
            }
            out.push_back(e);
        }
    }

    // The models' refresh history, as it stands: one RefreshDataset per refresh started that
    // day, audited under the model's owner (a tenant without users has no audit log).
    for (std::uint32_t wi = 0; !t.users.empty() && wi < t.workspaces.size(); ++wi) {
        const Workspace& w = t.workspaces[wi];
        if (w.state != "Active")
            continue;
        for (std::uint32_t di = 0; di < w.datasets.size(); ++di) {
            const Dataset& d = w.datasets[di];
            for (std::uint32_t ri = 0; ri < d.refreshes.size(); ++ri) {
                const RefreshEntry& r = d.refreshes[ri];
                const std::int64_t second = floorDiv(r.startTime, 1000);
                if (floorDiv(second, kDaySeconds) != day)
                    continue;
                Event e;
                e.second = second;
                e.seq = kRefreshSeq | std::uint32_t(fnv1a(r.requestId) & 0x7fffffffu);
                e.kind = RefreshDataset;
                e.workspace = wi;
                e.item = di;
                e.detail = ri;
                const auto owner = userByUpn.find(d.configuredBy);
                e.user = owner != userByUpn.end() ? owner->second : 0;
                out.push_back(e);
            }
        }
    }
    std::sort(out.begin(), out.end(), [](const Event& a, const Event& b) {
        return a.second != b.second ? a.second < b.second : a.seq < b.seq;
    });
    return out;
}

bool ActivityService::matches(const Event& e, const Filter& f) const
{
    const std::string activity = lower(kActivity[e.kind]);
    for (const auto& a : f.activities)
        if (a != activity)
            return false;
    if (!f.users.empty()) {
        const auto& users = m_context.tenant.users;
        const std::string upn =
            e.user < users.size() ? lower(users[e.user].userPrincipalName) : std::string();
        for (const auto& u : f.users)
            if (u != upn)
                return false;
    }
    return true;
}

json ActivityService::record(const Event& e, std::int64_t day) const
{
    const Tenant& t = m_context.tenant;
    const Workspace& w = t.workspaces[e.workspace];
    const User& user = t.users[e.user];
    const std::string activity = kActivity[e.kind];
    const std::string key = e.kind == RefreshDataset
                                ? w.datasets[e.item].refreshes[e.detail].requestId
                                : t.id + "|" + std::to_string(day) + "|" + std::to_string(e.seq);
    const std::string id = stableGuid("event|" + key);
    const std::uint64_t h = fnv1a(user.objectId);
    char userKey[17];
    std::snprintf(userKey, sizeof userKey, "%016llX", static_cast<unsigned long long>(h));
    // Documentation addresses (RFC 5737), one per user.
    const std::string ip = "203.0.113." + std::to_string(1 + h % 250);
    json j = {{"Id", id},
              {"RecordType", 20},
              {"CreationTime", creationTime(e.second)},
              {"Operation", activity},
              {"OrganizationId", t.id},
              {"UserType", 0},
              {"UserKey", userKey},
              {"Workload", "PowerBI"},
              {"UserId", user.userPrincipalName},
              {"ClientIP", ip},
              {"UserAgent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                            "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0"},
              {"Activity", activity},
              {"IsSuccess", true},
              {"RequestId", stableGuid("request|" + key)},
              {"ActivityId", stableGuid("activity|" + key)},
              {"WorkSpaceName", w.name},
              {"WorkspaceId", w.id}};
    if (w.capacityId)
        if (const Capacity* c = t.findCapacity(*w.capacityId)) {
            j["CapacityId"] = c->id;
            j["CapacityName"] = c->displayName;
        }
    auto withDataset = [&](const std::string& datasetId) {
        if (const auto ref = datasetId.empty() ? std::nullopt : t.findDataset(datasetId)) {
            j["DatasetName"] = t.workspaces[ref->workspace].datasets[ref->item].name;
            j["DatasetId"] = datasetId;
        }
    };
    auto artifact = [&](const std::string& artifactId, const std::string& name, const char* kind) {
        j["ItemName"] = name;
        j["ObjectId"] = name;
        j["ArtifactId"] = artifactId;
        j["ArtifactName"] = name;
        j["ArtifactKind"] = kind;
    };
    switch (e.kind) {
    case ViewDashboard:
    case ViewTile: {
        const Dashboard& d = w.dashboards[e.item];
        artifact(d.id, d.displayName, "Dashboard");
        j["DashboardName"] = d.displayName;
        j["DashboardId"] = d.id;
        if (e.kind == ViewTile) {
            const Tile& tile = d.tiles[e.detail];
            j["TileText"] = tile.title;
            withDataset(tile.datasetId);
        }
        j["DistributionMethod"] = "Workspace";
        j["ConsumptionMethod"] = "Power BI Web";
        break;
    }
    case RefreshDataset: {
        const Dataset& d = w.datasets[e.item];
        const RefreshEntry& r = d.refreshes[e.detail];
        artifact(d.id, d.name, "Dataset");
        withDataset(d.id);
        j["RefreshType"] = r.refreshType;
        j["IsSuccess"] = r.status != "Failed";
        break;
    }
    default: {
        const Report& r = w.reports[e.item];
        artifact(r.id, r.name, "Report");
        j["ReportName"] = r.name;
        j["ReportId"] = r.id;
        j["ReportType"] = r.reportType == "PaginatedReport" ? "PaginatedReport" : "PowerBIReport";
        withDataset(r.datasetId);
        j["DistributionMethod"] = "Workspace";
        j["ConsumptionMethod"] = "Power BI Web";
        if (e.kind == ExportReport)
            j["ExportedArtifactInfo"] = {{"ExportType", e.seq % 3 == 0 ? "PowerPoint" : "PDF"},
                                         {"ArtifactType", "Report"},
                                         {"ArtifactId", 1}};
        if (e.kind == ShareReport && e.detail < t.users.size())
            j["SharingInformation"] =
                json::array({{{"RecipientEmail", t.users[e.detail].userPrincipalName},
                              {"ResharePermission", "Read"}}});
        if (e.kind == AnalyzedByExternalApplication) {
            j["ConsumptionMethod"] = "Analyze in Excel";
            j["ArtifactKind"] = "Dataset";
            if (j.contains("DatasetId")) {
                j["ArtifactId"] = j["DatasetId"];
                j["ArtifactName"] = j["DatasetName"];
                j["ItemName"] = j["DatasetName"];
                j["ObjectId"] = j["DatasetName"];
            }
        }
        break;
    }
    }
    return j;
}

// --- the route ----------------------------------------------------------------------------

void ActivityService::events(const Request& req, Response& res, const Caller&)
{
    const std::string* token = req.queryValue("continuationToken");
    const std::string* startText = req.queryValue("startDateTime");
    const std::string* endText = req.queryValue("endDateTime");
    const UnixMs now = m_context.nowMs();
    Continuation c;
    if (token) {
        // "Provide either a continuation token or both a start and end date time."
        if (startText || endText)
            return invalid(res, "Provide either 'continuationToken' or both 'startDateTime' and "
                                "'endDateTime', not both.");
        const auto decoded = Continuation::decode(*token);
        if (!decoded || (!decoded->filter.empty() && !parseFilter(decoded->filter)))
            return invalid(res, "The continuation token is invalid.");
        c = *decoded;
    } else {
        if (!startText || !endText)
            return invalid(res, "Provide either 'continuationToken' or both 'startDateTime' and "
                                "'endDateTime'.");
        std::optional<UnixMs> times[2];
        const std::string* texts[2] = {startText, endText};
        const char* names[2] = {"startDateTime", "endDateTime"};
        for (int i = 0; i < 2; ++i) {
            // The values are "wrapped in single quotes" (spec): '2019-08-13T07:55:00.000Z'.
            const auto unquoted = unquote(*texts[i]);
            times[i] = unquoted ? timefmt::parseIsoUtc(*unquoted) : std::nullopt;
            if (!times[i])
                return invalid(res, std::string("'") + names[i] +
                                        "' must be an ISO 8601 UTC date-time in single quotes, "
                                        "e.g. '2019-08-13T07:55:00.000Z', not " +
                                        *texts[i] + ".");
        }
        if (*times[0] > *times[1])
            return invalid(res, "'startDateTime' must not be after 'endDateTime'.");
        const std::int64_t day = floorDiv(*times[0], 1000 * kDaySeconds);
        if (day != floorDiv(*times[1], 1000 * kDaySeconds))
            return invalid(res, "'startDateTime' and 'endDateTime' must be in the same UTC day.");
        const std::int64_t today = floorDiv(now, 1000 * kDaySeconds);
        if (day > today || day < today - kWindowDays)
            return invalid(res, "'startDateTime' and 'endDateTime' must be within the last 28 "
                                "days.");
        if (const std::string* filter = req.queryValue("$filter")) {
            if (!parseFilter(*filter))
                return invalid(res, "Invalid $filter '" + *filter +
                                        "': only Activity and UserId compared with 'eq', joined "
                                        "by 'and', are supported.");
            c.filter = *filter;
        }
        c.start = *times[0];
        c.end = *times[1];
    }
    const Filter f = c.filter.empty() ? Filter{} : *parseFilter(c.filter);

    // Keyset paging on (second, seq): a page starts right after the last event returned, so
    // pages neither repeat nor skip events, even when today's log grows in between.
    const std::int64_t day = floorDiv(c.start, 1000 * kDaySeconds);
    const std::int64_t first = (c.start + 999) / 1000;
    const std::int64_t last = std::min<std::int64_t>(floorDiv(c.end, 1000), now / 1000);
    const std::vector<Event> events = dayEvents(day);
    // Automatic: about five pages a day, 100 to 5,000 events each; the real service's pages
    // are large and irregular, and a fixed small page would not get through a big tenant's
    // day within the 200 requests an hour.
    const int pageSize = m_pageSize > 0
                             ? m_pageSize
                             : std::clamp(int((events.size() + 4) / 5), kMinAutoPage, kMaxAutoPage);
    json page = json::array();
    bool more = false;
    Event lastEvent{c.second, c.seq, 0, 0, 0, 0, 0};
    for (const Event& e : events) {
        if (e.second < first || e.second > last)
            continue;
        if (e.second < c.second || (e.second == c.second && e.seq <= c.seq))
            continue;
        if (!matches(e, f))
            continue;
        if (int(page.size()) >= pageSize) {
            more = true;
            break;
        }
        page.push_back(record(e, day));
        lastEvent = e;
    }
    json out = {{"activityEventEntities", page}};
    c.second = lastEvent.second;
    c.seq = lastEvent.seq;
    c.returned += static_cast<long long>(page.size());
    ++c.page;
    if (more) {
        // continuationToken is the encoded token; continuationUri carries it single-quoted
        // (spec examples), with the filter.
        const std::string encoded = percentEncode(c.encode());
        std::string uri = m_context.baseUrl() +
                          "/v1.0/myorg/admin/activityevents?continuationToken='" + encoded + "'";
        if (!c.filter.empty())
            uri += "&$filter=" + percentEncode(c.filter);
        out["continuationUri"] = uri;
        out["continuationToken"] = encoded;
    }
    // Not in the schema, but what clients loop on (api-digest §7, §12).
    out["lastResultSet"] = !more;
    wire::json(res, 200, out);
}

// --- control ------------------------------------------------------------------------------

void ActivityService::controlGet(const Request&, Response& res) const
{
    wire::json(res, 200, {{"pageSize", m_pageSize}}); // 0: automatic
}

void ActivityService::controlPatch(const Request& req, Response& res)
{
    const auto body = controlBody(req, res, {"pageSize"});
    if (!body)
        return;
    long long size = m_pageSize;
    if (!controlInt(*body, "pageSize", 0, 10'000, size, res))
        return;
    m_pageSize = int(size);
    controlGet(req, res);
}

} // namespace pbi::sandbox
