#include "SandboxFixture.h"

#include "api/PowerBiClient.h"
#include "auth/ClientSecretCredential.h"

#include "Tenant.h"

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
};

QTEST_GUILESS_MAIN(TestPowerBiClient)
#include "tst_powerbiclient.moc"
