#include "HttpServer.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <exception>
#include <thread>

namespace pbi::sandbox {

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

struct HttpServer::Impl {
    httplib::Server server;
    std::thread thread;
    std::function<void(const Request&, Response&)> decorator;
    std::atomic<bool> running{false};
};

HttpServer::HttpServer() : d(std::make_unique<Impl>())
{
    d->server.set_keep_alive_max_count(1000);
    d->server.set_read_timeout(30, 0);
    d->server.set_write_timeout(30, 0);
    d->server.set_payload_max_length(64 * 1024 * 1024);
}

HttpServer::~HttpServer()
{
    stop();
}

void HttpServer::setDecorator(std::function<void(const Request&, Response&)> before)
{
    d->decorator = std::move(before);
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

        Response res;
        try {
            if (d->decorator)
                d->decorator(req, res);
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
        if (!res.body.empty() || res.status != 204)
            hres.set_content(res.body, res.contentType);
    };
    if (method == "GET")
        d->server.Get(pattern, std::move(adapter));
    else if (method == "POST")
        d->server.Post(pattern, std::move(adapter));
    else if (method == "PATCH")
        d->server.Patch(pattern, std::move(adapter));
    else if (method == "PUT")
        d->server.Put(pattern, std::move(adapter));
    else if (method == "DELETE")
        d->server.Delete(pattern, std::move(adapter));
    else if (method == "OPTIONS")
        d->server.Options(pattern, std::move(adapter));
}

int HttpServer::start(const std::string& host, int port, std::string* error)
{
    int bound = -1;
    if (port == 0) {
        bound = d->server.bind_to_any_port(host);
    } else if (d->server.bind_to_port(host, port)) {
        bound = port;
    }
    if (bound <= 0) {
        if (error)
            *error = "cannot listen on " + host + ":" + std::to_string(port) +
                     " (address in use, or not a local address)";
        return -1;
    }
    d->running = true;
    d->thread = std::thread([this] {
        d->server.listen_after_bind();
        d->running = false;
    });
    // httplib's stop() is a no-op until the accept loop runs; wait for it so stop() is safe.
    for (int i = 0; i < 2000 && !d->server.is_running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return bound;
}

void HttpServer::stop()
{
    if (d->thread.joinable()) {
        d->server.stop();
        d->thread.join();
    }
    d->running = false;
}

bool HttpServer::isRunning() const
{
    return d->running;
}

} // namespace pbi::sandbox
