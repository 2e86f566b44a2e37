#pragma once

// How QCOMPARE prints the core's values when a comparison fails.

#include "http/Error.h"

#include <QTest>

namespace QTest {
template <>
inline char* toString(const pbi::ErrorKind& kind)
{
    return qstrdup(qPrintable(pbi::errorKindName(kind)));
}
} // namespace QTest
