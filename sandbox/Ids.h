#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace pbi::sandbox {

/// GUIDs from a seed: the same seed gives the same tenant, run after run.
class IdGenerator {
public:
    explicit IdGenerator(std::uint64_t seed) : m_engine(seed) {}
    std::string next();

private:
    std::mt19937_64 m_engine;
};

/// A fresh random GUID (request ids, token ids); thread-safe.
std::string randomGuid();

/// Now, as the service writes it: "2026-11-28T12:41:43.1234567Z" style (UTC).
std::string isoNow();
std::string isoTime(std::int64_t unixSeconds);

} // namespace pbi::sandbox
