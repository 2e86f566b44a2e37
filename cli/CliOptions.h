#pragma once

// The parsed command line, shared by the files that implement pbictl's commands.

#include "Cli.h"

#include "profiles/ConnectionProfile.h"

#include <QString>
#include <QStringList>

namespace pbi::cli {

struct Cli::Options {
    bool json = false;
    bool sandbox = false;
    bool secretStdin = false;
    QString profile;
    QString command;
    QStringList args; ///< the command's own arguments
    pbi::ConnectionProfile resolved;

    /// pbictl refresh history|trigger|cancel|schedule WS --dataflow NAME|ID …
    /// (RefreshCommands.cpp). A member of Cli::Options, and so of Cli, it reaches the session
    /// and the streams as the model commands do, without widening Cli's header.
    struct Dataflows;
};

} // namespace pbi::cli
