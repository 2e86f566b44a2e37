#pragma once

// Refresh history and schedules of a semantic model (reference/api-digest.md §3).

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace pbi {

struct RefreshAttempt {
    std::optional<int> attemptId;
    std::optional<QDateTime> startTime;
    std::optional<QDateTime> endTime;
    std::optional<QString> type; ///< "Data" | "Query"
    std::optional<QString> serviceExceptionJson;
};

/// One entry of a refresh history.
struct Refresh {
    /// The id cancel and the execution details need (not the numeric "id"); keep it.
    std::optional<QString> requestId;
    std::optional<QString> refreshType; ///< "Scheduled" | "OnDemand" | "ViaApi" | "ViaEnhancedApi"…
    std::optional<QDateTime> startTime;
    std::optional<QDateTime> endTime; ///< absent while running
    /// "Unknown" (running, or unknown) | "Completed" | "Failed" | "Disabled" | "Cancelled".
    QString status = QStringLiteral("Unknown");
    std::optional<QString> extendedStatus;
    /// A string holding JSON, e.g. {"errorCode":"ModelRefreshFailed_CredentialsNotSpecified"}.
    std::optional<QString> serviceExceptionJson;
    std::vector<RefreshAttempt> refreshAttempts;
};

struct RefreshSchedule {
    QStringList days;  ///< "Monday"…"Sunday"
    QStringList times; ///< "hh:mm", minutes 00 or 30
    bool enabled = false;
    std::optional<QString> localTimeZoneId; ///< Windows id, e.g. "UTC"
    std::optional<QString> notifyOption;    ///< "NoNotification" | "MailOnFailure"
};

} // namespace pbi
