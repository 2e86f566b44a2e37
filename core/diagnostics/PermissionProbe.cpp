#include "diagnostics/PermissionProbe.h"

namespace pbi::diagnostics {

namespace {
QString count(std::size_t n, const char* one, const char* many)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}
} // namespace

PermissionProbe::PermissionProbe(PowerBiClient* client, QObject* parent)
    : QObject(parent)
    , m_client(client)
{
}

void PermissionProbe::cancel()
{
    m_running = false;
    ++m_generation;
}

void PermissionProbe::record(ProbeResult r)
{
    m_results.push_back(std::move(r));
    Q_EMIT resultAdded(int(m_results.size()) - 1);
}

template <typename T>
void PermissionProbe::probe(const QString& area, const QString& check, const QString& call,
                            std::function<quint64(PowerBiClient::Callback<T>)> send,
                            std::function<QString(const T&)> describe)
{
    const quint64 gen = m_generation;
    send([=, this](Result<T> r) {
        if (gen != m_generation)
            return;
        ProbeResult p;
        p.area = area;
        p.check = check;
        p.call = call;
        if (r) {
            p.allowed = true;
            p.detail = describe(r.value());
        } else {
            p.error = r.error();
        }
        record(std::move(p));
        next();
    });
}

void PermissionProbe::start()
{
    cancel();
    m_running = true;
    m_results.clear();
    m_step = 0;
    m_workspace = {};
    m_dataset = {};
    const auto skip = [this](const QString& area, const QString& check, const QString& call, const QString& why) {
        ProbeResult p;
        p.area = area;
        p.check = check;
        p.call = call;
        p.skipped = true;
        p.detail = why;
        record(std::move(p));
        next();
    };
    const QString ws = QStringLiteral("Workspaces");
    m_steps = {
        [this] {
            probe<std::vector<Workspace>>(
                QStringLiteral("Workspaces"), QStringLiteral("List the workspaces it is a member of"),
                QStringLiteral("GET /groups"),
                [this](auto cb) { return m_client->listWorkspaces(this, cb); },
                [this](const std::vector<Workspace>& list) {
                    // Prefer a workspace on a capacity with content: it opens the most checks.
                    for (const Workspace& w : list)
                        if (m_workspace.id.isEmpty() || (w.isOnDedicatedCapacity && !m_workspace.isOnDedicatedCapacity))
                            m_workspace = w;
                    return count(list.size(), "workspace", "workspaces");
                });
        },
        [this, skip, ws] {
            if (m_workspace.id.isEmpty())
                return skip(ws, QStringLiteral("Read a workspace's members"), QStringLiteral("GET /groups/{id}/users"),
                            QStringLiteral("no workspace is visible"));
            probe<std::vector<GroupUser>>(
                ws, QStringLiteral("Read the members of %1").arg(m_workspace.name), QStringLiteral("GET /groups/{id}/users"),
                [this](auto cb) { return m_client->listWorkspaceUsers(m_workspace.id, this, cb); },
                [](const std::vector<GroupUser>& l) { return count(l.size(), "member", "members"); });
        },
        [this, skip] {
            if (m_workspace.id.isEmpty())
                return skip(QStringLiteral("Items"), QStringLiteral("List reports"), QStringLiteral("GET /groups/{id}/reports"),
                            QStringLiteral("no workspace is visible"));
            probe<std::vector<Report>>(
                QStringLiteral("Items"), QStringLiteral("List the reports of %1").arg(m_workspace.name),
                QStringLiteral("GET /groups/{id}/reports"),
                [this](auto cb) { return m_client->listReports(m_workspace.id, this, cb); },
                [](const std::vector<Report>& l) { return count(l.size(), "report", "reports"); });
        },
        [this, skip] {
            if (m_workspace.id.isEmpty())
                return skip(QStringLiteral("Items"), QStringLiteral("List semantic models"),
                            QStringLiteral("GET /groups/{id}/datasets"), QStringLiteral("no workspace is visible"));
            probe<std::vector<Dataset>>(
                QStringLiteral("Items"), QStringLiteral("List the semantic models of %1").arg(m_workspace.name),
                QStringLiteral("GET /groups/{id}/datasets"),
                [this](auto cb) { return m_client->listDatasets(m_workspace.id, this, cb); },
                [this](const std::vector<Dataset>& l) {
                    for (const Dataset& d : l)
                        if (d.isRefreshable && m_dataset.id.isEmpty())
                            m_dataset = d;
                    return count(l.size(), "model", "models");
                });
        },
        [this, skip] {
            if (m_dataset.id.isEmpty())
                return skip(QStringLiteral("Refresh"), QStringLiteral("Read a model's refresh history"),
                            QStringLiteral("GET /groups/{id}/datasets/{id}/refreshes"),
                            QStringLiteral("no refreshable model is visible"));
            probe<std::vector<Refresh>>(
                QStringLiteral("Refresh"), QStringLiteral("Read the refresh history of %1").arg(m_dataset.name),
                QStringLiteral("GET /groups/{id}/datasets/{id}/refreshes"),
                [this](auto cb) { return m_client->refreshHistory(m_workspace.id, m_dataset.id, 1, this, cb); },
                [](const std::vector<Refresh>& l) { return l.empty() ? QStringLiteral("no refreshes yet") : QStringLiteral("readable"); });
        },
        [this] {
            probe<std::vector<Capacity>>(
                QStringLiteral("Tenant"), QStringLiteral("List capacities"), QStringLiteral("GET /capacities"),
                [this](auto cb) { return m_client->listCapacities(this, cb); },
                [](const std::vector<Capacity>& l) { return count(l.size(), "capacity", "capacities"); });
        },
        [this] {
            probe<std::vector<Gateway>>(
                QStringLiteral("Tenant"), QStringLiteral("List gateways"), QStringLiteral("GET /gateways"),
                [this](auto cb) { return m_client->listGateways(this, cb); },
                [](const std::vector<Gateway>& l) { return count(l.size(), "gateway", "gateways"); });
        },
        [this] {
            probe<std::vector<App>>(
                QStringLiteral("Tenant"), QStringLiteral("List apps"), QStringLiteral("GET /apps"),
                [this](auto cb) { return m_client->listApps(this, cb); },
                [](const std::vector<App>& l) { return count(l.size(), "app", "apps"); });
        },
        [this] {
            probe<std::vector<Pipeline>>(
                QStringLiteral("Tenant"), QStringLiteral("List deployment pipelines"), QStringLiteral("GET /pipelines"),
                [this](auto cb) { return m_client->listPipelines(this, cb); },
                [](const std::vector<Pipeline>& l) { return count(l.size(), "pipeline", "pipelines"); });
        },
    };
    if (m_admin) {
        const QString admin = QStringLiteral("Admin APIs");
        m_steps.push_back([this, admin] {
            AdminGroupsQuery q;
            q.top = 1;
            probe<std::vector<Workspace>>(
                admin, QStringLiteral("Read the tenant's workspace list"), QStringLiteral("GET /admin/groups?$top=1"),
                [this, q](auto cb) { return m_client->adminWorkspacesPage(q, this, cb); },
                [](const std::vector<Workspace>&) { return QStringLiteral("readable"); });
        });
        m_steps.push_back([this, admin] {
            AdminRefreshablesQuery q;
            q.top = 1;
            q.expand.clear();
            probe<std::vector<Refreshable>>(
                admin, QStringLiteral("Read the refreshables of every capacity"),
                QStringLiteral("GET /admin/capacities/refreshables?$top=1"),
                [this, q](auto cb) { return m_client->adminRefreshables(q, this, cb); },
                [](const std::vector<Refreshable>&) { return QStringLiteral("readable"); });
        });
        m_steps.push_back([this, admin] {
            probe<QStringList>(
                admin, QStringLiteral("Use the metadata scanner"), QStringLiteral("GET /admin/workspaces/modified"),
                [this](auto cb) {
                    return m_client->adminModifiedWorkspaces(QDateTime::currentDateTimeUtc().addDays(-1), true, false,
                                                             this, cb);
                },
                [](const QStringList& ids) { return count(std::size_t(ids.size()), "workspace changed in a day", "workspaces changed in a day"); });
        });
        m_steps.push_back([this, admin] {
            ActivityQuery q;
            const QDateTime now = QDateTime::currentDateTimeUtc();
            // Within one UTC day, as the service requires.
            q.end = now;
            q.start = std::max(now.addSecs(-3600), QDateTime(now.date(), QTime(0, 0), Qt::UTC));
            probe<ActivityPage>(
                admin, QStringLiteral("Read the activity log"), QStringLiteral("GET /admin/activityevents"),
                [this, q](auto cb) { return m_client->adminActivityEvents(q, this, cb); },
                [](const ActivityPage& p) {
                    return count(p.events.size(), "event in the last hour (first page)", "events in the last hour (first page)");
                });
        });
    }
    next();
}

void PermissionProbe::next()
{
    if (!m_running)
        return;
    if (m_step >= m_steps.size()) {
        m_running = false;
        Q_EMIT finished();
        return;
    }
    const std::size_t i = m_step++;
    m_steps[i]();
}

} // namespace pbi::diagnostics
