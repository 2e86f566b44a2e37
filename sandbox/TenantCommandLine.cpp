#include "TenantCommandLine.h"

#include "PowerBiService.h"
#include "Scenario.h"
#include "ServiceHost.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace pbi::sandbox {

const char* TenantCommandLine::usage() {
    return "  --workspaces N           serve a generated tenant of N workspaces (up to 100000)\n"
           "  --items M                items per generated workspace (default 10)\n"
           "  --scenario FILE          serve the tenant a scenario file describes\n"
           "                           (docs/scenario-format.md)\n"
           "  --throttle-scale X       multiply the documented throttling windows by X\n"
           "                           (default 1; 0 disables throttling)\n"
           "  --write-scenario FILE    write the tenant as a scenario file and exit\n"
           "  --list-routes            print the Power BI routes served and exit\n"
           "  --dry-run                build the tenant, print its size and exit\n";
}

int TenantCommandLine::parse(const std::string& arg, const std::function<const char*()>& value) {
    auto number = [&](long min, long max, long& out) {
        const char* text = value();
        char* end = nullptr;
        errno = 0;
        const long v = std::strtol(text, &end, 10);
        if (errno != 0 || !end || *end != '\0' || v < min || v > max) {
            std::fprintf(stderr, "pbi-sandbox: %s must be a number from %ld to %ld, not '%s'\n",
                         arg.c_str(), min, max, text);
            return false;
        }
        out = v;
        return true;
    };
    long n = 0;
    if (arg == "--workspaces") {
        if (!number(0, 100000, n))
            return 2;
        generate = true;
        generator.workspaces = int(n);
    } else if (arg == "--items") {
        if (!number(0, 1000, n))
            return 2;
        generate = true;
        generator.itemsPerWorkspace = int(n);
    } else if (arg == "--scenario") {
        scenarioFile = value();
    } else if (arg == "--throttle-scale") {
        const char* text = value();
        char* end = nullptr;
        const double v = std::strtod(text, &end);
        if (!end || *end != '\0' || !(v >= 0) || v > 1000) {
            std::fprintf(
                stderr, "pbi-sandbox: --throttle-scale must be a number from 0 to 1000, not '%s'\n",
                text);
            return 2;
        }
        throttleScale = v;
    } else if (arg == "--list-routes") {
        listRoutes = true;
    } else if (arg == "--write-scenario") {
        writeScenarioFile = value();
    } else if (arg == "--dry-run") {
        dryRun = true;
    } else {
        return -1;
    }
    return 0;
}

std::optional<Tenant> TenantCommandLine::build(std::uint64_t seed, std::string* error) const {
    if (!scenarioFile.empty()) {
        if (generate) {
            if (error)
                *error = "--scenario cannot be combined with --workspaces or --items";
            return std::nullopt;
        }
        return loadScenarioFile(scenarioFile, error);
    }
    if (generate) {
        GeneratorOptions o = generator;
        o.seed = seed;
        return generateTenant(o);
    }
    return makeDemoTenant(seed);
}

int TenantCommandLine::beforeServing(const Tenant& tenant) const {
    if (!writeScenarioFile.empty()) {
        std::ofstream out(writeScenarioFile, std::ios::binary | std::ios::trunc);
        out << scenarioFromTenant(tenant).dump(2) << "\n";
        if (!out.flush()) {
            std::fprintf(stderr, "pbi-sandbox: cannot write '%s'\n", writeScenarioFile.c_str());
            return 1;
        }
        std::printf("Wrote the tenant to %s\n", writeScenarioFile.c_str());
        return 0;
    }
    if (dryRun) {
        std::size_t items = 0;
        for (const auto& w : tenant.workspaces)
            items +=
                w.reports.size() + w.datasets.size() + w.dashboards.size() + w.dataflows.size();
        std::printf("tenant %s: %zu workspaces, %zu items\n", tenant.id.c_str(),
                    tenant.workspaces.size(), items);
        return 0;
    }
    return -1;
}

void TenantCommandLine::printRoutes() {
    for (const auto& r : PowerBiService::routes())
        std::printf("%s %s %s\n", r.method.c_str(), r.path.c_str(), r.operationId.c_str());
    // Embed tokens, the scanner and activity events have their own services (ServiceHost.h).
    for (const auto& r : ServiceHost::routes())
        std::printf("%s %s %s\n", r.method.c_str(), r.path.c_str(), r.operationId.c_str());
}

} // namespace pbi::sandbox
