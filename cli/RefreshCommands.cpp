// pbictl refresh …: history, trigger (plain and enhanced, optionally followed to the end),
// cancel, schedule and the tenant monitor — the answers support staff need without a window.

#include "Cli.h"

#include "CliOptions.h"
#include "ExitCodes.h"
#include "TableWriter.h"

#include "api/PowerBiClient.h"
#include "Clock.h"
#include "profiles/ProfileStore.h"
#include "refresh/DataflowRefresh.h"
#include "refresh/RefreshFollower.h"
#include "refresh/RefreshMonitor.h"
#include "refresh/RefreshRules.h"

#include <nlohmann/json.hpp>

#include <QTextStream>

namespace pbi::cli {

namespace {

using nlohmann::json;

std::string s(const QString& v)
{
    return v.toStdString();
}

QString when(const std::optional<QDateTime>& t)
{
    return t ? t->toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'")) : QString();
}

json whenJson(const std::optional<QDateTime>& t)
{
    return t ? json(s(t->toUTC().toString(Qt::ISODateWithMs))) : json(nullptr);
}

json failureJson(const std::optional<refresh::Failure>& f)
{
    if (!f)
        return nullptr;
    return {{"code", s(f->errorCode)},
            {"description", s(f->description)},
            {"sentence", s(f->sentence)},
            {"likelyFix", s(f->hint)},
            {"serviceExceptionJson", s(f->raw)}};
}

json refreshJson(const Refresh& r, const QDateTime& now)
{
    const auto state = refresh::stateOf(r);
    const auto duration = refresh::durationMs(r, now);
    return {{"status", s(refresh::stateName(state))},
            {"serviceStatus", s(r.status)},
            {"type", s(r.refreshType.value_or(QString()))},
            {"requestId", s(r.requestId.value_or(QString()))},
            {"startTime", whenJson(r.startTime)},
            {"endTime", whenJson(r.endTime)},
            {"durationMs", duration ? json(*duration) : json(nullptr)},
            {"attempts", r.refreshAttempts.size()},
            {"error", failureJson(refresh::decodeFailure(r.serviceExceptionJson))}};
}

/// "Mon,tue,Friday" → full day names; nullopt (and `bad`) on an unknown one.
std::optional<QStringList> parseDays(const QString& text, QString& bad)
{
    static const QStringList full = {QStringLiteral("Monday"),   QStringLiteral("Tuesday"), QStringLiteral("Wednesday"),
                                     QStringLiteral("Thursday"), QStringLiteral("Friday"),  QStringLiteral("Saturday"),
                                     QStringLiteral("Sunday")};
    QStringList out;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString p = part.trimmed();
        QString match;
        for (const QString& f : full) {
            if (p.size() >= 2 && f.startsWith(p, Qt::CaseInsensitive))
                match = f;
        }
        if (match.isEmpty()) {
            bad = p;
            return std::nullopt;
        }
        out << match;
    }
    return out;
}

} // namespace

struct Cli::Options::Dataflows {
    static void run(Cli& cli, const QString& sub, const QString& workspace, const QString& dataflow,
                    const QStringList& rest);
    /// Finds a dataflow in a workspace by id or (case-insensitive) name, as resolveModel does.
    static void resolve(Cli& cli, const QString& workspace, const QString& dataflow,
                        std::function<void(const Workspace&, const Dataflow&)> then);
    static void history(Cli& cli, const Workspace& w, const Dataflow& d, int top);
    static void trigger(Cli& cli, const Workspace& w, const Dataflow& d, const DataflowRefreshRequest& request,
                        bool wait, int pollSeconds);
    static void cancel(Cli& cli, const Workspace& w, const Dataflow& d, const QString& transactionId);
    static void schedule(Cli& cli, const Workspace& w, const Dataflow& d, const RefreshScheduleUpdate& update);
};

bool Cli::isServicePrincipal() const
{
    const auto k = m_options->resolved.credentialKind;
    return k == CredentialKind::ClientSecret || k == CredentialKind::Certificate;
}

