#pragma once

#include "TenantGenerator.h"

#include <functional>
#include <optional>
#include <string>

namespace pbi::sandbox {

/// pbi-sandbox's tenant options: which tenant to serve (demo, generated, scenario file),
/// throttling, and the route listing the conformance test reads.
struct TenantCommandLine {
    bool generate = false;
    GeneratorOptions generator;
    std::string scenarioFile;
    bool listRoutes = false;
    bool dryRun = false;
    std::string writeScenarioFile;
    double throttleScale = 1.0;

    static const char* usage();
    /// Consumes `arg` (and its value through `value`): 0 when handled, 2 after printing an
    /// error for a bad value, -1 when `arg` is not one of these options.
    int parse(const std::string& arg, const std::function<const char*()>& value);
    /// The tenant these options describe; nullopt with `error` set when it cannot be built.
    std::optional<Tenant> build(std::uint64_t seed, std::string* error) const;
    /// `--dry-run` and `--write-scenario`, once the tenant is built: the exit status, or -1
    /// to go on and serve it.
    int beforeServing(const Tenant& tenant) const;
    /// `--list-routes`: one "METHOD path operationId" line per Power BI route.
    static void printRoutes();
};

} // namespace pbi::sandbox
