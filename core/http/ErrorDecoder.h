#pragma once

#include "http/Error.h"
#include "http/HttpTypes.h"

namespace pbi {

/// Turns an unsuccessful answer into the one Error type. Knows every error body shape the
/// service and Entra ID use (reference/api-digest.md §5 and §10) and the likely fix for each.
namespace ErrorDecoder {

/// An answer from Entra ID's token or device-code endpoint.
Error fromEntra(const HttpResponse& response);
/// An answer from the Power BI REST API.
Error fromService(const HttpResponse& response);
/// A body that could not be read as the expected value; `what` names the field or problem.
Error parseError(const HttpResponse& response, const QString& what);

} // namespace ErrorDecoder
} // namespace pbi
