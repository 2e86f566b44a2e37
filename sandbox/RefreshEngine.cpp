#include "RefreshEngine.h"

#include "DemoContent.h"
#include "EntityJson.h"
#include "RefreshTimeZones.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace pbi::sandbox {

namespace {

using nlohmann::json;

constexpr UnixMs kMinute = 60'000;
constexpr UnixMs kHour = 60 * kMinute;
constexpr UnixMs kDay = 24 * kHour;
constexpr UnixMs kNever = std::numeric_limits<UnixMs>::max();
/// The service keeps between 20 and 60 history entries: the newest 60, and of those older than
/// three days only as many as keep the count at 20 (spec, Datasets_GetRefreshHistory).
constexpr std::size_t kHistoryMax = 60;
constexpr std::size_t kHistoryKeepOld = 20;
/// "Scheduled refresh is disabled after four consecutive failures" (refresh-data.md).
constexpr int kFailuresBeforeDisable = 4;
/// Scheduled refreshes that fail are retried by the service (as the demo history shows them).
constexpr int kScheduledAttempts = 3;
constexpr int kMaxAttempts = 100;

std::uint64_t fnv1a(const std::string& s)
{
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

std::uint64_t mix(std::uint64_t x)
{
    // splitmix64's finaliser: every input bit moves every output bit.
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

std::string errorCodeOf(const std::string& serviceExceptionJson)
{
    const json j = json::parse(serviceExceptionJson, nullptr, false);
    if (j.is_object() && j.contains("errorCode") && j["errorCode"].is_string())
        return j["errorCode"].get<std::string>();
    return {};
}

std::string errorDescriptionOf(const std::string& serviceExceptionJson)
{
    const json j = json::parse(serviceExceptionJson, nullptr, false);
    if (j.is_object() && j.contains("errorDescription") && j["errorDescription"].is_string())
        return j["errorDescription"].get<std::string>();
    return {};
}

/// Causes that stay until someone fixes them: the next refresh fails the same way.
bool isPersistentCause(const std::string& errorCode)
{
    return errorCode == "ModelRefreshFailed_CredentialsNotSpecified" ||
           errorCode == "DMTS_OAuthTokenRefreshFailedError" ||
           errorCode == "DM_GWPipeline_Client_GatewayUnreachable";
}

std::string hhmmss(int seconds)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60,
                  seconds % 60);
    return buf;
}

json attemptJson(const RefreshAttempt& a)
{
    json j = {
        {"attemptId", a.attemptId}, {"startTime", entity::isoMs(a.startTime)}, {"type", a.type}};
    if (a.endTime)
        j["endTime"] = entity::isoMs(*a.endTime);
    if (!a.serviceExceptionJson.empty())
        j["serviceExceptionJson"] = a.serviceExceptionJson;
    return j;
}

} // namespace

std::string refreshErrorJson(const std::string& code, const std::string& description)
{
    if (description.empty()) {
        if (code.empty() || code == "ModelRefreshFailed_CredentialsNotSpecified")
            return refreshErrors::credentialsNotSpecified();
        if (code == "DMTS_OAuthTokenRefreshFailedError")
            return refreshErrors::credentialsExpired();
        if (code == "DM_GWPipeline_Client_GatewayUnreachable")
            return refreshErrors::gatewayOffline();
    }
    json j = {{"errorCode", code.empty() ? "ModelRefreshFailed_CredentialsNotSpecified" : code}};
    if (!description.empty())
        j["errorDescription"] = description;
    return j.dump();
}

RefreshEngine::RefreshEngine(Tenant& tenant, const SandboxClock& clock, RefreshSettings settings)
    : m_tenant(tenant)
    , m_clock(clock)
    , m_settings(settings)
    , m_ids(mix(settings.seed ^ 0x5245465245534821ull)) // "REFRESH!"
{
    rebuildSlots();
}

Dataset* RefreshEngine::findDataset(const std::string& id)
{
    const auto ref = m_tenant.findDataset(id);
    return ref ? &m_tenant.workspaces[ref->workspace].datasets[ref->item] : nullptr;
}

