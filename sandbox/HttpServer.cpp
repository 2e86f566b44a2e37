#include "HttpServer.h"

#include "Faults.h"

#include <httplib.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <exception>
#include <thread>

namespace pbi::sandbox {

namespace {

int portOf(const sockaddr_storage& a)
{
    if (a.ss_family == AF_INET)
        return ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port);
    if (a.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port);
    return -1;
}

/// cpp-httplib hands handlers no socket. The accepted connection is the one socket of this
/// process whose own port is the server's and whose peer port is the client's.
int findConnection(const httplib::Request& hreq)
{
    DIR* dir = opendir("/proc/self/fd");
    if (!dir)
        return -1;
    int found = -1;
    while (dirent* entry = readdir(dir)) {
        char* end = nullptr;
        const long fd = std::strtol(entry->d_name, &end, 10);
        if (!end || *end != '\0' || fd < 0 || fd == dirfd(dir))
            continue;
        sockaddr_storage local{}, peer{};
        socklen_t localLen = sizeof local, peerLen = sizeof peer;
        if (getsockname(int(fd), reinterpret_cast<sockaddr*>(&local), &localLen) != 0 ||
            getpeername(int(fd), reinterpret_cast<sockaddr*>(&peer), &peerLen) != 0)
            continue;
        if (portOf(local) == hreq.local_port && portOf(peer) == hreq.remote_port) {
            found = int(fd);
            break;
        }
    }
    closedir(dir);
    return found;
}

/// A connection dropped with no answer at all: FIN now, RST when the server closes it.
/// The descriptor stays httplib's to close, so no other thread can be handed its number.
void dropConnection(const httplib::Request& hreq)
{
    const int fd = findConnection(hreq);
    if (fd < 0) {
        std::fprintf(stderr, "pbi-sandbox: cannot find the connection to reset\n");
        return;
    }
    const linger abortive{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
    ::shutdown(fd, SHUT_RDWR);
}

bool isRefusal(FaultKind kind)
{
    return kind == FaultKind::Throttled || kind == FaultKind::ServerError ||
           kind == FaultKind::Unavailable;
}

/// The answers the service gives instead of running the operation.
void refuse(const FaultRule& fault, Response& res)
{
    res.contentType = "application/json; charset=utf-8";
    const std::string seconds = std::to_string(fault.retryAfterSeconds);
    switch (fault.kind) {
    case FaultKind::Throttled:
        // The body and header of a real 429 (api-digest §5, shape 4).
        res.status = 429;
        res.setHeader("Retry-After", seconds);
        res.body = R"({"message":"You have exceeded the amount of requests allowed in the current time frame and further requests will fail. Retry in )" +
                   seconds + R"( seconds."})";
        break;
    case FaultKind::Unavailable:
        // The reference shows no 503 body; this is the front door's usual plain error shape.
        res.status = 503;
        res.setHeader("Retry-After", seconds);
        res.body = R"({"error":{"code":"ServiceUnavailable","message":"The service is temporarily unavailable. Retry in )" +
                   seconds + R"( seconds."}})";
        break;
    default:
        res.status = 500;
        res.body = R"({"error":{"code":"InternalServerError","message":"An internal error occurred."}})";
        break;
    }
}

} // namespace

std::string Request::header(const std::string& lowerName) const
{
    auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
}

const std::string* Request::queryValue(const std::string& name) const
{
    auto it = query.find(name);
    return it == query.end() ? nullptr : &it->second;
}

void Response::setHeader(const std::string& name, const std::string& value)
{
    for (auto& h : headers) {
        if (h.first == name) {
            h.second = value;
            return;
        }
    }
    headers.emplace_back(name, value);
}

/// Set while a handler runs, for Sandbox::baseUrl() to answer with the address the client used.
struct CurrentRequest {
    const void* server = nullptr;
    const Request* request = nullptr;
};
thread_local CurrentRequest t_current;

bool isLoopbackHost(const std::string& host)
{
    std::string lower = host;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (lower == "localhost")
        return true;
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&v6) || (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
    return false;
}

struct HttpServer::Impl {
    std::unique_ptr<httplib::Server> server;
    bool tls = false;
    std::string setupError; ///< why the TLS context could not be built; start() reports it
    std::thread thread;
    std::function<void(const Request&, Response&)> decorator;
    std::shared_ptr<Faults> faults;
    std::atomic<bool> running{false};
    std::atomic<bool> stopping{false};

