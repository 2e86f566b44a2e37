#pragma once

#include "Tenant.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace pbi::sandbox {

class HttpServer;
class RsaKey;
struct Request;
struct Response;

struct SandboxOptions {
    std::string host = "127.0.0.1";
    int port = 0; ///< 0: a free port
    /// Access-token lifetime in seconds; 0 picks 60–90 minutes at random, like Entra ID.
    int tokenLifetimeSeconds = 0;
};

/// Who a validated bearer token says the caller is.
struct Caller {
    std::string objectId; ///< oid
    std::string appId;    ///< appid
    bool appOnly = false; ///< idtyp == app
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
    /// "http://127.0.0.1:<port>": the authority host and the API base at once.
    std::string baseUrl() const;
    std::string tenantId() const;

private:
    void addEntraRoutes();
    void addPowerBiRoutes();
    void addFallbackRoutes();

    void handleToken(const Request& req, Response& res);
    std::string issueAppToken(const AppRegistration& app);

    /// Validates the bearer token as Power BI does; on failure fills `res` and returns nullopt.
    std::optional<Caller> authenticate(const Request& req, Response& res) const;
    void handleGroups(const Request& req, Response& res);

    mutable std::mutex m_mutex;
    Tenant m_tenant;
    SandboxOptions m_options;
    std::shared_ptr<RsaKey> m_key;
    std::unique_ptr<HttpServer> m_server;
    int m_port = -1;
};

} // namespace pbi::sandbox
