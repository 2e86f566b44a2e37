#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace pbi::sandbox {

/// The Power BI API's documented request limits (api-digest §6), enforced per key (the tenant
/// for admin APIs) over sliding windows, e.g. GetGroupsAsAdmin: 50 per hour or 15 per minute.
class Throttler {
public:
    struct Limit {
        int requests;
        double windowSeconds;
    };

    /// `scale` multiplies every window (0.001: an hour lasts 3.6 s); 0 disables throttling.
    explicit Throttler(double scale = 1.0);

    /// The documented limits of an operation (by operationId); empty: none documented.
    static std::vector<Limit> limitsFor(const std::string& operationId);

    /// Counts a call; returns 0 when it may proceed, else the seconds to wait (the call is
    /// refused and not counted), as Retry-After says it.
    int admit(const std::string& operationId, const std::string& key);

private:
    using Clock = std::chrono::steady_clock;
    double m_scale;
    std::map<std::string, std::deque<Clock::time_point>> m_calls;
};

} // namespace pbi::sandbox
