#include "Sandbox.h"

#include "HttpServer.h"
#include "Ids.h"
#include "Jwt.h"
#include "ServiceHost.h"
#include "WireHelpers.h"

#include <cctype>

namespace pbi::sandbox {

Sandbox::Sandbox(Tenant tenant, SandboxOptions options)
    : m_tenant(std::move(tenant))
    , m_options(std::move(options))
    , m_key(RsaKey::generate())
    , m_server(m_options.tls ? std::make_unique<HttpServer>(*m_options.tls)
                             : std::make_unique<HttpServer>())
    , m_clock(std::make_shared<SandboxClock>(m_options.timeScale, m_options.clockStartMs))
{
    m_tenant.reindex();
    RefreshSettings refresh;
    refresh.seed = m_options.refreshSeed;
    refresh.durationMs = std::max<std::int64_t>(0, m_options.refreshDurationMs);
    refresh.visibilityDelayMs = std::max<std::int64_t>(0, m_options.refreshVisibilityDelayMs);
    refresh.schedules = m_options.refreshSchedules;
    m_refresh = std::make_shared<RefreshEngine>(m_tenant, *m_clock, refresh);
    m_server->setDecorator([](const Request& req, Response& res) {
        // Headers every Power BI answer carries (api-digest §0); the request id is what
        // support asks for, so every answer has one, errors included.
        const std::string id = randomGuid();
        res.setHeader("RequestId", id);
        if (req.path.rfind("/v1.0/", 0) != 0)
            res.setHeader("x-ms-request-id", id);
        res.setHeader("Cache-Control", "no-store, must-revalidate, no-cache");
        res.setHeader("Pragma", "no-cache");
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("X-Frame-Options", "DENY");
    });
    m_faults = std::make_shared<Faults>(m_options.faultSeed);
    for (const auto& f : m_options.faults)
        m_faults->addFault(f);
    for (const auto& l : m_options.latency)
        m_faults->addLatency(l);
    m_server->setFaults(m_faults);
    addFaultControlRoutes(*m_server, m_faults);
    addRefreshControlRoutes();
    addEntraRoutes();
    addPowerBiRoutes();
    // Embed tokens, the admin scanner and activity events (ServiceHost.h): services with their
    // own route tables, given the tenant, the mutex, token validation and the clock.
    ServiceHost::install(*m_server, ServiceContext{m_mutex, m_tenant, m_options.throttleScale,
                                                   [this](const Request& q, Response& r) {
                                                       return authenticate(q, r);
                                                   },
                                                   [this] { return baseUrl(); }, m_clock.get()});
    addFallbackRoutes();
}

Sandbox::~Sandbox()
{
    stop();
}

bool Sandbox::start(std::string* error)
{
    if (!m_options.allowRemote && !isLoopbackHost(m_options.host)) {
        if (error)
            *error = "refusing to listen on " + m_options.host +
                     ": it is not a loopback address, and the sandbox's secrets and passwords "
                     "are published (docs/sandbox-identities.md). Allow it explicitly with "
                     "--allow-remote (SandboxOptions::allowRemote).";
        return false;
    }
    m_port = m_server->start(m_options.host, m_options.port, error);
    return m_port > 0;
}

void Sandbox::stop()
{
    m_server->stop();
}

std::string Sandbox::listenUrl() const
{
    const bool v6 = m_options.host.find(':') != std::string::npos;
    return std::string(isTls() ? "https://" : "http://") +
           (v6 ? "[" + m_options.host + "]" : m_options.host) + ":" + std::to_string(m_port);
}

std::string Sandbox::baseUrl() const
{
    if (const Request* req = m_server->currentRequest())
        return baseUrlFor(*req);
    return listenUrl();
}

std::string Sandbox::baseUrlFor(const Request& req) const
{
    // The Host header goes into URLs and JSON as it is: only a plain host[:port] is taken.
    const std::string host = req.header("host");
    bool sane = !host.empty() && host.size() < 256;
    for (char c : host)
        sane = sane && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                        c == ':' || c == '[' || c == ']' || c == '_');
    return sane ? std::string(isTls() ? "https://" : "http://") + host : listenUrl();
}

void Sandbox::setTimeScale(double timeScale)
{
    std::lock_guard lock(m_mutex);
    m_refresh->advance(); // what is due at the old speed happens first
    m_clock->setTimeScale(timeScale);
}

void Sandbox::advanceClock(std::int64_t ms)
{
    std::lock_guard lock(m_mutex);
    m_refresh->advance();
    m_clock->advance(ms);
    m_refresh->advance();
}

void Sandbox::forceRefreshOutcome(ForcedRefreshOutcome outcome)
{
    std::lock_guard lock(m_mutex);
    m_refresh->force(std::move(outcome));
}

std::string Sandbox::tenantId() const
{
    std::lock_guard lock(m_mutex);
    return m_tenant.id;
}

void Sandbox::addFallbackRoutes()
{
    // ASP.NET Web API's answer for a route that does not exist, which is what Power BI sends.
    auto notFound = [this](const Request& req, Response& res) {
        wire::json(res, 404,
                   {{"error",
                     {{"code", "NoHttpResource"},
                      {"message", "No HTTP resource was found that matches the request URI '" +
                                      baseUrl() + req.target + "'."}}}});
    };
    for (const char* method : {"GET", "POST", "PATCH", "PUT", "DELETE"})
        m_server->route(method, ".*", notFound);
}

} // namespace pbi::sandbox
