#include "Clock.h"

namespace pbi {

QDateTime SystemClock::now() const
{
    return QDateTime::currentDateTimeUtc();
}

} // namespace pbi