const Dataset* RefreshEngine::findDataset(const std::string& id) const
{
    const auto ref = m_tenant.findDataset(id);
    return ref ? &m_tenant.workspaces[ref->workspace].datasets[ref->item] : nullptr;
}

RefreshEntry* RefreshEngine::entryOf(const Run& run)
{
    Dataset* d = findDataset(run.datasetId);
    if (!d)
        return nullptr;
    for (auto it = d->refreshes.rbegin(); it != d->refreshes.rend(); ++it)
        if (it->requestId == run.requestId)
            return &*it;
    return nullptr;
}

void RefreshEngine::setSettings(const RefreshSettings& settings)
{
    const bool schedulesChanged = settings.schedules != m_settings.schedules;
    m_settings = settings;
    if (schedulesChanged)
        rebuildSlots();
}

void RefreshEngine::rebuildSlots()
{
    m_slots = {};
    if (!m_settings.schedules)
        return;
    const UnixMs now = m_clock.nowMs();
    for (const auto& w : m_tenant.workspaces) {
        for (const auto& d : w.datasets)
            if (const auto at = nextSlot(d, now))
                m_slots.push({*at, d.id, m_generation[d.id]});
        for (const auto& d : w.dataflows)
            if (const auto at = nextSlot(d.schedule, now))
                m_slots.push({*at, d.objectId, m_generation[d.objectId], true});
    }
}

void RefreshEngine::scheduleChanged(const std::string& datasetId)
{
    const std::uint64_t generation = ++m_generation[datasetId];
    const Dataset* d = findDataset(datasetId);
    if (!d || !m_settings.schedules)
        return;
    if (const auto at = nextSlot(*d, m_clock.nowMs()))
        m_slots.push({*at, datasetId, generation});
}

std::optional<UnixMs> RefreshEngine::nextSlot(const Dataset& d, UnixMs after) const
{
    if (!d.isRefreshable)
        return std::nullopt;
    return nextSlot(d.schedule, after);
}

std::optional<UnixMs> RefreshEngine::nextSlot(const std::optional<RefreshSchedule>& schedule,
                                              UnixMs after) const
{
    if (!schedule || !schedule->enabled || schedule->days.empty())
        return std::nullopt;
    const RefreshSchedule& s = *schedule;
    const WindowsTimeZone* zone = findTimeZone(s.localTimeZoneId);
    if (!zone)
        zone = findTimeZone("UTC");
    std::vector<int> minutes;
    for (const auto& t : s.times) {
        if (t.size() != 5 || t[2] != ':')
            continue;
        const int h = std::atoi(t.substr(0, 2).c_str());
        const int m = std::atoi(t.substr(3, 2).c_str());
        minutes.push_back(h * 60 + m);
    }
    // "If no times are specified, then Power BI will use a default single time per day"
    // (spec); which time is not documented: the sandbox uses midnight.
    if (minutes.empty())
        minutes.push_back(0);
    std::sort(minutes.begin(), minutes.end());
    const UnixMs local = utcToLocal(*zone, after);
    const std::int64_t firstDay = local >= 0 ? local / kDay : (local - kDay + 1) / kDay;
    for (std::int64_t day = firstDay; day < firstDay + 9; ++day) {
        const std::string name = weekdayName(weekdayOfDays(day));
        if (std::find(s.days.begin(), s.days.end(), name) == s.days.end())
            continue;
        for (int m : minutes) {
            const UnixMs at = localToUtc(*zone, day * kDay + m * kMinute);
            if (at > after)
                return at;
        }
    }
    return std::nullopt;
}

void RefreshEngine::advance()
{
    const UnixMs now = m_clock.nowMs();
    for (;;) {
        const Run* due = nullptr;
        for (const auto& [id, run] : m_runs)
            if (!due || run.end < due->end)
                due = &run;
        const DataflowRun* dueFlow = nullptr;
        for (const auto& [id, run] : m_dataflowRuns)
            if (!dueFlow || run.end < dueFlow->end)
                dueFlow = &run;
        const UnixMs runAt = due ? due->end : kNever;
        const UnixMs flowAt = dueFlow ? dueFlow->end : kNever;
        const UnixMs slotAt = m_slots.empty() ? kNever : m_slots.top().at;
        if (std::min({runAt, flowAt, slotAt}) > now)
            break;
        if (flowAt < runAt && flowAt <= slotAt) {
            const DataflowRun run = *dueFlow;
            m_dataflowRuns.erase(run.transactionId);
            finishDataflow(run);
        } else if (runAt <= slotAt) {
            const Run run = *due;
            m_runs.erase(run.requestId);
            finish(run);
        } else {
            const Slot slot = m_slots.top();
            m_slots.pop();
            fire(slot);
        }
    }
}

