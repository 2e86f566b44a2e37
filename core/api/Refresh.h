#pragma once

// Refresh history and schedules of a semantic model (reference/api-digest.md §3).

#include <QDate>
#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QUrl>

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

/// Partial update of a schedule: PATCH …/refreshSchedule {"value": {…}}; unset fields are left
/// as they are. The service insists that a disable request changes nothing else.
struct RefreshScheduleUpdate {
    std::optional<QStringList> days;
    std::optional<QStringList> times;
    std::optional<bool> enabled;
    std::optional<QString> localTimeZoneId;
    std::optional<QString> notifyOption;

    bool isEmpty() const
    {
        return !days && !times && !enabled && !localTimeZoneId && !notifyOption;
    }
};

/// One table, or one partition of a table, to refresh in an enhanced refresh.
struct RefreshObject {
    QString table;
    QString partition; ///< empty: the whole table
};

/// The body of POST …/refreshes. Plain when only notifyOption is set; enhanced (asynchronous
/// refresh API, Premium/PPU/Embedded only) as soon as any other field is set.
struct RefreshRequest {
    // Plain refresh.
    std::optional<QString> notifyOption; ///< "NoNotification" | "MailOnFailure" | "MailOnCompletion"
    // Enhanced refresh.
    std::optional<QString> type;       ///< Full | ClearValues | Calculate | DataOnly | Automatic | Defragment
    std::optional<QString> commitMode; ///< Transactional | PartialBatch
    std::optional<int> maxParallelism;
    std::optional<int> retryCount;
    std::optional<QString> timeout; ///< "hh:mm:ss", per attempt
    std::vector<RefreshObject> objects;
    std::optional<bool> applyRefreshPolicy;
    std::optional<QDate> effectiveDate;

    bool isEnhanced() const
    {
        return type || commitMode || maxParallelism || retryCount || timeout || !objects.empty() ||
               applyRefreshPolicy || effectiveDate;
    }
};

/// What POST …/refreshes answered (202 Accepted, empty body).
struct TriggeredRefresh {
    /// The refresh's id from x-ms-request-id / the Location header; the id that execution
    /// details and cancel need. Empty if the service sent neither.
    QString requestId;
    QUrl location;
    QDateTime acceptedAt; ///< when the 202 arrived, by the transport's clock
    bool enhanced = false;
};

struct RefreshObjectStatus {
    QString table;
    QString partition;
    QString status; ///< e.g. "Completed", "InProgress", "NotStarted", "Failed"
};

struct RefreshMessage {
    QString code; ///< hex, e.g. "0xC11C0020"
    QString message;
    QString type; ///< "Error" | "Warning"
};

/// GET …/refreshes/{refreshId}: the execution details of an (enhanced) refresh.
struct RefreshExecution {
    bool inProgress = false; ///< the service answered 202 (still running)
    std::optional<QDateTime> startTime;
    std::optional<QDateTime> endTime;
    std::optional<QString> type;
    std::optional<QString> commitMode;
    QString status = QStringLiteral("Unknown"); ///< Unknown | Completed | Failed | Disabled | Cancelled
    std::optional<QString> extendedStatus;     ///< NotStarted | InProgress | Completed | TimedOut | …
    std::optional<QString> currentRefreshType;
    std::optional<int> numberOfAttempts;
    std::optional<QString> serviceExceptionJson;
    std::vector<RefreshObjectStatus> objects;
    std::vector<RefreshMessage> messages;
    std::vector<RefreshAttempt> refreshAttempts;
};

/// One entry of a dataflow's refresh history (GET …/dataflows/{id}/transactions). The service
/// documents the fields, not their values: refreshType "Scheduled" | "OnDemand", status
/// "InProgress" | "Success" | "Failed" | "Cancelled" as seen; refresh::stateOf() reads them.
struct DataflowTransaction {
    /// "2020-08-27T16:07:47.2487692Z@8dbd8c92-…$2": the id cancel needs.
    QString id;
    std::optional<QString> refreshType;
    std::optional<QDateTime> startTime;
    std::optional<QDateTime> endTime; ///< absent while running
    std::optional<QString> status;
};

/// The body and options of POST …/dataflows/{id}/refreshes.
struct DataflowRefreshRequest {
    /// Required by the service: "NoNotification" | "MailOnFailure" (MailOnCompletion is not
    /// supported for dataflows).
    QString notifyOption = QStringLiteral("MailOnFailure");
    std::optional<QString> processType; ///< query option: "default" | "processFull"
};

/// What POST …/dataflows/{id}/refreshes answered (200, empty body). Nothing in the answer names
/// the new transaction: refresh::triggerDataflowRefresh() reads the history first, so that the
/// follower can tell the new one from those it already knew.
struct TriggeredDataflowRefresh {
    QDateTime acceptedAt;            ///< when the 200 arrived, by the transport's clock
    QStringList knownTransactionIds; ///< the history's ids just before the trigger
    /// Set when the transaction is known (following one already in the history).
    QString transactionId;
    QString notifyOption;
};

/// POST …/dataflows/transactions/{id}/cancel: DataflowTransactionStatus.
struct DataflowCancelResult {
    QString transactionId;
    /// "SuccessfullyMarked" | "AlreadyConcluded" | "NotFound" | "Invalid" (the service's casing
    /// varies: compare case-insensitively).
    QString status;
};

/// GET /admin/capacities/refreshables: a refreshable model on a capacity, with its statistics
/// over the service's window (seconds for durations).
struct Refreshable {
    QString id;
    QString name;
    QString kind; ///< "Dataset"
    std::optional<QDateTime> startTime;
    std::optional<QDateTime> endTime;
    std::optional<int> refreshCount;
    std::optional<int> refreshFailures;
    std::optional<double> averageDuration;
    std::optional<double> medianDuration;
    std::optional<int> refreshesPerDay;
    std::optional<Refresh> lastRefresh;
    std::optional<RefreshSchedule> refreshSchedule;
    QStringList configuredBy;
    QString capacityId;
    QString capacityName;
    QString capacitySku;
    QString groupId;
    QString groupName;
};

} // namespace pbi
