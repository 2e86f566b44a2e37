#pragma once

#include "ServiceHost.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace pbi::sandbox {

/// An embed token the sandbox issued, kept in memory so that an embed check can validate it.
struct IssuedEmbedToken {
    std::string tokenId;
    std::string token;
    std::string operationId;
    std::string principalId; ///< the caller's object id
    std::string appId;       ///< the caller's client id
    UnixMs issuedMs = 0;
    UnixMs expirationMs = 0;
    std::string accessLevel; ///< "View" | "Edit" | "Create"
    std::vector<std::string> reportIds;
    std::vector<std::string> editableReportIds;
    std::vector<std::string> datasetIds;
    std::vector<std::string> dashboardIds;
    std::vector<std::string> tileIds;
    std::vector<std::string> targetWorkspaceIds;
    nlohmann::json identities = nlohmann::json::array(); ///< identity blobs redacted
    bool sharedCapacity = false; ///< counted against the shared-capacity (trial) quota
};

/// GenerateToken (api-digest §4): the V1 per-item operations (report, report creation,
/// semantic model, dashboard, tile) and the multi-resource V2 POST /GenerateToken, with the
/// service's row-level-security rules, workspace-role checks, lifetime cap and the
/// shared-capacity quota. Every handler runs under the sandbox's mutex.
class EmbedTokenService {
public:
    explicit EmbedTokenService(const ServiceContext& context);

    /// The route table; `self` is captured by the handlers (nullptr: only listing).
    static std::vector<ServiceRoute> entries(EmbedTokenService* self);

    /// The token as issued while it is valid at `nowMs`; nullptr when unknown or expired.
    const IssuedEmbedToken* find(const std::string& token, UnixMs nowMs) const;

    // Control endpoint /sandbox/control/embed (docs/sandbox-embed-scanner-activity.md).
    void controlGet(const Request& req, Response& res) const;
    void controlPatch(const Request& req, Response& res);
    void controlCheck(const Request& req, Response& res) const;

private:
    struct Plan;
    void reportToken(const Request&, Response&, const Caller&);
    void createToken(const Request&, Response&, const Caller&);
    void datasetToken(const Request&, Response&, const Caller&);
    void dashboardToken(const Request&, Response&, const Caller&);
    void tileToken(const Request&, Response&, const Caller&);
    /// The V1 dashboard/tile preamble: body, scopes, workspace, dashboard; nullptr (and the
    /// answer in `res`) when any of them refuses.
    const Dashboard* dashboardPlan(const Request& req, Response& res, const Caller& c, Plan& plan,
                                   const Workspace** workspace);
    void multiToken(const Request&, Response&, const Caller&);

    /// Parses a V1 GenerateTokenRequest into `plan`; false with a 400 in `res`.
    bool parseV1(const Request& req, Response& res, Plan& plan) const;
    /// The path's workspace when the caller may embed from it; a 403 otherwise.
    const Workspace* pathWorkspace(const std::string& groupId, const Caller& c,
                                   Response& res) const;
    /// The caller must be a Member or Admin of every workspace the token touches.
    bool canEmbedFrom(const Workspace& w, const Caller& c, Response& res) const;
    bool addDataset(Plan& plan, const std::string& datasetId, const Caller& c, Response& res) const;
    bool checkIdentities(const Plan& plan, const Caller& c, Response& res) const;
    /// Common end of every operation: quota, lifetime, the token itself, 200.
    void issue(Plan& plan, const Request& req, const Caller& c, Response& res);

    const ServiceContext& m_context;
    std::unordered_map<std::string, IssuedEmbedToken> m_tokens; ///< by token string
    std::map<std::string, int> m_sharedCapacityTokens;          ///< principal → tokens issued
    int m_sharedCapacityQuota = 100;
};

} // namespace pbi::sandbox
