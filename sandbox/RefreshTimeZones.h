#pragma once

// Windows time zone ids, as refresh schedules name them (localTimeZoneId, e.g. "W. Europe
// Standard Time"), with enough of their rules to place schedule slots in UTC.

#include "Tenant.h"

#include <string>
#include <vector>

namespace pbi::sandbox {

/// When a zone observes daylight saving time (one hour ahead of standard time).
enum class DstRule {
    None,
    Europe,       ///< last Sunday of March 01:00 UTC → last Sunday of October 01:00 UTC
    NorthAmerica, ///< second Sunday of March 02:00 → first Sunday of November 02:00 (local)
    Australia,    ///< first Sunday of October 02:00 → first Sunday of April 03:00 (local)
    NewZealand,   ///< last Sunday of September 02:00 → first Sunday of April 03:00 (local)
};

struct WindowsTimeZone {
    const char* id;
    int offsetMinutes; ///< standard time's offset from UTC
    DstRule dst;
};

/// The zone with this Windows id (exact, as the service compares it); nullptr if unknown.
const WindowsTimeZone* findTimeZone(const std::string& id);
/// Every id the sandbox knows, for error messages and docs.
const std::vector<WindowsTimeZone>& timeZones();

UnixMs utcToLocal(const WindowsTimeZone& zone, UnixMs utcMs);
/// A local wall-clock time as UTC. In the hour a DST change skips or repeats, the result is
/// one of the two candidates; schedules only need it to be stable.
UnixMs localToUtc(const WindowsTimeZone& zone, UnixMs localMs);

/// Day of the week of a day count since 1970-01-01 (0 = Sunday).
int weekdayOfDays(std::int64_t days);
/// "Sunday" … "Saturday" for 0 … 6.
const char* weekdayName(int weekday);

} // namespace pbi::sandbox
