#include "RefreshTimeZones.h"

namespace pbi::sandbox {

namespace {

constexpr UnixMs kMinute = 60'000;
constexpr UnixMs kHour = 60 * kMinute;
constexpr UnixMs kDay = 24 * kHour;

// Howard Hinnant's civil-calendar algorithms (public domain).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + std::int64_t(doe) - 719468;
}

std::int64_t yearOfDays(std::int64_t z)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = std::int64_t(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return y + (m <= 2);
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/// Day count of the n-th (1-based) Sunday of a month, or of the last one (n = 0).
std::int64_t sunday(std::int64_t year, unsigned month, int n)
{
    if (n > 0) {
        const std::int64_t first = daysFromCivil(year, month, 1);
        const int wd = weekdayOfDays(first);
        return first + (7 - wd) % 7 + 7 * (n - 1);
    }
    const std::int64_t next =
        month == 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
    const std::int64_t last = next - 1;
    return last - weekdayOfDays(last);
}

/// Whether DST is in force at `utcMs` in a zone of standard offset `offset` (minutes).
bool inDst(DstRule rule, int offset, UnixMs utcMs)
{
    if (rule == DstRule::None)
        return false;
    const UnixMs local = utcMs + offset * kMinute; // local standard time
    const std::int64_t year = yearOfDays(floorDiv(local, kDay));
    switch (rule) {
    case DstRule::Europe: {
        const UnixMs start = sunday(year, 3, 0) * kDay + kHour;
        const UnixMs end = sunday(year, 10, 0) * kDay + kHour;
        return utcMs >= start && utcMs < end;
    }
    case DstRule::NorthAmerica: {
        const UnixMs start = sunday(year, 3, 2) * kDay + 2 * kHour;
        const UnixMs end = sunday(year, 11, 1) * kDay + kHour; // 02:00 DST is 01:00 standard
        return local >= start && local < end;
    }
    case DstRule::Australia: {
        const UnixMs end = sunday(year, 4, 1) * kDay + 2 * kHour;
        const UnixMs start = sunday(year, 10, 1) * kDay + 2 * kHour;
        return local < end || local >= start;
    }
    case DstRule::NewZealand: {
        const UnixMs end = sunday(year, 4, 1) * kDay + 2 * kHour;
        const UnixMs start = sunday(year, 9, 0) * kDay + 2 * kHour;
        return local < end || local >= start;
    }
    case DstRule::None:
        break;
    }
    return false;
}

} // namespace

int weekdayOfDays(std::int64_t days)
{
    // 1970-01-01 was a Thursday.
    return int(((days % 7) + 7 + 4) % 7);
}

const char* weekdayName(int weekday)
{
    static const char* const names[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};
    return names[((weekday % 7) + 7) % 7];
}

const std::vector<WindowsTimeZone>& timeZones()
{
    // The Windows ids people schedule refreshes in (TimeZoneInfo.Id on Windows), with their
    // standard offsets and DST rules. Not every Windows zone; unknown ids are refused.
    using R = DstRule;
    static const std::vector<WindowsTimeZone> zones = {
        {"UTC", 0, R::None},
        {"Dateline Standard Time", -720, R::None},
        {"UTC-11", -660, R::None},
        {"Hawaiian Standard Time", -600, R::None},
        {"Alaskan Standard Time", -540, R::NorthAmerica},
        {"Pacific Standard Time", -480, R::NorthAmerica},
        {"US Mountain Standard Time", -420, R::None},
        {"Mountain Standard Time", -420, R::NorthAmerica},
        {"Central America Standard Time", -360, R::None},
        {"Central Standard Time", -360, R::NorthAmerica},
        {"Central Standard Time (Mexico)", -360, R::None},
        {"Canada Central Standard Time", -360, R::None},
        {"SA Pacific Standard Time", -300, R::None},
        {"Eastern Standard Time", -300, R::NorthAmerica},
        {"US Eastern Standard Time", -300, R::NorthAmerica},
        {"Atlantic Standard Time", -240, R::NorthAmerica},
        {"SA Western Standard Time", -240, R::None},
        {"Newfoundland Standard Time", -210, R::NorthAmerica},
        {"E. South America Standard Time", -180, R::None},
        {"Argentina Standard Time", -180, R::None},
        {"SA Eastern Standard Time", -180, R::None},
        {"UTC-02", -120, R::None},
        {"Cape Verde Standard Time", -60, R::None},
        {"GMT Standard Time", 0, R::Europe},
        {"Greenwich Standard Time", 0, R::None},
        {"Morocco Standard Time", 60, R::None},
        {"W. Europe Standard Time", 60, R::Europe},
        {"Central Europe Standard Time", 60, R::Europe},
        {"Romance Standard Time", 60, R::Europe},
        {"Central European Standard Time", 60, R::Europe},
        {"W. Central Africa Standard Time", 60, R::None},
        {"GTB Standard Time", 120, R::Europe},
        {"E. Europe Standard Time", 120, R::Europe},
        {"FLE Standard Time", 120, R::Europe},
        {"Egypt Standard Time", 120, R::None},
        {"South Africa Standard Time", 120, R::None},
        {"Israel Standard Time", 120, R::None},
        {"Turkey Standard Time", 180, R::None},
        {"Arab Standard Time", 180, R::None},
        {"Russian Standard Time", 180, R::None},
        {"E. Africa Standard Time", 180, R::None},
        {"Arabian Standard Time", 240, R::None},
        {"Pakistan Standard Time", 300, R::None},
        {"India Standard Time", 330, R::None},
        {"Nepal Standard Time", 345, R::None},
        {"Bangladesh Standard Time", 360, R::None},
        {"SE Asia Standard Time", 420, R::None},
        {"China Standard Time", 480, R::None},
        {"Singapore Standard Time", 480, R::None},
        {"W. Australia Standard Time", 480, R::None},
        {"Taipei Standard Time", 480, R::None},
        {"Tokyo Standard Time", 540, R::None},
        {"Korea Standard Time", 540, R::None},
        {"Cen. Australia Standard Time", 570, R::Australia},
        {"AUS Central Standard Time", 570, R::None},
        {"E. Australia Standard Time", 600, R::None},
        {"AUS Eastern Standard Time", 600, R::Australia},
        {"Tasmania Standard Time", 600, R::Australia},
        {"West Pacific Standard Time", 600, R::None},
        {"Central Pacific Standard Time", 660, R::None},
        {"New Zealand Standard Time", 720, R::NewZealand},
        {"Fiji Standard Time", 720, R::None},
        {"Tonga Standard Time", 780, R::None},
    };
    return zones;
}

const WindowsTimeZone* findTimeZone(const std::string& id)
{
    for (const auto& z : timeZones())
        if (id == z.id)
            return &z;
    return nullptr;
}

UnixMs utcToLocal(const WindowsTimeZone& zone, UnixMs utcMs)
{
    const bool dst = inDst(zone.dst, zone.offsetMinutes, utcMs);
    return utcMs + zone.offsetMinutes * kMinute + (dst ? kHour : 0);
}

UnixMs localToUtc(const WindowsTimeZone& zone, UnixMs localMs)
{
    const UnixMs standard = localMs - zone.offsetMinutes * kMinute;
    const UnixMs daylight = standard - kHour;
    return inDst(zone.dst, zone.offsetMinutes, daylight) ? daylight : standard;
}

} // namespace pbi::sandbox