void RefreshEngine::fire(const Slot& slot)
{
    if (m_generation[slot.datasetId] != slot.generation)
        return; // the schedule changed since this slot was planned
    if (slot.dataflow) {
        Dataflow* flow = findDataflow(slot.datasetId);
        if (!flow)
            return;
        const auto ref = m_tenant.findDataflow(slot.datasetId);
        if (m_tenant.workspaces[ref->workspace].state == "Active" && !runningDataflow(flow->objectId))
            startDataflowAt(*flow, "Scheduled", slot.at);
        if (const auto next = nextSlot(flow->schedule, slot.at))
            m_slots.push({*next, flow->objectId, slot.generation, true});
        return;
    }
    Dataset* d = findDataset(slot.datasetId);
    if (!d)
        return;
    const auto ref = m_tenant.findDataset(slot.datasetId);
    const Workspace& w = m_tenant.workspaces[ref->workspace];
    // A slot that finds the model still refreshing is skipped, as the service does not run
    // two refreshes of one model at once.
    if (w.state == "Active" && !running(d->id))
        startAt(*d, "Scheduled", std::nullopt, slot.at);
    if (const auto next = nextSlot(*d, slot.at))
        m_slots.push({*next, d->id, slot.generation});
}

const RefreshEntry* RefreshEngine::running(const std::string& datasetId) const
{
    for (const auto& [id, run] : m_runs) {
        if (run.datasetId != datasetId)
            continue;
        const Dataset* d = findDataset(datasetId);
        if (!d)
            return nullptr;
        for (auto it = d->refreshes.rbegin(); it != d->refreshes.rend(); ++it)
            if (it->requestId == run.requestId)
                return &*it;
    }
    return nullptr;
}

int RefreshEngine::countedInLastDay(const Dataset& d) const
{
    const UnixMs since = m_clock.nowMs() - kDay;
    int n = 0;
    for (const auto& e : d.refreshes)
        if (e.startTime > since && (e.refreshType == "ViaApi" || e.refreshType == "Scheduled" ||
                                    e.refreshType == "ViaEnhancedApi"))
            ++n;
    return n;
}

UnixMs RefreshEngine::modelDuration(const Dataset& d)
{
    const std::uint64_t run = m_runCount[d.id]++;
    if (m_settings.durationMs > 0)
        return m_settings.durationMs;
    // A few seconds per model, the same for a seed; each run varies by up to ±15 %.
    const std::uint64_t h = mix(m_settings.seed ^ fnv1a(d.id));
    const UnixMs base = 3000 + UnixMs(h % 5001);
    const double jitter = 0.85 + double(mix(h + run) % 301) / 1000.0;
    return std::max<UnixMs>(1, UnixMs(double(base) * jitter));
}

std::vector<RefreshObject> RefreshEngine::objectsFor(const Dataset& d, const EnhancedRefresh& r)
{
    std::vector<RefreshObject> out;
    if (!r.objects.empty()) {
        for (const auto& o : r.objects)
            out.push_back({o.table, o.partition, "NotStarted"});
        return out;
    }
    // The whole model: each partition that holds imported data, or the table when it has none.
    for (const auto& t : d.tables) {
        bool any = false;
        for (const auto& p : t.partitions) {
            if (p.mode == "DirectQuery")
                continue;
            out.push_back({t.name, p.name, "NotStarted"});
            any = true;
        }
        if (!any && t.partitions.empty())
            out.push_back({t.name, {}, "NotStarted"});
    }
    return out;
}

std::string RefreshEngine::start(const std::string& datasetId, const std::string& refreshType,
                                 std::optional<EnhancedRefresh> enhanced)
{
    advance();
    Dataset* d = findDataset(datasetId);
    if (!d)
        return {};
    return startAt(*d, refreshType, std::move(enhanced), m_clock.nowMs());
}

