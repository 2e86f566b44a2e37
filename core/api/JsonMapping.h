#pragma once

// The JSON mapping of the core's values: the only place that knows the API's field names.
// nlohmann/json stays private to the core; callers see values or a parse Error.

#include "api/Workspace.h"
#include "http/HttpTypes.h"
#include "http/Result.h"

#include <vector>

namespace pbi::mapping {

/// `{"@odata.context": …, "value": [Group…]}` → workspaces. Missing or mistyped required
/// fields give a Parse error naming the field (e.g. "value[3].id") and the request id.
Result<std::vector<Workspace>> parseWorkspaces(const HttpResponse& response);

} // namespace pbi::mapping