void Cli::cmdRefresh()
{
    const QStringList& a = m_options->args;
    const QString sub = a.value(0);
    if (const qsizetype at = a.indexOf(QStringLiteral("--dataflow")); at >= 0 && sub != QLatin1String("monitor")) {
        // refresh SUB WS --dataflow NAME [options]: a dataflow instead of the model argument.
        if (sub != QLatin1String("history") && sub != QLatin1String("trigger") && sub != QLatin1String("cancel") &&
            sub != QLatin1String("schedule"))
            return usage(QStringLiteral("'refresh' needs history, trigger, cancel or schedule with --dataflow."));
        if (at != 2 || a.size() < 4 || a[1].startsWith(QLatin1String("--")) || a[3].startsWith(QLatin1String("--")))
            return usage(QStringLiteral("'refresh %1 --dataflow' needs a workspace, then --dataflow and the "
                                        "dataflow's name or id: refresh %1 WS --dataflow NAME.")
                             .arg(sub));
        const QString workspace = a[1];
        const QString dataflow = a[3];
        const QStringList rest = a.mid(4);
        return Options::Dataflows::run(*this, sub, workspace, dataflow, rest);
    }
    static const QString needs = QStringLiteral("'refresh %1' needs a workspace and a model (name or id).");
    if (sub == QLatin1String("monitor"))
        return withSession([this, a] { refreshMonitor(a.mid(1)); });
    if (sub != QLatin1String("history") && sub != QLatin1String("trigger") && sub != QLatin1String("cancel") &&
        sub != QLatin1String("schedule"))
        return usage(QStringLiteral("'refresh' needs history, trigger, cancel, schedule or monitor."));
    if (a.size() < 3 || a[1].startsWith(QLatin1String("--")) || a[2].startsWith(QLatin1String("--")))
        return usage(needs.arg(sub));
    const QString workspace = a[1];
    const QString model = a[2];
    const QStringList rest = a.mid(3);

    if (sub == QLatin1String("history")) {
        int top = 20;
        for (int i = 0; i < rest.size(); ++i) {
            bool ok = false;
            if (rest[i] == QLatin1String("--top") && i + 1 < rest.size() && (top = rest[++i].toInt(&ok), ok) && top > 0)
                continue;
            return usage(QStringLiteral("refresh history: '--top N' (N ≥ 1) is the only option."));
        }
        return withSession([=, this] {
            resolveModel(workspace, model, [this, top](const Workspace& w, const Dataset& d) { refreshHistory(w, d, top); });
        });
    }
    if (sub == QLatin1String("cancel")) {
        if (rest.size() != 1)
            return usage(QStringLiteral("refresh cancel: give the refresh's request id (see 'refresh history')."));
        return withSession([=, this] {
            resolveModel(workspace, model,
                         [this, id = rest[0]](const Workspace& w, const Dataset& d) { refreshCancel(w, d, id); });
        });
    }
    if (sub == QLatin1String("trigger"))
        return withSession([=, this] {
            resolveModel(workspace, model,
                         [this, rest](const Workspace& w, const Dataset& d) { refreshTrigger(w, d, rest); });
        });
    withSession([=, this] {
        resolveModel(workspace, model,
                     [this, rest](const Workspace& w, const Dataset& d) { refreshSchedule(w, d, rest); });
    });
}

void Cli::withWorkspace(const QString& workspace, std::function<void(const Workspace&)> then)
{
    m_session->client->listWorkspaces(this, [=, this](Result<std::vector<Workspace>> r) {
        if (!r)
            return fail(r.error());
        std::vector<Workspace> hits;
        for (const Workspace& w : r.value()) {
            if (w.id.compare(workspace, Qt::CaseInsensitive) == 0) {
                hits = {w};
                break;
            }
            if (w.name.compare(workspace, Qt::CaseInsensitive) == 0)
                hits.push_back(w);
        }
        if (hits.empty()) {
            *m_ctx.err << "pbictl: no workspace the identity can see is called or has the id '" << workspace
                       << "' (see 'pbictl workspaces').\n";
            return finish(ExitNotFound);
        }
        if (hits.size() > 1) {
            *m_ctx.err << "pbictl: " << hits.size() << " workspaces are called '" << workspace
                       << "'; give the id instead:\n";
            for (const Workspace& w : hits)
                *m_ctx.err << "  " << w.id << '\n';
            return finish(ExitUsage);
        }
        then(hits.front());
    });
}

void Cli::resolveModel(const QString& workspace, const QString& model,
                       std::function<void(const Workspace&, const Dataset&)> then)
{
    withWorkspace(workspace, [=, this](const Workspace& w) {
        m_session->client->listDatasets(w.id, this, [=, this](Result<std::vector<Dataset>> ds) {
            if (!ds)
                return fail(ds.error());
            std::vector<Dataset> found;
            for (const Dataset& d : ds.value()) {
                if (d.id.compare(model, Qt::CaseInsensitive) == 0) {
                    found = {d};
                    break;
                }
                if (d.name.compare(model, Qt::CaseInsensitive) == 0)
                    found.push_back(d);
            }
            if (found.empty()) {
                *m_ctx.err << "pbictl: workspace '" << w.name << "' has no semantic model called or with the id '"
                           << model << "'.\n";
                return finish(ExitNotFound);
            }
            if (found.size() > 1) {
                *m_ctx.err << "pbictl: " << found.size() << " models in '" << w.name << "' are called '" << model
                           << "'; give the id instead:\n";
                for (const Dataset& d : found)
                    *m_ctx.err << "  " << d.id << '\n';
                return finish(ExitUsage);
            }
            then(w, found.front());
        });
    });
}

void Cli::refreshHistory(const Workspace& w, const Dataset& d, int top)
{
    m_session->client->refreshHistory(w.id, d.id, top, this, [this, w, d](Result<std::vector<Refresh>> r) {
        if (!r)
            return fail(r.error());
        const QDateTime now = m_ctx.clock->now();
        if (m_options->json) {
            json list = json::array();
            for (const Refresh& x : r.value())
                list.push_back(refreshJson(x, now));
            *m_ctx.out << QString::fromStdString(json{{"workspace", s(w.name)}, {"workspaceId", s(w.id)},
                                                      {"model", s(d.name)}, {"modelId", s(d.id)},
                                                      {"refreshes", list}}
                                                     .dump(2))
                       << '\n';
            return finish(ExitOk);
        }
        *m_ctx.out << w.name << " / " << d.name << '\n';
        if (r.value().empty()) {
            *m_ctx.out << "No refreshes in the service's history"
                       << (d.isRefreshable ? "." : " (the model is not refreshable).") << '\n';
            return finish(ExitOk);
        }
        TableWriter table({QStringLiteral("Status"), QStringLiteral("Type"), QStringLiteral("Start"),
                           QStringLiteral("Duration"), QStringLiteral("Error"), QStringLiteral("Request id")});
        QStringList failures;
        for (const Refresh& x : r.value()) {
            const auto state = refresh::stateOf(x);
            const auto duration = refresh::durationMs(x, now);
            const auto failure = refresh::decodeFailure(x.serviceExceptionJson);
            table.addRow({refresh::stateName(state), refresh::typeName(x.refreshType.value_or(QString())),
                          when(x.startTime), duration ? refresh::formatDuration(*duration) : QString(),
                          failure ? failure->errorCode : QString(), x.requestId.value_or(QString())});
            if (failure) {
                QString text = when(x.startTime) + QStringLiteral(": ") + failure->sentence;
                if (!failure->description.isEmpty())
                    text += QStringLiteral("\n    The service says: ") + failure->description;
                if (!failure->hint.isEmpty())
                    text += QStringLiteral("\n    Likely fix: ") + failure->hint;
                failures << text;
            }
        }
        table.write(*m_ctx.out);
        if (!failures.isEmpty()) {
            *m_ctx.out << "\nFailures:\n";
            for (const QString& f : failures)
                *m_ctx.out << "  " << f << '\n';
        }
        finish(ExitOk);
    });
}

