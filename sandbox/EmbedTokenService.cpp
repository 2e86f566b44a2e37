// GenerateToken: embed tokens for the "embed for your customers" scenario
// (reference/api-digest.md §4; spec EmbedToken_GenerateToken and the *_GenerateTokenInGroup
// operations). Messages marked [obs] are the service's own, as observed in public code;
// the others are inferred and say so in docs/sandbox-embed-scanner-activity.md.

#include "EmbedTokenService.h"

#include "HttpServer.h"
#include "Ids.h"
#include "Jwt.h"
#include "WireHelpers.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

namespace pbi::sandbox {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxItems = 50;      // reports, datasets, target workspaces (spec)
constexpr std::size_t kMaxUsername = 256;  // EffectiveIdentity.username (spec)
constexpr std::size_t kMaxRoles = 50;      // roles per identity (spec)
constexpr std::size_t kMaxRoleLength = 50; // characters per role (spec)
constexpr std::size_t kPruneAbove = 1024;  // issued tokens kept before expired ones go

void invalid(Response& res, const std::string& message)
{
    wire::serviceError(res, 400, "InvalidRequest", message);
}

void notAuthorized(Response& res, int status = 401)
{
    wire::pbiError(res, status, "PowerBINotAuthorizedException");
}

void notFound(Response& res)
{
    wire::pbiError(res, 404, "PowerBIEntityNotFound");
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

bool iequals(const std::string& a, const std::string& b)
{
    return lower(a) == lower(b);
}

std::string str(const json& j, const char* key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The real token is gzip + base64 ("H4sI…", api-digest §4). Stored (uncompressed) deflate
// blocks keep it that shape without a zlib dependency: `base64 -d | gunzip` shows the claims.
std::uint32_t crc32(const std::string& data)
{
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t crc = 0xFFFFFFFFu;
    for (const char ch : data)
        crc = table[(crc ^ std::uint8_t(ch)) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

std::string gzipStored(const std::string& data)
{
    std::string out = {'\x1f', '\x8b', '\x08', '\0', '\0', '\0', '\0', '\0', '\0', '\xff'};
    auto le16 = [&](std::uint32_t v) {
        out += char(v & 0xFF);
        out += char((v >> 8) & 0xFF);
    };
    std::size_t pos = 0;
    do {
        const std::size_t n = std::min<std::size_t>(65535, data.size() - pos);
        out += char(pos + n == data.size() ? 1 : 0); // BFINAL, BTYPE 00 (stored)
        le16(std::uint32_t(n));
        le16(std::uint32_t(~n & 0xFFFF));
        out.append(data, pos, n);
        pos += n;
    } while (pos < data.size());
    const std::uint32_t crc = crc32(data);
    const std::uint32_t size = std::uint32_t(data.size());
    for (const std::uint32_t v : {crc, size})
        for (int shift = 0; shift < 32; shift += 8)
            out += char((v >> shift) & 0xFF);
    return out;
}

std::string base64(const std::string& bytes)
{
    static const char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const std::uint32_t v = std::uint32_t(std::uint8_t(bytes[i])) << 16 |
                                std::uint32_t(std::uint8_t(bytes[i + 1])) << 8 |
                                std::uint8_t(bytes[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (i < bytes.size()) {
        std::uint32_t v = std::uint32_t(std::uint8_t(bytes[i])) << 16;
        if (i + 1 < bytes.size())
            v |= std::uint32_t(std::uint8_t(bytes[i + 1])) << 8;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

/// An array of strings, or a 400 naming `what`.
bool stringArray(const json& j, const std::string& what, std::vector<std::string>& out,
                 Response& res)
{
    if (!j.is_array()) {
        invalid(res, "'" + what + "' must be an array of strings.");
        return false;
    }
    for (const auto& v : j) {
        if (!v.is_string()) {
            invalid(res, "'" + what + "' must be an array of strings.");
            return false;
        }
        out.push_back(v.get<std::string>());
    }
    return true;
}

} // namespace

/// Everything a token will grant, gathered and checked before it is issued.
struct EmbedTokenService::Plan {
    std::string operationId;
    std::string accessLevel = "View";
    bool allowSaveAs = false;
    std::string createDatasetId; ///< V1 datasetId (report creation)
    std::vector<std::pair<const Report*, const Workspace*>> reports;
    std::vector<std::string> editableReportIds;
    /// Every model the token reaches: listed, or behind a report or a tile.
    std::vector<std::pair<const Dataset*, const Workspace*>> datasets;
    std::vector<const Workspace*> targets;
    std::vector<std::pair<const Dashboard*, const Workspace*>> dashboards;
    std::vector<std::string> tileIds;
    json identities = json::array(); ///< as requested; checked by checkIdentities
    long long lifetimeMinutes = 0;

    bool hasDataset(const std::string& id) const
    {
        return std::any_of(datasets.begin(), datasets.end(),
                           [&](const auto& d) { return iequals(d.first->id, id); });
    }
};

EmbedTokenService::EmbedTokenService(const ServiceContext& context)
    : m_context(context)
{}

std::vector<ServiceRoute> EmbedTokenService::entries(EmbedTokenService* self)
{
    using S = ServiceRoute::Scope;
    auto m = [self](void (EmbedTokenService::*fn)(const Request&, Response&, const Caller&)) {
        return [self, fn](const Request& q, Response& r, const Caller& c) { (self->*fn)(q, r, c); };
    };
    const std::string g = "/v1.0/myorg/groups/{groupId}";
    return {
        {{"POST", "/v1.0/myorg/GenerateToken", "EmbedToken_GenerateToken"},
         S::Member,
         m(&EmbedTokenService::multiToken)},
        {{"POST", g + "/reports/{reportId}/GenerateToken", "Reports_GenerateTokenInGroup"},
         S::Member,
         m(&EmbedTokenService::reportToken)},
        {{"POST", g + "/reports/GenerateToken", "Reports_GenerateTokenForCreateInGroup"},
         S::Member,
         m(&EmbedTokenService::createToken)},
        {{"POST", g + "/datasets/{datasetId}/GenerateToken", "Datasets_GenerateTokenInGroup"},
         S::Member,
         m(&EmbedTokenService::datasetToken)},
        {{"POST", g + "/dashboards/{dashboardId}/GenerateToken", "Dashboards_GenerateTokenInGroup"},
         S::Member,
         m(&EmbedTokenService::dashboardToken)},
        {{"POST", g + "/dashboards/{dashboardId}/tiles/{tileId}/GenerateToken",
          "Tiles_GenerateTokenInGroup"},
         S::Member,
         m(&EmbedTokenService::tileToken)},
    };
}

// --- parsing ------------------------------------------------------------------------------

namespace {

/// identities and lifetimeInMinutes: shared by GenerateTokenRequest and ...V2.
bool parseCommon(const json& body, json& identities, long long& lifetime, Response& res)
{
    if (const auto it = body.find("identities"); it != body.end()) {
        if (!it->is_array()) {
            invalid(res, "'identities' must be an array of EffectiveIdentity objects.");
            return false;
        }
        for (const auto& i : *it) {
            if (!i.is_object()) {
                invalid(res, "'identities' must be an array of EffectiveIdentity objects.");
                return false;
            }
            for (const char* key : {"username", "customData", "auditableContext"})
                if (i.contains(key) && !i[key].is_string()) {
                    invalid(res, std::string("EffectiveIdentity '") + key + "' must be a string.");
                    return false;
                }
            for (const char* key : {"roles", "datasets", "reports"}) {
                std::vector<std::string> ignored;
                if (i.contains(key) &&
                    !stringArray(i[key], std::string("identities.") + key, ignored, res))
                    return false;
            }
            if (i.contains("identityBlob") &&
                (!i["identityBlob"].is_object() || !i["identityBlob"].contains("value") ||
                 !i["identityBlob"]["value"].is_string())) {
                invalid(res, "EffectiveIdentity 'identityBlob' must be {\"value\": \"<token>\"}.");
                return false;
            }
            identities.push_back(i);
        }
    }
    if (const auto it = body.find("lifetimeInMinutes"); it != body.end() && !it->is_null()) {
        // Spec: "The value must be a positive integer. Zero (0) is equivalent to null".
        if (!it->is_number_integer() || it->get<long long>() < 0) {
            invalid(res, "'lifetimeInMinutes' must be a positive integer, not " + it->dump() + ".");
            return false;
        }
        lifetime = it->get<long long>();
    }
    return true;
}

/// The identities as the token and the control endpoint keep them: identity blobs are
/// OAuth tokens for Azure SQL, so only their presence is kept.
json redacted(const json& identities)
{
    json out = json::array();
    for (json i : identities) {
        if (i.contains("identityBlob"))
            i["identityBlob"] = {{"value", "(redacted)"}};
        out.push_back(std::move(i));
    }
    return out;
}

} // namespace

bool EmbedTokenService::parseV1(const Request& req, Response& res, Plan& plan) const
{
    const json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        invalid(res, "The request body must be a GenerateTokenRequest JSON object.");
        return false;
    }
    if (const auto it = body.find("accessLevel"); it != body.end() && !it->is_null()) {
        const std::string level = it->is_string() ? lower(it->get<std::string>()) : std::string();
        // Enum values are case-insensitive on the wire, as the service's docs' examples are.
        if (level == "view")
            plan.accessLevel = "View";
        else if (level == "edit")
            plan.accessLevel = "Edit";
        else if (level == "create")
            plan.accessLevel = "Create";
        else {
            invalid(res, "'accessLevel' must be View, Edit or Create, not " + it->dump() + ".");
            return false;
        }
    }
    if (const auto it = body.find("allowSaveAs"); it != body.end() && !it->is_null()) {
        if (!it->is_boolean()) {
            invalid(res, "'allowSaveAs' must be true or false.");
            return false;
        }
        plan.allowSaveAs = it->get<bool>();
    }
    if (const auto it = body.find("datasetId"); it != body.end() && !it->is_null()) {
        if (!it->is_string()) {
            invalid(res, "'datasetId' must be a string.");
            return false;
        }
        plan.createDatasetId = it->get<std::string>();
    }
    return parseCommon(body, plan.identities, plan.lifetimeMinutes, res);
}

// --- access -------------------------------------------------------------------------------

bool EmbedTokenService::canEmbedFrom(const Workspace& w, const Caller& c, Response& res) const
{
    const Tenant& t = m_context.tenant;
    const std::string* role = w.state == "Active" ? t.accessRight(w, c.objectId) : nullptr;
    if (!role) {
        // troubleshoot-rest-api.md: GenerateToken answers 403 when the caller is not a
        // member of the workspace (other routes answer 401 GroupNotAccessible).
        res.setHeader("X-PowerBI-Error-Info", "GroupNotAccessible");
        notAuthorized(res, 403);
        return false;
    }
    // generate-embed-token.md: "The service principal or master user must be at least a
    // member of both workspaces" (the report's and the model's); so Contributors and Viewers
    // get no token at all, whatever the access level.
    if (roleRank(*role) < roleRank("Member")) {
        notAuthorized(res, 403);
        return false;
    }
    if (w.type == "PersonalGroup" || w.type == "Personal") {
        invalid(res, "Embed tokens cannot be generated for My workspace.");
        return false;
    }
    return true;
}

const Workspace* EmbedTokenService::pathWorkspace(const std::string& groupId, const Caller& c,
                                                  Response& res) const
{
    const Workspace* w =
        access::isGuid(groupId) ? m_context.tenant.findWorkspace(lower(groupId)) : nullptr;
    if (!w) {
        // Unknown and inaccessible look the same, so ids cannot be probed.
        res.setHeader("X-PowerBI-Error-Info", "GroupNotAccessible");
        notAuthorized(res, 403);
        return nullptr;
    }
    return canEmbedFrom(*w, c, res) ? w : nullptr;
}

bool EmbedTokenService::addDataset(Plan& plan, const std::string& id, const Caller& c,
                                   Response& res) const
{
    if (plan.hasDataset(id))
        return true;
    const Tenant& t = m_context.tenant;
    const auto ref = t.findDataset(lower(id));
    const Workspace* w = ref ? &t.workspaces[ref->workspace] : nullptr;
    if (!w || w->state != "Active" || !t.accessRight(*w, c.objectId)) {
        notFound(res); // a model in a workspace the caller is not in does not exist for it
        return false;
    }
    if (!canEmbedFrom(*w, c, res))
        return false;
    plan.datasets.emplace_back(&w->datasets[ref->item], w);
    return true;
}

bool EmbedTokenService::checkIdentities(const Plan& plan, const Caller& c, Response& res) const
{
    // Rules of each identity (EffectiveIdentity in the spec; embedded-troubleshoot.md).
    for (const auto& i : plan.identities) {
        const std::string username = str(i, "username");
        if (username.empty() && !i.contains("identityBlob")) {
            invalid(res, "An effective identity needs a username.");
            return false;
        }
        if (username.size() > kMaxUsername || username.find(' ') != std::string::npos) {
            invalid(res, "The effective identity username '" + username +
                             "' must be at most 256 characters and contain no spaces.");
            return false;
        }
        const json roles = i.value("roles", json::array());
        if (roles.size() > kMaxRoles) {
            invalid(res, "An effective identity can contain up to 50 roles, not " +
                             std::to_string(roles.size()) + ".");
            return false;
        }
        for (const auto& r : roles) {
            const std::string role = r.get<std::string>();
            if (role.empty() || role.size() > kMaxRoleLength ||
                role.find(',') != std::string::npos) {
                invalid(res, "The role '" + role +
                                 "' is invalid: a role has 1 to 50 characters and no commas.");
                return false;
            }
        }
        const json datasets = i.value("datasets", json::array());
        const json reports = i.value("reports", json::array());
        if (datasets.empty() && reports.empty()) {
            invalid(res, "Creating embed token with effective identity requires the datasets "
                         "the identity applies to.");
            return false;
        }
        for (const auto& d : datasets)
            if (!plan.hasDataset(d.get<std::string>())) {
                invalid(res, "Dataset " + d.get<std::string>() +
                                 " of an effective identity is not one of the datasets the "
                                 "embed token is generated for.");
                return false;
            }
        for (const auto& r : reports) {
            // identity.reports: "Only supported for paginated reports" (spec).
            const bool paginated =
                std::any_of(plan.reports.begin(), plan.reports.end(), [&](const auto& p) {
                    return iequals(p.first->id, r.get<std::string>()) &&
                           p.first->reportType == "PaginatedReport";
                });
            if (!paginated) {
                invalid(res, "Report " + r.get<std::string>() +
                                 " of an effective identity is not a paginated report of the "
                                 "request.");
                return false;
            }
        }
    }
    // Rules of each model (api-digest §4).
    for (const auto& [d, w] : plan.datasets) {
        (void)w;
        std::vector<const json*> applying;
        for (const auto& i : plan.identities)
            for (const auto& id : i.value("datasets", json::array()))
                if (iequals(id.get<std::string>(), d->id))
                    applying.push_back(&i);
        const bool rls = !d->roles.empty();
        if (!rls) {
            if (!applying.empty()) {
                // [obs]
                invalid(res, "Creating embed token for accessing dataset " + d->id +
                                 " shouldn't have effective identity");
                return false;
            }
            continue;
        }
        if (applying.empty()) {
            // cloud-rls.md: a master user without an identity sees the model unfiltered; a
            // service principal must always pass one.
            if (!c.appOnly)
                continue;
            // [obs]
            invalid(res, "Creating embed token for accessing dataset " + d->id +
                             " requires effective identity to be provided");
            return false;
        }
        if (applying.size() > 1) {
            invalid(res,
                    "More than one effective identity was provided for dataset " + d->id + ".");
            return false;
        }
        const json roles = applying.front()->value("roles", json::array());
        if (roles.empty()) {
            // [obs]: the sandbox's models with RLS all have isEffectiveIdentityRolesRequired.
            invalid(res, "Creating embed token for accessing dataset " + d->id +
                             " requires roles to be included in provided effective identity");
            return false;
        }
        for (const auto& r : roles) {
            const std::string role = r.get<std::string>();
            const bool known = std::any_of(d->roles.begin(), d->roles.end(),
                                           [&](const RlsRole& x) { return iequals(x.name, role); });
            if (!known) {
                invalid(res, "Creating embed token for accessing dataset " + d->id +
                                 " failed: the role '" + role + "' doesn't exist in the dataset.");
                return false;
            }
        }
    }
    return true;
}

// --- operations ---------------------------------------------------------------------------

void EmbedTokenService::reportToken(const Request& req, Response& res, const Caller& c)
{
    Plan plan;
    plan.operationId = "Reports_GenerateTokenInGroup";
    if (!parseV1(req, res, plan))
        return;
    // "Required Scope: all of the following, unless a requirement doesn't apply".
    if (!access::hasScopeFamily(c, "Report") || !access::hasScopeFamily(c, "Dataset") ||
        (plan.allowSaveAs && !access::hasScope(c, "Content.Create")))
        return notAuthorized(res);
    const Workspace* w = pathWorkspace(req.pathParams[0], c, res);
    if (!w)
        return;
    const auto it = std::find_if(w->reports.begin(), w->reports.end(),
                                 [&](const Report& r) { return iequals(r.id, req.pathParams[1]); });
    if (it == w->reports.end())
        return notFound(res);
    if (plan.accessLevel == "Create")
        return invalid(res, "The Create access level applies to report creation only "
                            "(POST groups/{groupId}/reports/GenerateToken).");
    plan.reports.emplace_back(&*it, w);
    if (plan.accessLevel == "Edit")
        plan.editableReportIds.push_back(it->id);
    if (plan.allowSaveAs)
        plan.targets.push_back(w);
    if (!it->datasetId.empty() && !addDataset(plan, it->datasetId, c, res))
        return;
    if (!checkIdentities(plan, c, res))
        return;
    issue(plan, req, c, res);
}

void EmbedTokenService::createToken(const Request& req, Response& res, const Caller& c)
{
    Plan plan;
    plan.operationId = "Reports_GenerateTokenForCreateInGroup";
    if (!parseV1(req, res, plan))
        return;
    if (!access::hasScope(c, "Content.Create") || !access::hasScopeFamily(c, "Report") ||
        !access::hasScopeFamily(c, "Dataset"))
        return notAuthorized(res);
    const Workspace* w = pathWorkspace(req.pathParams[0], c, res);
    if (!w)
        return;
    if (plan.accessLevel != "Create")
        return invalid(res, "Report creation needs the Create access level, not " +
                                plan.accessLevel + ".");
    if (plan.createDatasetId.empty())
        return invalid(res, "Report creation needs 'datasetId': the model the new report uses.");
    plan.targets.push_back(w);
    if (!addDataset(plan, plan.createDatasetId, c, res) || !checkIdentities(plan, c, res))
        return;
    issue(plan, req, c, res);
}

void EmbedTokenService::datasetToken(const Request& req, Response& res, const Caller& c)
{
    Plan plan;
    plan.operationId = "Datasets_GenerateTokenInGroup";
    if (!parseV1(req, res, plan))
        return;
    if (!access::hasScopeFamily(c, "Dataset") ||
        (plan.accessLevel == "Create" && !access::hasScope(c, "Content.Create")))
        return notAuthorized(res);
    const Workspace* w = pathWorkspace(req.pathParams[0], c, res);
    if (!w)
        return;
    const auto it = std::find_if(w->datasets.begin(), w->datasets.end(), [&](const Dataset& d) {
        return iequals(d.id, req.pathParams[1]);
    });
    if (it == w->datasets.end())
        return notFound(res);
    // Spec: Edit "only applies when you generate an embed token for report embedding".
    if (plan.accessLevel == "Edit")
        return invalid(res, "The Edit access level applies to report embedding only.");
    if (plan.accessLevel == "Create")
        plan.targets.push_back(w);
    plan.datasets.emplace_back(&*it, w);
    if (!checkIdentities(plan, c, res))
        return;
    issue(plan, req, c, res);
}

const Dashboard* EmbedTokenService::dashboardPlan(const Request& req, Response& res, const Caller& c, Plan& plan,
                                                  const Workspace** workspace)
{
    if (!parseV1(req, res, plan))
        return nullptr;
    if (!access::hasScopeFamily(c, "Dashboard") || !access::hasScopeFamily(c, "Report") ||
        !access::hasScopeFamily(c, "Dataset")) {
        notAuthorized(res);
        return nullptr;
    }
    const Workspace* w = pathWorkspace(req.pathParams[0], c, res);
    if (!w)
        return nullptr;
    const auto it = std::find_if(w->dashboards.begin(), w->dashboards.end(),
                                 [&](const Dashboard& d) { return iequals(d.id, req.pathParams[1]); });
    if (it == w->dashboards.end()) {
        notFound(res);
        return nullptr;
    }
    *workspace = w;
    return &*it;
}

void EmbedTokenService::dashboardToken(const Request& req, Response& res, const Caller& c)
{
    Plan plan;
    plan.operationId = "Dashboards_GenerateTokenInGroup";
    const Workspace* w = nullptr;
    const Dashboard* dashboard = dashboardPlan(req, res, c, plan, &w);
    if (!dashboard)
        return;
    if (plan.accessLevel != "View")
        return invalid(res, "Dashboard embed tokens support the View access level only.");
    plan.dashboards.emplace_back(dashboard, w);
    // The identities apply to the models behind the tiles (spec example: one per model).
    for (const auto& tile : dashboard->tiles)
        if (!tile.datasetId.empty() && !addDataset(plan, tile.datasetId, c, res))
            return;
    if (!checkIdentities(plan, c, res))
        return;
    issue(plan, req, c, res);
}

void EmbedTokenService::tileToken(const Request& req, Response& res, const Caller& c)
{
    Plan plan;
    plan.operationId = "Tiles_GenerateTokenInGroup";
    const Workspace* w = nullptr;
    const Dashboard* dashboard = dashboardPlan(req, res, c, plan, &w);
    if (!dashboard)
        return;
    const auto tile = std::find_if(dashboard->tiles.begin(), dashboard->tiles.end(),
                                   [&](const Tile& x) { return iequals(x.id, req.pathParams[2]); });
    if (tile == dashboard->tiles.end())
        return notFound(res);
    if (plan.accessLevel != "View")
        return invalid(res, "Tile embed tokens support the View access level only.");
    plan.dashboards.emplace_back(dashboard, w);
    plan.tileIds.push_back(tile->id);
    if (!tile->datasetId.empty() && !addDataset(plan, tile->datasetId, c, res))
        return;
    if (!checkIdentities(plan, c, res))
        return;
    issue(plan, req, c, res);
}

void EmbedTokenService::multiToken(const Request& req, Response& res, const Caller& c)
{
    Plan plan;
    plan.operationId = "EmbedToken_GenerateToken";
    const json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
        return invalid(res, "The request body must be a GenerateTokenRequestV2 JSON object.");
    // The lists, each of objects with an "id" (spec GenerateTokenRequestV2*).
    auto list = [&](const char* key, const char* noun, std::vector<json>& out) {
        const auto it = body.find(key);
        if (it == body.end() || it->is_null())
            return true;
        if (!it->is_array()) {
            invalid(res, std::string("'") + key + "' must be an array.");
            return false;
        }
        for (const auto& item : *it) {
            if (!item.is_object() || !item.contains("id") || !item["id"].is_string() ||
                item["id"].get<std::string>().empty()) {
                invalid(res, std::string("Every item of '") + key + "' needs an 'id'.");
                return false;
            }
            out.push_back(item);
        }
        if (out.size() > kMaxItems) {
            invalid(res, std::string("An embed token can be generated for at most 50 ") + noun +
                             ", not " + std::to_string(out.size()) + ".");
            return false;
        }
        return true;
    };
    std::vector<json> datasets, reports, targets;
    if (!list("datasets", "datasets", datasets) || !list("reports", "reports", reports) ||
        !list("targetWorkspaces", "target workspaces", targets) ||
        !parseCommon(body, plan.identities, plan.lifetimeMinutes, res))
        return;
    for (const auto& d : datasets)
        if (d.contains("xmlaPermissions") &&
            (!d["xmlaPermissions"].is_string() ||
             (!iequals(d["xmlaPermissions"].get<std::string>(), "Off") &&
              !iequals(d["xmlaPermissions"].get<std::string>(), "ReadOnly"))))
            return invalid(res, "'xmlaPermissions' must be Off or ReadOnly.");
    for (const auto& r : reports)
        if (r.contains("allowEdit") && !r["allowEdit"].is_boolean())
            return invalid(res, "'allowEdit' must be true or false.");
    if (const auto it = body.find("datasourceIdentities"); it != body.end() && !it->is_null()) {
        bool ok = it->is_array();
        for (const auto& s : ok ? *it : json::array())
            ok = ok && s.is_object() && s.contains("identityBlob") &&
                 s["identityBlob"].is_string() && s.contains("datasources") &&
                 s["datasources"].is_array();
        if (!ok)
            return invalid(res, "'datasourceIdentities' must be an array of {\"identityBlob\", "
                                "\"datasources\"} objects.");
    }
    if (datasets.empty() && reports.empty())
        return invalid(res, "An embed token needs at least one report or dataset.");
    const bool anyEdit = std::any_of(reports.begin(), reports.end(),
                                     [](const json& r) { return r.value("allowEdit", false); });
    if (!access::hasScopeFamily(c, "Dataset") ||
        (!reports.empty() && !access::hasScopeFamily(c, "Report")) ||
        (anyEdit && !access::hasScope(c, "Report.ReadWrite.All")) ||
        (!targets.empty() && !access::hasScope(c, "Content.Create")))
        return notAuthorized(res);

    const Tenant& t = m_context.tenant;
    for (const auto& d : datasets)
        if (!addDataset(plan, d["id"].get<std::string>(), c, res))
            return;
    for (const auto& r : reports) {
        const std::string id = r["id"].get<std::string>();
        const auto ref = access::isGuid(id) ? t.findReport(lower(id)) : std::nullopt;
        const Workspace* w = ref ? &t.workspaces[ref->workspace] : nullptr;
        if (!w || w->state != "Active" || !t.accessRight(*w, c.objectId))
            return notFound(res);
        if (!canEmbedFrom(*w, c, res))
            return;
        const Report& report = w->reports[ref->item];
        plan.reports.emplace_back(&report, w);
        if (r.value("allowEdit", false))
            plan.editableReportIds.push_back(report.id);
        // The report's own model is reached through it, so its RLS rules apply too.
        if (!report.datasetId.empty() && !addDataset(plan, report.datasetId, c, res))
            return;
    }
    for (const auto& tw : targets) {
        const std::string id = tw["id"].get<std::string>();
        const Workspace* w = access::isGuid(id) ? t.findWorkspace(lower(id)) : nullptr;
        if (!w) {
            res.setHeader("X-PowerBI-Error-Info", "GroupNotAccessible");
            return notAuthorized(res, 403);
        }
        if (!canEmbedFrom(*w, c, res))
            return;
        plan.targets.push_back(w);
    }
    if (!checkIdentities(plan, c, res))
        return;
    plan.accessLevel = !plan.targets.empty() ? "Create" : anyEdit ? "Edit" : "View";
    issue(plan, req, c, res);
}

// --- issuing ------------------------------------------------------------------------------

void EmbedTokenService::issue(Plan& plan, const Request& req, const Caller& c, Response& res)
{
    const Tenant& t = m_context.tenant;
    if (!t.settings.embedContentInApps) {
        // Admin portal "Embed content in apps" off: no embedding at all (inferred status).
        notAuthorized(res, 403);
        return;
    }
    bool shared = false;
    auto onShared = [&](const Workspace* w) { shared = shared || !w->capacityId; };
    for (const auto& [r, w] : plan.reports)
        onShared(w);
    for (const auto& [d, w] : plan.datasets)
        onShared(w);
    for (const auto& [d, w] : plan.dashboards)
        onShared(w);
    for (const Workspace* w : plan.targets)
        onShared(w);
    // Embedding without a capacity runs on free "trial" tokens, whose number Microsoft does not
    // disclose (powerbi-docs#4934); the sandbox's quota is per caller and adjustable.
    if (shared && m_sharedCapacityTokens[c.objectId] >= m_sharedCapacityQuota) {
        wire::serviceError(res, 403, "InvalidRequest",
                           "The user has exceeded the amount of embed token that can be "
                           "generated on a shared capacity.");
        return;
    }

    // The embed token lives as long as the Entra token used to ask for it, at most
    // (generate-embed-token.md); lifetimeInMinutes can only shorten that.
    const UnixMs now = m_context.nowMs();
    UnixMs accessExpiresMs = now;
    const std::string auth = req.header("authorization");
    if (const auto jwt = decodeJwt(std::string_view(auth).substr(7));
        jwt && jwt->claims.contains("exp") && jwt->claims["exp"].is_number_integer())
        accessExpiresMs = jwt->claims["exp"].get<std::int64_t>() * 1000;
    UnixMs expiration = accessExpiresMs;
    if (plan.lifetimeMinutes > 0)
        expiration = std::min(expiration, now + UnixMs(plan.lifetimeMinutes) * 60'000);
    expiration -= expiration % 1000; // the service writes whole seconds

    IssuedEmbedToken issued;
    issued.tokenId = randomGuid();
    issued.operationId = plan.operationId;
    issued.principalId = c.objectId;
    issued.appId = c.appId;
    issued.issuedMs = now;
    issued.expirationMs = expiration;
    issued.accessLevel = plan.accessLevel;
    for (const auto& [r, w] : plan.reports)
        issued.reportIds.push_back(r->id);
    issued.editableReportIds = plan.editableReportIds;
    for (const auto& [d, w] : plan.datasets)
        issued.datasetIds.push_back(d->id);
    for (const auto& [d, w] : plan.dashboards)
        issued.dashboardIds.push_back(d->id);
    issued.tileIds = plan.tileIds;
    for (const Workspace* w : plan.targets)
        issued.targetWorkspaceIds.push_back(w->id);
    issued.identities = redacted(plan.identities);
    issued.sharedCapacity = shared;

    const json claims = {{"ver", "sandbox-1"},
                         {"tid", t.id},
                         {"tokenId", issued.tokenId},
                         {"oid", issued.principalId},
                         {"appid", issued.appId},
                         {"iat", now / 1000},
                         {"exp", expiration / 1000},
                         {"accessLevel", issued.accessLevel},
                         {"reports", issued.reportIds},
                         {"editableReports", issued.editableReportIds},
                         {"datasets", issued.datasetIds},
                         {"dashboards", issued.dashboardIds},
                         {"tiles", issued.tileIds},
                         {"targetWorkspaces", issued.targetWorkspaceIds},
                         {"identities", issued.identities},
                         {"nonce", randomGuid()}};
    issued.token = base64(gzipStored(claims.dump()));

    if (shared)
        ++m_sharedCapacityTokens[c.objectId];
    if (m_tokens.size() >= kPruneAbove)
        std::erase_if(m_tokens, [now](const auto& kv) { return kv.second.expirationMs <= now; });
    const json body = {{"token", issued.token},
                       {"tokenId", issued.tokenId},
                       {"expiration", isoTime(expiration / 1000)}};
    m_tokens.emplace(issued.token, std::move(issued));
    wire::json(res, 200, body);
}

const IssuedEmbedToken* EmbedTokenService::find(const std::string& token, UnixMs nowMs) const
{
    const auto it = m_tokens.find(token);
    return it != m_tokens.end() && it->second.expirationMs > nowMs ? &it->second : nullptr;
}

// --- control ------------------------------------------------------------------------------

void EmbedTokenService::controlGet(const Request&, Response& res) const
{
    json counts = json::object();
    for (const auto& [principal, n] : m_sharedCapacityTokens)
        counts[principal] = n;
    wire::json(res, 200,
               {{"sharedCapacityQuota", m_sharedCapacityQuota},
                {"sharedCapacityTokens", std::move(counts)},
                {"issuedTokens", m_tokens.size()}});
}

void EmbedTokenService::controlPatch(const Request& req, Response& res)
{
    const auto body = controlBody(req, res, {"sharedCapacityQuota", "resetSharedCapacityCounts"});
    if (!body)
        return;
    long long quota = m_sharedCapacityQuota;
    if (!controlInt(*body, "sharedCapacityQuota", 0, 1'000'000, quota, res))
        return;
    const auto reset = body->find("resetSharedCapacityCounts");
    if (reset != body->end() && !reset->is_boolean())
        return invalid(res, "'resetSharedCapacityCounts' must be true or false.");
    m_sharedCapacityQuota = int(quota);
    if (reset != body->end() && reset->get<bool>())
        m_sharedCapacityTokens.clear();
    controlGet(req, res);
}

void EmbedTokenService::controlCheck(const Request& req, Response& res) const
{
    const auto body = controlBody(req, res, {"token"});
    if (!body)
        return;
    const std::string token = str(*body, "token");
    if (token.empty())
        return invalid(res, "'token' must be the embed token to check.");
    const auto it = m_tokens.find(token);
    if (it == m_tokens.end()) {
        wire::json(res, 200, {{"valid", false}, {"reason", "unknown"}});
        return;
    }
    const IssuedEmbedToken& e = it->second;
    const bool valid = e.expirationMs > m_context.nowMs();
    json out = {{"valid", valid},
                {"tokenId", e.tokenId},
                {"operationId", e.operationId},
                {"principalId", e.principalId},
                {"issued", isoTime(e.issuedMs / 1000)},
                {"expiration", isoTime(e.expirationMs / 1000)},
                {"accessLevel", e.accessLevel},
                {"reports", e.reportIds},
                {"editableReports", e.editableReportIds},
                {"datasets", e.datasetIds},
                {"dashboards", e.dashboardIds},
                {"tiles", e.tileIds},
                {"targetWorkspaces", e.targetWorkspaceIds},
                {"identities", e.identities},
                {"sharedCapacity", e.sharedCapacity}};
    if (!valid)
        out["reason"] = "expired";
    wire::json(res, 200, out);
}

} // namespace pbi::sandbox
