#pragma once

// Scenario files: a tenant described in JSON (docs/scenario-format.md).

#include "Tenant.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace pbi::sandbox {

/// Builds a tenant from a scenario document; nullopt with `error` naming the offending
/// field (e.g. "workspaces[2].datasets[0].refreshes[1].status: …") when it is invalid.
std::optional<Tenant> tenantFromScenario(const nlohmann::json& scenario, std::string* error);
std::optional<Tenant> loadScenarioFile(const std::string& path, std::string* error);

/// The scenario document of a tenant: tenantFromScenario(scenarioFromTenant(t)) == t.
nlohmann::json scenarioFromTenant(const Tenant& t);

} // namespace pbi::sandbox
