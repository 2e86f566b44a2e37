#include "SandboxFixture.h"

#include "api/AdminWorkspacePager.h"
#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"

#include "Faults.h"
#include "Tenant.h"
#include "TenantGenerator.h"

#include <QEventLoop>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QTimer>
#include <QTest>

#include <set>

using pbi::ErrorKind;

namespace {
/// A clock that stands still: the client keeps believing its token is fresh.
class FrozenClock final : public pbi::Clock {
public:
    QDateTime now() const override { return m_now; }
    QDateTime m_now = QDateTime::currentDateTimeUtc();
};
/// The generated big tenant behind the demo credentials, on its own loopback sandbox, with
/// the documented admin-API throttling off: faults are injected exactly instead.
struct BigTenant {
    explicit BigTenant(int workspaces)
        : tenant(pbi::sandbox::generateTenant({workspaces, 2, 11, 0, 1}))
        , sandbox(started(tenant))
        , cloud(pbi::Cloud::sandbox(QUrl(QString::fromStdString(sandbox->baseUrl()))))
    {
    }
    static std::unique_ptr<pbi::sandbox::Sandbox> started(const pbi::sandbox::Tenant& t)
    {
        pbi::sandbox::SandboxOptions o;
        o.throttleScale = 0;
        auto s = std::make_unique<pbi::sandbox::Sandbox>(t, o);
        std::string error;
        if (!s->start(&error))
            qFatal("sandbox: %s", error.c_str());
        return s;
    }
    ~BigTenant()
    {
        transport.cancelAll();
        network.clearConnectionCache();
        sandbox->stop();
    }
    std::set<QString> workspaceIds() const
    {
        std::set<QString> out;
        for (const auto& w : tenant.workspaces)
            out.insert(QString::fromStdString(w.id));
        return out;
    }

    pbi::sandbox::Tenant tenant;
    std::unique_ptr<pbi::sandbox::Sandbox> sandbox;
    pbi::Cloud cloud;
    FrozenClock clock;
    QNetworkAccessManager network;
    pbi::RequestLog log;
    pbi::Transport transport{&network, &clock, &log};
    pbi::ClientSecretCredential credential{&transport, &clock, cloud,
                                           QString::fromLatin1(pbi::sandbox::demo::kTenantId),
                                           QString::fromLatin1(pbi::sandbox::demo::kAppClientId),
                                           QString::fromLatin1(pbi::sandbox::demo::kAppSecret)};
    pbi::PowerBiClient client{&transport, &credential, cloud};
};

template <typename T>
std::optional<pbi::Result<T>> await(std::function<void(QObject*, std::function<void(pbi::Result<T>)>)> call,
                                   QObject* context)
{
    // An event loop, like QSignalSpy::wait: qWaitFor's 10 ms naps add up over 200 calls.
    std::optional<pbi::Result<T>> result;
    QEventLoop loop;
    call(context, [&](pbi::Result<T> r) {
        result = std::move(r);
        loop.quit();
    });
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    if (!result)
        loop.exec();
    return result;
}

pbi::sandbox::FaultRule adminFault(pbi::sandbox::FaultKind kind, int after, int count, int retryAfter = 0)
{
    pbi::sandbox::FaultRule r;
    r.kind = kind;
    r.path = "^/v1\\.0/myorg/admin/groups$";
    r.after = after;
    r.count = count;
    r.retryAfterSeconds = retryAfter;
    return r;
}

void fastRetries(pbi::Transport& t)
{
    pbi::TransportPolicy p;
    p.backoffBase = std::chrono::milliseconds(1);
    p.maxAttempts = 5;
    t.setPolicy(p);
}

/// A scripted admin endpoint whose listing changes between pages, the way a live tenant's
/// does while a long inventory runs: after every page it applies `mutate` to the list.
/// (The sandbox's tenant cannot change under a running test; the pager and transport are real.)
class ShiftingServer : public QTcpServer {
public:
    std::vector<QString> items;
    std::function<void(std::vector<QString>&, int skip)> mutate;
    int pages = 0;