    /// Sleeps up to `ms`, cut short when the server stops; false if it was cut short.
    bool pause(int ms) const
    {
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (std::chrono::steady_clock::now() < until) {
            if (stopping)
                return false;
            std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
                std::chrono::milliseconds(10), until - std::chrono::steady_clock::now()));
        }
        return !stopping;
    }
};

HttpServer::HttpServer() : HttpServer(nullptr) {}

HttpServer::HttpServer(const TlsIdentity& tls) : HttpServer(&tls) {}

HttpServer::HttpServer(const TlsIdentity* tls) : d(std::make_unique<Impl>())
{
    if (tls) {
        d->tls = true;
        Impl* impl = d.get();
        d->server = std::make_unique<httplib::SSLServer>([impl, tls](SSL_CTX& context) {
            return configureServerContext(&context, *tls, &impl->setupError);
        });
    } else {
        d->server = std::make_unique<httplib::Server>();
    }
    d->server->set_keep_alive_max_count(1000);
    d->server->set_read_timeout(30, 0);
    d->server->set_write_timeout(30, 0);
    d->server->set_payload_max_length(64 * 1024 * 1024);
    // httplib writes the head and the body separately: without this, Nagle and the client's
    // delayed ACK add 40 ms to every answer.
    d->server->set_tcp_nodelay(true);
    // Injected latency parks workers; enough of them that a client's own concurrency limit
    // (16 for the scanner's getInfo, api-digest §6) is what a test measures, not ours.
    d->server->new_task_queue = [] { return new httplib::ThreadPool(32); };
}

HttpServer::~HttpServer()
{
    stop();
}

void HttpServer::setDecorator(std::function<void(const Request&, Response&)> before)
{
    d->decorator = std::move(before);
}

void HttpServer::setFaults(std::shared_ptr<Faults> faults)
{
    d->faults = std::move(faults);
}