void Cli::refreshTrigger(const Workspace& w, const Dataset& d, const QStringList& a)
{
    RefreshRequest req;
    bool wait = false;
    bool yes = false;
    int pollSeconds = 0;
    for (int i = 0; i < a.size(); ++i) {
        const QString& o = a[i];
        const bool hasValue = i + 1 < a.size();
        bool ok = true;
        if (o == QLatin1String("--wait")) {
            wait = true;
        } else if (o == QLatin1String("--yes")) {
            yes = true;
        } else if (o == QLatin1String("--no-refresh-policy")) {
            req.applyRefreshPolicy = false;
        } else if (!hasValue) {
            return usage(QStringLiteral("refresh trigger: unknown option or missing value: '%1'.").arg(o));
        } else if (o == QLatin1String("--notify")) {
            req.notifyOption = a[++i];
        } else if (o == QLatin1String("--type")) {
            req.type = a[++i];
        } else if (o == QLatin1String("--commit-mode")) {
            req.commitMode = a[++i];
        } else if (o == QLatin1String("--max-parallelism")) {
            req.maxParallelism = a[++i].toInt(&ok);
        } else if (o == QLatin1String("--retry-count")) {
            req.retryCount = a[++i].toInt(&ok);
        } else if (o == QLatin1String("--timeout")) {
            req.timeout = a[++i];
        } else if (o == QLatin1String("--object")) {
            const QString v = a[++i];
            req.objects.push_back({v.section(QLatin1Char('/'), 0, 0), v.section(QLatin1Char('/'), 1)});
        } else if (o == QLatin1String("--effective-date")) {
            const QDate date = QDate::fromString(a[++i], Qt::ISODate);
            ok = date.isValid();
            req.effectiveDate = date;
        } else if (o == QLatin1String("--poll")) {
            pollSeconds = a[++i].toInt(&ok);
            ok = ok && pollSeconds > 0;
        } else {
            return usage(QStringLiteral("refresh trigger: unknown option '%1'.").arg(o));
        }
        if (!ok)
            return usage(QStringLiteral("refresh trigger: '%1' is not a valid value for %2.").arg(a[i], o));
    }
    refresh::Target target;
    target.servicePrincipal = isServicePrincipal();
    target.premium = w.isOnDedicatedCapacity;
    const auto problems = refresh::validate(req, target);
    if (!problems.empty()) {
        *m_ctx.err << "pbictl: the service would refuse this refresh request:\n";
        for (const auto& p : problems)
            *m_ctx.err << "  " << p.field << ": " << p.message << '\n';
        return finish(ExitUsage);
    }
    if (m_options->resolved.environment == Environment::Production && !yes) {
        *m_ctx.err << "pbictl: '" << m_options->resolved.displayName
                   << "' is a Production connection: add --yes to refresh '" << d.name << "' in '" << w.name
                   << "'.\n";
        return finish(ExitUsage);
    }
    m_session->client->triggerRefresh(w.id, d.id, req, this,
                                      [this, w, d, wait, pollSeconds](Result<TriggeredRefresh> r) {
        if (!r)
            return fail(r.error());
        const TriggeredRefresh t = r.value();
        if (!wait) {
            if (m_options->json)
                *m_ctx.out << QString::fromStdString(json{{"requestId", s(t.requestId)},
                                                          {"enhanced", t.enhanced},
                                                          {"status", "Accepted"}}
                                                         .dump(2))
                           << '\n';
            else
                *m_ctx.out << "Refresh of '" << d.name << "' accepted. Request id: " << t.requestId << '\n'
                           << "Follow it with: pbictl refresh history '" << w.name << "' '" << d.name << "'\n";
            return finish(ExitOk);
        }
        refresh::RefreshFollower::Options options;
        if (pollSeconds > 0) {
            options.firstPoll = std::chrono::seconds(pollSeconds);
            options.maxPoll = std::max(options.maxPoll, options.firstPoll);
        }
        auto* follower = new refresh::RefreshFollower(m_session->client.get(), w.id, d.id, t, options);
        m_job.reset(follower);
        if (!m_options->json)
            *m_ctx.err << "Refresh accepted (request id " << t.requestId << "); following it…\n";
        connect(follower, &refresh::RefreshFollower::updated, this, [this, follower] {
            if (!m_ctx.progressOnStderr)
                return;
            QString line = refresh::stateName(follower->state());
            if (const auto& e = follower->execution()) {
                int done = 0;
                for (const auto& o : e->objects)
                    done += o.status == QLatin1String("Completed") ? 1 : 0;
                if (!e->objects.empty())
                    line += QStringLiteral(" — %1 of %2 objects").arg(done).arg(e->objects.size());
            }
            *m_ctx.err << '\r' << line << "          ";
            m_ctx.err->flush();
        });
        connect(follower, &refresh::RefreshFollower::followFailed, this, [this](const pbi::Error& e) { fail(e); });
        connect(follower, &refresh::RefreshFollower::finished, this, [this, follower](refresh::State state) {
            if (m_ctx.progressOnStderr)
                *m_ctx.err << '\n';
            const Refresh& x = follower->latest();
            const auto failure = refresh::decodeFailure(x.serviceExceptionJson);
            if (m_options->json) {
                *m_ctx.out << QString::fromStdString(refreshJson(x, m_ctx.clock->now()).dump(2)) << '\n';
            } else {
                *m_ctx.out << "Refresh " << refresh::stateName(state).toLower();
                if (const auto ms = refresh::durationMs(x, m_ctx.clock->now()))
                    *m_ctx.out << " after " << refresh::formatDuration(*ms);
                *m_ctx.out << ". Request id: " << follower->triggered().requestId << '\n';
                if (failure) {
                    *m_ctx.out << failure->sentence << '\n';
                    if (!failure->description.isEmpty())
                        *m_ctx.out << "The service says: " << failure->description << '\n';
                    if (!failure->hint.isEmpty())
                        *m_ctx.out << "Likely fix: " << failure->hint << '\n';
                }
            }
            finish(state == refresh::State::Completed ? ExitOk : ExitFailure);
        });
        follower->start();
    });
}

