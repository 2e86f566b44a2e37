#include "Ids.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace pbi::sandbox {

namespace {
std::string format(std::uint64_t hi, std::uint64_t lo)
{
    // RFC 4122 version 4 layout, so clients that check the variant accept it.
    hi = (hi & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;
    lo = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
    char buf[37];
    std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", unsigned(hi >> 32),
                  unsigned((hi >> 16) & 0xFFFF), unsigned(hi & 0xFFFF), unsigned(lo >> 48),
                  static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
    return buf;
}
} // namespace

std::string IdGenerator::next()
{
    const std::uint64_t hi = m_engine();
    const std::uint64_t lo = m_engine();
    return format(hi, lo);
}

std::string randomGuid()
{
    thread_local std::mt19937_64 engine{std::random_device{}()};
    const std::uint64_t hi = engine();
    const std::uint64_t lo = engine();
    return format(hi, lo);
}

std::string isoTime(std::int64_t unixSeconds)
{
    std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return std::string(buf) + "Z";
}

std::string isoNow()
{
    const auto now = std::chrono::system_clock::now();
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
    const auto frac =
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch() - secs);
    std::time_t t = static_cast<std::time_t>(secs.count());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[48];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[64];
    std::snprintf(out, sizeof out, "%s.%06lldZ", buf, static_cast<long long>(frac.count()));
    return out;
}

} // namespace pbi::sandbox
