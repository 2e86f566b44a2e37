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
};

} // namespace pbi::cli
