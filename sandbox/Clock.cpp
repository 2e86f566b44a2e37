#include "Clock.h"

#include <algorithm>
#include <cmath>

namespace pbi::sandbox {

SandboxClock::SandboxClock(double timeScale, Ms startMs)
    : m_realAnchor(Steady::now())
    , m_anchorMs(startMs > 0 ? startMs : wallNowMs())
    , m_scale(timeScale < 0 ? 0 : timeScale)
{}

SandboxClock::Ms SandboxClock::wallNowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

SandboxClock::Ms SandboxClock::nowLocked() const
{
    const double realMs =
        std::chrono::duration<double, std::milli>(Steady::now() - m_realAnchor).count();
    return m_anchorMs + Ms(std::floor(realMs * m_scale));
}

SandboxClock::Ms SandboxClock::nowMs() const
{
    std::lock_guard lock(m_mutex);
    return nowLocked();
}

double SandboxClock::timeScale() const
{
    std::lock_guard lock(m_mutex);
    return m_scale;
}

void SandboxClock::setTimeScale(double timeScale)
{
    std::lock_guard lock(m_mutex);
    m_anchorMs = nowLocked();
    m_realAnchor = Steady::now();
    m_scale = timeScale < 0 ? 0 : timeScale;
}

void SandboxClock::advance(Ms ms)
{
    if (ms <= 0)
        return;
    std::lock_guard lock(m_mutex);
    m_anchorMs += ms;
}

std::int64_t SandboxClock::realSecondsCeil(double sandboxSeconds) const
{
    if (sandboxSeconds <= 0)
        return 0;
    const double scale = timeScale();
    const double real = scale > 0 ? sandboxSeconds / scale : sandboxSeconds;
    return std::max<std::int64_t>(1, std::int64_t(std::ceil(real - 1e-9)));
}

std::int64_t SandboxClock::realSecondsFloor(double sandboxSeconds) const
{
    if (sandboxSeconds <= 0)
        return 0;
    const double scale = timeScale();
    const double real = scale > 0 ? sandboxSeconds / scale : sandboxSeconds;
    return std::max<std::int64_t>(1, std::int64_t(std::floor(real + 1e-9)));
}

} // namespace pbi::sandbox
