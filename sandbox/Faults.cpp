#include "Faults.h"

#include "HttpServer.h"
#include "WireHelpers.h"

#include <charconv>
#include <stdexcept>

namespace pbi::sandbox {

namespace {

using nlohmann::json;

constexpr int kMaxRetryAfter = 24 * 3600;
constexpr int kMaxDurationMs = 10 * 60 * 1000;

std::regex compile(const std::string& pattern, const char* field) {
    try {
        return std::regex(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
        throw std::invalid_argument(std::string("'") + field +
                                    "' is not a valid regular expression: " + pattern);
    }
}

bool methodMatches(const std::string& ruleMethod, const std::string& method) {
    return ruleMethod.empty() || ruleMethod == method;
}

std::string upper(std::string s) {
    for (char& c : s)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

int intField(const json& j, const char* name, int min, int max, int fallback) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null())
        return fallback;
    if (!it->is_number_integer())
        throw std::invalid_argument(std::string("'") + name + "' must be an integer");
    const auto v = it->get<std::int64_t>();
    if (v < min || v > max)
        throw std::invalid_argument(std::string("'") + name + "' must be from " +
                                    std::to_string(min) + " to " + std::to_string(max));
    return int(v);
}

std::string stringField(const json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null())
        return {};
    if (!it->is_string())
        throw std::invalid_argument(std::string("'") + name + "' must be a string");
    return it->get<std::string>();
}

void checkKeys(const json& j, std::initializer_list<const char*> allowed) {
    if (!j.is_object())
        throw std::invalid_argument("a rule must be a JSON object");
    for (const auto& [key, value] : j.items()) {
        bool known = false;
        for (const char* a : allowed)
            known = known || key == a;
        // A typo ("retryafter") would silently give a different fault: refuse it.
        if (!known)
            throw std::invalid_argument("unknown field '" + key + "'");
    }
}

void validate(const FaultRule& r) {
    if (!(r.rate >= 0.0 && r.rate <= 1.0))
        throw std::invalid_argument("'rate' must be from 0 to 1");
    if (r.after < 0)
        throw std::invalid_argument("'after' must not be negative");
    if (r.count < -1)
        throw std::invalid_argument("'count' must be -1 (no limit) or more");
    if (r.retryAfterSeconds < 0 || r.retryAfterSeconds > kMaxRetryAfter)
        throw std::invalid_argument("'retryAfter' must be from 0 to 86400 seconds");
    if (r.durationMs < 0 || r.durationMs > kMaxDurationMs)
        throw std::invalid_argument("'durationMs' must be from 0 to 600000");
}

/// "a=1,b=2" → pairs; values may not contain commas.
std::vector<std::pair<std::string, std::string>> splitSpec(const std::string& spec) {
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t pos = 0;
    while (pos <= spec.size()) {
        std::size_t comma = spec.find(',', pos);
        if (comma == std::string::npos)
            comma = spec.size();
        const std::string part = spec.substr(pos, comma - pos);
        if (!part.empty()) {
            const std::size_t eq = part.find('=');
            if (eq == std::string::npos)
                out.emplace_back(part, std::string());
            else
                out.emplace_back(part.substr(0, eq), part.substr(eq + 1));
        }
        pos = comma + 1;
    }
    return out;
}

int specInt(const std::string& key, const std::string& value) {
    int v = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc() || ptr != value.data() + value.size())
        throw std::invalid_argument("'" + key + "' needs a whole number, not '" + value + "'");
    return v;
}

double specDouble(const std::string& key, const std::string& value) {
    try {
        std::size_t used = 0;
        const double v = std::stod(value, &used);
        if (used == value.size())
            return v;
    } catch (const std::exception&) {
    }
    throw std::invalid_argument("'" + key + "' needs a number, not '" + value + "'");
}

} // namespace

std::string faultKindName(FaultKind kind) {
    switch (kind) {
    case FaultKind::Throttled:
        return "429";
    case FaultKind::ServerError:
        return "500";
    case FaultKind::Unavailable:
        return "503";
    case FaultKind::Reset:
        return "reset";
    case FaultKind::Truncated:
        return "truncated";
    case FaultKind::MalformedJson:
        return "malformed";
    case FaultKind::SlowBody:
        return "slow";
    }
    return "unknown";
}

std::optional<FaultKind> faultKindFromName(const std::string& name) {
    for (FaultKind k :
         {FaultKind::Throttled, FaultKind::ServerError, FaultKind::Unavailable, FaultKind::Reset,
          FaultKind::Truncated, FaultKind::MalformedJson, FaultKind::SlowBody})
        if (faultKindName(k) == name)
            return k;
    return std::nullopt;
}

