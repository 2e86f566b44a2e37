#pragma once

#include <QDateTime>

namespace pbi {

/// The source of "now" for everything in the core; tests pass their own.
class Clock {
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0;
};

/// The wall clock, in UTC.
class SystemClock final : public Clock {
public:
    QDateTime now() const override;
};

} // namespace pbi