std::string RefreshEngine::startAt(Dataset& d, const std::string& refreshType,
                                   std::optional<EnhancedRefresh> enhanced, UnixMs at)
{
    Run run;
    run.datasetId = d.id;
    run.requestId = m_ids.next();
    run.refreshType = refreshType;
    run.start = at;

    // What the last refresh failed with, when it is a cause that stays until fixed.
    std::string lastCause;
    for (auto it = d.refreshes.rbegin(); it != d.refreshes.rend(); ++it) {
        if (!it->endTime)
            continue;
        if (it->status == "Failed" && isPersistentCause(errorCodeOf(it->serviceExceptionJson)))
            lastCause = it->serviceExceptionJson;
        if (it->status == "Completed" || it->status == "Failed")
            break;
    }

    UnixMs duration = modelDuration(d);
    std::string outcome = "Completed";
    std::optional<ForcedRefreshOutcome> forced;

    // Incremental refresh policies and what an enhanced refresh asks of them: the engine
    // refuses these once the refresh runs, not when it is requested (spec example "Enhanced
    // refresh - Failed").
    if (enhanced && enhanced->applyRefreshPolicy) {
        std::string problem;
        for (const auto& t : d.tables) {
            if (!hasRefreshPolicy(d, t))
                continue;
            bool named = enhanced->objects.empty();
            std::string partition;
            for (const auto& o : enhanced->objects)
                if (o.table == t.name) {
                    named = true;
                    if (!o.partition.empty())
                        partition = o.partition;
                }
            if (!named)
                continue;
            if (enhanced->commitMode == "PartialBatch") {
                problem = "RefreshApiRequest for table refresh using refresh policy must have the "
                          "property 'CommitMode' = 'Transactional' instead of 'PartialBatch'.";
                break;
            }
            if (!partition.empty()) {
                // Inferred wording: the policy decides the partitions, so one of them cannot
                // be named while the policy is applied.
                problem = "RefreshApiRequest for partition '" + partition + "' of table '" +
                          t.name +
                          "' cannot apply the table's refresh policy: set 'applyRefreshPolicy' to "
                          "false to refresh a single partition.";
                break;
            }
        }
        if (!problem.empty()) {
            outcome = "Failed";
            duration = std::min<UnixMs>(duration, 1500);
            run.serviceExceptionJson =
                json{{"errorCode", "ModelRefresh_ShortMessage_ProcessingError"}}.dump();
            run.messages.push_back({{}, problem, "Error"});
        }
    }
    if (run.messages.empty()) {
        for (auto it = m_forced.begin(); it != m_forced.end(); ++it)
            if (it->datasetId == d.id) {
                forced = *it;
                m_forced.erase(it);
                break;
            }
        if (forced) {
            outcome = forced->outcome;
            if (forced->durationMs)
                duration = std::max<UnixMs>(1, *forced->durationMs);
            if (outcome == "Failed")
                run.serviceExceptionJson =
                    refreshErrorJson(forced->errorCode, forced->errorDescription);
        } else if (!lastCause.empty()) {
            outcome = "Failed";
            run.serviceExceptionJson = lastCause;
        }
    }

    // The plan: enhanced refreshes wait a moment as NotStarted, then run their attempts.
    const int retries = enhanced ? std::clamp(enhanced->retryCount, 0, kMaxAttempts - 1) : 0;
    UnixMs work = duration;
    if (enhanced) {
        run.queuedUntil = at + std::min<UnixMs>(duration / 10, 2000);
        work = duration - (run.queuedUntil - at);
    }
    const UnixMs begin = enhanced ? run.queuedUntil : at;
    int attempts = 1;
    UnixMs each = std::max<UnixMs>(1, work);
    if (outcome == "Completed" && enhanced && work > UnixMs(enhanced->timeoutSeconds) * 1000) {
        // Every attempt runs into the per-attempt timeout; all of them together stop at 24 h.
        outcome = "TimedOut";
        attempts = retries + 1;
        each = UnixMs(enhanced->timeoutSeconds) * 1000;
        while (attempts > 1 && each * attempts > kDay)
            --attempts;
    } else if (outcome == "Failed" || outcome == "TimedOut") {
        attempts = enhanced ? retries + 1 : refreshType == "Scheduled" ? kScheduledAttempts : 1;
        if (!run.messages.empty())
            attempts = 1; // a request the engine refuses is not retried
        each = std::max<UnixMs>(1, work / attempts);
    }
    if (outcome == "TimedOut" && run.serviceExceptionJson.empty()) {
        run.serviceExceptionJson =
            enhanced ? json{{"errorCode", "ModelRefresh_ShortMessage_ProcessingError"},
                            {"errorDescription",
                             "Timeout expired. The refresh attempt exceeded its timeout of " +
                                 hhmmss(enhanced->timeoutSeconds) + "."}}
                           .dump()
                     : refreshErrors::timeout();
    }
    if (enhanced && outcome != "Completed" && run.messages.empty()) {
        const std::string description = errorDescriptionOf(run.serviceExceptionJson);
        run.messages.push_back(
            {{},
             description.empty() ? errorCodeOf(run.serviceExceptionJson) : description,
             "Error"});
    }
    for (int i = 0; i < attempts; ++i)
        run.attempts.push_back({begin + i * each, begin + (i + 1) * each});
    run.end = run.attempts.back().end;
    run.outcome = outcome;

    RefreshEntry e;
    e.requestId = run.requestId;
    e.refreshType = refreshType;
    e.startTime = at;
    e.status = "Unknown";
    e.visibleFrom = at + m_settings.visibilityDelayMs;
    if (enhanced) {
        e.extendedStatus = "NotStarted";
        e.objects = objectsFor(d, *enhanced);
        e.enhanced = std::move(enhanced);
    }

    // History retention: the newest 60; entries older than three days only down to 20.
    auto& history = d.refreshes;
    while (history.size() >= kHistoryMax && !running(d.id))
        history.erase(history.begin());
    while (history.size() > kHistoryKeepOld && history.front().startTime < at - 3 * kDay &&
           history.front().endTime)
        history.erase(history.begin());
    history.push_back(std::move(e));
    m_runs.emplace(run.requestId, run);
    return run.requestId;
}

