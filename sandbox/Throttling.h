#pragma once

#include "Clock.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pbi::sandbox {

/// The Power BI API's documented request limits (api-digest §6), enforced per key (the tenant
/// for admin APIs) over sliding windows, e.g. GetGroupsAsAdmin: 50 per hour or 15 per minute.
/// Windows are measured on the sandbox clock, so a faster clock empties them sooner.
class Throttler {
public:
    struct Limit {
        int requests;
        double windowSeconds;
    };

    /// `scale` multiplies every window (0.001: an hour lasts 3.6 s); 0 disables throttling.
    /// `clock`: the sandbox's clock (it must outlive the throttler); nullptr: a real-time one.
    explicit Throttler(double scale = 1.0, const SandboxClock* clock = nullptr);

    /// The documented limits of an operation (by operationId); empty: none documented.
    static std::vector<Limit> limitsFor(const std::string& operationId);

    /// Counts a call; returns 0 when it may proceed, else the real seconds to wait (the call
    /// is refused and not counted), as Retry-After says it.
    int admit(const std::string& operationId, const std::string& key);

private:
    double m_scale;
    std::unique_ptr<SandboxClock> m_ownClock;
    const SandboxClock* m_clock;
    std::map<std::string, std::deque<SandboxClock::Ms>> m_calls; ///< sandbox ms, oldest first
};

} // namespace pbi::sandbox
