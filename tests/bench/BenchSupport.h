#pragma once

// Small helpers shared by the benchmark programs.

#include <QFile>
#include <QStringList>

namespace bench {

/// Peak resident set size of this process (VmHWM), in KiB; -1 when unknown.
inline long peakRssKb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong();
    return -1;
}

/// The integer after `name` on the command line, or `fallback`.
inline int arg(const QStringList& a, const char* name, int fallback)
{
    const int i = a.indexOf(QLatin1String(name));
    return i >= 0 && i + 1 < a.size() ? a[i + 1].toInt() : fallback;
}

} // namespace bench
