#pragma once

// Shared by the demo tenant and the tenant generator: realistic semantic models with refresh
// history, built from a seed so that the same seed always gives the same tenant.

#include "Ids.h"
#include "Tenant.h"

#include <random>

namespace pbi::sandbox {

/// The canned failures a refresh can end with, as serviceExceptionJson strings.
namespace refreshErrors {
std::string credentialsExpired();
std::string gatewayOffline();
std::string timeout();
std::string outOfMemory();
std::string credentialsNotSpecified();
} // namespace refreshErrors

enum class FailureMode { None, CredentialsExpired, GatewayOffline, Timeout, OutOfMemory };

/// Fills `d.refreshes` for a schedule (or sparse on-demand refreshes when `d.schedule` is
/// empty), ending at `nowMs`, at most `maxEntries` newest entries. `failureRate` adds random
/// failures of every kind; `streak` makes the newest `streakLength` runs fail with one cause.
void makeRefreshHistory(Dataset& d, IdGenerator& ids, std::mt19937_64& rng, UnixMs nowMs,
                        int maxEntries, double failureRate, FailureMode streak = FailureMode::None,
                        int streakLength = 0, int typicalMinutes = 6);

/// The demo tenant's items, capacities rights, groups, gateway, apps and pipelines, added to a
/// tenant whose workspaces, users and app registrations exist.
void addDemoContent(Tenant& t, IdGenerator& ids, UnixMs nowMs);

UnixMs currentMs();

} // namespace pbi::sandbox
