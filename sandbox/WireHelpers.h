#pragma once

// How the real services shape their answers (reference/api-digest.md §0, §5, §10),
// written once for every route of the sandbox.

#include "HttpServer.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace pbi::sandbox::wire {

/// application/x-www-form-urlencoded → fields (decoded; later duplicates ignored).
std::map<std::string, std::string> parseForm(const std::string& body);
std::string urlDecode(const std::string& text);

void json(Response& res, int status, const nlohmann::json& body);

/// Entra ID's token-endpoint error: error, error_description with the AADSTS code and trace
/// lines, error_codes, timestamp, trace_id, correlation_id, error_uri.
void entraError(Response& res, int status, const std::string& error, int aadsts,
                const std::string& description, const std::string& correlationId = {});

/// Power BI's plain error shape: {"error":{"code":…,"message":…}}.
void serviceError(Response& res, int status, const std::string& code, const std::string& message);

/// Power BI's pbi.error shape (401/404 without a message).
void pbiError(Response& res, int status, const std::string& code);

/// {"@odata.context": "<base>/v1.0/myorg/$metadata#<what>", "value": items}
nlohmann::json collection(const std::string& base, const std::string& what, nlohmann::json items);

} // namespace pbi::sandbox::wire