Faults::Faults(std::uint64_t seed)
    : m_seed(seed)
    , m_engine(seed) {}

int Faults::addFault(FaultRule rule) {
    validate(rule);
    rule.method = upper(rule.method);
    std::regex pattern = compile(rule.path, "path");
    std::lock_guard lock(m_mutex);
    rule.id = m_nextId++;
    rule.matched = 0;
    rule.fired = 0;
    m_faults.push_back({rule, std::move(pattern)});
    return rule.id;
}

int Faults::addLatency(LatencyRule rule) {
    if (rule.fixedMs < 0 || rule.fixedMs > kMaxDurationMs || rule.jitterMs < 0 ||
        rule.jitterMs > kMaxDurationMs)
        throw std::invalid_argument("'fixedMs' and 'jitterMs' must be from 0 to 600000");
    rule.method = upper(rule.method);
    std::regex pattern = compile(rule.path, "path");
    std::lock_guard lock(m_mutex);
    rule.id = m_nextId++;
    m_latency.push_back({rule, std::move(pattern)});
    return rule.id;
}

bool Faults::remove(int id) {
    std::lock_guard lock(m_mutex);
    const auto before = m_faults.size() + m_latency.size();
    std::erase_if(m_faults, [id](const CompiledFault& f) { return f.rule.id == id; });
    std::erase_if(m_latency, [id](const CompiledLatency& l) { return l.rule.id == id; });
    return m_faults.size() + m_latency.size() != before;
}

void Faults::clear(std::optional<std::uint64_t> seed) {
    std::lock_guard lock(m_mutex);
    m_faults.clear();
    m_latency.clear();
    if (seed)
        m_seed = *seed;
    m_engine.seed(m_seed);
    const int inFlight = m_stats.inFlight;
    m_stats = FaultStats{};
    m_stats.inFlight = inFlight;
}

FaultDecision Faults::decide(const std::string& method, const std::string& path) {
    FaultDecision d;
    std::lock_guard lock(m_mutex);
    ++m_stats.requests;
    for (const auto& l : m_latency) {
        if (!methodMatches(l.rule.method, method) || !std::regex_search(path, l.pattern))
            continue;
        d.delayMs = l.rule.fixedMs;
        if (l.rule.jitterMs > 0)
            d.delayMs += int(std::uniform_int_distribution<int>(0, l.rule.jitterMs)(m_engine));
        break; // the first matching latency rule wins
    }
    for (auto& f : m_faults) {
        FaultRule& r = f.rule;
        if (!methodMatches(r.method, method) || !std::regex_search(path, f.pattern))
            continue;
        ++r.matched;
        if (r.matched <= r.after)
            continue;
        if (r.count >= 0 && r.fired >= r.count)
            continue;
        // Exact rules (rate 1) draw nothing, so adding one does not shift the random sequence.
        if (r.rate < 1.0 && std::uniform_real_distribution<double>(0.0, 1.0)(m_engine) >= r.rate)
            continue;
        ++r.fired;
        ++m_stats.injected[faultKindName(r.kind)];
        d.fault = r;
        break;
    }
    return d;
}

void Faults::requestStarted() {
    std::lock_guard lock(m_mutex);
    ++m_stats.inFlight;
    m_stats.maxInFlight = std::max(m_stats.maxInFlight, m_stats.inFlight);
}

void Faults::requestFinished() {
    std::lock_guard lock(m_mutex);
    --m_stats.inFlight;
}

FaultStats Faults::stats() const {
    std::lock_guard lock(m_mutex);
    return m_stats;
}

void Faults::resetStats() {
    std::lock_guard lock(m_mutex);
    const int inFlight = m_stats.inFlight;
    m_stats = FaultStats{};
    m_stats.inFlight = inFlight;
    m_stats.maxInFlight = inFlight;
}

json Faults::toJson(const FaultRule& r) {
    json j = {
        {"id", r.id},       {"kind", faultKindName(r.kind)}, {"rate", r.rate},  {"after", r.after},
        {"count", r.count}, {"matched", r.matched},          {"fired", r.fired}};
    if (!r.method.empty())
        j["method"] = r.method;
    if (!r.path.empty())
        j["path"] = r.path;
    if (r.kind == FaultKind::Throttled || r.kind == FaultKind::Unavailable)
        j["retryAfter"] = r.retryAfterSeconds;
    if (r.kind == FaultKind::SlowBody)
        j["durationMs"] = r.durationMs;
    return j;
}