void Cli::refreshCancel(const Workspace& w, const Dataset& d, const QString& requestId)
{
    m_session->client->cancelRefresh(w.id, d.id, requestId, this, [this, d, requestId](Result<Done> r) {
        if (!r)
            return fail(r.error());
        if (m_options->json)
            *m_ctx.out << QString::fromStdString(json{{"requestId", s(requestId)}, {"cancel", "Requested"}}.dump(2))
                       << '\n';
        else
            *m_ctx.out << "Cancel of refresh " << requestId << " of '" << d.name << "' requested.\n";
        finish(ExitOk);
    });
}

void Cli::refreshSchedule(const Workspace& w, const Dataset& d, const QStringList& a)
{
    RefreshScheduleUpdate u;
    bool yes = false;
    bool takeOver = false;
    for (int i = 0; i < a.size(); ++i) {
        const QString& o = a[i];
        if (o == QLatin1String("--enable")) {
            u.enabled = true;
            continue;
        }
        if (o == QLatin1String("--disable")) {
            u.enabled = false;
            continue;
        }
        if (o == QLatin1String("--yes")) {
            yes = true;
            continue;
        }
        if (o == QLatin1String("--take-over")) {
            takeOver = true;
            continue;
        }
        if (i + 1 >= a.size())
            return usage(QStringLiteral("refresh schedule: unknown option or missing value: '%1'.").arg(o));
        const QString v = a[++i];
        if (o == QLatin1String("--days")) {
            QString bad;
            const auto days = parseDays(v, bad);
            if (!days)
                return usage(QStringLiteral("refresh schedule: '%1' is not a day (Monday … Sunday, or Mon … Sun).").arg(bad));
            u.days = *days;
        } else if (o == QLatin1String("--times")) {
            QStringList times;
            for (const QString& t : v.split(QLatin1Char(','), Qt::SkipEmptyParts))
                times << t.trimmed();
            u.times = times;
        } else if (o == QLatin1String("--time-zone")) {
            u.localTimeZoneId = v;
        } else if (o == QLatin1String("--notify")) {
            u.notifyOption = v;
        } else {
            return usage(QStringLiteral("refresh schedule: unknown option '%1'.").arg(o));
        }
    }
    auto* client = m_session->client.get();
    auto print = [this, w, d](const RefreshSchedule& sc, bool changed) {
        if (m_options->json) {
            json days = json::array();
            json times = json::array();
            for (const QString& x : sc.days)
                days.push_back(s(x));
            for (const QString& x : sc.times)
                times.push_back(s(x));
            *m_ctx.out << QString::fromStdString(json{{"model", s(d.name)},
                                                      {"changed", changed},
                                                      {"enabled", sc.enabled},
                                                      {"days", days},
                                                      {"times", times},
                                                      {"localTimeZoneId", s(sc.localTimeZoneId.value_or(QString()))},
                                                      {"notifyOption", s(sc.notifyOption.value_or(QString()))}}
                                                     .dump(2))
                       << '\n';
            return;
        }
        QTextStream& o = *m_ctx.out;
        if (changed)
            o << "Schedule saved.\n";
        o << w.name << " / " << d.name << '\n'
          << "Enabled:    " << (sc.enabled ? "yes" : "no") << '\n'
          << "Days:       " << (sc.days.isEmpty() ? QStringLiteral("(none)") : sc.days.join(QStringLiteral(", "))) << '\n'
          << "Times:      " << (sc.times.isEmpty() ? QStringLiteral("(none)") : sc.times.join(QStringLiteral(", "))) << '\n'
          << "Time zone:  " << sc.localTimeZoneId.value_or(QStringLiteral("(not set)")) << '\n'
          << "Notify:     " << sc.notifyOption.value_or(QStringLiteral("(not set)")) << '\n';
    };
    client->refreshSchedule(w.id, d.id, this, [=, this](Result<RefreshSchedule> current) {
        if (!current)
            return fail(current.error());
        if (u.isEmpty()) {
            if (takeOver)
                return usage(QStringLiteral("refresh schedule: --take-over goes with a change."));
            print(current.value(), false);
            return finish(ExitOk);
        }
        refresh::Target target;
        target.servicePrincipal = isServicePrincipal();
        target.premium = w.isOnDedicatedCapacity;
        const auto problems = refresh::validate(u, current.value(), target);
        if (!problems.empty()) {
            *m_ctx.err << "pbictl: the service would refuse this schedule:\n";
            for (const auto& p : problems)
                *m_ctx.err << "  " << (p.field.isEmpty() ? QStringLiteral("schedule") : p.field) << ": " << p.message
                           << '\n';
            return finish(ExitUsage);
        }
        if (m_options->resolved.environment == Environment::Production && !yes) {
            *m_ctx.err << "pbictl: '" << m_options->resolved.displayName
                       << "' is a Production connection: add --yes to change the schedule of '" << d.name << "'.\n";
            return finish(ExitUsage);
        }
        auto patch = [=, this] {
            client->updateRefreshSchedule(w.id, d.id, u, this, [=, this](Result<Done> done) {
                if (!done)
                    return fail(done.error());
                client->refreshSchedule(w.id, d.id, this, [=, this](Result<RefreshSchedule> after) {
                    if (!after)
                        return fail(after.error());
                    print(after.value(), true);
                    finish(ExitOk);
                });
            });
        };
        if (!takeOver)
            return patch();
        client->takeOverDataset(w.id, d.id, this, [=, this](Result<Done> taken) {
            if (!taken)
                return fail(taken.error());
            if (!m_options->json)
                *m_ctx.err << "Took over '" << d.name << "': the connection's identity now owns it.\n";
            patch();
        });
    });
}

