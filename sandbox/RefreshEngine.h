#pragma once

// Semantic-model refreshes that run while the sandbox runs: triggered through the API or fired
// by refresh schedules, on the sandbox clock, with outcomes that are deterministic and that
// tests can force (docs/sandbox-powerbi.md "Refresh", docs/sandbox-control.md).

#include "Clock.h"
#include "Ids.h"
#include "Tenant.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

namespace pbi::sandbox {

/// How the next refresh of a model (or of a dataflow) ends, whatever it would have done
/// (control endpoint).
struct ForcedRefreshOutcome {
    std::string datasetId;  ///< the model; empty when `dataflowId` is set
    std::string dataflowId; ///< the dataflow; empty when `datasetId` is set
    /// Completed | Failed | TimedOut (models); Completed | Failed (dataflows: their
    /// transactions carry no error details, so errorCode and errorDescription stay empty)
    std::string outcome = "Completed";
    /// Failed: the serviceExceptionJson errorCode; empty:
    /// ModelRefreshFailed_CredentialsNotSpecified.
    std::string errorCode;
    std::string errorDescription;     ///< empty: the service's text for known codes, else none
    std::optional<UnixMs> durationMs; ///< sandbox time from start to end; empty: the model's
};

struct RefreshSettings {
    std::uint64_t seed = 1;          ///< durations and refresh ids derive from it
    UnixMs durationMs = 0;           ///< every refresh's duration; 0: per model, 3–8 s
    UnixMs visibilityDelayMs = 1000; ///< how long a new refresh stays out of the history
    bool schedules = true;           ///< fire refresh schedules as sandbox time passes
};

/// Runs refreshes over a tenant. Not thread-safe: call under the sandbox's mutex, and call
/// advance() before reading or changing refresh state, so that everything due has happened.
class RefreshEngine {
public:
    RefreshEngine(Tenant& tenant, const SandboxClock& clock, RefreshSettings settings);

    /// Finishes the refreshes and fires the schedule slots whose time has come, in time order.
    void advance();
    UnixMs now() const { return m_clock.nowMs(); }

    /// The running refresh of a model (status Unknown, no end time), or nullptr.
    const RefreshEntry* running(const std::string& datasetId) const;
    /// Refreshes started in the last 24 hours that count against shared capacity's daily limit
    /// (API and scheduled; the service's "eight requests per day, including scheduled refresh").
    int countedInLastDay(const Dataset& d) const;
    /// Starts a refresh of the model now (refreshType ViaApi or ViaEnhancedApi; the caller has
    /// checked the rules). Returns its requestId.
    std::string start(const std::string& datasetId, const std::string& refreshType,
                      std::optional<EnhancedRefresh> enhanced);
    /// Cancels a running refresh; false when it is not running.
    bool cancel(const std::string& datasetId, const std::string& requestId);
    /// GET …/refreshes/{refreshId}: DatasetRefreshDetail of a history entry as of now;
    /// `inProgress` tells 202 from 200.
    nlohmann::json details(const RefreshEntry& e, bool& inProgress) const;
    /// The extendedStatus a history entry shows now ("" for standard refreshes).
    std::string extendedStatus(const RefreshEntry& e) const;
    /// Whether the history lists the entry yet.
    bool isVisible(const RefreshEntry& e) const { return e.visibleFrom <= now(); }
    /// A model's schedule was created, changed or disabled.
    void scheduleChanged(const std::string& datasetId);

    // Dataflows: the same clock, schedules and forced outcomes; a run ends as a transaction
    // with status Success, Failed or Cancelled (DataflowTransaction, values inferred).
    /// The running transaction of a dataflow, or nullptr.
    const DataflowTransaction* runningDataflow(const std::string& dataflowId) const;
    /// Starts a refresh of the dataflow now (refreshType OnDemand; the caller has checked the
    /// rules). Returns the transaction id.
    std::string startDataflow(const std::string& dataflowId);
    enum class CancelOutcome { Marked, AlreadyConcluded, NotFound };
    /// POST …/dataflows/transactions/{id}/cancel for a transaction of a dataflow in `workspace`.
    CancelOutcome cancelDataflow(const Workspace& workspace, const std::string& transactionId);
    /// A dataflow's schedule was created, changed or disabled.
    void dataflowScheduleChanged(const std::string& dataflowId);