std::vector<RefreshObject> RefreshEngine::progress(const Run& run, const RefreshEntry& e,
                                                   UnixMs t) const
{
    std::vector<RefreshObject> out = e.objects;
    if (out.empty() || !e.enhanced)
        return out;
    if (t < run.queuedUntil) {
        for (auto& o : out)
            o.status = "NotStarted";
        return out;
    }
    // The attempt running at t (or the last one), its objects processed in waves of
    // maxParallelism, each wave an equal share of the attempt.
    const Attempt* a = &run.attempts.back();
    for (const auto& x : run.attempts)
        if (t < x.end) {
            a = &x;
            break;
        }
    const std::size_t width = std::size_t(std::max(1, e.enhanced->maxParallelism));
    const std::size_t waves = (out.size() + width - 1) / width;
    const UnixMs span = std::max<UnixMs>(1, a->end - a->start);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const std::size_t wave = i / width;
        const UnixMs from = a->start + UnixMs(double(span) * double(wave) / double(waves));
        const UnixMs to = a->start + UnixMs(double(span) * double(wave + 1) / double(waves));
        out[i].status = t < from ? "NotStarted" : t < to ? "InProgress" : "Completed";
    }
    return out;
}

void RefreshEngine::finish(const Run& run)
{
    RefreshEntry* e = entryOf(run);
    if (!e)
        return;
    const bool ok = run.outcome == "Completed";
    e->endTime = run.end;
    e->status = ok ? "Completed" : "Failed";
    e->serviceExceptionJson = run.serviceExceptionJson;
    e->messages = run.messages;
    e->attempts.clear();
    for (std::size_t i = 0; i < run.attempts.size(); ++i) {
        const bool last = i + 1 == run.attempts.size();
        e->attempts.push_back({int(i) + 1, run.attempts[i].start, run.attempts[i].end, "Data",
                               ok && last ? std::string() : run.serviceExceptionJson});
    }
    if (e->enhanced) {
        e->extendedStatus = run.outcome; // Completed | Failed | TimedOut
        e->objects = progress(run, *e, run.end - 1);
        for (auto& o : e->objects)
            if (o.status == "InProgress")
                o.status = ok ? "Completed" : "Failed";
    }
    if (run.refreshType != "Scheduled" || ok)
        return;
    // Four scheduled refreshes failed in a row (a success of any kind resets the count): the
    // service turns the schedule off.
    Dataset* d = findDataset(run.datasetId);
    int failures = 0;
    for (auto it = d->refreshes.rbegin(); it != d->refreshes.rend(); ++it) {
        if (it->status == "Completed")
            break;
        if (it->status == "Failed" && it->refreshType == "Scheduled")
            ++failures;
    }
    if (failures >= kFailuresBeforeDisable && d->schedule && d->schedule->enabled) {
        d->schedule->enabled = false;
        ++m_generation[d->id];
    }
}