void Cli::refreshMonitor(const QStringList& a)
{
    refresh::MonitorFilter filter;
    int depth = 5;
    for (int i = 0; i < a.size(); ++i) {
        const QString& o = a[i];
        bool ok = true;
        if (o == QLatin1String("--failed"))
            filter.failedOnly = true;
        else if (o == QLatin1String("--running"))
            filter.runningOnly = true;
        else if (o == QLatin1String("--hours") && i + 1 < a.size())
            ok = (filter.withinHours = a[++i].toInt(&ok), ok) && filter.withinHours > 0;
        else if (o == QLatin1String("--depth") && i + 1 < a.size())
            ok = (depth = a[++i].toInt(&ok), ok) && depth > 0;
        else if (o == QLatin1String("--filter") && i + 1 < a.size())
            filter.text = a[++i];
        else
            return usage(QStringLiteral("refresh monitor: unknown option or missing value: '%1'.").arg(o));
        if (!ok)
            return usage(QStringLiteral("refresh monitor: '%1' needs a positive number.").arg(o));
    }
    auto* monitor = new refresh::RefreshMonitor(m_session->client.get());
    m_job.reset(monitor);
    monitor->setScope(m_options->resolved.scope == ApiScope::Admin ? refresh::MonitorScope::Admin
                                                                   : refresh::MonitorScope::Member);
    monitor->setHistoryDepth(depth);
    if (m_ctx.progressOnStderr) {
        connect(monitor, &refresh::RefreshMonitor::progress, this, [this](int done, int total) {
            *m_ctx.err << "\rcalls: " << done << " of " << total;
            m_ctx.err->flush();
        });
    }
    connect(monitor, &refresh::RefreshMonitor::sweepFailed, this, [this](const pbi::Error& e) { fail(e); });
    connect(monitor, &refresh::RefreshMonitor::sweepFinished, this, [this, monitor, filter] {
        if (m_ctx.progressOnStderr)
            *m_ctx.err << '\n';
        const QDateTime now = m_ctx.clock->now();
        std::vector<const refresh::MonitorRow*> rows;
        for (const auto& row : monitor->rows())
            if (refresh::matches(row, filter, now))
                rows.push_back(&row);
        for (const auto& p : monitor->problems())
            *m_ctx.err << "pbictl: skipped " << p.workspaceName
                       << (p.datasetName.isEmpty() ? QString() : QStringLiteral(" / ") + p.datasetName) << ": "
                       << p.error.summary() << '\n';
        if (m_options->json) {
            json list = json::array();
            for (const auto* row : rows) {
                json j = refreshJson(row->refresh, now);
                j["workspace"] = s(row->workspaceName);
                j["workspaceId"] = s(row->workspaceId);
                j["model"] = s(row->datasetName);
                j["modelId"] = s(row->datasetId);
                list.push_back(std::move(j));
            }
            *m_ctx.out << QString::fromStdString(list.dump(2)) << '\n';
            return finish(ExitOk);
        }
        TableWriter table({QStringLiteral("Start"), QStringLiteral("Status"), QStringLiteral("Workspace"),
                           QStringLiteral("Model"), QStringLiteral("Type"), QStringLiteral("Duration"),
                           QStringLiteral("Error")});
        for (const auto* row : rows) {
            const auto duration = refresh::durationMs(row->refresh, now);
            const auto failure = refresh::decodeFailure(row->refresh.serviceExceptionJson);
            table.addRow({when(row->refresh.startTime), refresh::stateName(refresh::stateOf(row->refresh)),
                          row->workspaceName, row->datasetName,
                          refresh::typeName(row->refresh.refreshType.value_or(QString())),
                          duration ? refresh::formatDuration(*duration) : QString(),
                          failure ? failure->errorCode : QString()});
        }
        table.write(*m_ctx.out, 50);
        *m_ctx.err << rows.size() << (rows.size() == 1 ? " refresh" : " refreshes") << " of "
                   << monitor->rows().size() << " seen\n";
        finish(ExitOk);
    });
    monitor->start();
}

// ---- refresh … --dataflow ------------------------------------------------------------------