    void force(ForcedRefreshOutcome outcome);
    void clearForced();
    const RefreshSettings& settings() const { return m_settings; }
    void setSettings(const RefreshSettings& settings);
    /// The control endpoint's view: settings, forced outcomes waiting, running refreshes.
    nlohmann::json toJson() const;

private:
    struct Attempt {
        UnixMs start = 0;
        UnixMs end = 0;
    };
    struct Run {
        std::string datasetId;
        std::string requestId;
        std::string refreshType;
        UnixMs start = 0;
        UnixMs queuedUntil = 0; ///< enhanced: NotStarted until then
        std::vector<Attempt> attempts;
        UnixMs end = 0;
        std::string outcome; ///< Completed | Failed | TimedOut
        std::string serviceExceptionJson;
        std::vector<EngineMessage> messages;
    };
    struct DataflowRun {
        std::string dataflowId;
        std::string transactionId;
        UnixMs start = 0;
        UnixMs end = 0;
        std::string outcome; ///< Completed | Failed
    };
    struct Slot {
        UnixMs at = 0;
        std::string datasetId; ///< or the dataflow id, with `dataflow`
        std::uint64_t generation = 0;
        bool dataflow = false;
        bool operator>(const Slot& o) const { return at > o.at; }
    };

    Dataset* findDataset(const std::string& id);
    const Dataset* findDataset(const std::string& id) const;
    RefreshEntry* entryOf(const Run& run);
    std::string startAt(Dataset& d, const std::string& refreshType,
                        std::optional<EnhancedRefresh> enhanced, UnixMs at);
    void finish(const Run& run);
    void fire(const Slot& slot);
    std::optional<UnixMs> nextSlot(const Dataset& d, UnixMs after) const;
    std::optional<UnixMs> nextSlot(const std::optional<RefreshSchedule>& schedule,
                                   UnixMs after) const;
    Dataflow* findDataflow(const std::string& id);
    const Dataflow* findDataflow(const std::string& id) const;
    std::string startDataflowAt(Dataflow& d, const std::string& refreshType, UnixMs at);
    void finishDataflow(const DataflowRun& run);
    UnixMs dataflowDuration(const Dataflow& d);
    void rebuildSlots();
    UnixMs modelDuration(const Dataset& d);
    /// Status of each object of an enhanced run at time t.
    std::vector<RefreshObject> progress(const Run& run, const RefreshEntry& e, UnixMs t) const;
    static std::vector<RefreshObject> objectsFor(const Dataset& d, const EnhancedRefresh& r);

    Tenant& m_tenant;
    const SandboxClock& m_clock;
    RefreshSettings m_settings;
    IdGenerator m_ids;
    std::map<std::string, Run> m_runs; ///< by requestId
    std::vector<ForcedRefreshOutcome> m_forced;
    std::unordered_map<std::string, std::uint64_t> m_runCount; ///< by dataset id
    std::priority_queue<Slot, std::vector<Slot>, std::greater<Slot>> m_slots;
    std::unordered_map<std::string, std::uint64_t> m_generation; ///< by dataset or dataflow id
    std::map<std::string, DataflowRun> m_dataflowRuns;            ///< by transaction id
};

/// "2026-03-02T12:00:00.1230000Z": a time as dataflow transaction ids begin.
std::string transactionTime(UnixMs t);

/// The service's serviceExceptionJson for an error code (the canned texts of the demo history
/// for the codes it uses), or {"errorCode": code, "errorDescription": description}.
std::string refreshErrorJson(const std::string& errorCode, const std::string& description);

} // namespace pbi::sandbox