json Faults::toJson(const LatencyRule& r) {
    json j = {{"id", r.id}, {"fixedMs", r.fixedMs}, {"jitterMs", r.jitterMs}};
    if (!r.method.empty())
        j["method"] = r.method;
    if (!r.path.empty())
        j["path"] = r.path;
    return j;
}

json Faults::toJson() const {
    std::lock_guard lock(m_mutex);
    json faults = json::array();
    for (const auto& f : m_faults)
        faults.push_back(toJson(f.rule));
    json latency = json::array();
    for (const auto& l : m_latency)
        latency.push_back(toJson(l.rule));
    return {{"seed", m_seed}, {"faults", std::move(faults)}, {"latency", std::move(latency)}};
}

FaultRule Faults::faultFromJson(const json& j) {
    checkKeys(j, {"kind", "method", "path", "rate", "after", "count", "retryAfter", "durationMs"});
    FaultRule r;
    const std::string kind = stringField(j, "kind");
    if (kind.empty())
        throw std::invalid_argument("'kind' is required");
    const auto k = faultKindFromName(kind);
    if (!k)
        throw std::invalid_argument("'kind' must be one of 429, 500, 503, reset, truncated, "
                                    "malformed, slow; not '" +
                                    kind + "'");
    r.kind = *k;
    r.method = stringField(j, "method");
    r.path = stringField(j, "path");
    if (auto it = j.find("rate"); it != j.end() && !it->is_null()) {
        if (!it->is_number())
            throw std::invalid_argument("'rate' must be a number");
        r.rate = it->get<double>();
    }
    r.after = intField(j, "after", 0, 1 << 30, 0);
    r.count = intField(j, "count", -1, 1 << 30, -1);
    r.retryAfterSeconds = intField(j, "retryAfter", 0, kMaxRetryAfter, r.retryAfterSeconds);
    r.durationMs = intField(j, "durationMs", 0, kMaxDurationMs, r.durationMs);
    validate(r);
    compile(r.path, "path");
    return r;
}

LatencyRule Faults::latencyFromJson(const json& j) {
    checkKeys(j, {"method", "path", "fixedMs", "jitterMs"});
    LatencyRule r;
    r.method = stringField(j, "method");
    r.path = stringField(j, "path");
    r.fixedMs = intField(j, "fixedMs", 0, kMaxDurationMs, 0);
    r.jitterMs = intField(j, "jitterMs", 0, kMaxDurationMs, 0);
    compile(r.path, "path");
    return r;
}

FaultRule Faults::faultFromSpec(const std::string& spec) {
    const auto parts = splitSpec(spec);
    if (parts.empty() || !parts[0].second.empty())
        throw std::invalid_argument(
            "a fault starts with its kind (429, 500, 503, reset, truncated, "
            "malformed or slow): '" +
            spec + "'");
    const auto k = faultKindFromName(parts[0].first);
    if (!k)
        throw std::invalid_argument("unknown fault kind '" + parts[0].first +
                                    "' (429, 500, 503, reset, truncated, malformed, slow)");
    FaultRule r;
    r.kind = *k;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const auto& [key, value] = parts[i];
        if (key == "method")
            r.method = value;
        else if (key == "path")
            r.path = value;
        else if (key == "rate")
            r.rate = specDouble(key, value);
        else if (key == "after")
            r.after = specInt(key, value);
        else if (key == "count")
            r.count = specInt(key, value);
        else if (key == "retry-after")
            r.retryAfterSeconds = specInt(key, value);
        else if (key == "duration")
            r.durationMs = specInt(key, value);
        else
            throw std::invalid_argument(
                "unknown fault setting '" + key +
                "' (method, path, rate, after, count, retry-after, duration)");
    }
    validate(r);
    compile(r.path, "path");
    return r;
}

LatencyRule Faults::latencyFromSpec(const std::string& spec) {
    LatencyRule r;
    bool haveFixed = false;
    for (const auto& [key, value] : splitSpec(spec)) {
        if (key == "fixed") {
            r.fixedMs = specInt(key, value);
            haveFixed = true;
        } else if (key == "jitter") {
            r.jitterMs = specInt(key, value);
        } else if (key == "method") {
            r.method = value;
        } else if (key == "path") {
            r.path = value;
        } else {
            throw std::invalid_argument("unknown latency setting '" + key +
                                        "' (fixed, jitter, method, path)");
        }
    }
    if (!haveFixed)
        throw std::invalid_argument("a latency needs fixed=MS: '" + spec + "'");
    if (r.fixedMs < 0 || r.jitterMs < 0 || r.fixedMs > kMaxDurationMs ||
        r.jitterMs > kMaxDurationMs)
        throw std::invalid_argument("latency must be from 0 to 600000 ms");
    compile(r.path, "path");
    return r;
}

