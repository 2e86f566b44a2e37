// pbictl probe, items, show, and the admin-scope workspace list.

#include "Cli.h"

#include "CliOptions.h"
#include "ExitCodes.h"
#include "TableWriter.h"

#include "api/AdminWorkspacePager.h"
#include "api/PowerBiClient.h"
#include "diagnostics/PermissionProbe.h"

#include <nlohmann/json.hpp>

#include <QTextStream>

namespace pbi::cli {

namespace {

std::string s(const QString& v)
{
    return v.toStdString();
}

QString when(const std::optional<QDateTime>& t)
{
    return t ? t->toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")) : QString();
}

/// One row of `items`/`show`: kind, name, id and the properties worth showing.
struct ItemRow {
    QString kind;
    QString name;
    QString id;
    QList<QPair<QString, QString>> properties;
};

ItemRow row(const Report& r)
{
    return {QStringLiteral("report"), r.name, r.id,
            {{QStringLiteral("Type"), r.reportType.value_or(QString())},
             {QStringLiteral("Semantic model"), r.datasetId.value_or(QString())},
             {QStringLiteral("Web URL"), r.webUrl.value_or(QString())}}};
}

ItemRow row(const Dataset& d)
{
    const auto yes = [](bool b) { return b ? QStringLiteral("yes") : QStringLiteral("no"); };
    return {QStringLiteral("model"), d.name, d.id,
            {{QStringLiteral("Configured by"), d.configuredBy.value_or(QString())},
             {QStringLiteral("Created"), when(d.createdDate)},
             {QStringLiteral("Refreshable"), yes(d.isRefreshable)},
             {QStringLiteral("Row-level security"), yes(d.isEffectiveIdentityRequired)},
             {QStringLiteral("Gateway required"), yes(d.isOnPremGatewayRequired)},
             {QStringLiteral("Storage mode"), d.targetStorageMode.value_or(QString())},
             {QStringLiteral("Web URL"), d.webUrl.value_or(QString())}}};
}

ItemRow row(const Dashboard& d)
{
    return {QStringLiteral("dashboard"), d.displayName, d.id,
            {{QStringLiteral("Read-only"), d.isReadOnly ? QStringLiteral("yes") : QStringLiteral("no")},
             {QStringLiteral("Web URL"), d.webUrl.value_or(QString())}}};
}

ItemRow row(const Dataflow& d)
{
    return {QStringLiteral("dataflow"), d.name, d.id,
            {{QStringLiteral("Configured by"), d.configuredBy.value_or(QString())},
             {QStringLiteral("Description"), d.description.value_or(QString())}}};
}

ItemRow row(const GroupUser& u)
{
    return {QStringLiteral("member"), u.displayName.value_or(u.identifier), u.identifier,
            {{QStringLiteral("Role"), u.groupUserAccessRight},
             {QStringLiteral("Principal type"), u.principalType},
             {QStringLiteral("Email"), u.emailAddress.value_or(QString())}}};
}

nlohmann::json toJson(const ItemRow& r)
{
    nlohmann::json j = {{"kind", s(r.kind)}, {"name", s(r.name)}, {"id", s(r.id)}};
    for (const auto& [k, v] : r.properties)
        if (!v.isEmpty())
            j[s(k)] = s(v);
    return j;
}

} // namespace

void Cli::adminWorkspaces(const QString& filter)
{
    auto* pager = new AdminWorkspacePager(m_session->client.get());
    m_job.reset(pager);
    if (m_ctx.progressOnStderr)
        connect(pager, &AdminWorkspacePager::progress, this, [this](int n) {
            *m_ctx.err << "\rworkspaces: " << n;
            m_ctx.err->flush();
        });
    connect(pager, &AdminWorkspacePager::failed, this, [this](const pbi::Error& e) { fail(e); });
    connect(pager, &AdminWorkspacePager::finished, this, [this, pager, filter] {
        if (m_ctx.progressOnStderr)
            *m_ctx.err << '\n';
        std::vector<Workspace> list;
        for (const Workspace& w : pager->workspaces())
            if (filter.isEmpty() || w.name.contains(filter, Qt::CaseInsensitive) || w.id.contains(filter, Qt::CaseInsensitive))
                list.push_back(w);
        std::sort(list.begin(), list.end(), [](const Workspace& x, const Workspace& y) {
            return x.name.compare(y.name, Qt::CaseInsensitive) < 0;
        });
        if (m_options->json) {
            nlohmann::json out = nlohmann::json::array();
            for (const Workspace& w : list)
                out.push_back({{"id", s(w.id)},
                               {"name", s(w.name)},
                               {"type", s(w.type.value_or(QString()))},
                               {"state", s(w.state.value_or(QString()))},
                               {"isOnDedicatedCapacity", w.isOnDedicatedCapacity}});
            *m_ctx.out << QString::fromStdString(out.dump(2)) << '\n';
            return finish(ExitOk);
        }
        TableWriter table({QStringLiteral("Name"), QStringLiteral("Type"), QStringLiteral("State"),
                           QStringLiteral("Capacity"), QStringLiteral("Id")});
        for (const Workspace& w : list)
            table.addRow({w.name, w.type.value_or(QString()), w.state.value_or(QString()),
                          w.isOnDedicatedCapacity ? QStringLiteral("dedicated") : QStringLiteral("shared"), w.id});
        table.write(*m_ctx.out);
        *m_ctx.err << list.size() << " workspaces in the tenant (" << pager->pagesFetched() << " pages)\n";
        finish(ExitOk);
    });
    pager->start();
}

void Cli::cmdProbe()
{
    bool admin = true;
    for (const QString& a : m_options->args) {
        if (a == QLatin1String("--no-admin"))
            admin = false;
        else
            return usage(QStringLiteral("probe: unexpected argument '%1'.").arg(a));
    }
    auto* probe = new diagnostics::PermissionProbe(m_session->client.get());
    m_job.reset(probe);
    probe->setIncludeAdmin(admin);
    if (m_ctx.progressOnStderr)
        connect(probe, &diagnostics::PermissionProbe::resultAdded, this, [this, probe](int i) {
            *m_ctx.err << "\r" << (i + 1) << " checks… " << probe->results()[std::size_t(i)].check.left(40)
                       << "                    ";
            m_ctx.err->flush();
        });
    connect(probe, &diagnostics::PermissionProbe::finished, this, [this, probe] {
        if (m_ctx.progressOnStderr)
            *m_ctx.err << '\n';
        const auto& results = probe->results();
        int refused = 0;
        for (const auto& r : results)
            refused += (!r.allowed && !r.skipped) ? 1 : 0;
        if (m_options->json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& r : results) {
                nlohmann::json j = {{"area", s(r.area)},
                                    {"check", s(r.check)},
                                    {"call", s(r.call)},
                                    {"result", r.skipped ? "skipped" : (r.allowed ? "allowed" : "refused")},
                                    {"detail", s(r.detail)}};
                if (r.error)
                    j["error"] = {{"status", r.error->httpStatus},
                                  {"code", s(r.error->code)},
                                  {"message", s(r.error->message)},
                                  {"requestId", s(r.error->requestId)},
                                  {"likelyFix", s(r.error->hint)}};
                out.push_back(std::move(j));
            }
            *m_ctx.out << QString::fromStdString(out.dump(2)) << '\n';
            return finish(ExitOk);
        }
        TableWriter table({QStringLiteral("Area"), QStringLiteral("Check"), QStringLiteral("Result"),
                           QStringLiteral("Call")});
        for (const auto& r : results) {
            const QString result = r.skipped ? QStringLiteral("skipped: ") + r.detail
                                   : r.allowed ? QStringLiteral("allowed (") + r.detail + QLatin1Char(')')
                                               : QStringLiteral("REFUSED %1 %2").arg(r.error->httpStatus).arg(r.error->code);
            table.addRow({r.area, r.check, result, r.call});
        }
        table.write(*m_ctx.out, 60);
        if (refused > 0) {
            *m_ctx.out << "\nRefusals and their likely fixes:\n";
            for (const auto& r : results) {
                if (r.allowed || r.skipped)
                    continue;
                *m_ctx.out << "  " << r.check << " — " << r.error->sentence << '\n';
                if (!r.error->hint.isEmpty())
                    *m_ctx.out << "    Likely fix: " << r.error->hint << '\n';
                if (!r.error->requestId.isEmpty())
                    *m_ctx.out << "    Request id: " << r.error->requestId << '\n';
            }
        }
        *m_ctx.err << results.size() << " checks, " << refused << " refused\n";
        finish(ExitOk);
    });
    probe->start();
}