bool RefreshEngine::cancel(const std::string& datasetId, const std::string& requestId)
{
    advance();
    const auto it = m_runs.find(requestId);
    if (it == m_runs.end() || it->second.datasetId != datasetId)
        return false;
    const Run run = it->second;
    m_runs.erase(it);
    RefreshEntry* e = entryOf(run);
    if (!e)
        return true;
    const UnixMs now = m_clock.nowMs();
    e->status = "Cancelled";
    e->endTime = now;
    e->attempts.clear();
    for (std::size_t i = 0; i < run.attempts.size() && run.attempts[i].start <= now; ++i)
        e->attempts.push_back(
            {int(i) + 1, run.attempts[i].start, std::min(run.attempts[i].end, now), "Data",
             run.attempts[i].end <= now ? run.serviceExceptionJson : std::string()});
    if (e->enhanced) {
        e->extendedStatus = "Cancelled";
        e->objects = progress(run, *e, now);
        for (auto& o : e->objects)
            if (o.status == "InProgress")
                o.status = "Cancelled";
    }
    return true;
}

std::string RefreshEngine::extendedStatus(const RefreshEntry& e) const
{
    if (!e.enhanced)
        return {};
    const auto it = m_runs.find(e.requestId);
    if (it == m_runs.end())
        return e.extendedStatus;
    return m_clock.nowMs() < it->second.queuedUntil ? "NotStarted" : "InProgress";
}

nlohmann::json RefreshEngine::details(const RefreshEntry& e, bool& inProgress) const
{
    const UnixMs now = m_clock.nowMs();
    const auto runIt = m_runs.find(e.requestId);
    const Run* run = runIt == m_runs.end() ? nullptr : &runIt->second;
    // A running entry the engine did not start (a scenario file's) is in progress as well.
    inProgress = run != nullptr || !e.endTime;

    json j = {{"startTime", entity::isoMs(e.startTime)}};
    if (e.endTime)
        j["endTime"] = entity::isoMs(*e.endTime);
    if (e.enhanced) {
        j["type"] = e.enhanced->type;
        j["commitMode"] = e.enhanced->commitMode;
    }
    // The detail's status has no "Cancelled" (DatasetRefreshDetailStatus); a cancelled refresh
    // is unsuccessful, and extendedStatus says why.
    j["status"] = e.status == "Cancelled" ? std::string("Failed") : e.status;
    if (e.enhanced) {
        j["extendedStatus"] = extendedStatus(e);
        j["currentRefreshType"] = e.enhanced->type;
    }
    json attempts = json::array();
    if (run) {
        for (std::size_t i = 0; i < run->attempts.size(); ++i) {
            const Attempt& a = run->attempts[i];
            if (a.start > now)
                break;
            RefreshAttempt x{int(i) + 1, a.start, std::nullopt, "Data", {}};
            if (a.end <= now) { // an earlier attempt that failed; the service retries
                x.endTime = a.end;
                x.serviceExceptionJson = run->serviceExceptionJson;
            }
            attempts.push_back(attemptJson(x));
        }
    } else {
        for (const auto& a : e.attempts)
            attempts.push_back(attemptJson(a));
    }
    j["numberOfAttempts"] = int(attempts.size());
    if (e.enhanced) {
        const auto objects = run ? progress(*run, e, now) : e.objects;
        if (!objects.empty()) {
            json list = json::array();
            for (const auto& o : objects) {
                json x = {{"table", o.table}};
                if (!o.partition.empty())
                    x["partition"] = o.partition;
                if (!o.status.empty())
                    x["status"] = o.status;
                list.push_back(std::move(x));
            }
            j["objects"] = std::move(list);
        }
    }
    if (!run && !e.messages.empty()) {
        json list = json::array();
        for (const auto& m : e.messages) {
            json x = {{"message", m.message}, {"type", m.type}};
            if (!m.code.empty())
                x["code"] = m.code;
            list.push_back(std::move(x));
        }
        j["messages"] = std::move(list);
    }
    if (!attempts.empty())
        j["refreshAttempts"] = std::move(attempts);
    j["initiatedBy"] = e.refreshType;
    if (!e.serviceExceptionJson.empty())
        j["serviceExceptionJson"] = e.serviceExceptionJson;
    return j;
}

