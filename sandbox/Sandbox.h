#pragma once

#include "Clock.h"
#include "Faults.h"
#include "RefreshEngine.h"
#include "Tenant.h"
#include "Tls.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pbi::sandbox {

class EntraService;
class HttpServer;
class PowerBiService;
class RsaKey;
struct Request;
struct Response;

struct SandboxOptions {
    std::string host = "127.0.0.1";
    int port = 0; ///< 0: a free port
    /// Listen on an address other than loopback. Off, start() refuses one: the sandbox's
    /// secrets and passwords are published (docs/sandbox-identities.md).
    bool allowRemote = false;
    /// Serve https with this certificate chain and key instead of http (docs/sandbox-tls.md);
    /// Tls.h generates one, with the CA certificate for clients to trust, or reads PEM files.
    std::optional<TlsIdentity> tls;
    /// Access-token lifetime in seconds; 0 picks 60–90 minutes at random, like Entra ID.
    int tokenLifetimeSeconds = 0;
    /// Device-code flow: the polling interval the sandbox asks for and enforces (Entra: 5 s;
    /// tests use 0 or 1), and how long a device code lives (Entra: 900 s).
    int deviceCodeIntervalSeconds = 5;
    int deviceCodeLifetimeSeconds = 900;
    /// Authorization codes live about 10 minutes at Entra ID.
    int authorizationCodeLifetimeSeconds = 600;
    /// Fault and latency injection (Faults.h, docs/sandbox-control.md): the seed of its
    /// random choices and the rules in force from the start; the control endpoint changes them.
    std::uint64_t faultSeed = 1;
    std::vector<FaultRule> faults;
    std::vector<LatencyRule> latency;
    /// Power BI throttling (Throttling.h): the documented per-endpoint limits, with every
    /// window multiplied by this factor (tests use e.g. 0.001: an hour becomes 3.6 s).
    /// 0 turns throttling off.
    double throttleScale = 1.0;
    /// Time acceleration: sandbox seconds per real second (docs/sandbox-powerbi.md, "Time").
    /// Token lifetimes, throttling windows, refresh durations and refresh schedules all run on
    /// the sandbox clock; 10 makes a 60-minute token last 6 real minutes. 0 freezes the clock
    /// (only Sandbox::advanceClock and the control endpoint move it).
    double timeScale = 1.0;
    /// Sandbox time at start, in milliseconds since the Unix epoch; 0: the wall clock. A fixed
    /// start makes schedules, windows and generated "now"s reproducible.
    std::int64_t clockStartMs = 0;
    /// Refreshes the sandbox runs (RefreshEngine.h): the seed of their durations and ids, one
    /// duration for all of them (0: a few seconds per model, from the seed), how long a new
    /// refresh stays out of the history, and whether refresh schedules fire.
    std::uint64_t refreshSeed = 1;
    std::int64_t refreshDurationMs = 0;
    std::int64_t refreshVisibilityDelayMs = 1000;
    bool refreshSchedules = true;
};

/// Who a validated bearer token says the caller is.
struct Caller {
    std::string objectId; ///< oid
    std::string appId;    ///< appid
    bool appOnly = false; ///< idtyp == app
    // Delegated (user) tokens only; empty / false for app-only tokens.
    std::string upn;                 ///< upn: the user principal name
    std::string displayName;         ///< name
    std::vector<std::string> scopes; ///< scp split on spaces, e.g. "Workspace.Read.All"
    bool isFabricAdmin = false;      ///< from the tenant's user record, not from the token

    bool hasScope(const std::string& scope) const
    {
        return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
    }
};

/// The sandbox tenant: an Entra ID and Power BI REST emulator on loopback. Thread-safe:
/// handlers run on the server's thread pool and share the tenant under one mutex.
class Sandbox {
public:
    explicit Sandbox(Tenant tenant, SandboxOptions options = {});
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    /// Starts serving; false with `error` set when the port cannot be bound.
    bool start(std::string* error = nullptr);
    void stop();

    int port() const { return m_port; }
    bool isTls() const { return m_options.tls.has_value(); }
    /// "http(s)://127.0.0.1:<port>": the authority host and the API base at once. Inside a
    /// handler, the scheme, host and port the client reached the sandbox at (its Host header),
    /// which every URL the sandbox hands out uses; elsewhere, the address it listens on.
    std::string baseUrl() const;
    /// baseUrl() as `req` reached the sandbox.
    std::string baseUrlFor(const Request& req) const;
    std::string tenantId() const;
    /// The fault and latency rules in force; tests may change them directly.
    Faults& faults() { return *m_faults; }

    /// The sandbox clock every timed behaviour reads (Clock.h).
    SandboxClock& clock() { return *m_clock; }
    /// Changes the time scale (SandboxOptions::timeScale) from now on.
    void setTimeScale(double timeScale);
    /// Moves sandbox time forward by `ms`: refreshes due finish, schedule slots passed fire,
    /// tokens age, throttling windows empty.
    void advanceClock(std::int64_t ms);
    /// The next refresh of a model ends this way (docs/sandbox-control.md).
    void forceRefreshOutcome(ForcedRefreshOutcome outcome);

private:
    /// The scheme, listening address and bound port.
    std::string listenUrl() const;
    void addEntraRoutes();
    void addPowerBiRoutes();
    void addFallbackRoutes();
    /// /sandbox/control/clock, /refresh-outcomes, /refresh-settings (RefreshRoutes.cpp).
    void addRefreshControlRoutes();

    // Entra ID (EntraService.h): its state lives under m_mutex like the rest.
    friend class EntraService;
    std::shared_ptr<EntraService> m_entra;

    /// Validates the bearer token as Power BI does; on failure fills `res` and returns nullopt.
    std::optional<Caller> authenticate(const Request& req, Response& res) const;

    // Power BI REST (PowerBiService.h): groups, items, admin APIs, throttling.
    friend class PowerBiService;
    std::shared_ptr<PowerBiService> m_powerBi;

    mutable std::mutex m_mutex;
    Tenant m_tenant;
    SandboxOptions m_options;
    std::shared_ptr<RsaKey> m_key;
    std::unique_ptr<HttpServer> m_server;
    std::shared_ptr<Faults> m_faults;
    /// Created first: Entra ID, throttling and refreshes read it. The refresh engine runs
    /// under m_mutex.
    std::shared_ptr<SandboxClock> m_clock;
    std::shared_ptr<RefreshEngine> m_refresh;
    int m_port = -1;
};

} // namespace pbi::sandbox
