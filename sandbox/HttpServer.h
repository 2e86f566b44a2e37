#pragma once

#include "Tls.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pbi::sandbox {

class Faults;

/// One HTTP request as the sandbox's handlers see it.
struct Request {
    std::string method;
    std::string path;   ///< decoded path, no query
    std::string target; ///< the raw request target, path plus query
    std::map<std::string, std::string> headers;          ///< names lower-cased
    std::multimap<std::string, std::string> query;       ///< decoded
    std::vector<std::string> pathParams;                 ///< regex captures, 1-based in the pattern
    std::string body;
    std::string remoteAddress;

    std::string header(const std::string& lowerName) const;
    /// The first value of a query parameter; nullptr when absent.
    const std::string* queryValue(const std::string& name) const;
};

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string contentType = "application/json; charset=utf-8";

    void setHeader(const std::string& name, const std::string& value);
};

/// True for the addresses only this machine can reach: "localhost", 127.0.0.0/8, ::1 (and
/// ::ffff:127.x.y.z).
bool isLoopbackHost(const std::string& host);

/// The sandbox's HTTP server: cpp-httplib's thread pool behind a small interface, so that
/// handlers never see the library and the server survives clients that disconnect early.
class HttpServer {
public:
    using Handler = std::function<void(const Request&, Response&)>;

    /// Plain http.
    HttpServer();
    /// https with this certificate chain and key; a bad one makes start() fail with the reason.
    explicit HttpServer(const TlsIdentity& tls);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Routes match in the order they are added; `pattern` is an ECMAScript regex on the path.
    void route(const std::string& method, const std::string& pattern, Handler handler);
    /// Runs before every handler (e.g. to stamp request ids); may not be empty.
    void setDecorator(std::function<void(const Request&, Response&)> before);
    /// Latency and faults for every route outside /sandbox/control/ (sandbox/Faults.h).
    /// Set before start().
    void setFaults(std::shared_ptr<Faults> faults);

    /// Binds host:port (0 picks a free port) and serves on a background thread.
    /// Returns the bound port, or -1 with `error` set.
    int start(const std::string& host, int port, std::string* error = nullptr);
    void stop();
    bool isRunning() const;
    bool isTls() const;

    /// The request this thread is answering for this server; nullptr outside its handlers.
    const Request* currentRequest() const;

private:
    explicit HttpServer(const TlsIdentity* tls);

    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace pbi::sandbox