void RefreshEngine::force(ForcedRefreshOutcome outcome)
{
    m_forced.push_back(std::move(outcome));
}

void RefreshEngine::clearForced()
{
    m_forced.clear();
}

nlohmann::json RefreshEngine::toJson() const
{
    json forced = json::array();
    for (const auto& f : m_forced) {
        json x = f.dataflowId.empty() ? json{{"datasetId", f.datasetId}, {"outcome", f.outcome}}
                                      : json{{"dataflowId", f.dataflowId}, {"outcome", f.outcome}};
        if (!f.errorCode.empty())
            x["errorCode"] = f.errorCode;
        if (!f.errorDescription.empty())
            x["errorDescription"] = f.errorDescription;
        if (f.durationMs)
            x["durationMs"] = *f.durationMs;
        forced.push_back(std::move(x));
    }
    json running = json::array();
    for (const auto& [id, r] : m_runs)
        running.push_back({{"requestId", r.requestId},
                           {"datasetId", r.datasetId},
                           {"refreshType", r.refreshType},
                           {"startTime", entity::isoMs(r.start)},
                           {"plannedEndTime", entity::isoMs(r.end)},
                           {"outcome", r.outcome}});
    for (const auto& [id, r] : m_dataflowRuns)
        running.push_back({{"transactionId", r.transactionId},
                           {"dataflowId", r.dataflowId},
                           {"startTime", entity::isoMs(r.start)},
                           {"plannedEndTime", entity::isoMs(r.end)},
                           {"outcome", r.outcome}});
    return {{"settings",
             {{"seed", m_settings.seed},
              {"durationMs", m_settings.durationMs},
              {"visibilityDelayMs", m_settings.visibilityDelayMs},
              {"schedules", m_settings.schedules}}},
            {"pending", std::move(forced)},
            {"running", std::move(running)}};
}

// ---- dataflows ---------------------------------------------------------------------------

std::string transactionTime(UnixMs t)
{
    // isoMs gives "…:SS.mmmZ"; the service's ids carry seven fractional digits.
    std::string s = entity::isoMs(t);
    if (!s.empty() && s.back() == 'Z')
        s.pop_back();
    return s + "0000Z";
}

Dataflow* RefreshEngine::findDataflow(const std::string& id)
{
    const auto ref = m_tenant.findDataflow(id);
    return ref ? &m_tenant.workspaces[ref->workspace].dataflows[ref->item] : nullptr;
}

const Dataflow* RefreshEngine::findDataflow(const std::string& id) const
{
    const auto ref = m_tenant.findDataflow(id);
    return ref ? &m_tenant.workspaces[ref->workspace].dataflows[ref->item] : nullptr;
}

const DataflowTransaction* RefreshEngine::runningDataflow(const std::string& dataflowId) const
{
    for (const auto& [id, run] : m_dataflowRuns) {
        if (run.dataflowId != dataflowId)
            continue;
        const Dataflow* d = findDataflow(dataflowId);
        if (!d)
            return nullptr;
        for (auto it = d->transactions.rbegin(); it != d->transactions.rend(); ++it)
            if (it->id == run.transactionId)
                return &*it;
    }
    return nullptr;
}