    ShiftingServer()
    {
        listen(QHostAddress::LocalHost, 0);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, s, [this, s] {
                    m_buffer[s] += s->readAll();
                    if (!m_buffer[s].contains("\r\n\r\n"))
                        return;
                    const QByteArray target = m_buffer[s].split(' ').value(1);
                    m_buffer.remove(s);
                    const QUrlQuery q(QUrl(QString::fromLatin1(target)).query());
                    const int top = q.queryItemValue(QStringLiteral("$top")).toInt();
                    const int skip = q.queryItemValue(QStringLiteral("$skip")).toInt();
                    QByteArray body = R"({"@odata.context":"x","value":[)";
                    for (int i = skip; i < std::min<int>(skip + top, int(items.size())); ++i)
                        body += (i > skip ? "," : "") + QByteArray(R"({"id":")") + items[std::size_t(i)].toLatin1() + R"(","name":"n"})";
                    body += "]}";
                    s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nRequestId: shift\r\nConnection: close\r\nContent-Length: " +
                             QByteArray::number(body.size()) + "\r\n\r\n" + body);
                    s->disconnectFromHost();
                    ++pages;
                    if (mutate)
                        mutate(items, skip);
                });
            }
        });
    }
    QUrl base() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(serverPort())); }

private:
    QHash<QTcpSocket*, QByteArray> m_buffer;
};

/// A token that never expires, for servers that do not check it.
class StaticTokens final : public pbi::TokenProvider {
public:
    using TokenProvider::TokenProvider;
    void requestToken(QObject* context, Callback callback) override
    {
        QPointer<QObject> guard(context);
        QTimer::singleShot(0, this, [guard, callback = std::move(callback)] {
            if (guard)
                callback(pbi::AccessToken{QStringLiteral("t"), QDateTime::currentDateTimeUtc().addSecs(3600)});
        });
    }
    void invalidate() override {}
    QString identityLabel() const override { return QStringLiteral("static"); }
};

} // namespace

class TestPowerBiClient : public QObject {
    Q_OBJECT

    using Workspaces = pbi::Result<std::vector<pbi::Workspace>>;

    std::optional<Workspaces> list(pbi::PowerBiClient& client)
    {
        std::optional<Workspaces> result;
        client.listWorkspaces(this, [&](Workspaces r) { result = std::move(r); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 10000))
            return std::nullopt;
        return result;
    }

private Q_SLOTS:
    void listsTheWorkspacesOfTheServicePrincipal()
    {
        SandboxFixture f;
        pbi::ClientSecretCredential cred(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(), f.clientSecret());
        pbi::PowerBiClient client(&f.transport, &cred, f.cloud());
        auto r = list(client);
        QVERIFY(r);
        QVERIFY2(r->ok(), r->ok() ? "" : qPrintable(r->error().details()));

        const auto tenant = pbi::sandbox::makeDemoTenant();
        std::set<QString> expected;
        for (const auto& w : tenant.workspaces)
            for (const auto& m : w.members)
                if (m.principalId == tenant.apps[0].servicePrincipalId)
                    expected.insert(QString::fromStdString(w.id));
        std::set<QString> got;
        for (const auto& w : r->value()) {
            got.insert(w.id);
            QVERIFY(!w.name.isEmpty());
            QCOMPARE(w.capacityId.has_value(), w.isOnDedicatedCapacity);
        }
        QCOMPARE(got, expected);
    }

    void wrongSecretIsAnAuthErrorWithEntrasCode()
    {
        SandboxFixture f;
        pbi::ClientSecretCredential cred(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(), QStringLiteral("wrong"));
        pbi::PowerBiClient client(&f.transport, &cred, f.cloud());
        auto r = list(client);
        QVERIFY(r && !r->ok());
        QCOMPARE(r->error().kind, ErrorKind::Auth);
        QCOMPARE(r->error().detailCode, QStringLiteral("AADSTS7000215"));
        // No call reached the API with a missing token.
        for (const auto& e : f.log.entries())
            QVERIFY(!e.url.path().startsWith(QStringLiteral("/v1.0/")));
    }

