#pragma once

// Fault and latency injection for the sandbox: the failures a real tenant produces now and
// then (throttling, 5xx, dropped connections, cut or broken bodies, slow links), on demand and
// reproducibly, so that the client's retry, throttling and paging code can be tested exactly.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <regex>
#include <string>
#include <vector>

namespace pbi::sandbox {

class HttpServer;

enum class FaultKind {
    Throttled,     ///< 429 + Retry-After + the service's throttling message; the handler never runs
    ServerError,   ///< 500 with a service error body; the handler never runs
    Unavailable,   ///< 503 + Retry-After; the handler never runs
    Reset,         ///< the connection is closed without any answer; the handler never runs
    Truncated,     ///< the handler runs; Content-Length promises more than is sent, then close
    MalformedJson, ///< the handler runs; its status stays, its body is cut mid-JSON
    SlowBody,      ///< the handler runs; the body trickles out over `durationMs`
};

/// "429", "500", "503", "reset", "truncated", "malformed", "slow".
std::string faultKindName(FaultKind kind);
std::optional<FaultKind> faultKindFromName(const std::string& name);

/// One fault: which requests it hits, how often, and how many times.
struct FaultRule {
    int id = 0; ///< assigned when added
    FaultKind kind = FaultKind::ServerError;
    std::string method;        ///< "GET", "POST"…; empty = any
    std::string path;          ///< ECMAScript regex searched in the path; empty = any
    double rate = 1.0;         ///< probability per matching request, 0–1
    int after = 0;             ///< let this many matching requests through first
    int count = -1;            ///< fire at most this many times ("the next N"); -1 = no limit
    int retryAfterSeconds = 1; ///< Retry-After of 429 and 503
    int durationMs = 2000;     ///< how long a slow body takes
    // Bookkeeping, reported by the control endpoint.
    int matched = 0;
    int fired = 0;
};

/// Extra time before a matching request is handled: fixedMs + uniform(0, jitterMs).
struct LatencyRule {
    int id = 0;
    std::string method;
    std::string path;
    int fixedMs = 0;
    int jitterMs = 0;
};

/// What to do with one request.
struct FaultDecision {
    int delayMs = 0;
    std::optional<FaultRule> fault; ///< a copy of the rule that fired
};

/// Counters the control endpoint reports, e.g. to check a client's concurrency limits.
struct FaultStats {
    std::int64_t requests = 0; ///< requests seen (control routes excluded)
    int inFlight = 0;
    int maxInFlight = 0;
    std::map<std::string, std::int64_t> injected; ///< by fault kind name
};

/// The sandbox's fault and latency rules. Decisions come from one random engine seeded by
/// `seed` and consumed in arrival order, so the same sequential requests meet the same faults
/// run after run; "after"/"count" rules need no randomness at all. Thread-safe.
class Faults {
public:
    explicit Faults(std::uint64_t seed = 1);

    /// Adds a rule and returns its id; throws std::invalid_argument on a bad rule.
    int addFault(FaultRule rule);
    int addLatency(LatencyRule rule);
    bool remove(int id);
    /// Drops every rule, resets the counters and re-seeds.
    void clear(std::optional<std::uint64_t> seed = std::nullopt);

    FaultDecision decide(const std::string& method, const std::string& path);
    void requestStarted();
    void requestFinished();

    FaultStats stats() const;
    void resetStats();
    nlohmann::json toJson() const;

    /// JSON → rule, for the control endpoint. Throws std::invalid_argument naming the field.
    static FaultRule faultFromJson(const nlohmann::json& j);
    static LatencyRule latencyFromJson(const nlohmann::json& j);
    static nlohmann::json toJson(const FaultRule& rule);
    static nlohmann::json toJson(const LatencyRule& rule);
    /// Command-line form: "KIND[,key=value…]" with keys method, path, rate, after, count,
    /// retry-after, duration; and "fixed=MS[,jitter=MS][,method=…][,path=…]" for latency.
    /// Throws std::invalid_argument with a message fit for the user.
    static FaultRule faultFromSpec(const std::string& spec);
    static LatencyRule latencyFromSpec(const std::string& spec);

private:
    struct CompiledFault {
        FaultRule rule;
        std::regex pattern;
    };
    struct CompiledLatency {
        LatencyRule rule;
        std::regex pattern;
    };

    mutable std::mutex m_mutex;
    std::uint64_t m_seed;
    std::mt19937_64 m_engine;
    int m_nextId = 1;
    std::vector<CompiledFault> m_faults;
    std::vector<CompiledLatency> m_latency;
    FaultStats m_stats;
};

/// Registers the run-time control endpoint (docs/sandbox-control.md):
/// GET|POST|PUT|DELETE /sandbox/control/faults, DELETE /sandbox/control/faults/{id},
/// GET|DELETE /sandbox/control/stats. Must be added before any catch-all route.
void addFaultControlRoutes(HttpServer& server, const std::shared_ptr<Faults>& faults);

/// Paths under this prefix are never delayed or faulted, so a test can always undo its faults.
inline constexpr char kControlPrefix[] = "/sandbox/control/";

} // namespace pbi::sandbox