UnixMs RefreshEngine::dataflowDuration(const Dataflow& d)
{
    const std::uint64_t run = m_runCount[d.objectId]++;
    if (m_settings.durationMs > 0)
        return m_settings.durationMs;
    // Dataflows load into storage and take a little longer than the demo's models: 4–12 s.
    const std::uint64_t h = mix(m_settings.seed ^ fnv1a(d.objectId) ^ 0x44464cull);
    const UnixMs base = 4000 + UnixMs(h % 8001);
    const double jitter = 0.85 + double(mix(h + run) % 301) / 1000.0;
    return std::max<UnixMs>(1, UnixMs(double(base) * jitter));
}

std::string RefreshEngine::startDataflow(const std::string& dataflowId)
{
    advance();
    Dataflow* d = findDataflow(dataflowId);
    if (!d)
        return {};
    // Inferred: the API's own refreshes are listed as OnDemand, like those from the portal
    // (the spec's example names only OnDemand).
    return startDataflowAt(*d, "OnDemand", m_clock.nowMs());
}

std::string RefreshEngine::startDataflowAt(Dataflow& d, const std::string& refreshType, UnixMs at)
{
    DataflowRun run;
    run.dataflowId = d.objectId;
    run.start = at;
    UnixMs duration = dataflowDuration(d);
    run.outcome = "Completed";
    for (auto it = m_forced.begin(); it != m_forced.end(); ++it)
        if (it->dataflowId == d.objectId) {
            run.outcome = it->outcome;
            if (it->durationMs)
                duration = std::max<UnixMs>(1, *it->durationMs);
            m_forced.erase(it);
            break;
        }
    run.end = at + duration;
    std::uint64_t sequence = 1;
    for (const auto& t : d.transactions) {
        const auto dollar = t.id.rfind('$');
        if (dollar != std::string::npos)
            sequence = std::max<std::uint64_t>(
                sequence, std::strtoull(t.id.c_str() + dollar + 1, nullptr, 10) + 1);
    }
    run.transactionId = transactionTime(at) + "@" + m_ids.next() + "$" + std::to_string(sequence);

    DataflowTransaction e;
    e.id = run.transactionId;
    e.refreshType = refreshType;
    e.startTime = at;
    e.status = "InProgress";
    e.visibleFrom = at + m_settings.visibilityDelayMs;
    // Retention as for models (inferred: the dataflow docs do not say): the newest 60.
    auto& history = d.transactions;
    while (history.size() >= kHistoryMax && !runningDataflow(d.objectId))
        history.erase(history.begin());
    history.push_back(std::move(e));
    m_dataflowRuns.emplace(run.transactionId, run);
    return run.transactionId;
}

void RefreshEngine::finishDataflow(const DataflowRun& run)
{
    Dataflow* d = findDataflow(run.dataflowId);
    if (!d)
        return;
    for (auto it = d->transactions.rbegin(); it != d->transactions.rend(); ++it) {
        if (it->id != run.transactionId)
            continue;
        it->endTime = run.end;
        it->status = run.outcome == "Completed" ? "Success" : "Failed";
        return;
    }
}

RefreshEngine::CancelOutcome RefreshEngine::cancelDataflow(const Workspace& workspace,
                                                           const std::string& transactionId)
{
    advance();
    for (const auto& flow : workspace.dataflows) {
        for (const auto& t : flow.transactions) {
            if (t.id != transactionId)
                continue;
            const auto run = m_dataflowRuns.find(t.id);
            if (run == m_dataflowRuns.end())
                return CancelOutcome::AlreadyConcluded;
            m_dataflowRuns.erase(run);
            Dataflow* d = findDataflow(flow.objectId);
            for (auto& x : d->transactions)
                if (x.id == transactionId) {
                    x.status = "Cancelled";
                    x.endTime = m_clock.nowMs();
                }
            return CancelOutcome::Marked;
        }
    }
    return CancelOutcome::NotFound;
}

void RefreshEngine::dataflowScheduleChanged(const std::string& dataflowId)
{
    const std::uint64_t generation = ++m_generation[dataflowId];
    const Dataflow* d = findDataflow(dataflowId);
    if (!d || !m_settings.schedules)
        return;
    if (const auto at = nextSlot(d->schedule, m_clock.nowMs()))
        m_slots.push({*at, dataflowId, generation, true});
}

} // namespace pbi::sandbox
