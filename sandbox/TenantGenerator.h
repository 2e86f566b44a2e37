#pragma once

#include "Tenant.h"

#include <cstdint>

namespace pbi::sandbox {

/// Sizes of a generated tenant (`pbi-sandbox --workspaces N --items M --seed S`).
struct GeneratorOptions {
    int workspaces = 10;
    int itemsPerWorkspace = 10; ///< reports, semantic models, dashboards and dataflows together
    std::uint64_t seed = 7;
    UnixMs nowMs = 0; ///< refresh history ends here; 0: the current time
    int refreshHistoryPerModel = 8;
};

/// A big tenant for scale tests and benchmarks: the demo tenant's identities (so the demo
/// credentials work), capacities, groups, settings and gateway, with `workspaces` generated
/// workspaces of `itemsPerWorkspace` items each. The same options always give the same tenant.
Tenant generateTenant(const GeneratorOptions& options);

} // namespace pbi::sandbox