namespace {

json transactionJson(const DataflowTransaction& t, const QDateTime& now)
{
    const auto duration = refresh::durationMs(t, now);
    return {{"status", s(refresh::stateName(refresh::stateOf(t)))},
            {"serviceStatus", s(t.status.value_or(QString()))},
            {"type", s(t.refreshType.value_or(QString()))},
            {"transactionId", s(t.id)},
            {"startTime", whenJson(t.startTime)},
            {"endTime", whenJson(t.endTime)},
            {"durationMs", duration ? json(*duration) : json(nullptr)}};
}

} // namespace

void Cli::Options::Dataflows::run(Cli& cli, const QString& sub, const QString& workspace, const QString& dataflow,
                                  const QStringList& a)
{
    if (sub == QLatin1String("history")) {
        int top = 20;
        for (int i = 0; i < a.size(); ++i) {
            bool ok = false;
            if (a[i] == QLatin1String("--top") && i + 1 < a.size() && (top = a[++i].toInt(&ok), ok) && top > 0)
                continue;
            return cli.usage(QStringLiteral("refresh history --dataflow: '--top N' (N ≥ 1) is the only option."));
        }
        return cli.withSession([&cli, workspace, dataflow, top] {
            resolve(cli, workspace, dataflow, [&cli, top](const Workspace& w, const Dataflow& d) { history(cli, w, d, top); });
        });
    }
    if (sub == QLatin1String("cancel")) {
        if (a.size() != 1 || a[0].startsWith(QLatin1String("--")))
            return cli.usage(QStringLiteral("refresh cancel --dataflow: give the transaction id (see 'refresh history "
                                            "WS --dataflow NAME')."));
        return cli.withSession([&cli, workspace, dataflow, id = a[0]] {
            resolve(cli, workspace, dataflow, [&cli, id](const Workspace& w, const Dataflow& d) { cancel(cli, w, d, id); });
        });
    }
    if (sub == QLatin1String("trigger")) {
        DataflowRefreshRequest req;
        bool wait = false;
        bool yes = false;
        int pollSeconds = 0;
        for (int i = 0; i < a.size(); ++i) {
            const QString& o = a[i];
            bool ok = true;
            if (o == QLatin1String("--wait"))
                wait = true;
            else if (o == QLatin1String("--yes"))
                yes = true;
            else if (i + 1 >= a.size())
                return cli.usage(QStringLiteral("refresh trigger --dataflow: unknown option or missing value: '%1'.").arg(o));
            else if (o == QLatin1String("--notify"))
                req.notifyOption = a[++i];
            else if (o == QLatin1String("--process-type"))
                req.processType = a[++i];
            else if (o == QLatin1String("--poll"))
                ok = (pollSeconds = a[++i].toInt(&ok), ok) && pollSeconds > 0;
            else
                return cli.usage(QStringLiteral("refresh trigger --dataflow: unknown option '%1' (a dataflow refreshes "
                                                "as a whole: the enhanced-refresh options are for semantic models).")
                                     .arg(o));
            if (!ok)
                return cli.usage(QStringLiteral("refresh trigger --dataflow: '%1' is not a valid value for %2.").arg(a[i], o));
        }
        // A service principal is not refused here: the service's own refusal, explained, says more
        // (and gives the permission exit code).
        const auto problems = refresh::validate(req, refresh::Target{});
        if (!problems.empty()) {
            *cli.m_ctx.err << "pbictl: the service would refuse this dataflow refresh request:\n";
            for (const auto& p : problems)
                *cli.m_ctx.err << "  " << p.field << ": " << p.message << '\n';
            return cli.finish(ExitUsage);
        }
        return cli.withSession([&cli, workspace, dataflow, req, wait, yes, pollSeconds] {
            resolve(cli, workspace, dataflow, [&cli, req, wait, yes, pollSeconds](const Workspace& w, const Dataflow& d) {
                if (cli.m_options->resolved.environment == Environment::Production && !yes) {
                    *cli.m_ctx.err << "pbictl: '" << cli.m_options->resolved.displayName
                                   << "' is a Production connection: add --yes to refresh the dataflow '" << d.name
                                   << "' in '" << w.name << "'.\n";
                    return cli.finish(ExitUsage);
                }
                trigger(cli, w, d, req, wait, pollSeconds);
            });
        });
    }
    // schedule: PATCH only — the API has no GET for a dataflow's schedule.
    RefreshScheduleUpdate u;
    bool yes = false;
    for (int i = 0; i < a.size(); ++i) {
        const QString& o = a[i];
        if (o == QLatin1String("--enable") || o == QLatin1String("--disable")) {
            u.enabled = o == QLatin1String("--enable");
            continue;
        }
        if (o == QLatin1String("--yes")) {
            yes = true;
            continue;
        }
        if (i + 1 >= a.size())
            return cli.usage(QStringLiteral("refresh schedule --dataflow: unknown option or missing value: '%1'.").arg(o));
        const QString v = a[++i];
        if (o == QLatin1String("--days")) {
            QString bad;
            const auto days = parseDays(v, bad);
            if (!days)
                return cli.usage(QStringLiteral("refresh schedule: '%1' is not a day (Monday … Sunday, or Mon … Sun).").arg(bad));
            u.days = *days;
        } else if (o == QLatin1String("--times")) {
            QStringList times;
            for (const QString& t : v.split(QLatin1Char(','), Qt::SkipEmptyParts))
                times << t.trimmed();
            u.times = times;
        } else if (o == QLatin1String("--time-zone")) {
            u.localTimeZoneId = v;
        } else if (o == QLatin1String("--notify")) {
            u.notifyOption = v;
        } else {
            return cli.usage(QStringLiteral("refresh schedule --dataflow: unknown option '%1'.").arg(o));
        }
    }
    if (u.isEmpty())
        return cli.usage(QStringLiteral("refresh schedule --dataflow: the Power BI API cannot read a dataflow's "
                                        "schedule, only change it: give --enable, --disable, --days, --times, "
                                        "--time-zone or --notify."));
    // Checked against an empty schedule: the current one cannot be read, so an enabled schedule
    // needs its days in the same change.
    const auto problems = refresh::validate(u, RefreshSchedule{}, refresh::Target{});
    if (!problems.empty()) {
        *cli.m_ctx.err << "pbictl: the service would refuse this schedule:\n";
        for (const auto& p : problems)
            *cli.m_ctx.err << "  " << (p.field.isEmpty() ? QStringLiteral("schedule") : p.field) << ": " << p.message
                           << '\n';
        if (u.enabled.value_or(false) && !u.days)
            *cli.m_ctx.err << "  (a dataflow's current days cannot be read: give --days with --enable)\n";
        return cli.finish(ExitUsage);
    }
    cli.withSession([&cli, workspace, dataflow, u, yes] {
        resolve(cli, workspace, dataflow, [&cli, u, yes](const Workspace& w, const Dataflow& d) {
            if (cli.m_options->resolved.environment == Environment::Production && !yes) {
                *cli.m_ctx.err << "pbictl: '" << cli.m_options->resolved.displayName
                               << "' is a Production connection: add --yes to change the schedule of the dataflow '"
                               << d.name << "'.\n";
                return cli.finish(ExitUsage);
            }
            schedule(cli, w, d, u);
        });
    });
}