void addFaultControlRoutes(HttpServer& server, const std::shared_ptr<Faults>& faults) {
    // Errors use the service's own shape so that any client code reading them just works.
    auto invalid = [](Response& res, const std::string& message) {
        wire::serviceError(res, 400, "InvalidRequest", message);
    };
    // POST adds rules, PUT replaces all of them: {"seed"?, "faults": [...], "latency": [...]}.
    auto apply = [faults, invalid](const Request& req, Response& res, bool replace) {
        const json body = json::parse(req.body, nullptr, false);
        if (body.is_discarded() || !body.is_object()) {
            invalid(res, "The body must be a JSON object: {\"faults\":[…],\"latency\":[…]}.");
            return;
        }
        std::vector<FaultRule> newFaults;
        std::vector<LatencyRule> newLatency;
        std::optional<std::uint64_t> seed;
        try {
            checkKeys(body, {"seed", "faults", "latency"});
            if (auto s = body.find("seed"); s != body.end()) {
                if (!s->is_number_unsigned())
                    throw std::invalid_argument("'seed' must be a non-negative integer");
                seed = s->get<std::uint64_t>();
            }
            for (const char* key : {"faults", "latency"}) {
                auto it = body.find(key);
                if (it == body.end())
                    continue;
                if (!it->is_array())
                    throw std::invalid_argument(std::string("'") + key + "' must be an array");
                for (std::size_t i = 0; i < it->size(); ++i) {
                    try {
                        if (key[0] == 'f')
                            newFaults.push_back(Faults::faultFromJson((*it)[i]));
                        else
                            newLatency.push_back(Faults::latencyFromJson((*it)[i]));
                    } catch (const std::invalid_argument& e) {
                        throw std::invalid_argument(std::string(key) + "[" + std::to_string(i) +
                                                    "]: " + e.what());
                    }
                }
            }
        } catch (const std::invalid_argument& e) {
            invalid(res, e.what());
            return;
        }
        if (replace || seed)
            faults->clear(seed);
        for (auto& f : newFaults)
            faults->addFault(std::move(f));
        for (auto& l : newLatency)
            faults->addLatency(std::move(l));
        wire::json(res, 200, faults->toJson());
    };
    server.route("GET", R"(^/sandbox/control/faults/?$)", [faults](const Request&, Response& res) {
        wire::json(res, 200, faults->toJson());
    });
    server.route("POST", R"(^/sandbox/control/faults/?$)",
                 [apply](const Request& req, Response& res) { apply(req, res, false); });
    server.route("PUT", R"(^/sandbox/control/faults/?$)",
                 [apply](const Request& req, Response& res) { apply(req, res, true); });
    server.route("DELETE", R"(^/sandbox/control/faults/?$)",
                 [faults](const Request&, Response& res) {
                     faults->clear();
                     wire::json(res, 200, faults->toJson());
                 });
    server.route("DELETE", R"(^/sandbox/control/faults/(\d{1,9})$)",
                 [faults](const Request& req, Response& res) {
                     if (!faults->remove(std::stoi(req.pathParams.at(0)))) {
                         wire::serviceError(res, 404, "NotFound",
                                            "No fault or latency rule has id " +
                                                req.pathParams.at(0) + ".");
                         return;
                     }
                     wire::json(res, 200, faults->toJson());
                 });
    auto statsJson = [faults] {
        const FaultStats s = faults->stats();
        json injected = json::object();
        for (const auto& [kind, n] : s.injected)
            injected[kind] = n;
        return json{{"requests", s.requests},
                    {"inFlight", s.inFlight},
                    {"maxInFlight", s.maxInFlight},
                    {"injected", std::move(injected)}};
    };
    server.route("GET", R"(^/sandbox/control/stats/?$)",
                 [statsJson](const Request&, Response& res) { wire::json(res, 200, statsJson()); });
    server.route("DELETE", R"(^/sandbox/control/stats/?$)",
                 [faults, statsJson](const Request&, Response& res) {
                     faults->resetStats();
                     wire::json(res, 200, statsJson());
                 });
}

} // namespace pbi::sandbox