namespace {

using Rows = std::vector<ItemRow>;

/// A workspace's contents of the wanted kinds (all when `kind` is empty), one list after the
/// other; the first refusal ends it.
void gather(PowerBiClient* client, QObject* context, const Workspace& w, const QString& kind,
            std::function<void(Result<Rows>)> done)
{
    auto rows = std::make_shared<Rows>();
    const auto want = [kind](const char* k) { return kind.isEmpty() || kind == QLatin1String(k); };
    using Next = std::function<void()>;
    auto finish = [rows, done] { done(*rows); };
    auto add = [rows, done](auto result, Next then) {
        if (!result)
            return done(result.error());
        for (const auto& x : result.value())
            rows->push_back(row(x));
        then();
    };
    Next members = [=] {
        if (!want("members"))
            return finish();
        client->listWorkspaceUsers(w.id, context, [=](Result<std::vector<GroupUser>> r) { add(std::move(r), finish); });
    };
    Next dataflows = [=] {
        if (!want("dataflows"))
            return members();
        client->listDataflows(w.id, context, [=](Result<std::vector<Dataflow>> r) { add(std::move(r), members); });
    };
    Next dashboards = [=] {
        if (!want("dashboards"))
            return dataflows();
        client->listDashboards(w.id, context, [=](Result<std::vector<Dashboard>> r) { add(std::move(r), dataflows); });
    };
    Next models = [=] {
        if (!want("models"))
            return dashboards();
        client->listDatasets(w.id, context, [=](Result<std::vector<Dataset>> r) { add(std::move(r), dashboards); });
    };
    if (!want("reports"))
        return models();
    client->listReports(w.id, context, [=](Result<std::vector<Report>> r) { add(std::move(r), models); });
}

} // namespace