void Cli::Options::Dataflows::resolve(Cli& cli, const QString& workspace, const QString& dataflow,
                                      std::function<void(const Workspace&, const Dataflow&)> then)
{
    cli.withWorkspace(workspace, [&cli, dataflow, then](const Workspace& w) {
        cli.m_session->client->listDataflows(w.id, &cli, [&cli, w, dataflow, then](Result<std::vector<Dataflow>> r) {
            if (!r)
                return cli.fail(r.error());
            std::vector<Dataflow> found;
            for (const Dataflow& d : r.value()) {
                if (d.id.compare(dataflow, Qt::CaseInsensitive) == 0) {
                    found = {d};
                    break;
                }
                if (d.name.compare(dataflow, Qt::CaseInsensitive) == 0)
                    found.push_back(d);
            }
            if (found.empty()) {
                *cli.m_ctx.err << "pbictl: workspace '" << w.name << "' has no dataflow called or with the id '"
                               << dataflow << "'.\n";
                return cli.finish(ExitNotFound);
            }
            if (found.size() > 1) {
                *cli.m_ctx.err << "pbictl: " << found.size() << " dataflows in '" << w.name << "' are called '"
                               << dataflow << "'; give the id instead:\n";
                for (const Dataflow& d : found)
                    *cli.m_ctx.err << "  " << d.id << '\n';
                return cli.finish(ExitUsage);
            }
            then(w, found.front());
        });
    });
}

void Cli::Options::Dataflows::history(Cli& cli, const Workspace& w, const Dataflow& d, int top)
{
    cli.m_session->client->dataflowTransactions(w.id, d.id, &cli, [&cli, w, d, top](Result<std::vector<DataflowTransaction>> r) {
        if (!r)
            return cli.fail(r.error());
        const QDateTime now = cli.m_ctx.clock->now();
        // The service sends its whole history (the route has no $top): --top limits what is shown.
        std::vector<DataflowTransaction> list = std::move(r).value();
        if (int(list.size()) > top)
            list.resize(std::size_t(top));
        if (cli.m_options->json) {
            nlohmann::json items = nlohmann::json::array();
            for (const auto& t : list)
                items.push_back(transactionJson(t, now));
            *cli.m_ctx.out << QString::fromStdString(nlohmann::json{{"workspace", s(w.name)}, {"workspaceId", s(w.id)},
                                                          {"dataflow", s(d.name)}, {"dataflowId", s(d.id)},
                                                          {"refreshes", items}}
                                                         .dump(2))
                           << '\n';
            return cli.finish(ExitOk);
        }
        *cli.m_ctx.out << w.name << " / " << d.name << " (dataflow)\n";
        if (list.empty()) {
            *cli.m_ctx.out << "No refreshes in the service's history.\n";
            return cli.finish(ExitOk);
        }
        TableWriter table({QStringLiteral("Status"), QStringLiteral("Type"), QStringLiteral("Start"),
                           QStringLiteral("Duration"), QStringLiteral("Transaction id")});
        bool failed = false;
        for (const auto& t : list) {
            const auto state = refresh::stateOf(t);
            const auto duration = refresh::durationMs(t, now);
            failed = failed || state == refresh::State::Failed;
            table.addRow({refresh::stateName(state), refresh::typeName(t.refreshType.value_or(QString())),
                          when(t.startTime), duration ? refresh::formatDuration(*duration) : QString(), t.id});
        }
        table.write(*cli.m_ctx.out);
        if (failed)
            *cli.m_ctx.out << "\nThe API does not say why a dataflow refresh failed: the dataflow's refresh history "
                              "in the Power BI portal has the error of each table.\n";
        cli.finish(ExitOk);
    });
}