void HttpServer::route(const std::string& method, const std::string& pattern, Handler handler)
{
    auto adapter = [this, handler = std::move(handler)](const httplib::Request& hreq,
                                                       httplib::Response& hres) {
        Request req;
        req.method = hreq.method;
        req.path = hreq.path;
        req.target = hreq.target;
        for (const auto& [k, v] : hreq.headers) {
            std::string lower = k;
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char c) { return char(std::tolower(c)); });
            req.headers.emplace(lower, v);
        }
        for (const auto& [k, v] : hreq.params)
            req.query.emplace(k, v);
        for (std::size_t i = 1; i < hreq.matches.size(); ++i)
            req.pathParams.push_back(hreq.matches[i].str());
        req.body = hreq.body;
        req.remoteAddress = hreq.remote_addr;

        const bool control = req.path.rfind(kControlPrefix, 0) == 0;
        Faults* faults = control ? nullptr : d->faults.get();
        FaultDecision decision;
        if (faults) {
            faults->requestStarted();
            decision = faults->decide(req.method, req.path);
        }
        struct InFlight {
            Faults* faults;
            ~InFlight()
            {
                if (faults)
                    faults->requestFinished();
            }
        } inFlight{faults};
        if (decision.delayMs > 0 && !d->pause(decision.delayMs))
            return;
        const std::optional<FaultRule>& fault = decision.fault;
        if (fault && fault->kind == FaultKind::Reset) {
            dropConnection(hreq);
            hres.status = 500;
            return;
        }

        Response res;
        struct Current {
            Current(const void* server, const Request* r) { t_current = {server, r}; }
            ~Current() { t_current = {}; }
        } current(d.get(), &req);
        try {
            if (d->decorator)
                d->decorator(req, res);
            if (fault && isRefusal(fault->kind))
                refuse(*fault, res);
            else
                handler(req, res);
        } catch (const std::exception& e) {
            // A bug in the sandbox must never take it down: answer like the service's 500.
            res.status = 500;
            res.contentType = "application/json; charset=utf-8";
            res.body = R"({"error":{"code":"InternalServerError","message":"An internal error occurred in the sandbox."}})";
            std::fprintf(stderr, "pbi-sandbox: handler for %s %s threw: %s\n", req.method.c_str(),
                         req.path.c_str(), e.what());
        }
        hres.status = res.status;
        for (const auto& [k, v] : res.headers)
            hres.set_header(k, v);
        if (fault && fault->kind == FaultKind::Truncated) {
            // Promise the whole body (or some bytes when there is none), send half, hang up.
            auto sent = std::make_shared<std::string>(res.body.substr(0, res.body.size() / 2));
            const std::size_t promised = res.body.empty() ? 64 : res.body.size();
            hres.set_content_provider(promised, res.contentType,
                                      [sent](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                if (offset >= sent->size())
                    return false; // httplib closes the connection mid-body
                sink.write(sent->data() + offset, sent->size() - offset);
                return true;
            });
        } else if (fault && fault->kind == FaultKind::MalformedJson) {
            std::string broken = res.body.substr(0, res.body.size() / 2);
            if (broken.empty())
                broken = "{\"value\":[";
            while (nlohmann::json::accept(broken))
                broken += ",";
            hres.set_content(broken, res.contentType);
        } else if (fault && fault->kind == FaultKind::SlowBody && !res.body.empty()) {
            // The headers go out at once; the body trickles in 20 pieces over durationMs.
            auto body = std::make_shared<std::string>(std::move(res.body));
            const std::size_t pieces = std::min<std::size_t>(20, body->size());
            const std::size_t pieceSize = (body->size() + pieces - 1) / pieces;
            const int interval = fault->durationMs / int(pieces);
            Impl* impl = d.get();
            hres.set_content_provider(body->size(), res.contentType,
                                      [body, pieceSize, interval, impl](std::size_t offset, std::size_t,
                                                                        httplib::DataSink& sink) {
                if (!impl->pause(interval) || !sink.is_writable())
                    return false;
                const std::size_t n = std::min(pieceSize, body->size() - offset);
                return sink.write(body->data() + offset, n);
            });
        } else {
            if (fault && fault->kind == FaultKind::SlowBody)
                d->pause(fault->durationMs);
            if (!res.body.empty() || res.status != 204)
                hres.set_content(res.body, res.contentType);
        }
    };
    if (method == "GET")
        d->server->Get(pattern, std::move(adapter));
    else if (method == "POST")
        d->server->Post(pattern, std::move(adapter));
    else if (method == "PATCH")
        d->server->Patch(pattern, std::move(adapter));
    else if (method == "PUT")
        d->server->Put(pattern, std::move(adapter));
    else if (method == "DELETE")
        d->server->Delete(pattern, std::move(adapter));
    else if (method == "OPTIONS")
        d->server->Options(pattern, std::move(adapter));
}

int HttpServer::start(const std::string& host, int port, std::string* error)
{
    if (!d->server->is_valid()) {
        if (error)
            *error = "cannot serve https: " +
                     (d->setupError.empty() ? std::string("the TLS context could not be set up")
                                            : d->setupError);
        return -1;
    }
    int bound = -1;
    if (port == 0) {
        bound = d->server->bind_to_any_port(host);
    } else if (d->server->bind_to_port(host, port)) {
        bound = port;
    }
    if (bound <= 0) {
        if (error)
            *error = "cannot listen on " + host + ":" + std::to_string(port) +
                     " (address in use, or not a local address)";
        return -1;
    }
    d->running = true;
    d->stopping = false;
    d->thread = std::thread([this] {
        // OpenSSL writes to the socket without MSG_NOSIGNAL: a client that hangs up mid-answer
        // would raise SIGPIPE and end the process. Blocked here, it is blocked in the workers
        // too (they start from this thread) and the write fails with EPIPE instead.
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
        d->server->listen_after_bind();
        d->running = false;
    });
    // httplib's stop() is a no-op until the accept loop runs; wait for it so stop() is safe.
    for (int i = 0; i < 2000 && !d->server->is_running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return bound;
}

void HttpServer::stop()
{
    d->stopping = true;
    if (d->thread.joinable()) {
        d->server->stop();
        d->thread.join();
    }
    d->running = false;
}

bool HttpServer::isRunning() const
{
    return d->running;
}

bool HttpServer::isTls() const
{
    return d->tls;
}

const Request* HttpServer::currentRequest() const
{
    return t_current.server == d.get() ? t_current.request : nullptr;
}

} // namespace pbi::sandbox
