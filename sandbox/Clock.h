#pragma once

// The sandbox's one clock. Everything the sandbox times — token lifetimes, throttling windows,
// refresh durations, refresh schedules, the "now" of generated answers — reads it, so that one
// factor speeds the whole tenant up (docs/sandbox-powerbi.md, "Time").

#include <chrono>
#include <cstdint>
#include <mutex>

namespace pbi::sandbox {

/// Sandbox time: milliseconds since the Unix epoch, UTC, starting at the wall clock and then
/// running `timeScale` times as fast as real time (0 freezes it). Tests may also jump it
/// forward. Monotonic: neither a new scale nor a wall-clock change ever moves it back.
/// Thread-safe.
class SandboxClock {
public:
    using Ms = std::int64_t;

    /// `startMs` 0: the current wall-clock time.
    explicit SandboxClock(double timeScale = 1.0, Ms startMs = 0);

    Ms nowMs() const;
    double timeScale() const;
    /// Changes the speed from now on; the time reached so far stays.
    void setTimeScale(double timeScale);
    /// Jumps forward by `ms` (≥ 0) of sandbox time.
    void advance(Ms ms);

    /// Real seconds a client waits for `sandboxSeconds` to pass, rounded up (at least 1 when
    /// `sandboxSeconds` > 0). With a frozen clock: `sandboxSeconds` unchanged.
    std::int64_t realSecondsCeil(double sandboxSeconds) const;
    /// The same rounded down (at least 1): for lifetimes a client must not overrun.
    std::int64_t realSecondsFloor(double sandboxSeconds) const;

    /// The wall clock, for times a client stamps with its own clock (e.g. client assertions).
    static Ms wallNowMs();

private:
    using Steady = std::chrono::steady_clock;
    Ms nowLocked() const;

    mutable std::mutex m_mutex;
    Steady::time_point m_realAnchor;
    Ms m_anchorMs = 0;
    double m_scale = 1.0;
};

} // namespace pbi::sandbox