    void tokenExpiredMidJobIsRenewedOnce()
    {
        pbi::sandbox::SandboxOptions options;
        options.tokenLifetimeSeconds = 2;
        SandboxFixture f(options);
        FrozenClock frozen;
        pbi::ClientSecretCredential cred(&f.transport, &frozen, f.cloud(), f.tenantId(), f.clientId(), f.clientSecret());
        pbi::PowerBiClient client(&f.transport, &cred, f.cloud());
        QVERIFY(list(client)->ok());

        // Wait until the service would refuse the cached token, then call again.
        std::optional<pbi::Result<pbi::AccessToken>> cached;
        cred.requestToken(this, [&](pbi::Result<pbi::AccessToken> t) { cached = std::move(t); });
        QTRY_VERIFY(cached.has_value());
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentDateTimeUtc() > cached->value().expiresAt.addSecs(1), 6000);

        const std::size_t before = f.log.entries().size();
        auto r = list(client);
        QVERIFY2(r && r->ok(), r && !r->ok() ? qPrintable(r->error().details()) : "");
        std::vector<int> statuses;
        for (std::size_t i = before; i < f.log.entries().size(); ++i)
            statuses.push_back(f.log.entries()[i].status);
        QCOMPARE(statuses, (std::vector<int>{403, 200, 200})); // refused, new token, retried call
    }

    void cancelledContextGetsNothing()
    {
        SandboxFixture f;
        pbi::ClientSecretCredential cred(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(), f.clientSecret());
        pbi::PowerBiClient client(&f.transport, &cred, f.cloud());
        auto* context = new QObject;
        bool called = false;
        client.listWorkspaces(context, [&](Workspaces) { called = true; });
        delete context;
        // A second call on a live context finishes after the first would have.
        QVERIFY(list(client)->ok());
        QVERIFY(!called);
    }

    void typedCallsMatchTheTenant()
    {
        SandboxFixture f;
        pbi::ClientSecretCredential cred(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(), f.clientSecret());
        pbi::PowerBiClient client(&f.transport, &cred, f.cloud());
        const auto tenant = pbi::sandbox::makeDemoTenant();
        const std::string sp = tenant.apps[0].servicePrincipalId;
        int checkedModels = 0;
        for (const auto& w : tenant.workspaces) {
            bool member = false;
            for (const auto& m : w.members)
                member = member || m.principalId == sp;
            if (!member || w.state != "Active")
                continue;
            const QString gid = QString::fromStdString(w.id);
            auto reports = await<std::vector<pbi::Report>>([&](QObject* c, auto cb) { client.listReports(gid, c, cb); }, this);
            QVERIFY2(reports && reports->ok(), reports && !reports->ok() ? qPrintable(reports->error().details()) : "timeout");
            std::set<QString> want, got;
            for (const auto& r : w.reports)
                want.insert(QString::fromStdString(r.id));
            for (const auto& r : reports->value())
                got.insert(r.id);
            QCOMPARE(got, want);

            auto models = await<std::vector<pbi::Dataset>>([&](QObject* c, auto cb) { client.listDatasets(gid, c, cb); }, this);
            QVERIFY(models && models->ok());
            QCOMPARE(models->value().size(), w.datasets.size());
            auto dashboards = await<std::vector<pbi::Dashboard>>([&](QObject* c, auto cb) { client.listDashboards(gid, c, cb); }, this);
            QVERIFY(dashboards && dashboards->ok());
            QCOMPARE(dashboards->value().size(), w.dashboards.size());
            for (const auto& d : dashboards->value()) {
                auto tiles = await<std::vector<pbi::Tile>>([&](QObject* c, auto cb) { client.listTiles(gid, d.id, c, cb); }, this);
                QVERIFY(tiles && tiles->ok());
            }
            auto users = await<std::vector<pbi::GroupUser>>([&](QObject* c, auto cb) { client.listWorkspaceUsers(gid, c, cb); }, this);
            QVERIFY(users && users->ok());
            QCOMPARE(users->value().size(), w.members.size());
            auto flows = await<std::vector<pbi::Dataflow>>([&](QObject* c, auto cb) { client.listDataflows(gid, c, cb); }, this);
            QVERIFY(flows && flows->ok());
            QCOMPARE(flows->value().size(), w.dataflows.size());

            for (const auto& model : models->value()) {
                auto history = await<std::vector<pbi::Refresh>>(
                    [&](QObject* c, auto cb) { client.refreshHistory(gid, model.id, std::nullopt, c, cb); }, this);
                QVERIFY(history.has_value());
                if (!history->ok()) // e.g. a model the identity may only read
                    continue;
                ++checkedModels;
                for (const auto& r : history->value())
                    QVERIFY2(r.requestId && !r.requestId->isEmpty(), "refresh history keeps the requestId");
                auto sources = await<std::vector<pbi::Datasource>>(
                    [&](QObject* c, auto cb) { client.listDatasources(gid, model.id, c, cb); }, this);
                QVERIFY(sources && sources->ok());
                auto params = await<std::vector<pbi::MashupParameter>>(
                    [&](QObject* c, auto cb) { client.listParameters(gid, model.id, c, cb); }, this);
                QVERIFY(params.has_value());
            }
        }
        QVERIFY(checkedModels > 0);

        auto capacities = await<std::vector<pbi::Capacity>>([&](QObject* c, auto cb) { client.listCapacities(c, cb); }, this);
        QVERIFY(capacities && capacities->ok());
        QVERIFY(!capacities->value().empty());
        auto pipelines = await<std::vector<pbi::Pipeline>>([&](QObject* c, auto cb) { client.listPipelines(c, cb); }, this);
        QVERIFY(pipelines && pipelines->ok());
        for (const auto& p : pipelines->value()) {
            auto stages = await<std::vector<pbi::PipelineStage>>(
                [&](QObject* c, auto cb) { client.listPipelineStages(p.id, c, cb); }, this);
            QVERIFY(stages && stages->ok());
        }
        auto gateways = await<std::vector<pbi::Gateway>>([&](QObject* c, auto cb) { client.listGateways(c, cb); }, this);
        QVERIFY(gateways.has_value());
    }

    void adminItemCallsCoverTheWholeTenant()
    {
        SandboxFixture f;
        pbi::ClientSecretCredential cred(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(), f.clientSecret());
        pbi::PowerBiClient client(&f.transport, &cred, f.cloud());
        const auto tenant = pbi::sandbox::makeDemoTenant();
        std::size_t reports = 0, datasets = 0, dashboards = 0, dataflows = 0;
        for (const auto& w : tenant.workspaces) {
            reports += w.reports.size();
            datasets += w.datasets.size();
            dashboards += w.dashboards.size();
            dataflows += w.dataflows.size();
        }
        const pbi::AdminItemsQuery all;
        auto r = await<std::vector<pbi::Report>>([&](QObject* c, auto cb) { client.adminReports(all, c, cb); }, this);
        QVERIFY2(r && r->ok(), r && !r->ok() ? qPrintable(r->error().details()) : "timeout");
        QCOMPARE(r->value().size(), reports);
        for (const auto& x : r->value())
            QVERIFY(x.workspaceId.has_value()); // admin items say where they live
        auto d = await<std::vector<pbi::Dataset>>([&](QObject* c, auto cb) { client.adminDatasets(all, c, cb); }, this);
        QVERIFY(d && d->ok());
        QCOMPARE(d->value().size(), datasets);
        auto b = await<std::vector<pbi::Dashboard>>([&](QObject* c, auto cb) { client.adminDashboards(all, c, cb); }, this);
        QVERIFY(b && b->ok());
        QCOMPARE(b->value().size(), dashboards);
        auto df = await<std::vector<pbi::Dataflow>>([&](QObject* c, auto cb) { client.adminDataflows(all, c, cb); }, this);
        QVERIFY(df && df->ok());
        QCOMPARE(df->value().size(), dataflows);
        pbi::AdminItemsQuery two;
        two.top = 2;
        auto page = await<std::vector<pbi::Report>>([&](QObject* c, auto cb) { client.adminReports(two, c, cb); }, this);
        QVERIFY(page && page->ok());
        QCOMPARE(page->value().size(), std::size_t(2));

        // A workspace the principal is not a member of is readable at admin scope.
        const std::string sp = tenant.apps[0].servicePrincipalId;
        for (const auto& w : tenant.workspaces) {
            bool member = false;
            for (const auto& m : w.members)
                member = member || m.principalId == sp;
            if (member || w.state != "Active" || w.datasets.empty() || w.dashboards.empty())
                continue;
            const QString gid = QString::fromStdString(w.id);
            auto gr = await<std::vector<pbi::Report>>([&](QObject* c, auto cb) { client.adminGroupReports(gid, c, cb); }, this);
            QVERIFY(gr && gr->ok());
            QCOMPARE(gr->value().size(), w.reports.size());
            auto gd = await<std::vector<pbi::Dataset>>([&](QObject* c, auto cb) { client.adminGroupDatasets(gid, c, cb); }, this);
            QVERIFY(gd && gd->ok());
            QCOMPARE(gd->value().size(), w.datasets.size());
            auto gb = await<std::vector<pbi::Dashboard>>([&](QObject* c, auto cb) { client.adminGroupDashboards(gid, c, cb); }, this);
            QVERIFY(gb && gb->ok());
            auto gf = await<std::vector<pbi::Dataflow>>([&](QObject* c, auto cb) { client.adminGroupDataflows(gid, c, cb); }, this);
            QVERIFY(gf && gf->ok());
            auto gu = await<std::vector<pbi::GroupUser>>([&](QObject* c, auto cb) { client.adminGroupUsers(gid, c, cb); }, this);
            QVERIFY(gu && gu->ok());
            QCOMPARE(gu->value().size(), w.members.size());
            const QString did = gd->value().front().id;
            auto ds = await<std::vector<pbi::Datasource>>([&](QObject* c, auto cb) { client.adminDatasetDatasources(did, c, cb); }, this);
            QVERIFY2(ds && ds->ok(), ds && !ds->ok() ? qPrintable(ds->error().details()) : "timeout");
            const QString bid = gb->value().front().id;
            auto tiles = await<std::vector<pbi::Tile>>([&](QObject* c, auto cb) { client.adminDashboardTiles(bid, c, cb); }, this);
            QVERIFY(tiles && tiles->ok());
            break;
        }
        auto caps = await<std::vector<pbi::Capacity>>([&](QObject* c, auto cb) { client.adminCapacities(c, cb); }, this);
        QVERIFY(caps && caps->ok() && !caps->value().empty());
        auto apps = await<std::vector<pbi::App>>([&](QObject* c, auto cb) { client.adminApps(100, c, cb); }, this);
        QVERIFY2(apps && apps->ok(), apps && !apps->ok() ? qPrintable(apps->error().details()) : "timeout");
        auto pipelines = await<std::vector<pbi::Pipeline>>([&](QObject* c, auto cb) { client.adminPipelines(100, c, cb); }, this);
        QVERIFY(pipelines && pipelines->ok() && !pipelines->value().empty());
    }

    void appsAreNotForServicePrincipals()
    {
        SandboxFixture f;
        pbi::ClientSecretCredential cred(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(), f.clientSecret());
        pbi::PowerBiClient client(&f.transport, &cred, f.cloud());
        auto apps = await<std::vector<pbi::App>>([&](QObject* c, auto cb) { client.listApps(c, cb); }, this);
        QVERIFY(apps && !apps->ok());
        QCOMPARE(apps->error().httpStatus, 401);
        QCOMPARE(apps->error().message, QStringLiteral("API is not accessible for application"));
        QVERIFY(!apps->error().hint.isEmpty());
        QVERIFY(!apps->error().requestId.isEmpty());
    }

    void idsAreEncodedIntoThePath()
    {
        SandboxFixture f;
        pbi::ClientSecretCredential cred(&f.transport, &f.clock, f.cloud(), f.tenantId(), f.clientId(), f.clientSecret());
        pbi::PowerBiClient client(&f.transport, &cred, f.cloud());
        auto r = await<std::vector<pbi::Report>>(
            [&](QObject* c, auto cb) { client.listReports(QStringLiteral("../admin/groups?x"), c, cb); }, this);
        QVERIFY(r && !r->ok());
        const QString path = f.log.entries().back().url.path(QUrl::FullyEncoded);
        QVERIFY2(path.contains(QStringLiteral("..%2Fadmin%2Fgroups%3Fx")), qPrintable(path));
    }

    void adminInventorySurvivesFaults()
    {
        BigTenant big(23);
        fastRetries(big.transport);
        auto& faults = big.sandbox->faults();
        // Page 2 is throttled (Retry-After 0: the transport waits out the throttle state and
        // resends), page 3 meets a 503, page 4 three dropped connections, page 5 a cut body.
        faults.addFault(adminFault(pbi::sandbox::FaultKind::Throttled, 1, 1));
        faults.addFault(adminFault(pbi::sandbox::FaultKind::Unavailable, 2, 1));
        faults.addFault(adminFault(pbi::sandbox::FaultKind::Reset, 3, 3));
        faults.addFault(adminFault(pbi::sandbox::FaultKind::Truncated, 6, 1));
        pbi::AdminWorkspacePager pager(&big.client, 5);
        QSignalSpy finished(&pager, &pbi::AdminWorkspacePager::finished);
        QSignalSpy failed(&pager, &pbi::AdminWorkspacePager::failed);
        pager.start();
        QVERIFY(finished.wait(15000));
        QCOMPARE(failed.count(), 0);
        std::set<QString> got;
        for (const auto& w : pager.workspaces())
            QVERIFY2(got.insert(w.id).second, "no workspace twice");
        QCOMPARE(got, big.workspaceIds());
        QCOMPARE(pager.workspaces().size(), big.tenant.workspaces.size());
        QVERIFY(faults.stats().injected.at("429") == 1);
        QVERIFY(faults.stats().injected.at("503") == 1);
        // Overlapping pages: 23 workspaces at 5 a page, re-reading one, take 6 pages.
        QCOMPARE(pager.pagesFetched(), 6);
    }

    void adminInventoryResumesAfterALongThrottle()
    {
        BigTenant big(12);
        fastRetries(big.transport);
        pbi::TransportPolicy p = big.transport.policy();
        p.maxRetryAfter = std::chrono::seconds(60);
        big.transport.setPolicy(p);
        big.sandbox->faults().addFault(adminFault(pbi::sandbox::FaultKind::Throttled, 1, 1, 3392));
        pbi::AdminWorkspacePager pager(&big.client, 5);
        QSignalSpy finished(&pager, &pbi::AdminWorkspacePager::finished);
        QSignalSpy failed(&pager, &pbi::AdminWorkspacePager::failed);
        pager.start();
        QVERIFY(failed.wait(10000));
        const pbi::Error e = failed.at(0).at(0).value<pbi::Error>();
        QCOMPARE(e.kind, pbi::ErrorKind::Throttled);
        QCOMPARE(e.retryAt, big.clock.m_now.addSecs(3392));
        QCOMPARE(pager.workspaces().size(), std::size_t(5)); // the first page is kept
        QCOMPARE(pager.nextSkip(), 4);
        QCOMPARE(big.transport.throttledUntil(QStringLiteral("admin.groups")), e.retryAt);

        // Resuming early fails at once without asking the service; after the time, it goes on.
        const auto before = big.sandbox->faults().stats().requests;
        pager.resume();
        QVERIFY(failed.wait(5000));
        QCOMPARE(big.sandbox->faults().stats().requests, before);
        big.clock.m_now = big.clock.m_now.addSecs(3400);
        pager.resume();
        QVERIFY(finished.wait(10000));
        std::set<QString> got;
        for (const auto& w : pager.workspaces())
            got.insert(w.id);
        QCOMPARE(got, big.workspaceIds());
        QCOMPARE(pager.workspaces().size(), big.tenant.workspaces.size());
    }

    void adminInventoryWithTwoPagesInFlight()
    {
        BigTenant big(23);
        pbi::sandbox::LatencyRule slow;
        slow.path = "^/v1\\.0/myorg/admin/groups$";
        slow.fixedMs = 200;
        big.sandbox->faults().addLatency(slow);
        pbi::AdminWorkspacePager pager(&big.client, 5);
        pager.setDepth(2);
        QSignalSpy finished(&pager, &pbi::AdminWorkspacePager::finished);
        QSignalSpy failed(&pager, &pbi::AdminWorkspacePager::failed);
        QElapsedTimer t;
        t.start();
        pager.start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(failed.size(), 0);
        std::set<QString> got;
        for (const auto& w : pager.workspaces())
            QVERIFY2(got.insert(w.id).second, "no workspace twice");
        QCOMPARE(got, big.workspaceIds());
        QCOMPARE(pager.pagesFetched(), 6); // the same pages as one at a time
        // At most one page beyond the end was asked for, and it was dropped.
        int requests = 0;
        for (const auto& e : big.log.entries())
            requests += e.url.path().endsWith(QLatin1String("/admin/groups")) ? 1 : 0;
        QVERIFY2(requests <= 7, qPrintable(QString::number(requests)));
        QVERIFY(!pager.isRunning());
    }

    void adminInventoryCanBeCancelledAndResumed()
    {
        BigTenant big(8);
        pbi::sandbox::LatencyRule slow;
        slow.path = "^/v1\\.0/myorg/admin/groups$";
        slow.fixedMs = 300;
        big.sandbox->faults().addLatency(slow);
        pbi::AdminWorkspacePager pager(&big.client, 3);
        QSignalSpy finished(&pager, &pbi::AdminWorkspacePager::finished);
        QSignalSpy failed(&pager, &pbi::AdminWorkspacePager::failed);
        pager.start();
        QTRY_VERIFY(pager.pagesFetched() == 1 && pager.isRunning());
        pager.cancel();
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.at(0).at(0).value<pbi::Error>().kind, pbi::ErrorKind::Cancelled);
        QVERIFY(!pager.isRunning());
        pager.resume();
        QVERIFY(finished.wait(10000));
        QCOMPARE(pager.workspaces().size(), big.tenant.workspaces.size());
    }

    void shiftingPagesNeitherLoseNorDouble_data()
    {
        QTest::addColumn<bool>("deletes");
        QTest::addColumn<bool>("inserts");
        QTest::addColumn<int>("overlap");
        QTest::addColumn<bool>("complete");
        QTest::newRow("deleted before the cursor") << true << false << -1 << true;
        QTest::newRow("created at the front") << false << true << -1 << true;
        QTest::newRow("both") << true << true << -1 << true;
        // Why the overlap exists: plain offset paging skips an item per deletion.
        QTest::newRow("no overlap loses items") << true << false << 0 << false;
    }
    void shiftingPagesNeitherLoseNorDouble()
    {
        QFETCH(bool, deletes);
        QFETCH(bool, inserts);
        QFETCH(int, overlap);
        QFETCH(bool, complete);
        ShiftingServer server;
        for (int i = 0; i < 20; ++i)
            server.items.push_back(QStringLiteral("w%1").arg(i, 2, 10, QLatin1Char('0')));
        const std::vector<QString> original = server.items;
        std::set<QString> deleted;
        int created = 0;
        // After each page the listing shifts: a workspace before the cursor is deleted and/or
        // one is created at the front.
        server.mutate = [&](std::vector<QString>& items, int skip) {
            if (deletes && skip + 1 < int(items.size())) {
                deleted.insert(items[std::size_t(skip + 1)]);
                items.erase(items.begin() + skip + 1);
            }
            if (inserts)
                items.insert(items.begin(), QStringLiteral("new%1").arg(created++));
        };
        SandboxFixture f; // for its network manager and clock only
        StaticTokens tokens;
        pbi::PowerBiClient client(&f.transport, &tokens, pbi::Cloud::sandbox(server.base()));
        pbi::AdminWorkspacePager pager(&client, 5);
        pager.setOverlap(overlap);
        QSignalSpy finished(&pager, &pbi::AdminWorkspacePager::finished);
        pager.start();
        QVERIFY(finished.wait(10000));
        std::multiset<QString> got;
        for (const auto& w : pager.workspaces())
            got.insert(w.id);
        for (const auto& id : got)
            QCOMPARE(got.count(id), std::size_t(1)); // never twice
        bool allSurvivorsThere = true;
        for (const auto& id : original)
            if (!deleted.count(id) && !got.count(id))
                allSurvivorsThere = false;
        QCOMPARE(allSurvivorsThere, complete);
    }
};

QTEST_GUILESS_MAIN(TestPowerBiClient)
#include "tst_powerbiclient.moc"