void Cli::Options::Dataflows::trigger(Cli& cli, const Workspace& w, const Dataflow& d,
                                      const DataflowRefreshRequest& request, bool wait, int pollSeconds)
{
    refresh::triggerDataflowRefresh(
        cli.m_session->client.get(), w.id, d.id, request, &cli,
        [&cli, w, d, wait, pollSeconds](Result<TriggeredDataflowRefresh> r) {
            if (!r)
                return cli.fail(r.error());
            const TriggeredDataflowRefresh t = r.value();
            if (!wait) {
                if (cli.m_options->json)
                    *cli.m_ctx.out << QString::fromStdString(nlohmann::json{{"dataflowId", s(d.id)},
                                                                  {"notifyOption", s(t.notifyOption)},
                                                                  {"status", "Accepted"}}
                                                                 .dump(2))
                                   << '\n';
                else
                    *cli.m_ctx.out << "Refresh of the dataflow '" << d.name << "' accepted.\n"
                                   << "Follow it with: pbictl refresh history '" << w.name << "' --dataflow '"
                                   << d.name << "'\n";
                return cli.finish(ExitOk);
            }
            refresh::DataflowRefreshFollower::Options options;
            if (pollSeconds > 0) {
                options.firstPoll = std::chrono::seconds(pollSeconds);
                options.maxPoll = std::max(options.maxPoll, options.firstPoll);
            }
            auto* follower =
                new refresh::DataflowRefreshFollower(cli.m_session->client.get(), w.id, d.id, t, options);
            cli.m_job.reset(follower);
            if (!cli.m_options->json)
                *cli.m_ctx.err << "Refresh of the dataflow accepted; following it…\n";
            connect(follower, &refresh::DataflowRefreshFollower::updated, &cli, [&cli, follower] {
                if (!cli.m_ctx.progressOnStderr)
                    return;
                *cli.m_ctx.err << '\r' << refresh::stateName(follower->state()) << "          ";
                cli.m_ctx.err->flush();
            });
            connect(follower, &refresh::DataflowRefreshFollower::followFailed, &cli,
                    [&cli](const pbi::Error& e) { cli.fail(e); });
            connect(follower, &refresh::DataflowRefreshFollower::finished, &cli,
                    [&cli, follower](refresh::State state) {
                        if (cli.m_ctx.progressOnStderr)
                            *cli.m_ctx.err << '\n';
                        const DataflowTransaction& x = follower->latest();
                        const QDateTime now = cli.m_ctx.clock->now();
                        if (cli.m_options->json) {
                            *cli.m_ctx.out << QString::fromStdString(transactionJson(x, now).dump(2)) << '\n';
                        } else {
                            *cli.m_ctx.out << "Dataflow refresh " << refresh::stateName(state).toLower();
                            if (const auto ms = refresh::durationMs(x, now))
                                *cli.m_ctx.out << " after " << refresh::formatDuration(*ms);
                            *cli.m_ctx.out << ". Transaction id: " << x.id << '\n';
                            if (state == refresh::State::Failed)
                                *cli.m_ctx.out << "The API does not say why: the dataflow's refresh history in the "
                                                  "Power BI portal has the error of each table.\n";
                        }
                        cli.finish(state == refresh::State::Completed ? ExitOk : ExitFailure);
                    });
            follower->start();
        });
}

void Cli::Options::Dataflows::cancel(Cli& cli, const Workspace& w, const Dataflow&, const QString& transactionId)
{
    cli.m_session->client->cancelDataflowTransaction(
        w.id, transactionId, &cli, [&cli, transactionId](Result<DataflowCancelResult> r) {
            if (!r)
                return cli.fail(r.error());
            bool ok = false;
            const QString sentence = refresh::describeCancel(r.value(), &ok);
            if (cli.m_options->json)
                *cli.m_ctx.out << QString::fromStdString(nlohmann::json{{"transactionId", s(transactionId)},
                                                              {"status", s(r.value().status)},
                                                              {"sentence", s(sentence)}}
                                                             .dump(2))
                               << '\n';
            else
                (ok ? *cli.m_ctx.out : *cli.m_ctx.err) << (ok ? "" : "pbictl: ") << sentence << " (" << r.value().status
                                                       << ")\n";
            if (ok)
                return cli.finish(ExitOk);
            cli.finish(r.value().status.compare(QLatin1String("NotFound"), Qt::CaseInsensitive) == 0 ? ExitNotFound
                                                                                                     : ExitFailure);
        });
}

void Cli::Options::Dataflows::schedule(Cli& cli, const Workspace& w, const Dataflow& d, const RefreshScheduleUpdate& u)
{
    cli.m_session->client->updateDataflowRefreshSchedule(w.id, d.id, u, &cli, [&cli, w, d, u](Result<Done> r) {
        if (!r)
            return cli.fail(r.error());
        if (cli.m_options->json) {
            nlohmann::json j = {{"dataflow", s(d.name)}, {"dataflowId", s(d.id)}, {"changed", true}};
            if (u.enabled)
                j["enabled"] = *u.enabled;
            if (u.days) {
                j["days"] = nlohmann::json::array();
                for (const QString& x : *u.days)
                    j["days"].push_back(s(x));
            }
            if (u.times) {
                j["times"] = nlohmann::json::array();
                for (const QString& x : *u.times)
                    j["times"].push_back(s(x));
            }
            if (u.localTimeZoneId)
                j["localTimeZoneId"] = s(*u.localTimeZoneId);
            if (u.notifyOption)
                j["notifyOption"] = s(*u.notifyOption);
            *cli.m_ctx.out << QString::fromStdString(j.dump(2)) << '\n';
        } else {
            *cli.m_ctx.out << "Schedule of the dataflow '" << d.name << "' in '" << w.name
                           << "' saved (the API cannot read it back; what was sent is what it is).\n";
        }
        cli.finish(ExitOk);
    });
}

} // namespace pbi::cli
