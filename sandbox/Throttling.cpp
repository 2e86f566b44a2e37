#include "Throttling.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace pbi::sandbox {

Throttler::Throttler(double scale)
    : m_scale(scale) {}

std::vector<Throttler::Limit> Throttler::limitsFor(const std::string& op) {
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
    if (op.find("AsAdmin") != std::string::npos || op.rfind("Admin_", 0) == 0)
        return {{200, 3600}};
    return {};
}

int Throttler::admit(const std::string& op, const std::string& key) {
    if (m_scale <= 0)
        return 0;
    const auto limits = limitsFor(op);
    if (limits.empty())
        return 0;
    auto& calls = m_calls[op + '\n' + key];
    const auto now = Clock::now();
    double longest = 0;
    for (const auto& l : limits)
        longest = std::max(longest, l.windowSeconds * m_scale);
    while (!calls.empty() && std::chrono::duration<double>(now - calls.front()).count() >= longest)
        calls.pop_front();
    double wait = 0;
    for (const auto& l : limits) {
        const double window = l.windowSeconds * m_scale;
        // Calls inside this window, newest at the back.
        int inWindow = 0;
        for (auto it = calls.rbegin(); it != calls.rend(); ++it) {
            if (std::chrono::duration<double>(now - *it).count() >= window)
                break;
            ++inWindow;
        }
        if (inWindow >= l.requests) {
            // The k-th newest call (k = limit) must leave the window before another fits.
            auto it = calls.rbegin();
            std::advance(it, l.requests - 1);
            const double leaves = window - std::chrono::duration<double>(now - *it).count();
            wait = std::max(wait, leaves);
        }
    }
    if (wait > 0)
        return std::max(1, int(std::ceil(wait)));
    calls.push_back(now);
    return 0;
}

} // namespace pbi::sandbox
