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
};

} // namespace pbi::ui
