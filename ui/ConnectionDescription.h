#pragma once

#include <QColor>
#include <QString>

namespace pbi::ui {

/// What the window says about the connection it shows: the band nobody can miss.
struct ConnectionDescription {
    QString title;    ///< "Sandbox tenant", "Contoso – Production"
    QString subtitle; ///< "local emulator at http://127.0.0.1:41234 · Contoso (sandbox)"
    QColor color;     ///< environment colour
    bool isSandbox = false;
    // What actions need to know about the connection (refresh, schedule, monitor).
    QString environmentName;       ///< "Production", "Test", "Sandbox"…
    bool isProduction = false;     ///< changes ask for a confirmation first
    bool adminScope = false;       ///< the profile uses the tenant-wide admin APIs
    bool servicePrincipal = false; ///< app-only identity: no mailbox, no notifications
};

} // namespace pbi::ui
