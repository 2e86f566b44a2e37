#pragma once

#include "ServiceHost.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace pbi::sandbox {

/// The admin scanner API (api-digest §7): modified workspaces, getInfo → scanStatus →
/// scanResult. A scan takes its snapshot of the tenant when it is requested, then moves from
/// NotStarted through Running to Succeeded (or Failed) over time; its result stays available
/// for a day. Every handler runs under the sandbox's mutex.
class ScannerService {
public:
    explicit ScannerService(const ServiceContext& context);

    /// The route table; `self` is captured by the handlers (nullptr: only listing).
    static std::vector<ServiceRoute> entries(ScannerService* self);

    // Control endpoint /sandbox/control/scanner (docs/sandbox-embed-scanner-activity.md).
    void controlGet(const Request& req, Response& res) const;
    void controlPatch(const Request& req, Response& res);

    /// What a scan returns (the getInfo query options).
    struct Options {
        bool lineage = false;
        bool datasourceDetails = false;
        bool datasetSchema = false;
        bool datasetExpressions = false;
        bool getArtifactUsers = false;
    };

private:
    struct Scan {
        std::string id;
        UnixMs createdMs = 0;
        UnixMs runningMs = 0; ///< NotStarted until then
        UnixMs doneMs = 0;    ///< Running until then
        bool fails = false;
        nlohmann::json result; ///< WorkspaceInfoResponse, taken when requested
    };

    void modified(const Request&, Response&, const Caller&);
    void getInfo(const Request&, Response&, const Caller&);
    void scanStatus(const Request&, Response&, const Caller&);
    void scanResult(const Request&, Response&, const Caller&);

    std::string status(const Scan& s, UnixMs now) const;
    /// The scan named in the path, or nullptr with the service's answer in `res`.
    const Scan* findScan(const std::string& id, Response& res);
    nlohmann::json statusJson(const Scan& s, UnixMs now) const;
    nlohmann::json snapshot(const std::vector<std::string>& workspaceIds, const Options& o) const;

    const ServiceContext& m_context;
    std::map<std::string, Scan> m_scans;
    // Timing (control endpoint): the real service takes seconds to minutes per scan.
    long long m_queuedMs = 1000;
    long long m_runningMs = 2000;
    long long m_resultLifetimeMs = 24LL * 3600 * 1000; // "available for 24 hours"
    long long m_failNext = 0;
};

} // namespace pbi::sandbox
