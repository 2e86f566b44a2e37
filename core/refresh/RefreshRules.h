#pragma once

// What a refresh means to a person, and the service's rules for refresh requests and schedules,
// checked before anything is sent (reference/api-digest.md §3).

#include "api/Refresh.h"

#include <QDateTime>
#include <QString>

#include <optional>
#include <vector>

namespace pbi::refresh {

/// A refresh's status in plain language. The service says "Unknown" both for "running" and
/// for "nobody knows"; a refresh with no end time is running.
enum class State { Running, Completed, Failed, Cancelled, Disabled, Unknown };

State stateOf(const Refresh& r);
State stateOf(const RefreshExecution& e);
QString stateName(State s);
bool isFinished(State s);

/// "Scheduled", "On demand", "API", "Enhanced API", "XMLA endpoint"… for a refreshType.
QString typeName(const QString& refreshType);

/// End − start, or now − start while running; nullopt without a start time.
std::optional<qint64> durationMs(const Refresh& r, const QDateTime& now);
/// "2 h 05 min", "3 min 07 s", "12 s".
QString formatDuration(qint64 ms);

/// serviceExceptionJson decoded: the service's code and text, a sentence a support person can
/// act on, and the likely fix where the failure kind is known.
struct Failure {
    QString errorCode;   ///< "ModelRefreshFailed_CredentialsNotSpecified", "DM_GWPipeline_…"
    QString description; ///< the service's own text, when it sent one
    QString sentence;    ///< what went wrong, one sentence
    QString hint;        ///< the likely fix; may be empty
    QString raw;         ///< the string as received
    bool wellFormed = true; ///< false when the string was not JSON (the raw text is kept)
};

/// Decodes a serviceExceptionJson string; nullopt for an empty one.
std::optional<Failure> decodeFailure(const std::optional<QString>& serviceExceptionJson);

/// One reason a request or schedule cannot be sent, with the form field it belongs to.
struct Problem {
    QString field; ///< "notifyOption", "objects[2].table", "times[0]"…
    QString message;
};

/// What is known about the model and the caller, for the checks that depend on them.
struct Target {
    bool servicePrincipal = false;
    std::optional<bool> premium; ///< dedicated capacity (Premium/PPU/Embedded/Fabric); unknown: skip
    /// Known tables and their partitions (e.g. from a scan); empty: names are not checked.
    std::vector<RefreshObject> knownObjects;
};

/// The body checks the service applies to POST …/refreshes.
std::vector<Problem> validate(const RefreshRequest& request, const Target& target);

/// The checks the service applies to PATCH …/refreshSchedule. `current` is the schedule as
/// last read (to count slots when only the days or only the times change).
std::vector<Problem> validate(const RefreshScheduleUpdate& update, const RefreshSchedule& current,
                              const Target& target);

/// The problems as lines "field: message".
QString describe(const std::vector<Problem>& problems);

} // namespace pbi::refresh