void Cli::cmdItems()
{
    const QStringList& a = m_options->args;
    if (a.isEmpty() || a[0].startsWith(QLatin1String("--")))
        return usage(QStringLiteral("items needs a workspace (name or id)."));
    QString kind;
    for (int i = 1; i < a.size(); ++i) {
        if (a[i] == QLatin1String("--kind") && i + 1 < a.size())
            kind = a[++i];
        else
            return usage(QStringLiteral("items: unexpected argument '%1'.").arg(a[i]));
    }
    static const QStringList kinds = {QStringLiteral("reports"), QStringLiteral("models"), QStringLiteral("dashboards"),
                                      QStringLiteral("dataflows"), QStringLiteral("members")};
    if (!kind.isEmpty() && !kinds.contains(kind))
        return usage(QStringLiteral("items: --kind is one of %1.").arg(kinds.join(QStringLiteral(", "))));
    const QString workspace = a[0];
    auto* client = m_session->client.get();
    withWorkspace(workspace, [=, this](const Workspace& ws) {
        const std::optional<Workspace> w = ws; // a copy: the callbacks below outlive `ws`
        gather(client, this, *w, kind, [=, this](Result<Rows> rows) {
            if (!rows)
                return fail(rows.error());
            if (m_options->json) {
                nlohmann::json out = nlohmann::json::array();
                for (const auto& r : rows.value())
                    out.push_back(toJson(r));
                *m_ctx.out << QString::fromStdString(out.dump(2)) << '\n';
                return finish(ExitOk);
            }
            TableWriter table({QStringLiteral("Kind"), QStringLiteral("Name"), QStringLiteral("Id")});
            for (const auto& r : rows.value())
                table.addRow({r.kind, r.name, r.id});
            table.write(*m_ctx.out);
            *m_ctx.err << rows.value().size() << " items in " << w->name << '\n';
            finish(ExitOk);
        });
    });
}

void Cli::cmdShow()
{
    const QStringList& a = m_options->args;
    if (a.size() != 2)
        return usage(QStringLiteral("show needs a workspace and an item (names or ids)."));
    const QString workspace = a[0];
    const QString item = a[1];
    auto* client = m_session->client.get();
    withWorkspace(workspace, [=, this](const Workspace& ws) {
        const std::optional<Workspace> w = ws; // a copy: the callbacks below outlive `ws`
        gather(client, this, *w, QString(), [=, this](Result<Rows> rows) {
            if (!rows)
                return fail(rows.error());
            Rows hits;
            for (const auto& r : rows.value()) {
                if (r.id.compare(item, Qt::CaseInsensitive) == 0) {
                    hits = {r};
                    break;
                }
                if (r.name.compare(item, Qt::CaseInsensitive) == 0)
                    hits.push_back(r);
            }
            if (hits.empty()) {
                *m_ctx.err << "pbictl: '" << w->name << "' holds nothing called or with the id '" << item << "'.\n";
                return finish(ExitNotFound);
            }
            if (hits.size() > 1) {
                *m_ctx.err << "pbictl: " << hits.size() << " items in '" << w->name << "' are called '" << item
                           << "'; give the id instead:\n";
                for (const auto& h : hits)
                    *m_ctx.err << "  " << h.kind << "  " << h.id << '\n';
                return finish(ExitUsage);
            }
            const ItemRow& r = hits.front();
            if (m_options->json) {
                nlohmann::json j = toJson(r);
                j["workspace"] = s(w->name);
                j["workspaceId"] = s(w->id);
                *m_ctx.out << QString::fromStdString(j.dump(2)) << '\n';
                return finish(ExitOk);
            }
            TableWriter table({QStringLiteral("Property"), QStringLiteral("Value")});
            table.addRow({QStringLiteral("Kind"), r.kind});
            table.addRow({QStringLiteral("Name"), r.name});
            table.addRow({QStringLiteral("Id"), r.id});
            table.addRow({QStringLiteral("Workspace"), w->name});
            for (const auto& [k, v] : r.properties)
                if (!v.isEmpty())
                    table.addRow({k, v});
            table.write(*m_ctx.out, 100);
            finish(ExitOk);
        });
    });
}

} // namespace pbi::cli
