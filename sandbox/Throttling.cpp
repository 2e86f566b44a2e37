#include "Throttling.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace pbi::sandbox {

Throttler::Throttler(double scale, const SandboxClock* clock)
    : m_scale(scale)
    , m_ownClock(clock ? nullptr : std::make_unique<SandboxClock>())
    , m_clock(clock ? clock : m_ownClock.get())
{}

std::vector<Throttler::Limit> Throttler::limitsFor(const std::string& op)
{
    // The "Limitations" sections of the spec (endpoints-index.md).
    if (op == "Groups_GetGroupsAsAdmin")
        return {{50, 3600}, {15, 60}};
    if (op == "Datasets_GetDatasetsAsAdmin" || op == "Reports_GetReportsAsAdmin" ||
        op == "Dashboards_GetDashboardsAsAdmin")
        return {{50, 3600}, {5, 60}};
    if (op == "Datasets_GetDatasourcesAsAdmin")
        return {{300, 3600}};
    if (op == "Dataflows_GetDataflowDatasourcesAsAdmin")
        return {}; // the one admin read without a documented limit
    // The scanner (ScannerService); activity events fall under the Admin_ 200/h below.
    if (op == "WorkspaceInfo_GetModifiedWorkspaces")
        return {{30, 3600}};
    if (op == "WorkspaceInfo_PostWorkspaceInfo" || op == "WorkspaceInfo_GetScanResult")
        return {{500, 3600}};
    if (op == "WorkspaceInfo_GetScanStatus")
        return {{10000, 3600}};
    if (op.find("AsAdmin") != std::string::npos || op.rfind("Admin_", 0) == 0)
        return {{200, 3600}};
    return {};
}

int Throttler::admit(const std::string& op, const std::string& key)
{
    if (m_scale <= 0)
        return 0;
    const auto limits = limitsFor(op);
    if (limits.empty())
        return 0;
    auto& calls = m_calls[op + '\n' + key];
    const SandboxClock::Ms now = m_clock->nowMs();
    auto age = [now](SandboxClock::Ms t) { return double(now - t) / 1000.0; };
    double longest = 0;
    for (const auto& l : limits)
        longest = std::max(longest, l.windowSeconds * m_scale);
    while (!calls.empty() && age(calls.front()) >= longest)
        calls.pop_front();
    double wait = 0;
    for (const auto& l : limits) {
        const double window = l.windowSeconds * m_scale;
        // Calls inside this window, newest at the back.
        int inWindow = 0;
        for (auto it = calls.rbegin(); it != calls.rend(); ++it) {
            if (age(*it) >= window)
                break;
            ++inWindow;
        }
        if (inWindow >= l.requests) {
            // The k-th newest call (k = limit) must leave the window before another fits.
            auto it = calls.rbegin();
            std::advance(it, l.requests - 1);
            wait = std::max(wait, window - age(*it));
        }
    }
    if (wait > 0) // sandbox seconds; the client waits them out on its own clock
        return int(std::min<std::int64_t>(m_clock->realSecondsCeil(wait), 1'000'000'000));
    calls.push_back(now);
    return 0;
}

} // namespace pbi::sandbox
