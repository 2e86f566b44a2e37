#pragma once

#include "ServiceHost.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pbi::sandbox {

/// GET /admin/activityevents (api-digest §7): the tenant's audit log, one UTC day per query,
/// paged with continuation tokens. The events are generated from the tenant — views, edits,
/// exports, sharing, Analyze in Excel and the models' real refresh history — the same for the
/// same tenant and day, so pages never lose or repeat an event. Handlers run under the
/// sandbox's mutex.
class ActivityService {
public:
    explicit ActivityService(const ServiceContext& context);

    /// The route table; `self` is captured by the handlers (nullptr: only listing).
    static std::vector<ServiceRoute> entries(ActivityService* self);

    // Control endpoint /sandbox/control/activity (docs/sandbox-embed-scanner-activity.md).
    void controlGet(const Request& req, Response& res) const;
    void controlPatch(const Request& req, Response& res);

    /// One event, compact: its record is only built when it is on a page.
    struct Event {
        std::int64_t second = 0; ///< CreationTime, Unix seconds
        std::uint32_t seq = 0;   ///< order within the second, and the source of the id
        std::uint8_t kind = 0;
        std::uint32_t user = 0; ///< index into Tenant::users
        std::uint32_t workspace = 0;
        std::uint32_t item = 0;   ///< report, dashboard or model index, by kind
        std::uint32_t detail = 0; ///< tile or refresh index, or another user, by kind
    };

    /// Which events a query wants: `Activity eq '…' and UserId eq '…'` (case-insensitive).
    struct Filter {
        std::vector<std::string> activities;
        std::vector<std::string> users;
    };

private:
    void events(const Request&, Response&, const Caller&);

    /// Every event of the UTC day `day` (days since 1970-01-01), ordered by (second, seq).
    std::vector<Event> dayEvents(std::int64_t day) const;
    bool matches(const Event& e, const Filter& f) const;
    nlohmann::json record(const Event& e, std::int64_t day) const;

    const ServiceContext& m_context;
    int m_pageSize = 0; ///< events per page; 0: automatic (about five pages a day)
};

} // namespace pbi::sandbox
