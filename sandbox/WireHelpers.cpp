#include "WireHelpers.h"

#include "Ids.h"

#include <cctype>
#include <cstdio>

namespace pbi::sandbox::wire {

std::string urlDecode(const std::string& in)
{
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < in.size() && std::isxdigit((unsigned char)in[i + 1]) &&
                   std::isxdigit((unsigned char)in[i + 2])) {
            out += char(std::stoi(in.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::map<std::string, std::string> parseForm(const std::string& body)
{
    std::map<std::string, std::string> out;
    std::size_t pos = 0;
    while (pos <= body.size()) {
        std::size_t amp = body.find('&', pos);
        if (amp == std::string::npos)
            amp = body.size();
        const std::string pair = body.substr(pos, amp - pos);
        if (!pair.empty()) {
            const std::size_t eq = pair.find('=');
            const std::string key = urlDecode(pair.substr(0, eq));
            const std::string value = eq == std::string::npos ? std::string() : urlDecode(pair.substr(eq + 1));
            out.emplace(key, value);
        }
        pos = amp + 1;
    }
    return out;
}

void json(Response& res, int status, const nlohmann::json& body)
{
    res.status = status;
    res.contentType = "application/json; charset=utf-8";
    res.body = body.dump();
}

void entraError(Response& res, int status, const std::string& error, int aadsts,
                const std::string& description, const std::string& correlationId)
{
    const std::string trace = randomGuid();
    const std::string correlation = correlationId.empty() ? randomGuid() : correlationId;
    // Entra writes "YYYY-MM-DD HH:MM:SSZ" here.
    std::string timestamp = isoNow().substr(0, 19);
    timestamp[10] = ' ';
    timestamp += "Z";
    const std::string code = "AADSTS" + std::to_string(aadsts);
    nlohmann::json body = {
        {"error", error},
        {"error_description", code + ": " + description + "\r\nTrace ID: " + trace +
                                  "\r\nCorrelation ID: " + correlation + "\r\nTimestamp: " + timestamp},
        {"error_codes", nlohmann::json::array({aadsts})},
        {"timestamp", timestamp},
        {"trace_id", trace},
        {"correlation_id", correlation},
        {"error_uri", "https://login.microsoftonline.com/error?code=" + std::to_string(aadsts)},
    };
    json(res, status, body);
}

void serviceError(Response& res, int status, const std::string& code, const std::string& message)
{
    json(res, status, {{"error", {{"code", code}, {"message", message}}}});
}

void pbiError(Response& res, int status, const std::string& code)
{
    json(res, status,
         {{"error",
           {{"code", code},
            {"pbi.error",
             {{"code", code},
              {"parameters", nlohmann::json::object()},
              {"details", nlohmann::json::array()},
              {"exceptionCulprit", 1}}}}}});
}

nlohmann::json collection(const std::string& base, const std::string& what, nlohmann::json items)
{
    return {{"@odata.context", base + "/v1.0/myorg/$metadata#" + what}, {"value", std::move(items)}};
}

} // namespace pbi::sandbox::wire
